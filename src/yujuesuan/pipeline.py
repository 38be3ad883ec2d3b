"""The pipeline, read aloud: load → validate → derive → check (→ compose → render → write).

``check(path)`` reads a file (with the size cap); ``check_source`` takes the
bytes or text themselves and touches no file (the library API, api.py, uses it).
Each stage lives in its own module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from yujuesuan.catalog import Catalog, available_years, load_catalog, nearest_year
from yujuesuan.derive import Figures, derive
from yujuesuan.derive.sichuan import extend
from yujuesuan.errors import Finding, Findings, InputError, Severity
from yujuesuan.glyphs import check_glyphs
from yujuesuan.load import Node, load_bytes, load_file
from yujuesuan.model import Model
from yujuesuan.rules import run_rules
from yujuesuan.sanity import check_codes, check_prior, check_units
from yujuesuan.validate import read_model


@dataclass
class Checked:
    """What `check` knows about one input file."""

    path: Path
    findings: list[Finding] = field(default_factory=list)
    model: Model | None = None
    figures: Figures | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def ok(self) -> bool:
        return self.figures is not None and not self.errors


def catalog_for(model: Model, layout_year: int | None = None) -> Catalog:
    """The catalog of the file's year (or the nearest older one), extended by the file's own names.

    A profile may fix the class list and 行次 of another year (national-2024 prints 24 classes).
    """
    catalog = load_catalog(nearest_year(model.year))
    if layout_year is not None and layout_year != catalog.year:
        catalog = catalog.with_layout(load_catalog(nearest_year(layout_year)))
    return catalog.with_extra(model.custom_names)


def check(path: Path, layout_year: int | None = None, requires: Iterable[str] = ()) -> Checked:
    """Load, validate, derive and audit one file, collecting every finding.

    ``requires`` names the facts a profile states beyond the nine tables (its
    profile.yaml ``requires``): each one the file lacks is a located warning.
    """
    try:
        root, notes, text = load_file(path)
    except InputError as exc:
        return Checked(path, exc.findings)
    return check_nodes(Checked(path), root, notes, text, layout_year, requires)


def check_source(
    data: bytes | str, name: str, layout_year: int | None = None, requires: Iterable[str] = ()
) -> Checked:
    """``check`` for an input given as bytes or text; ``name`` is what findings call the file."""
    try:
        root, notes, text = load_bytes(data, name)
    except InputError as exc:
        return Checked(Path(name), exc.findings)
    return check_nodes(Checked(Path(name)), root, notes, text, layout_year, requires)


def check_nodes(
    result: Checked, root: Node, notes: list[Finding], text: str, layout_year: int | None, requires: Iterable[str]
) -> Checked:
    """The stages after loading: validate, check codes, derive, audit (``result.path`` names the input)."""
    name = str(result.path)
    findings = Findings()
    findings.items.extend(notes)
    check_glyphs(text, name, findings)
    model = read_model(root, name, findings)
    result.model = model
    if not model.year:
        result.findings = findings.items
        return result
    if model.year not in available_years():
        # A year without a catalog must not borrow another year's names (2020 would print
        # 巩固拓展脱贫攻坚成果衔接乡村振兴, a name from 2021 on).
        years = available_years()
        findings.add(
            "catalog-year",
            f"没有 {model.year} 年的支出功能分类和经济分类科目目录；可用的年度：{years[0]}–{years[-1]}"
            f"（{'、'.join(str(y) for y in years)}）。",
            model.loc("单位.年度"),
            "单位.年度",
        )
        result.findings = findings.items
        return result
    catalog = catalog_for(model, layout_year)
    check_codes(model, catalog, findings, root)
    if findings.errors:
        # Figures from a file with unreadable parts would be wrong in ways that
        # hide the real problem; report the input errors alone first.
        result.findings = findings.items
        return result
    figures = derive(model, catalog, findings)
    extend(figures, requires, findings)  # the Sichuan tables and facts, when asked for (derive/sichuan.py)
    check_units(figures, findings)
    if layout_year is not None or tuple(requires):
        # Checked for a profile (check --profile, build): say which comparison with last year the
        # 说明 leaves out for want of a 上年 figure. A plain check stays quiet about these optional
        # figures (the Wuhan reference states none of them).
        check_prior(figures, findings)
    run_rules(figures, findings)
    result.figures = figures
    result.findings = sorted(findings.items, key=lambda f: (f.location.line, f.location.column))
    return result
