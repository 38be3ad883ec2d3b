"""Validate: located YAML nodes → the input Model, collecting every problem first.

Each block of the file has one reader function below. Keys are checked
against the schema (an unknown key is an error with a suggestion), scalars are
converted by what the schema expects there, and each value's location is kept.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from yujuesuan.errors import Findings
from yujuesuan.input import amounts
from yujuesuan.input.load import Mapping, Node, Scalar, Sequence
from yujuesuan.input.reader import Reader
from yujuesuan.kinds.juesuan.model import (
    BALANCE_KEYS,
    FUND_NOTES,
    FUND_SPENDING,
    FUNDS,
    INCOME_CONTENTS,
    INCOME_SOURCES,
    PERF_MANAGEMENT_AMOUNTS,
    PERF_MANAGEMENT_COUNTS,
    PERF_MANAGEMENT_TEXTS,
    PRIOR_KEYS,
    PRIOR_OPTIONAL_KEYS,
    REASON_KEYS,
    SANGONG_COUNTS,
    SANGONG_GROUPS,
    SANGONG_ITEMS,
    SANGONG_TEXTS,
    SPENDING_TYPES,
    VEHICLE_TYPES,
    ItemFacts,
    Model,
    PerfManagementInput,
)
from yujuesuan.kinds.juesuan.schema import REQUIRED_TOP, TOP_KEYS, fund_key, keys
from yujuesuan.kinds.juesuan.validate_extra import read_extra
from yujuesuan.kinds.juesuan.validate_perf import read_key_work, read_performance

CODE_RE = re.compile(r"^[0-9]{3}([0-9]{2}([0-9]{2})?)?$")  # ASCII digits: ２０１ is not a code


def read_model(root: Node, source: str, findings: Findings) -> Model:
    """Read the whole file into a Model; problems are added to ``findings``."""
    r = Reader(source, findings)
    top = r.mapping(root, "")
    if top is None:
        r.error(root, "", "文件内容应以“单位:”“科目:”等块开始。", "type")
        return Model(source, "", 0, "万元")
    r.keys(top, "", TOP_KEYS)
    for key in REQUIRED_TOP:
        if key not in top.items:
            r.error(top, key, f"缺少“{key}”块。请参照示例文件补上。", "missing")
    model = _read_unit(r, top, source)
    r.unit = model.unit
    model.functions = r.text(r.mapping(top.get("概况"), "概况"), "主要职能", "概况.主要职能")
    if (ov := r.mapping(top.get("概况"), "概况")) is not None:
        r.keys(ov, "概况", keys("概况"))
    _read_custom_names(r, top, model)
    _read_items(r, top, model)
    _read_balances(r, top, model)
    _read_econ(r, top, model)
    _read_sangong(r, top, model)
    _read_prior_and_notes(r, top, model)
    _read_other_facts(r, top, model)
    _read_perf_management(r, top, model)
    read_key_work(r, top, model)
    read_performance(r, top, model)
    read_extra(r, top, model)
    _read_declared(r, top, model)
    model.locs = r.locs
    return model


def stated_profile(root: Node) -> Scalar | None:
    """The 单位.模板 scalar (the profile the file asks for), read before validation: the profile must be
    known before the file is checked against it. Anything but a non-empty scalar is left to _read_unit."""
    unit = root.items.get("单位") if isinstance(root, Mapping) else None
    node = unit.items.get("模板") if isinstance(unit, Mapping) else None
    if isinstance(node, Scalar) and not node.is_null and node.text.strip():
        return node
    return None


def _digits_hint(code: str) -> str:
    """For a code typed in full-width (or other non-ASCII) digits: the half-width code to write instead."""
    if not any(ch.isdigit() and not ch.isascii() for ch in code):
        return ""
    half = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in code)
    return f'编码用了全角数字，请改为半角数字："{half}"。'


MAX_NAME_CHARS = 200  # the longest real 单位全称 is about 40; DOCX properties stop at 255 with the year


def _read_unit(r: Reader, top: Mapping, source: str) -> Model:
    m = r.mapping(top.get("单位"), "单位")
    if m is None:
        return Model(source, "", 0, "万元")
    r.keys(m, "单位", keys("单位"))
    name = r.text(m, "名称", "单位.名称", required=True)
    node = m.get("名称")
    if isinstance(node, Scalar) and not node.is_null and not name and amounts.text_problem(node.text) is None:
        r.error(node, "单位.名称", "单位名称只有空格（或全角空格），请填写本单位全称。", "missing")
    elif len(name) > MAX_NAME_CHARS:  # it heads the document, names the files and fills DOCX properties
        message = f"单位名称过长（{len(name)} 字，上限 {MAX_NAME_CHARS} 字），请填写单位全称。"
        r.error(node or m, "单位.名称", message, "text")
        name = name[:MAX_NAME_CHARS]
    year = 0
    node = r.scalar(m, "年度", "单位.年度")
    if node is not None:
        value = r.count_of(node, "单位.年度", "年度")
        if value is not None and not 2000 <= value <= 2100:
            r.error(node, "单位.年度", f"年度应为四位年份（如 2023），实际为 {value}。", "type")
        elif value is not None:
            year = value
    elif not isinstance(m.get("年度"), (Mapping, Sequence)):  # a list or map was reported above
        where = m.key_locs.get("年度", m.loc)
        r.error(where, "单位.年度", "缺少“年度”。请填写四位年份，如 2023。", "missing")
    unit = r.text(m, "金额单位", "单位.金额单位") or "万元"
    if unit not in ("元", "万元"):
        r.error(
            m.items["金额单位"],
            "单位.金额单位",
            f"金额单位只能是“元”或“万元”，实际为“{unit}”。",
            "type",
        )
        unit = "万元"
    model = Model(source, name, year, unit)
    model.subordinates = r.count(m, "下属单位数", "单位.下属单位数", "下属单位数")
    model.phone = r.text(m, "咨询电话", "单位.咨询电话")
    model.profile = r.text(m, "模板", "单位.模板")  # whether such a profile exists: api.check, which loads it
    for i, node in enumerate(r.sequence(m.get("下属单位"), "单位.下属单位"), 1):
        path = f"单位.下属单位[{i}]"
        if not isinstance(node, Scalar) or node.is_null:
            r.error(node, path, "下属单位应逐个写出单位名称（每行“- 名称”）。", "type")
        elif problem := amounts.text_problem(node.text):
            r.error(node, path, problem, "text")
        else:
            r.locs[path] = node.loc
            model.subordinate_names.append(node.text.strip())
    return model


def _read_custom_names(r: Reader, top: Mapping, model: Model) -> None:
    read_custom_names(r, top, model.custom_names)


def read_custom_names(r: Reader, top: Mapping, names: dict[str, str]) -> None:
    """自定义科目 (code → name), the same block in every kind's file: codes checked, names required."""
    m = r.mapping(top.get("自定义科目"), "自定义科目")
    if m is None:
        return
    for code in m.items:
        path = f"自定义科目.{code}"
        r.locs[path] = m.key_locs[code]
        if not CODE_RE.match(code):
            r.error(m.key_locs[code], path, f"科目编码“{code}”应为 3、5 或 7 位数字。{_digits_hint(code)}", "code")
            continue
        name = r.text(m, code, path, required=True)
        if name:
            names[code] = name


