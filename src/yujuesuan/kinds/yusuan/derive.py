"""Derive the 部门预算: BudgetModel → the thirteen 预算 tables and every figure the 说明 states.

Every total is a sum of the file's leaf facts (derive/rows.py keeps the count
of leaves summed into each cell, for the rounding tolerance of the rules);
every comparison is a Change against last year's budget and every share a
Share (derive/values.py), so the wording rules of compose/context.py apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from yujuesuan.catalog import Catalog
from yujuesuan.derive import Figures
from yujuesuan.derive.rows import DTable, Row, Tables, total_row
from yujuesuan.derive.values import Change, Share
from yujuesuan.kinds.yusuan.model import (
    BASIC,
    CARRIED,
    CARRIED_OTHER,
    CURRENT_SOURCES,
    FISCAL,
    PROJECT_CATEGORIES,
    SANGONG_ITEMS,
    SOURCES,
    SPENDING,
    BudgetModel,
)

ZERO = Decimal(0)
# 预算01/04表: the 25 支出功能分类 classes in the order of the Hubei budget forms (国防 last).
BUDGET_CLASSES = (
    "201", "204", "205", "206", "207", "208", "210", "211", "212", "213", "214", "215", "216", "217", "219",
    "220", "221", "222", "223", "224", "229", "231", "232", "233", "203",
)  # fmt: skip
BUDGET_CLASS_NAMES = {"231": "债务还本支出", "232": "债务付息支出", "233": "债务发行费用支出"}
COLS03 = ("合计", "基本支出", "项目支出", "事业单位经营支出", "上缴上级支出", "对附属单位补助支出")
COLS05 = ("合计", "基本支出", "人员经费", "公用经费", "项目支出")
COLS_FUND = ("合计", "基本支出", "项目支出")
COLS02 = ("合计", "小计", *CURRENT_SOURCES, "上年结转结余")
COLS11 = ("合计", *FISCAL, *CARRIED, "财政专户管理资金", "单位资金")
COLS08 = ("合计", "因公出国（境）费", "公务用车购置及运行费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
UNIT_FUNDS = ("事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入", CARRIED_OTHER)

Amounts = Callable[[str], dict[str, Decimal]]  # 项 code → column → amount


def _leaf(row: Row, col: str, value: Decimal, leaves: int = 1) -> None:
    row.set(col, value, leaves if value else 0)


def _hierarchy(model: BudgetModel, catalog: Catalog, tid: str, cols: tuple[str, ...], of: Amounts) -> DTable:
    """合计, then 类 / 款 / 项 rows of the 项 that have an amount, each level the sum of the one below."""
    leaves: dict[str, Row] = {}
    for code, item in model.items.items():
        values = of(code)
        if not any(values.values()):
            continue
        row = Row(code, catalog.name(code) or model.custom_names.get(code, code), 3, path=f"科目.{code}")
        for col in cols:
            _leaf(row, col, values.get(col, ZERO), len(item.money) or 1)
        leaves[code] = row
    rows: list[Row] = []
    for cls in sorted({c[:3] for c in leaves}):
        kids3 = [r for c, r in leaves.items() if c.startswith(cls)]
        block: list[Row] = []
        for kuan in sorted({c[:5] for c in leaves if c.startswith(cls)}):
            items = [r for c, r in leaves.items() if c.startswith(kuan)]
            block.append(total_row(kuan, _name(model, catalog, kuan), items, cols, level=2, path=items[0].path))
            block.extend(items)
        cls_row = total_row(cls, _name(model, catalog, cls), [r for r in block if r.level == 2], cols, level=1,
                            path=kids3[0].path)  # fmt: skip
        rows.extend([cls_row, *block])
    total = total_row("合计", "合计", [r for r in rows if r.level == 1], cols, path="科目")
    return DTable(tid, cols, [total, *rows])


def _name(model: BudgetModel, catalog: Catalog, code: str) -> str:
    return catalog.name(code) or model.custom_names.get(code) or BUDGET_CLASS_NAMES.get(code, code)


def _sum(item_money: dict[str, dict[str, Decimal]], sources: Iterable[str], types: Iterable[str]) -> Decimal:
    types = tuple(types)
    return sum((item_money.get(s, {}).get(t, ZERO) for s in sources for t in types), ZERO)


def table03(model: BudgetModel, catalog: Catalog) -> DTable:
    def of(code: str) -> dict[str, Decimal]:
        money = model.items[code].money
        out = {"基本支出": _sum(money, SOURCES, BASIC)}
        for col in COLS03[2:]:
            out[col] = _sum(money, SOURCES, (col,))
        out["合计"] = sum(out.values(), ZERO)
        return out

    return _hierarchy(model, catalog, "03", COLS03, of)


def _fund_table(model: BudgetModel, catalog: Catalog, tid: str, fund: str, detail: bool) -> DTable:
    def of(code: str) -> dict[str, Decimal]:
        money = model.items[code].money.get(fund, {})
        out = {t: money.get(t, ZERO) for t in (*BASIC, "项目支出")}
        out["基本支出"] = out["人员经费"] + out["公用经费"]
        out["合计"] = out["基本支出"] + out["项目支出"]
        return out if detail else {k: out[k] for k in COLS_FUND}

    return _hierarchy(model, catalog, tid, COLS05 if detail else COLS_FUND, of)


def _unit_rows(model: BudgetModel, tid: str, cols: tuple[str, ...], total: Row) -> DTable:
    """合计, the department and its one 预算单位 (预算02/06表): each the department's totals."""
    rows = [Row("合计", "合计", 0, path="科目")]
    rows.append(Row(model.code or "部门", model.unit_name, 1, path="单位"))
    for code, name in model.units or [("", model.unit_name + "本级")]:
        rows.append(Row(code or "本级", name, 2, path="单位.预算单位"))
    for row in rows:
        for col in cols:
            row.set(col, total.get(col), total.leaves.get(col, 0))
    return DTable(tid, cols, rows)


