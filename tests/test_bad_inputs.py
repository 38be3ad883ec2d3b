"""Bad input files (BAD_INPUTS.md "The YAML file" and "Numbers"): each gives a located Chinese finding.

Every payload starts from BASE, a small valid file, with one problem injected. A case names
the rule, line and column (None where the column is an implementation detail) of the finding
it must produce, and a piece of its message. No case may raise, hang or print a traceback;
tests/test_cli_check.py runs some of them through the real command line.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

import pytest

from yujuesuan.derive.values import Change, Share
from yujuesuan.errors import Severity
from yujuesuan.input.load import MAX_BYTES, MAX_DEPTH
from yujuesuan.pipeline import check

# Block style throughout, so that any text can replace an amount (a comma would split a flow
# mapping). 年初预算, 经济分类 and 上年 make the file pass every audit rule: a case then shows
# only the finding it injects.
BASE = """\
单位:
  名称: 测试单位
  年度: 2023
  金额单位: 万元
概况:
  主要职能: 负责宣传工作。
科目:
  "2013350":
    收入:
      一般公共预算财政拨款: 10.00
    支出:
      基本支出: 10.00
    一般公共预算财政拨款支出:
      基本支出: 10.00
    年初预算: 10.00
经济分类:
  "30101": 10.00
上年:
  收支总计: 10.00
  收入合计: 10.00
  支出合计: 10.00
  财政拨款收支总计: 10.00
  一般公共预算财政拨款收入: 10.00
  一般公共预算财政拨款支出: 10.00
