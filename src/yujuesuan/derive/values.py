"""Derived value types: a change against last year, a share, a completion rate.

They hold full-precision Decimals; rounding happens only when a template
formats them. A zero base gives no rate (None), never a division by zero.

What a reader sees decides the wording: a change of 0.001 万元 prints as 0.00,
so it is 持平, not "增加 0.00 万元". The derived values carry no display; the
template context (compose/context.py) gives each one the profile's amount
formatter (``display``), and from then on 持平/等于/新增 compare displayed values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

HUNDRED = Decimal(100)
ZERO = Decimal(0)

Display = Callable[[Decimal], str]


def shows_zero(value: Decimal | None, display: Display | None) -> bool:
    """Whether ``value`` reads as zero: exactly zero, or zero at the display precision."""
    if value is None or value == 0:
        return True
    if display is None:
        return False
    text = display(value).replace(",", "").strip()
    try:
        return Decimal(text) == 0
    except InvalidOperation:
        return True  # a zero shown as a dash or left blank


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
    display: Display | None = field(default=None, compare=False, repr=False)

    @property
    def known(self) -> bool:
        return self.previous is not None

    @property
    def diff(self) -> Decimal | None:
        """This year − last year; zero when the change does not show at the display precision."""
        if self.previous is None:
            return None
        d = self.current - self.previous
        return ZERO if shows_zero(d, self.display) else d

    @property
    def amount(self) -> Decimal | None:
        """The size of the change, without its sign (the wording carries the sign)."""
        return None if self.diff is None else abs(self.diff)

    @property
    def rate(self) -> Decimal | None:
        """The size of the change in percent of last year; None against a zero base."""
        if self.diff is None or self.base_zero:
            return None
        return ratio(abs(self.diff), self.previous)

    @property
    def base_zero(self) -> bool:
        """Last year reads as zero (so no rate can be given)."""
        return self.previous is not None and shows_zero(self.previous, self.display)

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
        return self.base_zero and not shows_zero(self.current, self.display)

    @property
    def is_gone(self) -> bool:
        """This year reads as zero and last year did not: 减少到 0."""
        return self.known and not self.base_zero and shows_zero(self.current, self.display)


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
    display: Display | None = field(default=None, compare=False, repr=False)

    @property
    def has_budget(self) -> bool:
        """A budget that reads as more than zero (a rate can be given)."""
        return self.budget is not None and not shows_zero(self.budget, self.display)

    @property
    def rate(self) -> Decimal | None:
        return ratio(self.actual, self.budget) if self.has_budget else None

    @property
    def gap(self) -> Decimal | None:
        """|决算 − 预算|, zero when it does not show; the wording (大于/小于) carries the sign."""
        if self.budget is None:
            return None
        g = abs(self.actual - self.budget)
        return ZERO if shows_zero(g, self.display) else g

    @property
    def relation(self) -> str:
        """大于 / 小于 / 等于: how the 决算 stands against the 预算 as displayed."""
        if self.budget is None:
            return ""
        if self.gap == 0:
            return "等于"
        return "大于" if self.actual > self.budget else "小于"
