"""Lay out the thirteen 预算 tables: derived DTables → header and body rows, as compose/tables.py does for the 决算.

Each builder has the compose signature (figures, fmt, layout) → (header, body,
widths); titles, numbers, notes and the empty-table sentence come from the
profile's ``tables`` block. A table with nothing in it keeps its header and no
body (the profile's empty_sentence says why).
"""

from __future__ import annotations

from collections.abc import Callable

from yujuesuan.compose.tables import DEFAULT, Built, Layout, Rows, h, num
from yujuesuan.derive import DTable, Figures, Row
from yujuesuan.document import Cell
from yujuesuan.kinds.yusuan.derive import COLS02, COLS03, COLS05, COLS08, COLS11, COLS_FUND
from yujuesuan.kinds.yusuan.model import CURRENT_SOURCES, FISCAL, BudgetModel
from yujuesuan.numbers import NumberFormat

CN = "一二三四五六七八九十"


def cn(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 廿一 (the numbering of the budget forms)."""
    if n <= 10:
        return CN[n - 1]
    tens, ones = divmod(n, 10)
    head = {1: "十", 2: "廿", 3: "卅"}.get(tens, CN[tens - 1] + "十")
    if ones == 0:
        return "二十" if tens == 2 else "三十" if tens == 3 else head
    return head + CN[ones - 1]


def _income_label(source: str) -> str:
    if source in FISCAL:
        return f"{source}拨款收入"
    return source if source.endswith("收入") else source + "收入"


def _values(fmt: NumberFormat, row: Row | None, cols: tuple[str, ...]) -> tuple[Cell, ...]:
    return tuple(num(fmt, row, c) for c in cols)


def _model(f: Figures) -> BudgetModel:
    model: BudgetModel = f.model  # type: ignore[assignment]
    return model


def _two_sided(left: list[tuple[str, Row | None]], right: list[tuple[str, Row | None]], fmt: NumberFormat,
               totals: list[tuple[str, Row | None, str, Row | None]]) -> Built:  # fmt: skip
    header = ((h("收 入", 2), h("支 出", 2)), (h("项 目"), h("预算数"), h("项 目"), h("预算数")))
    body = []
    for i in range(max(len(left), len(right))):
        llabel, lrow = left[i] if i < len(left) else ("", None)
        rlabel, rrow = right[i] if i < len(right) else ("", None)
        body.append((Cell(llabel), num(fmt, lrow, "预算数"), Cell(rlabel), num(fmt, rrow, "预算数")))
    for llabel, lrow, rlabel, rrow in totals:
        body.append((Cell(llabel, align="center"), num(fmt, lrow, "预算数"),
                     Cell(rlabel, align="center"), num(fmt, rrow, "预算数")))  # fmt: skip
    return header, tuple(body), (3.4, 1.3, 3.4, 1.3)


def t01(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    t = f.tables["01"]
    left = [(f"{cn(i)}、{_income_label(s)}", t.row(s)) for i, s in enumerate(CURRENT_SOURCES, 1)]
    classes = [r for r in t.rows if r.side == "支出" and r.level == 1]
    right = [(f"{cn(i)}、{r.label}", r) for i, r in enumerate(classes, 1)]
    totals = [("本年收入合计", t.row("本年收入合计"), "本年支出合计", t.row("本年支出合计")),
              ("上年结转结余", t.row("上年结转结余"), "年终结转结余", t.row("年终结转结余")),
              ("收 入 总 计", t.row("收入总计"), "支 出 总 计", t.row("支出总计"))]  # fmt: skip
    return _two_sided(left, right, fmt, totals)


def t04(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    t = f.tables["04"]
    left: list[tuple[str, Row | None]] = [("一、本年收入", t.row("本年收入"))]
    left += [(f"（{cn(i)}）{fund}拨款", t.row(f"本年.{fund}")) for i, fund in enumerate(FISCAL, 1)]
    left += [("二、上年结转", t.row("上年结转"))]
    left += [(f"（{cn(i)}）{fund}拨款", t.row(f"上年结转.{fund}")) for i, fund in enumerate(FISCAL, 1)]
    classes = [r for r in t.rows if r.side == "支出" and r.level == 1]
    right: list[tuple[str, Row | None]] = [("一、本年支出", t.row("本年支出"))]
    right += [(f"（{cn(i)}）{r.label}", r) for i, r in enumerate(classes, 1)]
    right += [("二、年终结转结余", t.row("年终结转结余"))]
    return _two_sided(left, right, fmt, [("收 入 总 计", t.row("收入总计"), "支 出 总 计", t.row("支出总计"))])


def _coded_rows(fmt: NumberFormat, table: DTable, cols: tuple[str, ...]) -> Rows:
    """合计 first (no code), then each row with its code and name; an empty table has no body."""
    if table.empty:
        return ()
    return tuple(
        (Cell("" if r.key == "合计" else r.key), Cell(r.label, align="center" if r.key == "合计" else "left"),
         *_values(fmt, r, cols))
        for r in table.rows
    )  # fmt: skip


def t02(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    header = (
        (h("部门（单位）代码", 1, 2), h("部门（单位）名称", 1, 2), h("合计", 1, 2), h("本年收入", 10),
         h("上年结转结余", 1, 2)),
        (h("小计"), *[h(s) for s in CURRENT_SOURCES]),
    )  # fmt: skip
    body = _coded_rows(fmt, f.tables["02"], COLS02)
    return header, body, (1.2, 3.0, *([1.0] * (len(COLS02))))


def t03(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    header = ((h("科目编码"), h("科目名称"), *[h(c) for c in COLS03]),)
    return header, _coded_rows(fmt, f.tables["03"], COLS03), (1.2, 3.6, *([1.2] * len(COLS03)))


def _basic_header(first: str, second: str) -> Rows:
    return (
        (h(first, 1, 2), h(second, 1, 2), h("合计", 1, 2), h("基本支出", 3), h("项目支出", 1, 2)),
        (h("小计"), h("人员经费"), h("公用经费")),
    )


def t05(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    body = _coded_rows(fmt, f.tables["05"], COLS05)
    return _basic_header("科目编码", "科目名称"), body, (1.2, 3.6, *([1.2] * len(COLS05)))


def t06(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    body = _coded_rows(fmt, f.tables["06"], COLS05)
    return _basic_header("单位编码", "单位名称"), body, (1.2, 3.6, *([1.2] * len(COLS05)))


def t07(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    cols = ("合计", "人员经费", "公用经费")
    header = (
        (h("部门预算支出经济分类科目", 2), h("本年一般公共预算基本支出", 3)),
        (h("科目编码"), h("科目名称"), *[h(c) for c in cols]),
    )
    return header, _coded_rows(fmt, f.tables["07"], cols), (1.2, 3.6, 1.3, 1.3, 1.3)


def t08(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    header = (
        (h("“三公”经费合计", 1, 2), h("因公出国（境）费", 1, 2), h("公务用车购置及运行费", 3), h("公务接待费", 1, 2)),
        (h("小计"), h("公务用车购置费"), h("公务用车运行费")),
    )
    row = f.tables["08"].rows[0]
    return header, (_values(fmt, row, COLS08),), (1.3, 1.3, 1.3, 1.3, 1.3, 1.3)


def _fund(f: Figures, fmt: NumberFormat, tid: str, title: str) -> Built:
    header = ((h("科目编码", 1, 2), h("科目名称", 1, 2), h(title, 3)), tuple(h(c) for c in COLS_FUND))
    return header, _coded_rows(fmt, f.tables[tid], COLS_FUND), (1.2, 3.6, 1.3, 1.3, 1.3)


def t09(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    return _fund(f, fmt, "09", "本年政府性基金预算支出")


def t10(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    return _fund(f, fmt, "10", "国有资本经营预算支出")


def t11(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    header = (
        (h("项目编码", 1, 2), h("项目名称", 1, 2), h("项目单位", 1, 2), h("合计", 1, 2), h("本年拨款", 3),
         h("财政拨款结转结余", 3), h("财政专户管理资金", 1, 2), h("单位资金", 1, 2)),
        (*[h(s) for s in FISCAL], *[h(s) for s in FISCAL]),
    )  # fmt: skip
    table = f.tables["11"]
    unit_name = (_model(f).units or [("", _model(f).unit_name + "本级")])[0][1]
    body = []
    if not table.empty:
        for r in table.rows:
            project = r.level == 4
            body.append((Cell("" if r.key == "合计" else r.key), Cell(r.label), Cell(unit_name if project else ""),
                         *_values(fmt, r, COLS11)))  # fmt: skip
    return header, tuple(body), (2.6, 2.6, 2.2, *([1.0] * len(COLS11)))


PROCUREMENT_COLUMNS = ("项目", "品目", "科目", "经济分类", "资金来源", "资金性质")


def t12(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    header = (
        (h("单位代码", 1, 2), h("单位名称", 1, 2), h("项目", 1, 2), h("政府采购品目", 1, 2), h("功能科目", 1, 2),
         h("部门支出经济分类", 1, 2), h("资金来源", 1, 2), h("资金性质", 1, 2), h("采购数量", 1, 2),
         h("单价（万元）", 1, 2), h("计量单位", 1, 2), h("采购金额", 3)),
        (h("采购金额合计（万元）"), h("其中面向中小企业（万元）"), h("其中面向小微企业（万元）")),
    )  # fmt: skip
    model = _model(f)
    code, name = (model.units or [(model.code, model.unit_name)])[0]
    table = f.tables["12"]
    body = []
    if not table.empty:
        total = table.rows[0]
        body.append((Cell("合计", 11, align="center"), *_values(fmt, total, ("金额", "面向中小企业", "面向小微企业"))))
        for p, row in zip(model.purchases, table.rows[1:]):
            body.append(
                (
                    Cell(code),
                    Cell(name),
                    *[Cell(p.texts.get(k, "")) for k in PROCUREMENT_COLUMNS],
                    Cell(p.quantity),
                    Cell(fmt.cell(p.amounts.get("单价")), align="right"),
                    Cell(p.texts.get("计量单位", "")),
                    *_values(fmt, row, ("金额", "面向中小企业", "面向小微企业")),
                )
            )
    return header, tuple(body), (1.0, 2.0, 1.6, 1.2, 1.0, 1.0, 1.0, 1.0, 0.8, 0.8, 0.8, 1.0, 1.0, 1.0)


SERVICE_COLUMNS = ("是否包含政府采购", "项目", "内容")
SERVICE_TAIL = ("资金来源", "资金性质", "科目", "经济分类", "一级目录", "二级目录", "三级目录")


def t13(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    header = (
        (h("单位代码", 1, 2), h("单位名称", 1, 2), h("是否包含政府采购", 1, 2), h("项目", 1, 2),
         h("政府购买服务内容", 1, 2), h("购买数量", 1, 2), h("购买金额", 1, 2), h("资金来源", 1, 2),
         h("资金性质", 1, 2),
         h("支出功能分类科目", 1, 2), h("部门支出经济分类", 1, 2), h("政府购买服务指导目录", 3)),
        (h("一级目录"), h("二级目录"), h("三级目录")),
    )  # fmt: skip
    model = _model(f)
    code, name = (model.units or [(model.code, model.unit_name)])[0]
    table = f.tables["13"]
    body = []
    if not table.empty:
        body.append((Cell("合计", 6, align="center"), num(fmt, table.rows[0], "金额"), *[Cell("")] * 7))
        for s, row in zip(model.services, table.rows[1:]):
            body.append(
                (
                    Cell(code),
                    Cell(name),
                    *[Cell(s.texts.get(k, "")) for k in SERVICE_COLUMNS],
                    Cell(s.quantity),
                    num(fmt, row, "金额"),
                    *[Cell(s.texts.get(k, "")) for k in SERVICE_TAIL],
                )
            )
    return header, tuple(body), (1.0, 2.0, 1.0, 1.6, 2.0, 0.8, 1.0, 1.0, 1.0, 1.2, 1.2, 1.0, 1.0, 1.0)


BUILDERS: dict[str, Callable[..., Built]] = {
    "01": t01, "02": t02, "03": t03, "04": t04, "05": t05, "06": t06, "07": t07, "08": t08, "09": t09, "10": t10,
    "11": t11, "12": t12, "13": t13,
}  # fmt: skip
