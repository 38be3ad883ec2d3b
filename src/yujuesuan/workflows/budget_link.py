"""The 部门预算 and the 部门决算 of one unit and year, linked: every 年初预算 figure of the 决算 against the budget.

The 决算 restates the year's budget in these places: each 项's 年初预算 of its
一般公共预算财政拨款支出 (科目.<编码>.年初预算), the 年初预算 of its 政府性基金 /
国有资本经营预算 spending (科目.<编码>.<fund>财政拨款支出.年初预算), the “三公”
经费 预算 per item (三公经费.预算.<item>), and, when the file states them, the
total the 说明 declares (核对数.说明.年初预算) and the 机关运行经费 budget. ``juesuan_budgets`` collects them
with their locations; ``yusuan_budgets`` collects the same keys from a 预算 file;
``compare_files`` reads both files' bytes and reports each disagreement with both
locations (Finding.related holds the 预算 file's).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from yujuesuan.derive import Figures
from yujuesuan.derive.tolerance import fmt
from yujuesuan.errors import Finding, Findings, InputError, Location, Severity
from yujuesuan.input.load import load_bytes
from yujuesuan.kinds.detect import data_kind
from yujuesuan.kinds.juesuan.model import FUNDS, SANGONG_ITEMS, Model

ZERO = Decimal(0)
CENT = Decimal("0.01")
WAN = Decimal(10000)
OTHER_FUNDS = FUNDS[1:]  # 政府性基金预算, 国有资本经营预算: a 年初预算 beside their amounts (model.FUND_NOTES)

# A figure's key: ("项", code) | ("基金", fund, code) | ("三公", item) | ("合计",) | ("机关运行经费",)
Key = tuple[str, ...]
BLOCKS = {"三公": "三公经费", "合计": "科目", "机关运行经费": "机关运行经费"}
# Figures compared only when the 决算 states them: the 说明's declared total and the 机关运行经费 budget
# are optional in a 决算 file, and a budget is no reason to add them.
OPTIONAL = ("合计", "机关运行经费")


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

    names: tuple[str, ...]  # the unit's name (a 预算 has a 简称 and a 全称: either may head the 决算)
    year: int
    unit: str  # 元 or 万元
    figures: dict[Key, BudgetFigure]
    name_loc: Location
    year_loc: Location
    anchors: dict[str, Location]  # where a figure the file lacks would go: 科目, 科目.<code>, 三公经费, …

    def place(self, key: Key) -> Location:
        """Where the figure ``key`` belongs in this file (its 项, else its block), for a figure it lacks."""
        if key[0] in ("项", "基金"):
            code = key[-1]
            return self.anchors.get(f"科目.{code}") or self.anchors["科目"]
        return self.anchors.get(BLOCKS[key[0]]) or self.anchors["科目"]


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
    anchors = {p: model.loc(p) for p in ("科目", "三公经费", "机关运行经费")}
    anchors.update({f"科目.{c}": model.loc(f"科目.{c}") for c in model.items})
    return Budgets((model.name,), model.year, model.unit, out, model.loc("单位.名称"), model.loc("单位.年度"), anchors)


def yusuan_budgets(figures: Figures) -> Budgets:
    """The same figures of a 部门预算, from its derived tables (预算05, 08, 09, 10) and its 机关运行经费.

    A 项's 年初预算 is its 一般公共预算 amount of the year (预算05表, 上年结转 not included);
    政府性基金 and 国有资本经营预算 likewise (预算09、10表); “三公” per item (预算08表).
    """
    b: Any = figures.model
    t = figures.tables
    out: dict[Key, BudgetFigure] = {}

    def put(key: Key, value: Decimal, path: str) -> None:
        out[key] = BudgetFigure(key, value, b.loc(path), path)

    for row in t["05"].rows:
        if row.level == 3:
            put(("项", row.key), row.get("合计"), f"科目.{row.key}.{FUNDS[0]}")
    for fund, tid in zip(OTHER_FUNDS, ("09", "10")):
        for row in t[tid].rows:
            if row.level == 3:
                put(("基金", fund, row.key), row.get("合计"), f"科目.{row.key}.{fund}")
    if b.sangong:
        for name in SANGONG_ITEMS:
            put(("三公", name), t["08"].get("合计", name), f"三公经费.本年.{name}")
    put(("合计",), t["05"].get("合计", "合计"), "科目")
    if b.running is not None:
        put(("机关运行经费",), b.running, "机关运行经费.本年")
    anchors = {p: b.loc(p) for p in ("科目", "三公经费", "机关运行经费")}
    anchors.update({f"科目.{c}": b.loc(f"科目.{c}") for c in b.items})
    names = tuple(dict.fromkeys(n for n in (b.name, b.full_name) if n))
    return Budgets(names, b.year, b.unit, out, b.loc("单位.名称"), b.loc("单位.年度"), anchors)


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


def identity_findings(juesuan: Budgets, yusuan: Budgets, before: int = 0) -> list[Finding]:
    """Different years or units: the two files do not belong together, and nothing else is compared.

    ``before`` = 1 asks for last year's 决算 (the 上年 figures of the budget year's 决算).
    """
    out = []
    if juesuan.year + before != yusuan.year:
        want = "同一年度" if not before else f"上一年度（{yusuan.year - before} 年度）"
        out.append(_finding(
            "budget-year",
            f"决算文件是 {juesuan.year} 年度，预算文件是 {yusuan.year} 年度（{yusuan.year_loc}）："
            f"应是{want}的决算。",
            juesuan.year_loc, "单位.年度", (yusuan.year_loc,),
        ))  # fmt: skip
    if not {n.strip() for n in juesuan.names} & {n.strip() for n in yusuan.names}:
        out.append(_finding(
            "budget-unit",
            f"决算文件的单位是“{juesuan.names[0]}”，预算文件的单位是“{'”（全称“'.join(yusuan.names)}"
            f"{'”）' if len(yusuan.names) > 1 else '”'}（{yusuan.name_loc}）："
            "请给出本单位的部门预算文件（决算的单位名称应与预算的名称或全称一字不差）。",
            juesuan.name_loc, "单位.名称", (yusuan.name_loc,),
        ))  # fmt: skip
    return out


def compare(juesuan: Budgets, yusuan: Budgets) -> list[Finding]:
    """Each 年初预算 figure of the 决算 that disagrees with the budget, and each one only one file has."""
    found = identity_findings(juesuan, yusuan)
    if found:
        return found
    unit = "万元" if "万元" in (juesuan.unit, yusuan.unit) else "元"

    def money(value: Decimal) -> str:
        return f"{fmt(value)} {unit}"

    for key in dict.fromkeys([*yusuan.figures, *juesuan.figures]):
        mine, theirs = juesuan.figures.get(key), yusuan.figures.get(key)
        if mine is not None and theirs is not None:
            a, b = in_unit(mine.value, juesuan.unit, unit), in_unit(theirs.value, yusuan.unit, unit)
            if a != b:
                found.append(_finding(
                    "budget-mismatch",
                    f"{label(key)} {money(a)}，部门预算中是 {money(b)}（预算文件 {theirs.location}，{theirs.path}）："
                    f"决算文件{'多' if a > b else '少'}填了 {money(abs(a - b))}。{_should(key)}",
                    mine.location, mine.path, (theirs.location,),
                ))  # fmt: skip
        elif theirs is not None and theirs.value and key[0] not in OPTIONAL:
            path = _juesuan_path(key)
            has_item = key[0] in ("项", "基金") and f"科目.{key[-1]}" in juesuan.anchors
            lacks = "没有填写这个年初预算" if has_item or key[0] not in ("项", "基金") else f"没有科目 {key[-1]}"
            found.append(_finding(
                "budget-missing",
                f"部门预算中有{label(key)} {money(in_unit(theirs.value, yusuan.unit, unit))}"
                f"（预算文件 {theirs.location}，{theirs.path}），决算文件中{lacks}。请在“{path}”补上。",
                juesuan.place(key), path, (theirs.location,),
            ))  # fmt: skip
        elif mine is not None and mine.value and key[0] not in OPTIONAL:
            there = yusuan.place(key)
            found.append(_finding(
                "budget-extra",
                f"{label(key)}填为 {money(in_unit(mine.value, juesuan.unit, unit))}，"
                f"部门预算中没有这一项（预算文件 {there}）。请核对：年初预算应照当年部门预算填写。",
                mine.location, mine.path, (there,),
            ))  # fmt: skip
    return found


def _should(key: Key) -> str:
    if key[0] == "三公":  # the 决算's 三公 预算 is the year's budget after adjustments made by the rules
        return "“三公”经费预算数应照部门预算填写；年中按规定程序调整过的，请核对调整文件。"
    return "年初预算应照当年部门预算填写。"


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


# ---- the two files, as bytes ----

# Keys each kind's top level has and the other lacks; a 项 block is told by its keys (收入/支出 or a 预算 source).
KIND_NAMES = {"juesuan": "部门决算", "yusuan": "部门预算"}


def _wrong_kind(name: str, want: str, found: str | None) -> Finding:
    what = f"这是{KIND_NAMES[found]}数据文件" if found else "看不出这是部门决算还是部门预算的数据文件"
    return Finding("budget-kind", Severity.ERROR, f"{what}；这里应是{KIND_NAMES[want]}数据文件。", Location(name))


def compare_files(juesuan: bytes | str, juesuan_name: str, yusuan: bytes | str, yusuan_name: str) -> list[Finding]:
    """Every 年初预算 figure of the 决算 file that disagrees with the 预算 file, each with both locations.

    Reads nothing but the two inputs given (bytes or text; the names locate findings).
    A 决算 file that cannot be read returns its errors only; a 预算 file with errors
    returns them and one error saying the comparison was not made (its figures could
    be wrong). Files of different years or units: those errors only.
    """
    from yujuesuan.kinds import get_kind
    from yujuesuan.pipeline import check_source

    try:
        root, _, _ = load_bytes(juesuan, juesuan_name)
    except InputError as exc:
        return list(exc.findings)
    if (found := data_kind(root)) != "juesuan":
        return [_wrong_kind(juesuan_name, "juesuan", found)]
    findings = Findings()
    model = get_kind("juesuan").read(root, juesuan_name, findings)
    if findings.errors:
        return findings.errors
    try:
        yroot, _, _ = load_bytes(yusuan, yusuan_name)
    except InputError as exc:
        return list(exc.findings)
    if (found := data_kind(yroot)) != "yusuan":
        return [_wrong_kind(yusuan_name, "yusuan", found)]
    budget = check_source(yusuan, yusuan_name, kind=get_kind("yusuan"))
    if budget.figures is None or budget.errors:
        note = Finding(
            "budget-file", Severity.ERROR,
            f"部门预算文件 {yusuan_name} 有错误（见上），年初预算无法可靠核对。"
            f"请先改正（yujuesuan check {yusuan_name}）。",
            Location(yusuan_name),
        )  # fmt: skip
        return [*budget.errors, note]
    return compare(juesuan_budgets(model), yusuan_budgets(budget.figures))
