"""The 经济分类 rows of the 基本支出 table (公开06) by edition: the profile key ``econ_year``.

The figures are derived with the catalog of the data's year; a layout may list
another edition's items (the 2024 template adds 31001 房屋建筑物购建, 31019
其他交通工具购置 …). The table is derived again, by the same derive function,
from the same input with that edition's list; a row both editions print keeps
the figure already derived (declared totals applied). The original Figures is
not changed: compose may run many profiles over one derived model.
"""

from __future__ import annotations

from dataclasses import replace

from yujuesuan.catalog import available_years, load_catalog, nearest_year
from yujuesuan.derive import Figures
from yujuesuan.derive.rows import Row, Tables
from yujuesuan.errors import UsageError
from yujuesuan.kinds.juesuan.derive.tables import table06


def with_econ_edition(figures: Figures, year: int | None) -> Figures:
    """``figures`` with table 06 laid out by the ``year`` edition (the same object when no change)."""
    if year is None:
        return figures
    if year < available_years()[0]:
        raise UsageError(f"profile.yaml：econ_year {year} 早于程序所带的经济分类目录（{available_years()[0]} 年起）。")
    edition = load_catalog(nearest_year(year))
    if edition.econ_items == figures.catalog.econ_items and edition.econ_layout == figures.catalog.econ_layout:
        return figures
    catalog = figures.catalog.with_econ(edition)
    old = {row.key: row for row in figures.tables["06"].rows}
    fresh = table06(figures.model, catalog)
    rows: list[Row] = []
    for row in fresh.rows:
        kept = old.get(row.key)
        same = kept is not None and all(kept.derived.get(c) == row.derived.get(c) for c in row.derived)
        rows.append(kept if same and kept is not None else row)
    fresh.rows = rows
    tables = Tables(figures.tables)
    tables["06"] = fresh
    return replace(figures, catalog=catalog, tables=tables)
