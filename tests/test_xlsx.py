"""Excel workbooks: export (tables as published + every input fact) and import back to YAML.

The round trip YAML → workbook → YAML must give the same model, tables, narrative figures and
document. Each spreadsheet problem of BAD_INPUTS.md ("Spreadsheets", "Numbers") is a real
payload built here with openpyxl or zipfile, and must give a located Chinese finding or be
handled safely, never a traceback or a hang.
"""

from __future__ import annotations

import dataclasses
import io
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from figurecheck import compare, docx_text, reference
from yujuesuan import pipeline
from yujuesuan.compose import compose
from yujuesuan.errors import Findings, InputError, Location, Severity
from yujuesuan.profiles import load_profile
from yujuesuan.render.docx import render_docx
from yujuesuan.workflows.xlsx import export_workbook, import_workbook, layout
from yujuesuan.workflows.xlsx.safety import MAX_ENTRIES, MAX_UNPACKED_BYTES

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def profile():
    return load_profile("wuhan")


@pytest.fixture(scope="module")
def exported(sample_checked: pipeline.Checked, profile) -> bytes:
    return export_workbook(sample_checked.figures, profile)


def edit(data: bytes, change: Callable[[openpyxl.Workbook], None]) -> bytes:
    """``data`` after ``change`` on the workbook, saved again by openpyxl."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def patch_part(data: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    """``data`` with one zip entry rewritten (for what openpyxl cannot write: cached values, DTDs)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            dst.writestr(info.filename, change(content) if info.filename == part else content)
    return out.getvalue()


def sheet_part(data: bytes, title: str) -> str:
    """The zip entry of a worksheet in a workbook saved by openpyxl (sheet1.xml … in tab order)."""
    names = openpyxl.load_workbook(io.BytesIO(data), read_only=True).sheetnames
    return f"xl/worksheets/sheet{names.index(title) + 1}.xml"


def item_cell(ws, code: str, group: str, name: str = "") -> tuple[int, int]:
    """(row, column) of one 科目明细 figure."""
    column = [(g, n) for g, n, _ in layout.ITEM_COLUMNS].index((group, name)) + 1
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value == code)
    return row, column


def kv_row(ws, *key: str) -> int:
    """The row of a key/value field."""
    for r in range(2, ws.max_row + 1):
        if (ws.cell(r, 1).value, ws.cell(r, 2).value)[: len(key)] == key and (len(key) > 1 or not ws.cell(r, 2).value):
            return r
    raise KeyError(key)


def run_import(tmp_path: Path, data: bytes, name: str = "unit.xlsx") -> tuple[str, Findings, Path]:
    path = tmp_path / name
    path.write_bytes(data)
    findings = Findings()
    return import_workbook(path, findings), findings, path


def import_error(tmp_path: Path, data: bytes, name: str = "unit.xlsx") -> tuple[list, Path]:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        import_workbook(path)
    return info.value.findings, path


def errors_of(findings: list) -> list:
    return [f for f in findings if f.severity is Severity.ERROR]


def check_yaml(tmp_path: Path, text: str, name: str = "imported.yaml") -> pipeline.Checked:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return pipeline.check(path)


def same_model(a: pipeline.Checked, b: pipeline.Checked) -> None:
    left = dataclasses.replace(a.model, source="", locs={})
    right = dataclasses.replace(b.model, source="", locs={})
    for f in dataclasses.fields(left):
        assert getattr(left, f.name) == getattr(right, f.name), f.name


# --------------------------------------------------------------------------- export