def table02(model: BudgetModel) -> DTable:
    row = Row("合计", "合计")
    for src in CURRENT_SOURCES:
        _leaf(row, src, sum((i.total((src,)) for i in model.items.values()), ZERO), len(model.items))
    carried = sum((i.total((*CARRIED, CARRIED_OTHER)) for i in model.items.values()), ZERO)
    _leaf(row, "上年结转结余", carried, len(model.items))
    row.set(
        "小计", sum((row.get(s) for s in CURRENT_SOURCES), ZERO), sum(row.leaves.get(s, 0) for s in CURRENT_SOURCES)
    )
    row.set("合计", row.get("小计") + carried, row.leaves.get("小计", 0) + row.leaves.get("上年结转结余", 0))
    return _unit_rows(model, "02", COLS02, row)


def _class_rows(model: BudgetModel, catalog: Catalog, amounts: dict[str, Decimal], leaves: dict[str, int]) -> list[Row]:
    rows = []
    for code in BUDGET_CLASSES:
        row = Row(code, _name(model, catalog, code), 1, path=f"科目.{code}", side="支出")
        row.set("预算数", amounts.get(code, ZERO), leaves.get(code, 0))
        rows.append(row)
    return rows


def _by_class(model: BudgetModel, sources: tuple[str, ...]) -> tuple[dict[str, Decimal], dict[str, int]]:
    amounts: dict[str, Decimal] = {}
    leaves: dict[str, int] = {}
    for code, item in model.items.items():
        value = item.total(sources)
        if value:
            amounts[code[:3]] = amounts.get(code[:3], ZERO) + value
            leaves[code[:3]] = leaves.get(code[:3], 0) + 1
    return amounts, leaves


def _flat(key: str, value: Decimal, leaves: int, side: str, level: int = 0) -> Row:
    """A named row of 预算01/04表; the rows a 合计 adds up are level 2."""
    row = Row(key, key, level, path="科目", side=side)
    row.set("预算数", value, leaves)
    return row


