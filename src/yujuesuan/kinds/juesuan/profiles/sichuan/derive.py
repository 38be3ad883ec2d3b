"""Derive what the Sichuan layout (profile ``sichuan``, reference 003) needs beyond the nine tables.

Tables (ids start with 川 so that ``Tables`` never reads them as a variant of 01–09):

- 川05 财政拨款支出决算明细表: every 财政拨款 fund's spending by 经济分类, 基本/项目;
- 川07 一般公共预算财政拨款支出决算明细表: the same for 一般公共预算 alone, 基本支出
  split into 人员经费 and 公用经费;
- 川09 一般公共预算财政拨款项目支出决算表: 项目支出 by 经济分类, every item listed;
- 川车辆, 川机构: one-row tables that let rules.yaml audit the 公务用车明细 and
  机构设置 blocks (only when the file has them).

Facts (``figures.facts["四川"]``): the enumerations 说明 二、三、五（二）、六 print
with zeros included, the 三公 counts of 说明七, 机构设置, 政府采购, 国有资产,
预算绩效管理, 名词解释 and 附件 — and ``缺少``, the facts the layout states but
the file lacks. Such a fact is printed as 【未填报…】 and recorded in the
``Missing`` list (kinds/juesuan/profiles), which reports the ones the profile's
``requires`` names as located warnings.

Only a profile naming this code, or a file that has one of the Sichuan blocks,
gets them (profiles/sichuan/__init__.py): the figures of any other build stay
as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Final, TypedDict

from yujuesuan.catalog import Catalog
from yujuesuan.compose.grammar import missing as mark
from yujuesuan.derive import Figures
from yujuesuan.derive.values import Share
from yujuesuan.errors import Findings
from yujuesuan.kinds.juesuan.derive.facts import (
    CarsBought,
    CarsHeld,
    CodedShare,
    EconItem,
    NamedShare,
    OrganisationFacts,
    Reception,
    SichuanFacts,
    SichuanPerformance,
    SichuanSangong,
    Term,
    VehicleCount,
)
from yujuesuan.kinds.juesuan.derive.tables import ZERO, DTable, Row
from yujuesuan.kinds.juesuan.model import FUNDS, INCOME_SOURCES, SPENDING_TYPES, VEHICLE_TYPES, Model, SangongCountKey
from yujuesuan.kinds.juesuan.profiles import Missing
from yujuesuan.kinds.juesuan.validate_extra import (
    ANNEXES,
    CAR_TYPES,
    FUND_ECON,
    FUND_KINDS,
    ORGANISATION,
    OTHER_FUNDS,
    PERF_MANAGEMENT,
    PROJECT_ECON,
    TERMS,
    VEHICLES,
    Organisation,
    PerfManagement,
    VehicleDetail,
)

KEY: Final = "四川"
# The 经济分类 类 of 川09, in three column groups as 公开06 (the third takes every other 类).
PERSONNEL_GROUP = ("301", "303")
PUBLIC_GROUP = ("302",)
COLS05 = ("合计", "基本支出", "项目支出", *(f"{fund}.{kind}" for fund in FUNDS for kind in FUND_KINDS))
COLS07 = ("合计", "基本支出", "人员经费", "公用经费", "项目支出")
# Where in the input a missing fact is typed (the 三公 counts live in the 三公经费 block).
FACT_PATHS = {"三公经费明细": "三公经费.明细"}
SANGONG_HEADS = ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")
# 国有资产: the vehicle kinds reference 003 always names; the others only when the unit has them.
VEHICLES_ALWAYS = ("主要领导干部用车", "机要通信用车", "应急保障用车", "其他用车")


def placeholder(what: str) -> str:
    """The visible mark of a fact the file lacks: 【未填报项目支出经济分类】."""
    return mark(what, "未填报")


def derive(figures: Figures, missing: Missing) -> None:
    """Add the Sichuan tables and facts to ``figures``; record in ``missing`` what the file lacks."""
    figures.tables.update(build_tables(figures))
    figures.facts[KEY] = build_facts(figures, missing)


# ---- tables ----


def _fund_econ(model: Model) -> dict[str, dict[str, dict[str, Decimal]]]:
    return model.extra.get(FUND_ECON, {})


def _econ_values(model: Model) -> dict[str, dict[str, Decimal]]:
    """code → {fund.kind: amount}: every 财政拨款 figure typed by 经济分类."""
    values: dict[str, dict[str, Decimal]] = {}

    def put(code: str, col: str, amount: Decimal) -> None:
        values.setdefault(code, {})[col] = values.get(code, {}).get(col, ZERO) + amount

    for code, amount in model.econ.items():
        put(code, "一般公共预算.基本支出", amount)
    for code, amount in model.extra.get(PROJECT_ECON, {}).items():
        put(code, "一般公共预算.项目支出", amount)
    for fund, kinds in _fund_econ(model).items():
        for kind, amounts in kinds.items():
            for code, amount in amounts.items():
                put(code, f"{fund}.{kind}", amount)
    return values


def _fund_totals(figures: Figures) -> dict[str, Decimal]:
    """Each fund's 基本支出 and 项目支出 from the nine tables (公开05, 07, 08)."""
    t = figures.tables
    out = {}
    for fund, tid in zip(FUNDS, ("05", "07", "08")):
        for kind in FUND_KINDS:
            out[f"{fund}.{kind}"] = t[tid].get("合计", kind)
    return out


