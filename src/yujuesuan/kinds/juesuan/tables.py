"""Lay out the nine 公开 tables: derived DTables → document Tables with merged headers.

Each builder returns header rows and body rows; titles, numbers, notes and the
empty-table sentence come from the profile's ``tables`` block. The 2024
national layout adds 08收支 and variants of the same figures laid out another
way (01无行次, 04无行次, 06两栏, 09逐项); derive.Tables reads a variant's table.
"""

from __future__ import annotations

from yujuesuan.compose.document import Cell
from yujuesuan.compose.numbers import NumberFormat
from yujuesuan.compose.table_layout import (  # noqa: F401  re-exported for the kind's other builders
    CODE_LABEL,
    DEFAULT,
    Builder,
    Built,
    Layout,
    Rows,
    cn,
    h,
    num,
    renamed,
    total_at_bottom,
    without_column_numbers,
)
from yujuesuan.derive import DTable, Figures, Row
from yujuesuan.kinds.juesuan.model import FUNDS, INCOME_SOURCES, SPENDING_TYPES


def _levels_row(lay: Layout) -> tuple[tuple[Cell, ...], ...]:
    return ((h("类"), h("款"), h("项")),) if lay.levels else ()


def _column_numbers(lay: Layout, n: int) -> tuple[tuple[Cell, ...], ...]:
    return ((h("栏次", lay.code_span + 1), *[h(str(i + 1)) for i in range(n)]),) if lay.column_numbers else ()


def _code_name_header(value_cols: list[str], lay: Layout = DEFAULT, head: str = "项目") -> Rows:
    """The header of the 类/款/项 tables (02, 03): 项目 over the code and the name, then 类/款/项, 栏次."""
    down = 3 if lay.levels else 2
    return (
        (h(head, lay.code_span + 1), *[h(c, 1, down) for c in value_cols]),
        (h(CODE_LABEL, lay.code_span), h("科目名称", 1, down - 1)),
        *_levels_row(lay),
        *_column_numbers(lay, len(value_cols)),
    )


def _code_cells(lay: Layout, key: str) -> tuple[Cell, ...]:
    if lay.code_columns == 3:
        return (Cell(key[:3]), Cell(key[3:5]), Cell(key[5:7]))
    return (Cell(key, lay.code_span),)


def hierarchy_rows(fmt: NumberFormat, table: DTable, cols: tuple[str, ...], lay: Layout = DEFAULT) -> Rows:
    rows = []
    for row in table.rows:
        if row.key == "合计":
            first: tuple[Cell, ...] = (Cell("合计", lay.code_span + 1, align="center"),)
        else:
            first = (*_code_cells(lay, row.key), Cell(row.label))
        rows.append((*first, *[num(fmt, row, c) for c in cols]))
    return tuple(rows)


