"""Rollover (`yujuesuan rollover`): this year's checked file → next year's input file.

This year's derived figures (pipeline.check, never retyped) become the 上年
block; this year's amounts are cleared, each with a “上年 …” comment; the
opening balances are last year's closing ones; free texts are carried over
behind REVIEW_MARK, which sanity.py reports until someone edits them. The file
is written by workflows/new.py's writer, with the same block explanations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from yujuesuan.catalog import Catalog, available_years, load_catalog, nearest_year
from yujuesuan.derive import Figures
from yujuesuan.input.load import Mapping, Node, Scalar, Sequence, load_file
from yujuesuan.kinds.juesuan import schema
from yujuesuan.kinds.juesuan.model import (
    FUND_SPENDING,
    FUNDS,
    PRIOR_KEYS,
    PRIOR_OPTIONAL_KEYS,
    REASON_KEYS,
    SANGONG_ITEMS,
    VEHICLE_TYPES,
    Indicator,
)
from yujuesuan.kinds.juesuan.sanity import REVIEW_MARK
from yujuesuan.workflows.new import NOTES, E, Flow, amt, class_path, is_entries, q, render, text_value
from yujuesuan.workflows.yamlquote import quoted

NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
# A project's texts: this year's wording is marked 【待更新】, its categories are kept (schema.py's roll).
_PROJECT = [f for f in schema.field("绩效.项目").fields if f.kind == "text" and f.key not in ("名称", "科目")]
PROJECT_FREE_TEXTS = tuple(f.key for f in _PROJECT if f.roll != schema.KEEP)
PROJECT_FIXED_TEXTS = tuple(f.key for f in _PROJECT if f.roll == schema.KEEP)
DROPPED = tuple(b.key for b in schema.BLOCKS if b.roll == schema.DROP)  # 核对数


def noted(path: str, was: str | None = None) -> str:
    """The declared note of a field, then (when given) this year's value: “note；上年 …”."""
    return schema.field(path).note if was is None else f"{schema.field(path).note}；{was}"


@dataclass
class Rolled:
    text: str
    year: int
    catalog_year: int
    warnings: list[str] = field(default_factory=list)


def default_output(path: Path, year: int) -> Path:
    """qingshan-2023.yaml → qingshan-2024.yaml next to it (or name-2024.yaml when the name has no year)."""
    pattern = re.compile(rf"(?<!\d){year}(?!\d)")
    if pattern.search(path.stem):
        return path.with_name(pattern.sub(str(year + 1), path.stem) + path.suffix)
    return path.with_name(f"{path.stem}-{year + 1}{path.suffix or '.yaml'}")


def prior_values(f: Figures) -> dict[str, Decimal]:
    """The 上年 figures of next year's file: this year's derived totals, as the tables show them."""
    t = f.tables
    values = {
        "收支总计": t["01"].get("收入总计"),
        "收入合计": t["01"].get("本年收入合计"),
        "支出合计": t["01"].get("本年支出合计"),
        "财政拨款收支总计": t["04"].get("收入总计", "金额"),
        "一般公共预算财政拨款收入": t["04"].get("一般公共预算财政拨款", "金额"),
        "一般公共预算财政拨款支出": t["05"].get("合计", "小计"),
        "基本支出": t["03"].get("合计", "基本支出"),
        "项目支出": t["03"].get("合计", "项目支出"),
        "人员经费": t["06"].get("人员经费合计"),
        "公用经费": t["06"].get("公用经费合计"),
        "政府性基金预算财政拨款支出": t["07"].get("合计", "小计"),
        "国有资本经营预算财政拨款支出": t["08"].get("合计", "合计"),
        "机关运行经费": f.facts["机关运行经费"]["决算"].actual,
    }
    assert set(values) == set(PRIOR_KEYS), "a 上年 key of model.PRIOR_KEYS has no source here"
    # The optional ones (model.PRIOR_OPTIONAL_KEYS): income by source, the other spending types, 结转结余.
    for key in PRIOR_OPTIONAL_KEYS:
        if key in ("上缴上级支出", "经营支出", "对附属单位补助支出"):
            values[key] = t["03"].get("合计", key)
        else:
            values[key] = t["01"].get(key)
    return values


def prior_classes(f: Figures) -> dict[str, Decimal]:
    """上年.一般公共预算类 of next year's file: this year's 公开05 by 类."""
    return {r.key: r.get("小计") for r in f.tables["05"].rows if r.level == 1}


