"""Next year's 部门预算 (`yujuesuan rollover 预算.yaml --juesuan 决算.yaml`): 预算 N and 决算 N → 预算 N+1.

The budget file of year N is rolled by its shape: its functions, structure,
项, projects, goals and texts are carried over (free texts behind REVIEW_MARK,
names, codes and categories as they are); every amount and count is cleared,
with this year's figure in a comment. Then what year N tells year N+1 is
written as values: 上年预算 (the comparison base of every “比上年预算” sentence)
from the budget's derived figures, 三公经费 and 机关运行经费 上年预算, 前年预算
from this year's 上年预算, each indicator's 前年/上年 shifted from 上年/当年.
The 决算 of year N adds comments where its facts help: each project's 执行数
and 自评得分, the vehicles held at the end of the year.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, cast

from yujuesuan.catalog import available_years, load_catalog, nearest_year
from yujuesuan.derive import Figures
from yujuesuan.derive.tolerance import fmt
from yujuesuan.input.load import Mapping, Node, Scalar, Sequence
from yujuesuan.kinds.juesuan.sanity import REVIEW_MARK
from yujuesuan.kinds.yusuan.model import BudgetModel
from yujuesuan.workflows.new import E, Flow, amt, class_path, q, render, text_value
from yujuesuan.workflows.rollover import NUMBER, Rolled, mark

ZERO = Decimal(0)
CENT = Decimal("0.01")
# Texts carried as they are: names, codes, categories, contacts (a free text is marked instead).
KEEP_TEXTS = frozenset({
    "名称", "全称", "编码", "金额单位", "咨询电话", "模板", "科目", "一级", "二级", "三级", "依据", "类别", "分组",
    "主管部门", "执行单位", "负责人", "联系电话", "项目代码", "项目类别", "安排频度", "资金来源", "资金性质", "品目",
    "经济分类", "计量单位", "一级目录", "二级目录", "三级目录", "是否包含政府采购", "填报人", "项目", "品名", "指标值",
})  # fmt: skip
KEEP_NUMBERS = frozenset({"格式版本", "权重", "分值"})  # weights are the form's structure, not amounts
SHIFT = (("前年", "上年"), ("上年", "当年"))  # an indicator's 前年 ← 上年, 上年 ← 当年 (当年 carried, marked)
INDICATOR_ORDER = ("一级", "二级", "三级", "指标值", "前年", "上年", "当年", "分值", "依据")


def default_output(path: Path, year: int) -> Path:
    """jianghan-2024-yusuan.yaml → jianghan-2025-yusuan.yaml (the year in the name plus one)."""
    from yujuesuan.workflows.rollover import default_output as by_year

    return by_year(path, year)


def _key(key: str) -> str:
    return f'"{key}"' if key.isdigit() else q(key)


class NextBudget:
    """预算 N+1's entries from 预算 N (its node tree and derived ``figures``) and 决算 N's derived figures."""

    def __init__(self, figures: Figures, root: Node, juesuan: Figures) -> None:
        self.f, self.root, self.j = figures, root, juesuan
        # a 预算's figures carry its BudgetModel (derive.Figures is typed by the 决算's model)
        self.b = cast(BudgetModel, figures.model)
        self.year = self.b.year + 1
        self.notes = self._notes()
        self.overrides = self._overrides()

    # ---- by shape ----

    def roll(self, key: str, node: Node, path: str) -> E:
        if path in self.overrides:
            return self.overrides[path]
        if isinstance(node, Mapping):
            entries = [self.roll(k, v, f"{path}.{k}") for k, v in node.items.items()]
            # a figure year N fills in (三公经费.上年预算 …) is written even where year N's file had no key
            entries += [e for p, e in self.overrides.items() if p.rpartition(".")[0] == path
                        and p.rpartition(".")[2] not in node.items]  # fmt: skip
            return E(_key(key), entries or None, self.notes.get(path, ""))
        if isinstance(node, Sequence):
            items: list[Any] = []
            for i, child in enumerate(node.items, 1):
                cpath = f"{path}[{i}]"
                if isinstance(child, Mapping) and key == "指标":
                    items.append(self.indicator(child))
                elif isinstance(child, Mapping):
                    items.append([self.roll(k, v, f"{cpath}.{k}") for k, v in child.items.items()])
                elif isinstance(child, Scalar) and not child.is_null:
                    items.append(q(mark(child.text.strip())))
            return E(_key(key), items or None, self.notes.get(path, ""))
        assert isinstance(node, Scalar)
        text, note = node.text.strip(), self.notes.get(path, "")
        if node.is_null or not text:
            return E(_key(key), None, note)
        if NUMBER.match(text) and not node.quoted:
            if key in KEEP_NUMBERS:
                return E(_key(key), text, note)
            return E(_key(key), None, "；".join(x for x in (note, f"上年 {text}") if x))
        if text.isdigit():
            return E(_key(key), f'"{text}"', note)
        return E(_key(key), text_value(text if key in KEEP_TEXTS else mark(text)), note)

    def indicator(self, node: Mapping) -> Flow:
        """One indicator on one line: 前年/上年 shifted from 上年/当年, 当年 carried behind the mark."""
        texts = {k: v.text.strip() for k, v in node.items.items() if isinstance(v, Scalar) and not v.is_null}
        if "当年" in texts or "上年" in texts:
            for new, old in SHIFT:
                if old in texts:
                    texts[new] = texts[old]
                else:
                    texts.pop(new, None)
            if "当年" in texts:
                texts["当年"] = mark(texts["当年"])
        order = [k for k in INDICATOR_ORDER if k in texts] + [k for k in texts if k not in INDICATOR_ORDER]
        return Flow([(k, q(texts[k], True)) for k in order])

    # ---- what year N tells year N+1 ----

    def _overrides(self) -> dict[str, E]:
        b, t, n = self.b, self.f.tables, self.b.year
        from yujuesuan.kinds.yusuan.derive import _all_money  # the budget's sums by source and by type

        income, spending = _all_money(b)
        prior = [
            E("收入", [E(s, amt(v)) for s, v in income.items() if v] or "{}", "按资金来源"),
            E("支出", [E(k, amt(v)) for k, v in spending.items() if v] or "{}", "按支出类型"),
            E("政府采购", amt(t["12"].get("合计", "金额"))),
        ]
        made = f"由 yujuesuan rollover 从 {n} 年度部门预算推算填入"
        out = {
            "单位.年度": E("年度", str(self.year), f"由 {n} 年度转入"),
            "人员.统计时间": E("统计时间", q(f"{n} 年 12 月"), "请核对；人数已清空，请照统计时点填写"),
            "国有资产.截至日期": E("截至日期", q(f"{n} 年 12 月 31 日"), "请核对"),
            "三公经费.上年预算": E("上年预算", [E(i, amt(t["08"].get("合计", i))) for i in b.sangong] or None, made),
            "机关运行经费.上年预算": E("上年预算", amt(b.running), made),
            "上年预算": E("上年预算", prior, above=("", f"上年（{n} 年）预算数：{made}，不要改动。")),
        }
        if b.prior is not None:
            before = [E("收入", [E(s, amt(v)) for s, v in b.prior.income.items()] or "{}"),
                      E("支出", [E(k, amt(v)) for k, v in b.prior.spending.items()] or "{}")]  # fmt: skip
            said = f"前年（{n - 1} 年）预算数：{n} 年度部门预算的“上年预算”。"
            out["前年预算"] = E("前年预算", before, above=("", said))
        return out

    def _notes(self) -> dict[str, str]:
        """Comments with 决算 N's derived facts, by field path of the 预算 file."""
        notes: dict[str, str] = {}
        n, jm = self.b.year, self.j.model
        catalog = load_catalog(nearest_year(self.b.year + 1)).with_extra(self.b.custom_names)
        for code in self.b.items:
            notes[f"科目.{code}"] = class_path(catalog, code)
        econ = {i.code: i.name for i in catalog.econ_items}
        for code in self.b.econ:
            notes[f"经济分类.{code}"] = econ.get(code, "")
        done = {p["名称"]: p for p in self.j.facts["绩效"]["项目"]}
        for i, p in enumerate(self.b.projects, 1):
            history = f"{n} 年年初预算 {amt(p.amount)}"
            if (fact := done.get(p.name)) is not None:
                rate = fact["执行率"]
                shown = "" if rate is None else f"，执行率 {rate.quantize(CENT, ROUND_HALF_UP)}%"
                history += f"；{n} 年决算执行数 {amt(fact['执行'])}{shown}"
                result = f"{n} 年决算自评总分 {fmt(fact['总分'])}"
                notes[f"项目[{i}].申报表.上年绩效评价结果"] = result
            notes[f"项目[{i}].申报表.预算变动情况"] = history
        held = [f"{k} {v} 辆" for k, v in jm.vehicles.items() if v]
        if held or jm.vehicles_held:
            notes["国有资产.车辆"] = f"{n} 年决算：{'、'.join(held) or '无'}；公务用车保有量 {jm.vehicles_held} 辆"
        return notes

    def entries(self) -> list[E]:
        assert isinstance(self.root, Mapping)
        out = [self.roll(k, v, k) for k, v in self.root.items.items()]
        have = {e.key for e in out}
        out += [e for path, e in self.overrides.items() if "." not in path and path not in have]
        for e in out:
            if not e.above:
                e.above = ("",)
        return out