def test_export_is_byte_identical_with_fixed_times(sample_checked, profile, exported):
    assert export_workbook(sample_checked.figures, profile) == exported
    zf = zipfile.ZipFile(io.BytesIO(exported))
    assert zf.namelist()[0] == "[Content_Types].xml"
    assert {info.date_time for info in zf.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    core = zf.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:\w+[^>]*>([^<]*)<", core) == ["2000-01-01T00:00:00Z"] * 2


def test_sheets_are_the_tables_then_the_facts(exported):
    wb = openpyxl.load_workbook(io.BytesIO(exported))
    assert wb.sheetnames == [*(f"公开{n:02d}" for n in range(1, 10)), *layout.FACT_SHEETS]


@pytest.mark.parametrize("table_id", [f"{n:02d}" for n in range(1, 10)])
def test_table_sheets_are_laid_out_as_the_document(sample_checked, profile, exported, table_id):
    """Title, number, unit line, the builders' merged header and body, amounts as 0.00 numbers, notes."""
    doc = compose(sample_checked.figures, profile)
    table = next(b for b in doc.blocks if getattr(b, "id", "") == f"公开{table_id}")
    ws = openpyxl.load_workbook(io.BytesIO(exported))[f"公开{table_id}"]
    assert ws["A1"].value == table.title
    assert ws["A2"].value == table.number
    assert ws["A3"].value == table.unit_left == "部门：武汉市青山区融媒体中心"
    assert ws.cell(3, table.columns).value == "金额单位：万元"
    merged = {str(r) for r in ws.merged_cells.ranges}
    header, body = table.header, table.body  # as composed with the profile's conventions (类/款/项 level …)
    taken: set[tuple[int, int]] = set()
    for i, cells in enumerate((*header, *body)):
        row, col, in_body = 4 + i, 1, i >= len(header)
        for cell in cells:
            while (row, col) in taken:
                col += 1
            target = ws.cell(row, col)
            if in_body and cell.align == "right":
                assert target.value == (float(cell.text) if cell.text else None)
                assert not cell.text or target.number_format == "0.00"
            else:
                assert (str(target.value) if target.value is not None else "") == cell.text
            if cell.colspan > 1 or cell.rowspan > 1:
                last = ws.cell(row + cell.rowspan - 1, col + cell.colspan - 1)
                assert f"{target.coordinate}:{last.coordinate}" in merged
            taken |= {(row + r, col + c) for r in range(cell.rowspan) for c in range(cell.colspan)}
            col += cell.colspan
    first_note = 4 + len(header) + len(body)
    notes = [ws.cell(r, 1).value for r in range(first_note, ws.max_row + 1)]
    assert notes == [*table.notes, *([table.empty_sentence] if table.empty_sentence else [])]


def test_table_amounts_are_numbers_and_zero_is_blank(exported):
    ws = openpyxl.load_workbook(io.BytesIO(exported))["公开03"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "2101102")
    # the code spans the three 类/款/项 columns A–C, the name is D, the amounts start at E
    assert [ws.cell(row, c).value for c in range(5, 8)] == [0.12, None, 0.12]
    total = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "合计")
    assert ws.cell(total, 5).value == 537.12 and ws.cell(total, 5).number_format == "0.00"
    assert ws.cell(total, 7).value == 127.49


def test_fact_sheets_hold_the_leaves_in_the_files_unit(exported):
    wb = openpyxl.load_workbook(io.BytesIO(exported))
    ws = wb["科目明细"]
    r, c = item_cell(ws, "2013350", "支出", "项目支出")
    assert ws.cell(r, c).value == 124.4 and ws.cell(r, c).number_format == "0.00"
    assert ws.cell(r, 2).value == "一般公共服务支出 / 宣传事务 / 事业运行"
    r, c = item_cell(ws, "2101102", "年初预算")
    assert ws.cell(r, c).value == 0  # an explicit 0 stays, unlike a blank
    unit = wb["单位"]
    assert unit.cell(kv_row(unit, "金额单位"), 3).value == "万元"
    assert unit.cell(kv_row(unit, "咨询电话"), 3).value == "68865800"  # text, as in the file


# --------------------------------------------------------------------------- round trip


def test_round_trip_gives_the_same_model_tables_facts_and_document(tmp_path, sample_checked, profile, exported):
    text, findings, _ = run_import(tmp_path, exported)
    assert findings.items == []
    assert text.startswith("# 武汉市青山区融媒体中心 2023 年度部门决算 —— yujuesuan 输入文件")
    assert '  "2013350":   # 一般公共服务支出 / 宣传事务 / 事业运行' in text
    again = check_yaml(tmp_path, text)
    assert again.findings == [] and again.ok
    same_model(sample_checked, again)
    assert again.figures.tables == sample_checked.figures.tables
    assert again.figures.facts == sample_checked.figures.facts
    original = compose(sample_checked.figures, profile)
    rebuilt = compose(again.figures, profile)
    assert rebuilt.text() == original.text()
    # The workbook of the imported file is the workbook we started from.
    assert export_workbook(again.figures, profile) == exported


