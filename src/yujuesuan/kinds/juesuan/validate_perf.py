"""Validate the 重点工作 and 绩效 blocks: texts, goals, indicators and scores."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from yujuesuan.input.load import Mapping, Node
from yujuesuan.kinds.juesuan.model import Goal, Indicator, Model, Project
from yujuesuan.kinds.juesuan.schema import keys

if TYPE_CHECKING:
    from yujuesuan.input.reader import Reader

# The keys schema.py declares for these blocks.
INDICATOR_KEYS = keys("绩效.项目.指标")
PROJECT_TEXTS = tuple(k for k in keys("绩效.项目", kind="text") if k not in ("名称", "科目"))
PERF_TEXTS = keys("绩效", kind="text")
KEY_WORK_COLUMNS = keys("重点工作.表")
DEFAULT_EXEC_WEIGHT = Decimal(20)  # 预算执行情况's 分值 when 执行分值 is left out (as 绩效.整体's default)


def read_key_work(r: Reader, top: Mapping, model: Model) -> None:
    m = r.mapping(top.get("重点工作"), "重点工作")
    if m is None:
        return
    r.keys(m, "重点工作", keys("重点工作"))
    model.key_work_text = r.text(m, "正文", "重点工作.正文")
    for i, node in enumerate(r.sequence(m.get("表"), "重点工作.表"), 1):
        path = f"重点工作.表[{i}]"
        row = r.mapping(node, path)
        if row is None:
            continue
        r.keys(row, path, KEY_WORK_COLUMNS)
        model.key_work_rows.append({k: r.text(row, k, f"{path}.{k}") for k in KEY_WORK_COLUMNS})


def _indicators(r: Reader, node: Node | None, path: str) -> list[Indicator]:
    out = []
    for i, item in enumerate(r.sequence(node, path), 1):
        ipath = f"{path}[{i}]"
        m = r.mapping(item, ipath)
        if m is None:
            continue
        r.keys(m, ipath, INDICATOR_KEYS)
        level1, level2, level3, target, actual = (r.text(m, k, f"{ipath}.{k}") for k in INDICATOR_KEYS[:5])
        score = r.score(m, "得分", f"{ipath}.得分")  # None: reported as missing
        out.append(Indicator(level1, level2, level3, target, actual, score if score is not None else Decimal(0)))
    return out


def read_performance(r: Reader, top: Mapping, model: Model) -> None:
    m = r.mapping(top.get("绩效"), "绩效")
    if m is None:
        return
    perf = model.performance
    r.keys(m, "绩效", keys("绩效"))
    perf.texts = {k: r.text(m, k, f"绩效.{k}") for k in PERF_TEXTS}
    whole = r.mapping(m.get("整体"), "绩效.整体")
    if whole is not None:
        r.keys(whole, "绩效.整体", keys("绩效.整体"))
        perf.overall_budget = r.optional_amount(whole, "预算数", "绩效.整体.预算数")
        weight = r.score(whole, "执行分值", "绩效.整体.执行分值", required=False)
        if weight is not None:
            perf.overall_exec_weight = weight
        for k in keys("绩效.整体", kind="text"):
            perf.overall_texts[k] = r.text(whole, k, f"绩效.整体.{k}")
        for i, node in enumerate(r.sequence(whole.get("目标"), "绩效.整体.目标"), 1):
            gpath = f"绩效.整体.目标[{i}]"
            g = r.mapping(node, gpath)
            if g is None:
                continue
            r.keys(g, gpath, keys("绩效.整体.目标"))
            perf.goals.append(
                Goal(
                    r.text(g, "名称", f"{gpath}.名称", required=True),
                    r.score(g, "分值", f"{gpath}.分值", required=False),
                    _indicators(r, g.get("指标"), f"{gpath}.指标"),
                )
            )
    for i, node in enumerate(r.sequence(m.get("项目"), "绩效.项目"), 1):
        ppath = f"绩效.项目[{i}]"
        p = r.mapping(node, ppath)
        if p is None:
            continue
        r.keys(p, ppath, keys("绩效.项目"))
        weight = r.score(p, "执行分值", f"{ppath}.执行分值", required=False)
        perf.projects.append(
            Project(
                name=r.text(p, "名称", f"{ppath}.名称", required=True),
                code=r.text(p, "科目", f"{ppath}.科目"),
                budget=r.amount(p, "预算数", f"{ppath}.预算数"),
                actual=r.amount(p, "执行数", f"{ppath}.执行数"),
                # The default 分值 is a Decimal like a typed one: the 自评表 formats it (an int 20 crashed there).
                exec_weight=weight if weight is not None else DEFAULT_EXEC_WEIGHT,
                indicators=_indicators(r, p.get("指标"), f"{ppath}.指标"),
                texts={k: r.text(p, k, f"{ppath}.{k}") for k in PROJECT_TEXTS},
                path=ppath,
            )
        )
