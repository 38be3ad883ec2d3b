"""Validate a 部门预算 file: located YAML nodes → BudgetModel, every problem a located Chinese finding.

One reader function per block, with the shared Reader (yujuesuan/reader.py):
unknown keys are errors with a suggestion, amounts go through amounts.py, and
reading goes on after a problem so that all of them are reported at once.
"""

from __future__ import annotations

import re

from yujuesuan.errors import Findings
from yujuesuan.input import amounts
from yujuesuan.input.load import Mapping, Node
from yujuesuan.input.reader import Reader
from yujuesuan.kinds.juesuan.validate import read_custom_names, read_econ
from yujuesuan.kinds.yusuan.model import (
    PROCUREMENT_AMOUNTS,
    PROCUREMENT_TEXTS,
    PROJECT_CATEGORIES,
    SANGONG_ITEMS,
    SERVICE_TEXTS,
    SOURCES,
    SPENDING,
    STAFF_POSTS,
    STAFF_ROLES,
    BudgetModel,
    DetailLine,
    Goal,
    Indicator,
    ItemFacts,
    Overall,
    Project,
    ProjectForm,
    Purchase,
    Service,
    YearBudget,
)

TOP_KEYS = (
    "格式版本", "单位", "概况", "人员", "自定义科目", "科目", "经济分类", "三公经费", "机关运行经费", "项目",
    "政府采购", "政府购买服务", "国有资产", "上年预算", "前年预算", "说明", "整体绩效",
)  # fmt: skip
REQUIRED_TOP = ("单位", "科目")
UNIT_KEYS = ("名称", "全称", "编码", "年度", "金额单位", "咨询电话", "预算单位", "模板")
ITEM_RE = re.compile(r"^[0-9]{7}$")


def read_model(root: Node, source: str, findings: Findings) -> BudgetModel:
    """Read the whole file into a BudgetModel; problems are added to ``findings``."""
    r = Reader(source, findings)
    model = BudgetModel(source)
    top = r.mapping(root, "")
    if top is None:
        r.error(root, "", "文件内容应以“单位:”“科目:”等块开始。", "type")
        return model
    r.keys(top, "", TOP_KEYS)
    for key in REQUIRED_TOP:
        if key not in top.items:
            r.error(top, key, f"缺少“{key}”块。请参照示例文件 jianghan-2024-yusuan.yaml 补上。", "missing")
    _read_unit(r, top, model)
    r.unit = model.unit
    _read_overview(r, top, model)
    read_custom_names(r, top, model.custom_names)  # the 决算's reading of the same block
    _read_items(r, top, model)
    _read_econ(r, top, model)
    _read_sangong(r, top, model)
    _read_running(r, top, model)
    _read_projects(r, top, model)
    _read_purchases(r, top, model)
    _read_services(r, top, model)
    _read_assets(r, top, model)
    model.prior = _read_year(r, top, "上年预算", with_procurement=True)
    model.before = _read_year(r, top, "前年预算")
    _read_notes(r, top, model)
    _read_overall(r, top, model)
    model.locs = r.locs
    model.root = root
    return model


def _read_unit(r: Reader, top: Mapping, model: BudgetModel) -> None:
    m = r.mapping(top.get("单位"), "单位")
    if m is None:
        return
    r.keys(m, "单位", UNIT_KEYS)
    model.name = r.text(m, "名称", "单位.名称", required=True)
    model.full_name = r.text(m, "全称", "单位.全称")
    model.code = r.text(m, "编码", "单位.编码")
    model.phone = r.text(m, "咨询电话", "单位.咨询电话")
    model.template = r.text(m, "模板", "单位.模板")
    node = r.scalar(m, "年度", "单位.年度")
    if node is None:
        r.error(m.key_locs.get("年度", m.loc), "单位.年度", "缺少“年度”。请填写预算年度，如 2024。", "missing")
    else:
        value = r.count_of(node, "单位.年度", "年度")
        if value is not None and not 2000 <= value <= 2100:
            r.error(node, "单位.年度", f"年度应为四位年份（如 2024），实际为 {value}。", "type")
        elif value is not None:
            model.year = value
    unit = r.text(m, "金额单位", "单位.金额单位") or "万元"
    if unit not in ("元", "万元"):
        r.error(m.items["金额单位"], "单位.金额单位", f"金额单位只能是“元”或“万元”，实际为“{unit}”。", "type")
        unit = "万元"
    model.unit = unit
    for i, unit_node in enumerate(r.sequence(m.get("预算单位"), "单位.预算单位"), 1):
        path = f"单位.预算单位[{i}]"
        entry = r.mapping(unit_node, path)
        if entry is None:
            continue
        r.keys(entry, path, ("编码", "名称"))
        model.units.append((r.text(entry, "编码", f"{path}.编码"), r.text(entry, "名称", f"{path}.名称", True)))
    if len(model.units) > 1:
        r.error(
            m.items["预算单位"], "单位.预算单位",
            "目前每个部门只支持本级一个预算单位（各科目的金额都记在它名下）；请只列本级。", "type",
        )  # fmt: skip


