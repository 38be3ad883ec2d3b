"""The facts of the input model, as the values of the workbook's fact sheets (see layout.py).

Amounts stay in the file's money unit; a value the file leaves out stays blank
(a blank 上年 figure means "no comparison", which is not the same as 0).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from yujuesuan.derive import Figures
from yujuesuan.kinds.juesuan.model import FUND_NOTES, FUNDS, Model
from yujuesuan.workflows.xlsx import export_extra, layout
from yujuesuan.workflows.xlsx.export_extra import list_cell, path_name

Value = Decimal | int | str | None


def _kv_source(model: Model, sheet: str) -> dict[tuple[str, ...], Value]:
    """Every key/value field of ``sheet`` that the model holds, keyed as in layout.KV_SHEETS."""
    m = model
    out: dict[tuple[str, ...], Value] = {}

    def nested(head: str, data: dict[str, Any]) -> None:
        out.update({(head, k): v for k, v in data.items()})

    if sheet == "单位":
        out = {
            ("名称",): m.name,
            ("年度",): m.year,
            ("金额单位",): m.unit,
            ("下属单位数",): m.subordinates,
            ("下属单位",): list_cell(m.subordinate_names) if m.subordinate_names else None,
            ("咨询电话",): m.phone,
            ("模板",): m.profile or None,
        }
    elif sheet == "概况":
        out = {("主要职能",): m.functions}
    elif sheet == "结转结余":
        out = {(k,): v for k, v in m.balances.items()}
        nested("年初财政拨款结转和结余", m.fund_open)
        nested("年末财政拨款结转和结余", m.fund_close)
    elif sheet == "三公经费":
        nested("预算", m.sangong_budget)
        nested("决算", m.sangong_actual)
        out[("公务用车保有量",)] = m.vehicles_held
        out[("公务用车运行维护费用途",)] = m.vehicle_use
        nested("差异原因", m.sangong_reasons)
        nested("变动原因", m.sangong_change_reasons)
        nested("明细", {**m.sangong_counts, **m.sangong_texts, "外宾接待费": m.sangong_foreign})
    elif sheet == "上年":
        out = {(k,): v for k, v in m.prior.items()}
        nested("三公经费", m.sangong_prior)
        nested("一般公共预算类", m.prior_classes or {})
    elif sheet == "说明":
        out = {(k,): v for k, v in m.reasons.items()}
        nested("收入内容", m.income_contents)
        # A row for every class the file uses, so that a missing 用途 is easy to see and fill.
        nested("类用途", {code[:3]: m.class_uses.get(code[:3], "") for code in sorted(m.items)})
        nested("类用途", m.class_uses)
    elif sheet == "机关运行经费":
        out = {(k,): v for k, v in m.running_cost.items()}
        out[("说明",)] = m.running_cost_note
    elif sheet == "政府采购":
        out = {(k,): v for k, v in m.procurement.items()}
    elif sheet == "国有资产":
        nested("车辆", m.vehicles)
        out[("单价100万元以上设备",)] = m.big_equipment
    elif sheet == "绩效" and m.performance.texts:  # texts is {} exactly when the file has no 绩效 block
        p = m.performance
        out = {(k,): v for k, v in p.texts.items()}
        if p.overall_texts:  # likewise for 整体: its default 执行分值 must not create it on import
            out[("整体", "预算数")] = p.overall_budget
            out[("整体", "执行分值")] = p.overall_exec_weight
            nested("整体", p.overall_texts)
    else:
        out = export_extra.kv_source(m, sheet)
    return out


def kv_values(figures: Figures, sheet: str) -> list[tuple[layout.Field, tuple[str, ...], Value]]:
    """(field, key, value) rows of a key/value sheet, in layout order; open 明细 rows expanded."""
    source = _kv_source(figures.model, sheet)
    rows = []
    for field in layout.KV_SHEETS[sheet]:
        if field.key[-1] == layout.ANY:
            head = field.key[:-1]
            for key in sorted(k for k in source if k[:-1] == head):
                rows.append((field, key, source[key]))
        else:
            rows.append((field, field.key, source.get(field.key)))
    return rows


def item_rows(figures: Figures) -> list[dict[str, Value]]:
    """科目明细: one row per 项, in code order, keyed "收入.事业收入", "年初预算", …"""
    rows = []
    for code, item in figures.model.items.items():
        row: dict[str, Value] = {"科目编码": code, "科目名称": path_name(figures, code)}
        row.update({f"收入.{k}": v for k, v in item.income.items()})
        row.update({f"支出.{k}": v for k, v in item.spending.items()})
        for fund, key in zip(FUNDS, layout.FUND_KEYS):
            row.update({f"{key}.{k}": v for k, v in item.funds.get(fund, {}).items()})
            notes = (item.fund_budget.get(fund), item.fund_reason.get(fund))
            row.update({f"{key}.{k}": v for k, v in zip(FUND_NOTES, notes)})
        row["年初预算"] = item.budget
        row["差异原因"] = item.reason
        row["用途"] = item.use
        rows.append(row)
    return rows


def row_values(figures: Figures, sheet: str) -> list[dict[str, Value]]:
    """The rows of a row sheet (layout.ROW_SHEETS), keyed by column name."""
    m = figures.model
    if sheet == "自定义科目":
        return [{"编码": k, "名称": v} for k, v in m.custom_names.items()]
    if sheet == "经济分类":
        # Every item of 公开06 (blank where the file has none), then codes the catalog lacks.
        codes = [i.code for i in figures.catalog.econ_items]
        codes += [c for c in m.econ if c not in codes]
        return [{"编码": c, "名称": figures.catalog.name(c) or "", "金额": m.econ.get(c)} for c in codes]
    if sheet == "重点工作":
        return [{"序号": i, **row} for i, row in enumerate(m.key_work_rows, 1)]
    if sheet == "绩效项目":
        return [
            {
                "序号": i,
                "名称": p.name,
                "科目": p.code,
                "预算数": p.budget,
                "执行数": p.actual,
                "执行分值": p.exec_weight,
                **p.texts,
            }
            for i, p in enumerate(m.performance.projects, 1)
        ]
    if sheet == "绩效指标":
        return _indicator_rows(m)
    if sheet == "核对数":
        return [{"表": t, "行": r, "列": c, "金额": v} for (t, r, c), v in m.declared.items()]
    return export_extra.row_values(figures, sheet)


def _indicator_rows(m: Model) -> list[dict[str, Value]]:
    rows: list[dict[str, Value]] = []
    perf = m.performance
    for goal in perf.goals:
        head: dict[str, Value] = {"所属": "整体", "目标": goal.name, "目标分值": goal.weight}
        rows.extend({**head, **_indicator(i)} for i in goal.indicators)
        if not goal.indicators:
            rows.append(head)
    names = [p.name for p in perf.projects]
    for n, project in enumerate(perf.projects, 1):
        # A project is named by its 名称; by 项目N (its place) only when the name is ambiguous.
        owner = project.name if names.count(project.name) == 1 and project.name != "整体" else f"项目{n}"
        rows.extend({"所属": owner, **_indicator(i)} for i in project.indicators)
    return rows


def _indicator(i: Any) -> dict[str, Value]:
    return {
        "一级": i.level1,
        "二级": i.level2,
        "三级": i.level3,
        "目标值": i.target,
        "实际值": i.actual,
        "得分": i.score,
    }