def prior_block(f: Figures, source: str) -> E:
    """Next year's 上年 block: this year's derived figures (also used by a rollover from next year's budget)."""
    prior = prior_values(f)
    actual09 = {i: f.tables["09"].get("合计", f"决算.{i}") for i in SANGONG_ITEMS}
    return E("上年", [*(E(k, amt(prior[k])) for k in (*PRIOR_KEYS, *PRIOR_OPTIONAL_KEYS)),
                      E("三公经费", [E(i, amt(actual09[i])) for i in SANGONG_ITEMS]),
                      # {} when no 类 had any: next year's 类 are then 新增, not "last year unknown".
                      E("一般公共预算类", [E(f'"{c}"', amt(v)) for c, v in prior_classes(f).items()] or "{}")],
             above=("", f"上年（{f.model.year} 年度）决算数：由 yujuesuan rollover 从 {source} 推算填入，不要改动。"))


def opening_balances(f: Figures) -> tuple[Decimal, dict[str, Decimal]]:
    """Next year's 年初结转和结余 and 年初财政拨款结转和结余 by fund: this year's closing ones."""
    closing = f.tables["04"].row("年末财政拨款结转和结余")
    funds = {x: closing.get(x) if closing else Decimal(0) for x in FUNDS}
    return f.tables["01"].get("年末结转和结余"), funds


def mark(text: str) -> str:
    return text if not text or text.startswith(REVIEW_MARK) else REVIEW_MARK + text


def was(value: Decimal | int | None) -> str:
    return "" if value is None else f"上年 {amt(value)}"


def _cleared(values: dict[str, Decimal] | dict[str, int], keys: tuple[str, ...] | None = None) -> list[E]:
    return [E(k, None, was(values.get(k))) for k in (keys if keys is not None else tuple(values))]


def _score(value: Decimal | int | None) -> str:
    return "0" if value is None else format(Decimal(value).normalize(), "f")


def _indicators(items: list[Indicator]) -> list[Flow]:
    return [
        Flow([("一级", q(i.level1, True)), ("二级", q(i.level2, True)), ("三级", q(i.level3, True)),
              ("目标值", q(i.target, True)), ("实际值", q(mark(i.actual), True)), ("得分", _score(i.score))])
        for i in items
    ]  # fmt: skip


def _key(key: str) -> str:
    return f'"{key}"' if key.isdigit() else q(key)


def carried(key: str, node: Node, path: str = "") -> E:
    """A block this module has no reader for, rolled as schema.py declares it: numbers cleared, texts marked.

    A field schema.py does not declare is rolled by its shape: a quoted run of digits is a
    code and stays as it is; an unquoted number is this year's figure (amount, count or score)
    and becomes an empty value with a “上年” note.
    """
    path = f"{path}.{key}" if path else key
    if isinstance(node, Mapping):
        return E(_key(key), [carried(k, v, path) for k, v in node.items.items()])
    if isinstance(node, Sequence):
        items: list[list[E] | str] = []  # a mapping item is a block of entries; a scalar its text
        for child in node.items:
            if isinstance(child, Mapping):
                items.append([carried(k, v, path) for k, v in child.items.items()])
            elif isinstance(child, Scalar) and not child.is_null:
                items.append(q(mark(child.text.strip())))
        return E(_key(key), items)
    assert isinstance(node, Scalar)
    text = node.text.strip()
    declared = schema.find(path)
    if node.is_null or not text:
        return E(_key(key))
    if declared is not None and declared.roll == schema.KEEP:
        return E(_key(key), f'"{text}"' if text.isdigit() else q(text))
    if declared is not None and declared.kind in ("text", "list"):
        return E(_key(key), text_value(mark(text)))
    number = declared.kind in schema.LEAF_KINDS if declared is not None else NUMBER.match(text) and not node.quoted
    if number:
        return E(_key(key), None, f"上年 {text}")
    return E(_key(key), f'"{text}"' if text.isdigit() else text_value(mark(text)))


def merge(entries: list[E], node: Node, drop: tuple[str, ...] = (), path: str = "") -> list[E]:
    """Append what this year's mapping has and ``entries`` lacks, rolled by its shape; return what was added.

    The blocks this module writes come first and win; any other key (a block
    of another layout, a field added to the schema later) is still carried.
    """
    if not isinstance(node, Mapping):
        return []
    have = {e.key.strip('"'): e for e in entries}
    added = []
    for key, child in node.items.items():
        if key in drop:
            continue
        if key not in have:
            added.append(carried(key, child, path))
        elif is_entries(block := have[key].value):
            merge(block, child, path=f"{path}.{key}" if path else key)
    entries.extend(added)
    return added


