"""Change one figure of the sample, and the audit names the right rule at the right line.

Each test copies sample_data/qingshan-2023.yaml with one leaf changed (by text
replacement, so every other line keeps its number), runs pipeline.check, and
asserts the rule ids that fire, their severity and the line they point at. The
expected line is found by searching the changed text, never hard-coded.

Where a finding belongs to a whole block (经济分类, 科目), the loader locates
the block at its first entry; such findings are accepted on the block's key
line or on its first entry line (``block_lines``).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from yujuesuan.errors import Finding, Severity

D = Decimal
ERROR, WARNING = Severity.ERROR, Severity.WARNING

# The sample's first comment line carries no data; replacing it keeps every line number.
FREE_LINE = "# 空着的金额可以写 0，也可以不写。"


def by_rule(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def one(findings: list[Finding], rule: str) -> Finding:
    found = by_rule(findings, rule)
    assert len(found) == 1, f"{rule}: {len(found)} findings\n" + "\n".join(f.format() for f in findings)
    return found[0]


def rules_of(findings: list[Finding], severity: Severity) -> set[str]:
    return {f.rule for f in findings if f.severity is severity}


def block_lines(text: str, header: str, first_entry: str, line_of) -> set[int]:
    """The key line of a block (``header``) and the line of its first entry."""
    start = line_of(text, header)
    first = line_of(text, first_entry)
    assert first > start
    return {start, first}


def show(findings: list[Finding]) -> str:
    return "\n".join(f.format() for f in findings)


# ---------------------------------------------------------------------------
# Between tables
# ---------------------------------------------------------------------------

FUND_2013350 = "一般公共预算财政拨款支出: {基本支出: 313.28, 项目支出: 124.40}"


def test_fiscal_basic_above_spending(sample_text, mutate, check_text, line_of):
    """2013350: 一般公共预算财政拨款 基本支出 313.38 > its 支出 基本支出 313.28 (公开05 vs 03)."""
    changed = FUND_2013350.replace("313.28", "313.38")
    text = mutate(sample_text, FUND_2013350, changed)
    findings = check_text(text).findings

    f = one(findings, "05-03-基本支出")
    assert f.severity is ERROR
    assert f.location.line == line_of(text, changed)  # the 项's 一般公共预算财政拨款支出 line
    assert f.path == "科目.2013350.一般公共预算财政拨款支出"
    assert "2013350" in f.message and "313.38" in f.message and "313.28" in f.message

    # 05 基本支出 rose by 0.10 without income or 经济分类 to match: these must disagree too.
    assert rules_of(findings, ERROR) == {
        "05-03-基本支出",
        "04-收支平衡",  # 04 income 537.12 ≠ spending 537.22 (8 + 10 leaves: 0.09 of 尾数 at most)
        "04-一般公共预算结转",  # 年末结转 0 ≠ 537.12 − 537.22
    }, show(findings)
    # Sums of 28 and 20 rounded 万元 leaves may differ by 0.14 and 0.10 from rounding alone:
    # within that a difference is a warning that names both figures, never a false error.
    assert {"06-05-基本支出", "01-04-财政拨款支出"} <= rules_of(findings, WARNING), show(findings)
    assert one(findings, "06-05-基本支出").location.line in block_lines(text, "\n经济分类:", '"30101"', line_of)
    assert one(findings, "01-04-财政拨款支出").location.line in block_lines(text, "\n科目:", '"2013350":', line_of)
    balance = one(findings, "04-收支平衡")
    assert balance.location.line == line_of(text, "年末财政拨款结转和结余: {")


@pytest.mark.parametrize(
    ("typed", "severity", "sums"),
    [
        # 1.00 off is beyond the 尾数 of 7 + 21 rounded leaves (0.14): an error.
        ("80.38", ERROR, ("410.63", "409.63")),
        # 0.10 off could be rounding alone over 28 leaves: a warning quoting both sums.
        ("79.48", WARNING, ("409.73", "409.63")),
    ],
)
def test_econ_item_changed(sample_text, mutate, check_text, line_of, typed, severity, sums):
    """30101 基本工资 79.38 → typed: 公开06 no longer adds up to 05's 基本支出 409.63."""
    text = mutate(sample_text, '"30101": 79.38', f'"30101": {typed}')
    findings = check_text(text).findings
    f = one(findings, "06-05-基本支出")
    assert f.severity is severity
    assert f.location.line in block_lines(text, "\n经济分类:", '"30101"', line_of)
    assert sums[0] in f.message and sums[1] in f.message and "7 个和 21 个" in f.message
    assert rules_of(findings, ERROR) == ({"06-05-基本支出"} if severity is ERROR else set()), show(findings)
    assert rules_of(findings, WARNING) == ({"06-05-基本支出"} if severity is WARNING else set()), show(findings)