def _read_overview(r: Reader, top: Mapping, model: BudgetModel) -> None:
    m = r.mapping(top.get("概况"), "概况")
    if m is not None:
        r.keys(m, "概况", ("主要职能", "预算单位构成"))
        model.functions = r.text(m, "主要职能", "概况.主要职能")
        model.structure = r.text(m, "预算单位构成", "概况.预算单位构成")
    m = r.mapping(top.get("人员"), "人员")
    if m is None:
        return
    r.keys(m, "人员", ("统计时间", "编制", "在职实有", "离退休"))
    model.staff_date = r.text(m, "统计时间", "人员.统计时间")
    for key, allowed, target in (("编制", STAFF_POSTS, model.posts), ("在职实有", STAFF_ROLES, model.serving)):
        path = f"人员.{key}"
        block = r.mapping(m.get(key), path)
        if block is None:
            continue
        r.keys(block, path, allowed)
        for name in allowed:
            if name in block.items:
                target[name] = r.count(block, name, f"{path}.{name}", "人数")
    model.retired = r.count(m, "离退休", "人员.离退休", "人数")


def _read_items(r: Reader, top: Mapping, model: BudgetModel) -> None:
    m = r.mapping(top.get("科目"), "科目")
    if m is None:
        return
    for code, node in m.items.items():
        path = f"科目.{code}"
        r.locs[path] = m.key_locs[code]
        if not ITEM_RE.match(code):
            hidden = amounts.invisible_in(code)
            hint = f"编码中含有{hidden}。" if hidden else "请填写项级（7 位）科目编码，并加引号。"
            r.error(m.key_locs[code], path, f"“{amounts.shown(code)}”不是项级功能分类科目编码。{hint}", "code")
            continue
        block = r.mapping(node, path)
        r.locs[path] = m.key_locs[code]  # a finding about the 项 points at its code
        if block is None:
            r.error(node, path, "科目下应按资金来源填写，如“一般公共预算: {人员经费: …, 项目支出: …}”。", "type")
            continue
        r.keys(block, path, SOURCES)
        item = ItemFacts(code)
        for source in SOURCES:
            spath = f"{path}.{source}"
            money = r.amounts_block(r.mapping(block.get(source), spath), spath, SPENDING)
            if money:
                item.money[source] = money
        model.items[code] = item
    model.items = dict(sorted(model.items.items()))


def _read_econ(r: Reader, top: Mapping, model: BudgetModel) -> None:
    model.econ = dict(sorted(read_econ(r, top).items()))  # the 决算's reading of the same block, by code


def _read_sangong(r: Reader, top: Mapping, model: BudgetModel) -> None:
    m = r.mapping(top.get("三公经费"), "三公经费")
    if m is None:
        return
    r.keys(m, "三公经费", ("本年", "上年预算", "公务用车运行维护费用途", "因公出国（境）费说明"))
    model.sangong = r.amounts_block(r.mapping(m.get("本年"), "三公经费.本年"), "三公经费.本年", SANGONG_ITEMS)
    prior = r.mapping(m.get("上年预算"), "三公经费.上年预算")
    if prior is not None:
        model.sangong_prior = r.amounts_block(prior, "三公经费.上年预算", SANGONG_ITEMS)
    model.vehicle_use = r.text(m, "公务用车运行维护费用途", "三公经费.公务用车运行维护费用途")
    model.abroad_note = r.text(m, "因公出国（境）费说明", "三公经费.因公出国（境）费说明")


