"""The input model: typed facts of one unit for one year, as validate.py reads them.

Only facts that cannot be derived live here. Every value's place in the input
file is kept in ``Model.locs`` under its field path (支出.2101102.基本支出), so
that any later finding can point at a line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, TypedDict, get_args

from yujuesuan.errors import Location

if TYPE_CHECKING:
    from yujuesuan.kinds.juesuan.validate_extra import Extra  # which imports this module

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
    "国有资本经营预算": ("年初结转和结余", "基本支出", "项目支出"),
}
# Per 项 of 政府性基金 / 国有资本经营, beside the amounts: what 说明八、九 of the 2024
# national layout state (年初预算 and the reason a 决算 differs from it).
FUND_NOTES = ("年初预算", "差异原因")
SANGONG_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
# The three 三公 headings the 2024 national 说明七 compares with last year, each with its reason.
SANGONG_GROUPS = ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")
# 三公经费.明细: what 说明七（二） of the 2024 national layout states per item.
# Each key list that a typed block (a TypedDict below) is read by is a Literal, so that mypy checks
# ``block[key]`` in the loops that read and write it; the tuple is the Literal's arguments, in order.
SangongCountKey = Literal[
    "因公出国团组数", "因公出国人次", "公务用车购置数量",
    "公务接待批次", "公务接待人次", "外宾接待批次", "外宾接待人次",
]  # fmt: skip
SANGONG_COUNTS: tuple[SangongCountKey, ...] = get_args(SangongCountKey)
SangongTextKey = Literal["因公出国开支内容", "公务用车购置用途", "公务接待用途"]
SANGONG_TEXTS: tuple[SangongTextKey, ...] = get_args(SangongTextKey)
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
# Optional 上年 figures: each lets the 说明 compare one more figure with last year
# (收入来源, 支出类型, 结转结余). Without one that sentence is left out and `check` says so.
PRIOR_OPTIONAL_KEYS = (
    "政府性基金预算财政拨款收入",
    "国有资本经营预算财政拨款收入",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
    "上缴上级支出",
    "经营支出",
    "对附属单位补助支出",
    "年初结转和结余",
    "年末结转和结余",
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
# 政府采购 figures of the 2024 national layout (说明十一（二）: 预留 and 中标 amounts).
ReservedProcurementKey = Literal[
    "面向中小企业预留项目预算金额",
    "面向小微企业预留项目预算金额",
    "预留项目中小企业中标金额",
    "预留项目小微企业中标金额",
    "其他项目中小企业中标金额",
]
RESERVED_PROCUREMENT_KEYS: tuple[ReservedProcurementKey, ...] = get_args(ReservedProcurementKey)
# 预算绩效管理 (说明十 of the 2024 national layout): texts, then counts and amounts.
PerfManagementTextKey = Literal["制度", "工作机制"]
PERF_MANAGEMENT_TEXTS: tuple[PerfManagementTextKey, ...] = get_args(PerfManagementTextKey)
PerfManagementCountKey = Literal["绩效目标项目数", "跟踪评价项目数", "发现问题数", "已整改问题数", "正在整改问题数"]
PERF_MANAGEMENT_COUNTS: tuple[PerfManagementCountKey, ...] = get_args(PerfManagementCountKey)
PerfManagementAmountKey = Literal["绩效目标项目金额", "跟踪评价项目金额"]
PERF_MANAGEMENT_AMOUNTS: tuple[PerfManagementAmountKey, ...] = get_args(PerfManagementAmountKey)
PerfManagementKey = PerfManagementTextKey | PerfManagementCountKey | PerfManagementAmountKey
PERF_MANAGEMENT_KEYS: tuple[PerfManagementKey, ...] = (
    *PERF_MANAGEMENT_TEXTS,
    *PERF_MANAGEMENT_COUNTS,
    *PERF_MANAGEMENT_AMOUNTS,
)
# 名词解释 of the 2024 national layout lists what these incomes mainly are.
INCOME_CONTENTS = ("事业收入", "经营收入", "其他收入")


class SangongCounts(TypedDict, total=False):
    """三公经费.明细's counts (SANGONG_COUNTS): only those the file gives."""

    因公出国团组数: int
    因公出国人次: int
    公务用车购置数量: int
    公务接待批次: int
    公务接待人次: int
    外宾接待批次: int
    外宾接待人次: int