def test_round_tripped_docx_reproduces_every_reference_figure(tmp_path, profile, exported):
    text, _, _ = run_import(tmp_path, exported)
    checked = check_yaml(tmp_path, text)
    docx = render_docx(compose(checked.figures, profile), profile.find("reference.docx"))
    result = compare(docx_text(docx), reference("qingshan-2023-juesuan.txt"))
    assert (result.reproduced, result.reference) == (345, 345), result.summary()


def test_round_trip_keeps_awkward_texts_declared_totals_and_custom_names(tmp_path, sample_text, profile):
    """Texts that YAML or Excel could misread, 核对数 and 自定义科目 survive the trip."""
    text = sample_text.replace('  咨询电话: "68865800"', '  咨询电话: "=027-68865800 #1"')
    text = text.replace(
        "  收支总计变动原因: 本年有新进人员及人员经费的正常增加",
        '  收支总计变动原因: "原因: 见\\"附表\\" #2, [a] {b}\\n第二行\\t制表"',
    )
    text = text.replace('偏差原因: ""\n    改进措施: ""', '偏差原因: "yes"\n    改进措施: "012"')
    text += "\n核对数:\n  公开03:\n    合计: {本年支出合计: 537.12, 基本支出: 409.63}\n"
    text += "  公开01:\n    本年收入合计: 537.12\n"
    text += '\n自定义科目:\n  "30299": 其他商品和服务支出（本地）\n'
    first = check_yaml(tmp_path, text, "awkward.yaml")
    assert first.ok, [f.format() for f in first.findings]
    data = export_workbook(first.figures, profile)
    imported, findings, _ = run_import(tmp_path, data)
    assert findings.items == []
    assert "核对数:" in imported and "自定义科目:" in imported
    again = check_yaml(tmp_path, imported)
    assert again.ok, [f.format() for f in again.findings]
    same_model(first, again)
    assert again.figures.tables == first.figures.tables
    assert compose(again.figures, profile).text() == compose(first.figures, profile).text()


# --------------------------------------------------------------------------- spreadsheet problems


def test_formula_without_cached_value_is_an_error_never_zero(tmp_path, exported):
    def change(wb):
        ws = wb["科目明细"]
        r, c = item_cell(ws, "2080505", "收入", "一般公共预算财政拨款")
        ws.cell(r, c).value = "=10+11.35"  # openpyxl saves the formula without a cached value

    data = edit(exported, change)
    findings, path = import_error(tmp_path, data)
    r, c = item_cell(openpyxl.load_workbook(io.BytesIO(data))["科目明细"], "2080505", "收入", "一般公共预算财政拨款")
    [error] = errors_of(findings)
    assert error.rule == "xlsx-formula"
    assert error.location == Location(f"{path}!科目明细", r, c)
    assert "请用 Excel 打开并保存该文件后再导入" in error.message


def test_formula_with_cached_value_reads_the_value(tmp_path, exported):
    def change(wb):
        ws = wb["科目明细"]
        r, c = item_cell(ws, "2080505", "收入", "一般公共预算财政拨款")
        ws.cell(r, c).value = "=10+11.35"

    data = edit(exported, change)
    # What Excel writes after a save: the formula and its cached result (binary noise included).
    data = patch_part(data, sheet_part(data, "科目明细"), lambda x: x.replace(b"<v></v>", b"<v>21.349999999999998</v>"))
    text, findings, _ = run_import(tmp_path, data)
    assert findings.items == []
    assert "    收入: {一般公共预算财政拨款: 21.35}" in text


