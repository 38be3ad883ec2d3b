"""fonts.py: the bundled CJK fonts are found and cut down deterministically."""

from __future__ import annotations

import io

import pytest
from fontTools.ttLib import TTFont

from yujuesuan.render import fonts


def _cmap(data: bytes) -> set[str]:
    return {chr(c) for c in TTFont(io.BytesIO(data)).getBestCmap()}


@pytest.mark.parametrize(("role", "file"), [("serif", "NotoSerifCJKsc"), ("sans", "NotoSansCJKsc")])
def test_bundled_font_is_found_in_mplfonts(role, file):
    font = fonts.find_font(role)
    assert font.path.is_file()
    assert font.path.parent == fonts.bundled_font_dir()
    assert font.path.name.startswith(file)


def test_subset_holds_the_text_and_the_base_characters_only():
    data = fonts.subset_font(fonts.find_font("serif"), "部门决算䶮")
    assert data[:4] == b"OTTO"
    chars = _cmap(data)
    assert set("部门决算䶮") <= chars
    assert set("0123456789０９（），。：%￥") <= chars
    assert "鑫" not in chars  # not asked for, not in BASE_CHARS
    assert len(data) < 200_000  # the full font is 23 MB


def test_subset_is_deterministic_and_cached():
    font = fonts.find_font("sans")
    first = fonts.subset_font(font, "收入支出")
    assert fonts.subset_font(font, "支出收入") is first  # same character set: from the cache
    fonts._SUBSETS.clear()
    assert fonts.subset_font(font, "收入支出") == first


def test_woff_flavor():
    assert fonts.subset_font(fonts.find_font("sans"), "黑体", flavor="woff")[:4] == b"wOFF"


def test_missing_chars_names_what_would_print_as_boxes():
    assert fonts.missing_chars("部门𠀀䶮 ") == "𠀀"


def test_charset_drops_line_breaks_and_keeps_base():
    chars = fonts.charset(["甲\n乙\t"])
    assert {"甲", "乙", "0", "（"} <= chars
    assert not {"\n", "\t"} & chars
