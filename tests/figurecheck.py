"""Compare the figures of a built document with a published reference, part by part.

Both texts are cut at their "第N部分" headings. Every figure of a reference part
(an amount with a decimal point, or a percentage) must appear in the same part
of the built document at least as often; figures compare as values, so
124.4 == 124.40 and 100% == 100.0%. A part heading that repeats (a 目录, a
running header) adds to the same part, so a contents page shifts nothing.

This is the project's own check (the tests need nothing beside the checkout);
it reads DOCX and HTML with the standard library and PDF with pypdf.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree import ElementTree

REFERENCES = Path(__file__).resolve().parent / "data" / "reference"
PART_NAMES = "一二三四五六七八"
PART_RE = re.compile(r"第\s*([一二三四五六七八])\s*部分")
FIGURE_RE = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(%|％)?")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(data: bytes | Path) -> str:
    """Body text of a DOCX, a line per paragraph (table cells are paragraphs too)."""
    source = data if isinstance(data, Path) else __import__("io").BytesIO(data)
    with zipfile.ZipFile(source) as zf:
        root = ElementTree.fromstring(zf.read("word/document.xml"))
    lines = ["".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p")]
    return "\n".join(line for line in lines if line.strip())


def html_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<[^>]+>", "\n", html)
    for entity, char in (("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&amp;", "&")):
        html = html.replace(entity, char)
    return html


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def read_text(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return docx_text(path)
    if suffix == ".pdf":
        return pdf_text(path)
    if suffix in (".html", ".htm"):
        return html_text(path.read_text(encoding="utf-8"))
    return path.read_text(encoding="utf-8")


def split_parts(text: str) -> dict[int, str]:
    """Part number (1..8) → its text; text before the first heading is part 0."""
    parts: dict[int, list[str]] = {0: []}
    current, last = 0, 0
    for match in PART_RE.finditer(text):
        parts.setdefault(current, []).append(text[last : match.start()])
        current, last = PART_NAMES.index(match.group(1)) + 1, match.start()
    parts.setdefault(current, []).append(text[last:])
    return {k: "".join(v) for k, v in parts.items()}


def figures(text: str) -> Counter[str]:
    """Decimal amounts and percentages, normalized (537.10 → 537.1, 100.0% → 100%)."""
    found: Counter[str] = Counter()
    for whole, frac, pct in FIGURE_RE.findall(text):
        if not frac and not pct:
            continue
        if frac and not pct and re.fullmatch(r"\.20\d\d", frac) and len(whole) <= 2:
            continue  # a list number before a year: "4.2023 年公务员医疗补助"
        try:
            value = Decimal(whole.replace(",", "") + (frac or ""))
        except InvalidOperation:
            continue
        found[f"{value.normalize():f}" + ("%" if pct else "")] += 1
    return found


@dataclass(frozen=True)
class Comparison:
    reference: int  # figures in the compared parts of the reference
    missing: dict[int, Counter[str]]  # part → figures the built document lacks

    @property
    def reproduced(self) -> int:
        return self.reference - sum(sum(c.values()) for c in self.missing.values())

    def summary(self) -> str:
        lines = [f"第{PART_NAMES[p - 1]}部分 缺少: {dict(c)}" for p, c in self.missing.items() if c]
        return "\n".join([*lines, f"figures reproduced: {self.reproduced}/{self.reference}"])


def compare(built_text: str, reference_text: str, parts: tuple[int, ...] = (2, 3, 4, 6)) -> Comparison:
    built, reference = split_parts(built_text), split_parts(reference_text)
    missing: dict[int, Counter[str]] = {}
    total = 0
    for part in parts:
        ref = figures(reference.get(part, ""))
        total += sum(ref.values())
        missing[part] = ref - figures(built.get(part, ""))
    return Comparison(total, missing)


def reference(name: str) -> str:
    return (REFERENCES / name).read_text(encoding="utf-8")
