"""Facts read from a workbook → the text of a leaf-only YAML input file, commented like the sample."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from yujuesuan.kinds.juesuan.model import FUND_NOTES, FUND_SPENDING, FUNDS, INCOME_SOURCES, SPENDING_TYPES
from yujuesuan.kinds.juesuan.validate_perf import INDICATOR_KEYS, KEY_WORK_COLUMNS, PROJECT_TEXTS
from yujuesuan.workflows.xlsx import layout, yaml_blocks
from yujuesuan.workflows.xlsx.read_sheets import NUMERIC, Row, Value
from yujuesuan.workflows.xlsx.yaml_blocks import KV, entry, kv_block, rows_block
from yujuesuan.workflows.xlsx.yaml_blocks import value as _v
from yujuesuan.workflows.xlsx.yamltext import comment, flow_map, key, scalar, text_entry
from yujuesuan.workflows.yamlquote import one_line


@dataclass
class Goal:
    name: Value
    weight: Value | None
    indicators: list[Row] = field(default_factory=list)


@dataclass
class Facts:
    source: str
    kv: dict[str, KV] = field(default_factory=dict)
    custom: list[Row] = field(default_factory=list)
    items: list[Row] = field(default_factory=list)
    econ: list[Row] = field(default_factory=list)
    project_econ: list[Row] = field(default_factory=list)  # 项目支出经济分类
    fund_econ: list[Row] = field(default_factory=list)  # 其他财政拨款经济分类
    terms: list[Row] = field(default_factory=list)  # 名词解释
    annexes: list[Row] = field(default_factory=list)  # 附件
    key_work_text: Value | None = None
    key_work: list[Row] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    projects: list[tuple[Row, list[Row]]] = field(default_factory=list)
    declared: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


COMMENTS = {
    "科目": [
        "科目：每个有收支的项级（7 位）功能分类科目一段（来自工作表“科目明细”）。",
        "  收入按来源（公开02表），支出按类型（公开03表）；各“…财政拨款支出”为其中由该项资金安排的部分；",
        "  年初预算：该项一般公共预算财政拨款支出的年初预算数；差异原因：决算数与年初预算数不同时的主要原因。",
    ],
    "结转结余": ["结转结余（公开01、04表）。"],
    "经济分类": ["一般公共预算财政拨款基本支出按经济分类（公开06表）：只列有数的款级（5 位）科目。"],
    "三公经费": ["财政拨款“三公”经费（公开09表）。预算数为全年预算数（按规定程序调整后）。"],
    "上年": ["上年决算数，用于说明中的增减变动。"],
    "说明": ["说明中需要人来写的原因和用途（数字由程序填）。"],
    "重点工作": ["第四部分 重点工作完成情况：正文一行一段；表为重点工作完成情况表（序号由程序编排）。"],
    "绩效": ["预算绩效（说明十三和第六部分附件）。项目个数、资金、占比、执行率、得分合计由程序推算。"],
    "核对数": ["核对数：从决算软件抄来的合计数，程序与明细推算数核对（表 → 行 → 列 → 金额）。"],
    "机构设置": ["机构设置（四川版式）：下属单位按类型的个数。"],
    "项目支出经济分类": ["一般公共预算财政拨款项目支出按款级经济分类（四川版式附表）。"],
    "其他财政拨款经济分类": ["政府性基金、国有资本经营预算财政拨款支出按款级经济分类（四川版式附表）。"],
    "公务用车明细": ["公务用车明细（四川版式说明七）：本年购置（辆、金额）和年末保有的公务用车。"],
    "预算绩效管理": ["预算绩效管理（2024 年全国模板说明十）。"],
    "绩效管理情况": ["预算绩效管理情况（四川版式说明十（四））：各环节的项目，整体自评得分和综述。"],
    "名词解释": ["名词解释：本单位对项级科目的解释；不写的科目用科目目录中的说明。"],
    "附件": ["附件（四川版式第四部分）。"],
}


def _items(facts: Facts, names: Callable[[str], str]) -> list[str]:
    lines = ["科目:"]
    groups = [("收入", INCOME_SOURCES), ("支出", SPENDING_TYPES)]
    for fund, k in zip(FUNDS, layout.FUND_KEYS):
        groups.append((k, (*FUND_SPENDING[fund], *(FUND_NOTES if fund != FUNDS[0] else ()))))
    for row in facts.items:
        code = row["科目编码"].text
        lines.append(f"  {scalar(code)}:{comment(names(code))}")
        for group, cols in groups:
            pairs = [(c, row[f"{group}.{c}"]) for c in cols if f"{group}.{c}" in row]
            if pairs and all(v.kind in NUMERIC for _, v in pairs):
                lines.append(f"    {group}: {flow_map([(c, v.text) for c, v in pairs])}")
            elif pairs:  # a 差异原因 among the amounts: one entry a line
                lines.append(f"    {group}:")
                lines += [line for c, v in pairs for line in entry(6, c, v)]
        for name in ("年初预算", "差异原因", "用途"):
            if name in row:
                lines += entry(4, name, row[name])
    return lines


def _indicators(rows: list[Row], indent: int) -> list[str]:
    pad = " " * indent
    lines = [f"{pad}指标:"] if rows else []
    for row in rows:
        lines.append(f"{pad}  - " + flow_map([(k, _v(row[k], True)) for k in INDICATOR_KEYS if k in row]))
    return lines


def _performance(facts: Facts) -> list[str]:
    kv = facts.kv.get("绩效", {})
    fields = layout.KV_SHEETS["绩效"]
    lines = kv_block("", [f for f in fields if f.key[0] != "整体"], kv)
    whole_fields = [layout.Field(f.key[1:], f.kind) for f in fields if f.key[0] == "整体"]
    whole = kv_block("整体", whole_fields, {k[1:]: v for k, v in kv.items() if k[0] == "整体"})
    if facts.goals:
        whole = whole or ["整体:"]
        whole.append("  目标:")
        for goal in facts.goals:
            whole.append(f"    - 名称: {_v(goal.name)}")
            if goal.weight is not None:
                whole.append(f"      分值: {goal.weight.text}")
            whole += _indicators(goal.indicators, 6)
    lines += ["  " + line for line in whole]
    if facts.projects:
        lines.append("  项目:")
    for row, indicators in facts.projects:
        first = True
        for name in ("名称", "科目", "预算数", "执行数", "执行分值", *PROJECT_TEXTS):
            if name in row:
                lines_of = entry(6, name, row[name])
                if first:
                    lines_of[0] = "    - " + lines_of[0][6:]
                    first = False
                lines += lines_of
        lines += _indicators(indicators, 6)
    return ["绩效:", *lines] if lines else []


def _key_work(facts: Facts) -> list[str]:
    lines = text_entry(2, "正文", facts.key_work_text.text) if facts.key_work_text else []
    if facts.key_work:
        lines.append("  表:")
        for row in facts.key_work:
            lines.append("    - " + flow_map([(k, _v(row[k], True)) for k in KEY_WORK_COLUMNS if k in row]))
    return ["重点工作:", *lines] if lines else []


def _declared(facts: Facts) -> list[str]:
    tree: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for row in facts.declared:
        if {"表", "行", "金额"} <= row.keys():
            col = row["列"].text if "列" in row else ""
            tree.setdefault(row["表"].text, {}).setdefault(row["行"].text, []).append((col, row["金额"].text))
    lines = ["核对数:"] if tree else []
    for table, rows in tree.items():
        lines.append(f"  {key(table)}:")
        for row_key, cols in rows.items():
            if len(cols) == 1 and not cols[0][0]:
                lines.append(f"    {key(row_key)}: {cols[0][1]}")
            else:
                lines.append(f"    {key(row_key)}: {flow_map([(c, v) for c, v in cols if c])}")
    return lines


def render(facts: Facts, names: Callable[[str], str]) -> str:
    """The whole input file, blocks in the order of the sample."""
    unit = facts.kv.get("单位", {})
    title = " ".join(v.text for k, v in unit.items() if k in (("名称",), ("年度",)))
    head = [
        f"# {one_line(title)} 年度部门决算 —— yujuesuan 输入文件",  # a name or file name may hold a line break
        f"# 由 Excel 工作簿 {one_line(facts.source)} 导入（yujuesuan import-xlsx）。",
        "#",
        "# 这个文件只填“不能算出来”的事实；所有合计、小计、类和款的数、占比、增减和完成率都由程序推算。",
        "# 金额：按“单位.金额单位”填写，元 或 万元。科目编码加引号；名称由程序从科目目录中查出。",
    ]
    if facts.notes:
        head += ["#", "# 导入时的提示（请逐条核对）："] + [f"#   {one_line(n)}" for n in facts.notes]
    kv = facts.kv.get
    blocks: list[list[str]] = [["格式版本: 1"]]
    blocks += [kv_block(sheet, layout.KV_SHEETS[sheet], kv(sheet, {})) for sheet in ("单位", "概况", "机构设置")]
    blocks.append(rows_block("自定义科目", facts.custom, "编码", "名称", None))
    blocks.append(_items(facts, names))
    blocks.append(kv_block("结转结余", layout.KV_SHEETS["结转结余"], kv("结转结余", {})))
    blocks.append(rows_block("经济分类", facts.econ, "编码", "金额", names))
    blocks.append(rows_block("项目支出经济分类", facts.project_econ, "编码", "金额", names))
    blocks.append(yaml_blocks.fund_econ(facts.fund_econ, names))
    blocks.append(kv_block("三公经费", layout.KV_SHEETS["三公经费"], kv("三公经费", {})))
    blocks.append(yaml_blocks.vehicles(kv("公务用车明细", {})))
    for sheet in ("上年", "说明", "机关运行经费", "政府采购", "国有资产", "预算绩效管理", "绩效管理情况"):
        blocks.append(kv_block(sheet, layout.KV_SHEETS[sheet], kv(sheet, {})))
    blocks += [_key_work(facts), _performance(facts)]
    blocks.append(rows_block("名词解释", facts.terms, "编码", "解释", names))
    blocks += [yaml_blocks.annexes(facts.annexes), _declared(facts)]
    out = [*head, ""]
    for block in blocks:
        if not block:
            continue
        comment = COMMENTS.get(block[0].rstrip(":"), [])
        out += [f"# {c}" for c in comment] + block + [""]
    return "\n".join(out)
