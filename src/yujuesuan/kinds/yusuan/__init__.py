"""The 部门预算 kind (yusuan): schema (model, reader), derivations (derive), tables, 申报表 (forms), rules.yaml.

The pipeline reaches all of it through ``KIND``; see kinds/__init__.py for the interface.
"""

from __future__ import annotations

from typing import Any

from yujuesuan.catalog import Catalog, load_catalog, nearest_year
from yujuesuan.derive import Figures
from yujuesuan.errors import Findings
from yujuesuan.input.load import Node
from yujuesuan.kinds import Kind, Needs
from yujuesuan.kinds.juesuan import catalog_year_known
from yujuesuan.kinds.yusuan import forms
from yujuesuan.kinds.yusuan.context import template_context
from yujuesuan.kinds.yusuan.derive import derive
from yujuesuan.kinds.yusuan.model import BudgetModel
from yujuesuan.kinds.yusuan.reader import read_model
from yujuesuan.kinds.yusuan.skeleton import skeleton_text
from yujuesuan.kinds.yusuan.tables import BUILDERS
from yujuesuan.rules import run_rules

RULES = ("yujuesuan.kinds.yusuan", "rules.yaml")


def catalog_for(model: BudgetModel) -> Catalog:
    return load_catalog(nearest_year(model.year)).with_extra(model.custom_names)


def check_codes(model: BudgetModel, catalog: Catalog, findings: Findings) -> None:
    """Every 项 and 经济分类 code must be in the catalog (or named under 自定义科目)."""
    for code in model.items:
        if catalog.name(code) is None:
            findings.add(
                "code",
                f"科目目录（{catalog.year} 年）中没有项级科目“{code}”。"
                "请核对编码，或在“自定义科目”中写出它及其类、款的名称。",
                model.loc(f"科目.{code}"),
                f"科目.{code}",
            )
    for code in model.econ:
        if catalog.econ_name(code) is None:
            findings.add(
                "code",
                f"经济分类科目目录中没有“{code}”。请核对编码。",
                model.loc(f"经济分类.{code}"),
                f"经济分类.{code}",
            )
    for i, p in enumerate(model.projects, 1):
        if p.item and p.item not in model.items:
            path = f"项目[{i}].科目"
            findings.add("code", f"项目“{p.name}”的科目“{p.item}”不在本文件的“科目”中。", model.loc(path), path)


def check_prior(model: BudgetModel, findings: Findings) -> None:
    """第三部分 compares the 三公 with last year's budget: say when that is missing (located, a warning).

    A missing 上年预算 is reported by the reason rules (rules.yaml, prior_at), one per comparison left out.
    """
    if model.sangong_prior is None:
        findings.warn(
            "上年-缺失", "缺少“三公经费.上年预算”，第三部分将不写与上年预算的比较。", model.loc("三公经费"), "三公经费"
        )


def figures(model: Any, root: Node, needs: Needs, findings: Findings) -> Figures | None:
    """Codes against the catalog, the derivations, and the 预算's rules (kinds/yusuan/rules.yaml)."""
    if not model.year or not catalog_year_known(model, findings):
        return None
    catalog = catalog_for(model)
    check_codes(model, catalog, findings)
    if findings.errors:
        return None  # figures from a file with unreadable parts would hide the real problem
    result = derive(model, catalog)
    check_prior(model, findings)
    run_rules(result, findings, RULES)
    return result


KIND = Kind(
    name="yusuan",
    title="部门预算",
    default_profile="wuhan-yusuan",
    read=read_model,
    figures=figures,
    builders=BUILDERS,
    context=template_context,
    charts={},
    special_table=lambda figures, fmt, config, name: forms.special(figures, fmt, name),
    file_title="年部门预算",
    skeleton=skeleton_text,
    year_offset=0,  # a budget is written for the coming (or current) year
    workbook="tables",  # the 13 预算 tables, the 申报表 and a 数据 sheet import-xlsx reads back
)
