"""The 绩效目标申报表 of a 部门预算: the 部门整体 form and one 项目支出 form per project, as document Tables.

A section places them with ``[[表 整体绩效目标]]`` and ``[[表 项目绩效目标]]``
(every project) or ``[[表 项目绩效目标N]]`` (the N-th). The forms' amounts come
from the derived figures (a project's amount, the 收支构成 of three years); the
indicators and texts are the file's, printed as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal

from yujuesuan.derive import Figures
from yujuesuan.document import Block, Cell, Table
from yujuesuan.errors import UsageError
from yujuesuan.kinds.yusuan.model import FISCAL, BudgetModel, Goal, Project
from yujuesuan.numbers import NumberFormat

ZERO = Decimal(0)
NAMES = ("整体绩效目标", "项目绩效目标", "项目绩效目标N")
CATEGORIES = ("运转类", "特定目标类本级支出", "特定目标类上级转移支出")
FREQUENCIES = ("一次性项目", "常年项目", "延续性项目")


def h(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan, rowspan, "center", True)


def balanced_shares(parts: Sequence[Decimal], whole: Decimal, places: int) -> list[Decimal | None]:
    """Percentages of ``whole`` rounded so that they add up to 100 (largest remainder), as the forms print them.

    81.853 + 6.823 + 11.324 rounds to 99.99; the part with the largest remainder takes the last 0.01.
    """
    if whole == 0:
        return [None for _ in parts]
    step = Decimal(1).scaleb(-places)
    exact = [p * 100 / whole for p in parts]
    floors = [e.quantize(step, ROUND_DOWN) for e in exact]
    if sum(parts, ZERO) != whole:
        return [e.quantize(step) for e in exact]  # parts that do not make up the whole: plain rounding
    short = int((Decimal(100) - sum(floors, ZERO)) / step)
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[: max(short, 0)]:
        floors[i] += step
    return floors


def _merged(rows: list[list[str]], merge: int) -> tuple[tuple[Cell, ...], ...]:
    """Rows of text; the first ``merge`` columns merge down over equal neighbours (within the run to their left)."""
    out: list[list[Cell | None]] = [[Cell(t) for t in row] for row in rows]
    for col in range(merge):
        i = 0
        while i < len(rows):
            j = i + 1
            while (j < len(rows) and rows[j][col] == rows[i][col] and rows[i][col]
                   and all(out[j][c] is None for c in range(col))):  # fmt: skip
                j += 1
            if j - i > 1:
                out[i][col] = Cell(rows[i][col], rowspan=j - i, align="center")
                for k in range(i + 1, j):
                    out[k][col] = None
            i = j
    return tuple(tuple(c for c in row if c is not None) for row in out)


def _goal_rows(goals: list[Goal], label: str, yearly: bool, weighted: bool) -> list[list[str]]:
    rows = []
    for i, goal in enumerate(goals, 1):
        name = f"{label} {i}"
        for ind in goal.indicators or []:
            head = [name, goal.weight] if weighted else [name]
            if yearly:
                values = [ind.before, ind.last, ind.now, *([ind.weight] if weighted else [])]
            else:
                values = [ind.value]
            rows.append([*head, ind.level1, ind.level2, ind.level3, *values, ind.basis])
    return rows


def _pct(fmt: NumberFormat, rate: Decimal | None) -> str:
    return "" if rate is None else fmt.pct_short(rate, "类占比")


def overall_form(f: Figures, fmt: NumberFormat) -> list[Block]:
    model: BudgetModel = f.model  # type: ignore[assignment]
    o = model.overall
    if o is None:
        return []
    years = f.facts["整体"]
    now, last, before = years["本年"], years["上年"], years["前年"]
    unit = model.unit_name
    title = f"{model.year} 年{_district(model)}部门（单位）整体绩效目标申报表"
    blocks: list[Block] = []
    info = (
        (h("部门（单位）名称"), Cell(unit, 3)),
        (h("填报人"), Cell(o.filler), h("联系电话"), Cell(o.phone)),
    )
    blocks.append(Table("申报-整体", title, unit_left=f"填报日期：{o.date}", unit_right="单位：万元", body=info,
                        widths=(1.5, 2.5, 1.5, 2.5), page_break_before=True))  # fmt: skip
    header = (
        (h("总体资金情况", 2, 2), h("当年金额", 1, 2), h("占比", 1, 2), h("近两年收支金额", 2)),
        (h(f"{model.year - 2} 年"), h(f"{model.year - 1} 年")),
    )
    body: list[tuple[Cell, ...]] = []
    for group, keys, total in (("收入构成", ("财政拨款", "财政专户管理资金", "单位资金"), "收入合计"),
                               ("支出构成", ("人员类", "运转类", "特定目标类"), "支出合计")):  # fmt: skip
        shares = balanced_shares([now[k] for k in keys], now[total], fmt.places("类占比"))
        labels = [k if group == "收入构成" else f"{k}项目支出" for k in keys]
        for i, (key, label, share) in enumerate(zip((*keys, total), (*labels, "合计"), (*shares, Decimal(100)))):
            first = (Cell(group, rowspan=4, align="center"),) if i == 0 else ()
            rate = share if now[total] else None
            body.append((*first, Cell(label), _amount(fmt, now[key]), Cell(_pct(fmt, rate) if now[key] else ""),
                         _amount(fmt, before[key] if before else None, zero="0"),
                         _amount(fmt, last[key] if last else None, zero="0")))  # fmt: skip
    blocks.append(_titled("申报-整体资金", "部门总体资金情况", (1.2, 2.2, 1.3, 1.1, 1.3, 1.3), header, tuple(body)))
    texts = ((h("部门职能概述"), Cell(o.functions)), (h("年度工作任务"), Cell(o.tasks)))
    blocks.append(Table("申报-整体职能", "", body=texts, widths=(1.5, 6.5)))
    projects = tuple(
        (Cell(f"项目 {i}：{p.name}"), Cell(p.kind), _amount(fmt, p.amount), _amount(fmt, p.amount), Cell(p.direction))
        for i, p in enumerate(model.projects, 1)
    )
    head = ((h("项目名称"), h("支出项目类别"), h("项目总预算"), h("项目本年度预算"), h("项目主要支出方向和用途")),)
    blocks.append(_titled("申报-整体项目", "项目支出情况", (2.2, 1.3, 1.2, 1.2, 3.5), head, projects))
    goals = (
        (h("长期目标"), h("年度目标")),
        (Cell("\n".join(f"目标 {i}：{g.text}" for i, g in enumerate(o.long_goals, 1))),
         Cell("\n".join(f"目标 {i}：{g.text}" for i, g in enumerate(o.year_goals, 1)))),
    )  # fmt: skip
    blocks.append(_titled("申报-整体目标", "整体绩效总目标", (4, 4), body=goals))
    for i, goal in enumerate(o.long_goals, 1):
        rows = [[ind.level1, ind.level2, ind.level3, ind.value, ind.basis] for ind in goal.indicators]
        header = ((h(f"长期目标 {i}：{goal.text}", 5),),
                  (h("一级指标"), h("二级指标"), h("三级指标"), h("指标值"), h("指标值确定依据")))  # fmt: skip
        blocks.append(
            Table(f"申报-长期{i}", "", header=header, body=_merged(rows, 2), widths=(1.2, 1.5, 2.2, 1.3, 2.6))
        )
    for i, goal in enumerate(o.year_goals, 1):
        rows = [
            [ind.level1, ind.level2, ind.level3, ind.before, ind.last, ind.now, ind.basis] for ind in goal.indicators
        ]
        header = (
            (h(f"年度目标 {i}：{goal.text}", 7),),
            (h("一级指标", 1, 3), h("二级指标", 1, 3), h("三级指标", 1, 3), h("指标值", 3), h("指标值确定依据", 1, 3)),
            (h("近两年指标值", 2), h("预期当年实现值", 1, 2)),
            (h("前年"), h("上年")),
        )
        blocks.append(Table(f"申报-年度{i}", "", header=header, body=_merged(rows, 2),
                            widths=(1.1, 1.4, 2.0, 1.0, 1.0, 1.1, 2.2)))  # fmt: skip
    return blocks


def _district(model: BudgetModel) -> str:
    """The district's short name for the forms' titles: 江汉区 from 武汉市江汉区融媒体中心."""
    name = model.unit_name
    start = name.find("市") + 1
    end = name.find("区", start)
    return name[start : end + 1] if end > 0 else ""


def _titled(tid: str, label: str, widths: tuple[float, ...], header: tuple[tuple[Cell, ...], ...] = (),
            body: tuple[tuple[Cell, ...], ...] = ()) -> Table:  # fmt: skip
    """A part of a form: its label is the first header row (the 目录 lists only the forms themselves)."""
    return Table(tid, "", header=((h(label, len(widths)),), *header), body=body, widths=widths)


def _amount(fmt: NumberFormat, value: Decimal | None, unit: str = "", zero: str = "") -> Cell:
    if value is None:
        return Cell("")
    if value == 0:
        return Cell(zero, align="right")
    return Cell(fmt.amount(value) + unit, align="right")


def _checked(options: Sequence[str], chosen: str) -> str:
    return " ".join(f"{i}. {o} {'√' if o == chosen else '□'}" for i, o in enumerate(options, 1))


def project_form(f: Figures, fmt: NumberFormat, number: int, p: Project) -> list[Block]:
    model: BudgetModel = f.model  # type: ignore[assignment]
    form = p.form
    if form is None:
        return []
    unit = "万元"
    title = f"{model.year} 年{_district(model)}项目支出（绩效目标）申报表（{p.name}）"
    total = _amount(fmt, form.total_budget, unit) if form.total_budget is not None else Cell("（延续性项目填写）")
    info = (
        (h("项目名称"), Cell(p.name), h("项目代码"), Cell(form.code)),
        (h("项目主管部门"), Cell(form.department), h("项目执行单位"), Cell(form.executor)),
        (h("项目负责人"), Cell(form.leader), h("联系电话"), Cell(form.phone)),
        (h("项目年度"), Cell(f"{model.year} 年", 3)),
        (h("项目类别"), Cell(_checked(CATEGORIES, form.category), 3)),
        (h("项目安排频度"), Cell(_checked(FREQUENCIES, form.frequency), 3)),
        (h("立项依据"), Cell(form.basis, 3)),
        (h("项目实施方案"), Cell(form.plan, 3)),
        (h("上年绩效评价结果、整改及应用（必填）"), Cell(form.last_result, 3)),
        (h("项目前两年预算及当年预算变动情况"), Cell("\n".join(form.history), 3)),
        (h("项目总预算"), total, h("项目当年预算"), _amount(fmt, p.amount, unit)),
    )
    name = model.name or model.unit_name
    blocks: list[Block] = [Table(f"申报-项目{number}", title, unit_left=f"单位名称：（盖章） {name}", body=info,
                                 widths=(2.0, 3.0, 1.5, 2.5), keep_together=False, page_break_before=True)]  # fmt: skip
    fiscal = sum((p.money.get(s, ZERO) for s in FISCAL), ZERO)
    transfer = p.money.get("上级补助收入", ZERO)
    special = p.money.get("财政专户管理资金", ZERO)
    other = p.amount - fiscal - transfer - special
    sources = (
        (h("来源项目"), h(f"{model.year} 年预算申报数")),
        (Cell("当年预算合计"), _amount(fmt, p.amount, unit)),
        (Cell("1. 财政拨款收入（区级安排数）"), _amount(fmt, fiscal, unit)),
        (Cell("2. 财政拨款收入（上级转移支付）"), _amount(fmt, transfer, unit)),
        (Cell("3. 专户管理的非税收入拨款"), _amount(fmt, special, unit)),
        (Cell("4. 其他资金（含事业基金及上年结转或结余等）"), _amount(fmt, other, unit)),
    )
    blocks.append(_titled(f"申报-项目{number}来源", f"{model.year} 年预算申报项目资金来源", (5, 4), body=sources))
    head = ((h("项目内容"), h("测算依据及说明"), h("本级财政拨款金额"), h("上级转移支付金额"), h("其他资金")),)
    details = tuple(
        (Cell(d.content), Cell(d.basis), _amount(fmt, d.own, unit), _amount(fmt, d.transfer, unit),
         _amount(fmt, d.other, unit))
        for d in form.details
    )  # fmt: skip
    widths = (2.0, 3.2, 1.4, 1.4, 1.0)
    blocks.append(_titled(f"申报-项目{number}明细", f"{model.year} 年项目支出明细及依据", widths, head, details))
    assets = tuple((Cell(a["品名"]), Cell(a["数量"]), Cell(a["金额"])) for a in form.assets) or ((Cell(""),) * 3,)
    head = ((h("品名"), h("数量"), h("金额")),)
    blocks.append(_titled(f"申报-项目{number}资产", "项目资产配置计划及采购计划", (4, 2, 2), head, assets))
    goals = [(Cell(f"长期绩效目标 {i}"), Cell(g.text)) for i, g in enumerate(form.long_goals, 1)]
    goals += [(Cell(f"年度绩效目标 {i}"), Cell(g.text)) for i, g in enumerate(form.year_goals, 1)]
    head = ((h("名称"), h("目标说明")),)
    blocks.append(_titled(f"申报-项目{number}总目标", "项目绩效总目标", (2, 7), head, tuple(goals)))
    rows = _goal_rows(form.long_goals, "长期绩效目标", yearly=False, weighted=False)
    head = ((h("目标名称"), h("一级指标"), h("二级指标"), h("三级指标"), h("指标值"), h("指标值确定依据")),)
    widths = (1.4, 1.1, 1.4, 2.0, 1.2, 2.2)
    blocks.append(_titled(f"申报-项目{number}长期", "长期绩效目标表", widths, head, _merged(rows, 3)))
    rows = _goal_rows(form.year_goals, "年度绩效目标", yearly=True, weighted=True)
    head = (
        (h("目标名称", 1, 2), h("指标权重比例(%)", 1, 2), h("一级指标", 1, 2), h("二级指标", 1, 2), h("三级指标", 1, 2),
         h("指标值", 4), h("指标值确定依据", 1, 2)),
        (h("前年"), h("上年"), h("预计当年实现"), h("指标分值权重")),
    )  # fmt: skip
    widths = (1.2, 0.8, 0.9, 1.2, 1.6, 0.9, 0.9, 0.9, 0.7, 1.8)
    blocks.append(_titled(f"申报-项目{number}年度", "年度绩效目标表", widths, head, _merged(rows, 4)))
    return blocks


def special(f: Figures, fmt: NumberFormat, name: str) -> list[Block]:
    """The blocks of ``[[表 name]]``: the 整体 form, every project's form, or the N-th project's."""
    model: BudgetModel = f.model  # type: ignore[assignment]
    if name == "整体绩效目标":
        return overall_form(f, fmt)
    if name == "项目绩效目标":
        return [b for i, p in enumerate(model.projects, 1) for b in project_form(f, fmt, i, p)]
    if name.startswith("项目绩效目标") and name[6:].isdigit():
        number = int(name[6:])
        if not 1 <= number <= len(model.projects):
            raise UsageError(f"模板中的表“{name}”不存在：本文件有 {len(model.projects)} 个项目（从 1 起编号）。")
        return project_form(f, fmt, number, model.projects[number - 1])
    raise UsageError(f"模板中的表“{name}”不存在。可用：{'、'.join(NAMES)}。")
