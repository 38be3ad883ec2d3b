"""What the 部门预算's section templates see: ``u`` (the unit), ``f`` (the derived figures), ``m`` (texts), ``terms``.

The helpers (金额, 百分比, 变动, 较上年 …) and the wording of 持平 and zero bases
are the 决算's (compose/context.py): one set of wording rules for both kinds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from yujuesuan.compose.context import helpers, shown, wording
from yujuesuan.derive import Figures
from yujuesuan.kinds.yusuan.model import BudgetModel
from yujuesuan.numbers import NumberFormat


def _terms(figures: Figures) -> list[dict[str, Any]]:
    """The 项 of 预算03表 grouped by 类 and 款, each with its 名词解释 (第四部分 本部门使用的支出功能分类科目)."""
    cat = figures.catalog
    groups: list[dict[str, Any]] = []
    for row in figures.tables["03"].rows:
        if row.level != 3:
            continue
        key = row.key[:5]
        if not groups or groups[-1]["编码"] != key:
            groups.append({"编码": key, "类": cat.name(key[:3]) or "", "款": cat.name(key) or "", "项": []})
        groups[-1]["项"].append({"编码": row.key, "名称": row.label, "解释": cat.explanations.get(row.key, "")})
    return groups


def template_context(figures: Figures, fmt: NumberFormat) -> dict[str, Any]:
    m: BudgetModel = figures.model  # type: ignore[assignment]
    unit = {
        "名称": m.name, "全称": m.unit_name, "年度": m.year, "上年": m.year - 1, "咨询电话": m.phone,
        "人员统计时间": m.staff_date, "资产截至日期": m.assets_date,
    }  # fmt: skip
    texts = {
        "主要职能": m.functions.splitlines(),
        "预算单位构成": m.structure,
        "原因": m.reasons,
        "公务用车运行维护费用途": m.vehicle_use,
        "因公出国（境）费说明": m.abroad_note,
        "机关运行经费内容": m.running_contents,
        "绩效开展情况": m.perf_text,
        "车辆说明": m.vehicle_note,
    }
    return {"u": unit, "f": shown(figures.facts, fmt), "m": texts, "terms": _terms(figures), "helpers": helpers(fmt),
            "零": Decimal(0), "口径": wording(fmt)}  # fmt: skip
