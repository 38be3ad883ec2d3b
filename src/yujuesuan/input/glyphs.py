"""Warn about characters the bundled CJK fonts cannot draw, at their line and column.

The PDF embeds subsets of the bundled Noto Serif/Sans CJK SC fonts; a
character that neither has (a rare name character in CJK Extension B, say)
would print as a box unless a system font happens to have it. Better to say
so before the document is published than to let a name lose a character.
"""

from __future__ import annotations

from yujuesuan.errors import Findings, Location
from yujuesuan.render.fonts import missing_chars


def check_glyphs(text: str, source: str, findings: Findings) -> None:
    """Add a warning for each character of the input that no bundled font can draw."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#") or line.isascii():
            continue
        missing = (set(missing_chars(line, "serif")) & set(missing_chars(line, "sans"))) - {"\ufffd"}
        for column, char in enumerate(line, 1):
            if char in missing:
                findings.warn(
                    "glyph",
                    f"字符“{char}”（U+{ord(char):04X}）不在内置中文字体中，PDF 中会显示为方框。"
                    "请改用通用字形，或在本机安装含此字的字体（如 fonts-hanazono）后再生成。",
                    Location(source, number, column),
                )
                missing.discard(char)
