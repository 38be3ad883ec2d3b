"""Display formatting: the only place where a Decimal becomes text, rounded ROUND_HALF_UP.

A profile's ``numbers`` block sets the places and whether trailing zeros are
dropped (the Wuhan reference prints 124.4 and 6, as the 决算 software exports).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

WAN = Decimal(10_000)


@dataclass(frozen=True)
class NumberFormat:
    unit: str = "万元"  # the input's money unit; output is always in 万元
    amount_places: int = 2
    strip_zeros: bool = False
    share_places: int = 2
    score_places: int = 1

    @classmethod
    def from_profile(cls, unit: str, data: dict[str, Any]) -> NumberFormat:
        known = {k: data[k] for k in ("amount_places", "strip_zeros", "share_places", "score_places") if k in data}
        return cls(unit=unit, **known)

    def _text(self, value: Decimal, places: int, strip: bool) -> str:
        q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if q == 0:
            q = abs(q)  # never print -0.00
        text = format(q, "f")
        if strip and "." in text:
            text = text.rstrip("0").rstrip(".")
        return text

    def wan(self, value: Decimal) -> Decimal:
        """The amount in 万元 (from 元 input), not yet rounded."""
        return value / WAN if self.unit == "元" else value

    def amount(self, value: Decimal | None) -> str:
        """An amount in 万元, each cell rounded on its own."""
        if value is None:
            return ""
        return self._text(self.wan(value), self.amount_places, self.strip_zeros)

    def cell(self, value: Decimal | None) -> str:
        """A table cell: blank where the amount is zero, as the reference leaves it."""
        if value is None or value == 0:
            return ""
        return self.amount(value)

    def pct(self, rate: Decimal | None, places: int | None = None) -> str:
        """A percentage such as 8.44%; empty when there is no rate (zero base)."""
        if rate is None:
            return ""
        p = self.share_places if places is None else places
        return self._text(rate, p, False) + "%"

    def pct_short(self, rate: Decimal | None, places: int = 2) -> str:
        """A percentage with trailing zeros dropped (100% / 99.96%), as the 绩效 tables print it."""
        if rate is None:
            return ""
        return self._text(rate, places, True) + "%"

    def score(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        return self._text(value, self.score_places, True)
