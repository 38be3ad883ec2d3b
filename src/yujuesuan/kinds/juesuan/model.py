"""The input model: typed facts of one unit for one year, as validate.py reads them.

Only facts that cannot be derived live here. Every value's place in the input
file is kept in ``Model.locs`` under its field path (支出.2101102.基本支出), so
that any later finding can point at a line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from yujuesuan.errors import Location, nearest_location
from yujuesuan.kinds.juesuan.schema import (
    BALANCE_KEYS,
    FUND_NOTES,
    FUND_SPENDING,
    FUNDS,
    INCOME_CONTENTS,
    INCOME_SOURCES,
    PERF_MANAGEMENT_AMOUNTS,
    PERF_MANAGEMENT_COUNTS,
    PERF_MANAGEMENT_TEXTS,
    PRIOR_KEYS,
    PRIOR_OPTIONAL_KEYS,
    PROCUREMENT_KEYS,
    REASON_KEYS,
    RESERVED_PROCUREMENT_KEYS,
    SANGONG_COUNTS,
    SANGONG_GROUPS,
    SANGONG_ITEMS,
    SANGONG_TEXTS,
    SPENDING_TYPES,
    VEHICLE_TYPES,
    PerfManagementAmountKey,
    PerfManagementCountKey,
    PerfManagementTextKey,
    ReservedProcurementKey,
    SangongCountKey,
    SangongTextKey,
)

if TYPE_CHECKING:
    from yujuesuan.kinds.juesuan.validate_extra import Extra  # which imports this module

# The key lists of the input schema are schema.py's (re-exported: derive/ and the workflows import them here).
__all__ = [
    "BALANCE_KEYS",
    "FISCAL_SOURCES",
    "FUNDS",
    "FUND_NOTES",
    "FUND_SPENDING",
    "INCOME_CONTENTS",
    "INCOME_SOURCES",
    "PERF_MANAGEMENT_AMOUNTS",
    "PERF_MANAGEMENT_COUNTS",
    "PERF_MANAGEMENT_KEYS",
    "PERF_MANAGEMENT_TEXTS",
    "PRIOR_KEYS",
    "PRIOR_OPTIONAL_KEYS",
    "PROCUREMENT_KEYS",
    "REASON_KEYS",
    "RESERVED_PROCUREMENT_KEYS",
    "SANGONG_COUNTS",
    "SANGONG_GROUPS",
    "SANGONG_ITEMS",
    "SANGONG_TEXTS",
    "SPENDING_TYPES",
    "VEHICLE_TYPES",
    "Goal",
    "Indicator",
    "ItemFacts",
    "Model",
    "PerfManagementAmountKey",
    "PerfManagementCountKey",
    "PerfManagementKey",
    "PerfManagementTextKey",
    "Performance",
    "Project",
    "ReservedProcurementKey",
    "SangongCountKey",
    "SangongTextKey",
]
FISCAL_SOURCES = INCOME_SOURCES[:3]
PerfManagementKey = PerfManagementTextKey | PerfManagementCountKey | PerfManagementAmountKey
PERF_MANAGEMENT_KEYS: tuple[PerfManagementKey, ...] = (
    *PERF_MANAGEMENT_TEXTS,
    *PERF_MANAGEMENT_COUNTS,
    *PERF_MANAGEMENT_AMOUNTS,
)


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
        return nearest_location(self.locs, path, self.source)
