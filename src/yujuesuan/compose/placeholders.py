"""Placeholders: the marks of an unfinished document, found in the data file and in the composed document.

A document that still says 【待更新】 (a text rollover carried over), 【缺少…】
or 【未填报…】 (a fact the file lacks), （单位名称） (the name of a blank
``new`` file), or lacks a required text, is not publishable: ``build`` refuses
it unless ``--draft`` (api.render), and ``check`` lists the same places.

Two sources, each located as well as it can be:
- the data file: every text holding a mark, at its line:column (texts
  sanity.py already reports — 【待更新】 and the blank name or 主要职能 — count
  as placeholders under their own rule and are not reported twice);
- the composed document: marks a template or a profile's derivation printed
  (【缺少预算绩效管理制度名称】). Each is located at the template line that
  spells its words, else named by the part of the document it is in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from yujuesuan.compose.document import Document, Figure, Heading, Paragraph, Table
from yujuesuan.errors import Finding, Location, Severity
from yujuesuan.input.load import Node, scalars

RULE = "placeholder"
MARK = re.compile(r"【(?:待更新|缺少[^】\n]*|未填报[^】\n]*)】|（单位名称）")
# Texts whose absence sanity.check_missing reports, and which the document prints: an empty one is a placeholder.
REQUIRED_TEXTS = frozenset({"单位.名称", "概况.主要职能"})
TEMPLATE_SUFFIXES = (".j2", ".yaml", ".html", ".txt")


def is_placeholder(finding: Finding) -> bool:
    """Whether ``finding`` says the document would print something unfinished."""
    if finding.rule in (RULE, "carried-text"):
        return True
    return finding.rule == "missing-fact" and finding.path in REQUIRED_TEXTS


def in_data(root: Node, findings: Sequence[Finding], source: str | None = None) -> list[Finding]:
    """A finding for each text of the file that holds a mark and is not already reported as a placeholder.

    With the file's ``source`` text, the finding points at the mark itself
    (inside a block of several lines), not at the start of the text.
    """
    known = {f.location for f in findings if is_placeholder(f)}
    out: list[Finding] = []
    for path, node in scalars(root):
        if node.loc in known:
            continue
        marks = _unique(MARK.findall(node.text))
        if marks:
            out.append(
                Finding(
                    RULE,
                    Severity.WARNING,
                    f"文字中还有占位的“{'”“'.join(marks)}”：请改为本年的实际内容。",
                    _at_mark(source, node.loc, marks[0]) if source is not None else node.loc,
                    path,
                )
            )
    return out


def data_marks(root: Node) -> set[str]:
    """Every mark the data file itself holds (the document prints these from the file)."""
    return {m for _, node in scalars(root) for m in MARK.findall(node.text)}


def in_document(doc: Document, from_data: set[str], folders: Sequence[Path], name: str) -> list[Finding]:
    """A finding for each mark the document holds that the data file did not bring (one per distinct mark)."""
    seen: set[str] = set()
    out: list[Finding] = []
    for where, text in _texts(doc):
        for mark in MARK.findall(text):
            if mark in from_data or mark in seen:
                continue
            seen.add(mark)
            location = _template_line(mark, folders) or Location(name)
            out.append(
                Finding(
                    RULE,
                    Severity.WARNING,
                    f"文档中还有占位的“{mark}”（{where}）：请在数据文件中填写这项内容。",
                    location,
                )
            )
    return out


def _at_mark(source: str, loc: Location, mark: str) -> Location:
    """Where ``mark`` first appears in ``source`` at or after ``loc`` (``loc`` itself if it is spelt otherwise)."""
    lines = source.splitlines(keepends=True)
    if not 1 <= loc.line <= len(lines):
        return loc
    start = sum(len(line) for line in lines[: loc.line - 1]) + max(loc.column - 1, 0)
    found = source.find(mark, start)
    if found < 0:
        return loc
    line = source.count("\n", 0, found) + 1
    column = found - (source.rfind("\n", 0, found) + 1) + 1
    return Location(loc.file, line, column)


def _texts(doc: Document) -> Iterator[tuple[str, str]]:
    """Each text of the document with the part it is in (the last heading, or the table)."""
    part = "文档标题"
    yield part, doc.title
    for block in doc.blocks:
        if isinstance(block, Heading):
            part = block.text
            yield part, block.text
        elif isinstance(block, Paragraph):
            yield part, block.text
        elif isinstance(block, Figure):
            yield part, block.caption
        elif isinstance(block, Table):
            where = f"{block.title or block.id}"
            yield where, block.title
            yield where, block.unit_left
            for row in (*block.header, *block.body):
                for cell in row:
                    yield where, cell.text
            for note in (*block.notes, block.empty_sentence):
                yield where, note


def _template_line(mark: str, folders: Sequence[Path]) -> Location | None:
    """The template line that spells the mark's words (a district's file before the built-in one)."""
    words = mark[1:-1]
    for prefix in ("缺少", "未填报"):
        words = words.removeprefix(prefix)
    if not words:
        return None
    seen: set[str] = set()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder).as_posix()
            if relative in seen or not path.is_file() or path.is_symlink() or path.suffix not in TEMPLATE_SUFFIXES:
                continue
            seen.add(relative)
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            for number, line in enumerate(lines, 1):
                column = line.find(words)
                if column >= 0:
                    return Location(f"{folder.name}/{relative}", number, column + 1)
    return None


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
