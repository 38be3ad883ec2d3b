"""Derive the figures the 说明 states: changes, shares, completion rates and lists.

Everything here reads the derived tables (so a declared total that is shown
in a table is also the figure in the sentence) plus the facts of the model.
The result is a plain mapping that templates read as ``f.收入.变动.rate``,
typed group by group in derive/facts.py.
"""

from __future__ import annotations

from decimal import Decimal

from yujuesuan.catalog import Catalog
from yujuesuan.derive.values import Change, Completion, Share, ratio
from yujuesuan.kinds.juesuan.derive.facts import (
    Balances,
    ClassChange,
    ClassRow,
    EconGroup,
    Facts,
    ItemRow,
    Performance,
    PerfOverall,
    PerfProject,
    Procurement,
    Sangong,
    SangongItem,
    Score,
    SourceChange,
    SourceShare,
)
from yujuesuan.kinds.juesuan.derive.national import national_facts, sangong_detail, sangong_prior
from yujuesuan.kinds.juesuan.derive.tables import ZERO, DTable
from yujuesuan.kinds.juesuan.model import (
    FISCAL_SOURCES,
    FUNDS,
    INCOME_SOURCES,
    RESERVED_PROCUREMENT_KEYS,
    SANGONG_ITEMS,
    SPENDING_TYPES,
    VEHICLE_TYPES,
    Model,
    Project,
)


def _fiscal_prior(model: Model) -> Decimal | None:
    """Last year's 财政拨款收入: its 一般公共预算 part is required, the two funds' parts count as 0 when absent."""
    if "一般公共预算财政拨款收入" not in model.prior:
        return None
    return sum((model.prior.get(f"{s}收入", ZERO) for s in FISCAL_SOURCES), ZERO)


def _source_changes(model: Model, t01: DTable) -> list[SourceChange]:
    """Each income source against last year (the 财政拨款 funds one by one), where either year is non-zero."""
    out: list[SourceChange] = []
    for src in INCOME_SOURCES:
        key = f"{src}收入" if src in FISCAL_SOURCES else src
        current, previous = t01.get(key), model.prior.get(key)
        if current != 0 or previous:
            out.append({"名称": key, "金额": current, "变动": Change(current, previous)})
    return out


def _sources(model: Model, t01: DTable, whole: Decimal) -> list[SourceShare]:
    """Income by source for 说明二: 财政拨款收入 as one line, then every other source, zero or not.

    The sections list the non-zero ones unless the profile asks for zeros too (sections.list_zero_items,
    the 列项 helper), and the income chart draws the non-zero ones.
    """
    fiscal = sum((t01.get(s + "收入") for s in FISCAL_SOURCES), ZERO)
    change = Change(fiscal, _fiscal_prior(model))
    out: list[SourceShare] = [{"名称": "财政拨款收入", "金额": fiscal, "占比": Share(fiscal, whole), "变动": change}]
    for src in INCOME_SOURCES[3:]:
        v = t01.get(src)
        out.append({"名称": src, "金额": v, "占比": Share(v, whole), "变动": Change(v, model.prior.get(src))})
    return out


def _spending_types(model: Model, t03: DTable, whole: Decimal) -> list[SourceShare]:
    total = t03.row("合计")
    out: list[SourceShare] = []
    for kind in SPENDING_TYPES:
        v = total.get(kind) if total else ZERO
        out.append({"名称": kind, "金额": v, "占比": Share(v, whole), "变动": Change(v, model.prior.get(kind))})
    return out


def _class_changes(model: Model, t05: DTable, catalog: Catalog) -> list[ClassChange]:
    """Each 类 of 公开05 against last year's (上年.一般公共预算类), including a 类 gone to 0 this year."""
    now = {row.key: row.get("小计") for row in t05.rows if row.level == 1}
    before = model.prior_classes
    codes = sorted(set(now) | set(before or {}))
    out: list[ClassChange] = []
    for code in codes:
        previous = None if before is None else before.get(code, ZERO)
        out.append({"编码": code, "名称": catalog.name(code) or code, "变动": Change(now.get(code, ZERO), previous)})
    return out


def _classes05(t05: DTable, model: Model) -> list[ClassRow]:
    whole = t05.get("合计", "小计")
    out: list[ClassRow] = []
    for row in t05.rows:
        if row.level != 1:
            continue
        kuans = [r for r in t05.rows if r.level == 2 and r.key.startswith(row.key)]
        previous = None if model.prior_classes is None else model.prior_classes.get(row.key, ZERO)
        out.append({
            "编码": row.key, "名称": row.label, "金额": row.get("小计"), "占比": Share(row.get("小计"), whole),
            "款": [k.label for k in kuans], "用途": model.class_uses.get(row.key, ""),
            "变动": Change(row.get("小计"), previous),
        })  # fmt: skip
    return out


