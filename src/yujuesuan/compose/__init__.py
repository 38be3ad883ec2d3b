"""Compose: (derived figures, profile) → the renderer-neutral Document, part by part.

The profile's ``outline`` lists the blocks in order. Narrative sections are
Jinja templates whose output lines become blocks: ``# `` a heading, ``## `` a
sub-heading, ``[[图1]]`` a chart, ``[[表 X]]`` a table, anything else a paragraph.

Only the template's own text is structure. Every ``{{ … }}`` value goes through ``_mark``
(the environment's finalize), which puts DATA before it and after each of its line breaks, so
a line that starts with a value is always a paragraph: a 主要职能 line reading ``# 标题`` or
``[[图99]]`` stays text, whatever the data file holds. DATA is removed before a block is made.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import jinja2

from yujuesuan.compose import front, grammar
from yujuesuan.compose.document import Block, Document, Figure, Heading, PageBreak, Paragraph, Table
from yujuesuan.compose.numbers import NumberFormat
from yujuesuan.compose.table_layout import Layout, renamed, total_at_bottom, without_column_numbers
from yujuesuan.derive import Figures
from yujuesuan.errors import UsageError
from yujuesuan.kinds import kind_of
from yujuesuan.profiles import Profile
from yujuesuan.profiles.conventions import section_settings, table_settings
from yujuesuan.sandbox.errors import TemplateProblem

MARKER = re.compile(r"^\[\[(图\d+|表 .+)\]\]$")
DATA = "\ue000"  # a private-use character: "a template value starts here"
# Every break str.splitlines() splits on, so that no value can start a line of its own unmarked.
_BREAKS = re.compile(r"(\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029])")


def _mark(value: object) -> str:
    """A ``{{ … }}`` value as it enters the section text: DATA at its start and after each line break."""
    text = value if type(value) is str else str(value)
    if DATA in text:
        text = text.replace(DATA, "")
    if text.isprintable():  # the common case, fast: no line break of any kind
        return DATA + text
    return DATA + _BREAKS.sub(lambda m: m.group(1) + DATA, text)


def _unmark(text: str) -> str:
    return text.replace(DATA, "")


class Composer:
    def __init__(self, figures: Figures, profile: Profile, draft: bool, charts: bool = True) -> None:
        self.f = figures
        self.charts = charts
        self.profile = profile
        self.config = profile.config
        self.fmt = NumberFormat.from_profile(figures.unit, self.config.get("numbers", {}))
        self.kind = kind_of(profile)
        # the figures the tables print may differ from the text's (the 决算's econ_year edition)
        self.figures_for_tables = self.kind.table_figures(figures, self.config)
        self.env = profile.env(autoescape=False)
        self.env.finalize = _mark  # before any template is compiled: finalize is compiled in
        self.sections = section_settings(self.config)
        self.ctx = self.kind.context(figures, self.fmt, self.sections)
        self.env.globals.update(self.ctx["helpers"])
        self.doc = Document(self.text(self.config["title"]), figures.model.name, figures.model.year, draft=draft)

    def text(self, source: str) -> str:
        """Render a short template string from profile.yaml (a title, a note)."""
        try:
            return _unmark(self.env.from_string(str(source)).render(self.ctx)).strip()
        except TemplateProblem as exc:
            raise UsageError(f"profile.yaml 中的模板文字“{source}”有误：{exc.detail}") from exc

    def section(self, name: str) -> list[Block]:
        """Render a narrative template (sandboxed and bounded; its errors arrive as TemplateProblem)."""
        try:
            template = self.env.get_template(str(name))
        except jinja2.TemplateNotFound:
            where = "、".join(str(f) for f in self.profile.folders)
            raise UsageError(f"找不到模板文件 {name}（已查找：{where}）。") from None
        text = template.render(self.ctx)
        blocks: list[Block] = []
        for raw in text.splitlines():
            line = raw.strip()
            structure = not line.startswith(DATA)  # the line starts with the template's own text
            line = _unmark(line).strip()
            if not line:
                continue
            marker = MARKER.match(line) if structure else None
            if not structure:  # text, never a heading or marker; its joints are tidied all the same
                blocks.append(Paragraph(self.fmt.spaced(grammar.tidy(line))))
            elif line.startswith("## "):
                blocks.append(Heading(line[3:].strip(), 3))
            elif line.startswith("# "):
                blocks.append(Heading(line[2:].strip(), 2))
            elif marker and marker.group(1).startswith("图"):
                if self.sections["figures"]:  # sections.figures: false leaves every chart out
                    blocks.extend(self.figure(marker.group(1)))
            elif marker:
                blocks.extend(self.special_table(marker.group(1)[2:].strip()))
            else:
                # The one last pass over the joints of template and free text (compose/grammar.py),
                # then the profile's spacing around figures (numbers.space_around_figures).
                blocks.append(Paragraph(self.fmt.spaced(grammar.tidy(line))))
        return blocks

    def table(self, table_id: str) -> list[Table]:
        if table_id not in (self.config.get("tables") or {}):
            raise UsageError(f"profile.yaml 的 outline 列了表“{table_id}”，但 tables 中没有它的设置。")
        spec = table_settings(self.config, table_id)
        lay = Layout(column_numbers=spec["column_numbers"], code_columns=spec["code_columns"],
                     code_levels=spec["code_levels"], econ_blocks=spec["econ_blocks"],
                     sangong_layout=spec["sangong_layout"])  # fmt: skip
        builder = self.kind.builders_for(self.config)[table_id]  # the kind's tables and the profile code's
        header, body, widths = builder(self.figures_for_tables, self.table_format(spec), lay)
        if not lay.column_numbers:
            header = without_column_numbers(header)
        if spec["total_position"] == "bottom":
            body = total_at_bottom(body)
        header = renamed(header, spec["header_text"])
        empty = self.f.tables[table_id].empty and bool(spec.get("empty_sentence"))
        previous = self.doc.blocks[-1] if self.doc.blocks else None
        return [
            Table(
                id=f"公开{table_id}", title=self.text(spec["title"]), number=spec.get("number", ""),
                unit_left=f"部门：{self.f.model.name}" if spec["dept_line"] else "",
                unit_right=self.text(spec["unit_line"]), header=header, body=body,
                widths=widths, notes=tuple(self.text(n) for n in spec.get("notes", [])),
                empty_sentence=self.text(spec["empty_sentence"]) if empty else "",
                landscape=bool(spec.get("landscape", False)), font_size_pt=float(spec.get("font_size", 9)),
                # a table right under its part heading stays with it; any other starts its page
                page_break_before=spec["new_page"] and not isinstance(previous, (Heading, PageBreak)),
            )
        ]  # fmt: skip

    def table_format(self, spec: dict[str, Any]) -> NumberFormat:
        """The profile's number format with the table's own zero text (one string, or per column group)."""
        zero = spec.get("zero")
        if zero is None:
            return self.fmt
        if isinstance(zero, str):
            return replace(self.fmt, table_zero=zero)
        return replace(self.fmt, zero_columns=tuple(zero.items()))

    def figure(self, name: str) -> list[Block]:
        spec = (self.config.get("figures") or {}).get(name)
        if spec is None:
            known = "、".join(self.config.get("figures") or {}) or "无"
            raise UsageError(f"模板中的图“{name}”在 profile.yaml 的 figures 中没有定义。可用：{known}。")
        title = self.text(spec["title"])
        caption = f"{name}：{title}"
        if not self.charts:
            return [Paragraph(f"[{caption}]", "caption")]
        png = self.kind.charts_for(self.config)[spec["data"]](self.f, self.fmt, title)
        if png is None:
            return [Paragraph(f"（{caption}：本年无数据，不列图。）", "caption")]
        return [Figure(name, caption, png, float(spec.get("width_cm", 14)))]

    def special_table(self, name: str) -> list[Block]:
        """A table a section places with ``[[表 名称]]`` (the kind's: 重点工作, 绩效 tables …)."""
        return self.kind.special_table(self.f, self.fmt, self.config, name)

    def build(self) -> Document:
        for entry in self.config["outline"]:
            # profile_schema checked each entry: page_break, or one of heading/section/table with a text
            kind, value = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
            if kind == "heading":
                self.doc.add(Heading(self.text(str(value)), 1))
            elif kind == "section":
                self.doc.add(*self.section(str(value)))
            elif kind == "table":
                self.doc.add(*self.table(str(value)))
            elif kind == "page_break":
                self.doc.add(PageBreak())
            else:
                raise UsageError(f"profile.yaml 的 outline 中有不认识的条目“{kind}”。")
        self.doc.blocks = self.front_matter(front.anchor_outline(self.doc.blocks))
        return self.doc

    def front_matter(self, blocks: list[Block]) -> list[Block]:
        """The cover and the 目录 the profile asks for, ahead of ``blocks``."""
        head: list[Block] = []
        cover = front.cover(self.config, self.text)
        if cover is not None:
            head.append(cover)
        toc = front.toc_settings(self.config)
        if toc is not None:
            head.append(front.toc(blocks, self.text(toc["title"]), int(toc["levels"])))
        return head + blocks


def compose(figures: Figures, profile: Profile, draft: bool = False, charts: bool = True) -> Document:
    """Build the whole document in the profile's order.

    ``charts=False`` leaves the charts undrawn (a caption line stands in for each): the text of the
    document, for checks of its wording (tests/test_scenarios.py, tests/test_narrative_properties.py).
    """
    kind_of(profile).prepare(figures, profile)  # the profile code's figures, if the check did not add them
    return Composer(figures, profile, draft, charts).build()


__all__ = ["compose"]
