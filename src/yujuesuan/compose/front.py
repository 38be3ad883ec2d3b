"""The front matter a profile asks for (cover, 目录), and the anchors the 目录 and PDF outline point to.

profile.yaml says ``cover: true`` (or a mapping with ``title`` and ``lines``)
and ``toc: true`` (or a mapping with ``title`` and ``levels``). The texts are
template strings, rendered like the other strings of profile.yaml.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from yujuesuan.compose.document import Block, Cover, Heading, Table, Toc, TocEntry
from yujuesuan.errors import UsageError

COVER_DEFAULT = {
    "title": "{{ u.名称 }}\n{{ u.年度 }} 年度部门决算",
    "lines": ["{{ u.名称 }}", "{{ u.年度 + 1 }} 年"],
}
TOC_DEFAULT: dict[str, Any] = {"title": "目录", "levels": 2}


def _settings(config: dict[str, Any], key: str, default: dict[str, Any]) -> dict[str, Any] | None:
    """``key: true`` gives the defaults, ``false`` or absent None, a mapping the defaults overlaid."""
    value = config.get(key, False)
    if value is True:
        return dict(default)
    if value is False or value is None:
        return None
    if isinstance(value, dict) and set(value) <= set(default):
        return {**default, **value}
    names = "、".join(default)
    raise UsageError(f"profile.yaml 的 {key} 应写 true、false，或只含 {names} 的映射：{value!r}")


def cover(config: dict[str, Any], text: Callable[[str], str]) -> Cover | None:
    spec = _settings(config, "cover", COVER_DEFAULT)
    if spec is None:
        return None
    lines = spec["lines"]
    if not isinstance(lines, list):
        raise UsageError(f"profile.yaml 的 cover.lines 应是文字的列表：{lines!r}")
    return Cover(text(spec["title"]), tuple(t for t in (text(str(x)) for x in lines) if t))


def toc_settings(config: dict[str, Any]) -> dict[str, Any] | None:
    spec = _settings(config, "toc", TOC_DEFAULT)
    if spec is not None and spec["levels"] not in (1, 2, 3):
        raise UsageError(f"profile.yaml 的 toc.levels 应是 1、2 或 3：{spec['levels']!r}")
    return spec


def anchor_outline(blocks: list[Block]) -> list[Block]:
    """Give every heading and titled table a bookmark; a table's outline level is one below its heading."""
    out: list[Block] = []
    level = 0
    for block in blocks:
        if isinstance(block, Heading):
            level = block.level
            block = replace(block, anchor=f"_Toc{len(out) + 1:06d}")
        elif isinstance(block, Table) and block.title:
            block = replace(block, anchor=f"_Toc{len(out) + 1:06d}", outline=level + 1)
        out.append(block)
    return out


def toc(blocks: list[Block], title: str, levels: int) -> Toc:
    """The 目录 of ``blocks`` (anchored already): headings and table titles down to ``levels``."""
    entries: list[TocEntry] = []
    for block in blocks:
        if isinstance(block, Heading) and block.level <= levels:
            entries.append(TocEntry(block.level, block.text, block.anchor))
        elif isinstance(block, Table) and 0 < block.outline <= levels:
            entries.append(TocEntry(block.outline, block.title, block.anchor))
    return Toc(title, tuple(entries), levels)