"""
END = BASE.count("\n") + 1  # the first line of anything appended to BASE
AMOUNT_LINE, AMOUNT_COL = 12, 13  # 科目.2013350.支出.基本支出, the first "基本支出: 10.00"


def inject(old: str, new: str, base: str = BASE) -> str:
    """BASE with the first ``old`` replaced by ``new``; ``old`` must be there."""
    assert old in base, old
    return base.replace(old, new, 1)


def amount(text: str, base: str = BASE) -> str:
    """BASE with 科目.2013350.支出.基本支出 written as ``text``."""
    return inject("基本支出: 10.00", f"基本支出: {text}", base)


YUAN = inject("金额单位: 万元", "金额单位: 元")
CJK = re.compile(r"[\u4e00-\u9fff]")


class Case(NamedTuple):
    name: str
    payload: str | bytes
    rule: str
    line: int | None  # None: the line is the parser's guess (an unclosed bracket)
    column: int | None  # None: an implementation detail (where the depth cap trips)
    message: str


def _nested_blocks(levels: int) -> str:
    return "x:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(levels))


def _nested_dashes(levels: int) -> str:
    return "x:\n" + "".join("  " * (i + 1) + "-\n" for i in range(levels))


CASES = [
    # ---- anchors, aliases, tags, documents ----
    Case("anchor", inject("    收入:\n", "    收入: &a\n"), "yaml-alias", 9, 9, "锚点“&a”"),
    Case("alias", inject("    年初预算: 10.00", "    年初预算: *a"), "yaml-alias", 15, 11, "别名“*a”"),
    Case("tag-int", inject("年度: 2023", "年度: !!int 2023"), "yaml-tag", 3, 7, "标签"),
    Case("tag-python", inject("名称: 测试单位", "名称: !!python/object:os.system x"), "yaml-tag", 2, 7, "标签"),
    Case("tag-local", BASE + "x: !foo 1\n", "yaml-tag", END, 4, "!foo"),
    Case("two-documents", BASE + "---\nx: 1\n", "yaml", END, 1, "只能有一个 YAML 文档"),
    Case("complex-key", BASE + "? [a]\n: b\n", "yaml", END, 3, "键名必须是文字"),
    # ---- nesting: refused at a line, never a RecursionError ----
    Case("deep-flow-5000", BASE + "x: " + "[" * 5000 + "]" * 5000 + "\n", "yaml-depth", END, None, "嵌套超过"),
    Case("deep-flow-unclosed", BASE + "x: " + "[" * 5000 + "\n", "yaml-depth", END, None, "嵌套超过"),
    Case("deep-flow-maps", BASE + "x: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n", "yaml-depth", END, None, "嵌套"),
    Case("deep-block-maps", BASE + _nested_blocks(200), "yaml-depth", END + MAX_DEPTH, None, "嵌套超过"),
    Case("deep-block-lists", BASE + _nested_dashes(200), "yaml-depth", END + MAX_DEPTH, None, "嵌套超过"),
    # ---- duplicate keys: both lines named ----
    Case(
        "duplicate-key",
        inject("    年初预算: 10.00\n", "    年初预算: 10.00\n    年初预算: 12.00\n"),
        "duplicate-key",
        16,
        5,
        "第 15 行和第 16 行",
    ),
    Case("duplicate-top-key", BASE + "单位:\n  名称: x\n", "duplicate-key", END, 1, "第 1 行和第 25 行"),
    Case(
        "duplicate-key-flow",
        inject(
            "    一般公共预算财政拨款支出:\n      基本支出: 10.00",
            "    一般公共预算财政拨款支出: {基本支出: 10.00, 基本支出: 10.00}",
        ),
        "duplicate-key",
        13,
        33,
        "第 13 行第 20 列和第 33 列",
    ),
    # ---- YAML 1.1 conversions where an amount belongs: read as text, refused with what was expected ----
    Case("yaml11-no", amount("no"), "amount", AMOUNT_LINE, AMOUNT_COL, "应为金额，实际为文字“no”"),
    Case("yaml11-on", amount("on"), "amount", AMOUNT_LINE, AMOUNT_COL, "应为金额，实际为文字“on”"),
    Case("yaml11-yes", amount("yes"), "amount", AMOUNT_LINE, AMOUNT_COL, "应为金额，实际为文字“yes”"),
    Case(
        "yaml11-sexagesimal", amount("1:20"), "amount", AMOUNT_LINE, AMOUNT_COL, "应为金额（如 437.68），实际为“1:20”"
    ),
    Case("yaml11-date", amount("2024-01-02"), "amount", AMOUNT_LINE, AMOUNT_COL, "实际为“2024-01-02”"),
    Case("yaml11-nan", amount(".nan"), "amount", AMOUNT_LINE, AMOUNT_COL, "不是有限的金额"),
    Case("yaml11-inf", amount(".inf"), "amount", AMOUNT_LINE, AMOUNT_COL, "不是有限的金额"),
    Case("yaml11-minus-inf", amount("-.inf"), "amount", AMOUNT_LINE, AMOUNT_COL, "不是有限的金额"),
    Case("yaml11-underscore", amount("1_000"), "amount", AMOUNT_LINE, AMOUNT_COL, "不能有下划线"),
    Case("yaml11-hex", amount("0x1F"), "amount", AMOUNT_LINE, AMOUNT_COL, "实际为“0x1F”"),
    Case("yaml11-octal", amount("0o17"), "amount", AMOUNT_LINE, AMOUNT_COL, "实际为“0o17”"),
    Case("exponent-huge", amount("1e999999"), "amount", AMOUNT_LINE, AMOUNT_COL, "科学计数法"),
    Case("exponent", amount("1e3"), "amount", AMOUNT_LINE, AMOUNT_COL, "科学计数法"),
    Case("decimal-nan", amount("NaN"), "amount", AMOUNT_LINE, AMOUNT_COL, "不是有限的金额"),
    Case("decimal-infinity", amount("Infinity"), "amount", AMOUNT_LINE, AMOUNT_COL, "不是有限的金额"),
    Case("year-chinese-numerals", inject("年度: 2023", "年度: 二〇二三"), "count", 3, 7, "实际为“二〇二三”"),
    Case("year-arabic-indic", inject("年度: 2023", "年度: ٢٠٢٣"), "count", 3, 7, "0–9"),
    Case("year-with-suffix", inject("年度: 2023", "年度: 2023年"), "count", 3, 7, "实际为“2023年”"),
    Case("year-out-of-range", inject("年度: 2023", "年度: 1999"), "type", 3, 7, "四位年份"),
    Case("year-zero", inject("年度: 2023", "年度: 0"), "type", 3, 7, "四位年份"),
    Case("year-empty", inject("年度: 2023", "年度:"), "missing", 3, 3, "缺少“年度”"),
    Case("year-missing", inject("  年度: 2023\n", ""), "missing", 2, 3, "缺少“年度”"),
    Case("year-huge", inject("年度: 2023", "年度: " + "2" * 5000), "count", 3, 7, "过大"),
    # ---- numbers pasted from Excel, and what Decimal would accept ----
    Case("accounting-negative", amount("(1,234)"), "amount", AMOUNT_LINE, AMOUNT_COL, "会计格式的负数"),
    Case("accounting-negative-fw", amount("（1,234）"), "amount", AMOUNT_LINE, AMOUNT_COL, "会计格式的负数"),
    Case("negative", amount("-5"), "amount", AMOUNT_LINE, AMOUNT_COL, "不能为负数"),
    Case("negative-fw", amount("－５"), "amount", AMOUNT_LINE, AMOUNT_COL, "不能为负数"),
    Case("yuan-suffix-in-wan-file", amount("125000元"), "amount", AMOUNT_LINE, AMOUNT_COL, "带有单位“元”"),
    Case("wan-suffix-in-yuan-file", amount("12.5万元", YUAN), "amount", AMOUNT_LINE, AMOUNT_COL, "带有单位“万元”"),
    Case("arabic-indic-digits", amount("١٢٣"), "amount", AMOUNT_LINE, AMOUNT_COL, "U+0661"),
    Case("devanagari-digits", amount("१२३"), "amount", AMOUNT_LINE, AMOUNT_COL, "U+0967"),
    Case("three-decimals-in-yuan", amount("12.345", YUAN), "amount", AMOUNT_LINE, AMOUNT_COL, "最多两位小数"),
    Case("below-fen-in-wan", amount("1.1234567"), "amount", AMOUNT_LINE, AMOUNT_COL, "最多六位小数"),
    Case("too-large", amount("1" * 5000), "amount", AMOUNT_LINE, AMOUNT_COL, "过大"),
    Case("text-for-amount", amount("一百"), "amount", AMOUNT_LINE, AMOUNT_COL, "应为金额（如 437.68），实际为“一百”"),
    Case("chinese-with-unit", amount("十元"), "amount", AMOUNT_LINE, AMOUNT_COL, "实际为“十元”"),
    Case("percent-for-amount", amount("12.5%"), "amount", AMOUNT_LINE, AMOUNT_COL, "百分数"),
    Case("plus-sign", amount("+5"), "amount", AMOUNT_LINE, AMOUNT_COL, "实际为“+5”"),
    Case("space-inside-number", amount("12 345"), "amount", AMOUNT_LINE, AMOUNT_COL, "实际为“12 345”"),
    Case(
        "thousands-in-flow",
        inject("    支出:\n      基本支出: 10.00", "    支出: {基本支出: 1,234.50}"),
        "unknown-key",
        11,
        18,
        "被逗号拆开的金额",
    ),
    Case("count-text", BASE + "三公经费:\n  公务用车保有量: 两辆\n", "count", END + 1, 12, "实际为“两辆”"),
    Case("count-negative", BASE + "三公经费:\n  公务用车保有量: -1\n", "count", END + 1, 12, "非负整数"),
    Case("count-huge", BASE + "三公经费:\n  公务用车保有量: " + "9" * 5000 + "\n", "count", END + 1, 12, "过大"),
    Case("score-huge", BASE + "绩效:\n  整体:\n    执行分值: " + "1" * 5000 + "\n", "score", END + 2, 11, "0 到 100"),
    # ---- encodings ----
    Case(
        "bytes-neither-utf8-nor-gb18030",
        BASE.encode().replace("测试单位".encode(), b"\xff\xfe\xfd"),
        "encoding",
        2,
        11,
        "UTF-8",
    ),
    Case("utf-16", BASE.encode("utf-16"), "encoding", 1, 1, "UTF-8"),
    # ---- invisible and look-alike characters ----
    Case("u3000-indentation", inject("  金额单位", "\u3000\u3000金额单位"), "unknown-key", 4, 1, "全角空格"),
    Case("u3000-after-spaces", inject("  金额单位", "  \u3000金额单位"), "unknown-key", 4, 3, "全角空格"),
    Case("nbsp-in-key", inject("金额单位", "金额\u00a0单位"), "unknown-key", 4, 3, "不间断空格"),
    Case("zero-width-in-key", inject("金额单位", "金额单位\u200b"), "unknown-key", 4, 3, "零宽空格"),
    Case("zero-width-in-code", inject('"2013350"', '"2013350\u200b"'), "code", 8, 3, "零宽空格"),
    Case("nbsp-in-number", amount("10\u00a0000"), "amount", AMOUNT_LINE, AMOUNT_COL, "不间断空格"),
    Case("zero-width-in-number", amount("10.00\u200b"), "amount", AMOUNT_LINE, AMOUNT_COL, "零宽空格"),
    Case("bom-in-number", amount("\ufeff10.00"), "amount", AMOUNT_LINE, AMOUNT_COL, "BOM"),
    # ---- full-width colon and other scanner errors: Chinese, at the character ----
    Case("fw-colon", inject("名称: 测试单位", "名称：武汉"), "yaml", 2, 5, "全角冒号"),
    Case("fw-colon-after-code", inject('  "2013350":', '  "2013350"：'), "yaml", 8, 12, "全角冒号"),
    Case("fw-colon-block-key", inject("科目:", "科目："), "yaml", 7, 3, "全角冒号"),
    Case("fw-colon-nested", inject("    年初预算: 10.00", "    年初预算：10.00"), "yaml", 15, 9, "全角冒号"),
    Case("fw-colon-last-line", BASE + "绩效：\n", "yaml", END, 3, "全角冒号"),
    Case(
        "fw-colon-in-flow",
        inject("    支出:\n      基本支出: 10.00", "    支出: {基本支出：10.00}"),
        "unknown-key",
        11,
        10,
        "半角冒号",
    ),
    Case("no-space-after-colon", inject("名称: 测试单位", "名称:测试单位"), "yaml", 2, 5, "要加一个空格"),
    Case("tab-indentation", inject("  名称", "\t名称"), "yaml", 2, 1, "制表符"),
    Case("tab-after-colon", inject("名称: 测试单位", "名称:\t测试单位"), "yaml", 2, 6, "制表符"),
    Case("unclosed-quote", inject("名称: 测试单位", "名称: '测试单位"), "yaml", END, None, "引号或括号"),
    Case("unclosed-brace", BASE + "x: {a: 1\n", "yaml", None, None, "花括号"),
    Case("bad-escape", inject("名称: 测试单位", '名称: "C:\\d"'), "yaml", 2, 11, "反斜杠"),
    Case("colon-in-value", inject("名称: 测试单位", "名称: 测试: 单位"), "yaml", 2, 9, "加引号"),
    Case("raw-control-char", inject("测试单位", "测试\x01单位"), "yaml", 2, 9, "U+0001"),
    Case("raw-nul", inject("测试单位", "测试\x00单位"), "yaml", 2, 9, "U+0000"),
    # ---- control characters reach a text field through escapes: rejected, naming the field ----
    *(
        Case(f"escape-{tag}-in-{field}", inject(old, f'{old.split(":")[0]}: "测{escape}试"'), "text", line, col, code)
        for field, old, line, col in (("名称", "名称: 测试单位", 2, 7), ("主要职能", "主要职能: 负责宣传工作。", 6, 9))
        for tag, escape, code in (
            ("nul", "\\x00", "U+0000"),
            ("surrogate", "\\ud800", "U+D800"),
            ("rlo", "\\u202e", "U+202E"),
            ("bell", "\\x07", "U+0007"),
            ("c1", "\\x85", "U+0085"),
        )
    ),
    Case("raw-rlo", inject("测试单位", "测试\u202e单位"), "text", 2, 7, "U+202E"),
    # ---- wrong types and shapes ----
    Case(
        "list-for-mapping",
        inject("    收入:\n      一般公共预算财政拨款: 10.00", "    收入: [10.00]"),
        "type",
        9,
        9,
        "映射",
    ),
    Case("list-for-items", inject('  "2013350":', '  - "2013350":'), "type", 8, 3, "映射"),
    Case("scalar-for-item", inject('  "2013350":\n', '  "2013350": 10\n  "2013351":\n'), "type", 8, 14, "映射"),
    Case("mapping-for-amount", amount("{a: 1}"), "type", AMOUNT_LINE, AMOUNT_COL, "这里应是一个值"),
    Case("list-for-amount", amount("[1, 2]"), "type", AMOUNT_LINE, AMOUNT_COL, "这里应是一个值"),
    Case("missing-unit-block", BASE[BASE.index("概况:") :], "missing", 1, 1, "缺少“单位”块"),
    Case(
        "missing-items-block",
        BASE[: BASE.index("科目:")] + BASE[BASE.index("经济分类:") :],
        "missing",
        1,
        1,
        "缺少“科目”块",
    ),
    Case("empty-file", "", "missing", 1, 1, "缺少“单位”块"),
    Case("only-comments", "# 空文件\n", "missing", 1, 1, "缺少“科目”块"),
    Case("list-at-top", "- 单位\n- 科目\n", "type", 1, 1, "映射"),
    Case("near-miss-top-key", inject("单位:", "单元:"), "unknown-key", 1, 1, "是否应为“单位”"),
    Case("unknown-top-key", BASE + "foo: 1\n", "unknown-key", END, 1, "可用的键"),
    Case("near-miss-item-key", inject("    支出:\n", "    支付:\n"), "unknown-key", 11, 5, "是否应为“支出”"),
    Case("six-digit-code", inject('"2013350"', '"201335"'), "code", 8, 3, "项级"),
    Case("unknown-code", inject('"2013350"', '"2999999"'), "unknown-code", 8, 3, "2999999"),
    Case("unit-not-yuan-or-wan", inject("金额单位: 万元", "金额单位: 千元"), "type", 4, 9, "只能是“元”或“万元”"),
    Case("class-use-unknown-code", BASE + '说明:\n  类用途:\n    "2O1": 宣传\n', "code", END + 2, 5, "可填：201"),
    Case("name-missing", inject("  名称: 测试单位\n", ""), "missing", 2, 3, "缺少“名称”"),
]
CASES_BY_NAME = {case.name: case for case in CASES}
assert len(CASES_BY_NAME) == len(CASES), "case names must be unique"


def write(tmp_path, payload: str | bytes):
    path = tmp_path / "单位.yaml"
    if isinstance(payload, bytes):
        path.write_bytes(payload)
    else:
        path.write_text(payload, encoding="utf-8")
    return path


def assert_finding(result, rule: str, line: int | None, column: int | None, message: str, path) -> None:
    """The finding is there, located in ``path``; every finding is one line of Chinese."""
    for f in result.findings:
        assert CJK.search(f.message), f"message without Chinese: {f.format()}"
        assert "\n" not in f.format(), f"finding spans lines: {f.format()!r}"
        assert f.location.file == str(path)
    matches = [
        f
        for f in result.findings
        if f.rule == rule
        and (line is None or f.location.line == line)
        and (column is None or f.location.column == column)
        and message in f.message
    ]
    assert matches, f"no [{rule}] at {line}:{column} with “{message}” in:\n" + "\n".join(
        f.format() for f in result.findings
    )


def test_base_is_clean(tmp_path):
    path = write(tmp_path, BASE)
    result = check(path)
    assert result.ok, [f.format() for f in result.findings]
    assert result.findings == []
    assert result.model.items["2013350"].spending["基本支出"] == Decimal("10.00")


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CASES])
def test_bad_input_gives_located_finding(tmp_path, case: Case):
    path = write(tmp_path, case.payload)
    result = check(path)
    assert_finding(result, case.rule, case.line, case.column, case.message, path)
    if case.rule not in ("amount-normalized", "unit-mixup"):
        assert not result.ok
        assert any(f.severity is Severity.ERROR for f in result.findings)


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c.name) for c in CASES if c.name.startswith("escape-")],
)
def test_control_character_finding_names_the_field(tmp_path, case: Case):
    (finding,) = check(write(tmp_path, case.payload)).findings
    field = "单位.名称" if case.name.endswith("名称") else "概况.主要职能"
    assert finding.path == field
    assert f"{field}: 含有" in finding.format()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param("主要职能: 负责宣传工作。", "主要职能: 主要是：宣传、网评。", id="full-width-colon-in-value"),
        pytest.param(
            "主要职能: 负责宣传工作。",
            "主要职能: |\n    \u3000\u3000（一）负责宣传工作。\n    \u3000\u3000（二）承办其他工作。",
            id="full-width-spaces-opening-paragraphs",
        ),
        pytest.param("主要职能: 负责宣传工作。", "主要职能: |\n    负责\t宣传工作。", id="tab-inside-block-text"),
        pytest.param("单位:\n", "# 注意：金额单位为万元\n单位:\n", id="full-width-colon-in-comment"),
        pytest.param("名称: 测试单位", "名称: no", id="yaml11-boolean-as-a-name"),
        pytest.param('"2013350":', "2013350:", id="unquoted-code"),
    ],
)
def test_text_that_only_looks_bad_is_accepted(tmp_path, old, new):
    result = check(write(tmp_path, inject(old, new)))
    assert result.ok and result.findings == [], [f.format() for f in result.findings]


def test_messages_quote_long_values_briefly(tmp_path):
    result = check(write(tmp_path, amount("1" * 5000)))
    (finding,) = [f for f in result.findings if f.rule == "amount"]
    assert "…" in finding.message and len(finding.message) < 200


# ---- aliases: the "billion laughs" is refused at its first anchor, before anything expands ----

LAUGHS = """\
l1: &l1 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
l2: &l2 [*l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1]
l3: &l3 [*l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2]
l4: &l4 [*l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3]
l5: &l5 [*l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4]
l6: &l6 [*l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5]
l7: &l7 [*l6, *l6, *l6, *l6, *l6, *l6, *l6, *l6, *l6]
l8: &l8 [*l7, *l7, *l7, *l7, *l7, *l7, *l7, *l7, *l7]
l9: &l9 [*l8, *l8, *l8, *l8, *l8, *l8, *l8, *l8, *l8]
"""


@pytest.mark.parametrize(
    ("payload", "line", "column"),
    [
        pytest.param(LAUGHS, 1, 5, id="alone"),
        pytest.param(BASE + LAUGHS, END, 5, id="after-valid-data"),
        # Without the anchors, the aliases alone are refused at the first one.
        pytest.param(re.sub(r"&l\d ", "", LAUGHS.split("\n", 1)[1]), 1, 6, id="aliases-only"),
    ],
)
def test_billion_laughs_is_refused(tmp_path, payload, line, column):
    assert 400 <= len(LAUGHS.encode()) <= 600  # the classic ~500-byte bomb: 9**9 strings if expanded
    path = write(tmp_path, payload)
    result = check(path)
    assert_finding(result, "yaml-alias", line, column, "请直接写出数值", path)
    assert result.model is None


# ---- size cap: before any parsing ----


def test_file_over_size_cap_is_refused_before_parsing(tmp_path):
    payload = BASE + "# " + "x" * MAX_BYTES + "\n"
    path = write(tmp_path, payload)
    result = check(path)
    assert_finding(result, "yaml-size", None, None, "文件过大", path)
    assert result.model is None


def test_too_many_entries_are_refused(tmp_path):
    path = write(tmp_path, BASE + "x: [" + "1," * 210_000 + "1]\n")
    assert_finding(check(path), "yaml-size", END, None, "条目过多", path)


# ---- numbers: what is normalized (with a warning) and read as which value ----


@pytest.mark.parametrize(
    ("text", "value", "note"),
    [
        pytest.param("１２３．４５", "123.45", "全角字符改为半角", id="full-width-digits"),
        pytest.param("１２３.４５", "123.45", "全角字符改为半角", id="full-width-mixed"),
        pytest.param("1,234.50", "1234.50", "去掉千位分隔符", id="thousands"),
        pytest.param("１，２３４", "1234", "全角字符改为半角、去掉千位分隔符", id="full-width-thousands"),
        pytest.param("12.5万元", "12.5", "去掉单位“万元”", id="wan-suffix-in-wan-file"),
        pytest.param("12.5 万元", "12.5", "去掉单位“万元”", id="wan-suffix-with-space"),
        pytest.param("１２．５万元", "12.5", "全角字符改为半角、去掉单位“万元”", id="full-width-with-suffix"),
    ],
)
def test_pasted_amount_is_normalized_with_a_warning(tmp_path, text, value, note):
    # Every amount of BASE written this way, so that the totals still agree.
    path = write(tmp_path, BASE.replace("10.00", text))
    result = check(path)
    assert result.ok, [f.format() for f in result.findings]
    assert result.model.items["2013350"].spending["基本支出"] == Decimal(value)
    assert_finding(result, "amount-normalized", AMOUNT_LINE, AMOUNT_COL, note, path)
    assert all(f.severity is Severity.WARNING for f in result.findings)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # YAML 1.1 reads 012 as octal 10; here it is the plain decimal 12, as a person means it.
        pytest.param("012", "12", id="leading-zero-is-decimal"),
        pytest.param("-0", "0", id="minus-zero-is-zero"),
        pytest.param("0.00", "0", id="zero-with-decimals"),
        pytest.param('"12.50"', "12.50", id="quoted"),
        pytest.param("12.3456", "12.3456", id="four-decimals-in-wan"),
    ],
)
def test_plain_amount_is_read_exactly_without_warning(tmp_path, text, value):
    result = check(write(tmp_path, amount(text)))
    assert result.model.items["2013350"].spending["基本支出"] == Decimal(value)
    assert not [f for f in result.findings if f.rule in ("amount", "amount-normalized")]


def test_full_width_count_is_read_with_a_warning(tmp_path):
    path = write(tmp_path, inject("年度: 2023", "年度: ２０２３"))
    result = check(path)
    assert result.ok
    assert result.model.year == 2023
    assert_finding(result, "amount-normalized", 3, 7, "全角数字", path)


def test_wan_file_with_a_figure_typed_in_yuan_warns_unit_mixup(tmp_path):
    path = write(tmp_path, BASE.replace("10.00", "4376800"))
    result = check(path)
    assert result.ok
    assert_finding(result, "unit-mixup", AMOUNT_LINE, AMOUNT_COL, "是否按“元”填写了", path)
    assert all(f.severity is Severity.WARNING for f in result.findings)


def test_yuan_file_with_a_figure_typed_in_wan_warns_unit_mixup(tmp_path):
    path = write(tmp_path, YUAN)
    result = check(path)
    assert result.ok
    assert_finding(result, "unit-mixup", 4, 9, "是否按“万元”填写了", path)


# ---- encodings ----


def test_gb18030_file_is_read_with_a_warning(tmp_path):
    payload = ("# 这个文件用 GBK 保存\n格式版本: 1\n" + BASE).encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        payload.decode("utf-8")
    path = write(tmp_path, payload)
    result = check(path)
    assert result.ok, [f.format() for f in result.findings]
    (warning,) = result.findings
    assert (warning.rule, warning.severity, warning.location.line) == ("encoding", Severity.WARNING, 1)
    assert "GB18030" in warning.message and "UTF-8" in warning.message
    model = result.model
    assert (model.name, model.year, model.unit) == ("测试单位", 2023, "万元")
    assert model.items["2013350"].spending["基本支出"] == Decimal("10.00")


def test_gb18030_warning_names_the_first_non_utf8_line(tmp_path):
    payload = b"# ascii comment\n" + BASE.encode("gb18030")
    result = check(write(tmp_path, payload))
    assert [(f.rule, f.location.line) for f in result.findings] == [("encoding", 2)]


def test_utf8_bom_is_accepted(tmp_path):
    result = check(write(tmp_path, b"\xef\xbb\xbf" + BASE.encode()))
    assert result.ok and result.findings == []


# ---- a zero base or a zero whole never crashes, and gives no rate ----

ZERO = BASE.replace("10.00", "0")


def _values(obj, depth=0):
    """Every Change and Share in the derived facts."""
    if depth > 10:
        return
    if isinstance(obj, (Change, Share)):
        yield obj
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from _values(value, depth + 1)
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            yield from _values(value, depth + 1)


def test_zero_prior_year_and_zero_spending_never_crash(tmp_path):
    result = check(write(tmp_path, ZERO))
    assert result.ok, [f.format() for f in result.findings]
    values = list(_values(result.figures.facts))
    changes = [v for v in values if isinstance(v, Change) and v.previous == 0]
    shares = [v for v in values if isinstance(v, Share) and v.whole == 0]
    assert changes and shares
    assert all(c.rate is None for c in changes)
    assert all(s.rate is None for s in shares)
    for v in values:
        assert v.rate is None or v.rate.is_finite()


def test_growth_from_zero_base_is_new_without_rate(tmp_path):
    path = write(tmp_path, BASE.replace("  收支总计: 10.00", "  收支总计: 0"))
    result = check(path)
    change = result.figures.facts["收支总计"]
    assert isinstance(change, Change)
    assert change.previous == 0 and change.is_new and change.rate is None


def test_rates_against_zero_are_none():
    assert Change(Decimal(5), Decimal(0)).rate is None
    assert Change(Decimal(0), Decimal(0)).rate is None
    assert Share(Decimal(1), Decimal(0)).rate is None
    assert Share(Decimal(0), Decimal(0)).rate is None


def test_item_without_budget_reason_warns_without_crash(tmp_path):
    # Until 93e9678, rules/engine.py passed path= twice here and check raised TypeError.
    path = write(tmp_path, inject("    年初预算: 10.00\n", ""))
    result = check(path)
    assert result.ok
    assert_finding(result, "原因-项", None, None, "年初预算", path)