def _items05(t05: DTable, model: Model, catalog: Catalog) -> list[ItemRow]:
    out: list[ItemRow] = []
    for row in t05.rows:
        if row.level != 3:
            continue
        item = model.items[row.key]
        out.append({
            "编码": row.key, "名称": row.label,
            "类名": catalog.name(row.key[:3]) or "", "款名": catalog.name(row.key[:5]) or "",
            "决算": row.get("小计"), "预算": Completion(row.get("小计"), item.budget or ZERO),
            "原因": item.reason, "路径": f"科目.{row.key}", "用途": item.use,
        })  # fmt: skip
    return out


def _econ_names(t06: DTable, catalog: Catalog, personnel: bool, others: bool = False) -> list[str]:
    """Non-empty 经济分类 items, for 说明六's 主要包括 list (其他… items only if ``others``)."""
    names = []
    for item in catalog.econ_items:
        if (item.parent in catalog.personnel_classes) != personnel:
            continue
        if item.code.endswith("99") and not others:
            # 其他… catch-alls (30199, 30299, 30399, 31099) are not named; 30112
            # 其他社会保障缴费 is a real item and is (reference 000, 说明六).
            continue
        if t06.get(item.code) != 0:
            names.append(item.name)
    return names


def _score(weight: Decimal, rate: Decimal | None, scores: list[Decimal]) -> Score:
    """执行得分 = 分值 × 执行率, never above the 分值; 总分 adds the indicator scores."""
    exec_score = ZERO if rate is None else min(weight, weight * rate / 100)
    return {"执行得分": exec_score, "总分": exec_score + sum(scores, ZERO)}


def narrative(model: Model, catalog: Catalog, tables: dict[str, DTable]) -> Facts:
    """The figures of 说明 一–十三 and of the 绩效 tables (in this order: the JSON export keeps it)."""
    t01, t03, t04, t05, t06, t09 = (tables[k] for k in ("01", "03", "04", "05", "06", "09"))
    prior = model.prior.get
    income, spending = t01.get("本年收入合计"), t01.get("本年支出合计")
    gpb = t05.get("合计", "小计")
    gpb_project = t05.get("合计", "项目支出")
    budgets = [model.items[r.key].budget or ZERO for r in t05.rows if r.level == 3]
    performance = _performance(model, gpb_project, t03, spending)
    balances: Balances = {
        "年初结转和结余": Change(t01.get("年初结转和结余"), prior("年初结转和结余")),
        "年末结转和结余": Change(t01.get("年末结转和结余"), prior("年末结转和结余")),
    }
    f: Facts = {
        "收支总计": Change(t01.get("收入总计"), prior("收支总计")),
        "收入合计": Change(income, prior("收入合计")),
        "收入来源": _sources(model, t01, income),
        "收入来源变动": _source_changes(model, t01),
        "支出合计": Change(spending, prior("支出合计")),
        "支出类型": _spending_types(model, t03, spending),
        "基本支出": Share(t03.get("合计", "基本支出"), spending),
        "项目支出": Share(t03.get("合计", "项目支出"), spending),
        "财政拨款收支总计": Change(t04.get("收入总计", "金额"), prior("财政拨款收支总计")),
        "一般公共预算财政拨款收入": Change(t04.get("一般公共预算财政拨款", "金额"), prior("一般公共预算财政拨款收入")),
        "政府性基金预算财政拨款收入": t04.get("政府性基金预算财政拨款", "金额"),
        "国有资本经营预算财政拨款收入": t04.get("国有资本经营预算财政拨款", "金额"),
        "一般公共预算财政拨款支出": Change(gpb, prior("一般公共预算财政拨款支出")),
        "一般公共预算财政拨款支出占比": Share(gpb, spending),
        "一般公共预算类": _classes05(t05, model),
        "一般公共预算类变动": _class_changes(model, t05, catalog),
        "结转结余": balances,
        "一般公共预算项": _items05(t05, model, catalog),
        "一般公共预算基本支出": t05.get("合计", "基本支出"),
        "一般公共预算项目支出": gpb_project,
        "年初预算": Completion(gpb, sum(budgets, ZERO)),
        "人员经费": _econ_group(t06, catalog, "人员经费合计", personnel=True),
        "公用经费": _econ_group(t06, catalog, "公用经费合计", personnel=False),
        "政府性基金": {"空": tables["07"].empty, "支出": tables["07"].get("合计", "小计")},
        "国有资本经营": {"空": tables["08"].empty, "支出": tables["08"].get("合计", "合计")},
        "三公": _sangong(model, t09),
        "机关运行经费": {
            "决算": Completion(model.running_cost.get("决算", ZERO), model.running_cost.get("预算", ZERO)),
            "变动": Change(model.running_cost.get("决算", ZERO), prior("机关运行经费")),
            "说明": model.running_cost_note,
        },
        "政府采购": _procurement(model),
        "国有资产": {
            "车辆合计": sum(model.vehicles.values()),
            "车辆": [{"名称": k, "数量": model.vehicles.get(k, 0)} for k in VEHICLE_TYPES],
            "大型设备": model.big_equipment,
        },
        "绩效": performance,
        "年末财政拨款结转和结余": {fund: model.fund_close.get(fund, ZERO) for fund in FUNDS},
        **national_facts(model, catalog, tables, performance["项目"]),
    }
    return f


