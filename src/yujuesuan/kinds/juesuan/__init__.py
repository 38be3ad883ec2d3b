"""The 部门决算 kind: its schema (validate), derivations (derive), tables (compose.tables), rules (rules/rules.yaml).

The pipeline reaches all of it through ``KIND``; see kinds/__init__.py for the interface.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from yujuesuan.catalog import Catalog, available_years, load_catalog, nearest_year
from yujuesuan.derive import Figures
from yujuesuan.errors import Findings
from yujuesuan.input.load import Node
from yujuesuan.kinds import Kind, Needs
from yujuesuan.kinds.juesuan.context import template_context
from yujuesuan.kinds.juesuan.derive import derive
from yujuesuan.kinds.juesuan.editions import with_econ_edition
from yujuesuan.kinds.juesuan.figures import SOURCES
from yujuesuan.kinds.juesuan.model import Model
from yujuesuan.kinds.juesuan.profiles import CODES, ProfileCode, all_codes, apply, code_of, get_code, report_missing
from yujuesuan.kinds.juesuan.sanity import check_codes, check_prior, check_units
from yujuesuan.kinds.juesuan.special import special_table
from yujuesuan.kinds.juesuan.tables import BUILDERS
from yujuesuan.kinds.juesuan.validate import read_model
from yujuesuan.profiles import Profile
from yujuesuan.rules import run_rules


def catalog_for(model: Model, layout_year: int | None = None) -> Catalog:
    """The catalog of the file's year (or the nearest older one), extended by the file's own names.

    A profile may fix the class list and 行次 of another year (national-2024 prints 24 classes).
    """
    catalog = load_catalog(nearest_year(model.year))
    if layout_year is not None and layout_year != catalog.year:
        catalog = catalog.with_layout(load_catalog(nearest_year(layout_year)))
    return catalog.with_extra(model.custom_names)


def catalog_year_known(model: Model, findings: Findings) -> bool:
    """Whether the file's year has a catalog; a located error otherwise.

    A year without a catalog must not borrow another year's names (2020 would print
    巩固拓展脱贫攻坚成果衔接乡村振兴, a name from 2021 on).
    """
    if model.year in available_years():
        return True
    years = available_years()
    findings.add(
        "catalog-year",
        f"没有 {model.year} 年的支出功能分类和经济分类科目目录；可用的年度：{years[0]}–{years[-1]}"
        f"（{'、'.join(str(y) for y in years)}）。",
        model.loc("单位.年度"),
        "单位.年度",
    )
    return False


def figures(model: Model, root: Node, needs: Needs, findings: Findings) -> Figures | None:
    """Codes against the catalog, the derivations, the profile's extra figures, and the audit rules."""
    if not model.year or not catalog_year_known(model, findings):
        return None
    catalog = catalog_for(model, needs.layout_year)
    check_codes(model, catalog, findings, root)
    if findings.errors:
        # Figures from a file with unreadable parts would be wrong in ways that
        # hide the real problem; report the input errors alone first.
        return None
    result = derive(model, catalog, findings)
    codes = run_codes(result, needs, findings)  # the profile's code: its tables, facts, checks (profiles/)
    check_units(result, findings)
    if needs.for_profile:
        # Checked for a profile (check --profile, build): say which comparison with last year the
        # 说明 leaves out for want of a 上年 figure. A plain check stays quiet about these optional
        # figures (the Wuhan reference states none of them).
        check_prior(result, findings)
    run_rules(result, findings)
    for code, requires in codes:
        report_missing(code, result, findings, requires)  # the facts the profile's layout states and the file lacks
    return result


def run_codes(
    figures: Figures, needs: Needs, findings: Findings
) -> list[tuple[ProfileCode, tuple[str, ...] | None]]:
    """Run the profile's code once, and any code whose input blocks the file holds; the one to report.

    A file that holds a code's block (a Sichuan 项目支出经济分类) gets that code's figures under
    any profile, so that the rules audit the block; only the profile's own code warns about
    missing facts. ``requires`` without ``code`` is the older spelling of the Sichuan code.
    """
    name = code_of({"code": needs.code, "requires": needs.requires})
    wanted = [] if name is None else [(get_code(name), needs.requires)]
    for code, _ in wanted:
        apply(figures, code, findings)
    for code in all_codes():
        if code.name != name and any(block in figures.model.extra for block in code.blocks):
            apply(figures, code, findings)
    return wanted


def profile_code(config: Mapping[str, Any]) -> ProfileCode | None:
    """The code a profile names (``code:``, or ``requires`` alone: sichuan); None for most profiles."""
    name = code_of(config)
    return None if name is None else get_code(name)


def prepare(figures: Figures, profile: Profile) -> None:
    """The profile's code on figures checked without it (once; its warnings are the check's)."""
    code = profile_code(profile.config)
    if code is not None and code.for_document:
        apply(figures, code)


KIND = Kind(
    name="juesuan",
    title="部门决算",
    default_profile="wuhan",
    read=read_model,
    figures=figures,
    builders=BUILDERS,
    context=template_context,
    charts=SOURCES,
    special_table=special_table,
    prepare=prepare,
    profile_code=profile_code,
    code_names=tuple(CODES),
    table_figures=lambda figures, config: with_econ_edition(figures, config.get("econ_year")),
)
