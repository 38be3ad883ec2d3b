"""render/docx.py: the editable DOCX, checked in its XML."""

from __future__ import annotations

import io
import shutil
import zipfile
from dataclasses import replace

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from lxml import etree

from yujuesuan.compose.document import Cover, Document, Paragraph, Table, Toc, TocEntry
from yujuesuan.render import render_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def docx_bytes(sample_doc) -> bytes:
    return render_docx(sample_doc)


@pytest.fixture(scope="module")
def body(docx_bytes) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(docx_bytes)).read("word/document.xml"))


def _part(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


def _text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def _table_with(body, text: str) -> etree._Element:
    """The one table holding a cell with ``text``."""
    (table,) = [t for t in body.iter(f"{W}tbl") if text in [_text(tc) for tc in t.iter(f"{W}tc")]]
    return table


def test_headings_use_real_heading_styles(docx_bytes):
    styles = {p.text: p.style.name for p in docx.Document(io.BytesIO(docx_bytes)).paragraphs}
    assert styles["第一部分 武汉市青山区融媒体中心概况"] == "Heading 1"
    assert styles["一、部门主要职能"] == "Heading 2"
    assert styles["（一）收入支出决算总体情况"] == "Heading 3"
    assert styles["表后正文回到纵向页面。"] == "Plain"


@pytest.mark.parametrize(
    ("style", "font"),
    [
        ("Heading 1", "黑体"),
        ("Heading 2", "黑体"),
        ("Heading 3", "黑体"),
        ("Normal", "仿宋_GB2312"),
        ("Body Text", "仿宋_GB2312"),
        ("Table Text", "宋体"),
        ("Table Title", "宋体"),
    ],
)
def test_styles_name_their_east_asian_font(docx_bytes, style, font):
    word = docx.Document(io.BytesIO(docx_bytes))
    fonts = word.styles[style].element.find(f"{W}rPr/{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == font
    assert fonts.get(f"{W}ascii") == font and fonts.get(f"{W}hAnsi") == font
    assert fonts.get(f"{W}asciiTheme") is None  # a theme font would win over w:ascii


def test_runs_carry_the_east_asian_font(body):
    def fonts_of(text: str) -> set[str]:
        return {r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") for r in body.iter(f"{W}r") if _text(r) == text}

    assert fonts_of("一、部门主要职能") == {"黑体"}
    assert fonts_of("2023 年度收入总计 537.12 万元，支出总计 537.12 万元。") == {"仿宋_GB2312"}
    assert fonts_of("10.25") == {"宋体"}


def test_doc_defaults_have_no_theme_fonts(docx_bytes):
    fonts = _part(docx_bytes, "word/styles.xml").find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == "仿宋_GB2312"
    assert fonts.get(f"{W}eastAsiaTheme") is None


def test_merged_repeating_header_and_unsplittable_rows(body):
    table = _table_with(body, "本年支出合计")
    rows = table.findall(f"{W}tr")
    assert len(rows) == 3 + 45 + 1
    header = [r.find(f"{W}trPr/{W}tblHeader") is not None for r in rows]
    assert header == [True] * 3 + [False] * 46
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    spans = [int(g.get(f"{W}val")) for g in table.iter(f"{W}gridSpan")]
    assert spans == [2, 2, 2, 2]  # 项目, 其中, 栏次, 合计
    merges = [v.get(f"{W}val") for v in table.iter(f"{W}vMerge")]
    assert merges == ["restart", None]  # 本年支出合计 spans two header rows
    for row in rows:  # every row fills the five grid columns
        assert (
            sum(
                int(tc.find(f"{W}tcPr/{W}gridSpan").get(f"{W}val"))
                if tc.find(f"{W}tcPr/{W}gridSpan") is not None
                else 1
                for tc in row.findall(f"{W}tc")
            )
            == 5
        )


def test_amounts_are_right_aligned_and_borders_drawn(body):
    table = _table_with(body, "本年支出合计")
    cells = {_text(tc): tc for tc in table.iter(f"{W}tc")}
    assert cells["10.25"].find(f".//{W}jc").get(f"{W}val") == "right"
    assert cells["科目编码"].find(f".//{W}jc").get(f"{W}val") == "center"
    assert cells["2010101"].find(f".//{W}jc").get(f"{W}val") == "left"
    borders = table.find(f"{W}tblPr/{W}tblBorders")
    assert {b.tag[len(W) :] for b in borders} == {"top", "left", "bottom", "right", "insideH", "insideV"}


def test_landscape_table_has_its_own_landscape_section(docx_bytes):
    word = docx.Document(io.BytesIO(docx_bytes))
    kinds = []
    for section in word.sections:
        texts = [t.cell(0, 0).text for t in section.iter_inner_content() if hasattr(t, "cell")]
        kinds.append((section.orientation, section.page_width > section.page_height, texts))
    assert kinds[0][:2] == (WD_ORIENT.PORTRAIT, False)
    wide = [k for k in kinds if "人员经费" in k[2]]
    assert wide and wide[0][:2] == (WD_ORIENT.LANDSCAPE, True)
    assert kinds[-1][:2] == (WD_ORIENT.PORTRAIT, False)  # the text after it is upright again
    first = word.sections[0]
    assert (round(first.page_width.cm, 1), round(first.page_height.cm, 1)) == (21.0, 29.7)


def test_a_leading_landscape_table_leaves_no_blank_portrait_page(sample_doc):
    wide = next(b for b in sample_doc.blocks if isinstance(b, Table) and b.landscape)
    doc = Document(title="t", unit="u", year=2023, blocks=[wide, Paragraph("正文")])
    sections = docx.Document(io.BytesIO(render_docx(doc))).sections
    assert [s.orientation for s in sections] == [WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]


def test_front_matter_then_a_landscape_table_gives_two_sections_only(sample_doc):
    wide = next(b for b in sample_doc.blocks if isinstance(b, Table) and b.landscape)
    front = [Cover("单位\n2023 年度部门决算", ("单位", "2024 年")), Toc(entries=(TocEntry(2, wide.title, "_Toc1"),))]
    doc = Document(title="t", unit="u", year=2023, blocks=[*front, replace(wide, anchor="_Toc1"), Paragraph("正文")])
    sections = docx.Document(io.BytesIO(render_docx(doc))).sections
    assert [s.orientation for s in sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    assert sections[1]._sectPr.find(f"{W}pgNumType").get(f"{W}start") == "1"
    assert "PAGE" not in sections[0].footer._element.xml  # the cover and the 目录 carry no number
    assert "PAGE" in sections[1].footer._element.xml


def test_a_control_character_on_the_cover_is_refused():
    doc = Document(title="t", unit="u", year=2023, blocks=[Cover("单位", ("2024\x07 年",))])
    with pytest.raises(ValueError, match="封面含有不可用的字符 U\\+0007"):
        render_docx(doc)


def test_draft_mark_is_on_the_cover_too():
    doc = Document(title="t", unit="u", year=2023, draft=True, blocks=[Cover("单位"), Paragraph("正文")])
    sections = docx.Document(io.BytesIO(render_docx(doc))).sections
    assert all("草稿" in s.header._element.xml for s in sections)


def test_footer_has_a_page_field(docx_bytes):
    word = docx.Document(io.BytesIO(docx_bytes))
    footer = word.sections[0].footer._element
    assert " PAGE " in [i.text for i in footer.iter(qn("w:instrText"))]


def test_figure_is_embedded_at_its_width(docx_bytes, body):
    names = zipfile.ZipFile(io.BytesIO(docx_bytes)).namelist()
    assert "word/media/image1.png" in names
    extent = next(body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"))
    assert abs(int(extent.get("cx")) - 14 * 360000) < 1000  # 14 cm in EMU


def _headers(data: bytes) -> str:
    z = zipfile.ZipFile(io.BytesIO(data))
    return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/header"))


def test_draft_marker_only_on_drafts(docx_bytes, draft_doc):
    draft = render_docx(draft_doc)
    assert "草稿" in _headers(draft) and 'w:val="FF0000"' in _headers(draft)
    assert "草稿" not in _headers(docx_bytes)
    assert docx.Document(io.BytesIO(draft)).core_properties.title.startswith("【草稿】")
    assert "草稿" not in docx.Document(io.BytesIO(docx_bytes)).core_properties.title


def test_same_document_same_bytes(sample_doc, docx_bytes):
    assert render_docx(sample_doc) == docx_bytes
    z = zipfile.ZipFile(io.BytesIO(docx_bytes))
    assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    assert z.namelist()[0] == "[Content_Types].xml"
    props = docx.Document(io.BytesIO(docx_bytes)).core_properties
    assert props.created.year == 2000 and props.author == "yujuesuan"


@pytest.mark.parametrize("bad", ["a\x01b", "a\ud800b", "a\u202eb", "a\uffffb"])
def test_characters_illegal_in_xml_are_refused_naming_the_block(bad):
    doc = Document(title="t", unit="u", year=2023, blocks=[Paragraph("好"), Paragraph(bad)])
    with pytest.raises(ValueError, match="第 2 块"):
        render_docx(doc)


def test_unknown_paragraph_style_is_refused():
    doc = Document(title="t", unit="u", year=2023, blocks=[Paragraph("好", style="花体")])
    with pytest.raises(ValueError, match="花体"):
        render_docx(doc)


def test_reference_docx_keeps_the_district_styles(tmp_path, sample_doc):
    reference = docx.Document()
    fonts = reference.styles["Heading 1"].element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), "方正小标宋简体")
    reference.add_paragraph("样例正文，应被清除")
    path = tmp_path / "reference.docx"
    reference.save(path)
    out = docx.Document(io.BytesIO(render_docx(replace(sample_doc), path)))
    heading = next(p for p in out.paragraphs if p.style.name == "Heading 1")
    assert heading.runs[0]._r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "方正小标宋简体"
    assert "样例正文，应被清除" not in [p.text for p in out.paragraphs]
    assert out.styles["Table Text"] is not None  # the styles it lacked were added


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_it(tmp_path, docx_bytes):
    from pypdf import PdfReader

    from libreoffice import docx_to_pdf

    src = tmp_path / "sample.docx"
    src.write_bytes(docx_bytes)
    reader = PdfReader(docx_to_pdf(src, tmp_path))
    assert len(reader.pages) > 2
    assert any(p.mediabox.width > p.mediabox.height for p in reader.pages)
    assert "第一部分" in reader.pages[0].extract_text()


def test_body_moved_in_as_child_by_child() -> None:
    """_move_before gives the very tree (bytes) that moving each parsed child across did."""
    from docx.oxml import parse_xml

    from yujuesuan.render.docx import _NS, _move_before

    xml = (
        "<w:p><w:r><w:t>甲</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        "<w:p><w:r><w:drawing><wp:inline><a:graphic><a:graphicData><pic:pic><pic:nvPicPr/>"
        '<pic:blipFill><a:blip r:embed="rId9"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r></w:p>"
        "<w:p><w:pPr><w:sectPr/></w:pPr></w:p>"
    )
    results = []
    for linear in (False, True):
        word = docx.Document()
        sect = word.element.body.find(qn("w:sectPr"))
        wrapper = parse_xml(f"<w:body {_NS}>{xml}</w:body>")
        if linear:
            _move_before(sect, wrapper)
        else:
            for child in list(wrapper):
                sect.addprevious(child)
        results.append(etree.tostring(word.element))
    assert results[0] == results[1]
    assert b'<w:p xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"' in results[1]
