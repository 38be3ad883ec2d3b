"""The 部门预算 and the 部门决算 of one unit and year, linked: every 年初预算 figure of the 决算 against the budget.

The 决算 restates the year's budget in four places: each 项's 年初预算 of its
一般公共预算财政拨款支出 (科目.<编码>.年初预算), the 年初预算 of its 政府性基金 /
国有资本经营预算 spending (科目.<编码>.<fund>财政拨款支出.年初预算), the “三公”
经费 预算 per item (三公经费.预算.<item>), and, when the file declares it, the
total the 说明 states (核对数.说明.年初预算). ``juesuan_budgets`` collects them
with their locations; ``yusuan_budgets`` collects the same keys from a 预算 file;
``compare_files`` reads both files' bytes and reports each disagreement with both
locations (Finding.related holds the 预算 file's).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from yujuesuan.derive.tolerance import fmt
from yujuesuan.errors import Finding, Location, Severity
from yujuesuan.model import FUNDS, SANGONG_ITEMS, Model

ZERO = Decimal(0)
CENT = Decimal("0.01")
WAN = Decimal(10000)
OTHER_FUNDS = FUNDS[1:]  # 政府性基金预算, 国有资本经营预算: a 年初预算 beside their amounts (model.FUND_NOTES)

# A figure's key: ("项", code) | ("基金", fund, code) | ("三公", item) | ("合计",) | ("机关运行经费",)
Key = tuple[str, ...]


@dataclass(frozen=True)
class BudgetFigure:
    """One budget figure of either file: its value (in the file's 金额单位), where it is and its field path."""

    key: Key
    value: Decimal
    location: Location
    path: str


@dataclass(frozen=True)
class Budgets:
    """Every budget figure of one file, with what identifies the file (unit, year, money unit)."""

    name: str
    year: int
    unit: str  # 元 or 万元
    figures: dict[Key, BudgetFigure]
    name_loc: Location
    year_loc: Location
    codes_loc: Location  # where a missing 项 would go (the 科目 block)


def label(key: Key) -> str:
    """What a key names, as a message says it."""
    if key[0] == "项":
        return f"科目 {key[1]} 的一般公共预算财政拨款支出年初预算"
    if key[0] == "基金":
        return f"科目 {key[2]} 的{key[1]}财政拨款支出年初预算"
    if key[0] == "三公":
        return f"“三公”经费{key[1]}预算"
    if key[0] == "合计":
        return "一般公共预算财政拨款支出年初预算合计（核对数.说明.年初预算）"
    return "机关运行经费预算"


def juesuan_budgets(model: Model) -> Budgets:
    """The 年初预算 figures a 决算 file states, each with its location.

    A 项 without a 年初预算 key is absent here (not 0): a 项 the budget has
    and the 决算 does not state is then reported as missing from the 决算.
    """
    out: dict[Key, BudgetFigure] = {}

    def put(key: Key, value: Decimal | None, path: str) -> None:
        if value is not None:
            out[key] = BudgetFigure(key, value, model.loc(path), path)

    for code, item in model.items.items():
        put(("项", code), item.budget, f"科目.{code}.年初预算")
        for fund in OTHER_FUNDS:
            put(("基金", fund, code), item.fund_budget.get(fund), f"科目.{code}.{fund}财政拨款支出.年初预算")
    for name in SANGONG_ITEMS:
        put(("三公", name), model.sangong_budget.get(name), f"三公经费.预算.{name}")
    put(("合计",), model.declared.get(("说明", "年初预算", "")), "核对数.说明.年初预算")
    put(("机关运行经费",), model.running_cost.get("预算"), "机关运行经费.预算")
    return Budgets(
        model.name, model.year, model.unit, out, model.loc("单位.名称"), model.loc("单位.年度"), model.loc("科目")
    )


def in_unit(value: Decimal, unit: str, target: str) -> Decimal:
    """``value`` (in ``unit``) in ``target``: 元 → 万元 at the 分 of a 万元 figure (two places, half up).

    Two files in different money units agree when the 万元 file prints what the
    元 file rounds to; only that comparison is fair to the coarser file.
    """
    if unit == target:
        return value
    if target == "元":
        return value * WAN
    return (value / WAN).quantize(CENT, rounding=ROUND_HALF_UP)


def _finding(rule: str, message: str, where: Location, path: str, also: Iterable[Location]) -> Finding:
    return Finding(rule, Severity.ERROR, message, where, path, tuple(also))


def identity_findings(juesuan: Budgets, yusuan: Budgets) -> list[Finding]:
    """Different years or units: the two files do not belong together, and nothing else is compared."""
    out = []
    if juesuan.year != yusuan.year:
        out.append(_finding(
            "budget-year",
            f"决算文件是 {juesuan.year} 年度，预算文件是 {yusuan.year} 年度（{yusuan.year_loc}）："
            f"请给出同一年度的部门预算文件。",
            juesuan.year_loc, "单位.年度", (yusuan.year_loc,),
        ))  # fmt: skip
    if juesuan.name.strip() != yusuan.name.strip():
        out.append(_finding(
            "budget-unit",
            f"决算文件的单位是“{juesuan.name}”，预算文件的单位是“{yusuan.name}”（{yusuan.name_loc}）："
            "请给出本单位的部门预算文件（两处单位名称应一字不差）。",
            juesuan.name_loc, "单位.名称", (yusuan.name_loc,),
        ))  # fmt: skip
    return out


def compare(juesuan: Budgets, yusuan: Budgets) -> list[Finding]:
    """Each 年初预算 figure of the 决算 that disagrees with the budget, and each one only one file has."""
    found = identity_findings(juesuan, yusuan)
    if found:
        return found
    unit = "万元" if "万元" in (juesuan.unit, yusuan.unit) else "元"
    shown = f" {unit}"
    keys = list(dict.fromkeys([*yusuan.figures, *juesuan.figures]))
    for key in keys:
        mine, theirs = juesuan.figures.get(key), yusuan.figures.get(key)
        if mine is not None and theirs is not None:
            a, b = in_unit(mine.value, juesuan.unit, unit), in_unit(theirs.value, yusuan.unit, unit)
            if a != b:
                found.append(_finding(
                    "budget-mismatch",
                    f"{label(key)} {fmt(a)}{shown} 与部门预算中的 {fmt(b)}{shown} 不一致"
                    f"（预算文件 {theirs.location}，{theirs.path}）；相差 {fmt(a - b)}{shown}。",
                    mine.location, mine.path, (theirs.location,),
                ))  # fmt: skip
        elif theirs is not None and theirs.value:
            where = _missing_place(juesuan, key)
            found.append(_finding(
                "budget-missing",
                f"部门预算中有{label(key)} {fmt(in_unit(theirs.value, yusuan.unit, unit))}{shown}"
                f"（预算文件 {theirs.location}，{theirs.path}），决算文件中没有填写。请在“{_juesuan_path(key)}”补上。",
                where, _juesuan_path(key), (theirs.location,),
            ))  # fmt: skip
        elif mine is not None and mine.value and key[0] != "合计":
            found.append(_finding(
                "budget-extra",
                f"{label(key)} 填为 {fmt(in_unit(mine.value, juesuan.unit, unit))}{shown}，"
                f"部门预算中没有这一项（预算文件 {yusuan.codes_loc}）。请核对：年初预算应照当年部门预算填写。",
                mine.location, mine.path, (yusuan.codes_loc,),
            ))  # fmt: skip
    return found


def _juesuan_path(key: Key) -> str:
    if key[0] == "项":
        return f"科目.{key[1]}.年初预算"
    if key[0] == "基金":
        return f"科目.{key[2]}.{key[1]}财政拨款支出.年初预算"
    if key[0] == "三公":
        return f"三公经费.预算.{key[1]}"
    if key[0] == "合计":
        return "核对数.说明.年初预算"
    return "机关运行经费.预算"


def _missing_place(juesuan: Budgets, key: Key) -> Location:
    """Where a figure the 决算 lacks belongs: its 项 when the 决算 has the 项, else the 科目 block."""
    return juesuan.codes_loc
