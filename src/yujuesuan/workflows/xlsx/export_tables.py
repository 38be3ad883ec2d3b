"""Write one 公开 table (a composed document Table) onto a worksheet, laid out as published.

The header and body come from compose.tables.BUILDERS through the Composer, so
the merged cells, 行次 and 栏次 are those of the DOCX. Amount cells (the
right-aligned ones) become numbers in 万元 with the format 0.00; a zero stays blank. A sheet may
hold several tables one under another (the parts of a 部门预算's 申报表, export_document.py).
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from yujuesuan.compose.document import Cell, Table

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
AMOUNT_FORMAT = "0.00"
AMOUNT_UNIT = "万元"  # the 申报表 print a unit after each amount; the cell keeps the number
CHARS_PER_WIDTH = 8  # a builder's relative width 1.0 ≈ 8 characters


def place(rows: tuple[tuple[Cell, ...], ...], top: int) -> list[tuple[int, int, Cell]]:
    """HTML-style rows (a merged cell only at its top-left) → (row, column, cell) positions."""
    taken: set[tuple[int, int]] = set()
    out = []
    for i, cells in enumerate(rows):
        r, c = top + i, 1
        for cell in cells:
            while (r, c) in taken:
                c += 1
            out.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return out


def _line(ws: Worksheet, row: int, text: str, width: int, align: str, font: Font | None = None) -> None:
    cell = ws.cell(row, 1, text)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if font is not None:
        cell.font = font
    if width > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def write_table(ws: Worksheet, table: Table, top: int = 1, *, stacked: bool = False) -> int:
    """Write ``table`` from row ``top``; the next free row.

    ``stacked``: one of several tables on a sheet (the parts of a 申报表): empty title, number and
    unit lines take no row, columns only widen, and the sheet's page settings are left to the caller.
    """
    width = table.columns
    for i, w in enumerate(table.widths, 1):
        letter = get_column_letter(i)
        wanted = round(max(6.0, w * CHARS_PER_WIDTH), 1)
        if stacked and letter in ws.column_dimensions:  # a part above set it: keep the wider
            wanted = max(wanted, ws.column_dimensions[letter].width)
        ws.column_dimensions[letter].width = wanted
    row = top
    for text, align, font in ((table.title, "center", Font(bold=True, size=14)), (table.number, "right", None)):
        if text or not stacked:
            _line(ws, row, text, width, align, font)
            row += 1
    if table.unit_left or table.unit_right or not stacked:
        ws.cell(row, 1, table.unit_left)
        unit = ws.cell(row, width, table.unit_right)
        unit.alignment = Alignment(horizontal="right")
        row += 1
    head_top = row
    for r, c, cell in place(table.header, head_top):
        _cell(ws, r, c, cell, header=True)
    body_top = head_top + len(table.header)
    for r, c, cell in place(table.body, body_top):
        _cell(ws, r, c, cell, header=False)
    row = body_top + len(table.body)
    for text in (*table.notes, table.empty_sentence):
        if text:
            _line(ws, row, text, width, "left")
            row += 1
    if not stacked:
        ws.page_setup.orientation = "landscape" if table.landscape else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{head_top}:{body_top - 1}"
    return row


def _amount(text: str) -> Decimal | None:
    """A right-aligned cell's amount (1,234.50 or, in the 申报表, 12.00万元); None for any other text."""
    digits = text.replace(",", "").removesuffix(AMOUNT_UNIT).strip()
    try:
        value = Decimal(digits)
    except ArithmeticError:
        return None
    return value if value.is_finite() else None


def _cell(ws: Worksheet, r: int, c: int, cell: Cell, header: bool) -> None:
    target = ws.cell(r, c)
    if header or cell.align != "right":
        digits = not header and cell.align == "center" and cell.text.isdigit()
        target.value = int(cell.text) if digits else (cell.text or None)
    elif cell.text:
        amount = _amount(cell.text)
        target.value = cell.text if amount is None else float(amount)
        if amount is not None:
            target.number_format = AMOUNT_FORMAT
    target.alignment = Alignment(horizontal=cell.align, vertical="center", wrap_text=True)
    if header or cell.bold:
        target.font = Font(bold=True)
    for dr in range(cell.rowspan):
        for dc in range(cell.colspan):
            ws.cell(r + dr, c + dc).border = BOX
    if cell.rowspan > 1 or cell.colspan > 1:
        ws.merge_cells(start_row=r, start_column=c, end_row=r + cell.rowspan - 1, end_column=c + cell.colspan - 1)
