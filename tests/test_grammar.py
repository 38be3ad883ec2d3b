"""compose/grammar.py: the joints between free text and template text, and the display-aware comparisons."""

from __future__ import annotations

from decimal import Decimal

import pytest

from narrative_checks import punctuation_problems
from yujuesuan.compose.document import Document, Heading, Paragraph
from yujuesuan.compose.grammar import because, clause, join, lead, paragraph, placeholders, sentence, tidy
from yujuesuan.compose.numbers import NumberFormat
from yujuesuan.derive.values import Change, Completion
from yujuesuan.kinds.juesuan.context import helpers, shown

D = Decimal


@pytest.mark.parametrize(
    ("free", "expected"),
    [("本单位节省了费用。", "本单位节省了费用"), ("车辆维护；", "车辆维护"), ("事业运行", "事业运行"),
     (" 厉行节约. ", "厉行节约"), ("", ""), (None, ""), ("增长4.35万条。", "增长4.35万条")],
)  # fmt: skip
def test_clause_drops_the_free_texts_own_closing_mark(free, expected) -> None:
    assert clause(free) == expected


def test_sentence_and_lists() -> None:
    assert sentence("主要原因是", "人员增加。") == "主要原因是人员增加。"
    assert sentence("", None) == ""
    assert join(["甲。", "", "乙；"]) == "甲；乙。"
    assert lead("其中：", ["甲", "乙。"]) == "其中：甲；乙。"
    assert lead("主要用于以下方面：", []) == ""  # the lead-in goes with its empty list


def test_because_never_borrows_the_next_sentence() -> None:
    assert because("人员增加。", "变动原因") == "主要原因是人员增加。"
    assert because("", "收入变动原因") == "主要原因是【缺少收入变动原因】。"
    assert because("  ", "收入变动原因", required=False) == ""
    assert placeholders(because(None, "主要原因")) == ["【缺少主要原因】"]


def test_paragraph_ends_with_a_full_stop() -> None:
    assert paragraph("（五）承办上级交办的其他工作") == "（五）承办上级交办的其他工作。"
    assert paragraph("主要职能如下：") == "主要职能如下："
    assert paragraph("已完成。”") == "已完成。”"
    assert paragraph("") == ""


@pytest.mark.parametrize(
    ("line", "expected"),
    [("不断提升关注度和影响力。；（2）", "不断提升关注度和影响力；（2）"), ("节省了费用。。", "节省了费用。"),
     ("甲；。", "甲。"), ("甲，。", "甲。"), ("费用.。", "费用。"),
     ("共接待 3 批次、 20 人次", "共接待 3 批次、20 人次"),
     ("增长 4.35%。", "增长 4.35%。"), ("其中：。", "其中：。")],
)  # fmt: skip
def test_tidy_lets_the_later_mark_win(line, expected) -> None:
    assert tidy(line) == expected


def test_a_change_that_does_not_show_is_flat() -> None:
    fmt = NumberFormat()
    c = shown(Change(D("100.001"), D("100.00")), fmt)
    assert (c.direction, c.trend, c.diff, c.rate) == ("持平", "持平", 0, 0)
    h = helpers(fmt)
    assert h["变动"](c) == h["较上年"](c) == "持平"
    # 元 input: 40 元 is 0.004 万元, shown as 0.00.
    yuan = NumberFormat(unit="元")
    assert shown(Change(D("1000040"), D("1000000")), yuan).direction == "持平"
    assert shown(Change(D("1000050"), D("1000000")), yuan).direction == "增加"  # 0.005 万元 shows as 0.01
    # Without the display (the derived value itself), the exact difference counts.
    assert Change(D("100.001"), D("100.00")).direction == "增加"


def test_new_gone_and_tiny_rates() -> None:
    fmt = NumberFormat()
    h = helpers(fmt)
    new = shown(Change(D("5"), D("0")), fmt)
    assert (new.is_new, new.rate, h["较上年"](new)) == (True, None, "新增 5.00 万元")
    assert h["变动"](new) == "增加 5.00 万元（上年为零，为新增）"
    gone = shown(Change(D("0"), D("6")), fmt)
    assert (gone.is_gone, h["较上年"](gone)) == (True, "减少 6.00 万元，下降 100.00%")
    tiny = shown(Change(D("100000.01"), D("100000")), fmt)  # 0.00001%: shown as 0.00%
    assert h["较上年"](tiny) == "增加 0.01 万元，增长不足 0.01%"
    assert h["较上年"](tiny, compact=True) == "增加0.01万元，增长不足0.01%"


def test_completion_compares_displayed_figures() -> None:
    fmt = NumberFormat()
    e = shown(Completion(D("100.00"), D("100.001")), fmt)
    assert (e.relation, e.gap) == ("等于", 0)
    assert shown(Completion(D("5"), D("0.001")), fmt).has_budget is False  # a budget that shows as 0.00


def test_the_checks_see_what_they_are_meant_to_see() -> None:
    doc = Document("t", "u", 2023)
    doc.add(Heading("一、收入", 2), Paragraph("收入增加 0.00 万元，增长 0.00%。；其中："), Heading("二、支出", 2))
    problems = punctuation_problems(doc)
    kinds = ["doubled punctuation", "a change of 0", "a rate of 0", "a dangling lead-in", "an empty heading"]
    assert [next(k for k in kinds if p.startswith(k)) for p in problems] == kinds
