"""Rollover from a 部门预算: the year's 决算 data file from its budget (`yujuesuan rollover 预算.yaml`).

The budget knows what the 决算 restates as 年初预算: each 项's 一般公共预算
amount, its 政府性基金 / 国有资本经营预算 amounts, the “三公” budget per item and
the 机关运行经费 budget. Those are written as values. Every 决算 amount is left
empty, with the budget figure in its comment, and only the keys the budget uses
are written (its 基本/项目 split, its sources, its 经济分类 codes). Texts the
budget states (主要职能, 类用途, 公务用车运行维护费用途) are carried behind
REVIEW_MARK, and each 绩效 indicator's 实际值 is 【未填报实际值】: until they are
edited the file is a draft (placeholders.py), as for the 决算 → 决算 rollover.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from yujuesuan.catalog import Catalog, available_years, load_catalog, nearest_year
from yujuesuan.derive import Figures
from yujuesuan.kinds.juesuan.model import FUNDS, PRIOR_KEYS, PROCUREMENT_KEYS, REASON_KEYS, SANGONG_ITEMS, VEHICLE_TYPES
from yujuesuan.kinds.juesuan.sanity import REVIEW_MARK
from yujuesuan.workflows.new import NOTES, E, Flow, amt, class_path, q, render, text_value
from yujuesuan.workflows.rollover import Rolled, mark, opening_balances, prior_block
from yujuesuan.workflows.yamlquote import quoted

ZERO = Decimal(0)
TO_FILL = "【未填报实际值】"  # placeholders.MARK: an indicator's 实际值 the 自评 must state
BASIC = ("人员经费", "公用经费")
# 预算 income source → 决算 income source (公开02表); 财政专户管理资金 and the 上年结转 rows have none.
INCOME = {
    "一般公共预算": "一般公共预算财政拨款",
    "政府性基金预算": "政府性基金预算财政拨款",
    "国有资本经营预算": "国有资本经营预算财政拨款",
    "上级补助收入": "上级补助收入",
    "事业收入": "事业收入",
    "事业单位经营收入": "经营收入",
    "附属单位上缴收入": "附属单位上缴收入",
    "其他收入": "其他收入",
}
# 预算 spending type → 决算 spending type (公开03表); 人员经费 + 公用经费 are 基本支出.
SPENDING = {
    "人员经费": "基本支出",
    "公用经费": "基本支出",
    "项目支出": "项目支出",
    "事业单位经营支出": "经营支出",
    "上缴上级支出": "上缴上级支出",
    "对附属单位补助支出": "对附属单位补助支出",
}
FUND_TYPES = ("人员经费", "公用经费", "项目支出")  # what a fund's 财政拨款 pays (预算05、09、10表)


def budget_note(value: Decimal | None) -> str:
    return "" if value is None else f"年初预算 {amt(value)}"


def sum_of(values: Any) -> Decimal:
    return sum(values, ZERO)


def default_output(path: Path) -> Path:
    """jianghan-2024-yusuan.yaml → jianghan-2024-juesuan.yaml (预算 → 决算 in the name, else “-决算” added)."""
    stem = path.stem
    for old, new in (("yusuan", "juesuan"), ("预算", "决算")):
        if old in stem:
            return path.with_name(stem.replace(old, new) + path.suffix)
    return path.with_name(f"{stem}-决算{path.suffix or '.yaml'}")


class FromBudget:
    """The 决算 input file's entries for a checked budget: ``figures`` of the yusuan kind (its model and tables).

    Every budget figure written comes from the budget's derived tables (预算03, 05,
    08, 09, 10表), the same ones `check --budget` compares with (budget_link.py).
    """

    def __init__(self, figures: Figures, prior: Figures | None = None, prior_source: str = "") -> None:
        self.f, self.prior, self.prior_source = figures, prior, prior_source  # prior: last year's 决算
        self.b: Any = figures.model
        self.catalog: Catalog = load_catalog(nearest_year(self.b.year)).with_extra(self.b.custom_names)

    def row(self, tid: str, code: str, col: str) -> Decimal:
        row = self.f.tables[tid].row(code)
        return row.get(col) if row is not None else ZERO

    def item(self, code: str) -> E:
        it = self.b.items[code]
        income = [E(INCOME[s], None, budget_note(it.total((s,)))) for s in INCOME if s in it.money]
        kinds = dict.fromkeys(SPENDING[k] for m in it.money.values() for k in m if k in SPENDING)
        body = [
            E("收入", income or None),
            E("支出", [E(k, None, budget_note(self.row("03", code, k))) for k in kinds] or None),
        ]
        for fund, tid in zip(FUNDS, ("05", "09", "10")):
            # the year's 财政拨款 and what is carried over from last year are both spent as 财政拨款支出
            spent = [k for source in (fund, f"{fund}上年结转") for k in it.money.get(source, {}) if k in FUND_TYPES]
            split = dict.fromkeys(sorted({SPENDING[k] for k in spent}, key=("基本支出", "项目支出").index))
            if not split:
                continue
            cols = [E(k, None, budget_note(self.row(tid, code, k) or None)) for k in split]
            if fund != FUNDS[0]:
                cols.append(E("年初预算", amt(self.row(tid, code, "合计")), "由部门预算填入"))
            body.append(E(f"{fund}财政拨款支出", cols))
        if FUNDS[0] in it.money:
            note = "由部门预算填入：该项一般公共预算财政拨款支出的年初预算数"
            body.append(E("年初预算", amt(self.row("05", code, "合计")), note))
        body.append(E("差异原因"))
        return E(f'"{code}"', body, class_path(self.catalog, code))

    def entries(self) -> list[E]:
        b = self.b
        econ_names = {i.code: i.name for i in self.catalog.econ_items}
        classes = sorted({c[:3] for c in b.items})
        subordinates = max(len(b.units) - 1, 0) if b.units else None
        procurement = sum_of(p.amounts.get("金额", ZERO) for p in b.purchases)
        out = [
            E("格式版本", "1"),
            E("单位", [
                E("名称", q(b.unit_name)), E("年度", str(b.year), "与部门预算同一年度"), E("金额单位", b.unit),
                E("下属单位数", amt(subordinates), "按部门预算的预算单位推算（不含本级），请核对"),
                E("咨询电话", quoted(b.phone) if b.phone else None),
            ], above=("",)),
            E("概况", [E("主要职能", text_value(mark(b.functions)))], above=("",)),
        ]  # fmt: skip
        if b.custom_names:
            out.append(E("自定义科目", [E(f'"{c}"', q(n)) for c, n in b.custom_names.items()], above=("",)))
        out += [
            E("科目", [self.item(c) for c in b.items], above=("", *NOTES["科目"])),
            E("结转结余", self.balances(), above=("", *NOTES["结转结余"])),
            E("经济分类", [E(f'"{c}"', None, f"{econ_names.get(c, '')}；{budget_note(v)}")
                           for c, v in b.econ.items()], above=("", *NOTES["经济分类"])),
            E("三公经费", [
                E("预算", [E(i, amt(self.f.tables["08"].get("合计", i))) for i in SANGONG_ITEMS], "由部门预算填入"),
                E("决算", [E(i) for i in SANGONG_ITEMS]),
                E("公务用车保有量", None, "截至年末开支财政拨款的公务用车（辆）"),
                E("公务用车运行维护费用途", text_value(mark(b.vehicle_use))),
            ], above=("", *NOTES["三公经费"])),
            self.last_year(),
            E("说明", [*(E(k) for k in REASON_KEYS),
                       *([E("类用途", [E(f'"{c}"', text_value(mark(b.class_uses.get(c, "")))) for c in classes],
                            "五（二）：每类“主要是用于……”")] if classes else [])],
              above=("", *NOTES["说明"])),
            E("机关运行经费", [E("决算"), E("预算", amt(b.running), "由部门预算填入" if b.running is not None else ""),
                               E("说明")], above=("",)),
            E("政府采购", [E(k, None, f"部门预算中的政府采购合计 {amt(procurement)}" if k == "货物" else "")
                           for k in PROCUREMENT_KEYS], above=("",)),
            E("国有资产", [E("车辆", [E(k) for k in VEHICLE_TYPES]),
                           E("单价100万元以上设备", None, "台（套）")], above=("",)),
            E("重点工作", [E("正文"), E("表")], above=("", *NOTES["重点工作"])),
            E("绩效", self.performance(), above=("", *NOTES["绩效"])),
        ]  # fmt: skip
        return out

    def balances(self) -> list[E]:
        """结转结余: the opening ones from last year's 决算 when given (as a 决算 rollover writes them), else empty."""
        said = "= 上年年末结转和结余（已从上年决算推算填入），请核对"
        if self.prior is not None:
            opening, funds = opening_balances(self.prior)
            first = E("年初结转和结余", amt(opening), said)
            fund_open = E("年初财政拨款结转和结余", [E(x, amt(v)) for x, v in funds.items()], said)
        else:
            first = E("年初结转和结余")
            fund_open = E("年初财政拨款结转和结余", [E(f, None, self.carried(f)) for f in FUNDS])
        return [E("使用非财政拨款结余"), first, E("结余分配"), E("年末结转和结余"), fund_open,
                E("年末财政拨款结转和结余", [E(f) for f in FUNDS])]  # fmt: skip

    def last_year(self) -> E:
        """上年: last year's 决算 figures, derived from its file when given, else empty keys to fill."""
        if self.prior is not None:
            return prior_block(self.prior, self.prior_source)
        year = self.b.year - 1
        said = (f"上年（{year} 年度）决算数：部门预算中没有，请照上年公开的部门决算填写；有 {year} 年度的",
                "决算数据文件时，可用 yujuesuan rollover 本预算文件 --prior 上年决算文件 由它推算填入。")
        return E("上年", [E(k) for k in PRIOR_KEYS[:6]], above=("", *said))

    def carried(self, fund: str) -> str:
        """The budget's 上年结转 of a fund, as a hint for the 决算's opening balance."""
        value = sum_of(sum_of(it.money.get(f"{fund}上年结转", {}).values()) for it in self.b.items.values())
        return f"部门预算中的上年结转 {amt(value)}" if value else ""

    def performance(self) -> list[E]:
        b = self.b
        note = f"目标值照部门预算的绩效目标填入；实际值、得分请按本年自评结果填写（删去“{TO_FILL}”）"
        goals = []
        for goal in (b.overall.year_goals if b.overall else []):
            goals.append([E("名称", q(goal.text)), E("分值"), E("指标", _indicators(goal.indicators), note)])
        projects = []
        for p in b.projects:
            form = p.form
            fixed = [E("主管部门", q(form.department)) if form and form.department else None,
                     E("实施单位", q(form.executor)) if form and form.executor else None]  # fmt: skip
            indicators = [i for g in (form.year_goals if form else []) for i in g.indicators]
            projects.append([
                E("名称", q(p.name)), E("科目", f'"{p.item}"' if p.item else None, "该项目支出所在的项级科目"),
                E("预算数", None, f"全年预算数（A）；{budget_note(p.amount)}"), E("执行数", None, "执行数（B）"),
                *(E(k) for k in ("主要成效", "产出和效益", "发现的问题", "改进措施")),
                *(e for e in fixed if e is not None),
                E("执行分值", "20"), E("指标", _indicators(indicators), note),
            ])  # fmt: skip
        total = self.f.tables["01"].get("收入总计", "预算数")
        whole = [
            E("预算数", None, f"预算数（A）：调整后的预算；部门预算的收支总计 {amt(total)}"),
            E("执行分值", "20"),
            E("目标", goals or None),
            E("偏差原因"),
            E("改进措施"),
        ]
        return [*(E(k) for k in ("管理工作开展情况", "整体自评结论", "结果应用情况")), E("整体", whole),
                E("项目", projects or None)]  # fmt: skip