SPENDING_2210202 = "\n    支出: {基本支出: 6.37}"  # the 支出 line of 2210202 (not its 财政拨款 line)


@pytest.mark.parametrize(
    ("new", "errors"),
    [
        # Raised: total spending 537.22 > income 537.12; 05 (6.37) stays within 03 (6.47).
        ("6.47", {"01-收支平衡"}),
        # Lowered below the 财政拨款 figure: also 05 6.37 > 03 6.27 (04's 537.12 > 01's 537.02 is
        # within the 0.10 尾数 of 10 + 10 leaves: a warning, asserted below).
        ("6.27", {"01-收支平衡", "05-03-基本支出"}),
    ],
)
def test_item_spending_changed(sample_text, mutate, check_text, line_of, new, errors):
    text = mutate(sample_text, SPENDING_2210202, SPENDING_2210202.replace("6.37", new))
    findings = check_text(text).findings
    assert rules_of(findings, ERROR) == errors, show(findings)

    balance = one(findings, "01-收支平衡")
    assert balance.location.line == line_of(text, "  年末结转和结余: 0")  # the rule's place to fix
    total = D("537.12") - D("6.37") + D(new)
    assert f"537.12 ≠ 支出总计 {total}" in balance.message
    if "05-03-基本支出" in errors:
        assert one(findings, "01-04-财政拨款支出").severity is WARNING
        f = one(findings, "05-03-基本支出")
        assert f.location.line == line_of(text, "一般公共预算财政拨款支出: {基本支出: 6.37}")
        assert f.path == "科目.2210202.一般公共预算财政拨款支出"


def test_closing_balance_changed(sample_text, mutate, check_text, line_of):
    """结转结余 年末结转和结余 0 → 1: 01 支出总计 538.12 ≠ 收入总计 537.12, at that very line."""
    text = mutate(sample_text, "  年末结转和结余: 0\n", "  年末结转和结余: 1\n")
    findings = check_text(text).findings
    f = one(findings, "01-收支平衡")
    assert f.severity is ERROR
    assert f.location.line == line_of(text, "  年末结转和结余: 1")
    assert "537.12 ≠ 支出总计 538.12" in f.message
    assert [x.rule for x in findings] == ["01-收支平衡"], show(findings)


def test_sangong_car_running_cost_below_table06(sample_text, mutate, check_text, line_of):
    """三公 决算 公务用车运行维护费 4.00 < 公开06 30231 5.09: a warning, not an error."""
    old = "决算: {因公出国（境）费: 0, 公务用车购置费: 0, 公务用车运行维护费: 5.09"
    text = mutate(sample_text, old, old.replace("5.09", "4.00"))
    findings = check_text(text).findings
    f = one(findings, "09-06-公务用车运行维护费")
    assert f.severity is WARNING
    assert f.location.line == line_of(text, old.replace("5.09", "4.00"))
    assert "5.09" in f.message
    assert [x.rule for x in findings] == ["09-06-公务用车运行维护费"], show(findings)


def test_project_actual_changed(sample_text, mutate, check_text, line_of):
    """融媒体工作经费 执行数 123.95 → 123.90: the projects add up to 127.44, not 05's 127.49."""
    text = mutate(sample_text, "执行数: 123.95", "执行数: 123.90")
    findings = check_text(text).findings
    f = one(findings, "项目-执行数")
    assert f.severity is WARNING
    assert f.location.line in block_lines(text, "\n  项目:", "- 名称: 融媒体工作经费", line_of)
    assert "127.44" in f.message and "127.49" in f.message
    assert [x.rule for x in findings] == ["项目-执行数"], show(findings)