def _read_running(r: Reader, top: Mapping, model: BudgetModel) -> None:
    m = r.mapping(top.get("机关运行经费"), "机关运行经费")
    if m is None:
        return
    r.keys(m, "机关运行经费", ("本年", "上年预算", "主要内容"))
    model.running = r.optional_amount(m, "本年", "机关运行经费.本年")
    model.running_prior = r.optional_amount(m, "上年预算", "机关运行经费.上年预算")
    model.running_contents = r.text(m, "主要内容", "机关运行经费.主要内容")


def _indicator(r: Reader, node: Node, path: str, yearly: bool) -> Indicator | None:
    m = r.mapping(node, path)
    if m is None:
        r.error(node, path, "每个指标应写成“{一级: …, 二级: …, 三级: …, …}”。", "type")
        return None
    values = ("前年", "上年", "当年", "分值") if yearly else ("指标值",)
    r.keys(m, path, ("一级", "二级", "三级", *values, "依据"))
    t = {k: r.text(m, k, f"{path}.{k}") for k in ("一级", "二级", "三级", *values, "依据")}
    if not t["一级"]:
        r.error(m, f"{path}.一级", "缺少“一级”（产出指标、效益指标、满意度指标、成本指标）。", "missing")
    if yearly:
        return Indicator(t["一级"], t["二级"], t["三级"], "", t["前年"], t["上年"], t["当年"], t["分值"], t["依据"])
    return Indicator(t["一级"], t["二级"], t["三级"], t["指标值"], basis=t["依据"])


def _goals(r: Reader, m: Mapping, key: str, path: str, yearly: bool, weighted: bool = False) -> list[Goal]:
    goals = []
    for i, node in enumerate(r.sequence(m.get(key), f"{path}.{key}"), 1):
        gpath = f"{path}.{key}[{i}]"
        g = r.mapping(node, gpath)
        if g is None:
            r.error(node, gpath, "每个目标应写“说明:”和“指标:”。", "type")
            continue
        r.keys(g, gpath, ("说明", "指标", *(("权重",) if weighted else ())))
        goal = Goal(r.text(g, "说明", f"{gpath}.说明", required=True), r.text(g, "权重", f"{gpath}.权重"))
        for j, ind in enumerate(r.sequence(g.get("指标"), f"{gpath}.指标"), 1):
            if (indicator := _indicator(r, ind, f"{gpath}.指标[{j}]", yearly)) is not None:
                goal.indicators.append(indicator)
        goals.append(goal)
    return goals


FORM_TEXTS = {
    "主管部门": "department", "执行单位": "executor", "负责人": "leader", "联系电话": "phone", "项目代码": "code",
    "项目类别": "category", "安排频度": "frequency", "立项依据": "basis", "实施方案": "plan",
    "上年绩效评价结果": "last_result",
}  # fmt: skip


