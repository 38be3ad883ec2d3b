"""render/html.py and render/pdf.py: escaped HTML, a safe fetcher, a reproducible CJK PDF."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from pypdf import PdfReader

from yujuesuan.compose.document import Document, Paragraph
from yujuesuan.errors import UsageError
from yujuesuan.render import pdf as pdf_module
from yujuesuan.render import render_html, render_pdf
from yujuesuan.render.pdf import RefusedURL, SafeURLFetcher, font_face_css
from yujuesuan.resources import templates_root

PROFILE = templates_root() / "wuhan"
HOSTILE = "<script>alert(1)</script><a rel=attachment href=file:///etc/passwd>x</a>"


def _env(folder: Path = PROFILE, **kw) -> Environment:
    kw.setdefault("autoescape", True)
    return SandboxedEnvironment(loader=FileSystemLoader(str(folder)), undefined=StrictUndefined, **kw)


@pytest.fixture(scope="module")
def html(drawable_doc) -> str:
    return render_html(drawable_doc, _env())


@pytest.fixture(scope="module")
def pdf(html) -> bytes:
    return render_pdf(html, [PROFILE])


@pytest.fixture(scope="module")
def reader(pdf) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


# --- HTML -----------------------------------------------------------------


def test_html_escapes_document_text(html):
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;事业&gt; &amp; 运行" in html


def test_hostile_unit_name_and_title_come_out_escaped():
    doc = Document(title=HOSTILE, unit=HOSTILE, year=2023, blocks=[Paragraph(HOSTILE)])
    out = render_html(doc, _env())
    assert "<script>" not in out and "<a rel" not in out
    assert out.count("&lt;a rel=attachment href=file:///etc/passwd&gt;") == 2  # <title> and <p>


def test_html_structure(html, sample_doc):
    assert html.count("<thead>") == 3
    assert 'rowspan="2"' in html and 'colspan="3"' in html
    assert 'class="table wide' in html
    assert html.count(' newpage"') == 3  # three PageBreaks, each on the block after it
    assert "草稿" not in html
    assert '"草稿"' in render_html(replace(sample_doc, draft=True), _env())
    assert "dcterms" not in html and "<meta name" not in html  # dates would enter the PDF


def test_render_html_refuses_an_environment_without_autoescape(sample_doc):
    with pytest.raises(ValueError, match="autoescape"):
        render_html(sample_doc, _env(autoescape=False))


def test_render_html_refuses_illegal_characters():
    doc = Document(title="t", unit="u", year=2023, blocks=[Paragraph("a\x00b")])
    with pytest.raises(ValueError, match="第 1 块"):
        render_html(doc, _env())


# --- PDF ------------------------------------------------------------------


def test_pdf_text_has_headings_and_figures(reader):
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "第一部分",
        "部门主要职能",
        "第三部分 决算情况说明",
        "公开 03 表",
        "461.25",
        "9,999.99",
        "本部门当年无政府性基金预算财政拨款收入支出",
        "䶮",
    ):
        assert expected in text


def test_long_table_repeats_its_header_on_the_next_page(reader):
    pages = [page.extract_text() for page in reader.pages]
    holding = [i for i, text in enumerate(pages) if "行政运行" in text]
    assert len(holding) == 2  # 45 rows break across two pages
    assert all("本年支出合计" in pages[i] and "科目编码" in pages[i] for i in holding)


def test_pdf_pages_and_landscape(reader):
    assert len(reader.pages) > 3
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
    assert sizes[0] == (595, 842)  # A4 portrait in points
    assert (842, 595) in sizes
    wide = sizes.index((842, 595))
    assert "人员经费" in reader.pages[wide].extract_text()
    assert sizes[-1] == (595, 842)
    assert "— 1 —" in reader.pages[0].extract_text()


def _embedded_fonts(reader: PdfReader) -> dict[str, list[str]]:
    """Font name (subset tag dropped) → the /FontFile* keys of its descriptor."""
    embedded = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            files = [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor]
            embedded[str(font["/BaseFont"]).split("+")[-1]] = files
    return embedded


def test_pdf_embeds_the_cjk_fonts(reader):
    embedded = _embedded_fonts(reader)
    assert embedded.keys() == {"YJ-Serif", "YJ-Sans"}
    assert all(embedded.values())


def test_same_html_same_pdf(html, pdf):
    assert render_pdf(html, [PROFILE]) == pdf
    assert b"/CreationDate" not in pdf and b"/ModDate" not in pdf


def test_caller_fonts_css_replaces_the_generated_one(html, monkeypatch):
    css = font_face_css(html)

    def not_called(_html: str) -> str:
        raise AssertionError("fonts_css was given: no subsets should be generated")

    monkeypatch.setattr(pdf_module, "font_face_css", not_called)
    first = render_pdf(html, [PROFILE], fonts_css=css)
    assert first == render_pdf(html, [PROFILE], fonts_css=css)
    assert "YJ-Serif" in _embedded_fonts(PdfReader(io.BytesIO(first)))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_a_character_no_font_has_still_renders(sample_doc, tmp_path, caplog):
    """𠀀 (U+20000) is in no shipped font: it prints as a box (and drops out of the text
    layer), WeasyPrint logs it, and the rest of the page is intact."""
    html = render_html(sample_doc, _env())
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render_pdf(html, [PROFILE])
    assert any("U+20000" in r.getMessage() for r in caplog.records)
    (tmp_path / "rare.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "rare.pdf"), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "䶮" in text and "部门主要职能" in text


# --- URL fetching ---------------------------------------------------------


@pytest.fixture
def folders(tmp_path) -> tuple[Path, Path]:
    allowed = tmp_path / "profile"
    allowed.mkdir()
    (allowed / "logo.png").write_bytes(b"\x89PNG inside")
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:secret")
    (allowed / "link.txt").symlink_to(outside)
    return allowed, outside


def test_fetcher_allows_data_and_files_inside(folders):
    allowed, _ = folders
    fetcher = SafeURLFetcher([allowed])
    assert fetcher.fetch((allowed / "logo.png").as_uri()).read() == b"\x89PNG inside"
    assert fetcher.fetch("data:text/plain;base64,5aW9").read() == "好".encode()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/x.css",
        "ftp://example.com/x",
        "file://evil.example.com/etc/passwd",
        "OUTSIDE",
        "DOTDOT",
        "SYMLINK",
        "MISSING",
    ],
)
def test_fetcher_refuses_everything_else(folders, url):
    allowed, outside = folders
    url = {
        "OUTSIDE": outside.as_uri(),
        "DOTDOT": allowed.as_uri() + "/../secret.txt",
        "SYMLINK": (allowed / "link.txt").as_uri(),
        "MISSING": (allowed / "none.png").as_uri(),
    }.get(url, url)
    fetcher = SafeURLFetcher([allowed])
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def _page(body: str, text: str = "附件") -> str:
    # "YJ Serif" is the subset font render_pdf declares; a system CJK fallback
    # would cost seconds of subsetting per test.
    return f'<html lang="zh-CN"><body style="font-family: \'YJ Serif\'"><p>{text} {body}</p></body></html>'


@pytest.mark.parametrize(
    "markup",
    [
        '<a rel="attachment" href="file:///etc/passwd">passwd</a>',
        '<img src="file:///etc/passwd">',
        '<img src="../../../../../../etc/passwd">',
        '<link rel="stylesheet" href="http://169.254.169.254/x.css">',
    ],
)
def test_hostile_html_cannot_reach_local_files(folders, markup, caplog):
    allowed, _ = folders
    with pytest.raises(UsageError, match="不允许"):
        render_pdf(_page(markup), [allowed])
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        lenient = render_pdf(_page(markup), [allowed], strict=False)
    assert b"/EmbeddedFile" not in lenient and b"root:x:0:0" not in lenient
    assert len(PdfReader(io.BytesIO(lenient)).pages) == 1


@pytest.mark.skipif(not Path("/etc/passwd").is_file(), reason="needs /etc/passwd")
def test_control_weasyprints_own_fetcher_would_embed_the_file():
    """Shows the attachment test above can fail: the default fetcher embeds /etc/passwd."""
    from weasyprint import HTML

    page = _page('<a rel="attachment" href="file:///etc/passwd">x</a>', text="attachment")
    unsafe = HTML(string=page).write_pdf(uncompressed_pdf=True)
    assert b"/EmbeddedFile" in unsafe and b"root:x:0:0" in unsafe
