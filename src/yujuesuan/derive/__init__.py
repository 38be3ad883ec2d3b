"""Derive: the shared values of every kind's derivations (rows and tables, changes and shares, 尾数 tolerance).

``Figures`` is the derived model a kind hands to compose: the one source of every
figure in tables, sentences and charts. Each kind derives its own (kinds/<kind>/derive).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from yujuesuan.catalog import Catalog
from yujuesuan.derive.rows import DTable, Row

if TYPE_CHECKING:
    from yujuesuan.kinds.juesuan.derive.facts import Facts
    from yujuesuan.kinds.juesuan.model import Model

__all__ = ["DTable", "Figures", "Row"]


@dataclass
class Figures:
    """The derived model: the one source of every figure in tables, sentences and charts."""

    model: Model
    catalog: Catalog
    tables: dict[str, DTable]
    facts: Facts  # typed group by group in kinds/juesuan/derive/facts.py
    # the profile codes already run on these figures (kinds/juesuan/profiles), each with the facts
    # it found missing: a code runs once, whether the check or composing asks first
    codes: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def unit(self) -> str:
        return self.model.unit
