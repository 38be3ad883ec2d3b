"""Read the fact sheets (layout.py) into plain values: key/value sheets, row sheets, 科目明细.

Headers are found by their names, not by position, so a user may insert rows
above a table or reorder its columns. Labels and texts in merged cells read
the top-left value (a 一级 merged over several indicator rows belongs to each).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from yujuesuan.errors import Location
from yujuesuan.workflows.xlsx import layout
from yujuesuan.workflows.xlsx.sheets import CellReader, Sheet

NUMERIC = ("amount", "count", "score", "year")


@dataclass(frozen=True)
class Value:
    """A cell's value as YAML-ready text: numbers normalized, texts as typed."""

    text: str
    kind: str
    loc: Location


Row = dict[str, Value]


def find_header(reader: CellReader, sheet: Sheet, names: tuple[str, ...], need: int = 2, first: int = 1) -> int | None:
    """The first row (from ``first``) holding at least ``need`` of ``names``."""
    for r in sheet.rows(first):
        labels = {reader.read(sheet, r, c, "info") for c in sheet.columns(r)}
        if len(labels & set(names)) >= min(need, len(names)):
            return r
    return None


def _missing_header(reader: CellReader, sheet: Sheet, names: tuple[str, ...]) -> None:
    reader.findings.add(
        "xlsx-header",
        f"工作表“{sheet.name}”中找不到表头（{'、'.join(names)}）。请保留导出时的表头行。",
        sheet.loc(1, 1),
    )


def read_kv(reader: CellReader, sheet: Sheet, fields: list[layout.Field]) -> dict[tuple[str, ...], Value]:
    """A key/value sheet: 项目 | 明细 | 内容 rows below the header, matched against ``fields``."""
    head = find_header(reader, sheet, ("项目", "内容"))
    if head is None:
        _missing_header(reader, sheet, ("项目", "内容"))
        return {}
    cols = {reader.read(sheet, head, c, "info"): c for c in sheet.columns(head)}
    item_col, sub_col, value_col = cols["项目"], cols.get("明细"), cols["内容"]
    by_key = {f.key: f for f in fields}
    out: dict[tuple[str, ...], Value] = {}
    rows_of: dict[tuple[str, ...], int] = {}
    group = None
    for r in sheet.rows(head + 1):
        label = reader.read(sheet, r, item_col, "text")
        sub = reader.read(sheet, r, sub_col, "text") if sub_col else None
        if label is None and sub is not None:
            label = group  # a group label written once above its 明细 rows
        group = label
        if label is None:
            continue
        key = (label, sub) if sub else (label,)
        f = by_key.get(key) or by_key.get((label, layout.ANY))
        if f is None or (f.key[-1] == layout.ANY and not _class_code(reader, sheet, r, sub_col, sub)):
            if f is None:
                _unknown_key(reader, sheet, r, item_col, key, fields)
            continue
        if key in rows_of:
            reader.findings.add(
                "xlsx-duplicate",
                f"“{'·'.join(key)}”在第 {rows_of[key]} 行和第 {r} 行重复填写，请只留一行。",
                sheet.loc(r, item_col),
            )
            continue
        rows_of[key] = r
        path = f"{sheet.name}.{'.'.join(key)}"
        text = reader.read(sheet, r, value_col, "text" if f.kind == "list" else f.kind, path)
        if text is not None:
            out[key] = Value(text, f.kind, sheet.loc(r, value_col))
    return out


def _class_code(reader: CellReader, sheet: Sheet, r: int, col: int | None, sub: str | None) -> bool:
    if sub is not None and re.fullmatch(r"\d{3}", sub):
        return True
    reader.findings.add(
        "code", f"明细应填类级（3 位）功能分类科目编码，如 201，实际为“{sub or ''}”。", sheet.loc(r, col or 1)
    )
    return False


def _unknown_key(
    reader: CellReader, sheet: Sheet, r: int, col: int, key: tuple[str, ...], fields: list[layout.Field]
) -> None:
    known = ["·".join(f.key) for f in fields]
    close = difflib.get_close_matches("·".join(key), known, n=1, cutoff=0.5)
    hint = f"是否应为“{close[0]}”？" if close else "可填：" + "、".join(known) + "。"
    reader.findings.add("unknown-key", f"工作表“{sheet.name}”中没有“{'·'.join(key)}”这一项。{hint}", sheet.loc(r, col))