# ---------------------------------------------------------------------------
# Reasons the narrative needs
# ---------------------------------------------------------------------------

TOTAL_REASON = "  收支总计变动原因: 本年有新进人员及人员经费的正常增加"
ITEM_REASON = "    差异原因: 本年有新进人员及人员经费的正常增加"  # 2013350's, the only one with this text


def test_missing_total_change_reason(sample_text, mutate, check_text, line_of):
    text = mutate(sample_text, TOTAL_REASON, '  收支总计变动原因: ""')
    findings = check_text(text).findings
    f = one(findings, "原因-收支总计")
    assert f.severity is WARNING
    assert f.location.line == line_of(text, '收支总计变动原因: ""')
    assert "增加" in f.message
    assert [x.rule for x in findings] == ["原因-收支总计"], show(findings)


def test_missing_item_reason(sample_text, mutate, check_text, line_of):
    """2013350: 决算 437.68 > 年初预算 426.68 with no 差异原因 → 原因-项 at that 项."""
    text = mutate(sample_text, ITEM_REASON, '    差异原因: ""')
    findings = check_text(text).findings
    f = one(findings, "原因-项")
    assert f.severity is WARNING
    assert f.path == "科目.2013350.差异原因"
    start = line_of(text, '"2013350":')
    assert f.location.line == line_of(text, '差异原因: ""')
    assert start < f.location.line < line_of(text, '"2080505":')  # inside the 2013350 block
    assert "2013350" in f.message and "大于" in f.message
    assert [x.rule for x in findings] == ["原因-项"], show(findings)


def test_missing_reason_with_bare_key_points_at_its_line(sample_text, mutate, check_text, line_of):
    """An empty value (``key:`` and nothing after it) is located on its own line, not the next one."""
    text = mutate(sample_text, TOTAL_REASON, "  收支总计变动原因:")
    f = one(check_text(text).findings, "原因-收支总计")
    assert f.location.line == line_of(text, "收支总计变动原因:")


# ---------------------------------------------------------------------------
# Declared totals (核对数) and 尾数误差
# ---------------------------------------------------------------------------


def declare(text: str, mutate, value: str) -> str:
    return mutate(text, FREE_LINE, f"核对数: {{公开03: {{合计: {{基本支出: {value}}}}}}}")


def test_declared_total_within_rounding(sample_text, mutate, check_text, line_of):
    """万元 file: 409.64 declared vs 409.63 derived is 尾数误差 — shown, with warnings."""
    text = declare(sample_text, mutate, "409.64")
    checked = check_text(text)
    findings = checked.findings
    assert not checked.errors, show(findings)

    f = one(findings, "declared-rounding")
    assert f.severity is WARNING
    assert f.location.line == line_of(text, "核对数:")
    assert "409.64" in f.message and "409.63" in f.message

    row = checked.figures.tables["03"].row("合计")
    assert row.get("基本支出") == D("409.64")  # the declared figure is the one shown
    assert row.derived["基本支出"] == D("409.63")
    assert checked.figures.facts["基本支出"].part == D("409.64")  # and the sentence states it too

    hierarchy = one(findings, "03-层级")
    assert hierarchy.severity is WARNING
    assert hierarchy.message.startswith("（尾数误差）")
    assert "409.64" in hierarchy.message and "409.63" in hierarchy.message


def test_declared_total_beyond_rounding(sample_text, mutate, check_text, line_of):
    text = declare(sample_text, mutate, "409.80")
    checked = check_text(text)
    f = one(checked.findings, "declared-mismatch")
    assert f.severity is ERROR
    assert f.location.line == line_of(text, "核对数:")
    assert "409.80" in f.message and "409.63" in f.message
    assert checked.figures.tables["03"].get("合计", "基本支出") == D("409.63")  # not applied
    assert rules_of(checked.findings, ERROR) == {"declared-mismatch"}, show(checked.findings)


# The same unit in 元: every amount × 10000. Counts, scores and years stay as they are.
YUAN_BLOCKS = ("科目", "结转结余", "经济分类", "三公经费", "上年", "机关运行经费", "政府采购")
VALUE = re.compile(r"(?<=: )(\d+(?:\.\d+)?)(?=\s*(?:[,}#]|$))")
PERF_AMOUNT = re.compile(r"((?:预算数|执行数): )(\d+(?:\.\d+)?)")


