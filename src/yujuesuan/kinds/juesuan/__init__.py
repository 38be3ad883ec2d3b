"""The 部门决算 kind: its schema (validate), derivations (derive), tables (compose.tables), rules (rules/rules.yaml).

The pipeline reaches all of it through ``KIND``; see kinds/__init__.py for the interface.
"""

from __future__ import annotations

from yujuesuan.catalog import Catalog, available_years, load_catalog, nearest_year
from yujuesuan.derive import Figures
from yujuesuan.errors import Findings
from yujuesuan.input.load import Node
from yujuesuan.kinds import Kind, Needs
from yujuesuan.kinds.juesuan.context import template_context
from yujuesuan.kinds.juesuan.derive import derive
from yujuesuan.kinds.juesuan.derive.sichuan import extend
from yujuesuan.kinds.juesuan.editions import with_econ_edition
from yujuesuan.kinds.juesuan.figures import SOURCES
from yujuesuan.kinds.juesuan.model import Model
from yujuesuan.kinds.juesuan.sanity import check_codes, check_prior, check_units
from yujuesuan.kinds.juesuan.special import special_table
from yujuesuan.kinds.juesuan.tables import BUILDERS
from yujuesuan.kinds.juesuan.tables_sichuan import SICHUAN_BUILDERS, SICHUAN_FIGURES, prepare
from yujuesuan.kinds.juesuan.validate import read_model
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
    extend(result, needs.requires, findings)  # the Sichuan tables and facts, when asked for (derive/sichuan.py)
    check_units(result, findings)
    if needs.for_profile:
        # Checked for a profile (check --profile, build): say which comparison with last year the
        # 说明 leaves out for want of a 上年 figure. A plain check stays quiet about these optional
        # figures (the Wuhan reference states none of them).
        check_prior(result, findings)
    run_rules(result, findings)
    return result


KIND = Kind(
    name="juesuan",
    title="部门决算",
    default_profile="wuhan",
    read=read_model,
    figures=figures,
    builders={**BUILDERS, **SICHUAN_BUILDERS},
    context=template_context,
    charts={**SOURCES, **SICHUAN_FIGURES},
    special_table=special_table,
    prepare=prepare,
    table_figures=lambda figures, config: with_econ_edition(figures, config.get("econ_year")),
)
