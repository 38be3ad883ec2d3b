"""Facts read from a workbook → the text of a leaf-only YAML input file, commented like the sample."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from yujuesuan.model import FUND_SPENDING, FUNDS, INCOME_SOURCES, SPENDING_TYPES
from yujuesuan.validate_perf import INDICATOR_KEYS, KEY_WORK_COLUMNS, PROJECT_TEXTS
from yujuesuan.xlsx import layout
from yujuesuan.xlsx.read_sheets import NUMERIC, Row, Value
from yujuesuan.xlsx.yamltext import comment, flow_map, key, scalar, text_entry

KV = dict[tuple[str, ...], Value]


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
}


def _v(value: Value, flow: bool = False) -> str:
    return value.text if value.kind in NUMERIC else scalar(value.text, flow)


def _entry(indent: int, name: str, value: Value, note: str = "") -> list[str]:
    if value.kind in NUMERIC:
        return [" " * indent + f"{key(name)}: {value.text}{comment(note)}"]
    return text_entry(indent, name, value.text, note)


def kv_block(top: str, fields: list[layout.Field], values: KV, indent: int = 0) -> list[str]:
    """A block from a key/value sheet: one entry per field, nested fields grouped under their head."""
    lines: list[str] = []
    pad = " " * (indent + 2)
    heads = list(dict.fromkeys(f.key[0] for f in fields))
    for head in heads:
        if (head,) in values:
            lines += _entry(indent + 2, head, values[(head,)])
        subs = [(k[1], v) for k, v in values.items() if len(k) == 2 and k[0] == head]
        if not subs:
            continue
        if all(v.kind in NUMERIC for _, v in subs) and len(subs) <= 4:
            lines.append(f"{pad}{key(head)}: {flow_map([(k, _v(v, True)) for k, v in subs])}")
        else:
            lines.append(f"{pad}{key(head)}:")
            for k, v in subs:
                lines += _entry(indent + 4, k, v)
    return [f"{top}:", *lines] if lines and top else lines


def _items(facts: Facts, names: Callable[[str], str]) -> list[str]:
    lines = ["科目:"]
    groups = [("收入", INCOME_SOURCES), ("支出", SPENDING_TYPES)]
    groups += [(k, FUND_SPENDING[fund]) for fund, k in zip(FUNDS, layout.FUND_KEYS)]
    for row in facts.items:
        code = row["科目编码"].text
        lines.append(f"  {scalar(code)}:{comment(names(code))}")
        for group, cols in groups:
            pairs = [(c, row[f"{group}.{c}"].text) for c in cols if f"{group}.{c}" in row]
            if pairs:
                lines.append(f"    {group}: {flow_map(pairs)}")
        for name in ("年初预算", "差异原因"):
            if name in row:
                lines += _entry(4, name, row[name])
    return lines


def _rows_block(top: str, rows: list[Row], code: str, value: str, names: Callable[[str], str] | None) -> list[str]:
    lines = [f"{top}:"]
    for row in rows:
        if code in row and value in row:
            note = names(row[code].text) if names else ""
            lines += _entry(2, row[code].text, row[value], note)
    return lines if len(lines) > 1 else []


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
                entry = _entry(6, name, row[name])
                if first:
                    entry[0] = "    - " + entry[0][6:]
                    first = False
                lines += entry
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
        f"# {title} 年度部门决算 —— yujuesuan 输入文件",
        f"# 由 Excel 工作簿 {facts.source} 导入（yujuesuan import-xlsx）。",
        "#",
        "# 这个文件只填“不能算出来”的事实；所有合计、小计、类和款的数、占比、增减和完成率都由程序推算。",
        "# 金额：按“单位.金额单位”填写，元 或 万元。科目编码加引号；名称由程序从科目目录中查出。",
    ]
    if facts.notes:
        head += ["#", "# 导入时的提示（请逐条核对）："] + [f"#   {n}" for n in facts.notes]
    blocks: list[list[str]] = [["格式版本: 1"]]
    blocks.append(kv_block("单位", layout.KV_SHEETS["单位"], unit))
    blocks.append(kv_block("概况", layout.KV_SHEETS["概况"], facts.kv.get("概况", {})))
    blocks.append(_rows_block("自定义科目", facts.custom, "编码", "名称", None))
    blocks.append(_items(facts, names))
    for sheet in ("结转结余",):
        blocks.append(kv_block(sheet, layout.KV_SHEETS[sheet], facts.kv.get(sheet, {})))
    blocks.append(_rows_block("经济分类", facts.econ, "编码", "金额", names))
    for sheet in ("三公经费", "上年", "说明", "机关运行经费", "政府采购", "国有资产"):
        blocks.append(kv_block(sheet, layout.KV_SHEETS[sheet], facts.kv.get(sheet, {})))
    blocks += [_key_work(facts), _performance(facts), _declared(facts)]
    out = [*head, ""]
    for block in blocks:
        if not block:
            continue
        comment = COMMENTS.get(block[0].rstrip(":"), [])
        out += [f"# {c}" for c in comment] + block + [""]
    return "\n".join(out)