def test_error_value_cell_is_an_error(tmp_path, exported):
    def change(wb):
        ws = wb["科目明细"]
        r, c = item_cell(ws, "2080505", "收入", "一般公共预算财政拨款")
        ws.cell(r, c).value = "=1/0"

    data = edit(exported, change)
    data = patch_part(
        data,
        sheet_part(data, "科目明细"),
        lambda x: re.sub(
            rb'<c r="([A-Z]+\d+)"[^>]*><f>1/0</f><v></v></c>', rb'<c r="\1" t="e"><f>1/0</f><v>#DIV/0!</v></c>', x
        ),
    )
    findings, _ = import_error(tmp_path, data)
    assert [f.rule for f in errors_of(findings)] == ["xlsx-error-value"]
    assert "#DIV/0!" in errors_of(findings)[0].message


@pytest.mark.parametrize(
    ("typed", "read", "note"),
    [
        ("４３７．６８", "437.68", "全角字符改为半角"),
        ("437.68", "437.68", "以文本形式存储"),
        (" 437.68 ", "437.68", "以文本形式存储"),
        ("437.68万元", "437.68", "去掉单位“万元”"),
    ],
)
def test_numbers_stored_as_text_are_read_with_a_warning(tmp_path, exported, typed, read, note):
    def change(wb):
        ws = wb["科目明细"]
        r, c = item_cell(ws, "2013350", "收入", "一般公共预算财政拨款")
        ws.cell(r, c).value = typed

    text, findings, path = run_import(tmp_path, edit(exported, change))
    [warning] = findings.items
    assert warning.severity is Severity.WARNING and warning.rule == "xlsx-number-as-text"
    assert warning.location.file == f"{path}!科目明细" and warning.location.column == 3
    assert note in warning.message
    assert f"    收入: {{一般公共预算财政拨款: {read}}}" in text
    assert "# 导入时的提示（请逐条核对）：" in text and "以文本形式存储" in text
    assert check_yaml(tmp_path, text).ok


def test_thousands_separators_in_a_yuan_workbook(tmp_path, exported):
    def change(wb):
        wb["单位"].cell(kv_row(wb["单位"], "金额单位"), 3).value = "元"
        ws = wb["科目明细"]
        r, c = item_cell(ws, "2013350", "年初预算")
        ws.cell(r, c).value = "4,266,800.00"

    text, findings, _ = run_import(tmp_path, edit(exported, change))
    assert "    年初预算: 4266800.00" in text
    assert any("去掉千位分隔符" in f.message for f in findings.items)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "应为金额"),
        ("-5", "不能为负数"),
        ("(1,234)", "会计格式的负数"),
        ("1e5", "科学计数法"),
        ("12.3456789", "最多六位小数"),
    ],
)
def test_bad_amount_text_is_a_located_error(tmp_path, exported, typed, message):
    def change(wb):
        ws = wb["科目明细"]
        r, c = item_cell(ws, "2013350", "支出", "基本支出")
        ws.cell(r, c).value = typed

    findings, path = import_error(tmp_path, edit(exported, change))
    [error] = errors_of(findings)
    assert error.location.file == f"{path}!科目明细" and error.location.column == 11
    assert message in error.message


def test_negative_number_cell_is_an_error(tmp_path, exported):
    def change(wb):
        ws = wb["科目明细"]
        r, c = item_cell(ws, "2013350", "支出", "基本支出")
        ws.cell(r, c).value = -313.28

    findings, _ = import_error(tmp_path, edit(exported, change))
    assert "不能为负数" in errors_of(findings)[0].message


def test_percentage_stored_as_a_fraction_reads_as_the_percentage_shown(tmp_path, exported):
    def change(wb):
        ws = wb["绩效指标"]
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 7).value == "100%")
        ws.cell(row, 7).value, ws.cell(row, 7).number_format = 1, "0%"  # Excel's 100%
        ws.cell(row, 8).value, ws.cell(row, 8).number_format = 0.955, "0.0%"

    text, findings, _ = run_import(tmp_path, edit(exported, change))
    assert sorted(f.rule for f in findings.items) == ["xlsx-percent", "xlsx-percent"]
    assert '目标值: "100%", 实际值: "95.5%"' in text


def test_amount_in_percent_format_is_an_error(tmp_path, exported):
    def change(wb):
        ws = wb["政府采购"]
        cell = ws.cell(kv_row(ws, "货物"), 3)
        cell.value, cell.number_format = 0.5, "0%"

    findings, _ = import_error(tmp_path, edit(exported, change))
    [error] = errors_of(findings)
    assert "百分比格式" in error.message and error.location.file.endswith("!政府采购")


