"""The 决算 input schema, declared once: every block of the data file, its fields, kinds, units and notes.

validate*.py take each block's allowed keys from here, model.py its vocabularies
(INCOME_SOURCES …), workflows/new.py the skeleton's blocks, order and comments,
workflows/rollover.py which texts it marks and which it keeps, workflows/xlsx/layout.py
the workbook's fields and notes, and docs/INPUT.md is generated from it
(``markdown()``; tests/test_schema.py checks that the file is in sync).

A Field is a key of the file. Leaf kinds: amount (in the file's 金额单位), count, score,
year, unit (元/万元), text, list (a list of names), integer. Nested kinds: block (fixed
keys, ``fields``), codes (keys are codes or names the user chooses: ``fields`` holds the one
field, keyed CODE, that each of them is), records (a list of mappings, ``fields`` per item).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal, get_args

NATIONAL = "national-2024"
SICHUAN = "sichuan"
PROFILE_NAMES = {NATIONAL: "2024 年全国模板", SICHUAN: "四川版式"}
CODE = "<编码>"  # the key of a codes field's member: a code (or name) the user writes
KEEP = "keep"  # Field.roll: rollover carries the value as it is (a category, not this year's wording)
DROP = "drop"  # Field.roll: rollover leaves the block out (this year's totals, not next year's)

LEAF_KINDS = ("amount", "count", "score", "year", "unit", "text", "list", "integer")
KINDS = (*LEAF_KINDS, "block", "codes", "records")


@dataclass(frozen=True)
class Field:
    """One key of the input file and how every consumer treats it."""

    key: str
    kind: str
    note: str = ""  # what an accountant reads after the key (`new`, docs/INPUT.md)
    sheet: str | None = None  # the workbook's 说明 of the field (None: the same as ``note``)
    unit: str = ""  # 个, 辆, 分 …; amounts are in the file's 金额单位
    fields: tuple[Field, ...] = ()
    profiles: tuple[str, ...] = ()  # the layouts that print it; () = every layout
    required: bool = False
    comment: tuple[str, ...] = ()  # the lines above the block in `new` and `rollover`
    imported: tuple[str, ...] = ()  # the lines above the block in a file import-xlsx writes
    roll: str = ""  # rollover: "" by kind (numbers cleared, texts marked 【待更新】), KEEP as is, DROP left out
    shown: bool = True  # False: `new` writes it commented out, an example to fill in (so is a profile's field)

    def __post_init__(self) -> None:
        assert self.kind in KINDS, self.kind

    @property
    def sheet_note(self) -> str:
        return self.note if self.sheet is None else self.sheet

    def get(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)


def _leaves(keys: tuple[str, ...], kind: str, note: str = "", **kw: object) -> tuple[Field, ...]:
    return tuple(Field(k, kind, note, **kw) for k in keys)  # type: ignore[arg-type]


def _block(key: str, keys: tuple[str, ...], kind: str, note: str = "", **kw: object) -> Field:
    """A block of like leaves (收入 by source, 车辆 by type); ``sheet`` and ``unit`` apply to each leaf."""
    leaf_kw = {k: kw.pop(k) for k in ("sheet", "unit") if k in kw}
    return Field(key, "block", note, fields=_leaves(keys, kind, **leaf_kw), **kw)  # type: ignore[arg-type]


# --- vocabularies: the key lists several blocks share (model.py re-exports them for derive/) ---------------
INCOME_SOURCES = (
    "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款", "上级补助收入", "事业收入",
    "经营收入", "附属单位上缴收入", "其他收入",
)  # fmt: skip
SPENDING_TYPES = ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
FUNDS = ("一般公共预算", "政府性基金预算", "国有资本经营预算")
FUND_SPENDING = {  # per 项, the 财政拨款 spending of each fund (公开05, 07, 08)
    "一般公共预算": ("基本支出", "项目支出"),
    "政府性基金预算": ("年初结转和结余", "基本支出", "项目支出"),
    "国有资本经营预算": ("年初结转和结余", "基本支出", "项目支出"),
}
# Per 项 of 政府性基金 / 国有资本经营, beside the amounts: what 说明八、九 of the 2024 national layout
# state (年初预算 and the reason a 决算 differs from it).
FUND_NOTES = ("年初预算", "差异原因")
SANGONG_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
# The three 三公 headings the 2024 national 说明七 compares with last year, each with its reason.
SANGONG_GROUPS = ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")
BALANCE_KEYS = ("使用非财政拨款结余", "年初结转和结余", "结余分配", "年末结转和结余")
PRIOR_KEYS = (
    "收支总计", "收入合计", "支出合计", "财政拨款收支总计", "一般公共预算财政拨款收入", "一般公共预算财政拨款支出",
    "基本支出", "项目支出", "人员经费", "公用经费", "政府性基金预算财政拨款支出", "国有资本经营预算财政拨款支出",
    "机关运行经费",
)  # fmt: skip
# Optional 上年 figures: each lets the 说明 compare one more figure with last year (收入来源, 支出类型,
# 结转结余). Without one that sentence is left out and `check` says so. sanity.py slices them in this order.
PRIOR_OPTIONAL_KEYS = (
    "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入", "上级补助收入", "事业收入", "经营收入",
    "附属单位上缴收入", "其他收入", "上缴上级支出", "经营支出", "对附属单位补助支出", "年初结转和结余",
    "年末结转和结余",
)  # fmt: skip
REASON_KEYS = (
    "收支总计变动原因", "收入变动原因", "支出变动原因", "财政拨款收支变动原因", "一般公共预算财政拨款收入变动原因",
    "一般公共预算财政拨款支出变动原因", "预决算差异原因",
)  # fmt: skip
VEHICLE_TYPES = (
    "副部（省）级及以上领导用车", "主要领导干部用车", "机要通信用车", "应急保障用车", "执法执勤用车",
    "特种专业技术用车", "离退休干部用车", "其他用车",
)  # fmt: skip
PROCUREMENT_KEYS = (
    "货物", "工程", "服务", "授予中小企业合同金额", "其中授予小微企业合同金额", "货物授予中小企业合同金额",
)  # fmt: skip
# 政府采购 figures of the 2024 national layout (说明十一（二）: 预留 and 中标 amounts).
# A key list that a typed block of the model (a TypedDict) is read by is a Literal, so that mypy checks
# ``block[key]`` in the loops that read and write it; the tuple is the Literal's arguments, in order.
ReservedProcurementKey = Literal[
    "面向中小企业预留项目预算金额", "面向小微企业预留项目预算金额", "预留项目中小企业中标金额",
    "预留项目小微企业中标金额", "其他项目中小企业中标金额",
]  # fmt: skip
RESERVED_PROCUREMENT_KEYS: tuple[ReservedProcurementKey, ...] = get_args(ReservedProcurementKey)
# 三公经费.明细: what 说明七（二） of the 2024 national layout states per item.
SangongCountKey = Literal[
    "因公出国团组数", "因公出国人次", "公务用车购置数量",
    "公务接待批次", "公务接待人次", "外宾接待批次", "外宾接待人次",
]  # fmt: skip
SANGONG_COUNTS: tuple[SangongCountKey, ...] = get_args(SangongCountKey)
SANGONG_COUNT_UNITS = ("个", "人次", "辆", "批次", "人次", "批次", "人次")
SangongTextKey = Literal["因公出国开支内容", "公务用车购置用途", "公务接待用途"]
SANGONG_TEXTS: tuple[SangongTextKey, ...] = get_args(SangongTextKey)
# 预算绩效管理 (说明十 of the 2024 national layout): texts, then counts and amounts.
PerfManagementTextKey = Literal["制度", "工作机制"]
PERF_MANAGEMENT_TEXTS: tuple[PerfManagementTextKey, ...] = get_args(PerfManagementTextKey)
PerfManagementCountKey = Literal["绩效目标项目数", "跟踪评价项目数", "发现问题数", "已整改问题数", "正在整改问题数"]
PERF_MANAGEMENT_COUNTS: tuple[PerfManagementCountKey, ...] = get_args(PerfManagementCountKey)
PerfManagementAmountKey = Literal["绩效目标项目金额", "跟踪评价项目金额"]
PERF_MANAGEMENT_AMOUNTS: tuple[PerfManagementAmountKey, ...] = get_args(PerfManagementAmountKey)
INCOME_CONTENTS = ("事业收入", "经营收入", "其他收入")  # 名词解释 of the 2024 national layout
OTHER_FUNDS = FUNDS[1:]
FUND_KINDS = ("基本支出", "项目支出")
CAR_TYPES = ("轿车", "越野车", "载客汽车")
ORG_KINDS = ("行政单位", "参照公务员法管理的事业单位", "其他事业单位")
PERF_LISTS = ("事前绩效评估项目", "绩效目标项目", "绩效监控项目", "自评项目")
# The Sichuan blocks (validate_extra.py reads them into model.extra); Final, so that mypy reads each
# name as a literal key.
PROJECT_ECON: Final = "项目支出经济分类"
FUND_ECON: Final = "其他财政拨款经济分类"
VEHICLES: Final = "公务用车明细"
ORGANISATION: Final = "机构设置"
PERF_MANAGEMENT: Final = "绩效管理情况"
TERMS: Final = "名词解释"
ANNEXES: Final = "附件"


def fund_key(fund: str) -> str:
    """科目.<编码>.一般公共预算财政拨款支出 …: the key of one fund's spending under a 项."""
    return f"{fund}财政拨款支出"