def _read_form(r: Reader, node: Node | None, path: str) -> ProjectForm | None:
    m = r.mapping(node, path)
    if m is None:
        return None
    r.keys(m, path, (*FORM_TEXTS, "预算变动情况", "项目总预算", "支出明细", "资产配置", "长期目标", "年度目标"))
    form = ProjectForm()
    for key, attr in FORM_TEXTS.items():
        setattr(form, attr, r.text(m, key, f"{path}.{key}"))
    form.history = r.text(m, "预算变动情况", f"{path}.预算变动情况").splitlines()
    form.total_budget = r.optional_amount(m, "项目总预算", f"{path}.项目总预算")
    for i, line in enumerate(r.sequence(m.get("支出明细"), f"{path}.支出明细"), 1):
        lpath = f"{path}.支出明细[{i}]"
        d = r.mapping(line, lpath)
        if d is None:
            continue
        r.keys(d, lpath, ("内容", "依据", "本级财政拨款", "上级转移支付", "其他资金"))
        form.details.append(DetailLine(
            r.text(d, "内容", f"{lpath}.内容", required=True), r.text(d, "依据", f"{lpath}.依据"),
            r.amount(d, "本级财政拨款", f"{lpath}.本级财政拨款"), r.amount(d, "上级转移支付", f"{lpath}.上级转移支付"),
            r.amount(d, "其他资金", f"{lpath}.其他资金"),
        ))  # fmt: skip
    for i, line in enumerate(r.sequence(m.get("资产配置"), f"{path}.资产配置"), 1):
        apath = f"{path}.资产配置[{i}]"
        a = r.mapping(line, apath)
        if a is not None:
            r.keys(a, apath, ("品名", "数量", "金额"))
            form.assets.append({k: r.text(a, k, f"{apath}.{k}") for k in ("品名", "数量", "金额")})
    form.long_goals = _goals(r, m, "长期目标", path, yearly=False)
    form.year_goals = _goals(r, m, "年度目标", path, yearly=True, weighted=True)
    return form


def _read_projects(r: Reader, top: Mapping, model: BudgetModel) -> None:
    for i, node in enumerate(r.sequence(top.get("项目"), "项目"), 1):
        path = f"项目[{i}]"
        m = r.mapping(node, path)
        if m is None:
            r.error(node, path, "每个项目应写“名称:”“科目:”“资金:”等。", "type")
            continue
        r.keys(m, path, ("名称", "编码", "科目", "资金", "用途", "类别", "支出方向", "分组", "申报表"))
        item = r.text(m, "科目", f"{path}.科目", required=True)
        if item and not ITEM_RE.match(item):
            r.error(m.items["科目"], f"{path}.科目", f"“{item}”不是项级（7 位）功能分类科目编码。", "code")
        group = r.text(m, "分组", f"{path}.分组") or "本级支出项目"
        if group not in PROJECT_CATEGORIES:
            r.error(m.items["分组"], f"{path}.分组", f"分组只能是：{'、'.join(PROJECT_CATEGORIES)}。", "type")
            group = "本级支出项目"
        money = r.amounts_block(r.mapping(m.get("资金"), f"{path}.资金"), f"{path}.资金", SOURCES)
        project = Project(
            name=r.text(m, "名称", f"{path}.名称", required=True), code=r.text(m, "编码", f"{path}.编码"),
            item=item, money=money, use=r.text(m, "用途", f"{path}.用途"), kind=r.text(m, "类别", f"{path}.类别"),
            direction=r.text(m, "支出方向", f"{path}.支出方向"), category=group,
            form=_read_form(r, m.get("申报表"), f"{path}.申报表"), path=path,
        )  # fmt: skip
        model.projects.append(project)


def _read_purchases(r: Reader, top: Mapping, model: BudgetModel) -> None:
    for i, node in enumerate(r.sequence(top.get("政府采购"), "政府采购"), 1):
        path = f"政府采购[{i}]"
        m = r.mapping(node, path)
        if m is None:
            continue
        r.keys(m, path, (*PROCUREMENT_TEXTS, "数量", *PROCUREMENT_AMOUNTS))
        texts = {k: r.text(m, k, f"{path}.{k}") for k in PROCUREMENT_TEXTS}
        money = {k: r.amount(m, k, f"{path}.{k}") for k in PROCUREMENT_AMOUNTS}
        model.purchases.append(Purchase(texts, money, r.text(m, "数量", f"{path}.数量"), path))


def _read_services(r: Reader, top: Mapping, model: BudgetModel) -> None:
    for i, node in enumerate(r.sequence(top.get("政府购买服务"), "政府购买服务"), 1):
        path = f"政府购买服务[{i}]"
        m = r.mapping(node, path)
        if m is None:
            continue
        r.keys(m, path, (*SERVICE_TEXTS, "数量", "金额"))
        texts = {k: r.text(m, k, f"{path}.{k}") for k in SERVICE_TEXTS}
        amount = r.amount(m, "金额", f"{path}.金额")
        model.services.append(Service(texts, r.text(m, "数量", f"{path}.数量"), amount, path))


