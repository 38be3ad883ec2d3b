"""Derive the nine 公开 tables (01–09) from the input model.

Every 类 and 款 row is the sum of its 项; every total is the sum of the rows
it names. Each cell also counts the leaves summed into it, because the
rounding tolerance of a declared total is 0.005 per leaf (尾数误差).

Two more: 08收支 (国有资本经营预算 收入支出, the 2024 national layout's ninth
table) and 待补 (facts the 2024 layout states that the file lacks; empty until
the national-2024 code, profiles/national_2024.py, fills it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from yujuesuan.catalog import Catalog
from yujuesuan.derive.rows import ZERO, DTable, Row, Tables, sum_rows, total_row
from yujuesuan.kinds.juesuan.model import (
    FISCAL_SOURCES,
    FUNDS,
    INCOME_SOURCES,
    SANGONG_ITEMS,
    SPENDING_TYPES,
    Model,
)

INCOME02 = ("本年收入合计", "财政拨款收入", *INCOME_SOURCES[3:])
SPENDING03 = ("本年支出合计", *SPENDING_TYPES)
COLS05 = ("小计", "基本支出", "项目支出")
COLS07 = ("年初结转和结余", "本年收入", "小计", "基本支出", "项目支出", "年末结转和结余")
COLS08 = ("合计", "基本支出", "项目支出")
COLS09 = tuple(
    f"{side}.{c}"
    for side in ("预算", "决算")
    for c in (
        "合计",
        "因公出国（境）费",
        "公务用车购置及运行维护费",
        "公务用车购置费",
        "公务用车运行维护费",
        "公务接待费",
    )
)
ONE = ("金额",)
SUMS05 = {"小计": ("基本支出", "项目支出")}
SUMS07 = {"小计": ("基本支出", "项目支出"), "年末结转和结余": ("年初结转和结余", "本年收入", "基本支出", "项目支出")}
SUMS08 = {"合计": ("基本支出", "项目支出")}


def hierarchy(
    table_id: str,
    model: Model,
    catalog: Catalog,
    columns: tuple[str, ...],
    leaf: Callable[[str], dict[str, Decimal]],
    path: Callable[[str], str],
    sums: Mapping[str, tuple[str, ...]] | None = None,
) -> DTable:
    """A 类/款/项 table: 合计, then each 类, its 款 and its 项, for the 项 with any figure.

    ``sums`` names the columns of a 项 row that add other columns of it (小计 = 基本 + 项目):
    such a cell counts the nonzero rounded cells it adds, so that a declared 小计 may
    differ from them by 0.005 each (a published 小计 is rounded on its own).
    """
    leaves: list[Row] = []
    for code in model.items:
        values = leaf(code)
        if not any(values.values()):
            continue
        row = Row(code, catalog.name(code) or code, 3, path=path(code))
        for col in columns:
            v = values.get(col, ZERO)
            row.set(col, v, 1 if v else 0)  # a blank cell carries no rounding
        for col, parts in (sums or {}).items():
            row.leaves[col] = sum(row.leaves[p] for p in parts)
        leaves.append(row)
    rows: list[Row] = []
    for cls in sorted({r.key[:3] for r in leaves}):
        in_cls = [r for r in leaves if r.key.startswith(cls)]
        rows.append(total_row(cls, catalog.name(cls) or cls, in_cls, columns, level=1, path=in_cls[0].path))
        for kuan in sorted({r.key[:5] for r in in_cls}):
            in_kuan = [r for r in in_cls if r.key.startswith(kuan)]
            rows.append(
                total_row(
                    kuan,
                    catalog.name(kuan) or kuan,
                    in_kuan,
                    columns,
                    level=2,
                    path=in_kuan[0].path,
                )
            )
            rows.extend(in_kuan)
    total = total_row("合计", "合计", leaves, columns, path="科目")
    return DTable(table_id, columns, [total, *rows])


def table02(model: Model, catalog: Catalog) -> DTable:
    def leaf(code: str) -> dict[str, Decimal]:
        inc = model.items[code].income
        values = {"财政拨款收入": sum((inc.get(s, ZERO) for s in FISCAL_SOURCES), ZERO)}
        values.update({s: inc.get(s, ZERO) for s in INCOME_SOURCES[3:]})
        values["本年收入合计"] = sum(values.values(), ZERO)
        return values

    return hierarchy("02", model, catalog, INCOME02, leaf, lambda c: f"科目.{c}.收入", {INCOME02[0]: INCOME02[1:]})


def table03(model: Model, catalog: Catalog) -> DTable:
    def leaf(code: str) -> dict[str, Decimal]:
        sp = model.items[code].spending
        values = {t: sp.get(t, ZERO) for t in SPENDING_TYPES}
        values["本年支出合计"] = sum(values.values(), ZERO)
        return values

    sums = {SPENDING03[0]: SPENDING_TYPES}
    return hierarchy("03", model, catalog, SPENDING03, leaf, lambda c: f"科目.{c}.支出", sums)


def _fund_leaf(model: Model, fund: str, subtotal: str) -> Callable[[str], dict[str, Decimal]]:
    def leaf(code: str) -> dict[str, Decimal]:
        f = model.items[code].funds.get(fund, {})
        values = {"基本支出": f.get("基本支出", ZERO), "项目支出": f.get("项目支出", ZERO)}
        values[subtotal] = values["基本支出"] + values["项目支出"]
        return values

    return leaf


def table05(model: Model, catalog: Catalog) -> DTable:
    leaf = _fund_leaf(model, "一般公共预算", "小计")
    return hierarchy("05", model, catalog, COLS05, leaf, lambda c: f"科目.{c}.一般公共预算财政拨款支出", SUMS05)


def _fund_flow_leaf(model: Model, fund: str, source: str) -> Callable[[str], dict[str, Decimal]]:
    """A 项's 年初结转和结余, 本年收入, 本年支出 and 年末结转和结余 of one fund (公开07 and 08收支)."""
    spend = _fund_leaf(model, fund, "小计")

    def leaf(code: str) -> dict[str, Decimal]:
        values = spend(code)
        values["年初结转和结余"] = model.items[code].funds.get(fund, {}).get("年初结转和结余", ZERO)
        values["本年收入"] = model.items[code].income.get(source, ZERO)
        values["年末结转和结余"] = values["年初结转和结余"] + values["本年收入"] - values["小计"]
        return values

    return leaf


