"""Read worksheet cells as the schema expects them: located, merged-aware, never a formula read as 0.

A Sheet holds only the cells that exist (a stray cell at XFD1048576 costs one
entry, not a million rows), the origin of every merged position, and which
cells are formulas whose cached value is missing. Readers turn a cell into
the text that goes into the YAML file, reporting what they normalized.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl.utils import get_column_letter

from yujuesuan.errors import Findings, Location
from yujuesuan.input import amounts
from yujuesuan.workflows.xlsx.textcells import restore

_ESCAPED_CONTROL = re.compile(r"_x(00[01][0-9A-Fa-f]|007[Ff]|008[0-9A-Fa-f]|009[0-9A-Fa-f])_")
MAX_ROW = 10_000  # far beyond any unit's figures; cells further away are ignored with a warning
MAX_COL = 200


@dataclass
class Sheet:
    name: str
    file: str  # "<path>!<sheet name>", the Location file of every finding
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)  # openpyxl cells with a value
    origin: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # merged → top-left
    stale: set[tuple[int, int]] = field(default_factory=set)  # formulas without a cached value
    _by_row: dict[int, list[int]] = field(default_factory=dict, repr=False)

    def loc(self, r: int, c: int) -> Location:
        return Location(self.file, r, c)

    def ref(self, r: int, c: int) -> str:
        return f"{get_column_letter(c)}{r}"

    def index(self) -> dict[int, list[int]]:
        """Row → the columns that hold a value or a stale formula (built once, when the sheet is read)."""
        if not self._by_row:
            for r, c in (*self.cells, *self.stale):
                self._by_row.setdefault(r, []).append(c)
            for cols in self._by_row.values():
                cols.sort()
        return self._by_row

    def rows(self, first: int = 1, last: int = MAX_ROW) -> list[int]:
        return sorted(r for r in self.index() if first <= r <= last)

    def columns(self, r: int) -> list[int]:
        return self.index().get(r, [])


def load_sheet(ws: Any, formulas: Any, file: str, findings: Findings) -> Sheet:
    """A Sheet from an openpyxl worksheet (values) and the same sheet loaded with formulas."""
    sheet = Sheet(ws.title, file)
    far: list[tuple[int, int]] = []
    # ws._cells holds the cells the file has; iter_rows() would walk max_row × max_column.
    for (r, c), cell in ws._cells.items():
        if cell.value is None:
            continue
        if r > MAX_ROW or c > MAX_COL:
            far.append((r, c))
            continue
        if isinstance(cell.value, str):
            cell.value = restore(cell.value)  # the quote export put before a text Excel would run
        sheet.cells[r, c] = cell
    for (r, c), cell in formulas._cells.items():
        if cell.data_type == "f" and (r, c) not in sheet.cells and r <= MAX_ROW and c <= MAX_COL:
            sheet.stale.add((r, c))
    if far:
        r, c = min(far)
        findings.warn(
            "xlsx-stray",
            f"有 {len(far)} 个单元格远在数据区之外（如 {sheet.ref(r, c)}），已忽略。如果它们不是误填的，请移到表内。",
            sheet.loc(r, c),
        )
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    sheet.origin[r, c] = (rng.min_row, rng.min_col)
    return sheet


class CellReader:
    """Cell → YAML text by kind (text, amount, count, score, year, unit); problems go to ``findings``."""

    def __init__(self, findings: Findings, unit: str = "万元") -> None:
        self.findings = findings
        self.unit = unit
        self._merges_told: set[tuple[int, int]] = set()

    def raw(self, sheet: Sheet, r: int, c: int, fill: bool) -> tuple[Any, tuple[int, int]] | None:
        """The cell at (r, c), or the top-left cell of its merged range when ``fill``; None if blank.

        A formula whose cached value is missing is an error, never a blank or a 0.
        """
        pos = sheet.origin.get((r, c), (r, c)) if fill else (r, c)
        if pos in sheet.stale:
            self.findings.add(
                "xlsx-formula",
                f"单元格 {sheet.ref(*pos)} 是公式，但文件中没有保存它的计算结果。请用 Excel 打开并保存该文件后再导入。",
                sheet.loc(*pos),
            )
            return None
        cell = sheet.cells.get(pos)
        if cell is None:
            return None
        if cell.data_type == "e":
            self.findings.add(
                "xlsx-error-value", f"单元格 {sheet.ref(*pos)} 是错误值 {cell.value}，请改正后再导入。", sheet.loc(*pos)
            )
            return None
        if isinstance(cell.value, str) and not cell.value.strip():
            return None
        return cell, pos

    def read(self, sheet: Sheet, r: int, c: int, kind: str, path: str = "", fill: bool | None = None) -> str | None:
        """The YAML text of the cell as ``kind``, or None when it is blank (or unreadable, reported)."""
        fill = fill if fill is not None else kind in ("text", "code", "info", "score")
        got = self.raw(sheet, r, c, fill)
        if got is None:
            self._merged_amount(sheet, r, c, kind)
            return None
        cell, (r, c) = got
        if kind in ("text", "info", "code"):
            return self.text(sheet, r, c, cell, path)
        if kind == "amount":
            return self.amount(sheet, r, c, cell, path)
        return self.number(sheet, r, c, cell, kind, path)

    def _merged_amount(self, sheet: Sheet, r: int, c: int, kind: str) -> None:
        """An amount under a merge counts once, in its top-left cell: say so (once per merged range)."""
        origin = sheet.origin.get((r, c))
        if kind != "amount" or origin is None or origin not in sheet.cells or origin in self._merges_told:
            return
        self._merges_told.add(origin)
        self.findings.warn(
            "xlsx-merged",
            f"单元格 {sheet.ref(r, c)} 与 {sheet.ref(*origin)} 合并，金额只计入左上角的 {sheet.ref(*origin)}。"
            "请取消合并，把金额分别填在各自的单元格中。",
            sheet.loc(r, c),
        )

    def text(self, sheet: Sheet, r: int, c: int, cell: Any, path: str) -> str | None:
        value = cell.value
        if isinstance(value, bool):
            text = "是" if value else "否"
        elif isinstance(value, (int, float)):
            text = _number_text(value)
            if "%" in (cell.number_format or ""):
                # Excel stores 90% as 0.9: the text the user sees is the percentage.
                shown = _strip(Decimal(text) * 100)
                self.findings.warn(
                    "xlsx-percent",
                    f"单元格 {sheet.ref(r, c)} 存的是小数 {text}（按百分比显示），已读作“{shown}%”，请确认。",
                    sheet.loc(r, c),
                    path,
                )
                text = f"{shown}%"
        elif isinstance(value, (dt.datetime, dt.date, dt.time)):
            text = value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
            self.findings.warn(
                "xlsx-date", f"单元格 {sheet.ref(r, c)} 是日期，已读作文字“{text}”。", sheet.loc(r, c), path
            )
        else:
            text = str(value).strip().replace("\r\n", "\n").replace("\r", "\n")
            # Excel writes a control character as _x001B_; read it back so that it is refused below.
            text = _ESCAPED_CONTROL.sub(lambda m: chr(int(m.group(1), 16)), text)
        problem = amounts.text_problem(text)
        if problem:
            self.findings.add("text", f"单元格 {sheet.ref(r, c)} {problem}", sheet.loc(r, c), path)
            return None
        return text

    def amount(self, sheet: Sheet, r: int, c: int, cell: Any, path: str) -> str | None:
        value, where = cell.value, sheet.ref(r, c)
        if isinstance(value, str):
            try:
                amount, note = amounts.parse_amount(value, self.unit)
            except amounts.AmountError as exc:
                self.findings.add("amount", f"单元格 {where}：{exc}", sheet.loc(r, c), path)
                return None
            extra = f"（{note}）" if note else ""
            self.findings.warn(
                "xlsx-number-as-text",
                f"单元格 {where} 的数字是以文本形式存储的“{amounts.shown(value.strip())}”，已读作 {amount}{extra}。"
                "请确认，并最好把该列设为数字格式。",
                sheet.loc(r, c),
                path,
            )
            return _amount_text(amount, self.unit)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.findings.add("amount", f"单元格 {where} 应为金额，实际为“{value}”。", sheet.loc(r, c), path)
            return None
        if "%" in (cell.number_format or ""):
            self.findings.add(
                "amount",
                f"单元格 {where} 应为金额，却设成了百分比格式（存的是 {_number_text(value)}）。"
                "请改为数字格式并填写金额。",
                sheet.loc(r, c),
                path,
            )
            return None
        text = _number_text(value)
        try:
            amount, _ = amounts.parse_amount(text, self.unit)
        except amounts.AmountError as exc:
            self.findings.add("amount", f"单元格 {where}：{exc}", sheet.loc(r, c), path)
            return None
        return _amount_text(amount, self.unit)

    def number(self, sheet: Sheet, r: int, c: int, cell: Any, kind: str, path: str) -> str | None:
        """A count, year, score or 金额单位 (the last one is text)."""
        value, where = cell.value, sheet.ref(r, c)
        if kind == "unit":
            text = str(value).strip()
            if text not in ("元", "万元"):
                self.findings.add(
                    "type", f"单元格 {where}：金额单位只能是“元”或“万元”，实际为“{text}”。", sheet.loc(r, c), path
                )
                return None
            return text
        is_text = isinstance(value, str)
        if isinstance(value, str):
            text = value.strip()
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            text = str(value)
        else:
            text = _number_text(value)
        try:
            if kind == "score":
                result = str(amounts.parse_score(text))
            else:
                what = {"year": "年度", "count": "数量"}.get(kind, "数量")
                result = str(amounts.parse_count(text, what))
        except amounts.AmountError as exc:
            self.findings.add(kind, f"单元格 {where}：{exc}", sheet.loc(r, c), path)
            return None
        if is_text:
            self.findings.warn(
                "xlsx-number-as-text",
                f"单元格 {where} 的数字是以文本形式存储的“{amounts.shown(text)}”，已读作 {result}，请确认。",
                sheet.loc(r, c),
                path,
            )
        return result


def _strip(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _number_text(value: int | float) -> str:
    """A number as Excel meant it: 0.30000000000000004 (binary noise) → 0.3, 7.0 → 7."""
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return repr(value)  # nan / inf: the readers refuse it
    # Excel keeps 15 significant digits; anything beyond them is binary noise.
    return _strip(Decimal(format(value, ".15g")))


def _amount_text(value: Decimal, unit: str) -> str:
    """Amounts as the sample writes them: 万元 with two decimals (437.68, 124.40), 0 as 0."""
    if value == 0:
        return "0"
    exponent = value.as_tuple().exponent  # an int: amounts are finite (no NaN's "n")
    if unit == "万元" and isinstance(exponent, int) and -exponent < 2:
        value = value.quantize(Decimal("0.01"))
    return format(value, "f")