HEADER = (
    "{name} {year} 年部门预算 —— yujuesuan 输入文件（部门预算）",
    "",
    "由 yujuesuan rollover 从 {source}（{prev} 年部门预算）和 {jsource}（{prev} 年度部门决算）生成：",
    "  - “上年预算”块、“三公经费.上年预算”、“机关运行经费.上年预算”是 {prev} 年的预算数，由程序推算填入，不要改动；",
    "    “前年预算”是 {prev} 年预算中的上年预算；绩效指标的前年、上年两栏已按上年的上年、当年两栏移过来；",
    "  - 本年的金额和人数都已清空，请照 {year} 年预算填写；注释中的“上年 …”是 {prev} 年预算数，只供参考；",
    "  - 科目、项目、目标和指标的结构照上年带过来；不再安排的项目请整段删去；",
    "  - 从上年带过来的文字（含当年指标值）以“{mark}”开头：请逐条按本年情况修改，并删去这个标记",
    "    （改完之前只能生成草稿）。",
    "",
    "所有合计、小计、类和款的数、占比、与上年预算的增减都由程序推算，不要填写。",
)


def next_budget(figures: Figures, root: Node, juesuan: Figures, source: str, jsource: str) -> Rolled:
    """预算 N+1's input file from 预算 N (``figures``, its node tree ``root``) and 决算 N's ``juesuan`` figures."""
    roller = NextBudget(figures, root, juesuan)
    b = roller.b
    header = tuple(
        h.format(name=b.unit_name, year=roller.year, prev=b.year, source=source, jsource=jsource, mark=REVIEW_MARK)
        for h in HEADER
    )
    warnings = []
    years = available_years()
    if roller.year not in years:
        warnings.append(
            f"科目目录没有 {roller.year} 年版（现有 {years[0]}–{years[-1]}）：新文件在补上目录之前无法检查科目。"
        )
    return Rolled(render(roller.entries(), header), roller.year, min(roller.year, years[-1]), warnings)


__all__ = ["NextBudget", "default_output", "next_budget"]