def table07(model: Model, catalog: Catalog) -> DTable:
    leaf = _fund_flow_leaf(model, "政府性基金预算", "政府性基金预算财政拨款")
    return hierarchy("07", model, catalog, COLS07, leaf, lambda c: f"科目.{c}.政府性基金预算财政拨款支出", SUMS07)


def table08(model: Model, catalog: Catalog) -> DTable:
    leaf = _fund_leaf(model, "国有资本经营预算", "合计")
    return hierarchy("08", model, catalog, COLS08, leaf, lambda c: f"科目.{c}.国有资本经营预算财政拨款支出", SUMS08)


def table08_flows(model: Model, catalog: Catalog) -> DTable:
    """国有资本经营预算财政拨款收入支出决算表 (2024 national layout): the columns of 公开07."""
    leaf = _fund_flow_leaf(model, "国有资本经营预算", "国有资本经营预算财政拨款")
    return hierarchy("08收支", model, catalog, COLS07, leaf, lambda c: f"科目.{c}.国有资本经营预算财政拨款支出", SUMS07)


def _leaf_row(
    key: str, label: str, value: Decimal, path: str, *, level: int = 0, number: int | None = None, side: str = ""
) -> Row:
    row = Row(key, label, level, number, path=path, side=side)
    row.set("金额", value, 1 if value else 0)
    return row


