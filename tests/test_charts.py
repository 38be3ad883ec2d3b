"""charts.py: PNG charts with Chinese labels, deterministic, safe with "$" and odd series."""

from __future__ import annotations

import struct
from decimal import Decimal as D

import pytest

from yujuesuan import charts

PNG = b"\x89PNG\r\n\x1a\n"
YEARS = [("2022年度", [D("495.31"), D("495.31")]), ("2023年度", [D("537.12"), D("537.12")])]


def _size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


def _bar(title: str = "收、支决算总计变动情况", series=YEARS) -> bytes:
    return charts.bar_chart(title, ["收入总计", "支出总计"], series, [["495.31", "495.31"], ["537.12", "537.12"]])


def test_bar_chart_is_a_print_quality_png_and_deterministic():
    first = _bar()
    assert first[:8] == PNG
    assert first == _bar()
    width, height = _size(first)
    assert width >= 1200 and height >= 700  # ≥200 dpi at 14 cm
    assert b"Software" not in first and b"matplotlib" not in first


def test_chinese_labels_draw_without_missing_glyph_warnings(recwarn):
    _bar("图1：收、支决算总计变动情况")
    assert not [w for w in recwarn if "missing" in str(w.message)]


def test_labels_change_the_picture():
    other = charts.bar_chart(
        "收、支决算总计变动情况", ["收入总计", "支出总计"], YEARS, [["495.3", "495.3"], ["537.1", "537.1"]]
    )
    assert other != _bar()


def test_dollar_signs_are_text_not_math():
    # With math text on, "$\\frac{$" raises a parse error.
    png = charts.bar_chart("单位$\\frac{$", ["$收入", "支出$"], [("$5", [D(1), D(2)])], [["$1", "$2"]], unit="$")
    assert png[:8] == PNG
    assert charts.pie_chart("结构$\\frac{$", ["a$", "$b"], [D(1), D(2)], ["$1", "$2"])[:8] == PNG


def test_label_count_must_match():
    with pytest.raises(ValueError):
        charts.bar_chart("t", ["a", "b"], YEARS, [["1"], ["2"]])
    with pytest.raises(ValueError):
        charts.pie_chart("t", ["a", "b"], [D(1)])


def test_pie_chart_png():
    png = charts.pie_chart("支出决算结构", ["基本支出", "项目支出"], [D("409.63"), D("127.49")], ["76.26%", "23.74%"])
    assert png[:8] == PNG


@pytest.mark.parametrize("values", [[D(0), D(0)], [D(5), D("-1")], [D("NaN"), D(1)], [D("Infinity"), D(1)], []])
def test_pie_chart_refuses_what_a_pie_cannot_show(values):
    assert charts.pie_chart("结构", [str(i) for i in range(len(values))], values) is None


def test_pie_chart_drops_zero_slices():
    with_zero = charts.pie_chart("结构", ["甲", "乙", "丙"], [D(1), D(0), D(2)])
    assert with_zero == charts.pie_chart("结构", ["甲", "丙"], [D(1), D(2)])
