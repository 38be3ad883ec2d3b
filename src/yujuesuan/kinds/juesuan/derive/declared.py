"""Declared totals (核对数): figures copied from the 决算 software, checked against derived ones.

With 万元 input, a declared total within 0.005 per leaf summed of the derived
sum is 尾数误差: the declared figure is shown and a warning records it (a 项's
小计 that adds two rounded cells allows 0.01). Beyond that, or with 元 input
(exact to the 分), it is an error.

The same quantity is printed in more than one table (公开03's 合计 is 公开01's
本年支出合计). A total declared in one of them is shown in all of them; two
declarations of the same quantity that differ are a finding naming both.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from yujuesuan.derive.tolerance import fmt
from yujuesuan.errors import Findings
from yujuesuan.kinds.juesuan.derive.declared_facts import is_fact
from yujuesuan.kinds.juesuan.derive.tables import DTable
from yujuesuan.kinds.juesuan.model import FISCAL_SOURCES, INCOME_SOURCES, Model

PER_LEAF = Decimal("0.005")
Cell = tuple[str, str, str]  # table id, row key, column

# Totals printed in two tables. Class rows (01's 类 = 03's 类) are shown alike too,
# but a difference between them is reported by the rules 01-03-类 and 04-05-类.
SAME_TOTALS: tuple[tuple[Cell, Cell], ...] = (
    (("03", "合计", "本年支出合计"), ("01", "本年支出合计", "金额")),
    (("02", "合计", "本年收入合计"), ("01", "本年收入合计", "金额")),
    *(
        (("02", "合计", src), ("01", src if src.endswith("收入") else src + "收入", "金额"))
        for src in INCOME_SOURCES[3:]
    ),
    (("02", "合计", "财政拨款收入"), ("04", "本年收入合计", "金额")),
    *((("04", src, "金额"), ("01", src + "收入", "金额")) for src in FISCAL_SOURCES),
    (("07", "合计", "本年收入"), ("04", "政府性基金预算财政拨款", "金额")),
    (("05", "合计", "小计"), ("04", "本年支出合计", "一般公共预算")),
    (("07", "合计", "小计"), ("04", "本年支出合计", "政府性基金预算")),
    (("08", "合计", "合计"), ("04", "本年支出合计", "国有资本经营预算")),
)
CLASS_COPIES = (("03", "本年支出合计", "01", "金额"), ("05", "小计", "04", "一般公共预算"),
                ("07", "小计", "04", "政府性基金预算"), ("08", "合计", "04", "国有资本经营预算"))  # fmt: skip


def _source(table_id: str, level: int, column: str) -> str:
    """What a declared cell is compared with: its detail, or for a 总表 class row the 分表's figure."""
    if level == 1 and table_id == "01":
        return "公开03表该类本年支出合计"
    if level == 1 and table_id == "04":
        for src, src_col, _, dst_col in CLASS_COPIES[1:]:
            if dst_col == column:
                return f"公开{src}表该类{src_col}"
    return "明细推算数"


def _table_id(name: str) -> str:
    digits = "".join(ch for ch in name if ch.isdigit())
    return digits.zfill(2) if digits else name


def _same_cells(tables: dict[str, DTable]) -> Iterator[tuple[Cell, Cell, bool]]:
    """(source, copy, reported here) for every quantity printed twice."""
    for a, b in SAME_TOTALS:
        yield a, b, True
    for src, src_col, dst, dst_col in CLASS_COPIES:
        for row in tables[src].rows:
            if row.level == 1:
                yield (src, row.key, src_col), (dst, row.key, dst_col), False


def _label(tables: dict[str, DTable], cell: Cell) -> str:
    row = tables[cell[0]].row(cell[1])
    return f"公开{cell[0]}表“{row.label if row else cell[1]}”行“{cell[2]}”"


