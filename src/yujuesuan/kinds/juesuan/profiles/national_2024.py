"""The 2024 national layout's code (profile national-2024): the facts its 说明 states that the file lacks.

The 2024 部门决算 template compares the 三公 with last year, gives every 项 its
用途 and 年初预算, lists the 预留 figures of 政府采购 and the 预算绩效管理
statistics. The figures themselves are the kind's (derive/national.py; every
build has them). This code lists, for a profile that names it (``code:
national-2024``), each such fact the file lacks: a located warning (rule 待补)
and a row of the 待补 table, with the input path it belongs to. The template
prints 【缺少…】 in its place (grammar.missing, the ``缺少`` helper).
"""

from __future__ import annotations

from decimal import Decimal

from yujuesuan.derive import Figures
from yujuesuan.derive.values import Change
from yujuesuan.kinds.juesuan.derive.national import CAR, sangong_prior
from yujuesuan.kinds.juesuan.derive.tables import ZERO, DTable, Row
from yujuesuan.kinds.juesuan.model import (
    INCOME_CONTENTS,
    PERF_MANAGEMENT_KEYS,
    RESERVED_PROCUREMENT_KEYS,
    SANGONG_GROUPS,
    Model,
)
from yujuesuan.kinds.juesuan.profiles import Missing, ProfileCode

# The facts this layout may find missing, by the first part of the input path they belong to
# (profile.yaml ``requires`` may pick some of them; a profile that says nothing gets all).
FACTS = ("上年", "三公经费", "科目", "结转结余", "政府采购", "预算绩效管理", "单位", "说明")
MESSAGE = "2024 年版部门决算模板要写明，但文件中没有：{message}。文档中暂以“【缺少…】”标出。"


def _sangong_actual(model: Model, name: str) -> Decimal:
    if name == "公务用车购置及运行维护费":
        return sum((model.sangong_actual.get(c, ZERO) for c in CAR), ZERO)
    return model.sangong_actual.get(name, ZERO)


def _sangong_needs(model: Model) -> list[tuple[str, str]]:
    needs = []
    if sum(model.sangong_actual.values(), ZERO) and not model.sangong_prior:
        needs.append(("上年", "上年“三公”经费决算数（“上年.三公经费”），说明七要与上年比较"))
    for name in SANGONG_GROUPS:
        change = Change(_sangong_actual(model, name), sangong_prior(model, name))
        if change.known and change.diff and name not in model.sangong_change_reasons:
            what = f"{name}比上年{change.direction}的主要原因（“三公经费.变动原因.{name}”）"
            needs.append(("三公经费.变动原因", what))
    counts, texts = model.sangong_counts, model.sangong_texts
    wanted = (
        ("因公出国（境）费", ("因公出国团组数", "因公出国人次", "因公出国开支内容")),
        ("公务用车购置费", ("公务用车购置数量", "公务用车购置用途")),
        ("公务接待费", ("公务接待批次", "公务接待人次", "公务接待用途")),
    )
    for item, keys in wanted:
        missing = [k for k in keys if k not in counts and k not in texts]
        if model.sangong_actual.get(item) and missing:
            needs.append(("三公经费.明细", f"{item}的{'、'.join(missing)}（“三公经费.明细”）"))
    if model.sangong_actual.get("公务用车运行维护费") and not model.vehicle_use:
        needs.append(("三公经费", "公务用车运行维护费的主要用途（“三公经费.公务用车运行维护费用途”）"))
    return needs


def _item_needs(model: Model, tables: dict[str, DTable]) -> list[tuple[str, str]]:
    needs = []
    used = {r.key for t in ("05", "07", "08收支") for r in tables[t].rows if r.level == 3}
    for code in sorted(used):
        if not model.items[code].use:
            needs.append((f"科目.{code}", f"科目 {code} 的主要用途（“科目.{code}.用途”），说明五、八、九逐项写明"))
    for fund, table in (("政府性基金预算", "07"), ("国有资本经营预算", "08收支")):
        for row in tables[table].rows:
            if row.level == 3 and fund not in model.items[row.key].fund_budget:
                path = f"科目.{row.key}.{fund}财政拨款支出"
                needs.append((path, f"科目 {row.key} 的{fund}财政拨款年初预算数（“{path}.年初预算”）"))
        opening = model.fund_open.get(fund, ZERO)
        if tables[table].get("合计", "年初结转和结余") != opening:
            path = "结转结余.年初财政拨款结转和结余"
            needs.append((path, f"各科目的{fund}财政拨款年初结转和结余（合计应为公开04表的 {opening}）"))
    return needs


def _other_needs(model: Model, tables: dict[str, DTable]) -> list[tuple[str, str]]:
    needs = []
    if model.running_cost.get("决算") and "机关运行经费" not in model.prior:
        needs.append(("上年", "上年机关运行经费决算数（“上年.机关运行经费”），说明十一要与上年比较"))
    p = model.procurement
    missing = [k for k in RESERVED_PROCUREMENT_KEYS if k not in p]
    if sum((p.get(k, ZERO) for k in ("货物", "工程", "服务")), ZERO) and missing:
        needs.append(("政府采购", f"政府采购的{'、'.join(missing)}（“政府采购”）"))
    keys = PERF_MANAGEMENT_KEYS
    if model.perf_management is None:
        what = "“预算绩效管理”块（制度、工作机制、绩效目标和跟踪评价的项目数与金额、问题整改数）"
        needs.append(("预算绩效管理", what))
    elif unfilled := [k for k in keys if k not in model.perf_management]:
        needs.append(("预算绩效管理", f"预算绩效管理的{'、'.join(unfilled)}"))
    if model.subordinates and not model.subordinate_names:
        needs.append(("单位.下属单位数", "各下属单位的名称（“单位.下属单位”），部门决算单位构成要逐个列出"))
    for name in INCOME_CONTENTS:
        if tables["01"].get(name) and name not in model.income_contents:
            needs.append(("说明", f"{name}的主要内容（“说明.收入内容.{name}”），名词解释要列举"))
    return needs


def derive(figures: Figures, missing: Missing) -> None:
    """Record each fact the 2024 layout states that the file lacks; list them in the 待补 table too."""
    model, tables = figures.model, figures.tables
    needs = [*_sangong_needs(model), *_item_needs(model, tables), *_other_needs(model, tables)]
    for path, what in needs:
        missing.mark(path.split(".")[0], path, what, what)
    rows = []
    for i, need in enumerate(missing, 1):
        row = Row(f"待补{i}", need.message, path=need.path)
        row.set("缺少", Decimal(1), 0)  # a count, not a rounded amount
        rows.append(row)
    tables["待补"] = DTable("待补", ("缺少",), rows)


CODE = ProfileCode(
    name="national-2024",
    facts=FACTS,
    derive=derive,
    missing_rule="待补",
    missing_message=MESSAGE,
    for_document=False,  # the template prints 【缺少…】 itself; composing needs nothing derived here
)
