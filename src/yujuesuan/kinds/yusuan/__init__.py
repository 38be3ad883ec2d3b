"""The 部门预算 kind (yusuan): its schema (model, reader); derivations, tables and rules follow.

The pipeline reaches all of it through ``KIND``; see kinds/__init__.py for the interface.
"""

from __future__ import annotations

from typing import Any

from yujuesuan.derive import Figures
from yujuesuan.errors import Findings
from yujuesuan.kinds import Kind, Needs
from yujuesuan.kinds.yusuan.reader import read_model
from yujuesuan.load import Node


def figures(model: Any, root: Node, needs: Needs, findings: Findings) -> Figures | None:
    # The derivations are not written yet: the reader's findings stand alone.
    return None


KIND = Kind(
    name="yusuan",
    title="部门预算",
    default_profile="wuhan-yusuan",
    read=read_model,
    figures=figures,
    builders={},
    context=lambda figures, fmt: {},
    charts={},
)