def _unfilled(figures: Figures) -> list[Row]:
    """Placeholder rows: the spending of a fund whose 经济分类 the file lacks, shown as 【未填报…】."""
    model, totals = figures.model, _fund_totals(figures)
    rows = []
    gpb_project = totals["一般公共预算.项目支出"]
    if PROJECT_ECON not in model.extra and gpb_project:
        row = Row("未填报项目支出经济分类", placeholder("项目支出经济分类"), 1, path=PROJECT_ECON)
        row.set("一般公共预算.项目支出", gpb_project, 1)
        rows.append(row)
    other = {
        col: totals[col]
        for fund in OTHER_FUNDS
        if fund not in _fund_econ(model)
        for col in (f"{fund}.{kind}" for kind in FUND_KINDS)
        if totals[col]
    }
    if other:
        row = Row("未填报其他财政拨款经济分类", placeholder("其他财政拨款经济分类"), 1, path=FUND_ECON)
        for col, amount in other.items():
            row.set(col, amount, 1)
        rows.append(row)
    return rows


def _econ_path(code: str, cols: dict[str, Decimal]) -> str:
    if "一般公共预算.基本支出" in cols:
        return f"经济分类.{code}"
    if "一般公共预算.项目支出" in cols:
        return f"{PROJECT_ECON}.{code}"
    return FUND_ECON


Fill = Callable[[Row, dict[str, Decimal], str], None]


def _econ_table(table_id: str, columns: tuple[str, ...], figures: Figures, fill: Fill) -> DTable:
    """A 类/款 table by 经济分类: 合计, then each 类 with any figure and its 款 with any figure.

    ``fill(row, parts, cls)`` sets a row's columns from ``parts`` ({fund.kind: amount}) of a 类 ``cls``.
    """
    cat = figures.catalog
    leaves: list[Row] = []
    for code, parts in sorted(_econ_values(figures.model).items()):
        if not any(parts.values()):
            continue
        row = Row(code, cat.econ_name(code) or code, 2, path=_econ_path(code, parts))
        fill(row, parts, code[:3])
        leaves.append(row)
    rows: list[Row] = []
    for cls in sorted({r.key[:3] for r in leaves}):
        kids = [r for r in leaves if r.key.startswith(cls)]
        head = Row(cls, cat.econ_classes.get(cls, cls), 1, path=kids[0].path)
        _sum_into(head, kids, columns)
        rows.extend([head, *kids])
    for row in _unfilled(figures):
        fill(row, dict(row.values), "")
        rows.append(row)
    total = Row("合计", "合计", 0, path="经济分类")
    _sum_into(total, [r for r in rows if r.level == 1], columns)
    return DTable(table_id, columns, [total, *rows])


def _sum_into(target: Row, parts: list[Row], columns: Iterable[str]) -> None:
    for col in columns:
        target.set(col, sum((r.get(col) for r in parts), ZERO), sum(r.leaves.get(col, 0) for r in parts))


def table05(figures: Figures) -> DTable:
    """川05 财政拨款支出决算明细表: all three funds together, with each fund kept in its own column."""

    def fill(row: Row, parts: dict[str, Decimal], cls: str) -> None:
        for col in COLS05[3:]:
            row.set(col, parts.get(col, ZERO), 1 if parts.get(col) else 0)
        for kind in FUND_KINDS:
            row.set(kind, sum((parts.get(f"{fund}.{kind}", ZERO) for fund in FUNDS), ZERO), 1)
        row.set("合计", row.get("基本支出") + row.get("项目支出"), 1)

    return _econ_table("川05", COLS05, figures, fill)


