"""The fact sheets of the workbook: their names, columns and rows, shared by export and import.

Two layouts. A key/value sheet has the columns 项目 | 明细 | 内容 | 说明, one
row per field (明细 names the sub-field of a nested block, such as the fund
of 年初财政拨款结转和结余). A row sheet has one header row and one row per
entry (a 项, an 经济分类 item, a 重点工作, a project, an indicator, an 附件).
Every block of the input schema has its sheet, whichever profile exports the
workbook; the blocks only some layouts print say so in their notes.
The 公开… sheets are generated for reading and are never imported.
"""

from __future__ import annotations

from dataclasses import dataclass

from yujuesuan.kinds.juesuan.model import (
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
    PROCUREMENT_KEYS,
    REASON_KEYS,
    RESERVED_PROCUREMENT_KEYS,
    SANGONG_COUNTS,
    SANGONG_GROUPS,
    SANGONG_ITEMS,
    SANGONG_TEXTS,
    SPENDING_TYPES,
    VEHICLE_TYPES,
)
from yujuesuan.kinds.juesuan.validate_extra import CAR_TYPES, FUND_KINDS, ORG_KINDS, OTHER_FUNDS, PERF_LISTS
from yujuesuan.kinds.juesuan.validate_perf import INDICATOR_KEYS, KEY_WORK_COLUMNS, PERF_TEXTS, PROJECT_TEXTS

ANY = "*"  # a 明细 that the user chooses (a 类 code under 说明.类用途)
NONE = "无"  # a list cell (kind "list") that states an empty list; a blank cell states nothing
LIST_NOTE = f"四川版式说明十（四）：项目名称一行一个（单元格内换行）；没有项目填“{NONE}”；空着则取全部绩效项目"


@dataclass(frozen=True)
class Field:
    """One key/value row: ``key`` is (项目,) or (项目, 明细); ``kind`` says how to read its 内容."""

    key: tuple[str, ...]
    kind: str  # text, amount, count, score, year, unit, list (names, one per line in the cell)
    note: str = ""


def _group(head: str, subs: tuple[str, ...], kind: str, note: str = "") -> list[Field]:
    return [Field((head, sub), kind, note) for sub in subs]


KV_HEADER = ("项目", "明细", "内容", "说明")
WORKBOOK_NOTE = (
    "本工作簿由 yujuesuan 导出。“公开”开头的各表由程序推算，仅供查看，导入时不读取；"
    "请在其余各表中修改数据（金额按本表的“金额单位”填写），再用 yujuesuan import-xlsx 导入为 YAML 文件。"
)

