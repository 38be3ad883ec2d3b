"""`import-tables`: the nine 公开 tables of a workbook → a data file that rebuilds the same tables.

Every workbook here is made by the test: the sample's tables as `build --format xlsx`
writes them (the 2023 Wuhan layout), and the same tables re-laid in the 2024 national
layout (类/款/项 in three columns, thousands separators, 0.00 for zero, 公开05's 合计 at
the bottom), with amounts ×10 and deliberate 0.01 尾数 differences between tables.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from figurecheck import compare, docx_text, reference
from yujuesuan import pipeline
from yujuesuan.cli import main
from yujuesuan.compose import compose
from yujuesuan.errors import InputError, Severity
from yujuesuan.profiles import load_profile
from yujuesuan.render.docx import render_docx
from yujuesuan.workflows.tables_import import import_tables
from yujuesuan.workflows.xlsx import export_workbook

D = Decimal
TABLES = [f"{n:02d}" for n in range(1, 10)]
HIER = ("公开02", "公开03", "公开05", "公开07", "公开08")


@pytest.fixture(scope="module")
def profile():
    return load_profile("wuhan")


@pytest.fixture(scope="module")
def exported(sample_checked: pipeline.Checked, profile) -> bytes:
    return export_workbook(sample_checked.figures, profile)


def tables_only(data: bytes) -> openpyxl.Workbook:
    """The workbook with only the nine table sheets, renamed so that nothing is found by sheet name."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for name in list(wb.sheetnames):
        if not name.startswith("公开"):
            del wb[name]
    for i, ws in enumerate(reversed(wb.worksheets), 1):
        ws.title = f"Sheet{i}"  # and in reverse order: tables are found by their titles
    return wb


