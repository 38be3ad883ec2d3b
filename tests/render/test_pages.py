"""The built pages of all three profiles: cover, 目录, bookmarks, keep rules, 绩效 tables, chart alt text.

Each profile's sample is composed once and rendered to DOCX and PDF; the
assertions read the structure (DOCX XML, the PDF's outline and page texts),
which is what a reader sees: no page of notes alone, no title at a page foot,
a 目录 whose page numbers are the pages the entries are on.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from yujuesuan import pipeline
from yujuesuan.compose import compose
from yujuesuan.compose.document import Cover, Document, Figure, Heading, Table, Toc
from yujuesuan.errors import UsageError
from yujuesuan.profiles import load_profile
from yujuesuan.render.docx import render_docx
from yujuesuan.render.html import render_html
from yujuesuan.render.pdf import render_pdf

ROOT = Path(__file__).resolve().parents[2]
CASES = {
    "wuhan": ROOT / "sample_data" / "qingshan-2023.yaml",
    "national-2024": ROOT / "sample_data" / "qingshan-2023.yaml",
    "sichuan": ROOT / "sample_data" / "panzhihua-dongqu-2023.yaml",
}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
FOOTER = re.compile(r"^—\s*(\d+)\s*—$")
DOUBLED_YEAR = re.compile(r"(\d{4})\s*年度?\s*\1\s*年")


@dataclass
class Built:
    name: str
    doc: Document
    docx: bytes
    pdf: PdfReader

    def xml(self, name: str) -> etree._Element:
        with zipfile.ZipFile(io.BytesIO(self.docx)) as zf:
            return etree.fromstring(zf.read(name))

    def page_lines(self) -> list[list[str]]:
        return [[x.strip() for x in p.extract_text().split("\n") if x.strip()] for p in self.pdf.pages]


@pytest.fixture(scope="module", params=list(CASES))
def built(request) -> Built:
    profile = load_profile(request.param)
    checked = pipeline.check(CASES[request.param], profile=profile)
    assert checked.figures is not None
    doc = compose(checked.figures, profile)
    pdf = render_pdf(render_html(doc, profile.env(autoescape=True)), profile.folders)
    return Built(request.param, doc, render_docx(doc, profile.find("reference.docx")), PdfReader(io.BytesIO(pdf)))


def titled_tables(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table) and b.title]


# --- the composed document -----------------------------------------------------------


def test_every_profile_opens_with_a_cover_and_a_toc(built):
    cover, toc = built.doc.blocks[:2]
    assert isinstance(cover, Cover) and isinstance(toc, Toc)
    assert built.doc.unit in cover.title and "部门决算" in cover.title and "\n" in cover.title
    assert built.doc.unit in cover.lines and f"{built.doc.year + 1} 年" in cover.lines
    parts = [b.text for b in built.doc.blocks if isinstance(b, Heading) and b.level == 1]
    sections = [b.text for b in built.doc.blocks if isinstance(b, Heading) and b.level == 2]
    tables = [t.title for t in titled_tables(built.doc) if t.outline == 2]
    listed = [e.text for e in toc.entries]
    assert [e.text for e in toc.entries if e.level == 1] == parts
    assert set(sections) <= set(listed) and set(tables) <= set(listed)
    assert len(tables) >= 9  # the 公开 tables, under their part
    anchors = [e.anchor for e in toc.entries]
    assert len(set(anchors)) == len(anchors) and all(a.startswith("_Toc") for a in anchors)


def test_no_doubled_year_in_table_titles(built):
    titles = [t.title for t in titled_tables(built.doc)]
    assert titles and not [t for t in titles if DOUBLED_YEAR.search(t)]


def test_no_doubled_year_in_headings_or_the_toc(built):
    """06-附件's headings ("四、2023年…项目绩效自评表") and so the 目录 name a project's year once."""
    headings = [b.text for b in built.doc.blocks if isinstance(b, Heading)]
    assert headings and not [h for h in headings if DOUBLED_YEAR.search(h)]
    if built.name == "wuhan":  # the layout with a heading per 绩效 table
        assert "四、2023年离休、保健、伤残军人公费医疗及子女医疗补助项目绩效自评表" in headings
        assert "三、2023 年度老干工作部门专项款(待分配)项目绩效自评表" in headings


def test_project_table_title_keeps_a_year_the_name_holds():
    from yujuesuan.kinds.juesuan.perf import title

    assert title(2023, "2023年公务员医疗补助经费", "项目自评表") == "2023年公务员医疗补助经费项目自评表"
    assert title(2023, "融媒体工作经费", "项目自评表") == "2023 年度融媒体工作经费项目自评表"


def test_performance_tables_have_a_header_row_and_room_for_amounts(built):
    perf = [t for t in titled_tables(built.doc) if t.id.startswith("绩效")]
    assert len(perf) == (5 if built.name == "wuhan" else 0)  # the others print no 绩效自评表
    for t in perf:
        assert len(t.header) == 1 and t.header[0][0].text in ("项目名称", "部门名称")
        # The amount column of 预算数/执行数 is at least 1.6 of 10 shares: "537.12万元" stays on one line.
        assert min(t.widths[3:5]) / sum(t.widths) >= 0.15


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("cover", "yes", "cover 应写 true、false"),
        ("cover", {"title": "x", "date": "2024"}, "只含 title、lines"),
        ("cover", {"lines": "2024 年"}, "cover.lines 应是文字的列表"),
        ("toc", {"levels": 5}, "toc.levels 应是 1、2 或 3"),
    ],
)
def test_bad_cover_and_toc_settings_are_usage_errors(sample_checked, key, value, message):
    profile = load_profile("wuhan")
    profile.config = {**profile.config, key: value}
    with pytest.raises(UsageError, match=message):
        compose(sample_checked.figures, profile)


def test_cover_and_toc_can_be_left_out(sample_checked):
    profile = load_profile("wuhan")
    profile.config = {**profile.config, "cover": False, "toc": False}
    doc = compose(sample_checked.figures, profile)
    assert not [b for b in doc.blocks if isinstance(b, (Cover, Toc))]
    assert isinstance(doc.blocks[0], Heading)


# --- DOCX ---------------------------------------------------------------------------


def test_docx_toc_is_a_word_field_updated_on_open(built):
    body = built.xml("word/document.xml")
    instr = [t.text for t in body.iter(f"{W}instrText")]
    assert ' TOC \\o "1-2" \\h \\z \\u ' in instr
    toc = next(b for b in built.doc.blocks if isinstance(b, Toc))
    refs = [t.strip() for t in instr if t.strip().startswith("PAGEREF")]
    assert refs == [f"PAGEREF {e.anchor} \\h" for e in toc.entries]
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    assert {e.anchor for e in toc.entries} <= bookmarks
    kinds = [c.get(f"{W}fldCharType") for c in body.iter(f"{W}fldChar")]
    assert kinds.count("begin") == kinds.count("end") == len(refs) + 1
    settings = built.xml("word/settings.xml")
    assert settings.find(f"{W}updateFields").get(f"{W}val") == "true"


def test_docx_table_titles_carry_their_outline_level(built):
    body = built.xml("word/document.xml")
    levels = {}
    for p in body.iter(f"{W}p"):
        lvl = p.find(f"{W}pPr/{W}outlineLvl")
        if lvl is not None:
            levels["".join(t.text or "" for t in p.iter(f"{W}t"))] = int(lvl.get(f"{W}val")) + 1
    for t in titled_tables(built.doc):
        assert levels[t.title] == t.outline


def test_docx_headings_and_table_heads_keep_with_next(built):
    styles = built.xml("word/styles.xml")
    by_name = {s.find(f"{W}name").get(f"{W}val"): s for s in styles.iter(f"{W}style")}
    for name in ("heading 1", "heading 2", "heading 3", "Table Title", "Table Number", "Table Unit"):
        assert by_name[name].find(f"{W}pPr/{W}keepNext") is not None, name
    body = built.xml("word/document.xml")
    for tbl in body.iter(f"{W}tbl"):
        rows = tbl.findall(f"{W}tr")
        heads = [r for r in rows if r.find(f"{W}trPr/{W}tblHeader") is not None]
        assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)

        def keeps(row: etree._Element) -> bool:
            return all(p.find(f"{W}pPr/{W}keepNext") is not None for p in row.iter(f"{W}p"))

        # The header and the first three body rows hold together: a table never starts with a row or two.
        assert all(keeps(r) for r in rows[: min(len(heads) + 2, len(rows) - 1)])
        if len(rows) > 2:
            assert keeps(rows[-2])  # the last two rows hold together


def test_docx_performance_header_rows_repeat(built):
    perf = [t for t in titled_tables(built.doc) if t.id.startswith("绩效")]
    body = built.xml("word/document.xml")
    heads = []
    for tbl in body.iter(f"{W}tbl"):
        first = tbl.find(f"{W}tr")
        if first is not None and first.find(f"{W}trPr/{W}tblHeader") is not None:
            heads.append("".join(t.text or "" for t in first.iter(f"{W}t")))
    for t in perf:
        assert "".join(c.text for c in t.header[0]) in heads


def test_docx_front_pages_are_unnumbered_and_page_one_follows(built):
    body = built.xml("word/document.xml")
    sections = list(body.iter(f"{W}sectPr"))
    front, first = sections[0], sections[1]
    assert front.find(f"{W}pgNumType") is None
    assert first.find(f"{W}pgNumType").get(f"{W}start") == "1"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    front_footer = front.find(f"{W}footerReference").get(rel)
    assert front_footer != first.find(f"{W}footerReference").get(rel)
    with zipfile.ZipFile(io.BytesIO(built.docx)) as zf:
        rels = etree.fromstring(zf.read("word/_rels/document.xml.rels"))
        target = next(r.get("Target") for r in rels if r.get("Id") == front_footer)
        footer = zf.read(f"word/{target}").decode()
    assert "PAGE" not in footer


def test_docx_charts_have_alt_text(built):
    figures = [b for b in built.doc.blocks if isinstance(b, Figure)]
    body = built.xml("word/document.xml")
    described = [(d.get("descr"), d.get("title")) for d in body.iter(f"{WP}docPr")]
    assert described == [(f.caption, f.caption) for f in figures]


# --- PDF ----------------------------------------------------------------------------


def outline_titles(reader: PdfReader) -> list[str]:
    out: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append(item.title)

    walk(reader.outline)
    return out


def test_pdf_bookmarks_every_part_section_and_table(built):
    marks = outline_titles(built.pdf)
    for block in built.doc.blocks:
        if isinstance(block, Heading):
            assert block.text in marks
        elif isinstance(block, Table) and block.title:
            assert block.title in marks
    assert built.doc.blocks[0].title.split("\n")[0] not in marks  # the cover is no bookmark


def test_pdf_toc_page_numbers_are_the_printed_page_numbers(built):
    pages = built.page_lines()
    printed = [page_number(p) for p in pages]
    assert printed[0] is None and printed[1] is None  # cover and 目录 carry no number
    toc = next(b for b in built.doc.blocks if isinstance(b, Toc))
    # Lines kept apart (a page number ends its line); an entry may wrap onto the next line.
    toc_text = "\n".join(squash(line) for p, n in zip(pages, printed) if n is None for line in p)
    first_body = printed.index(1)
    for entry in toc.entries:
        wrapping = "\n?".join(re.escape(c) for c in squash(entry.text))
        found = re.search(wrapping + r"\n?\.+(\d+)$", toc_text, re.MULTILINE)
        assert found, entry.text
        page = pages[first_body + int(found.group(1)) - 1]
        assert squash(entry.text) in squash("".join(page)), f"{entry.text} 不在第 {found.group(1)} 页"


def squash(text: str) -> str:
    """Text without white space: entries and headings wrap differently in the 目录 and on the page."""
    return re.sub(r"\s+", "", text)


def page_number(lines: list[str]) -> int | None:
    return next((int(m.group(1)) for x in lines if (m := FOOTER.match(x))), None)


def is_note(line: str) -> bool:
    return bool(re.match(r"^(注[：:]|备注|说明[：:]|\d+\s*[栏行.]|\d+\s*栏)", line))


def test_pdf_has_no_page_of_notes_alone(built):
    for n, lines in enumerate(built.page_lines(), 1):
        body = [x for x in lines if not FOOTER.match(x)]
        assert body and not all(is_note(x) for x in body), f"第 {n} 页只有表注：{body}"


def test_pdf_no_page_ends_with_a_table_title_or_heading(built):
    heads = {b.text for b in built.doc.blocks if isinstance(b, Heading)}
    heads |= {t.title for t in titled_tables(built.doc)} | {t.number for t in titled_tables(built.doc) if t.number}
    pages = built.page_lines()
    for n, lines in enumerate(pages, 1):
        if page_number(lines) is None:
            continue  # the cover and the 目录
        body = [x for x in lines if not FOOTER.match(x)]
        assert body[-1] not in heads, f"第 {n} 页以标题结尾：{body[-1]}"
        assert not body[-1].startswith("部门："), f"第 {n} 页以表的单位行结尾"


def test_pdf_tables_start_with_three_rows_on_their_first_page(built):
    """A table split over pages has its header and at least three body rows under its title."""
    lines = built.page_lines()
    pages = [squash("".join(p)) if page_number(p) else "" for p in lines]  # not the 目录's copy of titles
    checked = whole = 0
    for t in titled_tables(built.doc):
        rows = [squash("".join(c.text for c in row)) for row in t.body]
        if len(rows) < 4 or not all(rows[:3]):
            continue
        start = next(i for i, text in enumerate(pages) if squash(t.title) in text)
        after = pages[start][pages[start].index(squash(t.title)) :]
        split = rows[-1] not in after and any(rows[-1] in p for p in pages[start + 1 :])
        if not split and rows[0] in after and rows[-1] in after:
            whole += 1  # the whole table on its first page
        if not split or not any(rows[0] in p for p in pages):
            continue  # on one page, or rows whose extracted text does not compare
        checked += 1
        placed = 0
        for row in rows[:3]:
            if row not in after:
                break
            after = after[after.index(row) + len(row) :]
            placed += 1
        assert placed == 3, f"{t.title} 在第 {start + 1} 页只有 {placed} 行"
    # Not vacuous: the tables were found, split (and checked) or whole on one page (national-2024
    # gives each table a page of its own, so none of its tables runs over).
    assert checked + whole >= 5, (checked, whole)