def table01(model: BudgetModel, catalog: Catalog) -> DTable:
    n = len(model.items)
    income = [_flat(s, sum((i.total((s,)) for i in model.items.values()), ZERO), n, "收入", 2) for s in CURRENT_SOURCES]
    cur = total_row("本年收入合计", "本年收入合计", income, ("预算数",), side="收入", path="科目")
    carried = _flat("上年结转结余", sum((i.total((*CARRIED, CARRIED_OTHER)) for i in model.items.values()), ZERO), n,
                    "收入")  # fmt: skip
    grand_in = total_row("收入总计", "收入总计", [cur, carried], ("预算数",), side="收入", path="科目")
    classes = _class_rows(model, catalog, *_by_class(model, SOURCES))
    spend = total_row("本年支出合计", "本年支出合计", classes, ("预算数",), side="支出", path="科目")
    closing = _flat("年终结转结余", ZERO, 0, "支出")
    grand_out = total_row("支出总计", "支出总计", [spend, closing], ("预算数",), side="支出", path="科目")
    return DTable("01", ("预算数",), [*income, cur, carried, grand_in, *classes, spend, closing, grand_out])


def table04(model: BudgetModel, catalog: Catalog) -> DTable:
    n = len(model.items)
    current = [_flat(f"本年.{f}", sum((i.total((f,)) for i in model.items.values()), ZERO), n, "收入") for f in FISCAL]
    carried = [_flat(f"上年结转.{f}", sum((i.total((c,)) for i in model.items.values()), ZERO), n, "收入")
               for f, c in zip(FISCAL, CARRIED)]  # fmt: skip
    cur = total_row("本年收入", "本年收入", current, ("预算数",), side="收入", path="科目")
    car = total_row("上年结转", "上年结转", carried, ("预算数",), side="收入", path="科目")
    grand_in = total_row("收入总计", "收入总计", [cur, car], ("预算数",), side="收入", path="科目")
    classes = _class_rows(model, catalog, *_by_class(model, (*FISCAL, *CARRIED)))
    spend = total_row("本年支出", "本年支出", classes, ("预算数",), side="支出", path="科目")
    closing = _flat("年终结转结余", ZERO, 0, "支出")
    grand_out = total_row("支出总计", "支出总计", [spend, closing], ("预算数",), side="支出", path="科目")
    return DTable("04", ("预算数",), [cur, *current, car, *carried, grand_in, *classes, spend, closing, grand_out])


def table07(model: BudgetModel, catalog: Catalog) -> DTable:
    """一般公共预算基本支出 by 经济分类: 类 rows (3 digits) over 款 rows; 人员经费 or 公用经费 by the 类."""
    cols = ("合计", "人员经费", "公用经费")
    items: list[Row] = []
    for code, value in model.econ.items():
        row = Row(code, catalog.econ_name(code) or code, 2, path=f"经济分类.{code}")
        personnel = code[:3] in catalog.personnel_classes
        _leaf(row, "合计", value)
        _leaf(row, "人员经费", value if personnel else ZERO)
        _leaf(row, "公用经费", ZERO if personnel else value)
        items.append(row)
    rows: list[Row] = []
    for cls in sorted({r.key[:3] for r in items}):
        kids = [r for r in items if r.key.startswith(cls)]
        rows.append(total_row(cls, catalog.econ_classes.get(cls, cls), kids, cols, level=1, path=kids[0].path))
        rows.extend(kids)
    total = total_row("合计", "合计", [r for r in rows if r.level == 1], cols, path="经济分类")
    return DTable("07", cols, [total, *rows])


