"""Text cells in the workbooks we write: always strings, never formulas (OWASP CSV/Excel injection).

Excel (and any spreadsheet a sheet is later saved to CSV for) takes a text that starts with
``= + - @``, a tab or a carriage return as a formula, and ``=cmd|' /C calc'!A0`` as a DDE
command. ``neutralize_workbook`` runs once, just before a workbook is saved, over every cell of
every sheet, so no writer can forget it: a text cell is stored as a string (data type "s") and
such a text gets a leading single quote, as OWASP recommends. A text that already starts with a
quote gets one more, so that ``restore`` (import-xlsx) removes exactly the one we added and the
round trip is lossless.
"""

from __future__ import annotations

from typing import Any

DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # also the full-width forms
QUOTE = "'"


def neutralize(text: str) -> str:
    """``text`` as it is stored in a cell: a quote in front if Excel could read it as a formula."""
    if text.startswith(DANGEROUS) or text.startswith(QUOTE):
        return QUOTE + text
    return text


def restore(text: str) -> str:
    """The text ``neutralize`` was given (import-xlsx): drop the one quote it added, nothing else."""
    if text.startswith(QUOTE) and text[1:].startswith((*DANGEROUS, QUOTE)):
        return text[1:]
    return text


def neutralize_workbook(wb: Any) -> None:
    """Make every text cell of ``wb`` a neutralized string cell; a formula cell is an error here."""
    for ws in wb.worksheets:
        for cell in ws._cells.values():  # only the cells that exist, not max_row × max_column
            value = cell.value
            if isinstance(value, str):
                cell.value = neutralize(value)
                cell.data_type = "s"
