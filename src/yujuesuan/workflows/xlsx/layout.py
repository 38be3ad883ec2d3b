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

from yujuesuan.kinds.juesuan import schema
from yujuesuan.kinds.juesuan.schema import CAR_TYPES, FUND_KINDS, FUNDS, OTHER_FUNDS, fund_key

ANY = "*"  # a 明细 that the user chooses (a 类 code under 说明.类用途 or 上年.一般公共预算类)
NONE = "无"  # a list cell (kind "list") that states an empty list; a blank cell states nothing


@dataclass(frozen=True)
class Field:
    """One key/value row: ``key`` is (项目,) or (项目, 明细); ``kind`` says how to read its 内容."""

    key: tuple[str, ...]
    kind: str  # text, amount, count, score, year, unit, list (names, one per line in the cell)
    note: str = ""


def _group(head: str, subs: tuple[str, ...], kind: str, note: str = "") -> list[Field]:
    return [Field((head, sub), kind, note) for sub in subs]


def _kv_fields(block: str) -> list[Field]:
    """A block's key/value rows, as schema.py declares its fields and their workbook notes.

    A leaf is a row, a block of leaves a row per leaf (明细 names it), a codes field one open row
    (明细 is the code), listed last; lists of records have row sheets of their own.
    """
    rows, open_rows = [], []
    for f in schema.field(block).fields:
        if f.kind in schema.LEAF_KINDS:
            rows.append(Field((f.key,), f.kind, f.sheet_note))
        elif f.kind == "block":
            rows += [Field((f.key, s.key), s.kind, s.sheet_note) for s in f.fields if s.kind in schema.LEAF_KINDS]
        elif f.kind == "codes":
            member = f.fields[0]
            open_rows.append(Field((f.key, ANY), member.kind, member.sheet_note))
    return rows + open_rows


def _vehicle_fields() -> list[Field]:
    """公务用车明细: 购置 is 车型 → {辆, 金额} in the file, two groups of rows in the sheet."""
    bought = schema.field("公务用车明细.购置").fields[0]
    held = schema.field("公务用车明细.保有").fields[0]
    return [
        *_group("购置辆数", CAR_TYPES, "count", bought.get("辆").sheet_note),
        *_group("购置金额", CAR_TYPES, "amount", bought.get("金额").sheet_note),
        *_group("保有", CAR_TYPES, "count", held.sheet_note),
    ]


KV_HEADER = ("项目", "明细", "内容", "说明")
WORKBOOK_NOTE = (
    "本工作簿由 yujuesuan 导出。“公开”开头的各表由程序推算，仅供查看，导入时不读取；"
    "请在其余各表中修改数据（金额按本表的“金额单位”填写），再用 yujuesuan import-xlsx 导入为 YAML 文件。"
)

# The blocks that have a key/value sheet (blocks only some layouts print included: 2024 national 说明十; Sichuan 003).
KV_BLOCKS = (
    "单位", "概况", "结转结余", "三公经费", "上年", "说明", "机关运行经费", "政府采购", "国有资产", "绩效",
    "预算绩效管理", "机构设置", "公务用车明细", "绩效管理情况",
)  # fmt: skip
KV_SHEETS: dict[str, list[Field]] = {
    block: _vehicle_fields() if block == "公务用车明细" else _kv_fields(block) for block in KV_BLOCKS
}

# 科目明细: one row per 项. Column keys are "组.列" under a two-row header, or a single name.
FUND_KEYS = tuple(fund_key(fund) for fund in FUNDS)
_ITEM = schema.field(f"科目.{schema.CODE}")
ITEM_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("科目编码", "", "code"),
    ("科目名称", "", "info"),
    *[
        (f.key, sub.key, sub.kind) if f.kind == "block" else (f.key, "", f.kind)
        for f in _ITEM.fields
        for sub in (f.fields or (f,))
    ],
)


def _columns(path: str) -> tuple[tuple[str, str], ...]:
    """The leaf fields of a list's items, as (column, kind)."""
    return tuple((f.key, f.kind) for f in schema.field(path).fields if f.kind in schema.LEAF_KINDS)


_INDICATOR = schema.field("绩效.项目.指标")
ROW_SHEETS: dict[str, tuple[tuple[str, str], ...]] = {
    "自定义科目": (("编码", "code"), ("名称", "text")),
    "经济分类": (("编码", "code"), ("名称", "info"), ("金额", "amount")),
    "重点工作": (("序号", "info"), *_columns("重点工作.表")),
    "绩效项目": (("序号", "info"), *_columns("绩效.项目")),
    "绩效指标": (("所属", "text"), ("目标", "text"), ("目标分值", "score"), *_columns("绩效.项目.指标")),
    "核对数": (("表", "text"), ("行", "text"), ("列", "text"), ("金额", "amount")),
    "项目支出经济分类": (("编码", "code"), ("名称", "info"), ("金额", "amount")),
    "其他财政拨款经济分类": (
        ("编码", "code"),
        ("名称", "info"),
        *[(f"{fund}{kind}", "amount") for fund in OTHER_FUNDS for kind in FUND_KINDS],
    ),
    "名词解释": (("编码", "code"), ("名称", "info"), ("目录中的解释", "info"), ("解释", "text")),
    "附件": (("序号", "info"), *_columns("附件")),
}
# The block (or list) of the input file each row sheet holds: its workbook note is that field's.
ROW_FIELDS = {
    "自定义科目": "自定义科目", "经济分类": "经济分类", "重点工作": "重点工作", "绩效项目": "绩效.项目",
    "绩效指标": "绩效.项目.指标", "核对数": "核对数", "项目支出经济分类": "项目支出经济分类",
    "其他财政拨款经济分类": "其他财政拨款经济分类", "名词解释": "名词解释", "附件": "附件",
}  # fmt: skip
ROW_NOTES = {sheet: schema.field(path).sheet_note for sheet, path in ROW_FIELDS.items()}
ITEM_NOTE = schema.field("科目").sheet_note
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
