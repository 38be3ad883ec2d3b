"""Sentence grammar of the 说明: the joints between template text and free text, in one place.

Staff write reasons, uses and results as free text that may or may not end in
punctuation ("本单位节省了费用。", "车辆维护；", "事业运行"). Templates put
that text into their own sentences. The helpers here make the joint:

- :func:`clause` strips the free text's own closing punctuation, so the
  template's punctuation is the only one at the joint;
- :func:`sentence` joins parts into one sentence with exactly one full stop,
  and gives "" when there is nothing to say (so no lead-in dangles);
- :func:`because` writes "主要原因是…。" only with a reason; without one it
  gives the visible placeholder 【缺少…】 (which blocks a final build) or,
  when asked, nothing — never the next sentence as a false cause;
- :func:`paragraph` ends a free-text paragraph with a full stop;
- :func:`tidy` is the last pass over every paragraph of a section
  (compose/__init__.py): where two marks still meet ("。；", "；。", "，。"), the
  later one — the template's — wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Marks that end a clause or a sentence. A run of them is one joint.
CLOSING = "。；，、：！？.;,:!?"
_TRAILING = re.compile(rf"[\s{re.escape(CLOSING)}]+$")
# Joint marks in a row: every mark but the last is dropped. A colon is never dropped before
# another mark: "其中：。" is a template's dangling lead-in, to be fixed there, not hidden here.
_RUN = re.compile(r"[。；，、！？]+(?=[。；，、：！？])")
_ASCII_AFTER_CJK = re.compile(r"(?<=[\u4e00-\u9fff）”])[.;,:](?=[。；，、：！？])")
# A paragraph already ends properly with one of these (a quote or bracket after a stop counts).
_FINAL = re.compile(r"[。！？；：…][”’」』）)]*$")
PLACEHOLDER = re.compile(r"【(缺少|未填报|待更新)[^】]*】")


def clause(text: object) -> str:
    """Free text as a clause: trimmed, without its own closing punctuation ("" for None)."""
    if text is None:
        return ""
    return _TRAILING.sub("", str(text).strip())


def sentence(*parts: object, end: str = "。") -> str:
    """Parts joined into one sentence ending in ``end``; "" when every part is empty.

    Each part is taken as a clause (its own closing punctuation dropped) except
    that punctuation inside a part is kept.
    """
    text = "".join(str(p) for p in parts if p)
    body = clause(text)
    return body + end if body else ""


def join(items: Iterable[object], sep: str = "；", end: str = "。") -> str:
    """Clauses joined with ``sep`` and closed with ``end``; "" for an empty list."""
    kept = [clause(x) for x in items]
    kept = [x for x in kept if x]
    return sep.join(kept) + end if kept else ""


def lead(intro: str, items: Iterable[object], sep: str = "；", end: str = "。") -> str:
    """A lead-in and its list ("其中：甲；乙。"), or "" when the list is empty."""
    body = join(items, sep, end)
    return intro + body if body else ""


def because(reason: object, what: str, intro: str = "主要原因是", required: bool = True) -> str:
    """"主要原因是…。" with the reason; "主要原因是【缺少…】。" without one (or "" when not required)."""
    text = clause(reason)
    if text:
        return f"{intro}{text}。"
    if not required:
        return ""
    return f"{intro}{missing(what)}。"


# The words that mark a fact the file lacks (【缺少…】 in sentences, 【未填报…】 in the Sichuan tables'
# rows): compose/placeholders.MARK finds both, so either refuses a final build the same way.
MISSING_WORDS = ("缺少", "未填报")


def missing(what: str, word: str = "缺少") -> str:
    """The visible mark of a fact the file lacks: 【缺少上年“三公”经费数】 (every profile's code makes it here)."""
    if word not in MISSING_WORDS:
        raise ValueError(f"not a placeholder word: {word}")
    return f"【{word}{what}】"


def paragraph(text: object) -> str:
    """A free-text paragraph that ends with a full stop (added when it has none)."""
    body = str(text or "").strip()
    if not body or _FINAL.search(body):
        return body
    return clause(body) + "。"


# Spaces right after a full-width mark ("、 20 人次", "： 甲"): the mark carries its own spacing.
_SPACE_AFTER_MARK = re.compile(r"(?<=[。；，、：])[ \u3000]+")


def tidy(line: str) -> str:
    """Collapse doubled punctuation at the joints of one paragraph: the later mark wins ("。；" → "；")."""
    line = _ASCII_AFTER_CJK.sub("", line)
    line = _SPACE_AFTER_MARK.sub("", line)
    return _RUN.sub("", line)


def placeholders(text: str) -> list[str]:
    """The tool's own placeholders (【缺少…】, 【未填报…】, 【待更新】) in a text."""
    return [m.group(0) for m in PLACEHOLDER.finditer(text)]