def _read_items(r: Reader, top: Mapping, model: Model) -> None:
    m = r.mapping(top.get("科目"), "科目")
    if m is None:
        return
    fund_keys = tuple(fund_key(fund) for fund in FUNDS)
    for code, node in m.items.items():
        path = f"科目.{code}"
        r.locs[path] = m.key_locs[code]
        if not re.match(r"^[0-9]{7}$", code):
            hidden = amounts.invisible_in(code)
            hint = f"编码中含有{hidden}。" if hidden else _digits_hint(code) or "请填写项级（7 位）科目编码，并加引号。"
            r.error(m.key_locs[code], path, f"“{code}”不是项级功能分类科目编码。{hint}", "code")
            continue
        block = r.mapping(node, path)
        r.locs[path] = m.key_locs[code]  # a finding about the 项 points at its code, not its first key
        if block is None:
            r.error(node, path, "科目下应填写“收入”“支出”等。", "type")
            continue
        r.keys(block, path, keys("科目.<编码>"))
        item = ItemFacts(code)
        item.income = r.amounts_block(r.mapping(block.get("收入"), f"{path}.收入"), f"{path}.收入", INCOME_SOURCES)
        item.spending = r.amounts_block(r.mapping(block.get("支出"), f"{path}.支出"), f"{path}.支出", SPENDING_TYPES)
        for fund, key in zip(FUNDS, fund_keys):
            _read_fund(r, r.mapping(block.get(key), f"{path}.{key}"), f"{path}.{key}", fund, item)
        item.budget = r.optional_amount(block, "年初预算", f"{path}.年初预算")
        item.reason = r.text(block, "差异原因", f"{path}.差异原因")
        item.use = r.text(block, "用途", f"{path}.用途")
        model.items[code] = item
    model.items = dict(sorted(model.items.items()))


