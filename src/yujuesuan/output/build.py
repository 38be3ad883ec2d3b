"""Build: a Checked unit → output bytes (api.render) → one output set on disk (outputs.write_set).

Only the CLI (and callers of these helpers) write files; the library API
returns bytes. The set's folder and names come from outputs.py: the profile is
in the name, the previous set is kept under 历史版本/, and the set is replaced
all at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from yujuesuan.api import FORMATS, Checked, glyph_warnings, render, render_document
from yujuesuan.compose import compose
from yujuesuan.compose.document import Document
from yujuesuan.derive import Figures
from yujuesuan.kinds import kind_of
from yujuesuan.output.sets import stem, unit_folder, write_set
from yujuesuan.profiles import Profile
from yujuesuan.render.pdf_process import PdfStarter

__all__ = ["FORMATS", "BuildResult", "build_checked", "build_document", "output_dir"]


@dataclass
class BuildResult:
    document: Document
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def output_dir(base: Path, figures: Figures) -> Path:
    """output/<unit>-<year>/ under ``base`` (a long unit name is cut, the year kept)."""
    return unit_folder(base, figures.model.name, figures.model.year)


def set_stem(figures: Figures, profile: Profile) -> str:
    """The output set's file name without extension; it names the profile and a --templates folder."""
    document = kind_of(profile).file_title
    return stem(figures.model.name, figures.model.year, profile.name, profile.overlay, document)


def build_checked(
    checked: Checked,
    base: Path,
    formats: tuple[str, ...],
    input_path: Path | None = None,
    draft: bool = False,
    pdf: PdfStarter | None = None,
) -> BuildResult:
    """Render ``checked`` (api.render refuses errors and placeholders unless draft); write the set under ``base``.

    ``pdf``: where the PDF is laid out (api.render), here unless a PdfProcess is given.
    """
    outputs = render(checked, formats, draft=draft, pdf=pdf)
    assert checked.figures is not None and checked.document is not None  # render() raised otherwise
    folder = output_dir(base, checked.figures)
    written = write_set(folder, set_stem(checked.figures, checked.profile), outputs, protect=input_path)
    return BuildResult(checked.document, written, glyph_warnings(checked.document, formats))


def build_document(
    figures: Figures,
    profile: Profile,
    out: Path,
    formats: tuple[str, ...],
    input_path: Path,
    draft: bool = False,
    progress: Callable[[str], None] = lambda _: None,
) -> BuildResult:
    """Compose once, render each requested format, write the set into the folder ``out`` (no policy check).

    Kept for callers that hold figures rather than a Checked; the CLI goes
    through api.check / api.render (build_checked).
    """
    progress("排版文档")
    doc = compose(figures, profile, draft)
    outputs = render_document(doc, figures, profile, formats)
    written = write_set(out, set_stem(figures, profile), outputs, protect=input_path)
    return BuildResult(doc, written, glyph_warnings(doc, formats))
