"""Display formatting: the only place where a Decimal becomes text, rounded ROUND_HALF_UP.

A profile's ``numbers`` block (keys and defaults in conventions.py, documented
in docs/TEMPLATES.md) sets every number convention: the places of amounts, of
shares, changes and completion rates each on its own, thousands separators in
tables and in sentences each on its own, how a zero prints in a table cell and
in a sentence, the spaces around figures, and the wording of a flat change, a
zero base and a zero budget. Table builders, sentence helpers and charts all
format through one NumberFormat, so no template or module picks a precision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

WAN = Decimal(10_000)

# The percentage kinds a template may name: 百分比(rate, "完成").
PERCENT_KINDS = {"占比": "share_places", "类占比": "class_share_places", "变动": "change_places",
                 "完成": "completion_places"}  # fmt: skip

_CJK = "\u3400-\u9fff"
_FIGURE = r"-?\d[\d,]*(?:\.\d+)?%?"
_AFTER = re.compile(rf"({_FIGURE})[ \u00a0]+(?=[{_CJK}])")  # "9746.50 万元" -> "9746.50万元"
_BEFORE = re.compile(rf"(?<=[{_CJK}])[ \u00a0]+(?={_FIGURE})")  # "占 8.44%" -> "占8.44%"
_NEED_AFTER = re.compile(rf"(?<![\d.,])({_FIGURE})(?=[{_CJK}])")
_NEED_BEFORE = re.compile(rf"(?<=[{_CJK}])(?={_FIGURE})")


@dataclass(frozen=True)
class NumberFormat:
    unit: str = "万元"  # the input's money unit; output is always in 万元
    amount_places: int = 2
    strip_zeros: bool = False
    share_places: int = 2
    class_share_places: int = 2
    change_places: int = 2
    completion_places: int = 2
    percent_strip_zeros: bool = False
    score_places: int = 1
    thousands_in_tables: bool = False
    thousands_in_text: bool = False
    table_zero: str = ""
    text_zero: str | None = None
    space_around_figures: bool | None = None
    flat_wording: str = "持平"
    zero_base_wording: str = "（上年为零，为新增）"
    zero_budget_wording: str = "年初无预算"
    # per table (compose sets them from tables.<id>.zero): column (or column group) -> zero text
    zero_columns: tuple[tuple[str, str], ...] = field(default=())

    @classmethod
    def from_profile(cls, unit: str, data: dict[str, Any]) -> NumberFormat:
        names = {f.name for f in fields(cls)} - {"unit", "zero_columns"}
        return cls(unit=unit, **{k: v for k, v in data.items() if k in names})

    def _text(self, value: Decimal, places: int, strip: bool, thousands: bool = False) -> str:
        q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if q == 0:
            q = abs(q)  # never print -0.00
        text = format(q, ",f" if thousands else "f")
        if strip and "." in text:
            text = text.rstrip("0").rstrip(".")
        return text

    def wan(self, value: Decimal) -> Decimal:
        """The amount in 万元 (from 元 input), not yet rounded."""
        return value / WAN if self.unit == "元" else value

    def is_zero(self, value: Decimal | None) -> bool:
        """Whether an amount displays as zero at the configured places (a change of 0.001 万元 is 持平)."""
        if value is None:
            return True
        return self.wan(value).quantize(Decimal(1).scaleb(-self.amount_places), rounding=ROUND_HALF_UP) == 0

    def amount(self, value: Decimal | None) -> str:
        """An amount in 万元 in a sentence, each figure rounded on its own."""
        if value is None:
            return ""
        if self.text_zero is not None and self.is_zero(value):
            return self.text_zero
        return self._text(self.wan(value), self.amount_places, self.strip_zeros, self.thousands_in_text)

    def cell(self, value: Decimal | None, column: str = "") -> str:
        """A table cell: a zero prints as the table's zero text (blank, 0.00, -), per column group."""
        if value is None:
            return ""
        if value == 0:
            return self.zero_text(column)
        return self._text(self.wan(value), self.amount_places, self.strip_zeros, self.thousands_in_tables)

    def in_table(self, value: Decimal | None) -> str:
        """An amount printed in a table even when zero (the 绩效 tables): the table's thousands separators."""
        if value is None:
            return ""
        return self._text(self.wan(value), self.amount_places, self.strip_zeros, self.thousands_in_tables)

    def zero_text(self, column: str = "") -> str:
        for group, text in self.zero_columns:
            if column == group or column.startswith(group + "."):
                return text
        return self.table_zero

    def places(self, kind: str | int | None) -> int:
        """The places of a percentage kind (占比, 类占比, 变动, 完成); an int is taken as is."""
        if kind is None:
            return self.share_places
        if isinstance(kind, int) and not isinstance(kind, bool):
            return kind
        name = PERCENT_KINDS.get(str(kind))
        if name is None:
            raise ValueError(f"百分比的种类只能是 {'、'.join(PERCENT_KINDS)}，不能是“{kind}”")
        return int(getattr(self, name))

    def pct(self, rate: Decimal | None, kind: str | int | None = None) -> str:
        """A percentage such as 8.44%; empty when there is no rate (zero base)."""
        if rate is None:
            return ""
        return self._text(rate, self.places(kind), self.percent_strip_zeros) + "%"

    def pct_short(self, rate: Decimal | None, kind: str | int | None = "完成") -> str:
        """A percentage with trailing zeros dropped (100% / 99.96%), as the 绩效 tables print it."""
        if rate is None:
            return ""
        return self._text(rate, self.places(kind), True) + "%"

    def score(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        return self._text(value, self.score_places, True)

    def spaced(self, text: str) -> str:
        """A sentence with the spaces around its figures as the profile wants them (None: as written)."""
        if self.space_around_figures is None:
            return text
        if self.space_around_figures:
            return _NEED_BEFORE.sub(" ", _NEED_AFTER.sub(r"\1 ", text))
        return _BEFORE.sub("", _AFTER.sub(r"\1", text))