def table07(figures: Figures) -> DTable:
    """川07 一般公共预算财政拨款支出决算明细表: 基本支出 (人员经费, 公用经费) and 项目支出 by 经济分类."""
    personnel = figures.catalog.personnel_classes

    def fill(row: Row, parts: dict[str, Decimal], cls: str) -> None:
        basic = parts.get("一般公共预算.基本支出", ZERO)
        project = parts.get("一般公共预算.项目支出", ZERO)
        row.set("基本支出", basic, 1 if basic else 0)
        row.set("人员经费", basic if cls in personnel else ZERO, 1 if basic and cls in personnel else 0)
        row.set("公用经费", ZERO if cls in personnel else basic, 1 if basic and cls not in personnel else 0)
        row.set("项目支出", project, 1 if project else 0)
        row.set("合计", basic + project, 1)

    table = _econ_table("川07", COLS07, figures, fill)
    table.rows = [r for r in table.rows if r.level == 0 or any(r.values.values())]  # drop other funds' rows
    return table


def project_groups(catalog: Catalog) -> tuple[tuple[str, ...], ...]:
    """The three column groups of 川09: 301 and 303, 302, then every other 类 (310 first)."""
    rest = sorted((c for c in catalog.econ_classes if c not in (*PERSONNEL_GROUP, *PUBLIC_GROUP)), key=_rest_order)
    return (PERSONNEL_GROUP, PUBLIC_GROUP, tuple(rest))


def _rest_order(code: str) -> tuple[int, str]:
    return (0 if code == "310" else 1, code)


def table09(figures: Figures) -> DTable:
    """川09 一般公共预算财政拨款项目支出决算表: every 经济分类 item of the catalog, with or without a figure."""
    cat, model = figures.catalog, figures.model
    typed = model.extra.get(PROJECT_ECON, {})
    rows: list[Row] = []
    for group in project_groups(cat):
        for cls in group:
            codes = [i.code for i in (*cat.econ_items, *cat.econ_extra_items) if i.parent == cls]
            codes = _ordered(codes + [c for c in typed if c[:3] == cls and c not in codes])
            items = []
            for code in codes:
                row = Row(code, cat.econ_name(code) or code, 2, path=f"{PROJECT_ECON}.{code}")
                value = typed.get(code, ZERO)
                row.set("金额", value, 1 if value else 0)
                items.append(row)
            head = Row(cls, cat.econ_classes.get(cls, cls), 1, path=PROJECT_ECON)
            _sum_into(head, items, ("金额",))
            rows.extend([head, *items])
    for row in _unfilled(figures):
        if row.key == "未填报项目支出经济分类":
            row.set("金额", row.get("一般公共预算.项目支出"), 1)
            rows.append(row)
    total = Row("合计", "项目支出合计", 0, path=PROJECT_ECON)
    _sum_into(total, [r for r in rows if r.level == 1], ("金额",))
    return DTable("川09", ("金额",), [*rows, total])


def _ordered(codes: list[str]) -> list[str]:
    """Catalog order, but the …99 其他 item last (reference 003 names 31001, 31005 before 31099)."""
    return [c for c in codes if not c.endswith("99")] + [c for c in codes if c.endswith("99")]


def _one_row(table_id: str, path: str, values: dict[str, Decimal]) -> DTable:
    row = Row("合计", "合计", 0, path=path)
    for col, value in values.items():
        row.set(col, value, 1 if value else 0)
    return DTable(table_id, tuple(values), [row])


def build_tables(figures: Figures) -> dict[str, DTable]:
    model = figures.model
    tables = {"川05": table05(figures), "川07": table07(figures), "川09": table09(figures)}
    detail: VehicleDetail | None = model.extra.get(VEHICLES)
    if detail is not None:
        bought = detail.bought or {}
        counts = model.sangong_counts
        tables["川车辆"] = _one_row("川车辆", VEHICLES, {
            "购置金额": sum((a for _, a in bought.values()), ZERO),
            "购置辆数": Decimal(sum(n for n, _ in bought.values())),
            # 三公经费.明细.公务用车购置数量, when the file gives it, must agree with the cars listed here.
            "公务用车购置数量": Decimal(counts.get("公务用车购置数量", sum(n for n, _ in bought.values()))),
            "保有车辆": Decimal(sum((detail.held or {}).values())),
            "公务用车保有量": Decimal(model.vehicles_held if detail.held is not None else 0),
        })  # fmt: skip
    org: Organisation | None = model.extra.get(ORGANISATION)
    if org is not None:
        tables["川机构"] = _one_row("川机构", ORGANISATION, {
            "分类合计": Decimal(sum(org.kinds.values())), "下属单位数": Decimal(model.subordinates),
        })  # fmt: skip
    return tables


