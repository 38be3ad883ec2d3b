"""Import: an .xlsx workbook → the text of a leaf-only YAML input file.

The package is checked before openpyxl opens it (safety.py); the fact sheets
are read by name (layout.py), cell by cell, with every problem located as
``<file>!<sheet>:<row>:<column>``. Errors raise InputError together; warnings
(numbers stored as text, percentages stored as fractions, ignored cells) are
added to ``findings`` when given, and listed at the top of the YAML text.
"""

from __future__ import annotations

import io
import re
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from defusedxml import DefusedXmlException

from yujuesuan.catalog import load_catalog, nearest_year
from yujuesuan.errors import Finding, Findings, InputError, Location, Severity, UsageError
from yujuesuan.input.load import MAX_BYTES
from yujuesuan.kinds import installed_kinds
from yujuesuan.workflows.xlsx import layout
from yujuesuan.workflows.xlsx.crosscheck import check_units
from yujuesuan.workflows.xlsx.damage import find_damage
from yujuesuan.workflows.xlsx.data_sheet import DATA_SHEET, read_data_sheet
from yujuesuan.workflows.xlsx.read_facts import read_facts
from yujuesuan.workflows.xlsx.safety import check_package, read_file
from yujuesuan.workflows.xlsx.sheets import CellReader, Sheet, load_sheet
from yujuesuan.workflows.xlsx.to_yaml import Facts, render


def import_workbook(path: Path, findings: Findings | None = None) -> str:
    """The YAML input text of the workbook at ``path``; InputError (all errors, located) if it cannot be read.

    Warnings go to ``findings`` when it is given; they are also listed in the YAML's opening comment.
    """
    path = Path(path)
    return read_workbook(read_file(path), str(path), path.name, findings)


def read_workbook(data: bytes, name: str, title: str, findings: Findings | None = None) -> str:
    """As import_workbook, from the bytes of a workbook; ``name`` locates findings, ``title`` heads the YAML."""
    check_package(data, name)
    values, formulas = _open(data, name)
    found = Findings()
    if _tables_only(values, name):
        return _read_data(values, formulas, name, found, findings)
    sheets = _sheets(name, values, formulas, found)
    reader = CellReader(found)
    facts = Facts(title)
    if not found.errors:
        read_facts(reader, sheets, facts)
    text = ""
    if not found.errors:
        namer = _namer(facts)
        check_units(render(facts, namer), name, facts, found)
        facts.notes = [_note(f) for f in found.warnings]
        text = render(facts, namer)
        if len(text.encode("utf-8")) > MAX_BYTES:
            found.add("xlsx-size", f"导入的内容超过 {MAX_BYTES} 字节，不像是一个单位的决算数据。", Location(name))
    if findings is not None:
        findings.items.extend(found.items)
    if found.errors:
        raise InputError(sorted(found.items, key=_order))
    return text


def _tables_only(values: Any, name: str) -> bool:
    """Is this the workbook of a kind that exports its published tables and a 数据 sheet (the 部门预算)?

    Its category (export_document.py) names the kind; a copy saved by Excel or WPS keeps it. Without
    this, the missing fact sheets would be reported one by one, as if a 决算 workbook had lost them.
    """
    category = str(values.properties.category or "").strip()
    tables_only = [k for k in installed_kinds() if k.workbook == "tables" and k.title == category]
    if tables_only and DATA_SHEET not in values.sheetnames:
        title = tables_only[0].title
        raise UsageError(
            f"{name} 是{title}的工作簿，但没有“{DATA_SHEET}”表，不能导入。"
            f"请用 yujuesuan build --format xlsx 重新导出，或直接修改 YAML 数据文件。"
        )
    return bool(tables_only)


