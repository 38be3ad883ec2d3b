"""The convention keys of profile.yaml: their types, checked when a profile loads.

Every district convention is a key (docs/TEMPLATES.md lists each with its
default per built-in profile; tests keep the two in step). ``numbers`` holds
the number conventions, ``table_defaults`` the table conventions every table
inherits, and ``tables.<id>`` may set any table key for one table;
``sections`` holds how the 说明 sections write (numbering, zero items, which
comparisons they state), read by the templates through compose/context.py. A key of
the wrong type stops the build with a Chinese message naming profile.yaml and
the key, instead of a traceback or a silently ignored setting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from yujuesuan.errors import UsageError

Check = Callable[[Any], bool]


def _int(lo: int, hi: int) -> tuple[Check, str]:
    return (lambda v: isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi), f"{lo} 到 {hi} 的整数"


def _choice(*values: Any) -> tuple[Check, str]:
    return (lambda v: v in values and not isinstance(v, bool)), "、".join(str(v) for v in values) + " 之一"


def _str_map(v: Any) -> bool:
    return isinstance(v, dict) and all(isinstance(k, str) and isinstance(x, str) for k, x in v.items())


BOOL: tuple[Check, str] = (lambda v: isinstance(v, bool), "true 或 false")
TEXT: tuple[Check, str] = (lambda v: isinstance(v, str), "文字")
TEXT_OR_NULL: tuple[Check, str] = (lambda v: v is None or isinstance(v, str), "文字或 null")
BOOL_OR_NULL: tuple[Check, str] = (lambda v: v is None or isinstance(v, bool), "true、false 或 null")
TEXTS: tuple[Check, str] = (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), "文字的列表")
NUMBER: tuple[Check, str] = (
    lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 4 <= v <= 20,
    "4 到 20 之间的数",
)
TEXT_MAP: tuple[Check, str] = (_str_map, "“原文: 新文字”的映射")
ZERO: tuple[Check, str] = (lambda v: isinstance(v, str) or _str_map(v), "文字，或“栏: 文字”的映射")
PLACES = _int(0, 6)

NUMBER_KEYS: dict[str, tuple[Check, str]] = {
    "amount_places": PLACES,
    "strip_zeros": BOOL,
    "share_places": PLACES,
    "class_share_places": PLACES,
    "change_places": PLACES,
    "completion_places": PLACES,
    "percent_strip_zeros": BOOL,
    "score_places": PLACES,
    "thousands_in_tables": BOOL,
    "thousands_in_text": BOOL,
    "table_zero": TEXT,
    "text_zero": TEXT_OR_NULL,
    "space_around_figures": BOOL_OR_NULL,
    "flat_wording": TEXT,
    "zero_base_wording": TEXT,
    "zero_budget_wording": TEXT,
}

TABLE_KEYS: dict[str, tuple[Check, str]] = {
    "title": TEXT,
    "number": TEXT,
    "notes": TEXTS,
    "empty_sentence": TEXT,
    "landscape": BOOL,
    "font_size": NUMBER,
    "unit_line": TEXT,
    "dept_line": BOOL,
    "column_numbers": BOOL,
    "code_columns": _choice(1, 3),
    "code_levels": BOOL,
    "total_position": _choice("top", "bottom"),
    "zero": ZERO,
    "new_page": BOOL,
    "econ_blocks": _choice(2, 3),
    "sangong_layout": _choice("grouped", "paired"),
    "header_text": TEXT_MAP,
}

# How items are numbered inside a section ("1." "1、" "（1）" …); the 1 stands for the item's number.
NUMBERING = ("1.", "1、", "1．", "（1）", "(1)", "1)")

SECTION_KEYS: dict[str, tuple[Check, str]] = {
    "item_numbering": _choice(*NUMBERING),
    "subitem_numbering": _choice(*NUMBERING),
    "list_zero_items": BOOL,
    "item_completion": BOOL,
    "total_change": BOOL,
    "total_pair": _choice("总计", "本年合计"),
    "income_expense_change": BOOL,
    "no_sangong_sentence": BOOL,
    "figures": BOOL,
}

# What the sections get when neither the profile nor an overlay says otherwise (wuhan's conventions).
SECTION_FALLBACK: dict[str, Any] = {
    "item_numbering": "1.",
    "subitem_numbering": "（1）",
    "list_zero_items": False,
    "item_completion": True,
    "total_change": True,
    "total_pair": "总计",
    "income_expense_change": True,
    "no_sangong_sentence": True,
    "figures": True,
}

TOP_KEYS: dict[str, tuple[Check, str]] = {
    "classes_year": _int(2000, 2100),
    "econ_year": _int(2000, 2100),
}

# What a table gets when neither table_defaults nor tables.<id> says otherwise.
TABLE_FALLBACK: dict[str, Any] = {
    "unit_line": "金额单位：万元",
    "dept_line": True,
    "column_numbers": True,
    "code_columns": 1,
    "code_levels": False,
    "total_position": "top",
    "new_page": False,
    "econ_blocks": 3,
    "sangong_layout": "grouped",
    "header_text": {},
}


def _check(block: Mapping[str, Any], keys: dict[str, tuple[Check, str]], where: str, strict: bool, source: str) -> None:
    for key, value in block.items():
        spec = keys.get(str(key))
        if spec is None:
            if strict:
                known = "、".join(keys)
                raise UsageError(f"{source}：{where}{key} 不是认识的键。可用的键：{known}。")
            continue
        ok, expected = spec
        if not ok(value):
            raise UsageError(f"{source}：{where}{key} 应是{expected}，现在是 {value!r}。")


def validate(config: Mapping[str, Any], source: str = "profile.yaml") -> None:
    """Refuse a convention key of the wrong type (or an unknown key inside numbers / table_defaults / tables).

    ``source`` names the file in the message (the profile.yaml the layer came from).
    """
    _check(config, TOP_KEYS, "", strict=False, source=source)
    for name, keys in (("numbers", NUMBER_KEYS), ("table_defaults", TABLE_KEYS), ("sections", SECTION_KEYS)):
        block = config.get(name, {})
        if not isinstance(block, dict):
            raise UsageError(f"{source}：{name} 应是若干“键: 值”。")
        _check(block, keys, f"{name}.", strict=True, source=source)
    tables = config.get("tables", {})
    if not isinstance(tables, dict):
        raise UsageError(f"{source}：tables 应是若干“表: 设置”。")
    for table_id, spec in tables.items():
        if not isinstance(spec, dict):
            raise UsageError(f"{source}：tables.{table_id} 应是若干“键: 值”。")
        _check(spec, TABLE_KEYS, f"tables.{table_id}.", strict=True, source=source)


def section_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """How the 说明 sections write: the fallback, then the profile's (and an overlay's) ``sections``."""
    return {**SECTION_FALLBACK, **(config.get("sections") or {})}


def table_settings(config: Mapping[str, Any], table_id: str) -> dict[str, Any]:
    """One table's conventions: the fallback, then table_defaults, then tables.<id>."""
    return {**TABLE_FALLBACK, **(config.get("table_defaults") or {}), **(config.get("tables") or {}).get(table_id, {})}