def test_merged_cells_read_their_top_left_value(tmp_path, exported, sample_checked):
    """一级 merged down the rows of a project, as in the published 绩效 tables: each row reads it."""

    def change(wb):
        ws = wb["绩效指标"]
        rows = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "2023年公务员医疗补助经费"]
        assert [ws.cell(r, 4).value for r in rows[:3]] == ["产出指标"] * 3
        for r in rows[1:3]:
            ws.cell(r, 4).value = None
        ws.merge_cells(start_row=rows[0], start_column=4, end_row=rows[2], end_column=4)

    text, findings, _ = run_import(tmp_path, edit(exported, change))
    assert findings.items == []
    again = check_yaml(tmp_path, text)
    assert again.figures.facts == sample_checked.figures.facts


def test_merged_header_cells_may_be_unmerged_and_written_once(tmp_path, exported, sample_checked):
    def change(wb):
        ws = wb["科目明细"]
        for rng in [r for r in ws.merged_cells.ranges if r.min_row == 2]:
            ws.unmerge_cells(str(rng))

    text, _, _ = run_import(tmp_path, edit(exported, change))
    assert check_yaml(tmp_path, text).figures.tables == sample_checked.figures.tables


def test_a_stray_far_away_cell_is_ignored_quickly(tmp_path, exported, sample_checked):
    def change(wb):
        wb["科目明细"]["XFD1048576"] = 1
        wb["单位"]["XFD1048576"] = "x"

    data = edit(exported, change)
    start = time.perf_counter()
    text, findings, path = run_import(tmp_path, data)
    assert time.perf_counter() - start < 10
    assert [f.rule for f in findings.items] == ["xlsx-stray", "xlsx-stray"]
    assert findings.items[0].location == Location(f"{path}!单位", 1048576, 16384)
    assert check_yaml(tmp_path, text).figures.tables == sample_checked.figures.tables


def test_a_huge_merged_range_is_refused_before_openpyxl(tmp_path, exported):
    part = sheet_part(exported, "单位")

    def add_merge(xml: bytes) -> bytes:
        assert b"<mergeCells" not in xml
        huge = b'<mergeCells count="1"><mergeCell ref="E1:XFD1048576"/></mergeCells>'
        return xml.replace(b"</sheetData>", b"</sheetData>" + huge)

    start = time.perf_counter()
    findings, _ = import_error(tmp_path, patch_part(exported, part, add_merge))
    assert time.perf_counter() - start < 10
    assert [f.rule for f in findings] == ["xlsx-merge"]


def test_unit_mismatch_with_the_declared_totals_is_warned(tmp_path, exported):
    """单位 says 万元 but the 核对数 were copied in 元: a factor of 10,000."""

    def change(wb):
        ws = wb["核对数"]
        ws.append(["公开03", "合计", "本年支出合计", 5371200])
        ws.append(["公开01", "本年收入合计", None, 537.12])

    text, findings, path = run_import(tmp_path, edit(exported, change))
    [warning] = findings.items
    assert warning.rule == "unit-mixup" and warning.location == Location(f"{path}!核对数", 3, 4)
    assert "10000 倍" in warning.message
    assert "核对数:\n  公开03:\n    合计: {本年支出合计: 5371200.00}\n  公开01:\n    本年收入合计: 537.12" in text
    checked = check_yaml(tmp_path, text)
    assert [f.rule for f in checked.errors] == ["declared-mismatch"]  # check compares them


def test_matching_declared_totals_pass_the_check(tmp_path, exported):
    def change(wb):
        wb["核对数"].append(["公开05", "合计", "基本支出", 409.63])

    text, findings, _ = run_import(tmp_path, edit(exported, change))
    assert findings.items == []
    assert check_yaml(tmp_path, text).ok