def _read_data(values: Any, formulas: Any, name: str, found: Findings, findings: Findings | None) -> str:
    """The data file the 数据 sheet lists; a formula there is refused (its value would be a cached copy)."""
    for row in formulas[DATA_SHEET].iter_rows(min_row=2, max_col=3):
        for cell in row:
            if cell.data_type == "f":
                where = Location(f"{name}!{DATA_SHEET}!{cell.coordinate}")
                found.add("xlsx-formula", "这里是公式：请填写数字或文字本身。", where)
    text = "" if found.errors else read_data_sheet(values[DATA_SHEET], name, found)
    if len(text.encode("utf-8")) > MAX_BYTES:
        found.add("xlsx-size", f"导入的内容超过 {MAX_BYTES} 字节，不像是一个单位的数据。", Location(name))
    if findings is not None:
        findings.items.extend(found.items)
    if found.errors:
        raise InputError(sorted(found.items, key=_order))
    return text


def _order(f: Finding) -> tuple[int, str, int, int]:
    return (f.severity is not Severity.ERROR, f.location.file, f.location.line, f.location.column)


def _note(f: Finding) -> str:
    """A warning as one comment line of the YAML file (a cell's text may hold line breaks)."""
    return re.sub(r"[\r\n\u0085\u2028\u2029]+", " ", f"{f.location}: {f.message}")


def _open(data: bytes, name: str) -> tuple[Any, Any]:
    """The workbook twice: cached values (data_only) and formulas (to see which values are missing).

    From bytes, not a path, so that openpyxl does not refuse a file for its extension.
    """
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (data validation extensions, …): not the user's problem here.
            warnings.simplefilter("ignore")
            values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
            formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or hostile package
        if _defused(exc):
            message = "文件中含有 XML 实体或外部引用（正常的工作簿没有），可能是恶意文件，已拒绝。"
            raise InputError(Finding("xlsx-dtd", Severity.ERROR, message, Location(name))) from None
        damage = find_damage(data)
        if damage is not None:
            message = (
                f"单元格 {damage.ref} 已损坏（{damage.why}），无法读取。"
                "请在 Excel 或 WPS 中改正这个单元格，另存为 .xlsx 后再导入。"
            )
            where = Location(f"{name}!{damage.sheet}", damage.row, damage.column)
            raise InputError(Finding("xlsx-cell", Severity.ERROR, message, where)) from None
        message = f"无法读取这个 .xlsx 文件（{type(exc).__name__}）。请用 Excel 或 WPS 打开并另存为 .xlsx 后再导入。"
        raise InputError(Finding("xlsx-format", Severity.ERROR, message, Location(name))) from None
    return values, formulas


def _defused(exc: BaseException | None) -> bool:
    """Did defusedxml refuse a part (openpyxl wraps its exception in a ValueError)?"""
    while exc is not None:
        if isinstance(exc, DefusedXmlException):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _sheets(name: str, values: Any, formulas: Any, found: Findings) -> dict[str, Sheet]:
    sheets: dict[str, Sheet] = {}
    for ws in values.worksheets:
        title = ws.title.strip()
        where = f"{name}!{ws.title}"
        if title.startswith(layout.TABLE_PREFIX):
            continue  # the published tables are derived: import reads the facts, never these
        if title not in layout.FACT_SHEETS:
            found.warn("xlsx-sheet", f"工作表“{ws.title}”不是可导入的表，已忽略。", Location(where))
            continue
        sheets[title] = load_sheet(ws, formulas[ws.title], where, found)
    for title in layout.REQUIRED_SHEETS:
        if title not in sheets:
            found.add(
                "xlsx-sheet",
                f"缺少工作表“{title}”。请从 yujuesuan 导出的工作簿开始填写，不要删除或改名该表。",
                Location(name),
            )
    return sheets


def _namer(facts: Facts) -> Any:
    """code → “类 / 款 / 项” names for the YAML comments, from the catalog of the workbook's year."""
    year = facts.kv.get("单位", {}).get(("年度",))
    custom = {row["编码"].text: row["名称"].text for row in facts.custom if {"编码", "名称"} <= row.keys()}
    try:
        catalog = load_catalog(nearest_year(int(Decimal(year.text)) if year else 2023)).with_extra(custom)
    except (KeyError, ValueError, ArithmeticError):
        return lambda code: ""

    def name(code: str) -> str:
        if len(code) == 7:
            return " / ".join(catalog.name(c) or "?" for c in (code[:3], code[:5], code))
        return catalog.name(code) or ""

    return name
