"""tests/figurecheck.py, the figure comparison the build tests rely on."""

from __future__ import annotations

from figurecheck import compare, figures, html_text, split_parts


def test_figures_compare_as_values_and_skip_plain_integers_and_list_numbers() -> None:
    text = "收入 124.4 万元，占 100.0%，增长 8.44％；4.2023 年公务员医疗补助；共 4 个项目；1,234.50 万元"
    assert figures(text) == {"124.4": 1, "100%": 1, "8.44%": 1, "1234.5": 1}


def test_parts_split_at_headings_and_a_repeated_heading_adds_to_its_part() -> None:
    text = "封面 1.5\n目录 第二部分 第三部分\n第二部分 表 2.5\n第三部分 说明 3.5\n第二部分 续 4.5"
    parts = split_parts(text)
    assert "3.5" in parts[3] and "2.5" in parts[2] and "4.5" in parts[2]
    assert "1.5" in parts[0]


def test_compare_counts_each_missing_occurrence() -> None:
    reference = "第二部分 537.12 537.12 8.44%\n第三部分 409.63"
    built = "第二部分 537.120 8.44%\n第三部分 409.63 1.00"
    result = compare(built, reference, parts=(2, 3))
    assert result.reference == 4
    assert result.reproduced == 3
    assert dict(result.missing[2]) == {"537.12": 1}
    assert result.summary().endswith("figures reproduced: 3/4")


def test_html_text_unescapes_and_drops_styles() -> None:
    assert html_text("<style>p{font-size:9.5pt}</style><p>A&amp;B 1.25</p>").split() == ["A&B", "1.25"]
