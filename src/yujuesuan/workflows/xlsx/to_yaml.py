"""Facts read from a workbook → the text of a leaf-only YAML input file, commented like the sample."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from yujuesuan.kinds.juesuan import schema
from yujuesuan.kinds.juesuan.validate_perf import INDICATOR_KEYS, KEY_WORK_COLUMNS
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


# The comment above each block, as schema.py words it for an imported file.
COMMENTS = {block.key: list(block.imported) for block in schema.BLOCKS if block.imported}


def _items(facts: Facts, names: Callable[[str], str]) -> list[str]:
    lines = ["科目:"]
    item = schema.field(f"科目.{schema.CODE}")
    groups = [(f.key, tuple(s.key for s in f.fields)) for f in item.fields if f.kind == "block"]
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
        for name in (f.key for f in item.fields if f.kind != "block"):
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
        for name in (f.key for f in schema.field("绩效.项目").fields if f.kind in schema.LEAF_KINDS):
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