def _read_fund(r: Reader, m: Mapping | None, path: str, fund: str, item: ItemFacts) -> None:
    """One fund's spending of a 项; 政府性基金 and 国有资本经营 may add 年初预算 and 差异原因."""
    notes = FUND_NOTES if fund != "一般公共预算" else ()
    if m is None:
        item.funds[fund] = {}
        return
    r.keys(m, path, keys(f"科目.<编码>.{fund_key(fund)}"))
    item.funds[fund] = {k: r.amount(m, k, f"{path}.{k}") for k in FUND_SPENDING[fund] if k in m.items}
    if notes and (budget := r.optional_amount(m, "年初预算", f"{path}.年初预算")) is not None:
        item.fund_budget[fund] = budget
    if notes and (reason := r.text(m, "差异原因", f"{path}.差异原因")):
        item.fund_reason[fund] = reason


def _read_balances(r: Reader, top: Mapping, model: Model) -> None:
    m = r.mapping(top.get("结转结余"), "结转结余")
    if m is None:
        return
    extra = keys("结转结余", kind="block")  # 年初 / 年末财政拨款结转和结余, by fund
    r.keys(m, "结转结余", keys("结转结余"))
    model.balances = {k: r.amount(m, k, f"结转结余.{k}") for k in BALANCE_KEYS}
    for key, target in zip(extra, (model.fund_open, model.fund_close)):
        path = f"结转结余.{key}"
        target.update(r.amounts_block(r.mapping(m.get(key), path), path, FUNDS))


def _read_econ(r: Reader, top: Mapping, model: Model) -> None:
    model.econ.update(read_econ(r, top))


def read_econ(r: Reader, top: Mapping) -> dict[str, Decimal]:
    """经济分类 (款级 code → amount), the same block in every kind's file, in the file's order."""
    m = r.mapping(top.get("经济分类"), "经济分类")
    out: dict[str, Decimal] = {}
    if m is None:
        return out
    for code in m.items:
        path = f"经济分类.{code}"
        r.locs[path] = m.key_locs[code]
        if not re.match(r"^[0-9]{5}$", code):
            message = f'“{amounts.shown(code)}”不是款级（5 位）经济分类科目编码，如 "30101"。{_digits_hint(code)}'
            r.error(m.key_locs[code], path, message, "code")
            continue
        out[code] = r.amount(m, code, path)
    return out


