"""The 数据 sheet of a tables-only workbook (the 部门预算): every leaf of the data file, one row each.

Export walks the loaded YAML tree (the model keeps it: BudgetModel.root) and writes 路径 / 值 / 说明.
A path names each step: a key bare (单位.名称) or, when it is a code or holds . [ ] " or spaces,
as a JSON string (科目."2070808".一般公共预算.人员经费); a list item by its 1-based index (项目[1].名称).
A number written plain in the file becomes a number cell whose format keeps its decimals (12.50 → 0.00),
so import gives back the same text; any other scalar is a text cell (textcells quotes a formula-like one).
Import rebuilds the nested YAML from the paths; every problem is located as 数据!B7.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from yujuesuan.errors import Findings, Location
from yujuesuan.input.load import Mapping, Node, Scalar, Sequence
from yujuesuan.workflows.xlsx.textcells import restore
from yujuesuan.workflows.xlsx.yamltext import key as yaml_key
from yujuesuan.workflows.xlsx.yamltext import scalar as yaml_scalar
from yujuesuan.workflows.yamlquote import printable

DATA_SHEET = "数据"
HEADER = ("路径", "值", "说明")
EMPTY_LIST, EMPTY_MAP = "（空列表）", "（空映射）"
# A plain number that a spreadsheet keeps exactly (at most 15 significant digits, no leading zero).
_NUMBER = re.compile(r"-?(0|[1-9]\d{0,11})(\.\d{1,3})?")
_BARE = re.compile(r'[^.\[\]"\s]+')
_INDEX = re.compile(r"\[([1-9]\d{0,5})\]")

Step = str | int  # a mapping key, or a list index from 1


def path_text(steps: list[Step]) -> str:
    out = ""
    for step in steps:
        if isinstance(step, int):
            out += f"[{step}]"
            continue
        bare = _BARE.fullmatch(step) and not step.isdigit()
        out += ("." if out else "") + (step if bare else json.dumps(step, ensure_ascii=False))
    return out


def parse_path(text: str) -> list[Step] | None:
    """The steps of a path as path_text writes it; None when it is not one."""
    steps: list[Step] = []
    pos, want_key = 0, True
    while pos < len(text):
        index = _INDEX.match(text, pos)
        if index and steps:
            steps.append(int(index.group(1)))
            pos = index.end()
        elif want_key and text[pos] == '"':
            try:
                step, pos = json.JSONDecoder().raw_decode(text, pos)
            except ValueError:
                return None
            steps.append(str(step))
        elif want_key and (bare := _BARE.match(text, pos)):
            steps.append(bare.group(0))
            pos = bare.end()
        else:
            return None
        want_key = False
        if pos < len(text) and text[pos] == ".":
            pos, want_key = pos + 1, True
            if pos == len(text):
                return None
        elif pos < len(text) and text[pos] != "[":
            return None
    return steps or None


def leaves(node: Node, steps: list[Step] | None = None) -> list[tuple[list[Step], Node]]:
    steps = steps or []
    if isinstance(node, Mapping) and node.items:
        return [leaf for k, child in node.items.items() for leaf in leaves(child, [*steps, k])]
    if isinstance(node, Sequence) and node.items:
        return [leaf for i, child in enumerate(node.items, 1) for leaf in leaves(child, [*steps, i])]
    return [(steps, node)]


def write_data_sheet(ws: Worksheet, root: Node) -> None:
    for col, title in enumerate(HEADER, 1):
        ws.cell(1, col, title).font = Font(bold=True)
    for row, (steps, node) in enumerate(leaves(root), 2):
        ws.cell(row, 1, path_text(steps))
        last = steps[-1] if steps and isinstance(steps[-1], str) else ""
        value = ws.cell(row, 2)
        if isinstance(node, Sequence):
            ws.cell(row, 3, EMPTY_LIST)
        elif isinstance(node, Mapping):
            ws.cell(row, 3, EMPTY_MAP)
        elif isinstance(node, Scalar) and not node.is_null:
            if not node.quoted and _NUMBER.fullmatch(node.text):
                decimals = len(node.text.partition(".")[2])
                value.value = int(node.text) if not decimals else float(node.text)
                value.number_format = "0." + "0" * decimals if decimals else "0"
            else:
                value.value = node.text
                value.alignment = Alignment(wrap_text="\n" in node.text, vertical="top")
            ws.cell(row, 3, last)
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 16
    ws.freeze_panes = "A2"


def _cell(name: str, coordinate: str) -> Location:
    return Location(f"{name}!{DATA_SHEET}!{coordinate}")


def _number_text(value: int | float, number_format: str) -> str:
    """The text of a number cell, with as many decimals as its format shows (12.5 in 0.00 → 12.50)."""
    d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if d == d.to_integral_value():
        d = d.quantize(Decimal(1))
    decimals = len(number_format.partition(".")[2]) if re.fullmatch(r"0(\.0+)?", number_format) else 0
    if -int(d.as_tuple().exponent) < decimals:
        d = d.quantize(Decimal(1).scaleb(-decimals))
    return format(d, "f")


def read_data_sheet(ws: Any, name: str, found: Findings) -> str:
    """The YAML text of the data file the 数据 sheet lists; errors (located) go to ``found``."""
    tree: dict[Step, Any] = {}
    first: dict[tuple[Step, ...], str] = {}  # each path prefix → the path cell of its first row (to locate a list)
    for row in ws.iter_rows(min_row=2, max_col=3):
        path_cell, value_cell, note_cell = (*row, None, None)[:3]
        raw = path_cell.value if path_cell is not None else None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if value_cell is not None and value_cell.value not in (None, ""):
                found.add("xlsx-path", "这一行有值但没有路径。", _cell(name, path_cell.coordinate))
            continue
        steps = parse_path(restore(str(raw).strip()))
        if steps is None:
            message = f"“{raw}”不是数据路径（如 单位.名称、科目.\"2070808\".一般公共预算.人员经费、项目[1].名称）。"
            found.add("xlsx-path", message, _cell(name, path_cell.coordinate))
            continue
        for n in range(1, len(steps) + 1):
            first.setdefault(tuple(steps[:n]), path_cell.coordinate)
        leaf = _leaf(value_cell, note_cell, name, found)
        if leaf is not None and not _place(tree, steps, leaf):
            found.add("xlsx-path", f"路径“{raw}”与上面的行重复或冲突。", _cell(name, path_cell.coordinate))
    if found.errors:
        return ""
    lists = _lists(tree, [], first, name, found)
    if found.errors or lists is None:
        return ""
    return "\n".join(_emit(lists, 0)) + "\n"


def _leaf(cell: Any, note: Any, name: str, found: Findings) -> tuple[str, str] | None:
    value = cell.value if cell is not None else None
    fmt = str(cell.number_format) if cell is not None else "General"
    if isinstance(value, bool) or (value is not None and not isinstance(value, (str, int, float))):
        found.add("xlsx-value", "值应为数字或文字。", _cell(name, cell.coordinate))
        return None
    if isinstance(value, (int, float)):
        return ("num", _number_text(value, fmt))
    if value is None or value == "":
        marker = restore(str(note.value)) if note is not None and note.value is not None else ""
        return {EMPTY_LIST: ("list", ""), EMPTY_MAP: ("map", "")}.get(marker, ("null", ""))
    text = restore(value)
    if re.fullmatch(r"0(\.0+)?", fmt):  # an amount row (our number format) holding text
        try:
            Decimal(text.strip())
        except InvalidOperation:
            found.add("xlsx-value", f"“{text}”不是数字：这一行是金额，请填数字。", _cell(name, cell.coordinate))
            return None
        if _NUMBER.fullmatch(text.strip()):
            return ("num", text.strip())
    return ("text", text)


def _place(tree: dict[Step, Any], steps: list[Step], leaf: tuple[str, str]) -> bool:
    node = tree
    for step in steps[:-1]:
        child = node.setdefault(step, {})
        if not isinstance(child, dict):
            return False
        node = child
    if steps[-1] in node:
        return False
    node[steps[-1]] = leaf
    return True


def _lists(
    tree: dict[Step, Any], where: list[Step], first: dict[tuple[Step, ...], str], name: str, found: Findings
) -> Any:
    """Mappings whose steps are indices become lists (1, 2, … with none missing); keys and indices never mix."""
    out = {k: _lists(v, [*where, k], first, name, found) if isinstance(v, dict) else v for k, v in tree.items()}
    indices = [k for k in out if isinstance(k, int)]
    if not indices:
        return out
    here = path_text(where)
    if len(indices) < len(out):
        cell = _cell(name, first[tuple([*where, indices[0]])])
        found.add("xlsx-path", f"“{here}”下既有编号 [n] 又有名称：一个列表的各项都写编号。", cell)
        return None
    wrong = [k for i, k in enumerate(sorted(indices), 1) if k != i]
    if wrong:
        cell = _cell(name, first[tuple([*where, wrong[0]])])
        found.add("xlsx-path", f"“{here}[{wrong[0]}]”：列表的编号应从 [1] 起连续，不能跳号。", cell)
        return None
    return [out[i] for i in range(1, len(out) + 1)]


def _value(leaf: tuple[str, str]) -> str:
    kind, text = leaf
    if kind == "text":
        return yaml_scalar(text)
    return {"num": text, "null": "", "list": "[]", "map": "{}"}[kind]


def _block(text: str) -> tuple[str, list[str]] | None:
    """A multi-line text as a literal block (| keeps one final line break, |- none) when its lines allow it."""
    chomp = "" if text.endswith("\n") and not text.endswith("\n\n") else "-"
    lines = (text[:-1] if not chomp else text).split("\n")
    if len(lines) < 2 or not all(line and line == line.strip() and all(map(printable, line)) for line in lines):
        return None
    return f"|{chomp}", lines


def _emit(node: Any, indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    items = node.items() if isinstance(node, dict) else ((None, v) for v in node)
    for k, v in items:
        head = f"{pad}{yaml_key(k)}:" if k is not None else f"{pad}-"
        if isinstance(v, tuple):
            block = _block(v[1]) if v[0] == "text" else None
            if block:
                out += [f"{head} {block[0]}", *[f"{pad}  {line}" for line in block[1]]]
            else:
                out.append(f"{head} {_value(v)}".rstrip())
            continue
        inner = _emit(v, indent + 2)
        if k is None:  # a list item: its first line goes after the dash
            out += [f"{pad}- {inner[0][indent + 2 :]}", *inner[1:]]
        else:
            out += [head, *inner]
    return out
