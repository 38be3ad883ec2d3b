"""The Reader: typed, located access to YAML nodes, as validate.py and its block readers use it.

Every conversion goes through amounts.py; every problem becomes a Finding at
the node's line and column, and reading goes on so that all problems are
reported at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from decimal import Decimal

from yujuesuan.errors import Findings, Location
from yujuesuan.input import amounts
from yujuesuan.input.load import Mapping, Node, Scalar, Sequence

_SPLIT_NUMBER = re.compile(r"^[0-9]{3}(\.[0-9]+)?[)）]?$")


class Reader:
    """Typed access to located nodes; every problem goes to ``findings``."""

    def __init__(self, source: str, findings: Findings) -> None:
        self.source = source
        self.findings = findings
        self.unit = "万元"
        self.locs: dict[str, Location] = {}

    def error(self, node_or_loc: Node | Location, path: str, message: str, rule: str = "input") -> None:
        loc = node_or_loc if isinstance(node_or_loc, Location) else node_or_loc.loc
        self.findings.add(rule, message, loc, path)

    def mapping(self, node: Node | None, path: str) -> Mapping | None:
        if node is None or (isinstance(node, Scalar) and node.is_null):
            return None
        if not isinstance(node, Mapping):
            self.error(node, path, "这里应是若干“键: 值”（映射），实际不是。请检查缩进。", "type")
            return None
        self.locs[path] = node.loc
        return node

    def sequence(self, node: Node | None, path: str) -> list[Node]:
        if node is None or (isinstance(node, Scalar) and node.is_null):
            return []
        if not isinstance(node, Sequence):
            self.error(node, path, "这里应是一个列表（每项以“- ”开头），实际不是。", "type")
            return []
        self.locs[path] = node.loc
        return node.items

    def keys(self, m: Mapping, path: str, allowed: Iterable[str]) -> None:
        """Refuse keys the schema does not know, with a hint at the likely cause."""
        allowed = tuple(allowed)
        for key, loc in m.key_locs.items():
            if key in allowed:
                self.locs[f"{path}.{key}" if path else key] = m.items[key].loc
                continue
            hidden = amounts.invisible_in(key)
            if key.startswith("\u3000"):
                hint = "行首的缩进用了全角空格，YAML 的缩进只能用半角空格，请改为半角空格。"
            elif hidden:
                hint = f"键名中含有{hidden}，请删去。"
            elif "：" in key:
                hint = "键名后应使用半角冒号“:”并加一个空格。"
            elif _SPLIT_NUMBER.match(key) and isinstance(value := m.items[key], Scalar) and value.is_null:
                # In {基本支出: 1,234.50} the comma separates entries, leaving a key "234.50".
                hint = "这像是被逗号拆开的金额：花括号 { } 中逗号用来分隔各项，金额里请不要写千位分隔符。"
            else:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
                hint = f"是否应为“{close[0]}”？" if close else "可用的键：" + "、".join(allowed) + "。"
            where = f"“{path}”中" if path else "文件顶层"
            self.error(
                loc,
                f"{path}.{key}" if path else key,
                f"{where}没有“{amounts.shown(key)}”这一项。{hint}",
                "unknown-key",
            )

    def scalar(self, m: Mapping | None, key: str, path: str) -> Scalar | None:
        if m is None or key not in m.items:
            return None
        node = m.items[key]
        if isinstance(node, Scalar):
            if node.is_null:
                return None
            return node
        self.error(node, path, "这里应是一个值，实际是列表或映射。", "type")
        return None

    def amount(self, m: Mapping | None, key: str, path: str) -> Decimal:
        node = self.scalar(m, key, path)
        if node is None:
            return Decimal(0)
        return self.amount_of(node, path)

    def amount_of(self, node: Scalar, path: str) -> Decimal:
        self.locs[path] = node.loc
        if node.quoted and not node.text.strip():
            return Decimal(0)
        try:
            value, note = amounts.parse_amount(node.text, self.unit)
        except amounts.AmountError as exc:
            self.error(node, path, str(exc), "amount")
            return Decimal(0)
        if note:
            self.findings.warn("amount-normalized", note + "，请确认。", node.loc, path)
        return value

    def optional_amount(self, m: Mapping | None, key: str, path: str) -> Decimal | None:
        node = self.scalar(m, key, path)
        return None if node is None else self.amount_of(node, path)

    def text(self, m: Mapping | None, key: str, path: str, required: bool = False) -> str:
        node = self.scalar(m, key, path)
        if node is None:
            if required:
                where = m.loc if m is not None else Location(self.source, 1, 1)
                self.error(where, path, f"缺少“{key}”。", "missing")
            return ""
        self.locs[path] = node.loc
        problem = amounts.text_problem(node.text)
        if problem:
            self.error(node, path, problem, "text")
            return ""
        return node.text.strip()

    def count(self, m: Mapping | None, key: str, path: str, what: str = "数量") -> int:
        node = self.scalar(m, key, path)
        if node is None:
            return 0
        value = self.count_of(node, path, what)
        return 0 if value is None else value

    def count_of(self, node: Scalar, path: str, what: str) -> int | None:
        """The count, or None after reporting why the text is not one."""
        self.locs[path] = node.loc
        try:
            value = amounts.parse_count(node.text, what)
        except amounts.AmountError as exc:
            self.error(node, path, str(exc), "count")
            return None
        if not node.text.isascii():
            text = node.text.strip()
            if text.isascii():  # only blanks around it (a trailing full-width space): say that
                shown = "、".join(sorted({f"U+{ord(c):04X}" for c in node.text if not c.isascii()}))
                message = f"已去掉“{text}”前后的全角空格等空白（{shown}）。"
            else:
                message = f"已把全角数字“{text}”读作 {value}，请确认。"
            self.findings.warn("amount-normalized", message, node.loc, path)
        return value

    def score(self, m: Mapping | None, key: str, path: str, required: bool = True) -> Decimal | None:
        node = self.scalar(m, key, path)
        if node is None:
            if required and m is not None:
                self.error(m, path, f"缺少“{key}”。", "missing")
            return None
        self.locs[path] = node.loc
        try:
            return amounts.parse_score(node.text)
        except amounts.AmountError as exc:
            self.error(node, path, str(exc), "score")
            return None

    def amounts_block(self, m: Mapping | None, path: str, allowed: Iterable[str]) -> dict[str, Decimal]:
        allowed = tuple(allowed)
        if m is None:
            return {}
        self.keys(m, path, allowed)
        return {k: self.amount(m, k, f"{path}.{k}") for k in allowed if k in m.items}
