"""The 部门预算 input model: the leaf facts of one unit's budget, as typed dataclasses.

Every block of sample_data/jianghan-2024-yusuan.yaml has one class here; the
reader (reader.py) fills them with located values and derive.py computes every
total from them. Names of keys are the Chinese keys of the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from yujuesuan.errors import Location, nearest_location
from yujuesuan.input.load import Node

# Where a 项's money comes from (预算01/02表 income rows; 上年结转 rows of 预算01/04表).
FISCAL = ("一般公共预算", "政府性基金预算", "国有资本经营预算")
CURRENT_SOURCES = (
    *FISCAL, "财政专户管理资金", "事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入",
)  # fmt: skip
CARRIED = tuple(f"{fund}上年结转" for fund in FISCAL)  # 财政拨款结转结余, by fund
CARRIED_OTHER = "非财政拨款上年结转"
SOURCES = (*CURRENT_SOURCES, *CARRIED, CARRIED_OTHER)
# What the money is spent as (预算03表 columns; 人员经费 + 公用经费 = 基本支出).
BASIC = ("人员经费", "公用经费")
SPENDING = (*BASIC, "项目支出", "事业单位经营支出", "上缴上级支出", "对附属单位补助支出")

SANGONG_ITEMS = ("因公出国（境）费", "公务接待费", "公务用车购置费", "公务用车运行维护费")
STAFF_POSTS = ("行政", "参照公务员法管理事业", "全额事业", "差额事业", "自收自支事业", "工勤")
STAFF_ROLES = ("行政", "事业", "工勤")
PROJECT_CATEGORIES = {"本级支出项目": "31", "对下转移支付项目": "32"}  # 预算11表 project group rows
PROCUREMENT_TEXTS = ("项目", "品目", "科目", "经济分类", "资金来源", "资金性质", "计量单位")
PROCUREMENT_AMOUNTS = ("单价", "金额", "面向中小企业", "面向小微企业")
SERVICE_TEXTS = ("项目", "内容", "是否包含政府采购", "资金来源", "资金性质", "科目", "经济分类",
                 "一级目录", "二级目录", "三级目录")  # fmt: skip


@dataclass
class ItemFacts:
    """One 项 (7-digit 功能分类 code): amounts by source, then by spending type."""

    code: str
    money: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # source → type → amount

    def total(self, sources: tuple[str, ...] = SOURCES, types: tuple[str, ...] = SPENDING) -> Decimal:
        return sum((self.money.get(s, {}).get(t, Decimal(0)) for s in sources for t in types), Decimal(0))


@dataclass
class Indicator:
    """One 绩效指标 row; values are the text as the form shows them (≥90%, 235 期)."""

    level1: str
    level2: str
    level3: str = ""
    value: str = ""  # 长期指标: 指标值
    before: str = ""  # 年度指标: 前年
    last: str = ""  # 年度指标: 上年
    now: str = ""  # 年度指标: 当年（预期当年实现值）
    weight: str = ""  # 项目年度指标: 指标分值权重
    basis: str = ""  # 指标值确定依据


@dataclass
class Goal:
    text: str
    weight: str = ""  # 项目年度目标: 指标权重比例(%)
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class DetailLine:
    """项目支出明细及依据: one line."""

    content: str
    basis: str
    own: Decimal = Decimal(0)  # 本级财政拨款金额
    transfer: Decimal = Decimal(0)  # 上级转移支付金额
    other: Decimal = Decimal(0)  # 其他资金


@dataclass
class ProjectForm:
    """项目支出绩效目标申报表: what staff fill in beyond the amounts."""

    department: str = ""  # 项目主管部门
    executor: str = ""  # 项目执行单位
    leader: str = ""  # 项目负责人
    phone: str = ""
    code: str = ""  # 项目代码 (the form's own; often blank)
    category: str = ""  # 运转类 / 特定目标类本级支出 / 特定目标类上级转移支出
    frequency: str = ""  # 一次性项目 / 常年项目 / 延续性项目
    basis: str = ""  # 立项依据
    plan: str = ""  # 项目实施方案
    last_result: str = ""  # 上年绩效评价结果、整改及应用
    history: list[str] = field(default_factory=list)  # 项目前两年预算及当年预算变动情况, a line each
    total_budget: Decimal | None = None  # 项目总预算 (延续性项目)
    details: list[DetailLine] = field(default_factory=list)
    assets: list[dict[str, str]] = field(default_factory=list)  # 资产配置计划: 品名, 数量, 金额
    long_goals: list[Goal] = field(default_factory=list)
    year_goals: list[Goal] = field(default_factory=list)


@dataclass
class Project:
    name: str
    code: str
    item: str  # the 项 it is spent under
    money: dict[str, Decimal] = field(default_factory=dict)  # source → amount
    use: str = ""  # 说明九 “主要用于”
    kind: str = ""  # 整体申报表 支出项目类别 (经常性项目 …)
    direction: str = ""  # 整体申报表 项目主要支出方向和用途
    category: str = "本级支出项目"  # 预算11表 group
    form: ProjectForm | None = None
    path: str = ""

    @property
    def amount(self) -> Decimal:
        return sum(self.money.values(), Decimal(0))


@dataclass
class Purchase:
    """政府采购预算: one 品目 line (预算12表)."""

    texts: dict[str, str] = field(default_factory=dict)
    amounts: dict[str, Decimal] = field(default_factory=dict)
    quantity: str = ""
    path: str = ""


@dataclass
class Service:
    """政府购买服务预算: one line (预算13表)."""

    texts: dict[str, str] = field(default_factory=dict)
    quantity: str = ""
    amount: Decimal = Decimal(0)
    path: str = ""


@dataclass
class Overall:
    """部门（单位）整体绩效目标申报表: the texts and goals."""

    date: str = ""
    filler: str = ""
    phone: str = ""
    functions: str = ""
    tasks: str = ""
    long_goals: list[Goal] = field(default_factory=list)
    year_goals: list[Goal] = field(default_factory=list)


@dataclass
class YearBudget:
    """An earlier year's budget (上年预算, 前年预算): income by source, spending by type."""

    income: dict[str, Decimal] = field(default_factory=dict)
    spending: dict[str, Decimal] = field(default_factory=dict)
    procurement: Decimal | None = None