def table01(model: Model, catalog: Catalog, t03: DTable) -> DTable:
    n = catalog.rows01
    income = []
    for src in INCOME_SOURCES:
        label = src if src.endswith("收入") else src + "收入"
        value = sum((it.income.get(src, ZERO) for it in model.items.values()), ZERO)
        leaves = sum(1 for it in model.items.values() if it.income.get(src))
        row = Row(label, label, number=n[label], path="科目", side="收入")
        row.set("金额", value, leaves)
        income.append(row)
    b = model.balances
    inc_total = total_row("本年收入合计", "本年收入合计", income, ONE, number=n["本年收入合计"], side="收入")
    extra_in = [
        _leaf_row(k, k, b.get(k, ZERO), f"结转结余.{k}", number=n[k], side="收入")
        for k in ("使用非财政拨款结余", "年初结转和结余")
    ]
    grand_in = total_row("收入总计", "总计", [inc_total, *extra_in], ONE, number=n["收入总计"], side="收入")
    spending = []
    for cls in catalog.classes:
        row03 = t03.row(cls.code)
        r = Row(cls.code, cls.name, 1, number=n[cls.name], path=row03.path if row03 else "科目", side="支出")
        r.set(
            "金额",
            row03.get("本年支出合计") if row03 else ZERO,
            row03.leaves.get("本年支出合计", 0) if row03 else 0,
        )
        spending.append(r)
    _check_classes_known(catalog, t03)
    sp_total = total_row("本年支出合计", "本年支出合计", spending, ONE, number=n["本年支出合计"], side="支出")
    extra_out = [
        _leaf_row(k, k, b.get(k, ZERO), f"结转结余.{k}", number=n[k], side="支出")
        for k in ("结余分配", "年末结转和结余")
    ]
    grand_out = total_row("支出总计", "总计", [sp_total, *extra_out], ONE, number=n["支出总计"], side="支出")
    rows = [*income, inc_total, *extra_in, grand_in, *spending, sp_total, *extra_out, grand_out]
    return DTable("01", ONE, rows)


def _check_classes_known(catalog: Catalog, table: DTable) -> None:
    known = {c.code for c in catalog.classes}
    for row in table.rows:
        if row.level == 1 and row.key not in known:
            # validate.py reports unknown codes; a class outside the year's list cannot be placed.
            raise KeyError(row.key)


def table04(model: Model, catalog: Catalog, t05: DTable, t07: DTable, t08: DTable) -> DTable:
    n = catalog.rows04
    cols = ("金额", "合计", *FUNDS)
    income = []
    for src in FISCAL_SOURCES:
        value = sum((it.income.get(src, ZERO) for it in model.items.values()), ZERO)
        leaves = sum(1 for it in model.items.values() if it.income.get(src))
        row = Row(src, src, number=n[src], path="科目", side="收入")
        row.set("金额", value, leaves)
        income.append(row)
    inc_total = total_row("本年收入合计", "本年收入合计", income, ("金额",), number=n["本年收入合计"], side="收入")
    opening = []
    for fund in FUNDS:
        key = f"年初{fund}财政拨款结转和结余"
        opening.append(
            _leaf_row(
                key,
                f"{fund}财政拨款",
                model.fund_open.get(fund, ZERO),
                "结转结余.年初财政拨款结转和结余",
                number=n[key],
                side="收入",
            )
        )
    open_total = total_row(
        "年初财政拨款结转和结余",
        "年初财政拨款结转和结余",
        opening,
        ("金额",),
        number=n["年初财政拨款结转和结余"],
        side="收入",
    )
    grand_in = total_row("收入总计", "总计", [inc_total, open_total], ("金额",), number=n["收入总计"], side="收入")
    spending = []
    by_fund = {
        "一般公共预算": (t05, "小计"),
        "政府性基金预算": (t07, "小计"),
        "国有资本经营预算": (t08, "合计"),
    }
    for cls in catalog.classes:
        r = Row(cls.code, cls.name, 1, number=n[cls.name], path="科目", side="支出")
        for fund, (table, col) in by_fund.items():
            found = table.row(cls.code)
            r.set(fund, found.get(col) if found else ZERO, found.leaves.get(col, 0) if found else 0)
        r.set("合计", *sum_rows([_as_row(r, f) for f in FUNDS], "x"))
        spending.append(r)
    sp_total = total_row(
        "本年支出合计",
        "本年支出合计",
        spending,
        ("合计", *FUNDS),
        number=n["本年支出合计"],
        side="支出",
    )
    closing = Row("年末财政拨款结转和结余", "年末财政拨款结转和结余", number=n["年末财政拨款结转和结余"],
                  path="结转结余.年末财政拨款结转和结余", side="支出")  # fmt: skip
    for fund in FUNDS:
        v = model.fund_close.get(fund, ZERO)
        closing.set(fund, v, 1 if v else 0)
    closing.set("合计", *sum_rows([_as_row(closing, f) for f in FUNDS], "x"))
    grand_out = total_row("支出总计", "总计", [sp_total, closing], ("合计", *FUNDS), number=n["支出总计"], side="支出")
    rows = [
        *income,
        inc_total,
        open_total,
        *opening,
        grand_in,
        *spending,
        sp_total,
        closing,
        grand_out,
    ]
    return DTable("04", cols, rows)


