"""The 部门预算 workbook (build --format xlsx): a 说明 sheet, a 数据 sheet, the 13 预算 tables and the 申报表,
amounts as numbers equal to the file's figures, text never a formula, the same bytes every time; import-xlsx
reads the 数据 sheet back into a data file whose figures equal the original's."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import yujuesuan
from yujuesuan.input.load import load_bytes, scalars
from yujuesuan.workflows.xlsx.textcells import DANGEROUS, QUOTE

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "jianghan-2024-yusuan.yaml"
TEXT = SAMPLE.read_text(encoding="utf-8")
STEM = "江汉区融媒体中心2024年部门预算-wuhan-yusuan"
CENT = Decimal("0.01")
TABLE_SHEETS = [f"预算{n:02d}表" for n in range(1, 14)]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "yujuesuan", *args], capture_output=True, text=True)


def facts(text: str) -> dict[str, Decimal]:
    """Every numeric scalar of the data file by its path, as a Decimal from the scalar's text."""
    root = load_bytes(text.encode("utf-8"), "预算.yaml")[0]
    out = {}
    for path, scalar in scalars(root):
        try:
            out[path] = Decimal(scalar.text)
        except ArithmeticError:
            continue
    return out


def workbook(text: str) -> bytes:
    checked = yujuesuan.check(text.encode("utf-8"), name="预算.yaml", profile="wuhan-yusuan")
    assert not checked.errors, [f.format() for f in checked.errors]
    return yujuesuan.render(checked, "xlsx")["xlsx"]


def cents(value: object) -> Decimal:
    assert isinstance(value, (int, float)), value
    return Decimal(str(value)).quantize(CENT)


