"""Rare characters: drawn when a bundled font has them, warned about at their place when none has."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from yujuesuan.output.build import build_document, output_dir
from yujuesuan.pipeline import check
from yujuesuan.profiles import load_profile

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "qingshan-2023.yaml"


def _with_name(tmp_path: Path, name: str) -> Path:
    text = SAMPLE.read_text(encoding="utf-8").replace("名称: 武汉市青山区融媒体中心", f"名称: {name}", 1)
    path = tmp_path / "unit.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_character_no_font_has_is_warned_at_its_column(tmp_path: Path) -> None:
    path = _with_name(tmp_path, "武汉市青山区𪚥融媒体中心")
    result = check(path)
    glyphs = [f for f in result.findings if f.rule == "glyph"]
    assert len(glyphs) == 1, [f.format() for f in result.findings]
    lines = path.read_text(encoding="utf-8").splitlines()
    line = lines.index("  名称: 武汉市青山区𪚥融媒体中心") + 1
    assert (glyphs[0].location.line, glyphs[0].location.column) == (line, lines[line - 1].index("𪚥") + 1)
    assert "U+2A6A5" in glyphs[0].message
    assert not result.errors


def test_rare_name_character_is_drawn_in_the_pdf(tmp_path: Path) -> None:
    # 𠮷 (U+20BB7, Extension B) is common in names; the bundled Noto fonts have it.
    path = _with_name(tmp_path, "武汉市青山区𠮷融媒体中心")
    result = check(path)
    assert [f for f in result.findings if f.rule == "glyph"] == []
    assert result.figures is not None
    out = build_document(result.figures, load_profile("wuhan"), output_dir(tmp_path, result.figures), ("pdf",), path)
    reader = PdfReader(out.written[0])
    assert "武汉市青山区𠮷融媒体中心" in reader.pages[0].extract_text()


def test_template_text_without_a_glyph_is_reported_by_build(tmp_path: Path) -> None:
    overlay = tmp_path / "district" / "sections"
    overlay.mkdir(parents=True)
    (overlay / "01-概况.j2").write_text("# 一、部门主要职能\n本单位☑负责宣传。\n", encoding="utf-8")
    result = check(SAMPLE)
    assert result.figures is not None
    out = build_document(
        result.figures, load_profile("wuhan", tmp_path / "district"), tmp_path / "o", ("html",), SAMPLE
    )
    assert out.warnings == ["文档中的字符“☑”不在内置中文字体中，PDF 中可能显示为方框（除非本机字体含有）。"]
