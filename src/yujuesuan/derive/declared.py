"""Declared totals (核对数): figures copied from the 决算 software, checked against derived ones.

With 万元 input, a declared total within 0.005 per leaf summed of the derived
sum is 尾数误差: the declared figure is shown and a warning records it.
Beyond that, or with 元 input (exact to the 分), it is an error.
"""

from __future__ import annotations

from decimal import Decimal

from yujuesuan.derive.tables import DTable
from yujuesuan.errors import Findings
from yujuesuan.model import Model

PER_LEAF = Decimal("0.005")


def _table_id(name: str) -> str:
    digits = "".join(ch for ch in name if ch.isdigit())
    return digits.zfill(2) if digits else name


def apply_declared(model: Model, tables: dict[str, DTable], findings: Findings) -> None:
    for (table_name, row_key, col), declared in model.declared.items():
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
            continue
        diff = abs(declared - derived)
        tolerance = PER_LEAF * max(row.leaves.get(column, 0), 1) if model.unit == "万元" else Decimal(0)
        where = f"公开{table.id}表“{row.label}”行“{column}”"
        if diff <= tolerance:
            row.values[column] = declared
            findings.warn(
                "declared-rounding",
                f"{where}填报数 {declared} 与明细推算数 {derived} 相差 {diff}，"
                f"在尾数误差范围（{tolerance}）内，文档采用填报数。",
                loc,
                path,
            )
        else:
            findings.add(
                "declared-mismatch",
                f"{where}填报数 {declared} ≠ 明细推算数 {derived}（相差 {diff}），超出尾数误差范围。请核对明细或合计。",
                loc,
                path,
            )