def _read_assets(r: Reader, top: Mapping, model: BudgetModel) -> None:
    m = r.mapping(top.get("国有资产"), "国有资产")
    if m is None:
        return
    r.keys(m, "国有资产", ("截至日期", "车辆", "车辆说明", "单价50万元以上设备"))
    model.assets_date = r.text(m, "截至日期", "国有资产.截至日期")
    vehicles = r.mapping(m.get("车辆"), "国有资产.车辆")
    if vehicles is not None:
        for key in vehicles.items:
            path = f"国有资产.车辆.{key}"
            r.locs[path] = vehicles.key_locs[key]
            if problem := amounts.text_problem(key):
                r.error(vehicles.key_locs[key], path, problem, "text")
                continue
            model.vehicles[key] = r.count(vehicles, key, path, "车辆数")
    model.vehicle_note = r.text(m, "车辆说明", "国有资产.车辆说明")
    model.big_equipment = r.count(m, "单价50万元以上设备", "国有资产.单价50万元以上设备", "设备台数")


def _read_year(r: Reader, top: Mapping, key: str, with_procurement: bool = False) -> YearBudget | None:
    m = r.mapping(top.get(key), key)
    if m is None:
        return None
    r.keys(m, key, ("收入", "支出", *(("政府采购",) if with_procurement else ())))
    year = YearBudget()
    year.income = r.amounts_block(r.mapping(m.get("收入"), f"{key}.收入"), f"{key}.收入", SOURCES)
    year.spending = r.amounts_block(r.mapping(m.get("支出"), f"{key}.支出"), f"{key}.支出", SPENDING)
    if with_procurement:
        year.procurement = r.optional_amount(m, "政府采购", f"{key}.政府采购")
    return year


def _read_notes(r: Reader, top: Mapping, model: BudgetModel) -> None:
    m = r.mapping(top.get("说明"), "说明")
    if m is None:
        return
    reasons = ("收支变动原因", "一般公共预算变动原因")
    r.keys(m, "说明", (*reasons, "类用途", "经济分类用途", "绩效开展情况"))
    for key in reasons:
        model.reasons[key] = r.text(m, key, f"说明.{key}")
    model.perf_text = r.text(m, "绩效开展情况", "说明.绩效开展情况")
    classes = sorted({code[:3] for code in model.items})
    for key, target, digits in (("类用途", model.class_uses, classes), ("经济分类用途", model.econ_uses, None)):
        uses = r.mapping(m.get(key), f"说明.{key}")
        if uses is None:
            continue
        for code in uses.items:
            path = f"说明.{key}.{code}"
            r.locs[path] = uses.key_locs[code]
            if digits is not None and code not in digits:
                hint = "可填：" + "、".join(digits) + "。" if digits else ""
                message = f"“{amounts.shown(code)}”不是本文件“科目”中出现的类级科目编码。{hint}"
                r.error(uses.key_locs[code], path, message, "code")
                continue
            if digits is None and not re.match(r"^3[0-9]{2}$", code):
                r.error(uses.key_locs[code], path, f"“{amounts.shown(code)}”不是类级（3 位）经济分类科目编码。", "code")
                continue
            target[code] = r.text(uses, code, path)


def _read_overall(r: Reader, top: Mapping, model: BudgetModel) -> None:
    m = r.mapping(top.get("整体绩效"), "整体绩效")
    if m is None:
        return
    r.keys(m, "整体绩效", ("填报日期", "填报人", "联系电话", "职能概述", "年度工作任务", "长期目标", "年度目标"))
    model.overall = Overall(
        r.text(m, "填报日期", "整体绩效.填报日期"), r.text(m, "填报人", "整体绩效.填报人"),
        r.text(m, "联系电话", "整体绩效.联系电话"), r.text(m, "职能概述", "整体绩效.职能概述"),
        r.text(m, "年度工作任务", "整体绩效.年度工作任务"),
        _goals(r, m, "长期目标", "整体绩效", yearly=False), _goals(r, m, "年度目标", "整体绩效", yearly=True),
    )  # fmt: skip