def table08(model: BudgetModel) -> DTable:
    row = Row("合计", "合计", path="三公经费.本年")
    for item in SANGONG_ITEMS:
        _leaf(row, item, model.sangong.get(item, ZERO))
    row.set("公务用车购置及运行费", row.get("公务用车购置费") + row.get("公务用车运行维护费"),
            row.leaves.get("公务用车购置费", 0) + row.leaves.get("公务用车运行维护费", 0))  # fmt: skip
    parts = ("因公出国（境）费", "公务用车购置及运行费", "公务接待费")
    row.set("合计", sum((row.get(p) for p in parts), ZERO), sum(row.leaves.get(p, 0) for p in parts))
    return DTable("08", COLS08, [row])


def table11(model: BudgetModel) -> DTable:
    """项目支出预算表: 合计, the department, its unit, the project groups, then each project."""
    projects = []
    for i, p in enumerate(model.projects, 1):
        row = Row(p.code or str(i), p.name, 4, path=p.path)
        for col in (*FISCAL, *CARRIED, "财政专户管理资金"):
            _leaf(row, col, p.money.get(col, ZERO))
        _leaf(row, "单位资金", sum((p.money.get(s, ZERO) for s in UNIT_FUNDS), ZERO), len(UNIT_FUNDS))
        row.set("合计", sum((row.get(c) for c in COLS11[1:]), ZERO), sum(row.leaves.values()))
        projects.append((p.category, row))
    groups: list[Row] = []
    for name, code in PROJECT_CATEGORIES.items():
        kids = [r for cat, r in projects if cat == name]
        if kids:
            groups.append(total_row(code, name, kids, COLS11, level=3, path="项目"))
            groups.extend(kids)
    total = total_row("合计", "合计", [r for r in groups if r.level == 3], COLS11, path="项目")
    dept = total_row(model.code or "部门", model.unit_name, [total], COLS11, level=1, path="单位")
    unit_code, unit_name = (model.units or [("本级", model.unit_name + "本级")])[0]
    unit = total_row(unit_code, unit_name, [total], COLS11, level=2, path="单位.预算单位")
    return DTable("11", COLS11, [total, dept, unit, *groups])


def table12(model: BudgetModel) -> DTable:
    cols = ("金额", "面向中小企业", "面向小微企业")
    rows = []
    for i, p in enumerate(model.purchases, 1):
        row = Row(str(i), p.texts.get("品目", ""), 1, path=p.path)
        for col in cols:
            _leaf(row, col, p.amounts.get(col, ZERO))
        rows.append(row)
    return DTable("12", cols, [total_row("合计", "合计", rows, cols, path="政府采购"), *rows])


def table13(model: BudgetModel) -> DTable:
    rows = []
    for i, s in enumerate(model.services, 1):
        row = Row(str(i), s.texts.get("内容", ""), 1, path=s.path)
        _leaf(row, "金额", s.amount)
        rows.append(row)
    return DTable("13", ("金额",), [total_row("合计", "合计", rows, ("金额",), path="政府购买服务"), *rows])


def checks_tables(model: BudgetModel) -> dict[str, DTable]:
    """Tables no page prints, for the rules: projects by 项, each form's 支出明细 against its project, 机关运行经费."""
    by_item: dict[str, Row] = {}
    for p in model.projects:
        row = by_item.setdefault(p.item, Row(p.item, p.item, 3, path=p.path))
        row.set("项目支出", row.get("项目支出") + p.amount, row.leaves.get("项目支出", 0) + len(p.money))
    details = []
    for p in model.projects:
        if p.form is None or not p.form.details:
            continue
        row = Row(p.path, p.name, 0, path=f"{p.path}.申报表.支出明细")
        row.set("项目金额", p.amount, len(p.money))
        total = sum((d.own + d.transfer + d.other for d in p.form.details), ZERO)
        row.set("明细合计", total, 3 * len(p.form.details))
        details.append(row)
    running = Row("机关运行经费", "机关运行经费", 0, path="机关运行经费.本年")
    running.set("预算数", model.running or ZERO, 1)
    return {
        "项目科目": DTable("项目科目", ("项目支出",), list(by_item.values())),
        "项目明细": DTable("项目明细", ("项目金额", "明细合计"), details),
        "事项": DTable("事项", ("预算数",), [running]),
    }


