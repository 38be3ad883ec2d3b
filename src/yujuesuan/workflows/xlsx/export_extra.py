"""The facts of the blocks only some layouts print, as the values of their fact sheets (see layout.py).

预算绩效管理 (2024 national), and the Sichuan blocks of validate_extra.py:
机构设置, 公务用车明细, 绩效管理情况 (key/value sheets); 项目支出经济分类,
其他财政拨款经济分类, 名词解释, 附件 (row sheets). A block the file lacks
leaves its sheet blank, so that importing the workbook leaves it out again.
"""

from __future__ import annotations

from decimal import Decimal

from yujuesuan.derive import Figures
from yujuesuan.kinds.juesuan.model import PERF_MANAGEMENT_KEYS, Model
from yujuesuan.kinds.juesuan.validate_extra import (
    ANNEXES,
    FUND_ECON,
    FUND_KINDS,
    ORGANISATION,
    OTHER_FUNDS,
    PERF_MANAGEMENT,
    PROJECT_ECON,
    TERMS,
    VEHICLES,
    Annex,
    Organisation,
    PerfManagement,
    VehicleDetail,
)
from yujuesuan.workflows.xlsx import layout

Value = Decimal | int | str | None


def list_cell(names: list[str] | None) -> str | None:
    """A list of names as one cell: a line each; an empty list is 无 (a blank cell would mean “not given”)."""
    if names is None:
        return None
    return "\n".join(names) if names else layout.NONE


def path_name(figures: Figures, code: str) -> str:
    """“类 / 款 / 项” of a 7-digit code, from the figures' catalog."""
    return " / ".join(figures.catalog.name(c) or c for c in (code[:3], code[:5], code))


def kv_source(model: Model, sheet: str) -> dict[tuple[str, ...], Value]:
    """The key/value fields of an optional block's sheet, keyed as in layout.KV_SHEETS."""
    out: dict[tuple[str, ...], Value] = {}
    if sheet == "预算绩效管理":
        pm = model.perf_management or {}
        out = {(k,): pm[k] for k in PERF_MANAGEMENT_KEYS if k in pm}
    elif sheet == "机构设置":
        org: Organisation | None = model.extra.get(ORGANISATION)
        out = {(k,): v for k, v in org.kinds.items()} if org is not None else {}
    elif sheet == "公务用车明细":
        detail: VehicleDetail | None = model.extra.get(VEHICLES)
        if detail is not None and detail.bought is not None:
            for car, (count, amount) in detail.bought.items():
                out[("购置辆数", car)] = count
                out[("购置金额", car)] = amount
        if detail is not None and detail.held is not None:
            out.update({("保有", car): count for car, count in detail.held.items()})
    elif sheet == "绩效管理情况":
        perf: PerfManagement | None = model.extra.get(PERF_MANAGEMENT)
        if perf is not None:
            out = {(k,): list_cell(v) for k, v in perf.lists.items()}
            out[("整体自评得分",)] = perf.score
            out[("自评综述",)] = perf.summary
    return out


def row_values(figures: Figures, sheet: str) -> list[dict[str, Value]]:
    """The rows of an optional block's row sheet, keyed by column name."""
    m, catalog = figures.model, figures.catalog
    if sheet == "项目支出经济分类":
        # Every item of the catalog (blank where the file has none), as 川09 lists them; then codes it lacks.
        typed: dict[str, Decimal] = m.extra.get(PROJECT_ECON, {})
        codes = [i.code for i in (*catalog.econ_items, *catalog.econ_extra_items)]
        codes += [c for c in typed if c not in codes]
        return [{"编码": c, "名称": catalog.econ_name(c) or "", "金额": typed.get(c)} for c in codes]
    if sheet == "其他财政拨款经济分类":
        funds: dict[str, dict[str, dict[str, Decimal]]] = m.extra.get(FUND_ECON, {})
        rows: dict[str, dict[str, Value]] = {}
        for fund in OTHER_FUNDS:
            for kind in FUND_KINDS:
                for code, amount in funds.get(fund, {}).get(kind, {}).items():
                    row = rows.setdefault(code, {"编码": code, "名称": catalog.econ_name(code) or ""})
                    row[f"{fund}{kind}"] = amount
        return [rows[code] for code in sorted(rows)]
    if sheet == "名词解释":
        terms: dict[str, str] = m.extra.get(TERMS, {})
        codes = [*m.items, *(c for c in terms if c not in m.items)]
        return [
            {
                "编码": c,
                "名称": path_name(figures, c),
                "目录中的解释": catalog.explanations.get(c, ""),
                "解释": terms.get(c),
            }
            for c in codes
        ]
    if sheet == "附件":
        annexes: list[Annex] = m.extra.get(ANNEXES, [])
        return [{"序号": i, "标题": a.title, "正文": a.text} for i, a in enumerate(annexes, 1)]
    raise KeyError(sheet)