def test_zip_bomb_is_refused_before_openpyxl(tmp_path, exported):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as zf:
        src = zipfile.ZipFile(io.BytesIO(exported))
        for name in src.namelist():
            zf.writestr(name, src.read(name))
        zf.writestr("xl/media/padding.bin", b"\0" * (MAX_UNPACKED_BYTES + 1))
    assert len(data.getvalue()) < 1_000_000  # a small file that inflates past the cap
    findings, _ = import_error(tmp_path, data.getvalue())
    assert [f.rule for f in findings] == ["xlsx-bomb"] and "压缩炸弹" in findings[0].message


def test_too_many_zip_entries_are_refused(tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zf:
        for i in range(MAX_ENTRIES + 1):
            zf.writestr(f"x/{i}.xml", b"<a/>")
    findings, _ = import_error(tmp_path, data.getvalue())
    assert [f.rule for f in findings] == ["xlsx-bomb"]


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b"]>"
)


def entity_bomb(xml: bytes) -> bytes:
    """The sheet with a billion-laughs DTD, and its 年度 cell expanding the top entity."""
    body = xml.split(b"?>", 1)[-1]
    assert b"<v>2023</v>" in body
    return BILLION_LAUGHS + body.replace(b"<v>2023</v>", b"<v>&lol9;</v>", 1)


def test_xml_entity_bomb_is_refused(tmp_path, exported):
    part = sheet_part(exported, "单位")
    data = patch_part(exported, part, entity_bomb)
    findings, _ = import_error(tmp_path, data)
    assert [f.rule for f in findings] == ["xlsx-dtd"]


def test_openpyxl_itself_refuses_entities_through_defusedxml(tmp_path, exported, monkeypatch):
    """Defence in depth: past our pre-check, openpyxl's parser (defusedxml) still refuses the bomb."""
    from yujuesuan.workflows.xlsx import importer

    assert openpyxl.DEFUSEDXML is True
    data = patch_part(exported, sheet_part(exported, "单位"), entity_bomb)
    monkeypatch.setattr(importer, "check_package", lambda data, name: None)
    findings, _ = import_error(tmp_path, data)
    assert [f.rule for f in findings] == ["xlsx-dtd"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"not a zip at all", "不是有效的 .xlsx 文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "旧版 .xls"),
        (b"PK\x03\x04 truncated", "不是有效的 .xlsx 文件"),
    ],
)
def test_files_that_are_not_xlsx(tmp_path, payload, message):
    findings, path = import_error(tmp_path, payload)
    assert message in findings[0].message and findings[0].location == Location(str(path))


def test_a_zip_that_is_not_a_workbook(tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zf:
        zf.writestr("hello.txt", "hi")
    findings, _ = import_error(tmp_path, data.getvalue())
    assert findings[0].rule == "xlsx-format"


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="找不到这个文件"):
        import_workbook(tmp_path / "nope.xlsx")


def test_missing_required_sheet(tmp_path, exported):
    findings, _ = import_error(tmp_path, edit(exported, lambda wb: wb.remove(wb["科目明细"])))
    assert [f.rule for f in errors_of(findings)] == ["xlsx-sheet"]
    assert "缺少工作表“科目明细”" in findings[0].message


def test_unknown_field_and_unknown_sheet(tmp_path, exported):
    def change(wb):
        ws = wb["单位"]
        ws.cell(kv_row(ws, "咨询电话"), 1).value = "咨讯电话"
        wb.create_sheet("草稿")

    findings, path = import_error(tmp_path, edit(exported, change))
    [error] = errors_of(findings)
    assert error.rule == "unknown-key" and "是否应为“咨询电话”" in error.message
    assert error.location.file == f"{path}!单位"
    assert any(f.rule == "xlsx-sheet" and "草稿" in f.message for f in findings)


def test_bad_codes_and_duplicate_rows(tmp_path, exported):
    def change(wb):
        ws = wb["科目明细"]
        ws.cell(5, 1).value = "2013350"  # a second row for 2013350
        ws.cell(6, 1).value = "20801"  # not a 项
        wb["经济分类"].cell(4, 1).value = "3010"

    findings, _ = import_error(tmp_path, edit(exported, change))
    messages = [f.message for f in errors_of(findings)]
    assert any("出现了两行" in m for m in messages)
    assert any("“20801”不是项级（7 位）功能分类科目编码" in m for m in messages)
    assert any("“3010”不是款级（5 位）经济分类科目编码" in m for m in messages)


