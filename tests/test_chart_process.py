"""A single build draws its charts in a helper process (render/chart_process.py): the same PNGs, the same errors."""

from __future__ import annotations

import multiprocessing
from decimal import Decimal
from pathlib import Path

import pytest

import yujuesuan
from yujuesuan.api import Checked
from yujuesuan.compose.document import Document, Figure
from yujuesuan.render.chart_process import PENDING, ChartProcess, draw, drawn_by

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "qingshan-2023.yaml"
PANZHIHUA = ROOT / "sample_data" / "panzhihua-dongqu-2023.yaml"


def pngs(document: Document | None) -> list[bytes]:
    assert document is not None
    return [b.png for b in document.blocks if isinstance(b, Figure)]


@pytest.mark.parametrize("sample", [SAMPLE, PANZHIHUA], ids=["wuhan", "sichuan"])
def test_the_helper_draws_the_same_pngs(sample: Path) -> None:
    here = yujuesuan.check(sample.read_bytes(), name=sample.name)
    with ChartProcess() as helper, drawn_by(helper):
        there = yujuesuan.check(sample.read_bytes(), name=sample.name)
    assert there.document is not None
    pending = pngs(there.document)
    assert pending and all(p.startswith(PENDING) for p in pending)  # stand-ins until resolved
    resolved = helper.resolve(there.document)
    assert pngs(resolved) == pngs(here.document)
    assert all(p.startswith(b"\x89PNG\r\n\x1a\n") and not p.startswith(PENDING) for p in pngs(resolved))
    assert [p for p in multiprocessing.active_children() if p.name == "yujuesuan-charts"] == []
    # Rendered from the resolved document: the same files as from one process.
    assert yujuesuan.render(
        Checked(there.name, there.profile, there.findings, there.model, there.figures, resolved),
        ("docx", "html"),
    ) == yujuesuan.render(here, ("docx", "html"))


def test_a_helper_that_died_costs_only_time() -> None:
    here = yujuesuan.check(SAMPLE.read_bytes(), name="q.yaml")
    helper = ChartProcess()
    assert helper._proc is not None
    helper._proc.kill()
    helper._proc.join(timeout=10)
    with drawn_by(helper):
        there = yujuesuan.check(SAMPLE.read_bytes(), name="q.yaml")
    assert there.document is not None
    assert pngs(helper.resolve(there.document)) == pngs(here.document)


def test_a_chart_that_fails_in_the_helper_fails_here_with_its_error() -> None:
    with ChartProcess() as helper, drawn_by(helper):
        token = draw("bar_chart", "图", ["甲", "乙"], [("2023年度", [Decimal(1)])], [["1"]])  # one value, two bars
        assert token is not None and token.startswith(PENDING)
    document = Document("单位2023年度部门决算", "单位", 2023, [Figure("图1", "图1：图", token)])
    with pytest.raises(ValueError):
        helper.resolve(document)


def test_an_empty_pie_is_none_without_asking_the_helper() -> None:
    with ChartProcess() as helper, drawn_by(helper):
        assert draw("pie_chart", "饼", ["甲", "乙"], [Decimal(0), Decimal(0)], None) is None
        assert draw("pie_chart", "饼", ["甲"], [Decimal(-1)], None) is None
        assert helper._asked == []


def test_closing_an_unused_helper_stops_it_at_once() -> None:
    helper = ChartProcess()
    proc = helper._proc
    assert proc is not None and proc.is_alive()
    helper.close()
    assert not proc.is_alive()
    helper.close()
