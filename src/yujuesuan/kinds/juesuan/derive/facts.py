"""The types of the derived facts (``Figures.facts``): one TypedDict per fact group.

Templates read the facts as ``f.三公.项`` (Jinja looks an attribute up as a key
and back), the rules by dotted path, derive/export.py key by key in insertion
order. A TypedDict is a plain dict at run time, so all of them see exactly what
they saw before the facts were typed; mypy checks the code that builds and reads
each group against the declaration here. The key order of a group is the order
narrative.py (and national.py, sichuan.py) build it in, which is the order of
the JSON export: keep a literal's keys in the order its builder had them.

A field whose value may be a placeholder text (the Sichuan layout prints
【未填报…】 for a count or amount the file lacks) is typed ``int | str`` or
``Decimal | str``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from yujuesuan.derive.values import Change, Completion, Share
from yujuesuan.kinds.juesuan.model import Goal, Indicator, PerfManagementInput, SangongCounts, SangongTexts

# ---- rows of the lists the 说明 enumerate ----


class SourceShare(TypedDict):
    """收入来源 / 支出类型: a named amount, its share of the whole and its change against last year."""

    名称: str
    金额: Decimal
    占比: Share
    变动: Change


class SourceChange(TypedDict):
    """收入来源变动: each income source against last year."""

    名称: str
    金额: Decimal
    变动: Change


class ClassRow(TypedDict):
    """一般公共预算类: a 类 of 公开05, its 款 and what it was used for."""

    编码: str
    名称: str
    金额: Decimal
    占比: Share
    款: list[str]
    用途: str
    变动: Change


class ClassChange(TypedDict):
    """一般公共预算类变动: a 类 against last year (also one gone to 0 this year)."""

    编码: str
    名称: str
    变动: Change


class ItemRow(TypedDict):
    """一般公共预算项: a 项 of 公开05 against its 年初预算, with the reason for the difference."""

    编码: str
    名称: str
    类名: str
    款名: str
    决算: Decimal
    预算: Completion
    原因: str
    路径: str  # the input path of the 项 (rules point at it)
    用途: str


class Balances(TypedDict):
    """结转结余 against last year."""

    年初结转和结余: Change
    年末结转和结余: Change


class EconGroup(TypedDict):
    """人员经费 / 公用经费: the total and the 经济分类 items with a figure."""

    金额: Decimal
    科目: list[str]
    全部科目: list[str]  # including the 其他… catch-alls (the national template names them)


class FundBrief(TypedDict):
    """政府性基金 / 国有资本经营 as the Wuhan layout states them: empty or not, and the spending."""

    空: bool
    支出: Decimal


# ---- 三公 ----


class SangongItem(TypedDict):
    名称: str
    预算: Decimal
    决算: Decimal
    完成: Completion
    变动: Change
    原因: str  # why the 决算 differs from the 预算
    占比: Share  # of the 三公 决算 total (2024 national 说明七)
    变动原因: str  # why it changed against last year (2024 national 说明七)


class SangongDetail(SangongCounts, SangongTexts):
    """三公经费.明细 as typed (only the keys the file gives), and the 外宾接待费."""

    外宾接待费: Decimal | None


class Sangong(TypedDict):
    预算: Decimal
    决算: Decimal
    完成: Completion
    变动: Change
    原因: str
    项: dict[str, SangongItem]  # by heading: 因公出国（境）费, 公务用车购置及运行维护费, its two parts, 公务接待费
    保有量: int
    用途: str  # what the 公务用车运行维护费 paid for
    明细: SangongDetail


# ---- other groups of the Wuhan layout ----


class RunningCost(TypedDict):
    """机关运行经费."""

    决算: Completion
    变动: Change
    说明: str


class _ProcurementBase(TypedDict):
    总额: Decimal
    货物: Decimal
    工程: Decimal
    服务: Decimal
    中小企业: Share
    小微企业: Share
    货物中小企业: Share


class Procurement(_ProcurementBase, total=False):
    """政府采购; the 预留 and 中标 figures (2024 national 说明十一（二）) only when the file gives them."""

    面向中小企业预留项目预算金额: Decimal
    面向小微企业预留项目预算金额: Decimal
    预留项目中小企业中标金额: Decimal
    预留项目小微企业中标金额: Decimal
    其他项目中小企业中标金额: Decimal


class VehicleCount(TypedDict):
    名称: str
    数量: int


class Assets(TypedDict):
    """国有资产."""

    车辆合计: int
    车辆: list[VehicleCount]
    大型设备: int


# ---- 绩效 ----


class Score(TypedDict):
    """执行得分 = 分值 × 执行率 (at most the 分值); 总分 adds the indicator scores."""

    执行得分: Decimal
    总分: Decimal


class PerfProject(Score):
    """A project's 自评表 (绩效.项目), with its texts (validate_perf.PROJECT_TEXTS)."""

    名称: str
    科目: str
    预算: Decimal
    执行: Decimal
    执行率: Decimal | None
    分值: Decimal
    指标: list[Indicator]
    主要成效: str
    产出和效益: str
    发现的问题: str
    改进措施: str
    项目类别: str
    项目属性: str
    项目类型: str
    偏差原因: str
    改进措施及结果应用: str
    主管部门: str
    实施单位: str


class PerfOverall(Score):
    """The 部门整体绩效自评表 (绩效.整体)."""

    基本支出: Decimal
    项目支出: Decimal
    预算: Decimal
    执行: Decimal
    执行率: Decimal | None
    分值: Decimal
    目标: list[Goal]
    偏差原因: str
    改进措施: str


