"""Free text from the data file is text (issue 13 item 4): it never becomes a heading, chart or table."""

from __future__ import annotations

import pytest

from test_sandbox import HEAD, SECTION, district
from yujuesuan.compose import compose
from yujuesuan.compose.document import FRONT, Figure, Heading, Paragraph, Table
from yujuesuan.errors import UsageError
from yujuesuan.profiles import load_profile

STRUCTURE = ["[[图99]]", "[[表 项目绩效0]]", "[[表 整体绩效]]", "[[图1]]", "# 假标题", "## 假小标题"]
REASON = "  收支总计变动原因: 本年有新进人员及人员经费的正常增加\n"
EFFECT = "      发现的问题: 绩效指标设置、社会效益指标有待进一步加强。\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\u2028", "\\L") + '"'


def _counts(doc):
    kinds = [type(b).__name__ for b in doc.blocks]
    return {k: kinds.count(k) for k in ("Heading", "Figure", "Table")}


@pytest.mark.parametrize("profile", ["wuhan", "national-2024"])
def test_marker_lines_in_data_text_stay_paragraphs(check_text, sample_text, sample_checked, profile):
    lines = "\n".join(STRUCTURE)
    text = sample_text.replace("    （五）承办上级交办的其他工作。\n", "".join(f"    {s}\n" for s in STRUCTURE), 1)
    reason = _quoted("原因\n" + lines + "\u2028# 分隔符后的标题")
    problem = _quoted("问题\n[[表 项目绩效1]]\n# 问题标题")
    text = text.replace(REASON, f"  收支总计变动原因: {reason}\n", 1)
    text = text.replace(EFFECT, f"      发现的问题: {problem}\n", 1)
    checked = check_text(text)
    assert checked.ok, [f.format() for f in checked.findings]
    prof = load_profile(profile)
    doc = compose(checked.figures, prof)
    plain = compose(sample_checked.figures, prof)
    assert _counts(doc) == _counts(plain)
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert not any("标题" in h for h in headings), headings
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    for literal in STRUCTURE:
        assert literal in paragraphs, literal
    assert "# 分隔符后的标题" in "\n".join(paragraphs)
    assert all("\ue000" not in p for p in paragraphs + headings)


def test_template_literal_markers_still_work(sample_checked, tmp_path):
    body = "# 一、标题\n## （一）小标题\n[[图1]]\n[[表 项目绩效{{ 1 }}]]\n{{ u.名称 }}\n"
    doc = compose(sample_checked.figures, load_profile("wuhan", district(tmp_path / "d", {SECTION: body})))
    blocks = [b for b in doc.blocks if not isinstance(b, FRONT)]  # after the cover and the 目录
    kinds = [(type(b).__name__, getattr(b, "text", getattr(b, "id", ""))) for b in blocks]
    assert kinds[:2] == [("Heading", "一、标题"), ("Heading", "（一）小标题")]
    assert isinstance(blocks[2], Figure) and isinstance(blocks[3], Table)
    assert blocks[4] == Paragraph(sample_checked.model.name)


@pytest.mark.parametrize(
    ("line", "message"),
    [("[[图99]]", "图“图99”"), ("[[表 项目绩效0]]", "项目绩效0"), ("[[表 项目绩效99]]", "项目绩效99")],
)
def test_unknown_marker_in_a_template_is_a_message(sample_checked, tmp_path, line, message):
    folder = district(tmp_path / "d", {SECTION: HEAD + line + "\n"})
    with pytest.raises(UsageError, match=message):
        compose(sample_checked.figures, load_profile("wuhan", folder))


# --------------------------------------------------------------------------- long text (item 7)


@pytest.mark.parametrize("field", ["说明.收支总计变动原因", "绩效.项目.发现的问题", "单位.名称"])
def test_text_over_the_cap_is_a_located_error(check_text, sample_text, line_of, field):
    from hostile_data import TEXT_LINES, as_yaml, with_texts
    from yujuesuan.input.amounts import MAX_TEXT_CHARS

    long = "文" * (MAX_TEXT_CHARS + 1)
    text = with_texts(sample_text, {field: long})
    checked = check_text(text)
    [error] = [f for f in checked.errors if f.rule == "text"]
    assert "文字过长" in error.message and f"{MAX_TEXT_CHARS:,}" in error.message
    key = TEXT_LINES[field].strip().split(":")[0].lstrip("- ")
    line = line_of(text, as_yaml(long))
    assert error.location.line == line and key in text.splitlines()[line - 1][:40]


def test_text_at_the_cap_is_accepted(check_text, sample_text):
    from hostile_data import with_texts
    from yujuesuan.input.amounts import MAX_TEXT_CHARS

    checked = check_text(with_texts(sample_text, {"说明.收支总计变动原因": "文" * MAX_TEXT_CHARS}))
    assert checked.ok, [f.format() for f in checked.findings]
    assert len(checked.model.reasons["收支总计变动原因"]) == MAX_TEXT_CHARS
