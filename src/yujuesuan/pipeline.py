"""The pipeline, read aloud: load → validate → derive → check (→ compose → render → write).

``check(path)`` reads a file (with the size cap); ``check_source`` takes the
bytes or text themselves and touches no file (the library API, api.py, uses it).
What is validated, derived and audited is the document kind's (kinds/): the
shared stages here only load, look for undrawable characters and sort findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yujuesuan.derive import Figures
from yujuesuan.errors import Finding, Findings, InputError, Severity
from yujuesuan.input.glyphs import check_glyphs
from yujuesuan.input.load import Node, load_bytes, load_file
from yujuesuan.kinds import Kind, Needs, get_kind, kind_of
from yujuesuan.kinds.juesuan import catalog_for
from yujuesuan.profiles import Profile

__all__ = ["Checked", "catalog_for", "check", "check_nodes", "check_source"]


@dataclass
class Checked:
    """What `check` knows about one input file."""

    path: Path
    findings: list[Finding] = field(default_factory=list)
    model: Any = None  # the kind's input model (kinds/juesuan: model.Model)
    figures: Figures | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def ok(self) -> bool:
        return self.figures is not None and not self.errors


def check(
    path: Path,
    layout_year: int | None = None,
    requires: Iterable[str] = (),
    kind: Kind | None = None,
    *,
    profile: Profile | None = None,
) -> Checked:
    """Load, validate, derive and audit one file, collecting every finding.

    ``profile`` checks for that profile: its kind, layout year, code and
    ``requires`` (each fact its code states that the file lacks is a located
    warning). Without it, ``layout_year`` and ``requires`` say the same by hand
    (``requires`` alone is the older spelling of the Sichuan code).
    """
    try:
        root, notes, text = load_file(path)
    except InputError as exc:
        return Checked(path, exc.findings)
    needs, kind = _needs(layout_year, requires, kind, profile)
    return check_nodes(Checked(path), root, notes, text, needs, kind)


def check_source(
    data: bytes | str,
    name: str,
    layout_year: int | None = None,
    requires: Iterable[str] = (),
    kind: Kind | None = None,
    *,
    profile: Profile | None = None,
) -> Checked:
    """``check`` for an input given as bytes or text; ``name`` is what findings call the file."""
    try:
        root, notes, text = load_bytes(data, name)
    except InputError as exc:
        return Checked(Path(name), exc.findings)
    needs, kind = _needs(layout_year, requires, kind, profile)
    return check_nodes(Checked(Path(name)), root, notes, text, needs, kind)


def _needs(
    layout_year: int | None, requires: Iterable[str], kind: Kind | None, profile: Profile | None
) -> tuple[Needs, Kind | None]:
    if profile is None:
        return Needs.of(layout_year, requires), kind
    return Needs.of_profile(profile), kind or kind_of(profile)


def check_nodes(
    result: Checked, root: Node, notes: list[Finding], text: str, needs: Needs, kind: Kind | None = None
) -> Checked:
    """The stages after loading: the kind validates, derives and audits (``result.path`` names the input)."""
    kind = kind or get_kind(None)
    name = str(result.path)
    findings = Findings()
    findings.items.extend(notes)
    check_glyphs(text, name, findings)
    result.model = kind.read(root, name, findings)
    result.figures = kind.figures(result.model, root, needs, findings)
    if result.figures is None:
        result.findings = findings.items
        return result
    result.findings = sorted(findings.items, key=lambda f: (f.location.line, f.location.column))
    return result
