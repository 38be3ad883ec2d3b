"""The 部门决算's derivations: the input Model → the nine 公开 tables and every figure of the 说明 and 绩效."""

from __future__ import annotations

from yujuesuan.catalog import Catalog
from yujuesuan.derive import Figures
from yujuesuan.errors import Findings
from yujuesuan.kinds.juesuan.derive.declared import apply_declared
from yujuesuan.kinds.juesuan.derive.declared_facts import apply_declared_facts
from yujuesuan.kinds.juesuan.derive.narrative import narrative
from yujuesuan.kinds.juesuan.derive.tables import build_tables
from yujuesuan.kinds.juesuan.model import Model

__all__ = ["derive"]


def derive(model: Model, catalog: Catalog, findings: Findings) -> Figures:
    """Build the nine tables, apply declared totals, then derive the narrative figures."""
    tables = build_tables(model, catalog)
    # Declared totals replace derived ones before the narrative reads the tables,
    # so that a sentence states the same figure as its table.
    apply_declared(model, tables, findings)
    facts = narrative(model, catalog, tables)
    apply_declared_facts(model, facts, findings)  # 核对数.说明: totals only the narrative states
    return Figures(model, catalog, tables, facts)