def _yuan(wan: str) -> str:
    value = D(wan) * 10000
    assert value == value.to_integral()
    return str(int(value))


def to_yuan(text: str, mutate) -> str:
    out, block = [], ""
    for line in text.split("\n"):
        if line[:1] not in ("", " ", "#"):
            block = line.split(":", 1)[0]
        if block in YUAN_BLOCKS and "保有量" not in line:
            line = VALUE.sub(lambda m: _yuan(m.group(1)), line)
        elif block == "绩效":
            line = PERF_AMOUNT.sub(lambda m: m.group(1) + _yuan(m.group(2)), line)
        out.append(line)
    return mutate("\n".join(out), "金额单位: 万元", "金额单位: 元")


@pytest.fixture(scope="module")
def yuan_text(sample_text, mutate) -> str:
    text = to_yuan(sample_text, mutate)
    assert "年初预算: 4266800" in text and "公务用车保有量: 2 " in text and "执行数: 1239500" in text
    return text


def test_yuan_sample_derives_the_same_tables(yuan_text, sample_checked, check_text):
    checked = check_text(yuan_text)
    assert checked.findings == [], show(checked.findings)
    for tid, wan_table in sample_checked.figures.tables.items():
        yuan_table = checked.figures.tables[tid]
        assert [r.key for r in yuan_table.rows] == [r.key for r in wan_table.rows]
        for wan_row, yuan_row in zip(wan_table.rows, yuan_table.rows):
            assert yuan_row.values == {c: v * 10000 for c, v in wan_row.values.items()}, (tid, wan_row.key)
    assert checked.figures.tables["03"].get("合计", "基本支出") == D("4096300")


def test_yuan_declared_total_must_match_exactly(yuan_text, mutate, check_text, line_of):
    """元 is exact to the 分: one 分 off is an error, where 万元 tolerates 0.01 (above)."""
    text = declare(yuan_text, mutate, "4096300.01")
    checked = check_text(text)
    f = one(checked.findings, "declared-mismatch")
    assert f.severity is ERROR
    assert f.location.line == line_of(text, "核对数:")
    assert checked.figures.tables["03"].get("合计", "基本支出") == D("4096300")


def test_yuan_declared_total_that_matches(yuan_text, mutate, check_text):
    checked = check_text(declare(yuan_text, mutate, "4096300"))
    assert checked.findings == [], show(checked.findings)


# ---------------------------------------------------------------------------
# Codes the catalog does not know
# ---------------------------------------------------------------------------

UNKNOWN = '"2210298"'  # 住房改革支出 has no 项 98 (2019999 is a real code: 其他一般公共服务支出)


def test_unknown_item_code_is_an_error(sample_text, mutate, check_text, line_of):
    text = mutate(sample_text, '"2210202":', f"{UNKNOWN}:")
    checked = check_text(text)
    f = one(checked.findings, "unknown-code")
    assert f.severity is ERROR
    assert f.path == "科目.2210298"
    assert "2210298" in f.message
    key = line_of(text, f"{UNKNOWN}:")
    assert f.location.line in (key, key + 1)  # the code's key line or the first line of its block
    assert checked.figures is None  # figures are not derived from a file with unknown codes


def test_unknown_item_code_points_at_its_key(sample_text, mutate, check_text, line_of):
    text = mutate(sample_text, '"2210202":', f"{UNKNOWN}:")
    f = one(check_text(text).findings, "unknown-code")
    assert f.location.line == line_of(text, f"{UNKNOWN}:")


def test_unknown_item_code_named_by_the_file(sample_text, mutate, check_text):
    text = mutate(sample_text, '"2210202":', f"{UNKNOWN}:")
    text = mutate(text, FREE_LINE, f"自定义科目: {{{UNKNOWN}: 其他住房改革补贴}}")
    checked = check_text(text)
    assert checked.findings == [], show(checked.findings)
    row = checked.figures.tables["03"].row("2210298")
    assert row.label == "其他住房改革补贴"
    assert row.get("基本支出") == D("6.37")
