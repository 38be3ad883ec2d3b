"""Derive what the 2024 national layout (profile national-2024) states beyond the Wuhan one.

The 2024 部门决算 template compares the 三公 with last year, describes every
项 of 政府性基金 and 国有资本经营, lists the 预留 figures of 政府采购 and the
预算绩效管理 statistics. ``national_facts`` gives those figures to templates.

``needs_table`` lists what that layout states but the file lacks, one row per
missing fact with the input path it belongs to; rule 待补 in rules.yaml turns
each row into a located warning. Only a layout of 2024 or later needs them
(the profile fixes the layout with ``classes_year``), so a Wuhan 2023 build
stays free of warnings.
"""

from __future__ import annotations

from decimal import Decimal

from yujuesuan.catalog import Catalog, available_years, load_catalog
from yujuesuan.derive.values import Change, Completion
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
    INCOME_CONTENTS,
    PERF_MANAGEMENT_KEYS,
    RESERVED_PROCUREMENT_KEYS,
    SANGONG_GROUPS,
    Model,
)

NATIONAL_LAYOUT = 2024
CAR = ("公务用车购置费", "公务用车运行维护费")
# 说明十: the 评级 of a self-evaluated project by its score: 优 ≥ 90, 良 ≥ 80, 合格 ≥ 60, else 不合格.
GRADES = (("优", Decimal(90)), ("良", Decimal(80)), ("合格", Decimal(60)), ("不合格", Decimal(0)))


def layout_year(catalog: Catalog) -> int:
    """The year whose class list the tables lay out: the catalog's, or the one a profile fixes."""
    for year in reversed(available_years()):
        if load_catalog(year).classes == catalog.classes:
            return year
    return catalog.year


def sangong_prior(model: Model, name: str) -> Decimal | None:
    """Last year's 三公 决算 of one heading; an item the 上年 block leaves out is zero."""
    if not model.sangong_prior:
        return None
    if name == "公务用车购置及运行维护费":
        return sum((model.sangong_prior.get(c, ZERO) for c in CAR), ZERO)
    return model.sangong_prior.get(name, ZERO)


def _sangong_actual(model: Model, name: str) -> Decimal:
    if name == "公务用车购置及运行维护费":
        return sum((model.sangong_actual.get(c, ZERO) for c in CAR), ZERO)
    return model.sangong_actual.get(name, ZERO)


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


# ---- what the 2024 layout needs that the file lacks ----


def _sangong_needs(model: Model) -> list[tuple[str, str]]:
    needs = []
    if sum(model.sangong_actual.values(), ZERO) and not model.sangong_prior:
        needs.append(("上年", "上年“三公”经费决算数（“上年.三公经费”），说明七要与上年比较"))
    for name in SANGONG_GROUPS:
        change = Change(_sangong_actual(model, name), sangong_prior(model, name))
        if change.known and change.diff and name not in model.sangong_change_reasons:
            what = f"{name}比上年{change.direction}的主要原因（“三公经费.变动原因.{name}”）"
            needs.append(("三公经费.变动原因", what))
    counts, texts = model.sangong_counts, model.sangong_texts
    wanted = (
        ("因公出国（境）费", ("因公出国团组数", "因公出国人次", "因公出国开支内容")),
        ("公务用车购置费", ("公务用车购置数量", "公务用车购置用途")),
        ("公务接待费", ("公务接待批次", "公务接待人次", "公务接待用途")),
    )
    for item, keys in wanted:
        missing = [k for k in keys if k not in counts and k not in texts]
        if model.sangong_actual.get(item) and missing:
            needs.append(("三公经费.明细", f"{item}的{'、'.join(missing)}（“三公经费.明细”）"))
    if model.sangong_actual.get("公务用车运行维护费") and not model.vehicle_use:
        needs.append(("三公经费", "公务用车运行维护费的主要用途（“三公经费.公务用车运行维护费用途”）"))
    return needs


def _item_needs(model: Model, tables: dict[str, DTable]) -> list[tuple[str, str]]:
    needs = []
    used = {r.key for t in ("05", "07", "08收支") for r in tables[t].rows if r.level == 3}
    for code in sorted(used):
        if not model.items[code].use:
            needs.append((f"科目.{code}", f"科目 {code} 的主要用途（“科目.{code}.用途”），说明五、八、九逐项写明"))
    for fund, table in (("政府性基金预算", "07"), ("国有资本经营预算", "08收支")):
        for row in tables[table].rows:
            if row.level == 3 and fund not in model.items[row.key].fund_budget:
                path = f"科目.{row.key}.{fund}财政拨款支出"
                needs.append((path, f"科目 {row.key} 的{fund}财政拨款年初预算数（“{path}.年初预算”）"))
        opening = model.fund_open.get(fund, ZERO)
        if tables[table].get("合计", "年初结转和结余") != opening:
            path = "结转结余.年初财政拨款结转和结余"
            needs.append((path, f"各科目的{fund}财政拨款年初结转和结余（合计应为公开04表的 {opening}）"))
    return needs


def _other_needs(model: Model, tables: dict[str, DTable]) -> list[tuple[str, str]]:
    needs = []
    if model.running_cost.get("决算") and "机关运行经费" not in model.prior:
        needs.append(("上年", "上年机关运行经费决算数（“上年.机关运行经费”），说明十一要与上年比较"))
    p = model.procurement
    missing = [k for k in RESERVED_PROCUREMENT_KEYS if k not in p]
    if sum((p.get(k, ZERO) for k in ("货物", "工程", "服务")), ZERO) and missing:
        needs.append(("政府采购", f"政府采购的{'、'.join(missing)}（“政府采购”）"))
    keys = PERF_MANAGEMENT_KEYS
    if model.perf_management is None:
        what = "“预算绩效管理”块（制度、工作机制、绩效目标和跟踪评价的项目数与金额、问题整改数）"
        needs.append(("预算绩效管理", what))
    elif unfilled := [k for k in keys if k not in model.perf_management]:
        needs.append(("预算绩效管理", f"预算绩效管理的{'、'.join(unfilled)}"))
    if model.subordinates and not model.subordinate_names:
        needs.append(("单位.下属单位数", "各下属单位的名称（“单位.下属单位”），部门决算单位构成要逐个列出"))
    for name in INCOME_CONTENTS:
        if tables["01"].get(name) and name not in model.income_contents:
            needs.append(("说明", f"{name}的主要内容（“说明.收入内容.{name}”），名词解释要列举"))
    return needs


def needs_table(model: Model, catalog: Catalog, tables: dict[str, DTable]) -> DTable:
    """待补: one row per fact the 2024 layout states that the file lacks (none for older layouts)."""
    rows = []
    if layout_year(catalog) >= NATIONAL_LAYOUT:
        needs = [*_sangong_needs(model), *_item_needs(model, tables), *_other_needs(model, tables)]
        for i, (path, what) in enumerate(needs, 1):
            row = Row(f"待补{i}", what, path=path)
            row.set("缺少", Decimal(1), 0)  # a count, not a rounded amount
            rows.append(row)
    return DTable("待补", ("缺少",), rows)
