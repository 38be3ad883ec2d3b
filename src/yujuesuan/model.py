"""The input model: typed facts of one unit for one year, as validate.py reads them.

Only facts that cannot be derived live here. Every value's place in the input
file is kept in ``Model.locs`` under its field path (支出.2101102.基本支出), so
that any later finding can point at a line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from yujuesuan.errors import Location

INCOME_SOURCES = (
    "一般公共预算财政拨款",
    "政府性基金预算财政拨款",
    "国有资本经营预算财政拨款",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
)
FISCAL_SOURCES = INCOME_SOURCES[:3]
SPENDING_TYPES = ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
FUNDS = ("一般公共预算", "政府性基金预算", "国有资本经营预算")
# Per 项, the 财政拨款 spending of each fund (公开05, 07, 08).
FUND_SPENDING = {
    "一般公共预算": ("基本支出", "项目支出"),
    "政府性基金预算": ("年初结转和结余", "基本支出", "项目支出"),
    "国有资本经营预算": ("基本支出", "项目支出"),
}
SANGONG_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
PRIOR_KEYS = (
    "收支总计",
    "收入合计",
    "支出合计",
    "财政拨款收支总计",
    "一般公共预算财政拨款收入",
    "一般公共预算财政拨款支出",
    "基本支出",
    "项目支出",
    "人员经费",
    "公用经费",
    "政府性基金预算财政拨款支出",
    "国有资本经营预算财政拨款支出",
    "机关运行经费",
)
REASON_KEYS = (
    "收支总计变动原因",
    "收入变动原因",
    "支出变动原因",
    "财政拨款收支变动原因",
    "一般公共预算财政拨款收入变动原因",
    "一般公共预算财政拨款支出变动原因",
    "预决算差异原因",
)
BALANCE_KEYS = ("使用非财政拨款结余", "年初结转和结余", "结余分配", "年末结转和结余")
VEHICLE_TYPES = (
    "副部（省）级及以上领导用车",
    "主要领导干部用车",
    "机要通信用车",
    "应急保障用车",
    "执法执勤用车",
    "特种专业技术用车",
    "离退休干部用车",
    "其他用车",
)
PROCUREMENT_KEYS = (
    "货物",
    "工程",
    "服务",
    "授予中小企业合同金额",
    "其中授予小微企业合同金额",
    "货物授予中小企业合同金额",
)


@dataclass
class ItemFacts:
    """One 项 (7-digit 功能分类 code) and everything typed about it."""

    code: str
    income: dict[str, Decimal] = field(default_factory=dict)
    spending: dict[str, Decimal] = field(default_factory=dict)
    funds: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # fund → column → amount
    budget: Decimal | None = None  # 年初预算 of its 一般公共预算财政拨款支出
    reason: str = ""  # why 决算 differs from 年初预算


@dataclass
class Indicator:
    level1: str
    level2: str
    level3: str
    target: str
    actual: str
    score: Decimal


@dataclass
class Goal:
    name: str
    weight: Decimal | None
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class Project:
    name: str
    code: str
    budget: Decimal
    actual: Decimal
    exec_weight: Decimal
    indicators: list[Indicator]
    texts: dict[str, str]  # 主要成效, 产出和效益, 发现的问题, 改进措施, 项目类别, …
    path: str


@dataclass
class Performance:
    texts: dict[str, str] = field(default_factory=dict)
    overall_budget: Decimal | None = None
    overall_exec_weight: Decimal = Decimal(20)
    goals: list[Goal] = field(default_factory=list)
    overall_texts: dict[str, str] = field(default_factory=dict)
    projects: list[Project] = field(default_factory=list)


@dataclass
class Model:
    source: str
    name: str
    year: int
    unit: str  # 元 or 万元
    subordinates: int = 0
    phone: str = ""
    functions: str = ""
    items: dict[str, ItemFacts] = field(default_factory=dict)
    custom_names: dict[str, str] = field(default_factory=dict)
    balances: dict[str, Decimal] = field(default_factory=dict)
    fund_open: dict[str, Decimal] = field(default_factory=dict)  # 年初财政拨款结转和结余 by fund
    fund_close: dict[str, Decimal] = field(default_factory=dict)  # 年末财政拨款结转和结余 by fund
    econ: dict[str, Decimal] = field(default_factory=dict)
    sangong_budget: dict[str, Decimal] = field(default_factory=dict)
    sangong_actual: dict[str, Decimal] = field(default_factory=dict)
    sangong_prior: dict[str, Decimal] = field(default_factory=dict)
    sangong_reasons: dict[str, str] = field(default_factory=dict)
    vehicles_held: int = 0
    vehicle_use: str = ""
    prior: dict[str, Decimal] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    class_uses: dict[str, str] = field(default_factory=dict)
    running_cost: dict[str, Decimal] = field(default_factory=dict)  # 决算, 预算
    running_cost_note: str = ""
    procurement: dict[str, Decimal] = field(default_factory=dict)
    vehicles: dict[str, int] = field(default_factory=dict)
    big_equipment: int = 0
    key_work_text: str = ""
    key_work_rows: list[dict[str, str]] = field(default_factory=list)
    performance: Performance = field(default_factory=Performance)
    declared: dict[tuple[str, str, str], Decimal] = field(default_factory=dict)
    locs: dict[str, Location] = field(default_factory=dict)

    def loc(self, path: str) -> Location:
        """The location of a field path, or of its nearest ancestor that has one."""
        probe = path
        while probe:
            if probe in self.locs:
                return self.locs[probe]
            probe = probe.rpartition(".")[0]
        return Location(self.source, 1, 1)
