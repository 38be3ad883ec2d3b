"""Write YAML text for the input file: plain scalars where they are safe, quoted ones otherwise.

The loader reads every scalar as text and the schema converts it, so quoting
never changes a value; it only has to keep the text intact. Plain style is
used where a reader sees the value as written (名称: 武汉市…, 收入: {事业收入: 12.00}).
"""

from __future__ import annotations

import re

from yujuesuan.workflows.yamlquote import one_line, plain_reads_back, quoted
from yujuesuan.workflows.yamlquote import printable as _printable

_SPECIAL_START = set("-?:,[]{}#&*!|>'\"%@` \t")
_FLOW_CHARS = set(",[]{}")
# Texts a reader could take for a number, a date, a boolean or null: quoted for clarity.
_LOOKS_TYPED = re.compile(
    r"^([-+]?[0-9][0-9_,.:%eE+-]*|~|null|true|false|yes|no|on|off|y|n|\.nan|\.inf|[-+]?\.inf)$", re.IGNORECASE
)


def plain_ok(text: str, flow: bool = False) -> bool:
    if not text or text != text.strip() or text[0] in _SPECIAL_START or _LOOKS_TYPED.match(text):
        return False
    if ": " in text or " #" in text or text.endswith(":") or "\n" in text or "\t" in text:
        return False
    if flow and (set(text) & _FLOW_CHARS or ":" in text or "#" in text):
        return False
    return all(_printable(ch) for ch in text) and plain_reads_back(text, flow)


def scalar(text: str, flow: bool = False) -> str:
    return text if plain_ok(text, flow) else quoted(text)


def comment(text: str) -> str:
    """``   # text`` on one line (a name may hold a line break), or nothing for no text."""
    flat = one_line(text)
    return f"   # {flat}" if flat else ""


def key(text: str) -> str:
    return scalar(text, flow=True)


def flow_map(pairs: list[tuple[str, str]]) -> str:
    """{k: v, …} from already formatted values."""
    return "{" + ", ".join(f"{key(k)}: {v}" for k, v in pairs) + "}"


def text_entry(indent: int, name: str, text: str, note: str = "") -> list[str]:
    """``name: text``; a multi-line text as a literal block (|) when its lines allow it."""
    pad = " " * indent
    tail = comment(note)
    lines = text.split("\n")
    if len(lines) > 1 and all(line and line == line.strip() and all(map(_printable, line)) for line in lines):
        return [f"{pad}{key(name)}: |{tail}", *[f"{pad}  {line}" for line in lines]]
    return [f"{pad}{key(name)}: {scalar(text)}{tail}"]