@dataclass
class BudgetModel:
    source: str
    name: str = ""  # 说明中的简称
    full_name: str = ""  # 公开表中的全称
    code: str = ""  # 部门编码
    year: int = 0
    unit: str = "万元"
    phone: str = ""
    template: str = ""  # 单位.模板: the profile the file names (wired by the lead later)
    units: list[tuple[str, str]] = field(default_factory=list)  # 预算单位 (编码, 名称)
    functions: str = ""
    structure: str = ""  # 预算单位构成
    staff_date: str = ""
    posts: dict[str, int] = field(default_factory=dict)  # 编制 by STAFF_POSTS
    serving: dict[str, int] = field(default_factory=dict)  # 在职实有 by STAFF_ROLES
    retired: int = 0
    items: dict[str, ItemFacts] = field(default_factory=dict)
    custom_names: dict[str, str] = field(default_factory=dict)
    econ: dict[str, Decimal] = field(default_factory=dict)
    sangong: dict[str, Decimal] = field(default_factory=dict)
    sangong_prior: dict[str, Decimal] | None = None
    vehicle_use: str = ""
    abroad_note: str = ""
    running: Decimal | None = None
    running_prior: Decimal | None = None
    running_contents: str = ""
    projects: list[Project] = field(default_factory=list)
    purchases: list[Purchase] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    assets_date: str = ""
    vehicles: dict[str, int] = field(default_factory=dict)
    vehicle_note: str = ""
    big_equipment: int = 0
    prior: YearBudget | None = None  # 上年预算
    before: YearBudget | None = None  # 前年预算
    reasons: dict[str, str] = field(default_factory=dict)
    class_uses: dict[str, str] = field(default_factory=dict)
    econ_uses: dict[str, str] = field(default_factory=dict)
    perf_text: str = ""
    overall: Overall | None = None
    locs: dict[str, Location] = field(default_factory=dict)
    # the loaded file itself: the workbook's 数据 sheet lists its leaves (workflows/xlsx/data_sheet.py)
    root: Node | None = field(default=None, repr=False, compare=False)

    @property
    def unit_name(self) -> str:
        """The name the tables print (全称, else 名称)."""
        return self.full_name or self.name

    def loc(self, path: str) -> Location:
        """The location of a field path, or of its nearest ancestor that has one."""
        return nearest_location(self.locs, path, self.source)
