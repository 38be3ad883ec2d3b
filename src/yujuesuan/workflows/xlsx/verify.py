"""Is the workbook a complete alternative to the input file? Import it again and compare the models.

The input schema grows (new layouts add blocks); a fact the fact sheets do not
carry yet must stop the export with its name, never vanish on the way back.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass

from yujuesuan.errors import Finding, Findings, InputError, Location, Severity
from yujuesuan.input.load import parse_text
from yujuesuan.kinds.juesuan.model import ItemFacts, Model
from yujuesuan.kinds.juesuan.validate import read_model
from yujuesuan.workflows.xlsx.importer import read_workbook

# Where a model field lives in the input file, for the message (a field not named here shows as itself).
LABELS = {
    "name": "单位.名称", "year": "单位.年度", "unit": "单位.金额单位", "subordinates": "单位.下属单位数",
    "subordinate_names": "单位.下属单位", "phone": "单位.咨询电话", "profile": "单位.模板", "functions": "概况",
    "items": "科目",
    "custom_names": "自定义科目", "balances": "结转结余", "fund_open": "结转结余", "fund_close": "结转结余",
    "econ": "经济分类", "sangong_budget": "三公经费.预算", "sangong_actual": "三公经费.决算",
    "sangong_prior": "上年.三公经费", "sangong_reasons": "三公经费.差异原因",
    "sangong_change_reasons": "三公经费.变动原因", "sangong_counts": "三公经费.明细",
    "sangong_texts": "三公经费.明细", "sangong_foreign": "三公经费.明细", "vehicles_held": "三公经费.公务用车保有量",
    "vehicle_use": "三公经费.公务用车运行维护费用途", "prior": "上年", "reasons": "说明", "class_uses": "说明.类用途",
    "running_cost": "机关运行经费", "running_cost_note": "机关运行经费.说明", "procurement": "政府采购",
    "perf_management": "预算绩效管理", "income_contents": "说明.收入内容", "vehicles": "国有资产.车辆",
    "big_equipment": "国有资产.单价100万元以上设备", "key_work_text": "重点工作.正文", "key_work_rows": "重点工作.表",
    "performance": "绩效", "declared": "核对数", "prior_classes": "上年.一般公共预算类",
    "income": "科目.收入", "spending": "科目.支出", "funds": "科目.…财政拨款支出", "budget": "科目.年初预算",
    "reason": "科目.差异原因", "use": "科目.用途", "fund_budget": "科目.…财政拨款支出.年初预算",
    "fund_reason": "科目.…财政拨款支出.差异原因",
}  # fmt: skip
IGNORED = ("source", "locs")


def _differences(a: Model | ItemFacts, b: Model | ItemFacts, prefix: str = "") -> list[str]:
    """The labels of the fields where two models (or two 项) differ."""
    out = []
    for f in fields(a):
        if f.name in IGNORED or getattr(a, f.name) == getattr(b, f.name):
            continue
        left, right = getattr(a, f.name), getattr(b, f.name)
        if f.name == "items" and left.keys() == right.keys():
            for code in left:
                out += _differences(left[code], right[code]) if is_dataclass(left[code]) else []
            continue
        if f.name == "extra":  # the optional blocks of validate_extra.py, each named by its own key
            out += [k for k in dict.fromkeys([*left, *right]) if left.get(k) != right.get(k)]
            continue
        out.append(LABELS.get(f.name, f.name))
    return out


def check_round_trip(data: bytes, model: Model) -> None:
    """Raise InputError unless importing ``data`` gives back ``model``."""
    name = f"{model.name or '工作簿'}.xlsx"
    where = Location(model.source)
    try:
        text = read_workbook(data, name, name)
    except InputError as exc:
        head = Finding("xlsx-export", Severity.ERROR, "导出的工作簿无法再导入，因此没有导出：", where)
        raise InputError([head, *exc.findings]) from None
    again = read_model(parse_text(text, name), name, Findings())
    lost = list(dict.fromkeys(_differences(model, again)))
    if lost:
        message = (
            f"Excel 工作簿还不能承载本文件的这些内容：{'、'.join(lost)}。导出再导入会丢失它们，因此没有导出 .xlsx。"
            "请仍以 YAML 文件为准。"
        )
        raise InputError(Finding("xlsx-export", Severity.ERROR, message, where))
