"""Checks that need the catalog or the derived sizes: unknown codes, mixed-up money units.

Also the facts a new or rolled-over file still lacks (placeholders, empty 项,
missing 上年数) and the texts rollover.py carried over from last year that
still start with REVIEW_MARK. pipeline.check calls check_codes, which runs these.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from yujuesuan.catalog import Catalog
from yujuesuan.derive import Figures
from yujuesuan.errors import Findings, InputError, Location
from yujuesuan.input.load import Node, load_file, scalars
from yujuesuan.kinds.juesuan.model import PERF_MANAGEMENT_TEXTS, PRIOR_OPTIONAL_KEYS, SANGONG_TEXTS, Indicator, Model

SUSPICIOUS_WAN = Decimal(100_000)  # 10 亿元 in one leaf of a 万元 file: likely typed in 元
REVIEW_MARK = "【待更新】"  # rollover.py puts it before every text carried over from last year
NAME_PLACEHOLDER = "（单位名称）"  # what workflows/new.py writes as 单位.名称
CORE_PRIOR = (
    "收支总计",
    "收入合计",
    "支出合计",
    "财政拨款收支总计",
    "一般公共预算财政拨款收入",
    "一般公共预算财政拨款支出",
)
INDICATOR_FIELDS = (
    ("一级", "level1"),
    ("二级", "level2"),
    ("三级", "level3"),
    ("目标值", "target"),
    ("实际值", "actual"),
)


def check_codes(model: Model, catalog: Catalog, findings: Findings, root: Node | None = None) -> None:
    """Every code must be in the catalog, or named by the file in 自定义科目."""
    classes = {c.code for c in catalog.classes}
    for code in model.items:
        path = f"科目.{code}"
        missing = [c for c in (code[:3], code[:5], code) if catalog.name(c) is None]
        if missing:
            findings.add(
                "unknown-code",
                f"{catalog.year} 年科目目录中没有功能分类科目 {'、'.join(missing)}。"
                f'请核对编码；若确为本地科目，请在“自定义科目”中写出其名称，如 "{missing[0]}": 名称。',
                model.loc(path),
                path,
            )
        elif code[:3] not in classes:
            findings.add(
                "unknown-class",
                f"科目 {code} 所属的类 {code[:3]} 不在 {catalog.year} 年公开01表的类中。",
                model.loc(path),
                path,
            )
    known_econ = {i.code for i in catalog.econ_items}
    for code in model.econ:
        path = f"经济分类.{code}"
        if code not in known_econ:
            name = catalog.name(code)
            what = f"“{code} {name}”不在公开06表中" if name else f"经济分类目录中没有 {code}"
            findings.add(
                "unknown-econ",
                f"{what}。公开06表只列 301、302、303、310 类的款级科目，请核对编码。",
                model.loc(path),
                path,
            )
    check_missing(model, findings)
    check_review_marks(model, findings, root)
    for project in model.performance.projects:
        if project.code and project.code not in model.items:
            path = f"{project.path}.科目"
            findings.add(
                "project-code",
                f"项目“{project.name}”的科目 {project.code} 不在“科目”块中。",
                model.loc(path),
                path,
            )


def check_units(figures: Figures, findings: Findings) -> None:
    """Warn when figures look typed in the other money unit (off by 10,000)."""
    model = figures.model
    total = figures.tables["03"].get("合计", "本年支出合计")
    if model.unit == "万元":
        for code, item in model.items.items():
            for kind, value in (*item.income.items(), *item.spending.items()):
                if value >= SUSPICIOUS_WAN:
                    path = f"科目.{code}.{'收入' if kind in item.income else '支出'}.{kind}"
                    findings.warn(
                        "unit-mixup",
                        f"金额 {value} 万元（{value / 10000} 亿元）异常大，是否按“元”填写了？"
                        "本文件的金额单位是“万元”。",
                        model.loc(path),
                        path,
                    )
    elif model.unit == "元" and 0 < total < 10_000:
        findings.warn(
            "unit-mixup",
            f"本年支出合计只有 {total} 元，是否按“万元”填写了？本文件的金额单位是“元”。",
            model.loc("单位.金额单位"),
            "单位.金额单位",
        )


def model_texts(model: Model) -> Iterator[tuple[str, str]]:
    """Every free text of the model with its field path (the paths validate.py records)."""
    yield "概况.主要职能", model.functions
    for i, name in enumerate(model.subordinate_names, 1):
        yield f"单位.下属单位[{i}]", name
    for code, name in model.custom_names.items():
        yield f"自定义科目.{code}", name
    for code, item in model.items.items():
        yield f"科目.{code}.差异原因", item.reason
        yield f"科目.{code}.用途", item.use
        for fund, text in item.fund_reason.items():
            yield f"科目.{code}.{fund}财政拨款支出.差异原因", text
    yield "三公经费.公务用车运行维护费用途", model.vehicle_use
    for key, text in model.sangong_reasons.items():
        yield f"三公经费.差异原因.{key}", text
    for key, text in model.sangong_change_reasons.items():
        yield f"三公经费.变动原因.{key}", text
    for text_key in SANGONG_TEXTS:
        if text_key in model.sangong_texts:
            yield f"三公经费.明细.{text_key}", model.sangong_texts[text_key]
    for key, text in model.reasons.items():
        yield f"说明.{key}", text
    for key, text in model.income_contents.items():
        yield f"说明.收入内容.{key}", text
    for perf_key in PERF_MANAGEMENT_TEXTS:
        if model.perf_management and perf_key in model.perf_management:
            yield f"预算绩效管理.{perf_key}", model.perf_management[perf_key]
    for code, text in model.class_uses.items():
        yield f"说明.类用途.{code}", text
    yield "机关运行经费.说明", model.running_cost_note
    yield "重点工作.正文", model.key_work_text
    for i, row in enumerate(model.key_work_rows, 1):
        for key, text in row.items():
            yield f"重点工作.表[{i}].{key}", text
    perf = model.performance
    for key, text in (*perf.texts.items(), *((f"整体.{k}", v) for k, v in perf.overall_texts.items())):
        yield f"绩效.{key}", text
    for i, goal in enumerate(perf.goals, 1):
        yield f"绩效.整体.目标[{i}].名称", goal.name
        yield from _indicator_texts(f"绩效.整体.目标[{i}].指标", goal.indicators)
    for project in perf.projects:
        yield f"{project.path}.名称", project.name
        for key, text in project.texts.items():
            yield f"{project.path}.{key}", text
        yield from _indicator_texts(f"{project.path}.指标", project.indicators)


def _indicator_texts(path: str, indicators: list[Indicator]) -> Iterator[tuple[str, str]]:
    for j, ind in enumerate(indicators, 1):
        for key, attr in INDICATOR_FIELDS:
            yield f"{path}[{j}].{key}", getattr(ind, attr)


def _marked(node: Node) -> Iterator[tuple[str, Location]]:
    """Every text of the file that starts with REVIEW_MARK, by field path (as validate.py names them)."""
    return ((path, scalar.loc) for path, scalar in scalars(node) if scalar.text.lstrip().startswith(REVIEW_MARK))


def check_review_marks(model: Model, findings: Findings, root: Node | None = None) -> None:
    """A text carried over from last year (starting 【待更新】) is a warning until someone edits it.

    The file's node tree (``root``; read again from model.source when not given) is
    walked, so that a marked text of any block counts, also of a block that only
    some layout reads; without the file, the model's texts are.
    """
    try:
        marked = list(_marked(root if root is not None else load_file(Path(model.source))[0]))
    except (InputError, OSError):
        marked = [(p, model.loc(p)) for p, text in model_texts(model) if text.startswith(REVIEW_MARK)]
    for path, loc in marked:
        findings.warn(
            "carried-text",
            f"这段文字是从上年文件（或本年部门预算）带过来的，请按本年情况核对修改，并删去开头的“{REVIEW_MARK}”。",
            loc,
            path,
        )


def check_missing(model: Model, findings: Findings) -> None:
    """Facts a fresh or rolled-over file still lacks: each is a warning, so `check` lists what to fill in."""
    reported = {f.path for f in findings.items}  # a text refused as unreadable is not also "missing"
    if (model.name == NAME_PLACEHOLDER or not model.name.strip("（）() ")) and "单位.名称" not in reported:
        findings.warn("missing-fact", "请把“（单位名称）”改为本单位全称。", model.loc("单位.名称"), "单位.名称")
    if not model.functions and "概况.主要职能" not in reported:
        path = "概况.主要职能"
        findings.warn("missing-fact", "没有填写主要职能（第一部分 概况）。", model.loc(path), path)
    filled = False
    for code, item in model.items.items():
        values = [*item.income.values(), *item.spending.values(), *(v for f in item.funds.values() for v in f.values())]
        filled = filled or any(values)
        if not any(values):
            findings.warn(
                "missing-fact",
                f"科目 {code} 没有填写任何金额，不会出现在决算表中。请填写；本单位没有这项收支的，请整段删去。",
                model.loc(f"科目.{code}"),
                f"科目.{code}",
            )
    if model.items and not filled:
        # A file whose 项 are all empty (a rollover from last year or from the budget, not yet filled)
        # would publish a document of zeros: a placeholder, so that only a draft can be built.
        findings.warn(
            "placeholder",
            "还没有填写任何科目的决算金额（收入、支出都空着）：请照本年决算填写；填写之前只能生成草稿。",
            model.loc("科目"),
            "科目",
        )
    if model.econ and not any(model.econ.values()):
        findings.warn("missing-fact", "经济分类（公开06表）没有填写任何金额。", model.loc("经济分类"), "经济分类")
    if "上年" not in model.locs:
        findings.warn("missing-fact", "没有“上年”块：说明中将不写与上年的比较。", model.loc(""), "上年")
        return
    for key in CORE_PRIOR:
        if not model.prior.get(key):
            findings.warn(
                "missing-fact",
                f"上年数“{key}”未填写或为 0：说明中将按上年为零比较。请照上年决算填写；上年确为 0 的可忽略。",
                model.loc(f"上年.{key}"),
                f"上年.{key}",
            )


def _prior_wanted(figures: Figures) -> list[tuple[str, str]]:
    """(上年 key, what the 说明 leaves out without it) for each comparison this year's figures call for."""
    m, t = figures.model, figures.tables
    wanted: list[tuple[str, str]] = []
    for key in PRIOR_OPTIONAL_KEYS[:7]:  # income sources
        if t["01"].get(key):
            wanted.append((key, f"{key}与上年的比较（说明二、四）"))
    spending = t["03"].row("合计")
    for kind in ("基本支出", "项目支出", *PRIOR_OPTIONAL_KEYS[7:10]):
        if spending is not None and spending.get(kind):
            wanted.append((kind, f"{kind}与上年的比较（说明三）"))
    for key in PRIOR_OPTIONAL_KEYS[10:]:
        if t["01"].get(key):
            wanted.append((key, f"{key}与上年的比较（说明一）"))
    if m.running_cost.get("决算"):
        wanted.append(("机关运行经费", "机关运行经费与上年的比较"))
    return wanted


def check_prior(figures: Figures, findings: Findings) -> None:
    """Each comparison with last year that the 说明 leaves out for want of a 上年 figure is a warning."""
    m = figures.model
    if "上年" not in m.locs:
        return  # check_missing already says the whole block is missing
    where = m.loc("上年")
    for key, what in _prior_wanted(figures):
        if key not in m.prior:
            findings.warn("prior-missing", f"上年数“{key}”未填写：说明中不写{what}。", where, f"上年.{key}")
    if m.prior_classes is None and any(r.level == 1 for r in figures.tables["05"].rows):
        findings.warn(
            "prior-missing",
            "没有“上年.一般公共预算类”（上年各类的一般公共预算财政拨款支出）：说明五（二）中不写各类与上年的比较。",
            where,
            "上年.一般公共预算类",
        )
    if not m.sangong_prior and sum(m.sangong_actual.values(), Decimal(0)):
        findings.warn(
            "prior-missing",
            "没有“上年.三公经费”：说明中不写“三公”经费各项与上年的比较。",
            where,
            "上年.三公经费",
        )
