"""charts.py: PNG charts with Chinese labels, deterministic, safe with "$" and odd series."""

from __future__ import annotations

import io
import struct
from decimal import Decimal as D

import pytest

from yujuesuan.render import charts

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


def _pixels(png: bytes) -> bytes:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        return image.convert("RGB").tobytes()


def test_title_is_the_caption_not_drawn_in_the_image():
    # The document prints 图N：title as the caption; a second copy inside the image was a defect.
    one, other = _bar("收、支决算总计变动情况"), _bar("完全不同的标题")
    assert _pixels(one) == _pixels(other)
    assert charts.png_description(one) == (
        "柱状图｜收、支决算总计变动情况｜收入总计、支出总计｜2022年度=495.31、495.31｜2023年度=537.12、537.12｜单位：万元"
    )


def test_pie_description_lists_the_legend():
    png = charts.pie_chart("收入决算结构", ["财政拨款收入", "其他收入"], [D("90"), D("10")], ["90.00%", "10.00%"])
    assert png is not None
    assert charts.png_description(png) == "饼图｜收入决算结构｜财政拨款收入  90.00%｜其他收入  10.00%"


def test_long_pie_labels_wrap_the_name_and_keep_the_share_whole():
    wrapped = charts._wrap("巩固拓展脱贫攻坚成果衔接乡村振兴支出", "3.64%")
    assert wrapped == "巩固拓展脱贫攻坚成果\n衔接乡村振兴支出  3.64%"
    assert charts._wrap("卫生健康支出", "7.27%") == "卫生健康支出  7.27%"


def test_charts_never_look_a_font_up_by_family_name(monkeypatch):
    """A system font of the same family (or a stale cache) must not change the picture.

    Every name-based lookup is sent to another font; the image must not change,
    because every text element carries the bundled font's file path.
    """
    from matplotlib import font_manager

    expected = _pixels(_bar())
    pie_expected = _pixels(charts.pie_chart("结构", ["基本支出", "项目支出"], [D(3), D(1)]) or b"")
    other = font_manager.findfont(font_manager.FontProperties(family="DejaVu Serif"))
    real = font_manager.FontManager.findfont

    def by_name(self, prop, *args, **kwargs):
        if isinstance(prop, font_manager.FontProperties) and prop.get_file():
            return real(self, prop, *args, **kwargs)
        return other

    monkeypatch.setattr(font_manager.FontManager, "findfont", by_name)
    font_manager._cached_font_by_paths = {}
    assert _pixels(_bar()) == expected
    assert _pixels(charts.pie_chart("结构", ["基本支出", "项目支出"], [D(3), D(1)]) or b"") == pie_expected
