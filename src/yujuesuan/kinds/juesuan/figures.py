"""Chart data for 图N: derived figures → charts.py specs → Figure blocks.

The profile names each figure and the series it shows; the series themselves
are read here from the derived facts, never typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Literal

from yujuesuan.compose.numbers import NumberFormat
from yujuesuan.derive import Figures
from yujuesuan.kinds.juesuan.derive.facts import ClassRow, SourceShare
from yujuesuan.render.chart_process import draw  # here or in the chart helper; matplotlib only when drawn

ZERO = Decimal(0)


Bar = tuple[str, Literal["收支总计", "财政拨款收支总计"]]  # a label and the fact (a Change) it shows


def _bars(f: Figures, fmt: NumberFormat, title: str, keys: list[Bar]) -> bytes | None:
    """Last year and this year for each (label, fact key) pair."""
    year = f.model.year
    changes = [f.facts[k] for _, k in keys]
    series = [
        (f"{year - 1}年度", [fmt.wan(c.previous or ZERO) for c in changes]),
        (f"{year}年度", [fmt.wan(c.current) for c in changes]),
    ]
    labels = [[fmt.amount(c.previous or ZERO) for c in changes], [fmt.amount(c.current) for c in changes]]
    return draw("bar_chart", title, [label for label, _ in keys], series, labels)


def total_bars(f: Figures, fmt: NumberFormat, title: str) -> bytes | None:
    return _bars(f, fmt, title, [("收入总计", "收支总计"), ("支出总计", "收支总计")])


def fiscal_bars(f: Figures, fmt: NumberFormat, title: str) -> bytes | None:
    return _bars(f, fmt, title, [("财政拨款收入总计", "财政拨款收支总计"), ("财政拨款支出总计", "财政拨款收支总计")])


def _pie(fmt: NumberFormat, title: str, parts: Sequence[SourceShare | ClassRow], kind: str) -> bytes | None:
    """A structure pie of named amounts, each labelled with its share."""
    labels = [p["名称"] for p in parts]
    values = [fmt.wan(p["金额"]) for p in parts]
    return draw("pie_chart", title, labels, values, [fmt.pct(p["占比"].rate, kind) for p in parts])


def income_pie(f: Figures, fmt: NumberFormat, title: str) -> bytes | None:
    return _pie(fmt, title, [p for p in f.facts["收入来源"] if p["金额"] != 0], "占比")


def spending_pie(f: Figures, fmt: NumberFormat, title: str) -> bytes | None:
    return _pie(fmt, title, [p for p in f.facts["支出类型"] if p["金额"] != 0], "占比")


def gpb_class_pie(f: Figures, fmt: NumberFormat, title: str) -> bytes | None:
    return _pie(fmt, title, f.facts["一般公共预算类"], "类占比")


SOURCES: dict[str, Callable[[Figures, NumberFormat, str], bytes | None]] = {
    "收支总计": total_bars,
    "财政拨款收支总计": fiscal_bars,
    "收入结构": income_pie,
    "支出结构": spending_pie,
    "一般公共预算支出结构": gpb_class_pie,
}
