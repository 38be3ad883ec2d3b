"""Lay out the 绩效自评表s (部门整体 and one per project) and the 重点工作 table."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from yujuesuan.compose.document import Cell
from yujuesuan.compose.numbers import NumberFormat
from yujuesuan.kinds.juesuan.derive.facts import PerfOverall, PerfProject
from yujuesuan.kinds.juesuan.model import Indicator
from yujuesuan.kinds.juesuan.tables import Rows, h

OPTIONS: dict[Literal["项目类别", "项目属性", "项目类型"], tuple[str, ...]] = {
    "项目类别": ("部门预算项目", "区级专项", "上级转移支付项目"),
    "项目属性": ("持续性项目", "新增性项目"),
    "项目类型": ("常年性项目", "延续性项目", "一次性项目"),
}
# Wide enough that "537.12万元", "100-120条" and "得分（20分*执行率）" do not break inside a figure:
# the last column holds scores and the 执行率 score heading.
WIDTHS: tuple[float, ...] = (1.1, 1.4, 2.9, 1.6, 1.6, 1.4)
KEY_WORK_WIDTHS: tuple[float, ...] = (0.6, 2.0, 3.0, 3.6)
# A 绩效 table of at most this many rows fits one page with its title and notes: it is kept whole
# (moved to the next page rather than split). A longer one is split; forcing it whole would only
# push it off the page of its heading.
KEEP_TOGETHER_ROWS = 25


def fits_one_page(header: Rows, body: Rows) -> bool:
    return len(header) + len(body) <= KEEP_TOGETHER_ROWS


def title(year: int, name: str, suffix: str) -> str:
    """"2023 年度XX项目自评表"; a name that holds the year already ("2023年公务员医疗补助经费") keeps it alone."""
    return f"{name}{suffix}" if str(year) in name else f"{year} 年度{name}{suffix}"


def split_header(rows: Rows) -> tuple[Rows, Rows]:
    """The 名称 row is the header: it repeats on the next page, naming the table a page continues."""
    return rows[:1], rows[1:]


def _ticks(kind: Literal["项目类别", "项目属性", "项目类型"], chosen: str) -> str:
    # ■ rather than ☑: the bundled CJK fonts have ■ and □ but not ☑, which would print as a box.
    marks = [f"{i}、{opt} {'■' if opt == chosen else '□'}" for i, opt in enumerate(OPTIONS[kind], 1)]
    return "  ".join(marks)


def _indicator_rows(fmt: NumberFormat, indicators: list[Indicator]) -> list[tuple[Cell, ...]]:
    """Indicator rows; equal adjacent 一级/二级 cells are merged, as the published tables do."""
    rows: list[tuple[Cell, ...]] = []
    n = len(indicators)
    for i, ind in enumerate(indicators):
        cells: list[Cell] = []
        for level, attr in ((1, "level1"), (2, "level2")):
            value = getattr(ind, attr)
            prev = getattr(indicators[i - 1], attr) if i else None
            same_group = i and value == prev and (level == 1 or indicators[i - 1].level1 == ind.level1)
            if same_group:
                continue
            span = 1
            while (
                i + span < n
                and getattr(indicators[i + span], attr) == value
                and (level == 1 or indicators[i + span].level1 == ind.level1)
            ):
                span += 1
            cells.append(Cell(value, rowspan=span, align="center"))
        cells += [Cell(ind.level3), Cell(ind.target, align="center"), Cell(ind.actual, align="center"),
                  Cell(fmt.score(ind.score), align="right")]  # fmt: skip
        rows.append(tuple(cells))
    return rows


def _indicator_header() -> tuple[Cell, ...]:
    return (h("一级指标"), h("二级指标"), h("三级指标"), h("年初目标值（A）"), h("实际完成值（B）"), h("得分"))


def _execution(fmt: NumberFormat, label: str, p: PerfProject | PerfOverall) -> list[tuple[Cell, ...]]:
    weight = fmt.score(p["分值"])
    return [
        (h(f"预算执行情况（万元）（{weight}分）", 1, 2), h(""), h("预算数（A）"), h("执行数（B）"), h("执行率（B/A）"),
         h(f"得分（{weight}分*执行率）")),
        (Cell(label), Cell(fmt.in_table(p["预算"]), align="right"), Cell(fmt.in_table(p["执行"]), align="right"),
         Cell(fmt.pct_short(p["执行率"]), align="right"), Cell(fmt.score(p["执行得分"]), align="right")),
    ]  # fmt: skip


def _tail(fmt: NumberFormat, total: Decimal, deviation: str, measures: str) -> list[tuple[Cell, ...]]:
    return [
        (h("总分", 5), Cell(fmt.score(total), align="right")),
        (h("偏差大或目标未完成原因分析", 2), Cell(deviation, 4)),
        (h("改进措施及结果应用方案", 2), Cell(measures, 4)),
    ]


def overall_table(fmt: NumberFormat, unit: str, whole: PerfOverall) -> Rows:
    rows: list[tuple[Cell, ...]] = [
        (h("部门名称", 2), Cell(unit, 4)),
        (h("基本支出总额", 2), Cell(fmt.in_table(whole["基本支出"]) + "万元", align="right"), h("项目支出总额"),
         Cell(fmt.in_table(whole["项目支出"]) + "万元", 2, align="right")),
        *_execution(fmt, "部门整体支出总额", whole),
    ]  # fmt: skip
    for i, goal in enumerate(whole["目标"], 1):
        weight = f"（{fmt.score(goal.weight)}分）" if goal.weight is not None else ""
        rows.append((h(f"年度绩效目标{i}{weight}", 2), Cell(goal.name, 4)))
        rows.append(_indicator_header())
        rows.extend(_indicator_rows(fmt, goal.indicators))
    rows.extend(_tail(fmt, whole["总分"], whole.get("偏差原因", ""), whole.get("改进措施", "")))
    return tuple(rows)


def project_table(fmt: NumberFormat, unit: str, p: PerfProject) -> Rows:
    rows: list[tuple[Cell, ...]] = [
        (h("项目名称", 2), Cell(p["名称"], 4)),
        (h("主管部门", 2), Cell(p.get("主管部门") or unit), h("项目实施单位"), Cell(p.get("实施单位") or unit, 2)),
    ]
    for kind in OPTIONS:
        rows.append((h(kind, 2), Cell(_ticks(kind, p.get(kind, "")), 4)))
    rows.extend(_execution(fmt, "年度财政资金总额", p))
    rows.append((h(f"年度绩效目标（{fmt.score(100 - p['分值'])}分）", 6),))
    rows.append(_indicator_header())
    rows.extend(_indicator_rows(fmt, p["指标"]))
    rows.extend(_tail(fmt, p["总分"], p.get("偏差原因", ""), p.get("改进措施及结果应用", "")))
    return tuple(rows)


def key_work_table(rows: list[dict[str, str]]) -> tuple[Rows, Rows]:
    header = ((h("序号"), h("重要事项"), h("工作内容及目标"), h("完成情况")),)
    body = tuple(
        (Cell(str(i), align="center"), Cell(r["重要事项"]), Cell(r["工作内容及目标"]), Cell(r["完成情况"]))
        for i, r in enumerate(rows, 1)
    )
    return header, body