def build_tables(model: BudgetModel, catalog: Catalog) -> Tables:
    t03 = table03(model, catalog)
    t05 = _fund_table(model, catalog, "05", "一般公共预算", detail=True)
    tables = Tables({
        "01": table01(model, catalog), "02": table02(model), "03": t03, "04": table04(model, catalog), "05": t05,
        "06": _unit_rows(model, "06", COLS05, t05.rows[0]), "07": table07(model, catalog), "08": table08(model),
        "09": _fund_table(model, catalog, "09", "政府性基金预算", detail=False),
        "10": _fund_table(model, catalog, "10", "国有资本经营预算", detail=False),
        "11": table11(model), "12": table12(model), "13": table13(model),
    })  # fmt: skip
    tables.update(checks_tables(model))
    return tables


# ---- the figures the 说明 and the 申报表 state ----


def _prior(model: BudgetModel, what: str, key: str | None = None) -> Decimal | None:
    """A figure of last year's budget: income total, a source, or a spending type (None when not given)."""
    if model.prior is None:
        return None
    if what == "收入":
        if key is None:
            return sum(model.prior.income.values(), ZERO) if model.prior.income else None
        return model.prior.income.get(key) if model.prior.income else None
    if not model.prior.spending:
        return None
    if key is None:
        return sum(model.prior.spending.values(), ZERO)
    keys = BASIC if key == "基本支出" else (key,)
    return sum((model.prior.spending.get(k, ZERO) for k in keys), ZERO)


def _year_funds(income: dict[str, Decimal], spending: dict[str, Decimal]) -> dict[str, Any]:
    """One year's 收入构成 and 支出构成 as the 整体绩效目标申报表 groups them."""
    fiscal = sum((income.get(s, ZERO) for s in (*FISCAL, *CARRIED)), ZERO)
    special = income.get("财政专户管理资金", ZERO)
    own = sum((income.get(s, ZERO) for s in UNIT_FUNDS), ZERO)
    out = {
        "财政拨款": fiscal, "财政专户管理资金": special, "单位资金": own, "收入合计": fiscal + special + own,
        "人员类": spending.get("人员经费", ZERO), "运转类": spending.get("公用经费", ZERO),
        "特定目标类": sum((spending.get(k, ZERO) for k in SPENDING if k not in BASIC), ZERO),
    }  # fmt: skip
    out["支出合计"] = out["人员类"] + out["运转类"] + out["特定目标类"]
    return out


def _all_money(model: BudgetModel) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    income = {s: sum((i.total((s,)) for i in model.items.values()), ZERO) for s in SOURCES}
    spending = {t: sum((i.total(SOURCES, (t,)) for i in model.items.values()), ZERO) for t in SPENDING}
    return income, spending


