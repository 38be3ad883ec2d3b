"""Compare two sides of a rule with the 尾数误差 of rounded 万元 leaves.

Each side of a comparison is a sum of cells; each cell carries the count of
rounded leaves summed into it (derive/rows.py). With 万元 input every leaf is
within 0.005 of its true value, so two sides of k and m leaves that should be
equal may differ by 0.005 per leaf on each side: within that, a warning naming both
figures, their leaf counts and the difference; beyond it, an error. With 元
input the figures are exact and any difference is an error.

A comparison is made on the figures as shown (declared totals applied) and on
the figures derived from the leaves; the finding quotes the pair it is about,
never a pair that agrees ("相差 0").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
PER_LEAF = Decimal("0.005")


@dataclass(frozen=True)
class Side:
    shown: Decimal
    derived: Decimal
    leaves: int
    adjusted: int = 0  # cells whose shown figure is a declared total that differs from the derived one


@dataclass(frozen=True)
class Verdict:
    """What to report: the figures compared, whether beyond tolerance, and a detail sentence."""

    left: Decimal
    right: Decimal
    diff: Decimal
    beyond: bool
    detail: str


def fmt(value: Decimal) -> str:
    """An amount as a message quotes it: at least two decimals (相差 1.00, 0.10), more if it has them."""
    exponent = value.as_tuple().exponent  # an int: amounts are finite (no NaN's "n")
    if isinstance(exponent, int) and exponent > -2:
        value = value.quantize(Decimal("0.01"))
    return format(value, "f")


def tolerance(left: Side, right: Side, unit: str) -> Decimal:
    """0.005 per rounded leaf on each side: the most that rounding alone can make.

    Why not a statistical bound (errors mostly cancel, so 0.005 × √(3n) would catch a
    0.10 typo over 20 leaves)? Because across a province's thousands of units and dozens
    of rules, a "3 sigma" bound is exceeded by honest rounding every day, and an error
    blocks publication of figures that are right. A difference within this bound is
    still reported, as a warning quoting both figures, so a typo is seen, not hidden.
    """
    if unit != "万元":
        return ZERO
    return (PER_LEAF * (left.leaves + right.leaves)).normalize()


def _holds(op: str, left: Decimal, right: Decimal, slack: Decimal) -> bool:
    if op == "le":
        return left <= right + slack
    return abs(left - right) <= slack


def judge(left: Side, right: Side, unit: str, op: str = "eq", same_source: bool = False) -> Verdict | None:
    """None when both pairs agree exactly; else the pair to report and how.

    ``same_source``: both sides are made from the same leaves (a row's 小计 and its
    columns, 01's class rows and 03's). Then a difference made by one declared
    total alone is the one the 核对数 finding already names (derive/declared.py).
    """
    tol = tolerance(left, right, unit)
    pairs = [("shown", left.shown, right.shown), ("derived", left.derived, right.derived)]
    failing = [p for p in pairs if not _holds(op, p[1], p[2], ZERO)]
    if not failing:
        return None
    if same_source and failing[0][0] == "shown" and len(failing) == 1 and left.adjusted + right.adjusted == 1:
        return None
    beyond = [p for p in failing if not _holds(op, p[1], p[2], tol)]
    kind, lv, rv = (beyond or failing)[0]
    diff = abs(lv - rv)
    parts = []
    if kind == "derived" and (left.shown, right.shown) != (left.derived, right.derived):
        parts.append(f"以上按明细推算；表中所列分别为 {fmt(left.shown)} 和 {fmt(right.shown)}。")
    if unit == "万元" and left.leaves + right.leaves:
        where = "超出" if beyond else "在"
        after = "" if beyond else "内"
        counts = f"两方分别由 {left.leaves} 个和 {right.leaves} 个万元数相加"
        parts.append(f"{counts}，相差 {fmt(diff)} {where}尾数误差范围（{fmt(tol)}）{after}。")
    return Verdict(lv, rv, diff, bool(beyond), "".join(parts))