# --- the blocks ----------------------------------------------------------------------------------------------
_N = (NATIONAL,)
_S = (SICHUAN,)
_INDICATOR = Field("指标", "records", sheet=(
    "每行一个指标。所属填“整体”或项目名称；整体的指标还要填目标名称和目标分值（同一目标的各行重复填写）。"
), fields=(
    *_leaves(("一级", "二级", "三级", "目标值", "实际值"), "text"),
    Field("得分", "score", unit="分"),
))  # fmt: skip
_PROJECT_TEXTS = (
    Field("主要成效", "text"), Field("产出和效益", "text"), Field("发现的问题", "text"), Field("改进措施", "text"),
    Field("项目类别", "text", "部门预算项目 / 区级专项 / 上级转移支付项目", roll=KEEP),
    Field("项目属性", "text", "持续性项目 / 新增性项目", roll=KEEP),
    Field("项目类型", "text", "常年性项目 / 延续性项目 / 一次性项目", roll=KEEP),
    Field("偏差原因", "text"), Field("改进措施及结果应用", "text"),
    Field("主管部门", "text", roll=KEEP), Field("实施单位", "text", roll=KEEP),
)  # fmt: skip

BLOCKS: tuple[Field, ...] = (
    Field("格式版本", "integer", "输入格式的版本，现为 1"),
    Field("单位", "block", required=True, fields=(
        Field("名称", "text", "单位全称，如：武汉市青山区融媒体中心", "单位全称", required=True),
        Field("年度", "year", "决算年度（四位年份）", "四位年份，如 2023", required=True),
        Field("金额单位", "unit", "元（决算软件的单位）或 万元（两位小数，与公开表一致）",
              "元 或 万元：本工作簿各输入表（科目明细、经济分类等）的金额都按此单位填写"),
        Field("下属单位数", "count", "纳入部门决算的下属单位个数（不含本级）", unit="个"),
        Field("下属单位", "list", "下属单位名称列表（2024 年全国模板）",
              "下属单位名称，一行一个（单元格内换行）；2024 年全国模板的单位构成", profiles=_N),
        Field("咨询电话", "text", "公开文档附件中的咨询电话，加引号，如 \"68865800\"", ""),
        Field("模板", "text", "内置模板（版式）；命令行的 --profile 优先于它",
              "内置模板（版式）：wuhan、national-2024、sichuan……；命令行的 --profile 优先于它", shown=False, roll=KEEP),
    )),
    Field("概况", "block", fields=(
        Field("主要职能", "text", "本单位主要职能；多段时写成 | 下的多行", "可在单元格内换行（Alt+Enter），一行一段"),
    )),
    Field("自定义科目", "codes", "科目目录中没有的本地科目，在这里写出名称",
          "科目目录中没有的本地科目：编码（3、5 或 7 位）和名称。", shown=False,
          comment=("科目目录中没有的本地科目，在这里写出名称（删去“# ”后填写）：",),
          fields=(Field(CODE, "text", "3、5 或 7 位科目编码 → 名称"),)),
    Field("科目", "codes", "每个有收支的项级（7 位）功能分类科目一段", (
        "每个有收支的项级（7 位）功能分类科目一行。收入按来源，支出按类型；各财政拨款支出为其中由该项资金安排的部分；"
        "年初预算为该项一般公共预算财政拨款支出的年初预算数；差异原因写决算数与年初预算数不同的主要原因；"
        "用途写该项主要用于什么（2024 年全国模板）。政府性基金、国有资本经营预算下的年初预算和差异原因同理。"
    ), required=True, comment=(
        "科目：每个有收支的项级（7 位）功能分类科目一段。",
        "  收入：按来源（公开02表）。来源可填：一般公共预算财政拨款、政府性基金预算财政拨款、",
        "        国有资本经营预算财政拨款、上级补助收入、事业收入、经营收入、附属单位上缴收入、其他收入。",
        "  支出：按类型（公开03表）。类型可填：基本支出、项目支出、上缴上级支出、经营支出、对附属单位补助支出。",
        "  一般公共预算财政拨款支出：其中由一般公共预算财政拨款安排的基本支出、项目支出（公开05表）。",
        "        政府性基金、国有资本经营预算的支出写在“政府性基金预算财政拨款支出”",
        "        （可另加“年初结转和结余”）和“国有资本经营预算财政拨款支出”下（公开07、08表）。",
        "  年初预算：该项一般公共预算财政拨款支出的年初预算数（说明五（三））。",
        "  差异原因：决算数与年初预算数不同时的主要原因；相同时不用写。",
        "本单位没有收支的科目请整段删去；缺少的科目照样添加（编码加引号）。",
    ), imported=(
        "科目：每个有收支的项级（7 位）功能分类科目一段（来自工作表“科目明细”）。",
        "  收入按来源（公开02表），支出按类型（公开03表）；各“…财政拨款支出”为其中由该项资金安排的部分；",
        "  年初预算：该项一般公共预算财政拨款支出的年初预算数；差异原因：决算数与年初预算数不同时的主要原因。",
    ), fields=(Field(CODE, "block", "项级（7 位）功能分类科目编码，加引号", fields=(
        _block("收入", INCOME_SOURCES, "amount", "按来源（公开02表）"),
        _block("支出", SPENDING_TYPES, "amount", "按类型（公开03表）"),
        *(Field(fund_key(fund), "block", "其中由该项资金安排的支出（公开05、07、08表）", fields=(
            *_leaves(FUND_SPENDING[fund], "amount"),
            *((Field("年初预算", "amount", profiles=_N), Field("差异原因", "text", profiles=_N))
              if fund != FUNDS[0] else ()),
        )) for fund in FUNDS),
        Field("年初预算", "amount", "该项一般公共预算财政拨款支出的年初预算数（说明五（三））"),
        Field("差异原因", "text", "决算数与年初预算数不同时的主要原因"),
        Field("用途", "text", "该项主要用于（2024 年全国模板）", profiles=_N),
    )),)),
    Field("结转结余", "block", "没有就写 0", comment=("结转结余（公开01、04表）：没有就写 0。",),
          imported=("结转结余（公开01、04表）。",), fields=(
        *_leaves(BALANCE_KEYS, "amount", sheet="公开01表；没有就填 0"),
        _block("年初财政拨款结转和结余", FUNDS, "amount", sheet="公开04表"),
        _block("年末财政拨款结转和结余", FUNDS, "amount", sheet="公开04表"),
    )),
    Field("经济分类", "codes", "一般公共预算财政拨款基本支出按经济分类（公开06表）",
          "一般公共预算财政拨款基本支出按经济分类（公开06表）：只填有数的款级科目，名称由程序查出。", comment=(
        "一般公共预算财政拨款基本支出按经济分类（公开06表）：款级（5 位）科目。",
        "各项之和应等于公开05表的基本支出合计。没有的可删去，缺少的照样添加。",
    ), imported=("一般公共预算财政拨款基本支出按经济分类（公开06表）：只列有数的款级（5 位）科目。",),
          fields=(Field(CODE, "amount", "款级（5 位）经济分类科目编码，加引号"),)),
    Field("三公经费", "block", comment=("财政拨款“三公”经费（公开09表）。预算数为全年预算数（按规定程序调整后）。",),
          imported=("财政拨款“三公”经费（公开09表）。预算数为全年预算数（按规定程序调整后）。",), fields=(
        _block("预算", SANGONG_ITEMS, "amount", sheet="全年预算数（按规定程序调整后）"),
        _block("决算", SANGONG_ITEMS, "amount", sheet="公开09表决算数"),
        Field("公务用车保有量", "count", "截至年末开支财政拨款的公务用车（辆）", unit="辆"),
        Field("公务用车运行维护费用途", "text"),
        _block("差异原因", ("合计", *SANGONG_ITEMS), "text", "决算数与预算数不同时的主要原因",
               sheet="决算数与预算数不同时的主要原因"),
        _block("变动原因", SANGONG_GROUPS, "text", "与上年相比增减的原因（2024 年全国模板）", profiles=_N,
               sheet="与上年相比增减的原因（2024 年全国模板说明七）"),
        Field("明细", "block", "说明七（二）的团组、人次、批次和用途（2024 年全国模板）", profiles=_N, fields=(
            *(Field(k, "count", sheet="说明七（二）的团组、人次、批次", unit=u)
              for k, u in zip(SANGONG_COUNTS, SANGONG_COUNT_UNITS, strict=True)),
            *_leaves(SANGONG_TEXTS, "text", sheet="说明七（二）"),
            Field("外宾接待费", "amount", sheet="公务接待费中的外宾接待费"),
        )),
    )),
    Field("上年", "block", comment=(
        "上年（{prev} 年度）决算数，照上年公开的部门决算填写，用于说明中的增减变动。",
        "空着按 0 计；上年没有可比数的行请删去。其他可比的上年数需要时删去“# ”填写：",
    ), imported=("上年决算数，用于说明中的增减变动。",), fields=(
        *_leaves(PRIOR_KEYS[:6], "amount", sheet="上年决算数；空着表示不作比较"),
        *_leaves(PRIOR_KEYS[6:], "amount", sheet="上年决算数；空着表示不作比较", shown=False),
        *_leaves(PRIOR_OPTIONAL_KEYS, "amount", sheet="上年决算数；空着表示不作比较", shown=False),
        _block("三公经费", SANGONG_ITEMS, "amount", sheet="上年“三公”经费决算数", shown=False),
        Field("一般公共预算类", "codes", sheet="上年各类的一般公共预算财政拨款支出（公开05表）", shown=False, fields=(
            Field(CODE, "amount", "类级（3 位）功能分类科目编码，加引号", "明细填类级（3 位）功能分类科目编码"),
        )),
    )),
    Field("说明", "block", comment=("说明中需要人来写的原因和用途（数字由程序填）。没有变动的可以空着。",),
          imported=("说明中需要人来写的原因和用途（数字由程序填）。",), fields=(
        *_leaves(REASON_KEYS, "text"),
        Field("类用途", "codes", "五（二）：每类“主要是用于……”", fields=(
            Field(CODE, "text", "类级（3 位）科目编码 → 主要用途",
                  "明细填类级（3 位）科目编码；内容填“主要是用于……”后的文字"),
        )),
        _block("收入内容", INCOME_CONTENTS, "text", "该项收入主要是什么（2024 年全国模板名词解释）", profiles=_N,
               sheet="2024 年全国模板名词解释：该项收入主要是什么"),
    )),
    Field("机关运行经费", "block", fields=(
        Field("决算", "amount"), Field("预算", "amount"),
        Field("说明", "text", "未设机关运行经费时写明原因", "未设机关运行经费时的说明"),
    )),
    Field("政府采购", "block", fields=(
        *_leaves(PROCUREMENT_KEYS, "amount"),
        *_leaves(RESERVED_PROCUREMENT_KEYS, "amount", "2024 年全国模板说明十一（二）", profiles=_N),
    )),
    Field("国有资产", "block", fields=(
        _block("车辆", VEHICLE_TYPES, "count", sheet="辆", unit="辆"),
        Field("单价100万元以上设备", "count", "台（套）", unit="台（套）"),
    )),
    Field("重点工作", "block", "第四部分 重点工作完成情况", "重点工作完成情况表，一行一项（序号由程序编排）。",
          comment=(
        "第四部分 重点工作完成情况",
        "  正文：表格前的全部段落，一行一段。",
        "  表：重点工作完成情况表（序号由程序编排），每行一项。",
    ), imported=("第四部分 重点工作完成情况：正文一行一段；表为重点工作完成情况表（序号由程序编排）。",), fields=(
        Field("正文", "text", sheet="表格前的全部段落，一行一段"),
        Field("表", "records", "每项一行", fields=_leaves(("重要事项", "工作内容及目标", "完成情况"), "text")),
    )),
    Field("绩效", "block", comment=(
        "预算绩效（说明十三和第六部分附件）。数字（项目个数、资金、占比、执行率、",
        "得分合计）由程序推算，这里只写事实和文字。",
        "  指标：每行写全 一级、二级（表中合并的单元格重复填写），目标值、实际值照表填写；得分为数字。",
        "  执行分值：预算执行情况一栏的分值（满分 20）。",
    ), imported=("预算绩效（说明十三和第六部分附件）。项目个数、资金、占比、执行率、得分合计由程序推算。",), fields=(
        *_leaves(("管理工作开展情况", "整体自评结论", "结果应用情况"), "text", sheet="说明十三"),
        Field("整体", "block", fields=(
            Field("预算数", "amount", "预算数（A）：调整后的预算", "部门整体绩效自评表的预算数（A）"),
            Field("执行分值", "score", sheet="预算执行情况的分值，默认 20", unit="分"),
            Field("目标", "records", "每个目标一段", fields=(
                Field("名称", "text", required=True), Field("分值", "score", unit="分"), _INDICATOR,
            )),
            Field("偏差原因", "text", sheet=""), Field("改进措施", "text", sheet=""),
        )),
        Field("项目", "records", "每个项目一段", "每个项目一行：说明五（三）、十三（三）和项目绩效自评表。"
              "科目填该项目支出所在的项级科目。", fields=(
            Field("名称", "text", required=True),
            Field("科目", "text", "该项目支出所在的项级科目", roll=KEEP),
            Field("预算数", "amount", "全年预算数（A）"), Field("执行数", "amount", "执行数（B）"),
            Field("执行分值", "score", sheet="预算执行情况一栏的分值（满分 20）", unit="分"),
            _INDICATOR, *_PROJECT_TEXTS,
        )),
    )),
    Field("核对数", "codes", "从决算软件抄来的合计，程序与推算数核对：表 → 行 → 列 → 金额（或 表 → 行 → 金额）",
          "从决算软件抄来的合计数（可选），程序与推算数核对。表如 公开03，行如 合计 或 201，列如 本年支出合计。",
          shown=False, roll=DROP,
          comment=("核对数（可选）：从决算软件抄来的合计，程序与推算数核对。格式：表 → 行 → 列 → 金额，例如",),
          imported=("核对数：从决算软件抄来的合计数，程序与明细推算数核对（表 → 行 → 列 → 金额）。",), fields=(
        Field(CODE, "codes", "表，如 公开03", fields=(Field(CODE, "codes", "行，如 合计 或 201", fields=(
            Field(CODE, "amount", "列，如 本年支出合计（没有列时，行直接写金额）"),)),)),
    )),
    Field("预算绩效管理", "block", "2024 年全国模板说明十", profiles=_N, comment=(
        "以下只有 2024 年版全国模板（说明七至十一）需要，用时删去“# ”填写：",
        "  单位.下属单位：下属单位名称列表；科目.<编码>.用途：该项主要用于；",
        "  三公经费.变动原因 / 三公经费.明细；说明.收入内容；政府采购的预留和中标金额。",
    ), imported=("预算绩效管理（2024 年全国模板说明十）。",), fields=(
        *_leaves(PERF_MANAGEMENT_TEXTS, "text", sheet="2024 年全国模板说明十"),
        *_leaves(PERF_MANAGEMENT_COUNTS, "count", sheet="个", unit="个"),
        *_leaves(PERF_MANAGEMENT_AMOUNTS, "amount"),
    )),
    # The blocks of the Sichuan layout (reference 003); validate_extra.py reads them into model.extra.
    Field(PROJECT_ECON, "codes", "一般公共预算财政拨款项目支出按款级经济分类", (
        "四川版式附表：一般公共预算财政拨款项目支出按款级经济分类，只填有数的科目；"
        "一个也不填时，附表以“【未填报项目支出经济分类】”列出合计。"
    ), profiles=_S, imported=("一般公共预算财政拨款项目支出按款级经济分类（四川版式附表）。",),
          comment=("以下只有四川版式（--profile sichuan）需要，用时删去“# ”填写：",),
          fields=(Field(CODE, "amount", "款级（5 位）经济分类科目编码，加引号"),)),
    Field(FUND_ECON, "block", "政府性基金、国有资本经营预算财政拨款支出按款级经济分类", (
        "四川版式附表：政府性基金、国有资本经营预算财政拨款支出按款级经济分类，"
        "一行一个科目（编码可自行添加）；填了某项资金的任一格，即视为填报了该项资金。"
    ), profiles=_S, imported=("政府性基金、国有资本经营预算财政拨款支出按款级经济分类（四川版式附表）。",),
          fields=tuple(Field(fund, "block", fields=tuple(
              Field(kind, "codes", fields=(Field(CODE, "amount", "款级（5 位）经济分类科目编码，加引号"),))
              for kind in FUND_KINDS)) for fund in OTHER_FUNDS)),
    Field(VEHICLES, "block", "说明七：本年购置（辆、金额）和年末保有的公务用车", profiles=_S,
          imported=("公务用车明细（四川版式说明七）：本年购置（辆、金额）和年末保有的公务用车。",), fields=(
        Field("购置", "block", "本年购置，按车型", fields=tuple(Field(car, "block", fields=(
            Field("辆", "count", sheet="四川版式说明七：本年购置的公务用车（辆）", unit="辆"),
            Field("金额", "amount", sheet="本年购置的金额"),
        )) for car in CAR_TYPES)),
        _block("保有", CAR_TYPES, "count", "年末保有，按车型", sheet="年末保有的公务用车（辆）", unit="辆"),
    )),
    Field(ORGANISATION, "block", "下属单位按类型的个数", profiles=_S,
          imported=("机构设置（四川版式）：下属单位按类型的个数。",),
          fields=_leaves(ORG_KINDS, "count", sheet="四川版式：下属单位中该类单位的个数", unit="个")),
    Field(PERF_MANAGEMENT, "block", "说明十（四）：各环节的项目，整体自评得分和综述", profiles=_S,
          imported=("预算绩效管理情况（四川版式说明十（四））：各环节的项目，整体自评得分和综述。",), fields=(
        *_leaves(PERF_LISTS, "list", "项目名称列表", sheet=(
            "四川版式说明十（四）：项目名称一行一个（单元格内换行）；没有项目填“无”；空着则取全部绩效项目"
        )),
        Field("整体自评得分", "score", sheet="空着时由绩效指标表中整体的得分推算", unit="分"),
        Field("自评综述", "text"),
    )),
    Field(TERMS, "codes", "本单位对项级科目的解释",
          "本单位对项级科目的解释（四川版式第三部分）；解释空着时用科目目录中的解释。",
          profiles=_S, imported=("名词解释：本单位对项级科目的解释；不写的科目用科目目录中的说明。",),
          fields=(Field(CODE, "text", "项级（7 位）功能分类科目编码 → 解释"),)),
    Field(ANNEXES, "records", "第四部分的附件",
          "第四部分的附件（四川版式），一个附件一行：标题和正文（正文可在单元格内换行，一行一段）。",
          profiles=_S, imported=("附件（四川版式第四部分）。",), fields=(
        Field("标题", "text", required=True), Field("正文", "text"),
    )),
)  # fmt: skip