class SangongTexts(TypedDict, total=False):
    """三公经费.明细's texts (SANGONG_TEXTS): only those the file gives, not empty."""

    因公出国开支内容: str
    公务用车购置用途: str
    公务接待用途: str


class PerfManagementInput(TypedDict, total=False):
    """预算绩效管理 (PERF_MANAGEMENT_TEXTS, _COUNTS, _AMOUNTS): only the keys the file gives."""

    制度: str
    工作机制: str
    绩效目标项目数: int
    跟踪评价项目数: int
    发现问题数: int
    已整改问题数: int
    正在整改问题数: int
    绩效目标项目金额: Decimal
    跟踪评价项目金额: Decimal


@dataclass
class ItemFacts:
    """One 项 (7-digit 功能分类 code) and everything typed about it."""

    code: str
    income: dict[str, Decimal] = field(default_factory=dict)
    spending: dict[str, Decimal] = field(default_factory=dict)
    funds: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # fund → column → amount
    budget: Decimal | None = None  # 年初预算 of its 一般公共预算财政拨款支出
    reason: str = ""  # why 决算 differs from 年初预算
    use: str = ""  # 主要用于 (national 说明五（三）、八、九)
    fund_budget: dict[str, Decimal] = field(default_factory=dict)  # 政府性基金 / 国有资本经营 → 年初预算
    fund_reason: dict[str, str] = field(default_factory=dict)  # … → why its 决算 differs from that 年初预算


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


def _no_extra() -> Extra:
    return {}


@dataclass
class Model:
    source: str
    name: str
    year: int
    unit: str  # 元 or 万元
    subordinates: int = 0
    subordinate_names: list[str] = field(default_factory=list)  # 单位.下属单位 (national 部门决算单位构成)
    phone: str = ""
    profile: str = ""  # 单位.模板: the built-in profile the file asks for ("" = the default; --profile overrides)
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
    sangong_change_reasons: dict[str, str] = field(default_factory=dict)  # SANGONG_GROUPS → vs last year
    sangong_counts: SangongCounts = field(default_factory=lambda: SangongCounts())
    sangong_texts: SangongTexts = field(default_factory=lambda: SangongTexts())
    sangong_foreign: Decimal | None = None  # 外宾接待费, part of 公务接待费
    vehicles_held: int = 0
    vehicle_use: str = ""
    prior: dict[str, Decimal] = field(default_factory=dict)
    prior_classes: dict[str, Decimal] | None = None  # 上年.一般公共预算类: 类 code → last year's 公开05 amount
    reasons: dict[str, str] = field(default_factory=dict)
    class_uses: dict[str, str] = field(default_factory=dict)
    running_cost: dict[str, Decimal] = field(default_factory=dict)  # 决算, 预算
    running_cost_note: str = ""
    procurement: dict[str, Decimal] = field(default_factory=dict)
    perf_management: PerfManagementInput | None = None  # 预算绩效管理 block, None when the file has none
    income_contents: dict[str, str] = field(default_factory=dict)  # 说明.收入内容: INCOME_CONTENTS → text
    vehicles: dict[str, int] = field(default_factory=dict)
    big_equipment: int = 0
    key_work_text: str = ""
    key_work_rows: list[dict[str, str]] = field(default_factory=list)
    performance: Performance = field(default_factory=Performance)
    declared: dict[tuple[str, str, str], Decimal] = field(default_factory=dict)
    locs: dict[str, Location] = field(default_factory=dict)
    extra: Extra = field(default_factory=lambda: _no_extra())  # optional blocks of validate_extra.py, by name

    def loc(self, path: str) -> Location:
        """The location of a field path, or of its nearest ancestor that has one."""
        probe = path
        while probe:
            if probe in self.locs:
                return self.locs[probe]
            probe = probe.rpartition(".")[0]
        return Location(self.source, 1, 1)