def narrative(model: BudgetModel, catalog: Catalog, tables: Tables) -> dict[str, Any]:
    t01, t03, t05, t07 = tables["01"], tables["03"], tables["05"], tables["07"]
    total = t01.get("收入总计", "预算数")
    spending = t03.get("合计", "合计")
    gp = t05.get("合计", "合计")
    income, by_type = _all_money(model)
    facts: dict[str, Any] = {
        "收支总计": Change(total, _prior(model, "收入")),
        "收入合计": Change(total, _prior(model, "收入")),
        "收入": [{"名称": s, "金额": income[s], "占比": Share(income[s], total)} for s in SOURCES if income[s]],
        "支出合计": Change(spending, _prior(model, "支出")),
        "基本支出": Share(t03.get("合计", "基本支出"), spending),
        "项目支出": Share(t03.get("合计", "项目支出"), spending),
        "支出类型": [n for n in ("基本支出", "项目支出", *COLS03[3:]) if t03.get("合计", n)],
        "财政拨款": {
            "合计": tables["04"].get("收入总计", "预算数"),
            "收入": [
                {
                    "名称": f,
                    "本年": tables["04"].get(f"本年.{f}", "预算数"),
                    "上年结转": tables["04"].get(f"上年结转.{f}", "预算数"),
                }
                for f in FISCAL
            ],
            "类": [
                {"编码": r.key, "名称": r.label, "金额": r.get("预算数")}
                for r in tables["04"].rows
                if r.level == 1 and r.get("预算数")
            ],
        },
        "一般公共预算": {
            "合计": Change(gp, _prior(model, "收入", "一般公共预算")),
            "基本支出": Share(t05.get("合计", "基本支出"), gp),
            "人员经费": t05.get("合计", "人员经费"),
            "公用经费": t05.get("合计", "公用经费"),
            "项目支出": Share(t05.get("合计", "项目支出"), gp),
            "类": [
                {
                    "编码": r.key,
                    "名称": r.label,
                    "金额": r.get("合计"),
                    "占比": Share(r.get("合计"), gp),
                    "用途": model.class_uses.get(r.key, ""),
                }
                for r in t05.rows
                if r.level == 1
            ],
        },
        "基本支出经济分类": {
            "合计": t07.get("合计", "合计"),
            "类": [
                {"编码": r.key, "名称": r.label, "金额": r.get("合计"), "用途": model.econ_uses.get(r.key, "")}
                for r in t07.rows
                if r.level == 1
            ],
        },
        "政府性基金": tables["09"].get("合计", "合计"),
        "国有资本经营": tables["10"].get("合计", "合计"),
        "项目": {
            "合计": tables["11"].get("合计", "合计"),
            "一般公共预算": tables["11"].get("合计", "一般公共预算"),
            "列表": [{"名称": p.name, "金额": p.amount, "用途": p.use} for p in model.projects],
        },
        "机关运行经费": Change(model.running or ZERO, model.running_prior),
        "政府采购": Change(tables["12"].get("合计", "金额"), model.prior.procurement if model.prior else None),
        "政府购买服务": tables["13"].get("合计", "金额"),
        "三公": _sangong(model, tables["08"]),
        "人员": {
            "编制": sum(model.posts.values()),
            "编制类别": model.posts,
            "在职": sum(model.serving.values()),
            "在职类别": model.serving,
            "离退休": model.retired,
        },
        "资产": {"车辆": model.vehicles, "车辆数": sum(model.vehicles.values())},
        "绩效": {"项目支出": tables["11"].get("合计", "合计"), "项目数": len(model.projects)},
        "整体": {
            "本年": _year_funds(income, by_type),
            "上年": _year_funds(model.prior.income, model.prior.spending) if model.prior else None,
            "前年": _year_funds(model.before.income, model.before.spending) if model.before else None,
        },
    }
    return facts


def _sangong(model: BudgetModel, t08: DTable) -> dict[str, Any]:
    prior = model.sangong_prior
    row = t08.rows[0]

    def change(col: str, parts: tuple[str, ...]) -> Change:
        before = None if prior is None else sum((prior.get(p, ZERO) for p in parts), ZERO)
        return Change(row.get(col), before)

    return {
        "合计": change("合计", SANGONG_ITEMS),
        "因公出国（境）费": change("因公出国（境）费", ("因公出国（境）费",)),
        "公务接待费": change("公务接待费", ("公务接待费",)),
        "公务用车购置及运行费": change("公务用车购置及运行费", ("公务用车购置费", "公务用车运行维护费")),
        "公务用车购置费": change("公务用车购置费", ("公务用车购置费",)),
        "公务用车运行维护费": change("公务用车运行维护费", ("公务用车运行维护费",)),
    }


def derive(model: BudgetModel, catalog: Catalog) -> Figures:
    tables = build_tables(model, catalog)
    return Figures(model, catalog, tables, narrative(model, catalog, tables))  # type: ignore[arg-type]
