"""What every built 说明 must satisfy, whatever the unit: shared by the scenario matrix and the property test.

Each check returns a list of problems (empty when the text reads right), so a
failing test shows every defect of a draw at once.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from yujuesuan import pipeline
from yujuesuan.compose import compose
from yujuesuan.compose.document import Document, Heading, PageBreak, Paragraph
from yujuesuan.compose.grammar import placeholders
from yujuesuan.compose.numbers import NumberFormat
from yujuesuan.derive.values import Change, Completion, Share
from yujuesuan.profiles import Profile, load_profile

PROFILES = ("wuhan", "national-2024", "sichuan")
HUNDRED = Decimal(100)

DOUBLED = re.compile(r"[。；，、：！？]{2,}")
ZERO_CHANGE = re.compile(r"(增加|减少|新增)\s*0(\.0+)?\s*万元")
ZERO_RATE = re.compile(r"(增长|下降)\s*0(\.0+)?%")
CHANGE_RATE = re.compile(r"(?:增长|下降)\s*([\d.]+)%")
SHARE = re.compile(r"占(?:本年收入|本年支出)?\s*([\d.]+)%")
COMPLETION = re.compile(r"完成(?:年初)?预算的?\s*([\d.]+)%")


def build(path: Path, name: str) -> tuple[pipeline.Checked, Document, Profile]:
    """Check a data file for a profile (as `build` does) and compose its text (charts left undrawn)."""
    profile = load_profile(name)
    checked = pipeline.check(path, profile=profile)
    assert checked.figures is not None, [f.format() for f in checked.findings]
    return checked, compose(checked.figures, profile, charts=False), profile


def narrative(doc: Document) -> list[Heading | Paragraph]:
    """The headings and paragraphs of the 说明 part (between its part heading and the next one)."""
    out: list[Heading | Paragraph] = []
    inside = False
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level == 1:
            inside = "情况说明" in block.text
        elif inside and isinstance(block, (Heading, Paragraph)):
            out.append(block)
    return out


def paragraphs(doc: Document) -> list[str]:
    return [b.text for b in narrative(doc) if isinstance(b, Paragraph)]


def punctuation_problems(doc: Document) -> list[str]:
    """Doubled marks, zero changes, dangling lead-ins and empty headings anywhere in the document."""
    problems = []
    blocks = [b for b in doc.blocks if not isinstance(b, PageBreak)]  # a table or figure is content too
    for i, block in enumerate(blocks):
        if not isinstance(block, (Heading, Paragraph)):
            continue
        text = block.text
        if isinstance(block, Paragraph):
            for pattern, what in ((DOUBLED, "doubled punctuation"), (ZERO_CHANGE, "a change of 0"),
                                  (ZERO_RATE, "a rate of 0")):  # fmt: skip
                if m := pattern.search(text):
                    problems.append(f"{what} {m.group(0)!r} in {text!r}")
            if "：。" in text or "主要原因是。" in text:
                problems.append(f"an empty lead-in in {text!r}")
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            if text.endswith("：") and (following is None or isinstance(following, Heading)):
                problems.append(f"a dangling lead-in {text!r}")
        else:
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            if block.level >= 2 and (following is None or (isinstance(following, Heading)
                                                             and following.level <= block.level)):  # fmt: skip
                problems.append(f"an empty heading {text!r}")
    return problems


def placeholder_problems(doc: Document, allowed: tuple[str, ...] = ()) -> list[str]:
    """The tool's own placeholders in the text, except those starting with one of ``allowed``."""
    found = placeholders("\n".join(b.text for b in doc.blocks if isinstance(b, (Heading, Paragraph))))
    return [p for p in found if not p.startswith(allowed)]


# ---- percentages recomputed from the derived figures ----


def _walk(value: Any) -> list[Any]:
    if isinstance(value, (Change, Share, Completion)):
        return [value]
    if isinstance(value, dict):
        return [x for v in value.values() for x in _walk(v)]
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in _walk(v)]
    return []


def _shown(rate: Decimal, places: int) -> set[str]:
    """A rate as the templates may print it: ROUND_HALF_UP at ``places``, with and without trailing zeros."""
    q = rate.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(abs(q) if q == 0 else q, "f")
    stripped = text.rstrip("0").rstrip(".") if "." in text else text
    return {text, stripped}


def recomputed_rates(facts: dict[str, Any], fmt: NumberFormat) -> dict[str, set[str]]:
    """Every rate the facts allow, recomputed here from their amounts (not read from .rate)."""
    out: dict[str, set[str]] = {"change": set(), "share": set(), "completion": set()}
    for v in _walk(facts):
        if isinstance(v, Change) and v.previous is not None and v.previous != 0:
            r = abs(v.current - v.previous) * HUNDRED / v.previous
            out["change"] |= {s for p in (1, 2) for s in _shown(r, p)}
        elif isinstance(v, Share) and v.whole != 0:
            out["share"] |= {s for p in (1, 2) for s in _shown(v.part * HUNDRED / v.whole, p)}
        elif isinstance(v, Completion) and v.budget:
            out["completion"] |= {s for p in (1, 2) for s in _shown(v.actual * HUNDRED / v.budget, p)}
    return out


def percentage_problems(doc: Document, facts: dict[str, Any], fmt: NumberFormat) -> list[str]:
    """Each 增长/下降, 占 and 完成预算 percentage of the 说明 equals one recomputed from the derived figures."""
    rates = recomputed_rates(facts, fmt)
    problems = []
    for text in paragraphs(doc):
        for pattern, kind in ((CHANGE_RATE, "change"), (SHARE, "share"), (COMPLETION, "completion")):
            for m in pattern.finditer(text):
                printed = m.group(1)
                if kind == "share" and Decimal(printed) == 0:
                    continue  # 占 0%: a zero part (Sichuan lists every row)
                if printed not in rates[kind]:
                    problems.append(f"{kind} {printed}% not recomputed from any figure: {text!r}")
    return problems


def share_sum_problems(doc: Document) -> list[str]:
    """Shares listed in one sentence add up to 100% within display rounding."""
    problems = []
    for text in paragraphs(doc):
        for sentence in text.split("。"):
            found = SHARE.findall(sentence)
            if len(found) < 2:
                continue
            places = max(len(x.partition(".")[2]) for x in found)
            total = sum((Decimal(x) for x in found), Decimal(0))
            # Each share is off by at most half a unit of its last place; Sichuan strips trailing zeros.
            tolerance = Decimal(len(found)) * Decimal(5).scaleb(-max(places, 1) - 1)
            if total != 0 and abs(total - HUNDRED) > tolerance:
                problems.append(f"shares add up to {total}%: {sentence!r}")
    return problems
