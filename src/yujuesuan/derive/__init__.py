"""Derive: the input Model → every figure the document states (tables and narrative)."""

from __future__ import annotations

from dataclasses import dataclass

from yujuesuan.catalog import Catalog
from yujuesuan.derive.declared import apply_declared
from yujuesuan.derive.declared_facts import apply_declared_facts
from yujuesuan.derive.facts import Facts
from yujuesuan.derive.narrative import narrative
from yujuesuan.derive.tables import DTable, Row, build_tables
from yujuesuan.errors import Findings
from yujuesuan.model import Model

__all__ = ["DTable", "Facts", "Figures", "Row", "derive"]


@dataclass
class Figures:
    """The derived model: the one source of every figure in tables, sentences and charts."""

    model: Model
    catalog: Catalog
    tables: dict[str, DTable]
    facts: Facts  # typed group by group in derive/facts.py

    @property
    def unit(self) -> str:
        return self.model.unit


def derive(model: Model, catalog: Catalog, findings: Findings) -> Figures:
    """Build the nine tables, apply declared totals, then derive the narrative figures."""
    tables = build_tables(model, catalog)
    # Declared totals replace derived ones before the narrative reads the tables,
    # so that a sentence states the same figure as its table.
    apply_declared(model, tables, findings)
    facts = narrative(model, catalog, tables)
    apply_declared_facts(model, facts, findings)  # 核对数.说明: totals only the narrative states
    return Figures(model, catalog, tables, facts)
