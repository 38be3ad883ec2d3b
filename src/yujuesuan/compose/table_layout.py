"""The table layout every kind's builders share: header cells, amount cells, the Layout conventions.

A builder (kinds/<kind>/tables.py) turns a derived DTable into header and body rows,
reading the Layout it is given (栏次, code columns, 类/款/项 level …); the composer then
applies the conventions any table may take (no 栏次 row, 合计 at the bottom, header renames).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from yujuesuan.compose.document import Cell
from yujuesuan.compose.numbers import NumberFormat
from yujuesuan.derive import Figures, Row

Rows = tuple[tuple[Cell, ...], ...]
CN_NUM = "一二三四五六七八九十"


def cn(n: int) -> str:
    """1 → 一, 12 → 十二, 26 → 二十六 (for 一、 二、 … numbering)."""
    if n <= 10:
        return CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    return (CN_NUM[tens - 1] if tens > 1 else "") + "十" + (CN_NUM[ones - 1] if ones else "")


def h(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan, rowspan, "center", True)


def num(fmt: NumberFormat, row: Row | None, col: str) -> Cell:
    """An amount cell; a zero prints as the table's zero text for that column (numbers.NumberFormat.cell)."""
    if row is None:
        return Cell("", align="right")
    text = fmt.cell(row.get(col), col)
    # A zero printed as a mark (-, —) is centred, as published tables do; figures stay right-aligned.
    mark = row.get(col) == 0 and bool(text) and not text[0].isdigit()
    return Cell(text, align="center" if mark else "right")


@dataclass(frozen=True)
class Layout:
    """The layout conventions a builder reads (profile keys, conventions.TABLE_KEYS)."""

    column_numbers: bool = True  # 栏次 rows, 行次 columns
    code_columns: int = 1  # 1: one 功能分类科目编码 column; 3: 类, 款, 项 side by side
    code_levels: bool = False  # the 类/款/项 header level under 功能分类科目编码
    econ_blocks: int = 3  # column groups of the 基本支出 table (公开06)
    sangong_layout: str = "grouped"  # 三公 table: grouped (预算数 then 决算数) or paired per item

    @property
    def levels(self) -> bool:
        return self.code_levels or self.code_columns == 3

    @property
    def code_span(self) -> int:
        """Grid columns under 功能分类科目编码."""
        return 3 if self.levels else 1

    @property
    def code_widths(self) -> tuple[float, ...]:
        return (0.5, 0.45, 0.45) if self.levels else (1.3,)


DEFAULT = Layout()
# Two lines, as published: a narrow column never breaks the label inside a word ("编/码").
CODE_LABEL = "功能分类\n科目编码"
Built = tuple[Rows, Rows, tuple[float, ...]]
Builder = Callable[[Figures, NumberFormat, Layout], Built]


# ---- conventions applied to any table ----


def without_column_numbers(header: Rows) -> Rows:
    """The header without its 栏次 row (the last row, labelled 栏次 or holding only column numbers)."""
    last = header[-1] if header else ()
    if last and (last[0].text == "栏次" or all(c.text.isdigit() for c in last)):
        return header[:-1]
    return header


def total_at_bottom(body: Rows) -> Rows:
    """The body with its 合计 row moved to the end (the 2024 template's 一般公共预算财政拨款支出决算表)."""
    totals = tuple(row for row in body if row and row[0].text == "合计")
    return (*[row for row in body if not (row and row[0].text == "合计")], *totals)


def renamed(header: Rows, names: dict[str, str]) -> Rows:
    """Header cells whose text is a key of ``names`` get the new text (小计 → 合计)."""
    if not names:
        return header
    return tuple(tuple(replace(c, text=names.get(c.text, c.text)) for c in row) for row in header)