class Performance(TypedDict):
    """绩效: the projects, the whole, and the texts of 说明十三 (validate_perf.PERF_TEXTS, empty when absent)."""

    项目: list[PerfProject]
    项目个数: int
    项目资金: Share
    整体: PerfOverall
    管理工作开展情况: str
    整体自评结论: str
    结果应用情况: str


# ---- what the 2024 national layout states beyond the Wuhan one (derive/national.py) ----


class FundItem(TypedDict):
    """A 项 of 政府性基金 / 国有资本经营 (说明八、九)."""

    编码: str
    名称: str
    类名: str
    款名: str
    决算: Decimal
    预算: Completion
    用途: str
    原因: str


class FundFacts(TypedDict):
    """政府性基金收支 / 国有资本经营收支 (from 公开07 / 08收支)."""

    空: bool
    年初结转和结余: Decimal
    收入: Decimal
    支出: Decimal
    年末结转和结余: Decimal
    项: list[FundItem]


class PerfManagementFacts(PerfManagementInput):
    """绩效管理 (说明十): the typed 预算绩效管理 block, plus the self-evaluation figures of 绩效.项目."""

    已填: bool
    自评项目数: int
    自评项目金额: Decimal
    平均得分: Decimal | None
    评级: dict[str, int]  # 优 / 良 / 合格 / 不合格 → projects


# ---- the Sichuan layout (derive/sichuan.py, figures.facts["四川"]) ----


class NamedShare(TypedDict):
    名称: str
    金额: Decimal
    占比: Share


class CodedShare(TypedDict):
    编码: str
    名称: str
    金额: Decimal
    占比: Share


class EconItem(TypedDict):
    编码: str
    名称: str
    金额: Decimal


class EconItems(TypedDict):
    金额: Decimal
    科目: list[EconItem]


class CarsBought(TypedDict):
    车型: str
    辆: int | str
    金额: Decimal | str


class CarsHeld(TypedDict):
    车型: str
    辆: int | str


class Reception(TypedDict):
    """公务接待 split into 国内 and 外事: amount, 批次 and 人次 (each a placeholder when unknown)."""

    金额: Decimal | str
    批次: int | str
    人次: int | str


class SichuanSangong(TypedDict):
    结构: list[NamedShare]
    因公出国团组: int | str
    因公出国人次: int | str
    购置: list[CarsBought]
    购置辆数: int | str
    保有量: int
    保有: list[CarsHeld]
    国内接待: Reception
    外事接待: Reception


class OrganisationFacts(TypedDict):
    """机构设置: the 下属单位 by kind (validate_extra.ORG_KINDS) and their names."""

    合计: int
    单位: list[str]
    行政单位: int | str
    参照公务员法管理的事业单位: int | str
    其他事业单位: int | str


class SichuanProcurement(TypedDict):
    小微企业: Share


class SichuanAssets(TypedDict):
    车辆: list[VehicleCount]


class SichuanPerformance(TypedDict):
    """说明十（四）: the projects named at each stage (validate_extra.PERF_LISTS), the score and its 综述."""

    事前绩效评估项目: list[str]
    绩效目标项目: list[str]
    绩效监控项目: list[str]
    自评项目: list[str]
    整体自评得分: Decimal | str
    自评综述: str


class Term(TypedDict):
    """名词解释 of a 项."""

    编码: str
    类: str
    款: str
    项: str
    解释: str


class AnnexText(TypedDict):
    标题: str
    段落: list[str]


class Need(TypedDict):
    """A fact the layout states but the file lacks: its ``requires`` name, the input path, the message."""

    事实: str
    位置: str
    说明: str


class SichuanFacts(TypedDict):
    收入来源: list[NamedShare]
    支出类型: list[NamedShare]
    一般公共预算类: list[CodedShare]
    人员经费: EconItems
    公用经费: EconItems
    三公: SichuanSangong
    机构设置: OrganisationFacts
    政府采购: SichuanProcurement
    国有资产: SichuanAssets
    绩效管理: SichuanPerformance
    名词解释: list[Term]
    附件: list[AnnexText]
    缺少: list[Need]


# ---- all of them ----


class NationalFacts(TypedDict):
    """What the 2024 national layout states beyond the Wuhan one (derive/national.py)."""

    政府性基金收支: FundFacts
    国有资本经营收支: FundFacts
    绩效管理: PerfManagementFacts
    收入内容: dict[str, str]  # 事业收入 / 经营收入 / 其他收入 → what it mainly is


class _Facts(NationalFacts):
    收支总计: Change
    收入合计: Change
    收入来源: list[SourceShare]
    收入来源变动: list[SourceChange]
    支出合计: Change
    支出类型: list[SourceShare]
    基本支出: Share
    项目支出: Share
    财政拨款收支总计: Change
    一般公共预算财政拨款收入: Change
    政府性基金预算财政拨款收入: Decimal
    国有资本经营预算财政拨款收入: Decimal
    一般公共预算财政拨款支出: Change
    一般公共预算财政拨款支出占比: Share
    一般公共预算类: list[ClassRow]
    一般公共预算类变动: list[ClassChange]
    结转结余: Balances
    一般公共预算项: list[ItemRow]
    一般公共预算基本支出: Decimal
    一般公共预算项目支出: Decimal
    年初预算: Completion
    人员经费: EconGroup
    公用经费: EconGroup
    政府性基金: FundBrief
    国有资本经营: FundBrief
    三公: Sangong
    机关运行经费: RunningCost
    政府采购: Procurement
    国有资产: Assets
    绩效: Performance
    年末财政拨款结转和结余: dict[str, Decimal]  # by fund (model.FUNDS)


class Facts(_Facts, total=False):
    """Every figure of 说明 一–十三 and of the 绩效 tables; 四川 only once the Sichuan layout asked for it."""

    四川: SichuanFacts