def check_codes(figures: Figures, findings: Findings) -> None:
    """Every 经济分类 code of the new blocks must be in the catalog (or named in 自定义科目)."""
    model, catalog = figures.model, figures.catalog
    blocks: list[tuple[str, Iterable[str]]] = [(PROJECT_ECON, model.extra.get(PROJECT_ECON, {}))]
    for fund, kinds in _fund_econ(model).items():
        for kind, amounts in kinds.items():
            blocks.append((f"{FUND_ECON}.{fund}.{kind}", amounts))
    for block, codes in blocks:
        for code in codes:
            if catalog.econ_name(code) is None:
                path = f"{block}.{code}"
                findings.add(
                    "unknown-econ",
                    f"经济分类目录中没有 {code}。请核对编码；若确为本地科目，请在“自定义科目”中写出其名称。",
                    model.loc(path),
                    path,
                )


# ---- facts ----


def _listing(pairs: Iterable[tuple[str, Decimal]], whole: Decimal) -> list[NamedShare]:
    return [{"名称": name, "金额": amount, "占比": Share(amount, whole)} for name, amount in pairs]


def _econ_items(figures: Figures, classes: Iterable[str]) -> list[EconItem]:
    """Every 经济分类 item of ``classes`` (公开06's, then the catalog's others), zeros included, for 说明六."""
    cat, t06 = figures.catalog, figures.tables["06"]
    out: list[EconItem] = []
    for cls in classes:
        items = [i for i in (*cat.econ_items, *cat.econ_extra_items) if i.parent == cls]
        for code in _ordered([i.code for i in items]):
            row = t06.row(code)
            amount = row.get("金额") if row is not None else figures.model.econ.get(code, ZERO)
            out.append({"编码": code, "名称": cat.econ_name(code) or code, "金额": amount})
    return out


def _classes(figures: Figures) -> list[CodedShare]:
    """说明五（二）: every 类 of the year, in the official order, zeros included."""
    t05 = figures.tables["05"]
    whole = t05.get("合计", "小计")
    return [
        {"编码": c.code, "名称": c.name, "金额": t05.get(c.code, "小计"), "占比": Share(t05.get(c.code, "小计"), whole)}
        for c in figures.catalog.classes
    ]


class _Needs:
    """The facts the layout states but the file lacks, recorded in the code's ``Missing`` list.

    ``fact`` is the name ``requires`` uses, ``where`` the input path the warning points at
    (the block the fact belongs beside; FACT_PATHS names where to type it), ``message`` the warning.
    """

    def __init__(self, missing: Missing) -> None:
        self.missing = missing

    def mark(self, fact: str, where: str, message: str, what: str) -> str:
        """Record the missing ``fact``; return the placeholder printed in its place (【未填报…】)."""
        return self.missing.mark(fact, where, message, what, path=FACT_PATHS.get(fact, fact), word="未填报")


SANGONG_NEED = (
    "三公经费明细",
    "三公经费",
    "说明七要写明“三公”经费的团组、人次和接待批次、人次，文件中没有：请在“三公经费.明细”中填写"
    "（因公出国团组数、因公出国人次、公务接待批次、公务接待人次、外宾接待批次、外宾接待人次、外宾接待费）。"
    "文档中暂以“【未填报…】”标出。",
)
VEHICLE_NEED = (
    VEHICLES,
    "三公经费.公务用车保有量",
    "说明七要按轿车、越野车、载客汽车写明本年购置和年末保有的公务用车，文件中没有“公务用车明细”块。"
    "文档中暂以“【未填报公务用车明细】”标出。",
)