def test_codes_typed_as_numbers_are_read_as_codes(tmp_path, exported, sample_checked):
    def change(wb):
        ws = wb["科目明细"]
        for r in range(4, ws.max_row + 1):
            ws.cell(r, 1).value = int(ws.cell(r, 1).value)

    text, findings, _ = run_import(tmp_path, edit(exported, change))
    assert findings.items == []
    assert check_yaml(tmp_path, text).figures.tables == sample_checked.figures.tables


def test_indicator_owner_must_exist_and_scores_are_required(tmp_path, exported):
    def change(wb):
        ws = wb["绩效指标"]
        ws.cell(3, 1).value = "不存在的项目"
        ws.cell(4, 9).value = None

    findings, _ = import_error(tmp_path, edit(exported, change))
    messages = sorted(f.message for f in errors_of(findings))
    assert any("“所属”应为“整体”或“绩效项目”表中的项目名称" in m for m in messages)
    assert any("没有填“得分”" in m for m in messages)


def test_control_characters_in_a_text_are_refused(tmp_path, exported):
    def change(wb):
        ws = wb["概况"]
        ws.cell(2, 3).value = "（一）_x001B_负责宣传。"  # how Excel stores U+001B

    findings, path = import_error(tmp_path, edit(exported, change))
    [error] = errors_of(findings)
    assert error.rule == "text" and "U+001B" in error.message
    assert error.location == Location(f"{path}!概况", 2, 3)


def test_export_refuses_to_drop_a_fact_it_cannot_carry(sample_checked, profile, monkeypatch):
    """A field the fact sheets lack (simulated here) stops the export with its name."""
    from yujuesuan.workflows.xlsx import export as export_module

    real = export_module.kv_values

    def without_note(figures, sheet):
        return [row for row in real(figures, sheet) if row[1] != ("说明",)]

    monkeypatch.setattr(export_module, "kv_values", without_note)
    with pytest.raises(InputError, match=r"机关运行经费\.说明"):
        export_workbook(sample_checked.figures, profile)
    assert export_workbook(sample_checked.figures, profile, check_complete=False)


def test_merged_amount_cells_count_once_with_a_warning(tmp_path, exported):
    def change(wb):
        ws = wb["科目明细"]
        r, c = item_cell(ws, "2013350", "支出", "基本支出")
        ws.cell(r, c + 1).value = None
        ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + 1)

    text, findings, _ = run_import(tmp_path, edit(exported, change))
    [warning] = findings.items
    assert warning.rule == "xlsx-merged" and "只计入左上角" in warning.message
    assert "    支出: {基本支出: 313.28}" in text  # 项目支出 is no longer typed: check then reports the imbalance


def test_too_many_cells_are_refused_before_openpyxl(tmp_path, exported):
    filler = b"".join(b'<row r="%d"><c r="A%d"/><c r="B%d"/></row>' % (r, r, r) for r in range(9000, 109_001))
    data = patch_part(
        exported, sheet_part(exported, "概况"), lambda x: x.replace(b"</sheetData>", filler + b"</sheetData>")
    )
    findings, _ = import_error(tmp_path, data)
    assert [f.rule for f in findings] == ["xlsx-size"] and "单元格超过" in findings[0].message


def test_a_group_label_written_once_covers_its_rows(tmp_path, exported, sample_checked):
    """In a key/value sheet, 项目 may be written only on the first of its 明细 rows (or merged over them)."""

    def change(wb):
        ws = wb["结转结余"]
        first = kv_row(ws, "年末财政拨款结转和结余", "一般公共预算")
        ws.cell(first + 1, 1).value = None
        ws.cell(first + 2, 1).value = None
        ws.cell(first + 2, 3).value = 0  # still explicit

    text, findings, _ = run_import(tmp_path, edit(exported, change))
    assert findings.items == []
    assert "  年末财政拨款结转和结余: {一般公共预算: 0, 政府性基金预算: 0, 国有资本经营预算: 0}" in text