KV_SHEETS: dict[str, list[Field]] = {
    "单位": [
        Field(("名称",), "text", "单位全称"),
        Field(("年度",), "year", "四位年份，如 2023"),
        Field(("金额单位",), "unit", "元 或 万元：本工作簿各输入表（科目明细、经济分类等）的金额都按此单位填写"),
        Field(("下属单位数",), "count", "纳入部门决算的下属单位个数（不含本级）"),
        Field(("下属单位",), "list", "下属单位名称，一行一个（单元格内换行）；2024 年全国模板的单位构成"),
        Field(("咨询电话",), "text", ""),
        Field(("模板",), "text", "内置模板（版式），如 sichuan；不填为 wuhan"),
    ],
    "概况": [Field(("主要职能",), "text", "可在单元格内换行（Alt+Enter），一行一段")],
    "结转结余": [
        *[Field((k,), "amount", "公开01表；没有就填 0") for k in BALANCE_KEYS],
        *_group("年初财政拨款结转和结余", FUNDS, "amount", "公开04表"),
        *_group("年末财政拨款结转和结余", FUNDS, "amount", "公开04表"),
    ],
    "三公经费": [
        *_group("预算", SANGONG_ITEMS, "amount", "全年预算数（按规定程序调整后）"),
        *_group("决算", SANGONG_ITEMS, "amount", "公开09表决算数"),
        Field(("公务用车保有量",), "count", "截至年末开支财政拨款的公务用车（辆）"),
        Field(("公务用车运行维护费用途",), "text", ""),
        *_group("差异原因", ("合计", *SANGONG_ITEMS), "text", "决算数与预算数不同时的主要原因"),
        *_group("变动原因", SANGONG_GROUPS, "text", "与上年相比增减的原因（2024 年全国模板说明七）"),
        *_group("明细", SANGONG_COUNTS, "count", "说明七（二）的团组、人次、批次"),
        *_group("明细", SANGONG_TEXTS, "text", "说明七（二）"),
        Field(("明细", "外宾接待费"), "amount", "公务接待费中的外宾接待费"),
    ],
    "上年": [
        *[Field((k,), "amount", "上年决算数；空着表示不作比较") for k in PRIOR_KEYS],
        *_group("三公经费", SANGONG_ITEMS, "amount", "上年“三公”经费决算数"),
    ],
    "说明": [
        *[Field((k,), "text", "") for k in REASON_KEYS],
        *_group("收入内容", INCOME_CONTENTS, "text", "2024 年全国模板名词解释：该项收入主要是什么"),
        Field(("类用途", ANY), "text", "明细填类级（3 位）科目编码；内容填“主要是用于……”后的文字"),
    ],
    "机关运行经费": [
        Field(("决算",), "amount"),
        Field(("预算",), "amount"),
        Field(("说明",), "text", "未设机关运行经费时的说明"),
    ],
    "政府采购": [
        *[Field((k,), "amount") for k in PROCUREMENT_KEYS],
        *[Field((k,), "amount", "2024 年全国模板说明十一（二）") for k in RESERVED_PROCUREMENT_KEYS],
    ],
    "国有资产": [
        *_group("车辆", VEHICLE_TYPES, "count", "辆"),
        Field(("单价100万元以上设备",), "count", "台（套）"),
    ],
    "绩效": [
        *[Field((k,), "text", "说明十三") for k in PERF_TEXTS],
        Field(("整体", "预算数"), "amount", "部门整体绩效自评表的预算数（A）"),
        Field(("整体", "执行分值"), "score", "预算执行情况的分值，默认 20"),
        Field(("整体", "偏差原因"), "text"),
        Field(("整体", "改进措施"), "text"),
    ],
    # Blocks that only some layouts print (2024 national 说明十; Sichuan 003).
    "预算绩效管理": [
        *[Field((k,), "text", "2024 年全国模板说明十") for k in PERF_MANAGEMENT_TEXTS],
        *[Field((k,), "count", "个") for k in PERF_MANAGEMENT_COUNTS],
        *[Field((k,), "amount") for k in PERF_MANAGEMENT_AMOUNTS],
    ],
    "机构设置": [Field((k,), "count", "四川版式：下属单位中该类单位的个数") for k in ORG_KINDS],
    "公务用车明细": [
        *_group("购置辆数", CAR_TYPES, "count", "四川版式说明七：本年购置的公务用车（辆）"),
        *_group("购置金额", CAR_TYPES, "amount", "本年购置的金额"),
        *_group("保有", CAR_TYPES, "count", "年末保有的公务用车（辆）"),
    ],
    "绩效管理情况": [
        *[Field((k,), "list", LIST_NOTE) for k in PERF_LISTS],
        Field(("整体自评得分",), "score", "空着时由绩效指标表中整体的得分推算"),
        Field(("自评综述",), "text"),
    ],
}

# 科目明细: one row per 项. Column keys are "组.列" under a two-row header, or a single name.
FUND_KEYS = tuple(f"{fund}财政拨款支出" for fund in FUNDS)
ITEM_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("科目编码", "", "code"),
    ("科目名称", "", "info"),
    *[("收入", s, "amount") for s in INCOME_SOURCES],
    *[("支出", t, "amount") for t in SPENDING_TYPES],
    *[
        (key, col, "text" if col == "差异原因" else "amount")
        for fund, key in zip(FUNDS, FUND_KEYS)
        for col in (*FUND_SPENDING[fund], *(FUND_NOTES if fund != FUNDS[0] else ()))
    ],
    ("年初预算", "", "amount"),
    ("差异原因", "", "text"),
    ("用途", "", "text"),
)