TOP_KEYS = tuple(b.key for b in BLOCKS)
REQUIRED_TOP = tuple(b.key for b in BLOCKS if b.required)


def field(path: str) -> Field:
    """The field at a dotted path: "三公经费.明细", "科目.<编码>.收入"; "" is the whole file."""
    node = Field("", "block", fields=BLOCKS)
    for key in path.split(".") if path else ():
        node = node.get(key)
    return node


def keys(path: str, *, kind: str | None = None) -> tuple[str, ...]:
    """The keys of the block at ``path`` in declared order (only those of ``kind`` when given)."""
    return tuple(f.key for f in field(path).fields if kind is None or f.kind == kind)


def walk(fields: tuple[Field, ...] = BLOCKS, prefix: str = "") -> list[tuple[str, Field]]:
    """Every (path, field) of the schema, depth first in declared order."""
    out = []
    for f in fields:
        path = f"{prefix}.{f.key}" if prefix else f.key
        out.append((path, f))
        out += walk(f.fields, path)
    return out


def find(path: str) -> Field | None:
    """The field a concrete path names ("科目.2010101.收入", "附件[2].标题"), or None when it is not declared."""
    node = Field("", "block", fields=BLOCKS)
    for key in re.sub(r"\[\d+\]", "", path).split(".") if path else ():
        if node.kind == "codes":
            node = node.fields[0]
            continue
        try:
            node = node.get(key)
        except KeyError:
            return None
    return node