def t01(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    if not lay.column_numbers:
        return t01_plain(f, fmt)
    t = f.tables["01"]
    header = (
        (h("收入", 3), h("支出", 3)),
        (h("项目"), h("行次"), h("金额"), h("项目"), h("行次"), h("金额")),
        (h("栏次"), h(""), h("1"), h("栏次"), h(""), h("2")),
    )
    # By 行次: every row of a side has one (derive/tables.py numbers them).
    left = {r.number: r for r in t.rows if r.side == "收入" and r.number is not None}
    right = {r.number: r for r in t.rows if r.side == "支出" and r.number is not None}
    offset = min(right) - 1 if right else 0
    income_labels = {s if s.endswith("收入") else s + "收入": i for i, s in enumerate(INCOME_SOURCES, 1)}
    body = []
    for number in range(1, max(left) + 1):
        lrow, rrow = left.get(number), right.get(number + offset)
        lcell = Cell(_label01(lrow, income_labels)) if lrow else Cell("")
        rlabel = _label01(rrow, {c.code: c.order for c in f.catalog.classes}) if rrow else ""
        body.append((lcell, Cell(str(number), align="center"), num(fmt, lrow, "金额"),
                     Cell(rlabel), Cell(str(number + offset), align="center"), num(fmt, rrow, "金额")))  # fmt: skip
    return header, tuple(body), (3.2, 0.7, 1.2, 3.2, 0.7, 1.2)


def _label01(row: Row, numbered: dict[str, int]) -> str:
    if row.key in numbered:
        return f"{cn(numbered[row.key])}、{row.label}"
    return row.label


def t04(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    if not lay.column_numbers:
        return t04_plain(f, fmt)
    t = f.tables["04"]
    fund_heads = [f"{fund}财政拨款" for fund in FUNDS]
    header = (
        (h("收  入", 3), h("支  出", 6)),
        (h("项目", 1, 2), h("行次", 1, 2), h("决算数", 1, 2), h("项目", 1, 2), h("行次", 1, 2), h("决算数", 4)),
        (h("合计"), *[h(x) for x in fund_heads]),
        (h("栏次"), h(""), h("1"), h("栏次"), h(""), h("2"), h("3"), h("4"), h("5")),
    )
    # By 行次: every row of a side has one (derive/tables.py numbers them).
    left = {r.number: r for r in t.rows if r.side == "收入" and r.number is not None}
    right = {r.number: r for r in t.rows if r.side == "支出" and r.number is not None}
    offset = min(right) - 1
    fiscal = ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")
    numbered = {src: i for i, src in enumerate(fiscal, 1)}
    classes = {c.code: c.order for c in f.catalog.classes}
    body = []
    for number in range(1, max(left) + 1):
        lrow, rrow = left.get(number), right.get(number + offset)
        llabel = _label01(lrow, numbered) if lrow else ""
        if lrow is not None and lrow.key.startswith("年初") and lrow.key != "年初财政拨款结转和结余":
            llabel = "  " + lrow.label
        values = [num(fmt, rrow, c) for c in ("合计", *FUNDS)]
        body.append((Cell(llabel), Cell(str(number), align="center"), num(fmt, lrow, "金额"),
                     Cell(_label01(rrow, classes) if rrow else ""), Cell(str(number + offset), align="center"),
                     *values))  # fmt: skip
    return header, tuple(body), (3.0, 0.6, 1.1, 3.0, 0.6, 1.1, 1.1, 1.1, 1.1)


def t02(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    cols = ("本年收入合计", "财政拨款收入", *INCOME_SOURCES[3:])
    body = hierarchy_rows(fmt, f.tables["02"], cols, lay)
    return _code_name_header(list(cols), lay), body, (*lay.code_widths, 3.2, *[1.1] * 7)


def t03(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    cols = ("本年支出合计", *SPENDING_TYPES)
    body = hierarchy_rows(fmt, f.tables["03"], cols, lay)
    return _code_name_header(list(cols), lay), body, (*lay.code_widths, 3.4, *[1.1] * 6)


SPENDING_WIDTHS = (1.4, 4.2, 1.3, 1.3, 1.3)


def spending_header(cols: tuple[str, ...], code_label: str = CODE_LABEL, lay: Layout = DEFAULT) -> Rows:
    """The header of a 本年支出 table with three columns (公开05, 08; Sichuan's 经济分类 tables)."""
    down = 2 if lay.levels else 1
    return (
        (h("项目", lay.code_span + 1), h("本年支出", len(cols))),
        (h(code_label, lay.code_span), h("科目名称", 1, down), *[h(c, 1, down) for c in cols]),
        *_levels_row(lay),
        *_column_numbers(lay, len(cols)),
    )


def _spending_widths(lay: Layout) -> tuple[float, ...]:
    return (*lay.code_widths, *SPENDING_WIDTHS[1:]) if lay.levels else SPENDING_WIDTHS


def t05(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    cols = ("小计", "基本支出", "项目支出")
    return spending_header(cols, lay=lay), hierarchy_rows(fmt, f.tables["05"], cols, lay), _spending_widths(lay)


def t07(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT, table_id: str = "07") -> Built:
    cols = ("年初结转和结余", "本年收入", "小计", "基本支出", "项目支出", "年末结转和结余")
    down = 3 if lay.levels else 2
    header = (
        (h("项目", lay.code_span + 1), h("年初结转和结余", 1, down), h("本年收入", 1, down), h("本年支出", 3),
         h("年末结转和结余", 1, down)),
        (h(CODE_LABEL, lay.code_span), *[h(c, 1, down - 1) for c in ("科目名称", "小计", "基本支出", "项目支出")]),
        *_levels_row(lay),
        *_column_numbers(lay, 6),
    )  # fmt: skip
    return header, _maybe_empty(fmt, f.tables[table_id], cols, lay), (*lay.code_widths, 3.0, *[1.1] * 6)


def t08_flows(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    """国有资本经营预算财政拨款收入支出决算表 (2024 national layout): the columns of 公开07."""
    return t07(f, fmt, lay, "08收支")


def t08(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    cols = ("合计", "基本支出", "项目支出")
    body = _maybe_empty(fmt, f.tables["08"], cols, lay)
    return spending_header(cols, lay=lay), body, _spending_widths(lay)


def _maybe_empty(fmt: NumberFormat, table: DTable, cols: tuple[str, ...], lay: Layout = DEFAULT) -> Rows:
    if table.empty:
        return ((Cell("合计", lay.code_span + 1, align="center"), *[Cell("") for _ in cols]),)
    return hierarchy_rows(fmt, table, cols, lay)


def econ_columns(t: DTable, fmt: NumberFormat, groups: tuple[tuple[str, ...], ...]) -> list[tuple[Cell, ...]]:
    """A 经济分类 table's body (公开06, 川09): one column group per entry of ``groups`` (类 codes, top to
    bottom), side by side, each row 编码, 名称, 金额."""
    columns: list[list[Row]] = []
    for group in groups:
        col: list[Row] = []
        for cls in group:
            col.extend(r for r in t.rows if r.key == cls or (r.level == 2 and r.key.startswith(cls)))
        columns.append(col)
    depth = max(len(c) for c in columns)
    body = []
    for i in range(depth):
        cells: list[Cell] = []
        for col in columns:
            row = col[i] if i < len(col) else None
            if row is None:
                cells += [Cell(""), Cell(""), Cell("")]
            else:
                cells += [
                    Cell(row.key, bold=row.level == 1),
                    Cell(row.label, bold=row.level == 1),
                    num(fmt, row, "金额"),
                ]
        body.append(tuple(cells))
    return body


def t06(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    if lay.econ_blocks == 2:
        return t06_two(f, fmt)
    t = f.tables["06"]
    header = ((h("人员经费", 3), h("公用经费", 6)), tuple(h(x) for x in ("科目代码", "科目名称", "决算数") * 3))
    body = econ_columns(f.tables["06"], fmt, f.catalog.econ_layout)
    personnel, public = t.row("人员经费合计"), t.row("公用经费合计")
    body.append((Cell("人员经费合计", 2, align="center"), num(fmt, personnel, "金额"),
                 Cell("公用经费合计", 5, align="center"), num(fmt, public, "金额")))  # fmt: skip
    return header, tuple(body), (0.8, 3.0, 1.0) * 3


SANGONG_HEADS = (
    "合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费",
)  # fmt: skip


def t09(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    if lay.sangong_layout == "paired":
        return t09_paired(f, fmt)
    row = f.tables["09"].row("合计")
    per_side = SANGONG_HEADS
    top = (h("合计", 1, 2), h("因公出国（境）费", 1, 2), h("公务用车购置及运行维护费", 3), h("公务接待费", 1, 2))
    header = (
        (h("预算数", 6), h("决算数", 6)),
        top + top,
        tuple(c for _ in range(2) for c in (h("小计"), h("公务用车购置费"), h("公务用车运行维护费"))),
        *((tuple(h(str(i)) for i in range(1, 13)),) if lay.column_numbers else ()),
    )
    body = ((*[num(fmt, row, f"{side}.{c}") for side in ("预算", "决算") for c in per_side],),)
    return header, body, (1.0,) * 12


# ---- layout variants of the 2024 national template (same figures, other layout) ----


def _keep(rows: Rows, columns: tuple[int, ...]) -> Rows:
    """Body rows with only ``columns``, dropping the lines left blank."""
    kept = (tuple(row[i] for i in columns) for row in rows)
    return tuple(row for row in kept if any(c.text for c in row))


def t01_plain(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    """收入支出决算总表 without 行次 and 栏次."""
    _, body, _ = t01(f, fmt)
    header = ((h("收入", 2), h("支出", 2)), (h("项目"), h("决算数"), h("项目"), h("决算数")))
    return header, _keep(body, (0, 2, 3, 5)), (3.4, 1.3, 3.4, 1.3)


def t04_plain(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    """财政拨款收入支出决算总表 without 行次 and 栏次; the opening balances numbered 一、二、三."""
    _, body, _ = t04(f, fmt)
    numbered = {f"  {fund}财政拨款": f"{cn(i)}、{fund}财政拨款" for i, fund in enumerate(FUNDS, 1)}
    body = tuple((Cell(numbered.get(row[0].text, row[0].text)), *row[1:]) for row in body)
    header = (
        (h("收入", 2), h("支出", 5)),
        (h("项目", 1, 2), h("决算数", 1, 2), h("项目", 1, 2), h("决算数", 4)),
        (h("合计"), *[h(f"{fund}财政拨款") for fund in FUNDS]),
    )
    return header, _keep(body, (0, 2, 3, 5, 6, 7, 8)), (3.0, 1.1, 3.0, 1.1, 1.1, 1.1, 1.1)


def t06_two(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    """一般公共预算财政拨款基本支出决算表 in two column groups: 人员经费 类, then 公用经费 类."""
    t, cat = f.tables["06"], f.catalog
    groups = tuple(
        tuple(c for group in cat.econ_layout for c in group if (c in cat.personnel_classes) is personnel)
        for personnel in (True, False)
    )
    header = (tuple(h(x) for x in ("经济分类科目编码", "科目名称", "决算数") * 2),)
    body = econ_columns(f.tables["06"], fmt, groups)
    body.append((Cell("人员经费合计", 2, align="center"), num(fmt, t.row("人员经费合计"), "金额"),
                 Cell("公用经费合计", 2, align="center"), num(fmt, t.row("公用经费合计"), "金额")))  # fmt: skip
    return header, tuple(body), (1.0, 3.0, 1.2) * 2


def t09_paired(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    """财政拨款“三公”经费支出决算表 with 预算数 and 决算数 side by side under each item."""
    row = f.tables["09"].row("合计")
    items = SANGONG_HEADS
    header = (
        (h("财政拨款“三公”经费", 12),),
        (h("合计", 2, 2), h("因公出国（境）费", 2, 2), h("公务用车购置及运行维护费", 6), h("公务接待费", 2, 2)),
        (h("小计", 2), h("公务用车购置费", 2), h("公务用车运行维护费", 2)),
        tuple(h(side) for _ in items for side in ("预算数", "决算数")),
    )
    body = (tuple(num(fmt, row, f"{side}.{item}") for item in items for side in ("预算", "决算")),)
    return header, body, (1.0,) * 12


# Older names of layouts that are now keys (column_numbers, econ_blocks, sangong_layout); kept for overlays.
NATIONAL_VARIANTS = {"01无行次": t01_plain, "04无行次": t04_plain, "06两栏": t06_two, "09逐项": t09_paired}

BUILDERS: dict[str, Builder] = {
    "01": t01, "02": t02, "03": t03, "04": t04, "05": t05, "06": t06, "07": t07, "08": t08, "09": t09,
    "08收支": t08_flows, **NATIONAL_VARIANTS,
}  # fmt: skip