class Roller:
    def __init__(self, figures: Figures, source: str) -> None:
        self.f, self.m = figures, figures.model
        self.year = self.m.year + 1
        self.catalog: Catalog = load_catalog(nearest_year(self.year)).with_extra(self.m.custom_names)
        self.source = source
        self.warnings: list[str] = []

    def gone(self, code: str) -> tuple[str, ...]:
        """A comment (and a warning) when next year's catalog lacks a code."""
        missing = [c for c in ((code[:3], code[:5], code) if len(code) == 7 else (code,)) if not self.catalog.name(c)]
        if len(code) == 5 and code not in {i.code for i in self.catalog.econ_items}:
            missing = [code]
        if not missing:
            return ()
        what = f"{self.catalog.year} 年科目目录中没有 {'、'.join(missing)}"
        self.warnings.append(f"科目 {code}：{what}。请改用新科目，或在“自定义科目”中写出名称。")
        return (f"注意：{what}，请改用新科目，或在“自定义科目”中写出名称。",)

    def item(self, code: str) -> E:
        it = self.m.items[code]
        body = [E("收入", _cleared(it.income)), E("支出", _cleared(it.spending))]
        flows = {"政府性基金预算": self.f.tables.get("07"), "国有资本经营预算": self.f.tables.get("08收支")}
        for fund in FUNDS:
            cols = dict(it.funds.get(fund, {}))
            flow = flows.get(fund)
            row = flow.row(code) if flow is not None else None
            opening = row.get("年末结转和结余") if row is not None else Decimal(0)
            if not cols and not opening:
                continue
            entries = _cleared(cols, tuple(c for c in FUND_SPENDING[fund] if c in cols and c != "年初结转和结余"))
            if opening or "年初结转和结余" in cols:
                entries.insert(0, E("年初结转和结余", amt(opening), "= 上年年末结转和结余（已推算填入）"))
            body.append(E(f"{fund}财政拨款支出", entries))
        body.append(E("年初预算", None, was(it.budget)))
        body.append(E("差异原因", text_value(mark(it.reason))))
        return E(f'"{code}"', body, class_path(self.catalog, code), self.gone(code))

    def entries(self) -> list[E]:
        m, f = self.m, self.f
        econ_names = {i.code: i.name for i in self.catalog.econ_items}
        opening, fund_opening = opening_balances(f)
        sangong = [E(k, text_value(mark(v))) for k, v in m.sangong_reasons.items()]
        out = [
            E("格式版本", "1"),
            E("单位", [
                E("名称", q(m.name)), E("年度", str(self.year), f"由 {m.year} 年度转入"), E("金额单位", m.unit),
                E("下属单位数", amt(m.subordinates), noted("单位.下属单位数") + "，请核对"),
                E("咨询电话", quoted(m.phone) if m.phone else None),
                *([E("模板", q(m.profile))] if m.profile else []),
            ], above=("",)),
            E("概况", [E("主要职能", text_value(mark(m.functions)))], above=("",)),
        ]  # fmt: skip
        if m.custom_names:
            out.append(E("自定义科目", [E(f'"{c}"', q(n)) for c, n in m.custom_names.items()], above=("",)))
        out += [
            E("科目", [self.item(c) for c in m.items], above=("", *NOTES["科目"])),
            E("结转结余", [
                E("使用非财政拨款结余", None, was(m.balances.get("使用非财政拨款结余"))),
                E("年初结转和结余", amt(opening), "= 上年年末结转和结余（已推算填入），请核对"),
                E("结余分配", None, was(m.balances.get("结余分配"))),
                E("年末结转和结余", None, was(m.balances.get("年末结转和结余"))),
                E("年初财政拨款结转和结余", [E(x, amt(v)) for x, v in fund_opening.items()],
                  "= 上年年末财政拨款结转和结余（已推算填入）"),
                E("年末财政拨款结转和结余", _cleared(m.fund_close, FUNDS)),
            ], above=("", *NOTES["结转结余"])),
            E("经济分类", [E(f'"{c}"', None, f"{econ_names.get(c, '')}；{was(v)}", self.gone(c))
                           for c, v in m.econ.items()], above=("", *NOTES["经济分类"])),
            E("三公经费", [
                E("预算", _cleared(m.sangong_budget, SANGONG_ITEMS)),
                E("决算", _cleared(m.sangong_actual, SANGONG_ITEMS)),
                E("公务用车保有量", None, noted("三公经费.公务用车保有量", was(m.vehicles_held))),
                E("公务用车运行维护费用途", text_value(mark(m.vehicle_use))),
                *([E("差异原因", sangong, noted("三公经费.差异原因"))] if sangong else []),
            ], above=("", *NOTES["三公经费"])),
            prior_block(f, self.source),
            E("说明", [*(E(k, text_value(mark(m.reasons[k]))) for k in REASON_KEYS if k in m.reasons),
                       *([E("类用途", [E(f'"{c}"', text_value(mark(u))) for c, u in m.class_uses.items()],
                            noted("说明.类用途"))] if m.class_uses else [])],
              above=("", *NOTES["说明"])),
            E("机关运行经费", [*_cleared(m.running_cost, ("决算", "预算")),
                               E("说明", text_value(mark(m.running_cost_note)))], above=("",)),
            E("政府采购", _cleared(m.procurement), above=("",)),
            E("国有资产", [E("车辆", _cleared(m.vehicles, VEHICLE_TYPES)),
                           E("单价100万元以上设备", None, noted("国有资产.单价100万元以上设备", was(m.big_equipment)))],
              above=("",)),
            E("重点工作", [
                E("正文", text_value(mark(m.key_work_text))),
                E("表", [Flow([(k, q(mark(v) if k == "完成情况" else v, True)) for k, v in r.items()])
                         for r in m.key_work_rows], "完成情况已带上标记，请按本年填写"),
            ], above=("", *NOTES["重点工作"])),
            E("绩效", self.performance(), above=("", *NOTES["绩效"])),
        ]  # fmt: skip
        root = load_file(Path(m.source))[0]  # this year's keys, so that none is lost
        added = merge(out, root, drop=DROPPED)
        if added:
            added[0].above = ("", "以下各块按原样的结构带入：数字已清空（注释中是上年数），文字前加了“【待更新】”。")
        return out

    def performance(self) -> list[E]:
        perf = self.m.performance
        note = "实际值已带上标记；得分沿用上年，请按本年自评结果逐项修改"
        goals = [[E("名称", q(g.name)), E("分值", _score(g.weight) if g.weight is not None else None),
                  E("指标", _indicators(g.indicators), note)] for g in perf.goals]  # fmt: skip
        projects = []
        for p in perf.projects:
            texts = [E(k, text_value(mark(p.texts.get(k, "")))) for k in PROJECT_FREE_TEXTS]
            fixed = [E(k, q(p.texts[k])) for k in PROJECT_FIXED_TEXTS if p.texts.get(k)]
            projects.append([
                E("名称", q(mark(p.name))), E("科目", f'"{p.code}"' if p.code else None, noted("绩效.项目.科目")),
                E("预算数", None, noted("绩效.项目.预算数", was(p.budget))),
                E("执行数", None, noted("绩效.项目.执行数", was(p.actual))),
                *texts, *fixed, E("执行分值", _score(p.exec_weight)), E("指标", _indicators(p.indicators), note),
            ])  # fmt: skip
        whole = [
            E("预算数", None, noted("绩效.整体.预算数", was(perf.overall_budget))),
            E("执行分值", _score(perf.overall_exec_weight)),
            E("目标", goals),
            *(E(k, text_value(mark(perf.overall_texts.get(k, "")))) for k in ("偏差原因", "改进措施")),
        ]
        texts = [E(k, text_value(mark(v))) for k, v in perf.texts.items()]
        return [*texts, E("整体", whole), E("项目", projects)]