def _read_sangong(r: Reader, top: Mapping, model: Model) -> None:
    m = r.mapping(top.get("三公经费"), "三公经费")
    if m is None:
        return
    r.keys(m, "三公经费", keys("三公经费"))
    for key, target in (("预算", model.sangong_budget), ("决算", model.sangong_actual)):
        path = f"三公经费.{key}"
        target.update(r.amounts_block(r.mapping(m.get(key), path), path, SANGONG_ITEMS))
    model.vehicles_held = r.count(m, "公务用车保有量", "三公经费.公务用车保有量", "公务用车保有量")
    model.vehicle_use = r.text(m, "公务用车运行维护费用途", "三公经费.公务用车运行维护费用途")
    reasons = r.mapping(m.get("差异原因"), "三公经费.差异原因")
    if reasons is not None:
        r.keys(reasons, "三公经费.差异原因", keys("三公经费.差异原因"))
        for key in reasons.items:
            model.sangong_reasons[key] = r.text(reasons, key, f"三公经费.差异原因.{key}")
    _read_sangong_national(r, m, model)


def _read_sangong_national(r: Reader, m: Mapping, model: Model) -> None:
    """变动原因 (against last year) and 明细 (counts and uses): what 说明七 of the 2024 national layout states."""
    changes = r.mapping(m.get("变动原因"), "三公经费.变动原因")
    if changes is not None:
        r.keys(changes, "三公经费.变动原因", keys("三公经费.变动原因"))
        for key in SANGONG_GROUPS:
            if text := r.text(changes, key, f"三公经费.变动原因.{key}"):
                model.sangong_change_reasons[key] = text
    details = r.mapping(m.get("明细"), "三公经费.明细")
    if details is None:
        return
    r.keys(details, "三公经费.明细", keys("三公经费.明细"))
    for key in SANGONG_COUNTS:
        if key in details.items:
            model.sangong_counts[key] = r.count(details, key, f"三公经费.明细.{key}", key)
    for key in SANGONG_TEXTS:
        if text := r.text(details, key, f"三公经费.明细.{key}"):
            model.sangong_texts[key] = text
    model.sangong_foreign = r.optional_amount(details, "外宾接待费", "三公经费.明细.外宾接待费")


def _read_prior_classes(r: Reader, prior: Mapping, model: Model) -> None:
    """上年.一般公共预算类: last year's 一般公共预算财政拨款支出 by 类 (3-digit code)."""
    path = "上年.一般公共预算类"
    m = r.mapping(prior.get("一般公共预算类"), path)
    if m is None:
        return
    model.prior_classes = {}
    for code in m.items:
        r.locs[f"{path}.{code}"] = m.key_locs[code]
        if not re.match(r"^2\d{2}$", code):
            r.error(m.key_locs[code], f"{path}.{code}", f"“{code}”不是类级功能分类科目编码（3 位，加引号）。", "code")
            continue
        model.prior_classes[code] = r.amount(m, code, f"{path}.{code}")


def _read_prior_and_notes(r: Reader, top: Mapping, model: Model) -> None:
    prior = r.mapping(top.get("上年"), "上年")
    if prior is not None:
        r.keys(prior, "上年", keys("上年"))
        for key in (*PRIOR_KEYS, *PRIOR_OPTIONAL_KEYS):
            if key in prior.items:
                model.prior[key] = r.amount(prior, key, f"上年.{key}")
        path = "上年.三公经费"
        model.sangong_prior.update(r.amounts_block(r.mapping(prior.get("三公经费"), path), path, SANGONG_ITEMS))
        _read_prior_classes(r, prior, model)
    notes = r.mapping(top.get("说明"), "说明")
    if notes is not None:
        r.keys(notes, "说明", keys("说明"))
        for key in REASON_KEYS:
            model.reasons[key] = r.text(notes, key, f"说明.{key}")
        contents = r.mapping(notes.get("收入内容"), "说明.收入内容")
        if contents is not None:
            r.keys(contents, "说明.收入内容", keys("说明.收入内容"))
            for key in INCOME_CONTENTS:
                if text := r.text(contents, key, f"说明.收入内容.{key}"):
                    model.income_contents[key] = text
        uses = r.mapping(notes.get("类用途"), "说明.类用途")
        if uses is not None:
            # A use written under a code no 项 belongs to would silently never be printed.
            classes = sorted({code[:3] for code in model.items})
            for code in uses.items:
                path = f"说明.类用途.{code}"
                if code not in classes:
                    hint = _digits_hint(code) + ("可填：" + "、".join(classes) + "。" if classes else "")
                    r.error(
                        uses.key_locs[code],
                        path,
                        f"“{amounts.shown(code)}”不是本文件“科目”中出现的类级（3 位）科目编码。{hint}",
                        "code",
                    )
                    continue
                model.class_uses[code] = r.text(uses, code, path)