def _sangong(figures: Figures, needs: _Needs) -> SichuanSangong:
    """说明七: the structure of the 三公 and the counts each item's paragraph states.

    A count the file lacks is 0 when its amount is 0 (no trip, no car bought, no
    reception); otherwise it is a placeholder and a missing fact.
    """
    model = figures.model
    s = figures.facts["三公"]
    actual = {n: s["项"][n]["决算"] for n in (*SANGONG_HEADS, "公务用车购置费")}
    counts = model.sangong_counts
    detail: VehicleDetail = model.extra.get(VEHICLES) or VehicleDetail()

    def count(key: SangongCountKey, amount: Decimal) -> int | str:
        if key in counts:
            return counts[key]
        return 0 if not amount else needs.mark(*SANGONG_NEED, key)

    # Missing facts are marked (and listed under 缺少) in the order the paragraphs state them.
    trip = actual["因公出国（境）费"]
    trip_groups, trip_people = count("因公出国团组数", trip), count("因公出国人次", trip)
    buy = actual["公务用车购置费"]
    bought: list[CarsBought]
    bought_count: int | str
    if detail.bought is not None:
        bought = [{"车型": c, "辆": detail.bought[c][0], "金额": detail.bought[c][1]} for c in CAR_TYPES]
        bought_count = sum(n for n, _ in detail.bought.values())
    else:
        if buy:
            cars = needs.mark(*VEHICLE_NEED, VEHICLES)
            bought = [{"车型": c, "辆": cars, "金额": cars} for c in CAR_TYPES]
        else:
            bought = [{"车型": c, "辆": 0, "金额": ZERO} for c in CAR_TYPES]
        bought_count = count("公务用车购置数量", buy)
    held: list[CarsHeld]
    if detail.held is not None:
        held = [{"车型": c, "辆": detail.held[c]} for c in CAR_TYPES]
    else:
        held_cars = needs.mark(*VEHICLE_NEED, VEHICLES) if model.vehicles_held else 0
        held = [{"车型": c, "辆": held_cars} for c in CAR_TYPES]
    return {
        "结构": _listing(((n, actual[n]) for n in SANGONG_HEADS), s["决算"]),
        "因公出国团组": trip_groups,
        "因公出国人次": trip_people,
        "购置": bought,
        "购置辆数": bought_count,
        "保有量": model.vehicles_held,
        "保有": held,
        **_receptions(model, actual["公务接待费"], count, needs),
    }


class _Receptions(TypedDict):
    国内接待: Reception
    外事接待: Reception


def _receptions(
    model: Model, reception: Decimal, count: Callable[[SangongCountKey, Decimal], int | str], needs: _Needs
) -> _Receptions:
    """公务接待费 = 国内公务接待 + 外事接待 (三公经费.明细 gives the total 批次/人次 and the 外宾 part)."""
    counts = model.sangong_counts
    foreign_amount: Decimal | str
    if model.sangong_foreign is not None:
        foreign_amount = model.sangong_foreign
    else:
        foreign_amount = ZERO if not reception else needs.mark(*SANGONG_NEED, "外宾接待费")
    known_foreign = foreign_amount if isinstance(foreign_amount, Decimal) else None
    base = known_foreign if known_foreign is not None else reception
    foreign: Reception = {
        "金额": foreign_amount,
        "批次": count("外宾接待批次", base),
        "人次": count("外宾接待人次", base),
    }
    domestic_amount = reception - known_foreign if known_foreign is not None else foreign_amount
    amount = domestic_amount if isinstance(domestic_amount, Decimal) else reception

    def domestic(total: int | None, part: int | str, key: str) -> int | str:
        if total is not None and isinstance(part, int):
            return total - part
        return 0 if not amount else needs.mark(*SANGONG_NEED, key)

    return {
        "国内接待": {
            "金额": domestic_amount,
            "批次": domestic(counts.get("公务接待批次"), foreign["批次"], "公务接待批次"),
            "人次": domestic(counts.get("公务接待人次"), foreign["人次"], "公务接待人次"),
        },
        "外事接待": foreign,
    }


def _organisation(model: Model, needs: _Needs) -> OrganisationFacts:
    """机构设置: the 下属单位 by kind (validate_extra.ORG_KINDS; 0 each when there are none) and their names."""
    org = model.extra.get(ORGANISATION)

    def kind(name: str) -> int | str:
        if org is not None:
            return org.kinds.get(name, 0)
        if not model.subordinates:
            return 0
        message = (
            f"本单位有 {model.subordinates} 个下属单位，机构设置要写明其中行政单位、参照公务员法管理的事业单位、"
            "其他事业单位各几个：请填写“机构设置”块。文档中暂以“【未填报机构设置】”标出。"
        )
        return needs.mark(ORGANISATION, "单位.下属单位数", message, ORGANISATION)

    return {
        "合计": model.subordinates,
        "单位": list(model.subordinate_names),
        "行政单位": kind("行政单位"),
        "参照公务员法管理的事业单位": kind("参照公务员法管理的事业单位"),
        "其他事业单位": kind("其他事业单位"),
    }


