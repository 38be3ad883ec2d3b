"""尾数误差 of rounded 万元 figures: rules quote the figures they compare, declared totals spread.

Each test adds a 核对数 block (or changes a leaf) in a copy of the sample and
asserts the findings' rule, severity and the figures named in the message.
"""

from __future__ import annotations

from decimal import Decimal

from yujuesuan.errors import Severity

D = Decimal
FREE_LINE = "# 空着的金额可以写 0，也可以不写。"


def declare(text: str, mutate, block: str) -> str:
    return mutate(text, FREE_LINE, f"核对数: {block}")


def by_rule(findings, rule: str) -> list:
    return [f for f in findings if f.rule == rule]


def show(findings) -> str:
    return "\n".join(f.format() for f in findings)


def test_item_subtotal_of_two_rounded_cells_allows_a_cent(sample_text, mutate, check_text):
    """2013350's 小计 adds 基本 313.28 and 项目 124.40: a printed 437.69 is 尾数, 437.70 is not."""
    ok = check_text(declare(sample_text, mutate, '{公开05: {"2013350": {小计: 437.69}}}'))
    assert not ok.errors, show(ok.findings)
    [f] = by_rule(ok.findings, "declared-rounding")
    assert "437.69" in f.message and "437.68" in f.message and "2 个万元数" in f.message
    assert ok.figures.tables["05"].row("2013350").get("小计") == D("437.69")
    bad = check_text(declare(sample_text, mutate, '{公开05: {"2013350": {小计: 437.70}}}'))
    [f] = by_rule(bad.findings, "declared-mismatch")
    assert f.severity is Severity.ERROR and "437.70" in f.message and "437.68" in f.message


def test_a_total_declared_once_is_shown_wherever_it_is_printed(sample_text, mutate, check_text):
    checked = check_text(declare(sample_text, mutate, "{公开03: {合计: {本年支出合计: 537.13}}}"))
    assert not checked.errors, show(checked.findings)
    assert checked.figures.tables["03"].get("合计", "本年支出合计") == D("537.13")
    assert checked.figures.tables["01"].get("本年支出合计", "金额") == D("537.13")  # 公开01 prints the same figure


def test_two_declarations_of_one_quantity_that_differ_are_named(sample_text, mutate, check_text):
    block = "{公开03: {合计: {本年支出合计: 537.13}}, 公开01: {本年支出合计: 537.11}}"
    checked = check_text(declare(sample_text, mutate, block))
    [f] = by_rule(checked.findings, "declared-conflict")
    assert f.severity is Severity.WARNING  # 0.02 over 20 leaves: 尾数
    assert "公开03表“合计”行“本年支出合计”的核对数 537.13" in f.message
    assert "公开01表“本年支出合计”行“金额”的核对数 537.11" in f.message and "相差 0.02" in f.message
    assert checked.figures.tables["03"].get("合计", "本年支出合计") == D("537.13")
    assert checked.figures.tables["01"].get("本年支出合计", "金额") == D("537.11")


def test_leaf_sums_that_differ_under_equal_printed_totals_are_quoted(sample_text, mutate, check_text):
    """The issue's "2336.91 应等于 2336.91（相差 0）": now the leaf sums compared, and the printed ones."""
    text = mutate(sample_text, '"30101": 79.38', '"30101": 79.40')  # 06's items now add to 409.65
    text = declare(text, mutate, "{公开06: {人员经费合计: 392.04}}")  # printed as before
    checked = check_text(text)
    assert not checked.errors, show(checked.findings)
    [f] = by_rule(checked.findings, "06-05-基本支出")
    assert f.severity is Severity.WARNING
    assert "409.65" in f.message and "409.63" in f.message and "相差 0.02" in f.message
    assert "按明细推算；表中所列分别为 409.63 和 409.63" in f.message
    assert "两方分别由 21 个和" in f.message or "和 21 个万元数" in f.message
    assert "相差 0）" not in f.message and "相差 0，" not in f.message


def test_beyond_the_leaves_tolerance_is_an_error_with_both_figures(sample_text, mutate, check_text):
    text = mutate(sample_text, '"30101": 79.38', '"30101": 79.53')
    [f] = by_rule(check_text(text).findings, "06-05-基本支出")
    assert f.severity is Severity.ERROR
    assert "409.78" in f.message and "409.63" in f.message and "超出尾数误差范围（0.14）" in f.message


def test_the_tolerance_is_half_a_cent_per_leaf_on_each_side(sample_text, mutate, check_text):
    """06 (7 leaves) against 05 (21 leaves): 0.14 is rounding at worst, so 0.14 off is a warning."""
    text = mutate(sample_text, '"30101": 79.38', '"30101": 79.52')
    [f] = by_rule(check_text(text).findings, "06-05-基本支出")
    assert f.severity is Severity.WARNING
    assert "409.77" in f.message and "409.63" in f.message and "在尾数误差范围（0.14）内" in f.message


def test_narrative_totals_can_be_declared(sample_text, mutate, check_text):
    """年初预算 (the 项 add to 523.03) and 政府采购总额 (货物 1.59) as the 说明 states them."""
    checked = check_text(declare(sample_text, mutate, "{说明: {年初预算: 523.04}}"))
    assert not checked.errors, show(checked.findings)
    assert checked.figures.facts["年初预算"].budget == D("523.04")
    [f] = by_rule(checked.findings, "declared-rounding")
    assert "523.04" in f.message and "523.03" in f.message
    bad = check_text(declare(sample_text, mutate, "{说明: {政府采购总额: 1.61}}"))
    [f] = by_rule(bad.findings, "declared-mismatch")
    assert "1.61" in f.message and "1.59" in f.message
    unknown = check_text(declare(sample_text, mutate, "{说明: {职工人数: 3}}"))
    assert by_rule(unknown.findings, "declared-unknown")


def test_last_years_sangong_total_can_be_declared(sample_text, check_text):
    """说明七 compares this year's 三公 with last year's total: 4.21 + 0.30 typed, 4.52 printed."""
    text = sample_text.replace("\n上年:\n", "\n上年:\n  三公经费: {公务用车运行维护费: 4.21, 公务接待费: 0.30}\n", 1)
    checked = check_text(text + "\n核对数:\n  说明: {上年三公经费: 4.52}\n")
    assert not checked.errors, show(checked.findings)
    assert checked.figures.facts["三公"]["变动"].previous == D("4.52")
    [f] = by_rule(checked.findings, "declared-rounding")
    assert "上年“三公”经费决算合计填报数 4.52" in f.message and "4.51" in f.message


def test_a_balance_a_cent_off_from_rounded_leaves_is_a_warning(sample_text, mutate, check_text):
    """04 收入总计 537.12 against 支出总计 537.13: 尾数 of rounded leaves, named with both figures."""
    old = "年末财政拨款结转和结余: {一般公共预算: 0,"
    checked = check_text(mutate(sample_text, old, old.replace("0,", "0.01,")))
    assert not checked.errors, show(checked.findings)
    [f] = by_rule(checked.findings, "04-收支平衡")
    assert f.severity is Severity.WARNING
    assert "537.12 ≠ 支出总计 537.13（相差 0.01）" in f.message and "在尾数误差范围" in f.message
    assert "两方分别由 8 个和 11 个万元数相加" in f.message
