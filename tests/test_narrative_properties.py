# ruff: noqa: E501  (the data file is written line by line as YAML; its lines are kept whole)
"""Generated units: Hypothesis draws valid data files and the 说明 of every profile must read right (issue 12).

A draw is a whole data file of a year 2019–2024: a random set of 项 with income from 财政拨款, 事业收入 and 其他收入, optional
政府性基金 and 国有资本经营 items, 三公 figures with zeros, last year's figures equal, zero, a hair apart
(0.001 万元, or 40 元 in a file kept in 元), down or up, and free texts that end with or without punctuation.
Every text a layout needs is filled in, so no placeholder of the tool's own may appear (Sichuan's
【未填报…】 marks name its optional appendix blocks, which the draw leaves out).

The default run draws a few units; a long run: ``HYPOTHESIS_PROFILE=long pytest tests/test_narrative_properties.py``
(see CONTRIBUTING.md).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from narrative_checks import (
    PROFILES,
    build,
    paragraphs,
    percentage_problems,
    placeholder_problems,
    punctuation_problems,
    share_sum_problems,
)
from yujuesuan.compose.numbers import NumberFormat

# Examples per run: the "default" / "long" Hypothesis profiles of tests/conftest.py.

# 项 found in every catalog 2019–2024, with the 类 they fall under.
ITEMS = ("2010301", "2013350", "2080505", "2101101", "2210201", "2130104", "2060101")
TEXTS = ("人员增加", "业务量增加。", "压减支出；", "项目结转", "按规定调整，", "厉行节约.")
SANGONG = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
# How last year's figure stands to this year's.
RELATIONS = ("same", "zero", "hair", "down", "up", "missing")


@dataclass
class Unit:
    """A drawn unit: amounts in cents of the file's unit, rendered to YAML by ``yaml()``."""

    unit: str
    year: int
    items: dict[str, dict[str, int]]
    fund: int  # 政府性基金 income (= spending) on 2120801
    soe: int  # 国有资本经营 income (= spending) on 2230199
    sangong_budget: dict[str, int]
    sangong_actual: dict[str, int]
    running: tuple[int, int]
    procurement: int
    texts: list[str]
    relations: dict[str, str] = field(default_factory=dict)
    hair: int = 0

    def amt(self, cents: int) -> str:
        return f"{Decimal(cents) / 100:.2f}"

    def prior(self, key: str, current: int) -> str | None:
        """Last year's figure by its drawn relation; None when the file leaves it out."""
        rel = self.relations.get(key, "same")
        value = {
            "same": current, "zero": 0, "hair": current + self.hair, "down": current * 3 // 2 + 1,
            "up": current * 2 // 3, "missing": None,
        }[rel]  # fmt: skip
        if value is None:
            return None
        if rel == "hair" and self.unit == "万元":
            return f"{Decimal(current) / 100 + Decimal('0.001'):.3f}"  # 0.001 万元 more than this year
        return self.amt(value)

    def text(self, i: int) -> str:
        return self.texts[i % len(self.texts)]

    def yaml(self) -> str:
        lines = ["格式版本: 1", f"单位: {{名称: 生成单位, 年度: {self.year}, 金额单位: {self.unit}}}",
                 "概况: {主要职能: 负责本区的有关工作}", "自定义科目: {\"2230199\": 其他解决历史遗留问题及改革成本支出}",
                 "科目:"]  # fmt: skip
        basic_fiscal = 0
        fiscal_total = 0
        totals = {"基本支出": 0, "项目支出": 0, "事业收入": 0, "其他收入": 0}
        classes: dict[str, int] = {}
        for n, (code, it) in enumerate(self.items.items()):
            total = it["fiscal"] + it["shiye"] + it["qita"]
            basic = total * it["basic_pct"] // 100
            fb = min(it["fiscal"], basic)
            fp = it["fiscal"] - fb
            basic_fiscal += fb
            fiscal_total += it["fiscal"]
            totals["基本支出"] += basic
            totals["项目支出"] += total - basic
            totals["事业收入"] += it["shiye"]
            totals["其他收入"] += it["qita"]
            if it["fiscal"]:
                classes[code[:3]] = classes.get(code[:3], 0) + it["fiscal"]
            income = {k: v for k, v in (("一般公共预算财政拨款", it["fiscal"]), ("事业收入", it["shiye"]),
                                        ("其他收入", it["qita"])) if v}  # fmt: skip
            lines += [f'  "{code}":',
                      "    收入: {" + ", ".join(f"{k}: {self.amt(v)}" for k, v in income.items()) + "}",
                      f"    支出: {{基本支出: {self.amt(basic)}, 项目支出: {self.amt(total - basic)}}}"]  # fmt: skip
            if it["fiscal"]:
                lines += [f"    一般公共预算财政拨款支出: {{基本支出: {self.amt(fb)}, 项目支出: {self.amt(fp)}}}",
                          f"    年初预算: {self.amt(it['budget'])}", f"    差异原因: {self.text(n)}",
                          f"    用途: {self.text(n + 1)}"]  # fmt: skip
        if self.fund:
            lines += ['  "2120801":', f"    收入: {{政府性基金预算财政拨款: {self.amt(self.fund)}}}",
                      f"    支出: {{项目支出: {self.amt(self.fund)}}}",
                      f"    政府性基金预算财政拨款支出: {{项目支出: {self.amt(self.fund)}, 年初预算: {self.amt(self.fund)}}}",
                      "    用途: 征地补偿"]  # fmt: skip
            totals["项目支出"] += self.fund
        if self.soe:
            lines += ['  "2230199":', f"    收入: {{国有资本经营预算财政拨款: {self.amt(self.soe)}}}",
                      f"    支出: {{项目支出: {self.amt(self.soe)}}}",
                      f"    国有资本经营预算财政拨款支出: {{项目支出: {self.amt(self.soe)}, 年初预算: {self.amt(self.soe + 100)}, 差异原因: 项目结余}}",
                      "    用途: 改革成本补助"]  # fmt: skip
            totals["项目支出"] += self.soe
        lines.append("结转结余: {年初结转和结余: 0, 年末结转和结余: 0}")
        personnel = basic_fiscal * 7 // 10
        econ = {"30101": personnel, "30201": basic_fiscal - personnel}
        lines.append("经济分类: {" + ", ".join(f'"{k}": {self.amt(v)}' for k, v in econ.items() if v) + "}")
        lines += self._sangong()
        income_total = totals["基本支出"] + totals["项目支出"]
        all_fiscal = fiscal_total + self.fund + self.soe
        prior = {
            "收支总计": income_total, "收入合计": income_total, "支出合计": income_total,
            "财政拨款收支总计": all_fiscal, "一般公共预算财政拨款收入": fiscal_total,
            "一般公共预算财政拨款支出": fiscal_total, "基本支出": totals["基本支出"], "项目支出": totals["项目支出"],
            "事业收入": totals["事业收入"], "其他收入": totals["其他收入"],
            "政府性基金预算财政拨款收入": self.fund, "国有资本经营预算财政拨款收入": self.soe,
            "机关运行经费": self.running[0],
        }  # fmt: skip
        lines.append("上年:")
        for key, current in prior.items():
            if (value := self.prior(key, current)) is not None:
                lines.append(f"  {key}: {value}")
        sg = {k: self.prior(f"三公.{k}", v) or self.amt(0) for k, v in self.sangong_actual.items()}
        lines.append("  三公经费: {" + ", ".join(f"{k}: {v}" for k, v in sg.items()) + "}")
        cls = {c: self.prior(f"类.{c}", v) for c, v in classes.items()}
        lines.append("  一般公共预算类: {" + ", ".join(f'"{c}": {v}' for c, v in cls.items() if v is not None) + "}")
        lines.append("说明:")
        for i, key in enumerate(("收支总计变动原因", "收入变动原因", "支出变动原因", "财政拨款收支变动原因",
                                 "一般公共预算财政拨款收入变动原因", "一般公共预算财政拨款支出变动原因", "预决算差异原因")):  # fmt: skip
            lines.append(f"  {key}: {self.text(i)}")
        lines.append("  收入内容: {事业收入: 技术服务收入, 其他收入: 利息收入}")
        lines.append("  类用途: {" + ", ".join(f'"{c}": {self.text(2)}' for c in classes) + "}")
        actual, budget = self.running
        lines.append(f"机关运行经费: {{决算: {self.amt(actual)}, 预算: {self.amt(budget)}, 说明: {self.text(3)}}}")
        p = self.amt(self.procurement)
        lines.append(f"政府采购: {{货物: {p}, 工程: 0, 服务: 0, 授予中小企业合同金额: {p}, 其中授予小微企业合同金额: {p},"
                     f" 货物授予中小企业合同金额: {p}, 面向中小企业预留项目预算金额: {p}, 面向小微企业预留项目预算金额: {p},"
                     f" 预留项目中小企业中标金额: {p}, 预留项目小微企业中标金额: {p}, 其他项目中小企业中标金额: 0}}")  # fmt: skip
        lines += ["预算绩效管理: {制度: 预算绩效管理办法, 工作机制: 全过程绩效管理, 绩效目标项目数: 1, 跟踪评价项目数: 1,"
                  " 发现问题数: 0, 已整改问题数: 0, 正在整改问题数: 0, 绩效目标项目金额: 1.00, 跟踪评价项目金额: 1.00}",
                  f"绩效: {{管理工作开展情况: {self.text(4)}, 整体自评结论: {self.text(5)}, 结果应用情况: {self.text(0)}}}"]  # fmt: skip
        return "\n".join(lines) + "\n"

    def _sangong(self) -> list[str]:
        b = ", ".join(f"{k}: {self.amt(v)}" for k, v in self.sangong_budget.items())
        a = ", ".join(f"{k}: {self.amt(v)}" for k, v in self.sangong_actual.items())
        reasons = ", ".join(f"{k}: {self.text(i)}" for i, k in enumerate(("合计", *SANGONG)))
        changes = ", ".join(f"{k}: {self.text(i + 2)}" for i, k in
                            enumerate(("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")))  # fmt: skip
        held = 1 if self.sangong_actual["公务用车运行维护费"] else 0
        return [
            "三公经费:", f"  预算: {{{b}}}", f"  决算: {{{a}}}", f"  公务用车保有量: {held}",
            "  公务用车运行维护费用途: 车辆保险和维修", f"  差异原因: {{{reasons}}}", f"  变动原因: {{{changes}}}",
            "  明细: {因公出国团组数: 1, 因公出国人次: 2, 因公出国开支内容: 考察交流, 公务用车购置数量: 1,"
            " 公务用车购置用途: 更新执法车辆, 公务接待批次: 3, 公务接待人次: 12, 公务接待用途: 上级检查,"
            " 外宾接待费: 0, 外宾接待批次: 0, 外宾接待人次: 0}",
        ]  # fmt: skip