def _performance(figures: Figures, needs: _Needs) -> SichuanPerformance:
    """说明十（四）: the projects named at each stage (validate_extra.PERF_LISTS), the 整体自评得分 and its 综述."""
    model = figures.model
    perf = model.extra.get(PERF_MANAGEMENT) or PerfManagement()
    facts = figures.facts["绩效"]
    projects = [p["名称"] for p in facts["项目"]]
    score: Decimal | str | None = perf.score
    if score is None and model.performance.goals:
        score = facts["整体"]["总分"]
    if score is None:
        message = (
            "说明十（四）要写明部门整体绩效自评得分，文件中没有：请在“绩效管理情况.整体自评得分”中填写"
            "（或在“绩效.整体”中填写目标和指标得分）。文档中暂以“【未填报整体自评得分】”标出。"
        )
        score = needs.mark(PERF_MANAGEMENT, "绩效", message, "整体自评得分")
    return {
        "事前绩效评估项目": perf.lists.get("事前绩效评估项目", projects),
        "绩效目标项目": perf.lists.get("绩效目标项目", projects),
        "绩效监控项目": perf.lists.get("绩效监控项目", projects),
        "自评项目": perf.lists.get("自评项目", projects),
        "整体自评得分": score,
        "自评综述": perf.summary or facts["整体自评结论"],
    }


def _terms(figures: Figures) -> list[Term]:
    """名词解释 of each 项 the unit spent on: the file's own wording first, else the catalog's."""
    cat = figures.catalog
    own = figures.model.extra.get(TERMS, {})
    out: list[Term] = []
    for row in figures.tables["03"].rows:
        if row.level != 3:
            continue
        text = own.get(row.key) or cat.explanations.get(row.key, "") or placeholder("名词解释")
        out.append({"编码": row.key, "类": cat.name(row.key[:3]) or "", "款": cat.name(row.key[:5]) or "",
                    "项": row.label, "解释": text})  # fmt: skip
    return out


def build_facts(figures: Figures, missing: Missing) -> SichuanFacts:
    model, f, t = figures.model, figures.facts, figures.tables
    needs = _Needs(missing)
    income = t["01"].get("本年收入合计")
    sources = [(s if s.endswith("收入") else s + "收入") for s in INCOME_SOURCES]
    t03 = t["03"].row("合计")
    spending = t["01"].get("本年支出合计")
    p = f["政府采购"]
    vehicles: list[VehicleCount] = [
        {"名称": k, "数量": model.vehicles.get(k, 0)}
        for k in VEHICLE_TYPES
        if k in VEHICLES_ALWAYS or model.vehicles.get(k, 0)
    ]
    for fact, what, path in (
        (PROJECT_ECON, "一般公共预算财政拨款项目支出的经济分类", "经济分类"),
        (FUND_ECON, "政府性基金、国有资本经营预算财政拨款支出的经济分类", "经济分类"),
    ):
        if any(r.key == f"未填报{fact}" for r in t["川05"].rows):
            message = (
                f"附表“财政拨款支出决算明细表”等要列出{what}，文件中没有“{fact}”块。"
                f"表中暂以“{placeholder(fact)}”一行列出合计数。"
            )
            needs.mark(fact, path, message, fact)
    return {
        "收入来源": _listing(((s, t["01"].get(s)) for s in sources), income),
        "支出类型": _listing(((k, t03.get(k) if t03 else ZERO) for k in SPENDING_TYPES), spending),
        "一般公共预算类": _classes(figures),
        "人员经费": {"金额": t["06"].get("人员经费合计"),
                 "科目": _econ_items(figures, sorted(figures.catalog.personnel_classes))},
        "公用经费": {"金额": t["06"].get("公用经费合计"),
                 "科目": _econ_items(figures, sorted(figures.catalog.public_classes))},
        "三公": _sangong(figures, needs),
        "机构设置": _organisation(model, needs),
        "政府采购": {"小微企业": Share(p["小微企业"].part, p["总额"])},
        "国有资产": {"车辆": vehicles},
        "绩效管理": _performance(figures, needs),
        "名词解释": _terms(figures),
        "附件": [{"标题": a.title, "段落": a.text.splitlines()} for a in model.extra.get(ANNEXES, [])],
        "缺少": [{"事实": m.fact, "位置": m.at, "说明": m.message} for m in missing],
    }  # fmt: skip
