"""Lay out the Sichuan appendix tables and charts (profile ``sichuan``, reference 003).

The 13 附表 of the Sichuan layout reuse the nine 公开 tables and the
国有资本经营 收入支出 table (08收支) where they correspond; the three tables
below are new: 川05 财政拨款支出决算明细表, 川07 一般公共预算财政拨款支出决算明细表
and 川09 一般公共预算财政拨款项目支出决算表 (derive.py builds them).
图5 一般公共预算财政拨款支出决算变动, 图6 its structure by 类 and 图7 the 三公
structure are new charts; 图2, 图3 and 图6 label their shares as the text
prints them (29.7%, 100%).

The Sichuan code (``__init__.py``) hands SICHUAN_BUILDERS and SICHUAN_FIGURES
to the 决算 kind for a profile that names it; nothing registers by import.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal

from yujuesuan.compose.document import Cell
from yujuesuan.compose.numbers import NumberFormat
from yujuesuan.derive import DTable, Figures
from yujuesuan.kinds.juesuan.derive.facts import CodedShare, NamedShare
from yujuesuan.kinds.juesuan.profiles.sichuan.derive import project_groups
from yujuesuan.kinds.juesuan.tables import (
    DEFAULT,
    SPENDING_WIDTHS,
    Builder,
    Layout,
    Rows,
    econ_columns,
    h,
    num,
    spending_header,
)
from yujuesuan.render.chart_process import draw  # here or in the chart helper; matplotlib only when drawn

Built = tuple[Rows, Rows, tuple[float, ...]]
ZERO = Decimal(0)


def _econ_rows(fmt: NumberFormat, table: DTable, cols: tuple[str, ...]) -> Rows:
    """合计 first, then each 经济分类 类 (bold) and its 款; a 【未填报…】 row spans the code and name."""
    rows = []
    for row in table.rows:
        if row.key == "合计":
            first: tuple[Cell, ...] = (Cell("合计", 2, align="center", bold=True),)
        elif not row.key.isdigit():
            first = (Cell(row.label, 2),)
        else:
            first = (Cell(row.key, bold=row.level == 1), Cell(row.label, bold=row.level == 1))
        rows.append((*first, *[num(fmt, row, c) for c in cols]))
    return tuple(rows)


def t05(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    """财政拨款支出决算明细表: 财政拨款 (all three funds) by 经济分类, 基本支出 and 项目支出."""
    cols = ("合计", "基本支出", "项目支出")
    econ = replace(lay, code_levels=False, code_columns=1)  # 经济分类 codes have no 类/款/项 split
    header = spending_header(cols, "经济分类科目编码", econ)
    return header, _econ_rows(fmt, f.tables["川05"], cols), SPENDING_WIDTHS


def t07(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    """一般公共预算财政拨款支出决算明细表: by 经济分类, 基本支出 (人员经费, 公用经费) and 项目支出."""
    cols = ("合计", "基本支出", "人员经费", "公用经费", "项目支出")
    header = (
        (h("项目", 2), h("本年支出", 5)),
        (h("经济分类科目编码", 1, 2), h("科目名称", 1, 2), h("合计", 1, 2), h("基本支出", 3), h("项目支出", 1, 2)),
        (h("小计"), h("人员经费"), h("公用经费")),
        (h("栏次", 2), *[h(str(i)) for i in range(1, 6)]),
    )
    return header, _econ_rows(fmt, f.tables["川07"], cols), (1.3, 3.6, 1.2, 1.2, 1.2, 1.2, 1.2)


def t09(f: Figures, fmt: NumberFormat, lay: Layout = DEFAULT) -> Built:
    """一般公共预算财政拨款项目支出决算表: every 经济分类 item in three column groups, as 公开06."""
    t = f.tables["川09"]
    header = (tuple(h(x) for x in ("科目编码", "科目名称", "决算数") * 3),)
    body = econ_columns(t, fmt, project_groups(f.catalog))
    for row in t.rows:
        if row.level == 1 and not row.key.isdigit():  # 【未填报项目支出经济分类】
            body.append((Cell(row.label, 8), num(fmt, row, "金额")))
    body.append((Cell("项目支出合计", 8, align="center", bold=True), num(fmt, t.row("合计"), "金额")))
    return header, tuple(body), (0.8, 3.0, 1.0) * 3


SICHUAN_BUILDERS: dict[str, Builder] = {"川05": t05, "川07": t07, "川09": t09}


# ---- charts ----


def _share_label(fmt: NumberFormat, part: NamedShare | CodedShare) -> str:
    """29.7%, 100%, 0%: the share as the text prints it (share_places, trailing zeros dropped)."""
    return fmt.pct_short(part["占比"].rate, "占比") or "0%"


def _wrap(name: str, width: int = 10) -> str:
    """A name longer than ``width`` on two balanced lines, so that the legend stays inside the chart."""
    if len(name) <= width:
        return name
    half = (len(name) + 1) // 2
    return f"{name[:half]}\n{name[half:]}"


def _pie(fmt: NumberFormat, title: str, parts: Sequence[NamedShare | CodedShare]) -> bytes | None:
    """A structure pie; None (the figure is left out with a note) when every part is zero."""
    return draw(
        "pie_chart",
        title,
        [_wrap(p["名称"]) for p in parts],
        [fmt.wan(p["金额"]) for p in parts],
        [_share_label(fmt, p) for p in parts],
    )


def income_pie(f: Figures, fmt: NumberFormat, title: str) -> bytes | None:
    return _pie(fmt, title, f.facts["四川"]["收入来源"])


def spending_pie(f: Figures, fmt: NumberFormat, title: str) -> bytes | None:
    return _pie(fmt, title, f.facts["四川"]["支出类型"])


def gpb_class_pie(f: Figures, fmt: NumberFormat, title: str) -> bytes | None:
    return _pie(fmt, title, f.facts["四川"]["一般公共预算类"])


def sangong_pie(f: Figures, fmt: NumberFormat, title: str) -> bytes | None:
    return _pie(fmt, title, f.facts["四川"]["三公"]["结构"])


def gpb_bars(f: Figures, fmt: NumberFormat, title: str) -> bytes | None:
    """图5: 一般公共预算财政拨款支出, last year and this year."""
    c = f.facts["一般公共预算财政拨款支出"]
    year = f.model.year
    previous = c.previous if c.previous is not None else ZERO
    series = [(f"{year - 1}年度", [fmt.wan(previous)]), (f"{year}年度", [fmt.wan(c.current)])]
    labels = [[fmt.amount(previous)], [fmt.amount(c.current)]]
    return draw("bar_chart", title, ["一般公共预算财政拨款支出"], series, labels)


SICHUAN_FIGURES: dict[str, Callable[[Figures, NumberFormat, str], bytes | None]] = {
    "四川收入结构": income_pie,
    "四川支出结构": spending_pie,
    "一般公共预算支出变动": gpb_bars,
    "四川一般公共预算类结构": gpb_class_pie,
    "三公结构": sangong_pie,
}
