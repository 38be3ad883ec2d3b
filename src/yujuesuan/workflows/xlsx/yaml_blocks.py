"""YAML lines for the blocks of the input file: one entry, a key/value block, a coded list, and the
blocks whose shape differs from their sheet's (公务用车明细, 其他财政拨款经济分类, 附件).

Values arrive as read_sheets.Value (text already normalized by kind); to_yaml.render puts the blocks in order.
"""

from __future__ import annotations

from collections.abc import Callable

from yujuesuan.kinds.juesuan.validate_extra import ANNEXES, CAR_TYPES, FUND_ECON, FUND_KINDS, OTHER_FUNDS, VEHICLES
from yujuesuan.workflows.xlsx import layout
from yujuesuan.workflows.xlsx.read_sheets import NUMERIC, Row, Value
from yujuesuan.workflows.xlsx.yamltext import comment, flow_map, key, scalar, text_entry

KV = dict[tuple[str, ...], Value]


def value(v: Value, flow: bool = False) -> str:
    return v.text if v.kind in NUMERIC else scalar(v.text, flow)


def entry(indent: int, name: str, v: Value, note: str = "") -> list[str]:
    """``name: value``: a number, a text (a literal block when it has lines), or a list of names."""
    if v.kind in NUMERIC:
        return [" " * indent + f"{key(name)}: {v.text}{comment(note)}"]
    if v.kind == "list":
        return _names(indent, name, v.text)
    return text_entry(indent, name, v.text, note)


def _names(indent: int, name: str, text: str) -> list[str]:
    """A list cell (a name per line, or 无 for none) as a YAML sequence."""
    pad = " " * indent
    names = [] if text.strip() == layout.NONE else [n.strip() for n in text.split("\n") if n.strip()]
    if not names:
        return [f"{pad}{key(name)}: []"]
    return [f"{pad}{key(name)}:", *[f"{pad}  - {scalar(n)}" for n in names]]


def kv_block(top: str, fields: list[layout.Field], values: KV, indent: int = 0) -> list[str]:
    """A block from a key/value sheet: one entry per field, nested fields grouped under their head."""
    lines: list[str] = []
    pad = " " * (indent + 2)
    heads = list(dict.fromkeys(f.key[0] for f in fields))
    for head in heads:
        if (head,) in values:
            lines += entry(indent + 2, head, values[(head,)])
        subs = [(k[1], v) for k, v in values.items() if len(k) == 2 and k[0] == head]
        if not subs:
            continue
        if all(v.kind in NUMERIC for _, v in subs) and len(subs) <= 4:
            lines.append(f"{pad}{key(head)}: {flow_map([(k, value(v, True)) for k, v in subs])}")
        else:
            lines.append(f"{pad}{key(head)}:")
            for k, v in subs:
                lines += entry(indent + 4, k, v)
    return [f"{top}:", *lines] if lines and top else lines


def rows_block(top: str, rows: list[Row], code: str, column: str, names: Callable[[str], str] | None) -> list[str]:
    """``top: {code: value, …}`` from the rows that fill both columns (a listed code left blank is skipped)."""
    lines = [f"{top}:"]
    for row in rows:
        if code in row and column in row:
            note = names(row[code].text) if names else ""
            lines += entry(2, row[code].text, row[column], note)
    return lines if len(lines) > 1 else []


def vehicles(kv: KV) -> list[str]:
    """公务用车明细: 购置 as {辆, 金额} per 车型 (two rows of the sheet each), 保有 as counts."""
    lines = []
    bought = [car for car in CAR_TYPES if ("购置辆数", car) in kv or ("购置金额", car) in kv]
    if bought:
        lines.append("  购置:")
    for car in bought:
        cells = (("辆", ("购置辆数", car)), ("金额", ("购置金额", car)))
        pairs = [(k, kv[cell].text) for k, cell in cells if cell in kv]
        lines.append(f"    {key(car)}: {flow_map(pairs)}")
    held = [(car, kv[("保有", car)].text) for car in CAR_TYPES if ("保有", car) in kv]
    if held:
        lines.append(f"  保有: {flow_map(held)}")
    return [f"{VEHICLES}:", *lines] if lines else []


def fund_econ(rows: list[Row], names: Callable[[str], str]) -> list[str]:
    """其他财政拨款经济分类: one column per fund and kind in the sheet → fund → kind → code → amount."""
    lines = []
    for fund in OTHER_FUNDS:
        kinds = {
            kind: [(row["编码"].text, row[f"{fund}{kind}"]) for row in rows if "编码" in row and f"{fund}{kind}" in row]
            for kind in FUND_KINDS
        }
        if not any(kinds.values()):
            continue
        lines.append(f"  {key(fund)}:")
        for kind, pairs in kinds.items():
            if pairs:
                lines.append(f"    {key(kind)}:")
                for code, amount in pairs:
                    lines += entry(6, code, amount, names(code))
    return [f"{FUND_ECON}:", *lines] if lines else []


def annexes(rows: list[Row]) -> list[str]:
    """附件: a list item per row, 标题 and 正文."""
    lines = []
    for row in rows:
        item: list[str] = []
        for name in ("标题", "正文"):
            if name in row:
                item += entry(4, name, row[name])
        if item:
            item[0] = "  - " + item[0][4:]
            lines += item
    return [f"{ANNEXES}:", *lines] if lines else []
