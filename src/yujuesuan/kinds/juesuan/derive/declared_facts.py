"""Declared totals of figures the 说明 states but no table shows (核对数 → 说明).

    核对数:
      说明: {年初预算: 523.03, 政府采购总额: 1.59, 上年三公经费: 4.80}

年初预算 is the total 年初预算 of 一般公共预算财政拨款 spending (说明五（三）),
the sum of the 项's 年初预算; 政府采购总额 is 货物 + 工程 + 服务 (说明十一);
上年三公经费 is last year's 三公 total that 说明七 compares with (上年.三公经费). A
declared figure replaces the sum in the narrative when it is within 0.005 per
rounded 万元 figure summed (尾数误差, a warning), else it is an error; with 元
input it must match exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from yujuesuan.derive.tolerance import PER_LEAF, fmt
from yujuesuan.derive.values import Change, Completion, Share
from yujuesuan.errors import Findings
from yujuesuan.kinds.juesuan.derive.facts import Facts
from yujuesuan.kinds.juesuan.model import Model

ZERO = Decimal(0)
TABLE = "说明"


def _budget(model: Model, facts: Facts) -> tuple[Decimal, int]:
    budgets = [it.budget for it in model.items.values() if it.budget]
    return facts["年初预算"].budget or ZERO, len(budgets)


def _set_budget(facts: Facts, value: Decimal) -> None:
    facts["年初预算"] = Completion(facts["年初预算"].actual, value)


def _procurement(model: Model, facts: Facts) -> tuple[Decimal, int]:
    parts = [model.procurement.get(k, ZERO) for k in ("货物", "工程", "服务")]
    return facts["政府采购"]["总额"], sum(1 for p in parts if p)


def _set_procurement(facts: Facts, value: Decimal) -> None:
    p = facts["政府采购"]
    p["总额"] = value
    p["中小企业"] = Share(p["中小企业"].part, value)


def _sangong_prior(model: Model, facts: Facts) -> tuple[Decimal, int]:
    previous = facts["三公"]["变动"].previous
    return previous or ZERO, sum(1 for v in model.sangong_prior.values() if v)


def _set_sangong_prior(facts: Facts, value: Decimal) -> None:
    change = facts["三公"]["变动"]
    facts["三公"]["变动"] = Change(change.current, value)


FACTS: dict[str, tuple[str, Callable[[Model, Facts], tuple[Decimal, int]], Callable[[Facts, Decimal], None]]] = {
    "年初预算": ("一般公共预算财政拨款支出年初预算合计", _budget, _set_budget),
    "政府采购总额": ("政府采购支出总额", _procurement, _set_procurement),
    "上年三公经费": ("上年“三公”经费决算合计", _sangong_prior, _set_sangong_prior),
}


def is_fact(table: str) -> bool:
    return table == TABLE


def apply_declared_facts(model: Model, facts: Facts, findings: Findings) -> None:
    for (table, key, col), declared in model.declared.items():
        if table != TABLE:
            continue
        path = f"核对数.{table}.{key}" + (f".{col}" if col else "")
        loc = model.loc(path)
        if key not in FACTS or col:
            findings.add(
                "declared-unknown",
                f"核对数“说明 / {key}{' / ' + col if col else ''}”不是说明中的合计数。可填：{'、'.join(FACTS)}。",
                loc,
                path,
            )
            continue
        label, derive, apply = FACTS[key]
        derived, leaves = derive(model, facts)
        if declared == derived:
            continue
        diff = abs(declared - derived)
        tolerance = PER_LEAF * max(leaves, 1) if model.unit == "万元" else ZERO
        if diff <= tolerance:
            apply(facts, declared)
            findings.warn(
                "declared-rounding",
                f"说明中的{label}填报数 {fmt(declared)} 与明细之和 {fmt(derived)} 相差 {fmt(diff)}，"
                f"在尾数误差范围（{max(leaves, 1)} 个万元数，{fmt(tolerance)}）内，说明采用填报数。",
                loc,
                path,
            )
        else:
            findings.add(
                "declared-mismatch",
                f"说明中的{label}填报数 {fmt(declared)} ≠ 明细之和 {fmt(derived)}（相差 {fmt(diff)}），"
                "超出尾数误差范围。请核对明细或合计。",
                loc,
                path,
            )