ROW_SHEETS: dict[str, tuple[tuple[str, str], ...]] = {
    "自定义科目": (("编码", "code"), ("名称", "text")),
    "经济分类": (("编码", "code"), ("名称", "info"), ("金额", "amount")),
    "重点工作": (("序号", "info"), *[(k, "text") for k in KEY_WORK_COLUMNS]),
    "绩效项目": (
        ("序号", "info"),
        ("名称", "text"),
        ("科目", "text"),
        ("预算数", "amount"),
        ("执行数", "amount"),
        ("执行分值", "score"),
        *[(k, "text") for k in PROJECT_TEXTS],
    ),
    "绩效指标": (
        ("所属", "text"),
        ("目标", "text"),
        ("目标分值", "score"),
        *[(k, "text") for k in INDICATOR_KEYS[:5]],
        (INDICATOR_KEYS[5], "score"),
    ),
    "核对数": (("表", "text"), ("行", "text"), ("列", "text"), ("金额", "amount")),
    "项目支出经济分类": (("编码", "code"), ("名称", "info"), ("金额", "amount")),
    "其他财政拨款经济分类": (
        ("编码", "code"),
        ("名称", "info"),
        *[(f"{fund}{kind}", "amount") for fund in OTHER_FUNDS for kind in FUND_KINDS],
    ),
    "名词解释": (("编码", "code"), ("名称", "info"), ("目录中的解释", "info"), ("解释", "text")),
    "附件": (("序号", "info"), ("标题", "text"), ("正文", "text")),
}
ROW_NOTES = {
    "自定义科目": "科目目录中没有的本地科目：编码（3、5 或 7 位）和名称。",
    "经济分类": "一般公共预算财政拨款基本支出按经济分类（公开06表）：只填有数的款级科目，名称由程序查出。",
    "重点工作": "重点工作完成情况表，一行一项（序号由程序编排）。",
    "绩效项目": "每个项目一行：说明五（三）、十三（三）和项目绩效自评表。科目填该项目支出所在的项级科目。",
    "绩效指标": "每行一个指标。所属填“整体”或项目名称；整体的指标还要填目标名称和目标分值（同一目标的各行重复填写）。",
    "核对数": "从决算软件抄来的合计数（可选），程序与推算数核对。表如 公开03，行如 合计 或 201，列如 本年支出合计。",
    "项目支出经济分类": "四川版式附表：一般公共预算财政拨款项目支出按款级经济分类，只填有数的科目；"
    "一个也不填时，附表以“【未填报项目支出经济分类】”列出合计。",
    "其他财政拨款经济分类": "四川版式附表：政府性基金、国有资本经营预算财政拨款支出按款级经济分类，"
    "一行一个科目（编码可自行添加）；填了某项资金的任一格，即视为填报了该项资金。",
    "名词解释": "本单位对项级科目的解释（四川版式第三部分）；解释空着时用科目目录中的解释。",
    "附件": "第四部分的附件（四川版式），一个附件一行：标题和正文（正文可在单元格内换行，一行一段）。",
}
ITEM_NOTE = (
    "每个有收支的项级（7 位）功能分类科目一行。收入按来源，支出按类型；各财政拨款支出为其中由该项资金安排的部分；"
    "年初预算为该项一般公共预算财政拨款支出的年初预算数；差异原因写决算数与年初预算数不同的主要原因；"
    "用途写该项主要用于什么（2024 年全国模板）。政府性基金、国有资本经营预算下的年初预算和差异原因同理。"
)
KEY_WORK_TEXT = "正文"  # the key/value row above the 重点工作 table

ITEM_SHEET = "科目明细"
REQUIRED_SHEETS = ("单位", ITEM_SHEET)
FACT_SHEETS = (
    *("单位", "概况", "机构设置", "自定义科目", ITEM_SHEET, "结转结余"),
    *("经济分类", "项目支出经济分类", "其他财政拨款经济分类", "三公经费", "公务用车明细", "上年", "说明"),
    *("机关运行经费", "政府采购", "国有资产", "预算绩效管理", "重点工作", "绩效", "绩效项目", "绩效指标"),
    *("绩效管理情况", "名词解释", "附件", "核对数"),
)
TABLE_PREFIX = "公开"  # 公开01 … 公开09 (or a profile's variants, 公开01无行次 …): never imported
