"""Turn paragraphs and tables into WordprocessingML strings, parsed once per document.

Built as text rather than through python-docx's proxies because
``table.cell(r, c)`` is quadratic in the table size and a 决算 has tables of
hundreds of rows; the strings are parsed in one go by docx.py.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from yujuesuan.compose.document import Cell, Table

from .docx_styles import rfonts_xml

_JC = {"left": "left", "center": "center", "right": "right"}
_BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'


def run(text: str, font: str, half_points: int = 0, bold: bool = False, color: str = "") -> str:
    """Return a w:r for ``text``; newlines become line breaks and tabs tab characters."""
    props = [rfonts_xml(font)]
    if bold:
        props.append("<w:b/><w:bCs/>")
    if color:
        props.append(f'<w:color w:val="{color}"/>')
    if half_points:
        props.append(f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>')
    pieces = []
    for i, line in enumerate(text.split("\n")):
        if i:
            pieces.append("<w:br/>")
        for j, chunk in enumerate(line.split("\t")):
            if j:
                pieces.append("<w:tab/>")
            if chunk:
                pieces.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return f"<w:r><w:rPr>{''.join(props)}</w:rPr>{''.join(pieces)}</w:r>"


def paragraph(style_id: str, runs: str = "", ppr: str = "", mark_half_points: int = 0) -> str:
    """Return a w:p; ``mark_half_points`` sizes the paragraph mark so empty cells stay low."""
    mark = f'<w:rPr><w:sz w:val="{mark_half_points}"/></w:rPr>' if mark_half_points else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{ppr}{mark}</w:pPr>{runs}</w:p>'


def page_break() -> str:
    return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def grid(table: Table) -> list[list[tuple[Cell, int, int] | None]]:
    """Place HTML-style rows on a grid: slot = (cell, row it starts in, column it starts in).

    A merged cell appears only at its top-left in ``table``; here it fills every
    slot it covers, which is what gridSpan/vMerge need.
    """
    rows = (*table.header, *table.body)
    width = table.columns
    slots: list[list[tuple[Cell, int, int] | None]] = [[None] * width for _ in rows]
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while c < width and slots[r][c] is not None:
                c += 1
            if c + cell.colspan > width:
                raise ValueError(f"表 {table.id} 第 {r + 1} 行超出 {width} 列")
            for dr in range(min(cell.rowspan, len(rows) - r)):
                for dc in range(cell.colspan):
                    slots[r + dr][c + dc] = (cell, r, c)
            c += cell.colspan
    return slots


# A table starts with its header and at least this many body rows on one page, and ends with this many.
HEAD_ROWS, TAIL_ROWS = 3, 2


def _keeps(t: Table, rows: int, keep_with_tail: bool) -> list[bool]:
    """Which rows keep with the next one (w:keepNext in their paragraphs).

    The header and the first body rows hold together, so a table never starts
    with a row or two at the foot of a page (its title keeps with its first
    row); so do the last rows, and the last keeps with the notes that follow.
    A keep_together table keeps every row: Word moves it whole if it fits a page.
    """
    if t.keep_together:
        return [r < rows - 1 or keep_with_tail for r in range(rows)]
    first = len(t.header) + HEAD_ROWS - 1
    return [r < first or rows - TAIL_ROWS <= r < rows - 1 or (r == rows - 1 and keep_with_tail) for r in range(rows)]


def table(t: Table, width_twips: int, style_id: str, font: str, keep_with_tail: bool = False) -> str:
    """Return a w:tbl with merged, repeating header rows, unsplittable rows, kept-together ends, full borders."""
    if not t.columns or not (t.header or t.body):
        return ""
    cols = _scale(t.widths or (1.0,) * t.columns, width_twips)
    half = round(t.font_size_pt * 2)
    borders = "".join(f"<w:{side} {_BORDER}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(cols)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0"'
        ' w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in cols),
        "</w:tblGrid>",
    ]
    slots = grid(t)
    keeps = _keeps(t, len(slots), keep_with_tail)
    for r, row in enumerate(slots):
        # Header rows repeat on every page; no row is split across two pages.
        header = "<w:tblHeader/>" if r < len(t.header) else ""
        out.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")
        c = 0
        while c < len(row):
            slot = row[c]
            cell, top, _ = slot if slot is not None else (Cell(), r, c)
            span = cell.colspan if slot is not None else 1
            merge = ""
            if cell.rowspan > 1 and slot is not None:
                merge = '<w:vMerge w:val="restart"/>' if top == r else "<w:vMerge/>"
            props = f'<w:tcW w:w="{sum(cols[c : c + span])}" w:type="dxa"/>'
            if span > 1:
                props += f'<w:gridSpan w:val="{span}"/>'
            props += f'{merge}<w:vAlign w:val="center"/>'
            text = run(cell.text, font, half, cell.bold) if top == r and cell.text else ""
            ppr = ("<w:keepNext/>" if keeps[r] else "") + f'<w:jc w:val="{_JC.get(cell.align, "left")}"/>'
            out.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraph(style_id, text, ppr, half)}</w:tc>")
            c += span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _scale(widths: tuple[float, ...], total: int) -> list[int]:
    """Scale relative widths to ``total`` twips; the last column absorbs the rounding."""
    whole = sum(widths) or 1.0
    cols = [max(1, round(w / whole * total)) for w in widths]
    cols[-1] += total - sum(cols)
    return cols
