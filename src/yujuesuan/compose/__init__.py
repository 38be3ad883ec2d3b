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

import jinja2

from yujuesuan.compose import perf
from yujuesuan.compose.context import template_context
from yujuesuan.compose.figures import SOURCES
from yujuesuan.compose.tables import BUILDERS
from yujuesuan.compose.tables_sichuan import prepare  # also registers the Sichuan tables and charts
from yujuesuan.derive import Figures
from yujuesuan.document import Block, Document, Figure, Heading, PageBreak, Paragraph, Table
from yujuesuan.errors import UsageError
from yujuesuan.numbers import NumberFormat
from yujuesuan.profiles import Profile
from yujuesuan.template_errors import TemplateProblem

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
    def __init__(self, figures: Figures, profile: Profile, draft: bool) -> None:
        self.f = figures
        self.profile = profile
        self.config = profile.config
        self.fmt = NumberFormat.from_profile(figures.unit, self.config.get("numbers", {}))
        self.env = profile.env(autoescape=False)
        self.env.finalize = _mark  # before any template is compiled: finalize is compiled in
        self.ctx = template_context(figures, self.fmt)
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
            if not structure:
                blocks.append(Paragraph(line))
            elif line.startswith("## "):
                blocks.append(Heading(line[3:].strip(), 3))
            elif line.startswith("# "):
                blocks.append(Heading(line[2:].strip(), 2))
            elif marker and marker.group(1).startswith("图"):
                blocks.extend(self.figure(marker.group(1)))
            elif marker:
                blocks.extend(self.special_table(marker.group(1)[2:].strip()))
            else:
                blocks.append(Paragraph(line))
        return blocks

    def table(self, table_id: str) -> list[Block]:
        spec = self.config["tables"][table_id]
        header, body, widths = BUILDERS[table_id](self.f, self.fmt)
        empty = self.f.tables[table_id].empty and bool(spec.get("empty_sentence"))
        return [
            Table(
                id=f"公开{table_id}", title=self.text(spec["title"]), number=spec.get("number", ""),
                unit_left=f"部门：{self.f.model.name}", unit_right="金额单位：万元", header=header, body=body,
                widths=widths, notes=tuple(self.text(n) for n in spec.get("notes", [])),
                empty_sentence=self.text(spec["empty_sentence"]) if empty else "",
                landscape=bool(spec.get("landscape", False)), font_size_pt=float(spec.get("font_size", 9)),
            )
        ]  # fmt: skip

    def figure(self, name: str) -> list[Block]:
        spec = self.config.get("figures", {}).get(name)
        if spec is None:
            known = "、".join(self.config.get("figures", {})) or "无"
            raise UsageError(f"模板中的图“{name}”在 profile.yaml 的 figures 中没有定义。可用：{known}。")
        title = self.text(spec["title"])
        png = SOURCES[spec["data"]](self.f, self.fmt, title)
        caption = f"{name}：{title}"
        if png is None:
            return [Paragraph(f"（{caption}：本年无数据，不列图。）", "caption")]
        return [Figure(name, caption, png, float(spec.get("width_cm", 14)))]

    def special_table(self, name: str) -> list[Block]:
        unit = self.f.model.name
        perf_facts = self.f.facts["绩效"]
        notes = tuple(self.config.get("performance_notes", []))
        widths = perf.WIDTHS
        if name == "重点工作":
            header, body = perf.key_work_table(self.f.model.key_work_rows)
            return [Table("重点工作", "", header=header, body=body, widths=(0.6, 2.0, 3.0, 3.6))] if body else []
        if name == "整体绩效":
            title = f"{self.f.model.year} 年度{unit}部门整体绩效自评表"
            body = perf.overall_table(self.fmt, unit, perf_facts["整体"])
            return [Table("绩效-整体", title, unit_left=f"部门名称：{unit}", body=body, widths=widths, notes=notes)]
        match = re.fullmatch(r"项目绩效(\d+)", name)
        if match:
            number, projects = int(match.group(1)), perf_facts["项目"]
            if not 1 <= number <= len(projects):
                raise UsageError(f"模板中的表“{name}”不存在：绩效中有 {len(projects)} 个项目（项目绩效1 起编号）。")
            p = projects[number - 1]
            title = f"{self.f.model.year} 年度{p['名称']}项目自评表"
            body = perf.project_table(self.fmt, unit, p)
            return [Table(f"绩效-项目{match.group(1)}", title, unit_left=f"部门名称：{unit}", body=body, widths=widths,
                          notes=notes)]  # fmt: skip
        raise UsageError(f"模板中的表“{name}”不存在。可用：重点工作、整体绩效、项目绩效N。")

    def build(self) -> Document:
        for entry in self.config["outline"]:
            kind, value = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
            if kind == "heading":
                self.doc.add(Heading(self.text(value), 1))
            elif kind == "section":
                self.doc.add(*self.section(value))
            elif kind == "table":
                self.doc.add(*self.table(str(value)))
            elif kind == "page_break":
                self.doc.add(PageBreak())
            else:
                raise UsageError(f"profile.yaml 的 outline 中有不认识的条目“{kind}”。")
        return self.doc


def compose(figures: Figures, profile: Profile, draft: bool = False) -> Document:
    """Build the whole document in the profile's order."""
    prepare(figures, profile)  # the figures a profile requires beyond the nine tables (sichuan)
    return Composer(figures, profile, draft).build()


__all__ = ["compose"]