def apply_declared(model: Model, tables: dict[str, DTable], findings: Findings) -> None:
    applied: dict[Cell, tuple[Decimal, str]] = {}
    for (table_name, row_key, col), declared in model.declared.items():
        if is_fact(table_name):
            continue  # declared_facts.py
        path = f"核对数.{table_name}.{row_key}" + (f".{col}" if col else "")
        loc = model.loc(path)
        table = tables.get(_table_id(table_name))
        row = table.row(row_key) if table else None
        column = col or (table.columns[0] if table else "")
        if table is None or row is None or column not in row.derived:
            findings.add(
                "declared-unknown",
                f"核对数“{table_name} / {row_key}{' / ' + col if col else ''}”不是表中有数的单元格。"
                "请检查表名（如 公开03）、行（如 合计、201）和列（如 基本支出）。",
                loc,
                path,
            )
            continue
        derived = row.derived[column]
        if declared == derived:
            applied[(table.id, row.key, column)] = (declared, path)
            continue
        diff = abs(declared - derived)
        leaves = row.leaves.get(column, 0)
        tolerance = PER_LEAF * max(leaves, 1) if model.unit == "万元" else Decimal(0)
        where = f"公开{table.id}表“{row.label}”行“{column}”"
        source = _source(table.id, row.level, column)
        if diff <= tolerance:
            row.values[column] = declared
            applied[(table.id, row.key, column)] = (declared, path)
            findings.warn(
                "declared-rounding",
                f"{where}填报数 {fmt(declared)} 与{source} {fmt(derived)} 相差 {fmt(diff)}，"
                f"在尾数误差范围（{max(leaves, 1)} 个万元数，{fmt(tolerance)}）内，文档采用填报数。",
                loc,
                path,
            )
        else:
            findings.add(
                "declared-mismatch",
                f"{where}填报数 {fmt(declared)} ≠ {source} {fmt(derived)}（相差 {fmt(diff)}），"
                "超出尾数误差范围。请核对明细或合计。",
                loc,
                path,
            )
    _share(model, tables, applied, findings)


def _share(model: Model, tables: dict[str, DTable], applied: dict[Cell, tuple[Decimal, str]],
           findings: Findings) -> None:  # fmt: skip
    """Show a declared total wherever the same quantity is printed; name two that disagree."""
    for a, b, report in _same_cells(tables):
        if a in applied and b in applied:
            if applied[a][0] != applied[b][0] and report:
                _conflict(model, tables, a, b, findings)
            continue
        have, other = (a, b) if a in applied else (b, a) if b in applied else (None, None)
        if have is None or other is None:
            continue
        row = tables[other[0]].row(other[1])
        if row is not None and other[2] in row.values:
            row.values[other[2]] = applied[have][0]


def _conflict(model: Model, tables: dict[str, DTable], a: Cell, b: Cell, findings: Findings) -> None:
    ra, rb = tables[a[0]].row(a[1]), tables[b[0]].row(b[1])
    assert ra is not None and rb is not None
    va, vb = ra.values[a[2]], rb.values[b[2]]
    diff = abs(va - vb)
    leaves = ra.leaves.get(a[2], 0) + rb.leaves.get(b[2], 0)
    tolerance = PER_LEAF * max(leaves, 1) if model.unit == "万元" else Decimal(0)
    text = (
        f"{_label(tables, a)}的核对数 {fmt(va)} 与{_label(tables, b)}的核对数 {fmt(vb)} 是同一个数，"
        f"却相差 {fmt(diff)}"
    )
    path = "核对数"  # point at the second declaration (the copy)
    for t, r, c in model.declared:
        table = tables.get(_table_id(t))
        if table is not None and (table.id, r, c or table.columns[0]) == b:
            path = f"核对数.{t}.{r}" + (f".{c}" if c else "")
    if diff <= tolerance:
        text = f"（尾数误差）{text}，在尾数误差范围（{fmt(tolerance)}）内。各表照填报数列示。"
        findings.warn("declared-conflict", text, model.loc(path), path)
    else:
        findings.add("declared-conflict", f"{text}，超出尾数误差范围。请核对这两个核对数。", model.loc(path), path)