def row_of(ws: openpyxl.worksheet.worksheet.Worksheet, column: int, text: str) -> tuple[object, ...]:
    return next(row for row in ws.iter_rows(values_only=True) if row[column - 1] == text)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    proc = run_cli("build", str(SAMPLE), "--format", "xlsx", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return next(out.glob(f"*/{STEM}.xlsx"))


def test_the_workbook_has_a_note_then_a_sheet_per_table_and_per_form(built: Path) -> None:
    wb = openpyxl.load_workbook(built)
    projects = len({p.split("]")[0] for p in facts(TEXT) if p.startswith("项目[")})
    forms = ["整体绩效目标申报表", *(f"项目{i}绩效目标申报表" for i in range(1, projects + 1))]
    assert projects == 4
    assert wb.sheetnames == ["说明", "数据", *TABLE_SHEETS, *forms]
    note = [c for row in wb["说明"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert note[0] == "江汉区融媒体中心 2024 年部门预算：公开表"
    assert any("“数据”表逐行列出数据文件的每一项" in t and "import-xlsx 导回" in t for t in note)
    assert ("预算05表" in note) and ("2024 年一般公共预算支出表（分功能科目）" in note)
    for n, name in enumerate(TABLE_SHEETS, 1):
        ws = wb[name]
        assert ws["B2"].value is None and ws["A2"].value == f"预算 {n:02d} 表"
        assert str(ws["A1"].value).startswith("2024 年")
    assert wb["预算05表"]["A1"].value == "2024 年一般公共预算支出表（分功能科目）"
    assert wb["项目1绩效目标申报表"]["A1"].value == "2024 年江汉区项目支出（绩效目标）申报表（党建、文明创建经费）"
    assert wb.properties.category == "部门预算"


def test_amounts_are_numbers_in_wanyuan_equal_to_the_files_figures(built: Path) -> None:
    f = facts(TEXT)
    wb = openpyxl.load_workbook(built)
    t05 = wb["预算05表"]
    item = "科目.2070808.一般公共预算"
    row = row_of(t05, 1, "2070808")
    people, office, project = f[f"{item}.人员经费"], f[f"{item}.公用经费"], f[f"{item}.项目支出"]
    assert [cents(v) for v in row[2:7]] == [
        (people + office + project).quantize(CENT), (people + office).quantize(CENT),
        people.quantize(CENT), office.quantize(CENT), project.quantize(CENT),
    ]  # fmt: skip
    total = sum((v for p, v in f.items() if p.startswith("科目.") and ".一般公共预算." in p), Decimal(0))
    assert cents(row_of(t05, 2, "合计")[2]) == total.quantize(CENT) == Decimal("647.10")
    assert cents(row_of(wb["预算01表"], 1, "一、一般公共预算拨款收入")[1]) == total.quantize(CENT)
    car = f["三公经费.本年.公务用车运行维护费"]
    assert cents(wb["预算08表"]["E6"].value) == car.quantize(CENT)
    first = f["项目[1].资金.一般公共预算"]
    assert cents(row_of(wb["预算11表"], 2, "党建、文明创建经费")[3]) == first.quantize(CENT)
    form = row_of(wb["项目1绩效目标申报表"], 1, "项目总预算")  # the form prints 2.76万元: the cell keeps 2.76
    assert cents(form[3]) == first.quantize(CENT)
    for ws in (t05, wb["项目1绩效目标申报表"]):
        # the right-aligned cells are the amounts (a centred number is a 行次 or an indicator's weight)
        amounts = [c for row in ws.iter_rows(min_row=4) for c in row
                   if c.alignment.horizontal == "right" and c.value is not None]
        assert amounts and all(isinstance(c.value, (int, float)) and c.number_format == "0.00" for c in amounts)


def test_no_text_cell_is_a_formula_even_when_the_file_writes_one() -> None:
    hostile = "=cmd|' /C calc'!A0"
    text = TEXT.replace("  - 名称: 党建、文明创建经费\n", f'  - 名称: "{hostile}"\n', 1)
    assert text != TEXT
    data = workbook(text)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in s or b"<f " in s for s in sheets)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(DANGEROUS)]
    quoted = [t for t in texts if t == QUOTE + hostile]
    assert len(quoted) >= 2  # 预算11表 and the project's 申报表 both print the name
    assert wb["项目1绩效目标申报表"]["B3"].value == QUOTE + hostile


def test_the_workbook_is_the_same_bytes_every_time(built: Path) -> None:
    assert workbook(TEXT) == workbook(TEXT) == built.read_bytes()


def data_rows(book: Path) -> dict[str, int]:
    """The 数据 sheet's row number of each path."""
    ws = openpyxl.load_workbook(book)["数据"]
    assert [c.value for c in ws[1]] == ["路径", "值", "说明"]
    return {str(row[0].value): row[0].row for row in ws.iter_rows(min_row=2)}


def edited(book: Path, tmp_path: Path, changes: dict[str, object]) -> Path:
    """A copy of ``book`` with the 数据 sheet's cells (B7, …) set as a user would in Excel."""
    wb = openpyxl.load_workbook(book)
    for ref, value in changes.items():
        wb["数据"][ref] = value
    out = tmp_path / "edited.xlsx"
    wb.save(out)
    return out


def import_text(book: Path, tmp_path: Path) -> str:
    out = tmp_path / "back.yaml"
    proc = run_cli("import-xlsx", str(book), "-o", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out.read_text(encoding="utf-8")


def tables(text: str) -> dict[str, object]:
    checked = yujuesuan.check(text.encode("utf-8"), name="预算.yaml", profile="wuhan-yusuan")
    assert not checked.errors, [f.format() for f in checked.errors]
    assert checked.figures is not None
    return dict(checked.figures.tables)


def test_the_data_sheet_lists_every_leaf_with_amounts_as_numbers(built: Path) -> None:
    ws = openpyxl.load_workbook(built)["数据"]
    rows = data_rows(built)
    row = rows['科目."2070808".一般公共预算.人员经费']
    assert ws.cell(row, 2).value == 338.82 and ws.cell(row, 2).number_format == "0.00"
    assert ws.cell(row, 3).value == "人员经费"
    assert ws.cell(rows["项目[1].名称"], 2).value == "党建、文明创建经费"
    assert ws.cell(rows["单位.编码"], 2).value == "130"  # quoted in the file: a text cell
    assert ws.cell(rows["政府采购"], 3).value == "（空列表）"
    assert len(rows) == len(list(scalars(load_bytes(TEXT.encode("utf-8"), "预算.yaml")[0]))) + 2  # + the two []


def test_import_gives_back_every_scalar_and_every_figure(built: Path, tmp_path: Path) -> None:
    text = import_text(built, tmp_path)
    root = load_bytes(text.encode("utf-8"), "back.yaml")[0]
    original = load_bytes(TEXT.encode("utf-8"), "预算.yaml")[0]
    assert [(p, s.text) for p, s in scalars(root)] == [(p, s.text) for p, s in scalars(original)]
    assert '  "2070808":\n' in text and "政府采购: []" in text and "  主要职能: |\n" in text
    back, sample = tables(text), tables(TEXT)
    assert back.keys() == sample.keys() and back == sample  # every row, label and Decimal of every DTable
    proc = run_cli("check", str(tmp_path / "back.yaml"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_an_edited_amount_comes_back_and_the_rules_see_an_imbalance(built: Path, tmp_path: Path) -> None:
    rows = data_rows(built)
    people, salary = rows['科目."2070808".一般公共预算.人员经费'], rows['经济分类."30101"']
    balanced = edited(built, tmp_path, {f"B{people}": 340.5, f"B{salary}": 89.57})  # +1.68 on both sides
    text = import_text(balanced, tmp_path)
    assert "      人员经费: 340.50\n" in text and '  "30101": 89.57\n' in text  # 0.00 keeps two decimals
    row = next(r for r in tables(text)["05"].rows if r.key == "2070808")
    assert row.values["人员经费"] == Decimal("340.50")
    (tmp_path / "back.yaml").unlink()
    one_sided = import_text(edited(built, tmp_path, {f"B{people}": 340.5}), tmp_path)
    checked = yujuesuan.check(one_sided.encode("utf-8"), name="预算.yaml", profile="wuhan-yusuan")
    assert [f.rule for f in checked.errors] == ["预算07-人员经费"]


def test_a_formula_like_text_survives_as_text(built: Path, tmp_path: Path) -> None:
    hostile = "=cmd|' /C calc'!A0"
    name = data_rows(built)["项目[1].名称"]
    book = edited(built, tmp_path, {f"B{name}": QUOTE + hostile})  # as export_document stores it
    text = import_text(book, tmp_path)
    root = load_bytes(text.encode("utf-8"), "back.yaml")[0]
    assert dict(scalars(root))["项目[1].名称"].text == hostile
    data = workbook(TEXT.replace("  - 名称: 党建、文明创建经费\n", f'  - 名称: "{hostile}"\n', 1))
    assert openpyxl.load_workbook(io.BytesIO(data))["数据"][f"B{name}"].value == QUOTE + hostile


@pytest.mark.parametrize(
    ("column", "value", "said"),
    [
        ("A", "科目..人员经费", "不是数据路径"),
        ("B", "三百", "不是数字"),
        ("A", "项目[0].名称", "不是数据路径"),
        ("A", "项目[9].名称", "不能跳号"),
        ("A", "单位.名称", "重复"),
    ],
)
def test_a_bad_path_or_amount_is_located_and_nothing_is_written(
    built: Path, tmp_path: Path, column: str, value: str, said: str
) -> None:
    row = data_rows(built)['科目."2070808".一般公共预算.人员经费']
    book = edited(built, tmp_path, {f"{column}{row}": value})
    out = tmp_path / "back.yaml"
    proc = run_cli("import-xlsx", str(book), "-o", str(out))
    assert proc.returncode == 1
    assert f"edited.xlsx!数据!{column}{row}" in proc.stdout + proc.stderr and said in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and not out.exists()


def test_import_xlsx_refuses_to_overwrite_without_force(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "back.yaml"
    out.write_text("旧文件\n", encoding="utf-8")
    proc = run_cli("import-xlsx", str(built), "-o", str(out))
    assert proc.returncode == 2 and "--force" in proc.stderr and out.read_text(encoding="utf-8") == "旧文件\n"
    assert run_cli("import-xlsx", str(built), "-o", str(out), "--force").returncode == 0
    assert out.read_text(encoding="utf-8").startswith("格式版本: 1\n")
