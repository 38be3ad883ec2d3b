"""The renderer-neutral document: what both the DOCX and the HTML/PDF renderers consume.

compose.py builds one Document from the derived figures and the profile; the
renderers never compute a figure or word a sentence, they only lay out blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Heading:
    """A real heading: level 1 = 第N部分, 2 = 一、…, 3 = （一）…"""

    text: str
    level: int
    anchor: str = ""  # set by compose: the bookmark the 目录 and the PDF outline point to


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph. ``style`` names a style the profile defines:
    body (正文, first-line indent), note (表注), caption (图题), title (表名),
    center, right, plain (no indent)."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    align: Align = "left"
    bold: bool = False


@dataclass(frozen=True)
class Table:
    """A table with merged header cells.

    Rows are lists of Cells in HTML fashion: a merged cell sits at its top-left
    position only, and later rows omit the positions it covers. ``widths`` are
    relative column widths (any unit; renderers scale them to the page).
    """

    id: str  # 公开01, 重点工作, 绩效-整体, …
    title: str  # 2023 年度收入支出决算总表
    number: str = ""  # 公开 01 表 (printed right-aligned under the title)
    unit_left: str = ""  # 部门：武汉市青山区融媒体中心
    unit_right: str = ""  # 金额单位：万元
    header: tuple[tuple[Cell, ...], ...] = ()
    body: tuple[tuple[Cell, ...], ...] = ()
    widths: tuple[float, ...] = ()
    notes: tuple[str, ...] = ()
    empty_sentence: str = ""  # 本部门当年无政府性基金预算财政拨款收入支出
    landscape: bool = False
    font_size_pt: float = 9.0
    keep_together: bool = False  # move the whole table to the next page rather than split it, if it fits one
    outline: int = 0  # level of the title in the 目录 and the PDF outline (0: not listed); set by compose
    anchor: str = ""  # the bookmark of the title; set by compose
    page_break_before: bool = False  # the table starts a new page (profile key new_page)

    @property
    def columns(self) -> int:
        if self.widths:
            return len(self.widths)
        rows = self.header or self.body
        return sum(c.colspan for c in rows[0]) if rows else 0


@dataclass(frozen=True)
class Figure:
    """A chart: PNG bytes made by charts.py, with its caption 图N：…"""

    id: str
    caption: str
    png: bytes
    width_cm: float = 14.0


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Cover:
    """The cover page: a title (lines separated by newlines) and lines set lower down (unit, date)."""

    title: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class TocEntry:
    level: int  # 1 = 第N部分, 2 = 一、… or a table
    text: str
    anchor: str  # Heading.anchor or Table.anchor


@dataclass(frozen=True)
class Toc:
    """The 目录: entries up to ``levels`` deep. The DOCX makes it a TOC field Word refreshes."""

    title: str = "目录"
    entries: tuple[TocEntry, ...] = ()
    levels: int = 2


Block = Heading | Paragraph | Table | Figure | PageBreak | Cover | Toc
FRONT = (Cover, Toc)  # front matter: before page 1, without page numbers


@dataclass
class Document:
    title: str  # 武汉市青山区融媒体中心2023年度部门决算
    unit: str
    year: int
    blocks: list[Block] = field(default_factory=list)
    draft: bool = False  # a draft is marked 草稿 on every page

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def text(self) -> str:
        """A plain dump, one line per paragraph or table row: for golden tests and diff."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, Heading):
                lines.append("#" * block.level + " " + block.text)
            elif isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                if block.page_break_before:
                    lines.append("----")
                lines.append(f"[表 {block.id}] {block.title} {block.number}".rstrip())
                if block.unit_left or block.unit_right:
                    lines.append(f"{block.unit_left} {block.unit_right}".strip())
                for row in (*block.header, *block.body):
                    lines.append(" | ".join(c.text.replace("\n", "") for c in row))  # a header's line break
                lines.extend(block.notes)
                if block.empty_sentence:
                    lines.append(block.empty_sentence)
            elif isinstance(block, Figure):
                lines.append(f"[{block.caption}]")
            elif isinstance(block, PageBreak):
                lines.append("----")
            elif isinstance(block, Cover):
                lines.append("[封面] " + " / ".join((block.title.replace("\n", " "), *block.lines)))
            elif isinstance(block, Toc):
                # The entries repeat the headings and table titles below: listing them would show each change twice.
                lines.append(f"[{block.title}]")
        return "\n".join(lines)
