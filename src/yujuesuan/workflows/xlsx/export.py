"""Export: checked figures + profile → an .xlsx workbook (bytes), byte-identical for the same input.

This is the 决算's workbook (Kind.workbook "facts"); a kind with the tables only is export_document.py's.

Sheets 公开01–09 show the nine tables as published (read-only views: import
ignores them). The fact sheets after them hold every fact of the input file,
in the file's money unit, so that the workbook is a complete alternative to
the YAML file; importer.py reads them back.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from itertools import groupby

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from yujuesuan.compose import Composer
from yujuesuan.compose.document import Document
from yujuesuan.derive import Figures
from yujuesuan.errors import Finding, InputError, Location, Severity
from yujuesuan.kinds import kind_of
from yujuesuan.profiles import Profile
from yujuesuan.render.ooxml import normalize_zip
from yujuesuan.workflows.xlsx import layout
from yujuesuan.workflows.xlsx.export_facts import item_rows, kv_values, row_values
from yujuesuan.workflows.xlsx.export_tables import write_table
from yujuesuan.workflows.xlsx.textcells import neutralize, neutralize_workbook
from yujuesuan.workflows.xlsx.verify import check_round_trip

FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
EXCEL_CELL_LIMIT = 32_767
_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
AMOUNT_FORMAT = "0.00"
WIDTHS = {"info": 8.0, "score": 8.0, "amount": 12.0, "code": 12.0}
COLUMN_WIDTHS = {"名称": 24.0, "目录中的解释": 40.0, "解释": 40.0, "正文": 80.0}
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def export_workbook(
    figures: Figures, profile: Profile, *, check_complete: bool = True, document: Document | None = None
) -> bytes:
    """The workbook of ``figures`` (from pipeline.check) with the tables laid out by ``profile``.

    With ``check_complete`` the workbook is imported again and its model compared with the
    input's: InputError names any fact the fact sheets cannot carry (nothing is lost silently).
    A kind whose workbook holds the published tables and a 数据 sheet (Kind.workbook "tables", the 部门预算)
    gets export_document's workbook of ``document``'s tables instead: the fact sheets read the 决算 model.
    """
    if kind_of(profile).workbook == "tables":
        from yujuesuan.workflows.xlsx.export_document import export_tables_workbook  # it imports this module

        return export_tables_workbook(figures, profile, document)
    wb = Workbook()
    wb.remove(wb.active)
    composer = Composer(figures, profile, draft=False)
    for table_id in _outline_tables(profile):
        table = composer.table(table_id)[0]
        write_table(wb.create_sheet(f"{layout.TABLE_PREFIX}{table_id}"), table)
    unit = figures.model.unit
    for sheet in layout.FACT_SHEETS:
        ws = wb.create_sheet(sheet)
        if sheet == layout.ITEM_SHEET:
            _item_sheet(ws, item_rows(figures), unit)
        elif sheet in layout.KV_SHEETS:
            _kv_sheet(ws, kv_values(figures, sheet), unit)
            if sheet == "单位":
                ws.cell(1, 6, layout.WORKBOOK_NOTE).alignment = WRAP
                ws.column_dimensions["F"].width = 60
        else:
            _row_sheet(ws, sheet, row_values(figures, sheet), unit, figures.model.key_work_text)
    wb.properties.creator = "yujuesuan"
    wb.properties.title = f"{figures.model.name}{figures.model.year}年度部门决算"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    neutralize_workbook(wb)  # the one place text cells are made safe, whichever writer filled them
    out = io.BytesIO()
    wb.save(out)
    data = _normalize_zip(out.getvalue())
    if check_complete:
        check_round_trip(data, figures.model)
    return data


def _outline_tables(profile: Profile) -> list[str]:
    """The 公开 tables the profile's outline prints, in its order (01 … 09 for wuhan)."""
    out = []
    for entry in profile.config.get("outline", []):
        if isinstance(entry, dict) and "table" in entry:
            out.append(str(entry["table"]))
    return out


