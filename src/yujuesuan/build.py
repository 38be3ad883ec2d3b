"""Build: checked figures → composed Document → DOCX / HTML / PDF files, written atomically.

Previous outputs are kept: an existing file is moved to ``<name>.prev.<ext>``
before the new one is written, so a rebuild never silently destroys the
version that was sent for sign-off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from yujuesuan.compose import compose
from yujuesuan.derive import Figures
from yujuesuan.document import Document
from yujuesuan.fonts import missing_chars
from yujuesuan.profiles import Profile
from yujuesuan.render.docx import render_docx
from yujuesuan.render.html import render_html
from yujuesuan.render.pdf import render_pdf
from yujuesuan.write import safe_filename, write_atomic

FORMATS = ("docx", "pdf", "html", "xlsx")


@dataclass
class BuildResult:
    document: Document
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def output_dir(base: Path, figures: Figures) -> Path:
    """output/<unit>-<year>/ under ``base``."""
    return base / safe_filename(f"{figures.model.name}-{figures.model.year}")


def build_document(
    figures: Figures,
    profile: Profile,
    out: Path,
    formats: tuple[str, ...],
    input_path: Path,
    draft: bool = False,
    progress: Callable[[str], None] = lambda _: None,
) -> BuildResult:
    """Compose once, then render each requested format from the same Document."""
    progress("排版文档")
    doc = compose(figures, profile, draft)
    result = BuildResult(doc)
    # Template text (not only the input) reaches the PDF: say which characters would print as boxes.
    missing = set(missing_chars(doc.text(), "serif")) & set(missing_chars(doc.text(), "sans"))
    if missing and ("pdf" in formats or "html" in formats):
        chars = "".join(sorted(missing))
        result.warnings.append(f"文档中的字符“{chars}”不在内置中文字体中，PDF 中可能显示为方框（除非本机字体含有）。")
    stem = safe_filename(f"{figures.model.name}{figures.model.year}年度部门决算")
    out.mkdir(parents=True, exist_ok=True)
    outputs: dict[str, bytes] = {}
    if "docx" in formats:
        progress("生成 DOCX")
        outputs["docx"] = render_docx(doc, profile.find("reference.docx"))
    if "html" in formats or "pdf" in formats:
        progress("生成 HTML")
        html = render_html(doc, profile.env(autoescape=True))
        if "html" in formats:
            outputs["html"] = html.encode("utf-8")
        if "pdf" in formats:
            progress("生成 PDF")
            outputs["pdf"] = render_pdf(html, profile.folders)
    if "xlsx" in formats:
        from yujuesuan.xlsx import export_workbook  # openpyxl loads only when a workbook is asked for

        progress("生成 XLSX")
        outputs["xlsx"] = export_workbook(figures, profile)
    for ext in FORMATS:
        if ext not in outputs:
            continue
        path = out / f"{stem}.{ext}"
        if path.exists():
            keep = path.with_name(f"{stem}.prev.{ext}")
            write_atomic(keep, path.read_bytes(), protect=input_path)
        write_atomic(path, outputs[ext], protect=input_path)
        result.written.append(path)
    return result
