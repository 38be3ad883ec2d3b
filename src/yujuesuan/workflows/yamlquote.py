"""Scalars and comments for the YAML files we write (new, rollover, import-xlsx), safe for any text.

Every file the project writes must load again, whatever a value holds: a line break, U+2028
(a line break to YAML, not to a person), a " #" that would start a comment, a quote. So a value
is written plain only when :func:`plain_reads_back` proves the loader reads it unchanged, and
otherwise double-quoted with everything unusual escaped; a comment is flattened to one line.
"""

from __future__ import annotations

from functools import lru_cache

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def printable(ch: str) -> bool:
    """A character YAML keeps as written inside a quoted scalar (no break, control, BOM or surrogate)."""
    code = ord(ch)
    return (
        ch in "\n\t"
        or (0x20 <= code < 0x7F)
        or (0xA0 <= code <= 0xD7FF and ch not in "\u2028\u2029")
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or code >= 0x10000
    )


def quoted(text: str) -> str:
    """A double-quoted scalar; anything unusual is escaped, so it reads back as ``text`` exactly."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif printable(ch) and ch != "\n":
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


@lru_cache(maxsize=4096)
def plain_reads_back(text: str, flow: bool = False) -> bool:
    """Does ``text`` written plain (as a block value, or inside a flow mapping) load as the same text?"""
    from yujuesuan.errors import InputError
    from yujuesuan.input.load import Mapping, Scalar, parse_text

    if not text or any(not printable(ch) or ch in "\n\t" for ch in text):
        return False
    source = f"k: {{v: {text}}}\n" if flow else f"k: {text}\n"
    try:
        root = parse_text(source, "-")
    except InputError:
        return False
    node = root.get("k") if isinstance(root, Mapping) else None
    if flow:
        if not isinstance(node, Mapping) or list(node.items) != ["v"]:
            return False
        node = node.get("v")
    return isinstance(node, Scalar) and not node.quoted and node.text == text and not node.is_null


def one_line(text: str) -> str:
    """``text`` for a comment: every run of whitespace or line break (U+2028 too) one space."""
    return " ".join("".join(ch if printable(ch) else " " for ch in text).split())