def _put(ws: Worksheet, row: int, col: int, value: object, kind: str, unit: str) -> None:
    """One input cell: amounts and scores as numbers, texts as text (never as a formula)."""
    if value is None or value == "":
        return
    cell = ws.cell(row, col)
    if isinstance(value, Decimal):
        cell.value = int(value) if value == value.to_integral_value() and kind != "amount" else float(value)
        if kind == "amount":
            cell.number_format = AMOUNT_FORMAT
        return
    if isinstance(value, int):
        cell.value = value
        return
    text = str(value)
    if len(neutralize(text)) > EXCEL_CELL_LIMIT:
        where = Location(f"{ws.title}!{get_column_letter(col)}{row}")
        message = f"文字过长（{len(text)} 字），超过 Excel 单元格的上限 {EXCEL_CELL_LIMIT} 字，无法导出。请精简。"
        raise InputError(Finding("xlsx-export", Severity.ERROR, message, where))
    cell.value = text  # made a string cell, and neutralized, by neutralize_workbook before saving
    if "\n" in text or len(text) > 30:
        cell.alignment = WRAP


def _header(ws: Worksheet, row: int, names: tuple[str, ...], widths: tuple[float, ...]) -> None:
    for col, (name, width) in enumerate(zip(names, widths), 1):
        cell = ws.cell(row, col, name)
        cell.font = BOLD
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width


def _kv_sheet(ws: Worksheet, rows: Sequence[tuple[layout.Field, tuple[str, ...], object]], unit: str) -> None:
    _header(ws, 1, layout.KV_HEADER, (26, 24, 60, 48))
    for i, (field, key, value) in enumerate(rows, 2):
        ws.cell(i, 1, key[0])
        if len(key) > 1:
            ws.cell(i, 2, key[1]).data_type = "s"
        _put(ws, i, 3, value, field.kind, unit)
        ws.cell(i, 4, field.note or None)
    ws.freeze_panes = "A2"


def _item_sheet(ws: Worksheet, rows: Sequence[Mapping[str, object]], unit: str) -> None:
    columns = layout.ITEM_COLUMNS
    ws.cell(1, 1, layout.ITEM_NOTE).alignment = WRAP
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws.row_dimensions[1].height = 45
    centered = Alignment(horizontal="center", vertical="center", wrap_text=True)
    col = 1
    # Two header rows: a group (收入, 支出, …) over its columns, or one name over both rows.
    for (group, has_sub), members in groupby(columns, key=lambda c: (c[0], bool(c[1]))):
        names = [(name, kind) for _, name, kind in members]
        head = ws.cell(2, col, group)
        head.font, head.alignment = BOLD, centered
        for i, (name, kind) in enumerate(names):
            ws.column_dimensions[get_column_letter(col + i)].width = 30 if kind in ("info", "text") else 12
            if has_sub:
                sub = ws.cell(3, col + i, name)
                sub.font, sub.alignment = BOLD, centered
        last = col + len(names) - 1
        if last > col or not has_sub:
            ws.merge_cells(start_row=2, start_column=col, end_row=2 if has_sub else 3, end_column=last)
        col = last + 1
    for r, values in enumerate(rows, 4):
        for c, (group, name, kind) in enumerate(columns, 1):
            _put(ws, r, c, values.get(f"{group}.{name}" if name else group), kind, unit)
    ws.freeze_panes = "C4"


def _row_sheet(ws: Worksheet, sheet: str, rows: Sequence[Mapping[str, object]], unit: str, key_work: str) -> None:
    columns = layout.ROW_SHEETS[sheet]
    top = 1
    if sheet == "重点工作":
        # 正文 (the paragraphs before the table, one line each) is a key/value row above it.
        _header(ws, 1, ("项目", "内容"), (14, 30))
        ws.cell(2, 1, layout.KEY_WORK_TEXT)
        _put(ws, 2, 2, key_work, "text", unit)
        ws.merge_cells(start_row=2, start_column=2, end_row=2, end_column=len(columns))
        ws.row_dimensions[2].height = 150
        top = 4
    note = ws.cell(top, 1, layout.ROW_NOTES[sheet])
    note.alignment = WRAP
    ws.merge_cells(start_row=top, start_column=1, end_row=top, end_column=max(len(columns), 2))
    ws.row_dimensions[top].height = 30
    widths = tuple(COLUMN_WIDTHS.get(name) or WIDTHS.get(kind, 30.0) for name, kind in columns)
    _header(ws, top + 1, tuple(name for name, _ in columns), widths)
    for r, values in enumerate(rows, top + 2):
        for c, (name, kind) in enumerate(columns, 1):
            _put(ws, r, c, values.get(name), kind, unit)
    ws.freeze_panes = f"A{top + 2}"


def _normalize_zip(data: bytes) -> bytes:
    """Fixed times (entries and core properties) and a stable order: byte-identical output."""

    def fixed_times(name: str, content: bytes) -> bytes:
        return _CORE_TIMES.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", content) if name == "docProps/core.xml" else content

    return normalize_zip(data, fixed_times)