HEADER = (
    "{name} {year} 年度部门决算 —— yujuesuan 输入文件",
    "",
    "由 yujuesuan rollover 从 {source}（{prev} 年度）生成：",
    "  - “上年”块是 {prev} 年度的决算数，由程序从上年文件推算填入，不要改动；",
    "  - 本年的金额都已清空，请照 {year} 年度决算填写；注释中的“上年 …”只供参考；",
    "  - 年初结转和结余已按上年年末数填入，请与决算软件核对；",
    "  - 从上年带过来的文字以“{mark}”开头：请逐条按本年情况修改，并删去这个标记",
    "    （yujuesuan check 会逐条提醒，直到改完）。",
    "",
    "所有合计、小计、类和款的数、占比、增减和完成率都由程序推算，不要填写。",
    '空着的金额按 0 计。科目编码要加引号，例如 "2013350"。',
)


def rollover(figures: Figures, source: str) -> Rolled:
    """Next year's input file for the checked ``figures`` of ``source`` (a file name, for the comments)."""
    roller = Roller(figures, source)
    entries = roller.entries()
    header = tuple(
        h.format(name=figures.model.name, year=roller.year, prev=figures.model.year, source=source, mark=REVIEW_MARK)
        for h in HEADER
    )
    if roller.year not in available_years():
        roller.warnings.insert(
            0, f"科目目录没有 {roller.year} 年版，新文件的科目按 {roller.catalog.year} 年目录核对、命名。"
        )
    return Rolled(render(entries, header), roller.year, roller.catalog.year, roller.warnings)


__all__ = ["Rolled", "default_output", "prior_values", "rollover"]