def save(wb: openpyxl.Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def imported(tmp_path: Path, wb: openpyxl.Workbook) -> pipeline.Checked:
    book = save(wb, tmp_path / "公开表.xlsx")
    out = tmp_path / "imported.yaml"
    out.write_text(import_tables(book), encoding="utf-8")
    return pipeline.check(out)


def cells(checked: pipeline.Checked, profile) -> dict[str, list[list[str]]]:
    doc = compose(checked.figures, profile, draft=True)
    tables = [b for b in doc.blocks if getattr(b, "body", None)]
    return {b.id: [[c.text for c in row] for row in (*b.header, *b.body)] for b in tables}


def show(findings) -> str:
    return "\n".join(f.format() for f in findings)


# --------------------------------------------------------------------------- the 2023 Wuhan layout


def test_sample_tables_rebuild_every_table_of_the_sample(tmp_path, sample_checked, exported, profile):
    checked = imported(tmp_path, tables_only(exported))
    assert not checked.errors, show(checked.findings)
    # Only the placeholders `new` leaves are warned about; no figure disagrees with another.
    rules = {f.rule for f in checked.findings}
    assert all(r == "missing-fact" or r.startswith("原因-") for r in rules), show(checked.findings)
    for tid in TABLES:
        mine, theirs = checked.figures.tables[tid], sample_checked.figures.tables[tid]
        assert [(r.key, r.values) for r in mine.rows] == [(r.key, r.values) for r in theirs.rows], tid
    got, want = cells(checked, profile), cells(sample_checked, profile)
    assert [k for k in want if k.startswith("公开")] == [f"公开{t}" for t in TABLES]
    for key in (k for k in want if k.startswith("公开")):
        assert got[key] == want[key], key


def test_the_whole_exported_workbook_imports_too(tmp_path, sample_checked, exported):
    """`build --format xlsx` → import-tables: the fact sheets beside the tables are not in the way."""
    book = tmp_path / "built.xlsx"
    book.write_bytes(exported)
    out = tmp_path / "again.yaml"
    out.write_text(import_tables(book), encoding="utf-8")
    checked = pipeline.check(out)
    assert not checked.errors, show(checked.findings)
    for tid in TABLES:
        assert [r.values for r in checked.figures.tables[tid].rows] == [
            r.values for r in sample_checked.figures.tables[tid].rows
        ], tid


def test_imported_tables_reproduce_every_figure_of_the_references_part_2(tmp_path, exported, profile):
    checked = imported(tmp_path, tables_only(exported))
    docx = render_docx(compose(checked.figures, profile, draft=True), profile.find("reference.docx"))
    result = compare(docx_text(docx), reference("qingshan-2023-juesuan.txt"), parts=(2,))
    assert (result.reproduced, result.reference) == (170, 170), result.summary()


def test_imported_file_keeps_every_printed_total_as_a_declared_total(tmp_path, exported):
    checked = imported(tmp_path, tables_only(exported))
    declared = checked.model.declared
    assert declared[("公开03", "合计", "基本支出")] == D("409.63")
    assert declared[("公开01", "本年支出合计", "金额")] == D("537.12")
    assert declared[("公开05", "2013350", "小计")] == D("437.68")  # a 项's 小计 is printed, so declared
    assert declared[("公开06", "公用经费合计", "金额")] == D("17.59")
    assert declared[("公开09", "合计", "决算.合计")] == D("5.09")
    assert checked.model.econ["30101"] == D("79.38")
    assert checked.model.sangong_budget["公务用车运行维护费"] == D("6.00")


def test_cli_writes_the_file_then_checks_it(tmp_path, exported):
    book = save(tables_only(exported), tmp_path / "公开表.xlsx")
    out = tmp_path / "数据.yaml"
    result = CliRunner().invoke(main, ["import-tables", str(book), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "已生成" in result.output and "没有错误" in result.output
    assert out.read_text(encoding="utf-8").count("\n核对数:") == 1
    again = CliRunner().invoke(main, ["import-tables", str(book), "-o", str(out)])
    assert again.exit_code == 2 and "已经存在" in again.output  # never overwritten without --force


# --------------------------------------------------------------------------- errors: located, nothing written


def _run_bad(tmp_path: Path, wb: openpyxl.Workbook) -> tuple[int, str, Path]:
    """The CLI's exit code and message (run() prints an InputError's findings), and the output path."""
    book = save(wb, tmp_path / "坏.xlsx")
    out = tmp_path / "坏.yaml"
    result = CliRunner().invoke(main, ["import-tables", str(book), "-o", str(out)])
    assert isinstance(result.exception, InputError), result.output
    return result.exception.exit_code, str(result.exception), out


def _sheet_titled(wb: openpyxl.Workbook, title: str):
    return next(ws for ws in wb.worksheets if str(ws["A1"].value or "").endswith(title))


def test_unreadable_amount_names_sheet_and_cell(tmp_path, exported):
    wb = tables_only(exported)
    ws = _sheet_titled(wb, "年度支出决算表")
    ws["F11"] = "三百一十三"  # 2013350 事业运行 · 基本支出
    code, output, out = _run_bad(tmp_path, wb)
    assert code == 1
    assert f"{ws.title}!F11" in output and "不是金额" in output
    assert not out.exists()


def test_missing_table_is_named(tmp_path, exported):
    wb = tables_only(exported)
    del wb[_sheet_titled(wb, "基本支出决算明细表").title]
    code, output, out = _run_bad(tmp_path, wb)
    assert code == 1 and "公开06表" in output and "找不到" in output
    assert not out.exists()


def test_unknown_header_names_its_cell(tmp_path, exported):
    wb = tables_only(exported)
    ws = _sheet_titled(wb, "年度支出决算表")
    ws["F4"] = "其他奇怪支出"
    code, output, out = _run_bad(tmp_path, wb)
    assert code == 1 and f"{ws.title}!F4" in output and "不认识的表头" in output
    assert not out.exists()


# --------------------------------------------------------------------------- the 2024 national layout


def _money(v: object) -> str:
    return f"{Decimal(str(v or 0)) * 10:,.2f}"


def _name_col(src) -> int:
    """The 科目名称 column of an exported table (B with one code column, D after a merged 类/款/项 code)."""
    for row in src.iter_rows(min_row=4, max_row=8):
        for cell in row:
            if cell.value == "科目名称":
                return int(cell.column)
    raise AssertionError(f"{src.title}: no 科目名称 header")


def _national_hierarchy(src, ws) -> None:
    """One of 02/03/05/07/08 with 类/款/项 in three columns, amounts as text, 05's 合计 last."""
    heads_text = ("项目", "功能分类科目编码", "功能分类\n科目编码", "栏次", "类")
    header_rows = [r for r in range(4, src.max_row + 1) if src.cell(r, 1).value in heads_text]
    heads = max(header_rows) + 1
    width = src.max_column
    name_col = _name_col(src)
    shift = 4 - name_col  # the source's first amount column lands in E, after 类、款、项 and the name
    ws.append([src["A1"].value])
    ws.append(["部门：武汉市青山区融媒体中心", *[None] * (width + 1), "单位：万元"])
    ws.append(["项目"])
    ws.append(["科目编码", None, None, "科目名称"])
    ws.append(["类", "款", "项"])
    ws.merge_cells("A3:D3")
    ws.merge_cells("A4:C4")
    ws.merge_cells("D4:D5")
    for c in range(name_col + 1, width + 1):
        top, sub, at = src.cell(4, c).value, src.cell(5, c).value, c + shift
        if top and not sub:  # one column: its header over the three header rows
            ws.cell(3, at, top)
            ws.merge_cells(start_row=3, start_column=at, end_row=5, end_column=at)
            continue
        if top:  # a group (本年支出) over the columns that follow without a header of their own
            last = c
            while last + 1 <= width and not src.cell(4, last + 1).value and src.cell(5, last + 1).value:
                last += 1
            ws.cell(3, at, top)
            if last > c:
                ws.merge_cells(start_row=3, start_column=at, end_row=3, end_column=last + shift)
        ws.cell(4, at, sub)
        ws.merge_cells(start_row=4, start_column=at, end_row=5, end_column=at)
    total, body = None, []
    for r in range(heads, src.max_row + 1):
        code = str(src.cell(r, 1).value or "")
        amounts = [_money(src.cell(r, c).value) for c in range(name_col + 1, width + 1)]
        if code == "合计":
            total = ["合计", None, None, None, *amounts]
        elif code.isdigit():
            parts = [int(code[:3]), int(code[3:5]) if len(code) > 3 else None, int(code[5:]) if len(code) > 5 else None]
            body.append([*parts, src.cell(r, name_col).value, *amounts])
        else:
            break
    rows = [*body, total] if src["A1"].value.endswith("一般公共预算财政拨款支出决算表") else [total, *body]
    for row in rows:
        ws.append(row)
    ws.append(["注：本表反映部门本年度的情况。"])


def _scale_amounts(ws) -> None:
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, float) or (isinstance(cell.value, int) and cell.number_format == "0.00"):
                cell.value = _money(cell.value)


def national_workbook(exported: bytes) -> openpyxl.Workbook:
    src = openpyxl.load_workbook(io.BytesIO(exported))
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in [f"公开{t}" for t in TABLES]:
        if name in HIER:
            _national_hierarchy(src[name], wb.create_sheet(f"表{name[-2:]}"))
        else:
            old, ws = src[name], wb.create_sheet(f"表{name[-2:]}")
            _scale_amounts(old)
            for row in old.iter_rows():  # values and merged ranges, as laid out
                for cell in row:
                    if cell.value is not None:
                        ws.cell(cell.row, cell.column, cell.value)
            for rng in old.merged_cells.ranges:
                ws.merge_cells(str(rng))
    return wb


def _set(wb: openpyxl.Workbook, sheet: str, row_label: str, col: int, value: str) -> None:
    ws = wb[sheet]
    for r in range(1, ws.max_row + 1):
        if any(str(ws.cell(r, c).value or "").replace("、", "").endswith(row_label) for c in (1, 4)) or \
                ws.cell(r, 1).value == row_label:  # fmt: skip
            ws.cell(r, col).value = value
            return
    raise AssertionError(f"{sheet}: no row {row_label}")


def test_national_layout_with_rounding_differences_checks_with_warnings_and_builds(tmp_path, exported):
    wb = national_workbook(exported)
    ws05 = wb["表05"]
    assert ws05.cell(ws05.max_row - 1, 1).value == "合计"  # 合计 at the bottom
    assert wb["表03"]["E7"].value == "4,376.80" and wb["表03"]["H7"].value == "0.00"  # separators and 0.00
    # 尾数: the 决算 software rounds each printed cell from 元 on its own.
    _set(wb, "表05", "合计", 6, "4,096.29")  # 05 基本支出 合计: 0.01 below its 项 (4096.30)
    _set(wb, "表06", "人员经费合计", 3, "3,920.41")  # 06: 0.01 above its items (3920.40)
    _set(wb, "表01", "一般公共服务支出", 6, "4,376.79")  # 总表 class rows forced 0.01 away from 03/05
    _set(wb, "表01", "卫生健康支出", 6, "411.59")
    book = save(wb, tmp_path / "national.xlsx")
    out = tmp_path / "national.yaml"
    result = CliRunner().invoke(main, ["import-tables", str(book), "-o", str(out)])
    assert result.exit_code == 0, result.output
    checked = pipeline.check(out)
    assert not checked.errors, show(checked.findings)
    assert checked.model.unit == "万元" and checked.figures.tables["03"].get("合计", "基本支出") == D("4096.30")
    by_rule: dict[str, list] = {}
    for f in checked.findings:
        by_rule.setdefault(f.rule, []).append(f)
    # Each forced class row: one warning, with the printed figure and 03's.
    klass = next(f for f in by_rule["declared-rounding"] if f.path == "核对数.公开01.201.金额")
    assert klass.severity is Severity.WARNING
    assert "4376.79" in klass.message and "公开03表该类本年支出合计 4376.80" in klass.message
    assert "01-03-类" not in by_rule  # the same difference, not reported twice
    [sums] = by_rule["01-类合计"]  # two forced rows: 01's classes no longer add up to its 本年支出合计
    assert "5371.20" in sums.message and "5371.18" in sums.message and "相差 0.02" in sums.message
    assert "两方分别由 10 个和 10 个万元数相加" in sums.message
    [econ] = by_rule["06-05-基本支出"]
    assert econ.severity is Severity.WARNING and "4096.29" in econ.message and "4096.31" in econ.message
    for f in checked.findings:
        assert "相差 0）" not in f.message and "相差 0，" not in f.message, f.format()
    # One warning per difference: the three printed totals (05 基本支出, 06 人员经费, two 01 classes)
    # each once; 06 against 05; 05's 合计 against its classes; 01's classes against its 合计.
    figures = {r: len(v) for r, v in by_rule.items() if not r.startswith(("原因", "missing"))}
    want = {"declared-rounding": 4, "06-05-基本支出": 1, "05-层级": 1, "01-类合计": 1}
    assert figures == want, show(checked.findings)
    # What tables cannot give, the unit writes before publishing (a placeholder blocks a final build):
    # here the 绩效 texts the 说明 states.
    blank = "  管理工作开展情况:\n  整体自评结论:\n  结果应用情况:\n"
    texts = "  管理工作开展情况: 已开展绩效自评。\n  整体自评结论: 达到预期目标。\n  结果应用情况: 用于下年预算编制。\n"
    data = out.read_text(encoding="utf-8")
    assert data.count(blank) == 1
    duties = re.compile(r"^  主要职能: .*$", re.M)
    assert len(duties.findall(data)) == 1
    data = duties.sub("  主要职能: 负责本区新闻宣传工作。", data.replace(blank, texts))
    out.write_text(data, encoding="utf-8")
    built = CliRunner().invoke(main, ["build", str(out), "--format", "docx", "-o", str(tmp_path / "doc")])
    assert built.exit_code == 0, built.output  # without --draft
    assert list((tmp_path / "doc").rglob("*.docx"))


def test_total_class_row_beyond_rounding_is_an_error_with_both_figures(tmp_path, exported):
    wb = national_workbook(exported)
    _set(wb, "表01", "一般公共服务支出", 6, "4,376.20")
    checked = imported(tmp_path, wb)
    # Beyond 尾数误差 the printed class row is not taken: the error names it and 03's figure.
    f = next(f for f in checked.findings if f.path == "核对数.公开01.201.金额")
    assert f.rule == "declared-mismatch" and f.severity is Severity.ERROR
    assert "4376.20" in f.message and "公开03表该类本年支出合计 4376.80" in f.message


def test_yuan_workbook_is_exact(tmp_path, exported):
    wb = tables_only(exported)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "金额单位：万元" in cell.value:
                    cell.value = "金额单位：元"
    checked = imported(tmp_path, wb)
    assert checked.model.unit == "元"
    assert not checked.errors, show(checked.findings)


def test_the_national_profiles_own_workbook_imports_with_a_year(tmp_path, sample_checked):
    """national-2024 prints titles without a year, 01/04 without 行次, 06 in two columns, 09 item by item."""
    national = load_profile("national-2024")
    book = tmp_path / "national-2024.xlsx"
    book.write_bytes(export_workbook(sample_checked.figures, national))
    with pytest.raises(InputError) as caught:
        import_tables(book)
    assert "--year" in str(caught.value)
    out = tmp_path / "n.yaml"
    out.write_text(import_tables(book, year=2023), encoding="utf-8")
    checked = pipeline.check(out)
    assert not checked.errors, show(checked.findings)
    for tid in TABLES:
        assert [r.values for r in checked.figures.tables[tid].rows] == [
            r.values for r in sample_checked.figures.tables[tid].rows
        ], tid


def test_a_local_code_typed_as_a_number_keeps_its_awkward_name(tmp_path, exported):
    """A code outside the catalog becomes a 自定义科目; its name is quoted, never pasted into the YAML."""
    wb = tables_only(exported)
    awkward = '本地: "科目" #1\n第二行'
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == "2101199":
                    cell.value = 2101198
                    ws.cell(cell.row, _name_col(ws)).value = awkward
    checked = imported(tmp_path, wb)
    assert not checked.errors, show(checked.findings)
    assert checked.model.custom_names["2101198"] == awkward
    assert checked.figures.tables["05"].row("2101198").get("小计") == D("1.60")
