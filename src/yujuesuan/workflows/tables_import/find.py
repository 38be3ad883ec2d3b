"""Find the nine tables by their titles, their header rows, and each column by its header text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from yujuesuan.workflows.tables_import.grid import Grid

# Title text → table id; the first match wins, so longer titles come first.
TITLES: tuple[tuple[str, str], ...] = (
    ("财政拨款收入支出决算总表", "04"),
    ("收入支出决算总表", "01"),
    ("一般公共预算财政拨款基本支出决算", "06"),
    ("一般公共预算财政拨款支出决算", "05"),
    ("政府性基金预算财政拨款", "07"),
    ("国有资本经营预算财政拨款", "08"),
    ("三公", "09"),
    ("收入决算表", "02"),
    ("支出决算表", "03"),
)
NAMES = {
    "01": "收入支出决算总表", "02": "收入决算表", "03": "支出决算表", "04": "财政拨款收入支出决算总表",
    "05": "一般公共预算财政拨款支出决算表", "06": "一般公共预算财政拨款基本支出决算明细表",
    "07": "政府性基金预算财政拨款收入支出决算表", "08": "国有资本经营预算财政拨款支出决算表",
    "09": "财政拨款“三公”经费支出决算表",
}  # fmt: skip
TITLE_ROWS = 6  # a title is within the first rows
_YEAR = re.compile(r"(20\d\d)\s*年")


@dataclass
class Found:
    id: str
    grid: Grid
    title_row: int
    year: int | None = None
    unit: str = ""
    unit_cell: tuple[int, int] = (1, 1)
    unit_name: str = ""  # 部门：… / 单位：…
    header: list[int] = field(default_factory=list)  # header rows
    first: int = 0  # first body row


def table_of(grid: Grid) -> Found | None:
    for r in grid.rows()[:TITLE_ROWS]:
        for c in range(1, grid.width() + 1):
            text = grid.text(r, c, fill=False)
            if len(text) > 40 or (not text.endswith(("表", "表）")) and "决算" not in text):
                continue  # a title is short; a long text (a note, an explanation) is not one
            for key, tid in TITLES:
                if key in text:
                    found = Found(tid, grid, r)
                    m = _YEAR.search(text)
                    found.year = int(m.group(1)) if m else None
                    return found
    return None


def read_top(found: Found, header_words: tuple[str, ...]) -> bool:
    """Unit line and header rows: the rows after the title, up to the first body row."""
    grid = found.grid
    rows = [r for r in grid.rows() if r > found.title_row]
    for r in rows:
        texts = [grid.text(r, c) for c in range(1, grid.width() + 1)]
        joined = "".join(texts)
        if "单位" in joined and ("元" in joined) and not found.header:
            for c, t in enumerate(texts, 1):
                if "单位" in t and "元" in t:
                    found.unit = "万元" if "万元" in t else "元"
                    found.unit_cell = (r, c)
                elif t.startswith(("部门：", "单位：", "部门:", "单位:")) and not found.unit_name:
                    found.unit_name = t.split("：" if "：" in t else ":", 1)[1]
            continue
        if not found.header and not any(w in joined for w in header_words):
            continue  # 公开 NN 表, a blank line
        if is_body(texts):
            found.first = r
            return True
        found.header.append(r)
    return False


def is_body(texts: list[str]) -> bool:
    first = next((t for t in texts if t), "")
    return first in ("合计", "总计") or bool(re.fullmatch(r"\d{3,7}", first)) or first.startswith(("一、", "1、"))


def column_heads(found: Found) -> dict[int, list[str]]:
    """Column → its header texts top to bottom (merged cells repeated), without 栏次 digits."""
    grid = found.grid
    heads: dict[int, list[str]] = {}
    for c in range(1, grid.width() + 1):
        parts: list[str] = []
        for r in found.header:
            t = grid.text(r, c)
            if t and not t.isdigit() and t != "栏次" and (not parts or parts[-1] != t):
                parts.append(t)
        heads[c] = parts
    return heads