def profile_blocks(profile: str) -> tuple[str, ...]:
    """The top-level blocks only ``profile`` prints."""
    return tuple(b.key for b in BLOCKS if b.profiles == (profile,))


# --- docs/INPUT.md ---------------------------------------------------------------------------------------------
KIND_NAMES = {
    "amount": "金额", "count": "整数", "score": "分值", "year": "年份", "unit": "元/万元", "text": "文字",
    "list": "名称列表", "integer": "整数", "block": "块", "codes": "按编码", "records": "列表（每项一段）",
}  # fmt: skip


def _who(f: Field, profiles: tuple[str, ...] = ()) -> str:
    """必填 or 可选, and the layouts that print it (a field of a profile's block is that profile's)."""
    need = "必填" if f.required else "可选"
    profiles = f.profiles or profiles
    return need + ("（" + "、".join(PROFILE_NAMES[p] for p in profiles) + "）" if profiles else "")


GENERATE = (
    "python -c \"from yujuesuan.kinds.juesuan.schema import markdown; print(markdown(), end='')\" > docs/INPUT.md"
)


def markdown() -> str:
    """docs/INPUT.md: every block and field of the input file, as declared here."""
    lines = [
        "# 数据文件的各块（输入格式参考）",
        "",
        "本文件由 `src/yujuesuan/kinds/juesuan/schema.py` 生成（tests/test_schema.py 检查两者一致），请勿手改。"
        "改了 schema.py 后这样重新生成：",
        "",
        "```",
        GENERATE,
        "```",
        "",
        "金额按“单位.金额单位”（元 或 万元）填写；`<编码>` 表示由填写人写出的科目编码（加引号）或名称。",
        "“可选（某版式）”的块和项只有该版式印出，其他版式读入后不用。",
        "",
    ]
    for block in BLOCKS:
        lines += [f"## {block.key}", ""]
        head = [f"{KIND_NAMES[block.kind]}，{_who(block)}。"]
        if text := block.note or block.sheet_note:
            head.append(text if text.endswith("。") else text + "。")
        lines += ["".join(head), ""]
        rows = walk(block.fields, block.key)
        if rows:
            lines += ["| 键 | 类型 | 单位 | 填写 | 说明 |", "|---|---|---|---|---|"]
        inherited = {block.key: block.profiles}
        for path, f in rows:
            inherited[path] = f.profiles or inherited[path.rpartition(".")[0]]
            unit = "金额单位" if f.kind == "amount" else f.unit
            note = (f.note or f.sheet_note).replace("|", "\\|")
            lines.append(f"| `{path}` | {KIND_NAMES[f.kind]} | {unit} | {_who(f, inherited[path])} | {note} |")
        if rows:
            lines.append("")
    return "\n".join(lines)
