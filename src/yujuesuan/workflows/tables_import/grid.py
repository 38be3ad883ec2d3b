"""A worksheet as a grid of located texts and amounts (merged cells read from their top-left).

Amounts may be numbers or texts with thousands separators; a blank, “-” or 0.00
is zero. A cell that is none of these is an error naming sheet and cell
(公开03!D12); the caller collects errors and writes nothing when there are any.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from yujuesuan.errors import Findings, Location
from yujuesuan.workflows.xlsx.importer import _open
from yujuesuan.workflows.xlsx.safety import check_package, read_file
from yujuesuan.workflows.xlsx.sheets import Sheet, load_sheet

ZERO = Decimal(0)
_AMOUNT = re.compile(r"-?\d+(\.\d+)?")
_BLANKS = {"", "-", "—", "－", "--"}


class Grid:
    def __init__(self, sheet: Sheet, findings: Findings) -> None:
        self.sheet = sheet
        self.findings = findings

    @property
    def name(self) -> str:
        return self.sheet.name

    def ref(self, r: int, c: int) -> str:
        return f"{self.sheet.name}!{get_column_letter(c)}{r}"

    def loc(self, r: int, c: int) -> Location:
        return self.sheet.loc(r, c)

    def rows(self) -> list[int]:
        return self.sheet.rows()

    def width(self) -> int:
        return max((max(cols) for cols in self.sheet.index().values() if cols), default=0)

    def value(self, r: int, c: int, fill: bool = True) -> Any:
        pos = self.sheet.origin.get((r, c), (r, c)) if fill else (r, c)
        cell = self.sheet.cells.get(pos)
        return None if cell is None else cell.value

    def text(self, r: int, c: int, fill: bool = True) -> str:
        """The cell as text without spaces (a code typed as a number reads as its digits)."""
        v = self.value(r, c, fill)
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return re.sub(r"\s+", "", str(v))

    def printed(self, r: int, c: int) -> str:
        """A name as printed (only its ends trimmed): it goes into the data file."""
        v = self.value(r, c)
        return "" if v is None else str(v).strip()

    def label(self, r: int, c: int) -> str:
        """A row label without its numbering (“一、”, “（一）”) and spaces."""
        return re.sub(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、])", "", self.text(r, c))

    def error(self, r: int, c: int, message: str) -> None:
        self.findings.add("tables-cell", f"{self.ref(r, c)}：{message}", self.loc(r, c))

    def amount(self, r: int, c: int) -> Decimal:
        """The amount at (r, c): not filled from a merge (an amount counts once)."""
        pos = (r, c)
        if pos in self.sheet.stale:
            self.error(r, c, "是公式，但文件中没有保存它的计算结果。请用 Excel 打开并保存后再导入。")
            return ZERO
        cell = self.sheet.cells.get(pos)
        if cell is None:
            return ZERO
        v = cell.value
        if isinstance(v, bool) or cell.data_type == "e":
            self.error(r, c, f"读不出金额（{v}）。")
            return ZERO
        if isinstance(v, int):
            return Decimal(v)
        if isinstance(v, float):
            return Decimal(repr(v)) if v == v else self._bad(r, c, v)
        text = re.sub(r"[\s,，]", "", str(v))
        if text in _BLANKS:
            return ZERO
        if not _AMOUNT.fullmatch(text):
            return self._bad(r, c, v)
        try:
            return Decimal(text)
        except InvalidOperation:
            return self._bad(r, c, v)

    def _bad(self, r: int, c: int, v: Any) -> Decimal:
        self.error(r, c, f"“{v}”不是金额。金额应为数字，可带千分位逗号；空白、0.00 或“-”表示零。")
        return ZERO


def open_grids(path: Path, findings: Findings) -> list[Grid]:
    """Every sheet of the workbook at ``path``, after the package checks of xlsx/safety.py."""
    data = read_file(path)
    check_package(data, str(path))
    values, formulas = _open(data, str(path))
    sheets = [load_sheet(ws, formulas[ws.title], f"{path}!{ws.title}", findings) for ws in values.worksheets]
    return [Grid(sheet, findings) for sheet in sheets]