cents = st.one_of(st.just(0), st.integers(1, 99), st.integers(100, 5_000_000))
positive = st.integers(100, 5_000_000)


@st.composite
def units(draw: st.DrawFn) -> Unit:
    codes = draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=4, unique=True))
    items = {}
    for code in codes:
        fiscal, shiye, qita = draw(cents), draw(cents), draw(cents)
        if fiscal + shiye + qita == 0:
            fiscal = draw(positive)
        budget = draw(st.sampled_from((fiscal, 0, fiscal + 1, fiscal * 2, fiscal // 2)))
        items[code] = {"fiscal": fiscal, "shiye": shiye, "qita": qita, "basic_pct": draw(st.integers(0, 100)),
                       "budget": budget}  # fmt: skip
    small = st.one_of(st.just(0), st.integers(1, 200_000))
    sangong_budget = {k: draw(small) for k in SANGONG}
    sangong_actual = {k: draw(small) for k in SANGONG}
    keys = ["收支总计", "收入合计", "支出合计", "财政拨款收支总计", "一般公共预算财政拨款收入", "一般公共预算财政拨款支出",
            "基本支出", "项目支出", "事业收入", "其他收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入",
            "机关运行经费", *(f"三公.{k}" for k in SANGONG), *(f"类.{c[:3]}" for c in codes)]  # fmt: skip
    core = (*keys[:6], "机关运行经费")  # without these the national layout marks 【缺少上年…数】
    relations = {k: draw(st.sampled_from(RELATIONS[:5] if k in core else RELATIONS)) for k in keys}
    unit = draw(st.sampled_from(("万元", "元")))
    return Unit(
        unit=unit, year=draw(st.sampled_from((2019, 2020, 2021, 2022, 2023, 2024))), items=items, fund=draw(cents), soe=draw(cents), sangong_budget=sangong_budget,
        sangong_actual=sangong_actual, running=(draw(cents), draw(cents)), procurement=draw(cents),
        texts=draw(st.permutations(TEXTS)), relations=relations,
        hair=4000 if unit == "元" else 0,  # 40 元: under 0.005 万元
    )  # fmt: skip


@given(units())
def test_every_profile_reads_right_for_any_unit(unit: Unit) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "unit.yaml"
        path.write_text(unit.yaml(), encoding="utf-8")
        for name in PROFILES:
            checked, doc, profile = build(path, name)
            assert not checked.errors, [f.format() for f in checked.errors]
            fmt = NumberFormat.from_profile(checked.figures.unit, profile.config.get("numbers", {}))
            allowed = ("【未填报",) if name == "sichuan" else ()
            problems = [
                *placeholder_problems(doc, allowed),
                *punctuation_problems(doc),
                *percentage_problems(doc, checked.figures.facts, fmt),
                *share_sum_problems(doc),
            ]
            assert problems == [], f"{name}:\n" + "\n".join(problems) + "\n--- 说明 ---\n" + "\n".join(paragraphs(doc))