def _as_row(row: Row, col: str) -> Row:
    tmp = Row("", "")
    tmp.set("x", row.get(col), row.leaves.get(col, 0))
    return tmp


def table06(model: Model, catalog: Catalog) -> DTable:
    rows: list[Row] = []
    groups: dict[str, list[Row]] = {"人员经费": [], "公用经费": []}
    for group in catalog.econ_layout:
        for cls in group:
            items = []
            for item in catalog.econ_items:
                if item.parent == cls:
                    items.append(
                        _leaf_row(
                            item.code,
                            item.name,
                            model.econ.get(item.code, ZERO),
                            f"经济分类.{item.code}",
                            level=2,
                        )
                    )
            head = total_row(cls, catalog.econ_classes[cls], items, ONE, level=1, path="经济分类")
            rows.extend([head, *items])
            groups["人员经费" if cls in catalog.personnel_classes else "公用经费"].append(head)
    for name, heads in groups.items():
        rows.append(total_row(f"{name}合计", f"{name}合计", heads, ONE, path="经济分类"))
    return DTable("06", ONE, rows)


def table09(model: Model) -> DTable:
    row = Row("合计", "合计", path="三公经费")
    for side, data in (("预算", model.sangong_budget), ("决算", model.sangong_actual)):
        for item in SANGONG_ITEMS:
            v = data.get(item, ZERO)
            row.set(f"{side}.{item}", v, 1 if v else 0)
        car = [_as_row(row, f"{side}.{c}") for c in ("公务用车购置费", "公务用车运行维护费")]
        row.set(f"{side}.公务用车购置及运行维护费", *sum_rows(car, "x"))
        parts = [_as_row(row, f"{side}.{c}") for c in ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")]
        row.set(f"{side}.合计", *sum_rows(parts, "x"))
    return DTable("09", COLS09, [row])


def build_tables(model: Model, catalog: Catalog) -> Tables:
    """All nine tables, keyed 01 … 09, then 08收支 and 待补 (empty here: a profile's code fills it)."""
    t02, t03, t05 = table02(model, catalog), table03(model, catalog), table05(model, catalog)
    t07, t08 = table07(model, catalog), table08(model, catalog)
    tables = Tables({
        "01": table01(model, catalog, t03),
        "02": t02,
        "03": t03,
        "04": table04(model, catalog, t05, t07, t08),
        "05": t05,
        "06": table06(model, catalog),
        "07": t07,
        "08": t08,
        "09": table09(model),
        "08收支": table08_flows(model, catalog),
    })  # fmt: skip
    tables["待补"] = DTable("待补", ("缺少",), [])  # profiles/national_2024.py: the facts its layout lacks
    return tables
