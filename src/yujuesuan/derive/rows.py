"""The derived table: rows of named cells, each cell with the count of leaves summed into it.

The leaf count is what the rounding tolerance of a declared total (0.005 per
leaf, 尾数误差) is computed from; derive/declared.py and the rules read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal(0)


@dataclass
class Row:
    key: str  # 合计, a 类/款/项 code, or a row name such as 本年收入合计
    label: str
    level: int = 0  # 0 total or flat row, 1 类, 2 款, 3 项
    number: int | None = None  # 行次
    values: dict[str, Decimal] = field(default_factory=dict)  # as shown (declared totals applied)
    derived: dict[str, Decimal] = field(default_factory=dict)  # as computed
    leaves: dict[str, int] = field(default_factory=dict)
    path: str = ""  # where in the input this row's figures come from
    side: str = ""  # 收入 / 支出 in the two-sided tables 01 and 04

    def get(self, col: str) -> Decimal:
        return self.values.get(col, ZERO)

    def set(self, col: str, value: Decimal, leaves: int) -> None:
        self.values[col] = self.derived[col] = value
        self.leaves[col] = leaves


@dataclass
class DTable:
    id: str  # 01 … 09
    columns: tuple[str, ...]
    rows: list[Row]

    def row(self, key: str) -> Row | None:
        for row in self.rows:
            if row.key == key:
                return row
        return None

    def get(self, key: str, col: str | None = None) -> Decimal:
        row = self.row(key)
        return row.get(col or self.columns[0]) if row else ZERO

    @property
    def empty(self) -> bool:
        return all(v == 0 for row in self.rows for v in row.values.values())


class Tables(dict[str, DTable]):
    """The derived tables by id.

    A layout variant (``01无行次``: table 01 laid out without its 行次) is not a
    table of its own: an id of two digits and a suffix that is not a table reads
    the table of those digits. ``08收支`` is a table of its own, so it is found first.
    """

    def __missing__(self, key: str) -> DTable:
        base = key[:2]
        if len(key) > 2 and base.isdigit() and dict.__contains__(self, base):
            return self[base]
        raise KeyError(key)


def sum_rows(rows: Iterable[Row], col: str) -> tuple[Decimal, int]:
    total, leaves = ZERO, 0
    for row in rows:
        total += row.values.get(col, ZERO)
        leaves += row.leaves.get(col, 0)
    return total, leaves


def total_row(
    key: str,
    label: str,
    parts: list[Row],
    columns: Iterable[str],
    *,
    level: int = 0,
    number: int | None = None,
    path: str = "",
    side: str = "",
) -> Row:
    """A row whose cells add ``parts``' cells (and their leaf counts), column by column."""
    row = Row(key, label, level, number, path=path, side=side)
    for col in columns:
        row.set(col, *sum_rows(parts, col))
    return row