def test_a_row_without_its_code_is_an_error(tmp_path, exported):
    def change(wb):
        ws = wb["科目明细"]
        ws.cell(ws.max_row + 1, 5).value = 12.5

    findings, path = import_error(tmp_path, edit(exported, change))
    [error] = errors_of(findings)
    assert "没有科目编码" in error.message and error.location.file == f"{path}!科目明细"


def test_warnings_with_line_breaks_stay_yaml_comments(tmp_path, exported, sample_checked):
    beyond = len(layout.ITEM_COLUMNS) + 5  # a column the sheet does not use

    def change(wb):
        wb["科目明细"].cell(3, beyond).value = "备注\n（不导入）"
        wb["科目明细"].cell(4, beyond).value = "说明"

    text, findings, _ = run_import(tmp_path, edit(exported, change))
    assert [f.rule for f in findings.items] == ["xlsx-column"]
    assert check_yaml(tmp_path, text).figures.tables == sample_checked.figures.tables


TRICKY_TEXTS = [
    "普通文字", "null", "~", "yes", "No", "true", "012", "1_000", "0x1F", "1e3", ".nan", "2024-01-02", "1:20",
    "- 列表", "? 问", ": 冒", "!tag", "&anchor", "*alias", "%指令", "@at", "`tick", "#注释", "文字 #不是注释",
    "键: 值", "结尾冒号:", "{a: 1}", "[1, 2]", "a,b", "'单引号'", '"双引号"', "中间的\"引号\"", "反斜杠\\n",
    "  前后空格  ", "制表\t符", "第一行\n第二行", "空行\n\n之后", "行尾空格 \n下一行", "\u00a0不间断", "全角：冒号",
    "😀 表情", "\u2028分隔", "＝3人次", "≥90%", "100%", "（1）编号", "---", "...",
]  # fmt: skip


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_yaml_scalars_keep_the_text_exactly(text):
    """Whatever a cell holds, the YAML written for it reads back as the same text (block, flow and key)."""
    from yujuesuan.input.load import parse_text
    from yujuesuan.workflows.xlsx.yamltext import flow_map, key, scalar, text_entry

    doc = "\n".join(
        [*text_entry(0, "块", text), f"流: {flow_map([('k', scalar(text, flow=True))])}", f"{key(text)}: 键"]
    )
    root = parse_text(doc + "\n", "t.yaml")
    assert root.items["块"].text.removesuffix("\n") == text  # a literal block (|) ends with a line break
    assert root.items["流"].items["k"].text == text
    assert text in root.items


def test_a_yuan_workbook_gives_the_same_document(tmp_path, exported, sample_checked, profile):
    """Every amount typed in 元 (×10,000) and the 单位 sheet saying 元: the document does not change."""
    from decimal import Decimal

    def times(cell) -> None:
        if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
            cell.value = float(Decimal(repr(cell.value)) * 10_000)

    def change(wb):
        for sheet, fields in layout.KV_SHEETS.items():
            ws = wb[sheet]
            for r in range(2, ws.max_row + 1):
                key = (ws.cell(r, 1).value, ws.cell(r, 2).value)
                kind = next((f.kind for f in fields if f.key == key[: len(f.key)] or f.key == (key[0], "*")), "")
                if kind == "amount":
                    times(ws.cell(r, 3))
        ws = wb["科目明细"]
        for c, (_, _, kind) in enumerate(layout.ITEM_COLUMNS, 1):
            for r in range(4, ws.max_row + 1):
                if kind == "amount":
                    times(ws.cell(r, c))
        for sheet, columns in layout.ROW_SHEETS.items():
            ws = wb[sheet]
            header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == columns[0][0])
            for c, (_, kind) in enumerate(columns, 1):
                for r in range(header + 1, ws.max_row + 1):
                    if kind == "amount":
                        times(ws.cell(r, c))
        unit = wb["单位"]
        unit.cell(kv_row(unit, "金额单位"), 3).value = "元"

    text, findings, _ = run_import(tmp_path, edit(exported, change))
    assert findings.items == []
    assert "    支出: {基本支出: 3132800, 项目支出: 1244000}" in text
    checked = check_yaml(tmp_path, text)
    assert checked.ok, [f.format() for f in checked.findings]
    assert compose(checked.figures, profile).text() == compose(sample_checked.figures, profile).text()