def read_rows(
    reader: CellReader, sheet: Sheet, columns: tuple[tuple[str, str], ...], first: int = 1
) -> list[tuple[int, Row]]:
    """A row sheet: one dict per non-blank row below the header, keyed by column name."""
    names = tuple(name for name, _ in columns)
    head = find_header(reader, sheet, names, first=first)
    if head is None:
        _missing_header(reader, sheet, names)
        return []
    kinds = dict(columns)
    where: dict[int, str] = {}
    for c in sheet.columns(head):
        name = reader.read(sheet, head, c, "info")
        if name in kinds:
            where[c] = name
        elif name is not None:
            _ignored_column(reader, sheet, head, c, name)
    cols = {c: (n, kinds[n]) for c, n in where.items()}
    return _data_rows(reader, sheet, head + 1, cols, _headed(sheet, head))


def _ignored_column(reader: CellReader, sheet: Sheet, r: int, c: int, name: str) -> None:
    reader.findings.warn("xlsx-column", f"工作表“{sheet.name}”的列“{name}”不是可导入的列，已忽略。", sheet.loc(r, c))


def _data_rows(
    reader: CellReader, sheet: Sheet, first: int, cols: dict[int, tuple[str, str]], headed: set[int]
) -> list[tuple[int, Row]]:
    stray: dict[int, int] = {}  # column → its first row below the header
    for r, c in sorted(sheet.cells):
        if r >= first and c not in headed:
            stray.setdefault(c, r)
    for c, r in sorted(stray.items()):
        reader.findings.warn(
            "xlsx-column",
            f"工作表“{sheet.name}”第 {sheet.ref(r, c)} 格所在的列没有可导入的表头，该列已忽略。",
            sheet.loc(r, c),
        )
    out = []
    for r in sheet.rows(first):
        row: Row = {}
        for c, (name, kind) in cols.items():
            if kind == "info":
                continue
            text = reader.read(sheet, r, c, kind, f"{sheet.name}.{name}")
            if text is not None:
                row[name] = Value(text, kind, sheet.loc(r, c))
        if row:
            out.append((r, row))
    return out


def read_items(reader: CellReader, sheet: Sheet) -> list[tuple[int, Row]]:
    """科目明细: a one- or two-row header (收入 over 一般公共预算财政拨款 …), then one row per 项."""
    head = find_header(reader, sheet, ("科目编码",), need=1)
    if head is None:
        _missing_header(reader, sheet, ("科目编码",))
        return []
    known = {(f"{g}.{n}" if n else g): kind for g, n, kind in layout.ITEM_COLUMNS}
    subs = {n for _, n, _ in layout.ITEM_COLUMNS if n}
    two_rows = any(reader.read(sheet, head + 1, c, "info") in subs for c in sheet.columns(head + 1))
    cols: dict[int, tuple[str, str]] = {}
    group = None
    for c in sorted(set(sheet.columns(head)) | (set(sheet.columns(head + 1)) if two_rows else set())):
        top = reader.read(sheet, head, c, "info")
        sub = reader.read(sheet, head + 1, c, "info") if two_rows else None
        if top is None and sub is None:
            continue
        name: str | None
        if top is not None:
            group = top
            name = top if sub is None or sub == top else f"{top}.{sub}"
        else:  # a group written once (not merged) over its columns
            name = f"{group}.{sub}" if f"{group}.{sub}" in known else sub
        if name in known:
            cols[c] = (name, known[name])
        elif name is not None:
            _ignored_column(reader, sheet, head, c, name)
    headed = _headed(sheet, head) | (_headed(sheet, head + 1) if two_rows else set())
    return _data_rows(reader, sheet, head + (2 if two_rows else 1), cols, headed)


def _headed(sheet: Sheet, head: int) -> set[int]:
    """The columns with a header cell, merged ones included."""
    return set(sheet.columns(head)) | {c for r, c in sheet.origin if r == head}
