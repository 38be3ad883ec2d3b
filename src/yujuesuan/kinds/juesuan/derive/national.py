"""Derive what the 2024 national layout (profile national-2024) states beyond the Wuhan one.

The 2024 部门决算 template compares the 三公 with last year, describes every
项 of 政府性基金 and 国有资本经营, lists the 预留 figures of 政府采购 and the
预算绩效管理 statistics. ``national_facts`` gives those figures to templates.

These figures are the kind's (every build derives them; the JSON export and
``diff`` show them). What that layout states but the file lacks is the
national-2024 profile code's (kinds/juesuan/profiles/national_2024.py).
"""

from __future__ import annotations

from decimal import Decimal

from yujuesuan.catalog import Catalog
from yujuesuan.derive.values import Completion
from yujuesuan.kinds.juesuan.derive.facts import (
    FundFacts,
    FundItem,
    NationalFacts,
    PerfManagementFacts,
    PerfProject,
    SangongDetail,
)
from yujuesuan.kinds.juesuan.derive.tables import ZERO, DTable, Row
from yujuesuan.kinds.juesuan.model import (
    Model,
)

CAR = ("公务用车购置费", "公务用车运行维护费")
# 说明十: the 评级 of a self-evaluated project by its score: 优 ≥ 90, 良 ≥ 80, 合格 ≥ 60, else 不合格.
GRADES = (("优", Decimal(90)), ("良", Decimal(80)), ("合格", Decimal(60)), ("不合格", Decimal(0)))


def sangong_prior(model: Model, name: str) -> Decimal | None:
    """Last year's 三公 决算 of one heading; an item the 上年 block leaves out is zero."""
    if not model.sangong_prior:
        return None
    if name == "公务用车购置及运行维护费":
        return sum((model.sangong_prior.get(c, ZERO) for c in CAR), ZERO)
    return model.sangong_prior.get(name, ZERO)


def _fund_items(model: Model, catalog: Catalog, table: DTable, fund: str) -> list[FundItem]:
    out: list[FundItem] = []
    for row in table.rows:
        if row.level != 3:
            continue
        item = model.items[row.key]
        out.append({
            "编码": row.key, "名称": row.label,
            "类名": catalog.name(row.key[:3]) or "", "款名": catalog.name(row.key[:5]) or "",
            "决算": row.get("小计"), "预算": Completion(row.get("小计"), item.fund_budget.get(fund)),
            "用途": item.use, "原因": item.fund_reason.get(fund, ""),
        })  # fmt: skip
    return out


def fund_facts(model: Model, catalog: Catalog, table: DTable, fund: str) -> FundFacts:
    """说明八、九: a fund's 收入, 支出 and its 项 (from 公开07 or 08收支)."""
    total = table.row("合计") or Row("合计", "合计")  # no 合计 row: every figure 0

    def get(col: str) -> Decimal:
        return total.get(col)

    return {
        "空": table.empty, "年初结转和结余": get("年初结转和结余"), "收入": get("本年收入"), "支出": get("小计"),
        "年末结转和结余": get("年末结转和结余"), "项": _fund_items(model, catalog, table, fund),
    }  # fmt: skip


def _grades(projects: list[PerfProject]) -> dict[str, int]:
    counts = {name: 0 for name, _ in GRADES}
    for p in projects:
        name = next(name for name, floor in GRADES if p["总分"] >= floor)
        counts[name] += 1
    return counts


def perf_management(model: Model, projects: list[PerfProject]) -> PerfManagementFacts:
    """说明十: the typed 预算绩效管理 facts, plus the self-evaluation figures derived from 绩效.项目."""
    scores = [p["总分"] for p in projects]
    return {
        **(model.perf_management or {}),
        "已填": model.perf_management is not None,
        "自评项目数": len(projects),
        "自评项目金额": sum((p["预算"] for p in projects), ZERO),
        "平均得分": sum(scores, ZERO) / len(scores) if scores else None,
        "评级": _grades(projects),
    }


def national_facts(
    model: Model, catalog: Catalog, tables: dict[str, DTable], projects: list[PerfProject]
) -> NationalFacts:
    """The figures only the 2024 national layout states (new keys of the facts); ``projects`` are 绩效.项目."""
    return {
        "政府性基金收支": fund_facts(model, catalog, tables["07"], "政府性基金预算"),
        "国有资本经营收支": fund_facts(model, catalog, tables["08收支"], "国有资本经营预算"),
        "绩效管理": perf_management(model, projects),
        "收入内容": dict(model.income_contents),
    }


def sangong_detail(model: Model) -> SangongDetail:
    """三公 明细 as 说明七（二） of the 2024 layout states it: the counts and texts the file gives, 外宾接待费."""
    return {**model.sangong_counts, **model.sangong_texts, "外宾接待费": model.sangong_foreign}