def _read_other_facts(r: Reader, top: Mapping, model: Model) -> None:
    m = r.mapping(top.get("机关运行经费"), "机关运行经费")
    if m is not None:
        r.keys(m, "机关运行经费", keys("机关运行经费"))
        amounts_ = keys("机关运行经费", kind="amount")
        model.running_cost = {k: r.amount(m, k, f"机关运行经费.{k}") for k in amounts_ if k in m.items}
        model.running_cost_note = r.text(m, "说明", "机关运行经费.说明")
    path = "政府采购"
    model.procurement = r.amounts_block(r.mapping(top.get(path), path), path, keys(path))
    m = r.mapping(top.get("国有资产"), "国有资产")
    if m is not None:
        r.keys(m, "国有资产", keys("国有资产"))
        vehicles = r.mapping(m.get("车辆"), "国有资产.车辆")
        if vehicles is not None:
            r.keys(vehicles, "国有资产.车辆", keys("国有资产.车辆"))
            for key in VEHICLE_TYPES:
                model.vehicles[key] = r.count(vehicles, key, f"国有资产.车辆.{key}", "车辆数")
        model.big_equipment = r.count(m, "单价100万元以上设备", "国有资产.单价100万元以上设备", "设备台数")


def _read_perf_management(r: Reader, top: Mapping, model: Model) -> None:
    """预算绩效管理 (说明十 of the 2024 national layout): 制度, 机制, counts and amounts."""
    m = r.mapping(top.get("预算绩效管理"), "预算绩效管理")
    if m is None:
        return
    r.keys(m, "预算绩效管理", keys("预算绩效管理"))
    facts = PerfManagementInput()
    for text_key in PERF_MANAGEMENT_TEXTS:
        if text := r.text(m, text_key, f"预算绩效管理.{text_key}"):
            facts[text_key] = text
    for count_key in PERF_MANAGEMENT_COUNTS:
        if count_key in m.items:
            facts[count_key] = r.count(m, count_key, f"预算绩效管理.{count_key}", count_key)
    for amount_key in PERF_MANAGEMENT_AMOUNTS:
        if (value := r.optional_amount(m, amount_key, f"预算绩效管理.{amount_key}")) is not None:
            facts[amount_key] = value
    model.perf_management = facts


def _read_declared(r: Reader, top: Mapping, model: Model) -> None:
    """核对数: totals copied from the 决算 software, as 表 → 行 → 列 → 金额 (or 表 → 行 → 金额)."""
    m = r.mapping(top.get("核对数"), "核对数")
    if m is None:
        return
    for table, tnode in m.items.items():
        tpath = f"核对数.{table}"
        rows = r.mapping(tnode, tpath)
        if rows is None:
            continue
        for row, rnode in rows.items.items():
            rpath = f"{tpath}.{row}"
            r.locs[rpath] = rows.key_locs[row]
            if isinstance(rnode, Scalar):
                model.declared[(table, row, "")] = r.amount_of(rnode, rpath)
                continue
            cols = r.mapping(rnode, rpath)
            if cols is None:
                continue
            for col in cols.items:
                cpath = f"{rpath}.{col}"
                node = r.scalar(cols, col, cpath)
                if node is not None:
                    model.declared[(table, row, col)] = r.amount_of(node, cpath)