def _indicators(items: list[Any]) -> list[Flow]:
    """The budget's indicators as 自评 rows: 目标值 = 当年 (or 指标值), 实际值 to be filled; unnamed rows left out."""
    return [
        Flow([("一级", q(i.level1, True)), ("二级", q(i.level2, True)), ("三级", q(i.level3, True)),
              ("目标值", q(i.now or i.value, True)), ("实际值", q(TO_FILL, True)), ("得分", "0")])
        for i in items if i.level3
    ]  # fmt: skip


HEADER = (
    "{name} {year} 年度部门决算 —— yujuesuan 输入文件",
    "",
    "由 yujuesuan rollover 从部门预算 {source}（{year} 年度）生成：",
    "  - 年初预算（各科目、“三公”经费预算、机关运行经费预算）已照部门预算填入，",
    "    yujuesuan check 本文件 --budget {source} 会逐项核对；",
    "  - 决算金额都空着，注释中是年初预算数，只供参考：请照 {year} 年度决算填写；",
    "    科目下只列出了部门预算中有的收入来源和支出类型，决算中另有的照样添加；",
    "  - 从部门预算带过来的文字以“{mark}”开头，绩效指标的实际值是“{fill}”：",
    "    请逐条按决算情况填写、修改，并删去这些标记（yujuesuan check 会逐条提醒，改完之前只能生成草稿）；",
    "  - “上年”块是上年的决算数：{prior}",
    "",
    "所有合计、小计、类和款的数、占比、增减和完成率都由程序推算，不要填写。",
    '空着的金额按 0 计。科目编码要加引号，例如 "2013350"。',
)


def juesuan_from_budget(
    figures: Figures, source: str, prior: Figures | None = None, prior_source: str = ""
) -> Rolled:
    """The 决算 input file of the budget's year, for a budget's checked ``figures`` (read from ``source``).

    With last year's checked 决算 (``prior``, read from ``prior_source``), its derived figures fill the
    上年 block and the opening balances, as a 决算 → 决算 rollover does.
    """
    roller = FromBudget(figures, prior, prior_source)
    budget = roller.b
    said = (f"由程序从 {prior_source} 推算填入，不要改动；年初结转和结余按它的年末数填入，请核对。" if prior is not None
            else "部门预算中没有，请照上年决算填写。")  # fmt: skip
    header = tuple(
        h.format(name=budget.unit_name, year=budget.year, source=source, mark=REVIEW_MARK, fill=TO_FILL, prior=said)
        for h in HEADER
    )
    warnings = []
    if budget.year not in available_years():
        warnings.append(f"科目目录没有 {budget.year} 年版，新文件的科目按 {roller.catalog.year} 年目录命名。")
    return Rolled(render(roller.entries(), header), budget.year, roller.catalog.year, warnings)


__all__ = ["FromBudget", "default_output", "juesuan_from_budget"]
