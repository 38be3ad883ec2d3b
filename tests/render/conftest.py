"""A small Document that exercises every block type the renderers must lay out."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yujuesuan.compose.document import Cell, Document, Figure, Heading, PageBreak, Paragraph, Table
from yujuesuan.render.charts import bar_chart

UNIT = "武汉市青山区融媒体中心"
RARE = "䶮"  # CJK Ext-A: in Noto CJK SC
RARER = "𠀀"  # CJK Ext-B (U+20000): in no font we ship, must still survive as text
BODY_ROWS = 45


def _amount(n: int) -> str:
    return f"{Decimal(n) * Decimal('10.25'):.2f}"


def expenditure_table() -> Table:
    """公开03-like: two-level header with rowspan and colspan, 45 body rows, notes."""
    header = (
        (
            Cell("项目", colspan=2, align="center", bold=True),
            Cell("本年支出合计", rowspan=2, align="center", bold=True),
            Cell("其中", colspan=2, align="center", bold=True),
        ),
        (
            Cell("科目编码", align="center", bold=True),
            Cell("科目名称", align="center", bold=True),
            Cell("基本支出", align="center", bold=True),
            Cell("项目支出", align="center", bold=True),
        ),
        (
            Cell("栏次", colspan=2, align="center"),
            Cell("1", align="center"),
            Cell("2", align="center"),
            Cell("3", align="center"),
        ),
    )
    body = tuple(
        (
            Cell(str(2010101 + i)),
            Cell(f"行政运行{i}号 <事业> & 运行"),
            Cell(_amount(i + 1), align="right"),
            Cell(_amount(i), align="right"),
            Cell("1.25" if i % 3 else "", align="right"),
        )
        for i in range(BODY_ROWS)
    )
    total = (
        (
            Cell("合计", colspan=2, align="center", bold=True),
            Cell("9,999.99", align="right", bold=True),
            Cell("8,888.88", align="right"),
            Cell("1,111.11", align="right"),
        ),
    )
    return Table(
        id="公开03",
        title="2023 年度支出决算表",
        number="公开 03 表",
        unit_left=f"部门：{UNIT}",
        unit_right="金额单位：万元",
        header=header,
        body=body + total,
        widths=(1.6, 4.0, 1.8, 1.8, 1.8),
        notes=("注：本表反映部门本年度各项支出情况。", "1 栏＝2 栏＋3 栏。"),
    )


def empty_fund_table() -> Table:
    return Table(
        id="公开07",
        title="2023 年度政府性基金预算财政拨款收入支出决算表",
        number="公开 07 表",
        unit_left=f"部门：{UNIT}",
        unit_right="金额单位：万元",
        header=((Cell("项目", align="center"), Cell("本年支出", align="center")),),
        body=((Cell("合计", align="center"), Cell("", align="right")),),
        widths=(3, 1),
        notes=("注：本表反映政府性基金预算财政拨款收入、支出情况。",),
        empty_sentence="本部门当年无政府性基金预算财政拨款收入支出",
    )


def wide_table() -> Table:
    """公开06-like: three column groups side by side, on a landscape page."""
    groups = ("人员经费", "公用经费", "对个人和家庭的补助")
    header = (
        tuple(Cell(g, colspan=3, align="center", bold=True) for g in groups),
        tuple(Cell(t, align="center") for _ in groups for t in ("科目编码", "科目名称", "决算数")),
    )
    body = tuple(
        tuple(
            c
            for g in range(3)
            for c in (Cell(str(301 + g) + f"{i:02d}"), Cell(f"经济科目{g}{i}"), Cell(_amount(i + g), align="right"))
        )
        for i in range(6)
    )
    return Table(
        id="公开06",
        title="2023 年度一般公共预算财政拨款基本支出决算明细表",
        number="公开 06 表",
        unit_left=f"部门：{UNIT}",
        unit_right="金额单位：万元",
        header=header,
        body=body,
        widths=(1, 2.4, 1.2) * 3,
        landscape=True,
    )


def build_sample(draft: bool = False, rarest: bool = True) -> Document:
    """The sample; ``rarest=False`` leaves out 𠀀, which no shipped font can draw."""
    chart = bar_chart(
        "收、支决算总计变动情况",
        ["收入总计", "支出总计"],
        [("2022年度", [Decimal("495.31"), Decimal("495.31")]), ("2023年度", [Decimal("537.12"), Decimal("537.12")])],
        [["495.31", "495.31"], ["537.12", "537.12"]],
    )
    doc = Document(title=f"{UNIT}2023年度部门决算", unit=UNIT, year=2023, draft=draft)
    doc.add(
        Heading(f"第一部分 {UNIT}概况", 1),
        Heading("一、部门主要职能", 2),
        Paragraph(
            "（一）在区委宣传部的领导下，把握正确舆论导向，统一宣传口径，承担组织策划"
            f"新媒体对外宣传交流、城区形象宣传和推广工作。生僻字：{RARE}{RARER if rarest else ''}。"
        ),
        Paragraph("（二）收入 <b>537.12</b> 万元 & 支出 > 0 万元，<script>alert(1)</script>。"),
        Heading("（一）收入支出决算总体情况", 3),
        Paragraph("2023 年度收入总计 537.12 万元，支出总计 537.12 万元。"),
        Figure("图1", "图1：收、支决算总计变动情况", chart),
        PageBreak(),
        Heading("第二部分 2023年度部门决算表", 1),
        expenditure_table(),
        PageBreak(),
        empty_fund_table(),
        PageBreak(),
        wide_table(),
        Heading("第三部分 决算情况说明", 1),
        Paragraph("表后正文回到纵向页面。", style="plain"),
        Paragraph("注：本表金额单位转换时可能存在尾数误差。", style="note"),
    )
    return doc


@pytest.fixture(scope="session")
def sample_doc() -> Document:
    return build_sample()


@pytest.fixture(scope="session")
def draft_doc() -> Document:
    return build_sample(draft=True)


@pytest.fixture(scope="session")
def drawable_doc() -> Document:
    """The sample without 𠀀: a glyph missing from the font makes WeasyPrint write a
    custom CMap that pypdf's text extraction misreads (pdftotext reads it fine)."""
    return build_sample(rarest=False)
