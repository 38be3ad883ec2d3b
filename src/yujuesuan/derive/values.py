"""Derived value types: a change against last year, a share, a completion rate.

They hold full-precision Decimals; rounding happens only when a template
formats them. A zero base gives no rate (None), never a division by zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

HUNDRED = Decimal(100)


def ratio(part: Decimal, whole: Decimal | None) -> Decimal | None:
    """part / whole × 100, or None when the whole is missing or zero."""
    if whole is None or whole == 0:
        return None
    return part * HUNDRED / whole


@dataclass(frozen=True)
class Change:
    """This year against last year."""

    current: Decimal
    previous: Decimal | None

    @property
    def known(self) -> bool:
        return self.previous is not None

    @property
    def diff(self) -> Decimal | None:
        return None if self.previous is None else self.current - self.previous

    @property
    def amount(self) -> Decimal | None:
        """The size of the change, without its sign (the wording carries the sign)."""
        return None if self.diff is None else abs(self.diff)

    @property
    def rate(self) -> Decimal | None:
        """The size of the change in percent of last year; None against a zero base."""
        if self.diff is None:
            return None
        r = ratio(abs(self.diff), self.previous)
        return r

    @property
    def direction(self) -> str:
        """增加 / 减少 / 持平 (empty when last year is unknown)."""
        if self.diff is None:
            return ""
        return "增加" if self.diff > 0 else "减少" if self.diff < 0 else "持平"

    @property
    def trend(self) -> str:
        """增长 / 下降 / 持平, the word that goes with the rate."""
        return {"增加": "增长", "减少": "下降", "持平": "持平"}.get(self.direction, "")

    @property
    def is_new(self) -> bool:
        """Last year was zero and this year is not: 新增, no rate."""
        return self.previous == 0 and self.current != 0


@dataclass(frozen=True)
class Share:
    """A part of a whole."""

    part: Decimal
    whole: Decimal

    @property
    def rate(self) -> Decimal | None:
        return ratio(self.part, self.whole)


@dataclass(frozen=True)
class Completion:
    """决算 against 预算: completion rate, and the gap."""

    actual: Decimal
    budget: Decimal | None

    @property
    def has_budget(self) -> bool:
        return self.budget is not None and self.budget != 0

    @property
    def rate(self) -> Decimal | None:
        return ratio(self.actual, self.budget)

    @property
    def gap(self) -> Decimal | None:
        """|决算 − 预算|; the wording (大于/小于) carries the sign."""
        return None if self.budget is None else abs(self.actual - self.budget)

    @property
    def relation(self) -> str:
        """大于 / 小于 / 等于: how the 决算 stands against the 预算."""
        if self.budget is None:
            return ""
        return "大于" if self.actual > self.budget else "小于" if self.actual < self.budget else "等于"