def _econ_group(t06: DTable, catalog: Catalog, total: str, personnel: bool) -> EconGroup:
    # 全部科目: the national template's list runs to the 其他… items (…其他对个人和家庭的补助).
    return {
        "金额": t06.get(total),
        "科目": _econ_names(t06, catalog, personnel),
        "全部科目": _econ_names(t06, catalog, personnel, others=True),
    }


def _sangong(model: Model, t09: DTable) -> Sangong:
    def item(side: str, name: str) -> Decimal:
        return t09.get("合计", f"{side}.{name}")

    names = (*SANGONG_ITEMS[:1], "公务用车购置及运行维护费", *SANGONG_ITEMS[1:])
    total = item("决算", "合计")
    items: dict[str, SangongItem] = {
        n: {
            "名称": n, "预算": item("预算", n), "决算": item("决算", n),
            "完成": Completion(item("决算", n), item("预算", n)),
            "变动": Change(item("决算", n), sangong_prior(model, n)),
            "原因": model.sangong_reasons.get(n, ""),
            # 2024 national 说明七: each heading's share of the total, and why it changed against last year
            "占比": Share(item("决算", n), total), "变动原因": model.sangong_change_reasons.get(n, ""),
        }
        for n in names
    }  # fmt: skip
    total_prior = sum(model.sangong_prior.values(), ZERO) if model.sangong_prior else None
    return {
        "预算": item("预算", "合计"),
        "决算": total,
        "完成": Completion(total, item("预算", "合计")),
        "变动": Change(total, total_prior),
        "原因": model.sangong_reasons.get("合计", ""),
        "项": items,
        "保有量": model.vehicles_held,
        "用途": model.vehicle_use,
        "明细": sangong_detail(model),
    }


def _procurement(model: Model) -> Procurement:
    p = model.procurement
    goods, works, services = (p.get(k, ZERO) for k in ("货物", "工程", "服务"))
    total = goods + works + services
    sme = p.get("授予中小企业合同金额", ZERO)
    small = p.get("其中授予小微企业合同金额", ZERO)
    goods_sme = p.get("货物授予中小企业合同金额", ZERO)
    out: Procurement = {
        "总额": total, "货物": goods, "工程": works, "服务": services,
        "中小企业": Share(sme, total), "小微企业": Share(small, sme), "货物中小企业": Share(goods_sme, goods),
    }  # fmt: skip
    for key in RESERVED_PROCUREMENT_KEYS:  # 2024 national 说明十一（二）, only those the file gives
        if key in p:
            out[key] = p[key]
    return out


def _project(p: Project) -> PerfProject:
    """A project's 自评表; its texts are the file's (validate_perf reads every PROJECT_TEXTS key)."""
    rate = ratio(p.actual, p.budget)
    t = p.texts.get
    return {
        "名称": p.name, "科目": p.code, "预算": p.budget, "执行": p.actual, "执行率": rate,
        "分值": p.exec_weight, **_score(p.exec_weight, rate, [i.score for i in p.indicators]),
        "指标": p.indicators,
        "主要成效": t("主要成效", ""), "产出和效益": t("产出和效益", ""), "发现的问题": t("发现的问题", ""),
        "改进措施": t("改进措施", ""), "项目类别": t("项目类别", ""), "项目属性": t("项目属性", ""),
        "项目类型": t("项目类型", ""), "偏差原因": t("偏差原因", ""),
        "改进措施及结果应用": t("改进措施及结果应用", ""), "主管部门": t("主管部门", ""),
        "实施单位": t("实施单位", ""),
    }  # fmt: skip


def _performance(model: Model, gpb_project: Decimal, t03: DTable, spending: Decimal) -> Performance:
    perf = model.performance
    projects = [_project(p) for p in perf.projects]
    funds = sum((p.actual for p in perf.projects), ZERO)
    overall_rate = ratio(spending, perf.overall_budget)
    scores = [i.score for g in perf.goals for i in g.indicators]
    overall: PerfOverall = {
        "基本支出": t03.get("合计", "基本支出"), "项目支出": t03.get("合计", "项目支出"),
        "预算": perf.overall_budget or ZERO, "执行": spending, "执行率": overall_rate,
        "分值": perf.overall_exec_weight, **_score(perf.overall_exec_weight, overall_rate, scores),
        "目标": perf.goals,
        "偏差原因": perf.overall_texts.get("偏差原因", ""), "改进措施": perf.overall_texts.get("改进措施", ""),
    }  # fmt: skip
    # A file without a 绩效 block still gives templates every key, empty.
    texts = perf.texts.get
    return {
        "项目": projects,
        "项目个数": len(projects),
        "项目资金": Share(funds, gpb_project),
        "整体": overall,
        "管理工作开展情况": texts("管理工作开展情况", ""),
        "整体自评结论": texts("整体自评结论", ""),
        "结果应用情况": texts("结果应用情况", ""),
    }
