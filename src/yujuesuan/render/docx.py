"""Turn a Document into DOCX bytes: the editable output, in the official look.

Order matters here: styles first (paragraphs refer to their ids), then the
page setup and the header/footer on the last section (every section break
copies it), then the body in one parse, then fixed metadata and a re-zipped
package so that the same Document always gives the same bytes.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import _Footer, _Header
from lxml import etree

from yujuesuan.compose.document import FRONT, Block, Cover, Document, Figure, Heading, PageBreak, Paragraph, Table, Toc

from . import docx_xml as x
from .docx_front import bookmarked, cover_xml, request_field_update, toc_xml
from .docx_links import scrub_part
from .docx_styles import PARAGRAPH_STYLES, StyleRef, setup_styles
from .ooxml import normalize_zip
from .text import check_text

TWIPS_PER_CM = 1440 / 2.54
A4 = (round(21.0 * TWIPS_PER_CM), round(29.7 * TWIPS_PER_CM))
MARGINS_CM = {"top": 2.5, "bottom": 2.5, "left": 2.8, "right": 2.8, "header": 1.5, "footer": 1.75}
EMU_PER_TWIP = 635
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
_NS = nsdecls("w", "r", "wp", "a", "pic")


def render_docx(doc: Document, reference_docx: Path | None = None) -> bytes:
    """Render ``doc`` as DOCX, starting from a district's ``reference_docx`` when given."""
    check_text(doc)
    word = docx.Document(str(reference_docx) if reference_docx else None)
    styles = setup_styles(word, restyle=reference_docx is None)
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    sect = body.find(qn("w:sectPr"))
    # A district's reference.docx keeps its page setup, unless it has none.
    if reference_docx is None or sect.find(qn("w:pgSz")) is None or sect.find(qn("w:pgMar")) is None:
        _set_page(sect, landscape=False)
    _header_footer(word, styles, doc.draft)
    portrait = copy.deepcopy(sect)
    writer = _BodyWriter(word, styles, _text_width(portrait), _text_width(_oriented(portrait, True)))
    xml, orientations = writer.write(doc.blocks)
    wrapper = parse_xml(f"<w:body {_NS}>{xml}</w:body>")
    holders = [*wrapper.iter(qn("w:sectPr")), sect]
    properties = [_oriented(portrait, landscape) for landscape in orientations]
    if writer.front and len(properties) > 1:
        # The cover and the 目录 are a section of their own without page numbers; page 1 follows.
        properties[0] = _unnumbered(properties[0], word)
        _restart_numbering(properties[1])
    _move_before(sect, wrapper)
    for holder, props in zip(holders, properties):
        holder.getparent().replace(holder, props)
    if any(isinstance(b, Toc) for b in doc.blocks):
        request_field_update(word)
    _fix_metadata(word, doc)
    out = io.BytesIO()
    word.save(out)
    return _normalize_zip(out.getvalue())


class _BodyWriter:
    """Blocks → body XML; landscape tables get their own section, and so does the front matter."""

    def __init__(self, word: WordDocument, styles: dict[str, StyleRef], portrait: int, landscape: int) -> None:
        self.word, self.styles = word, styles
        self.portrait_width, self.landscape_width = portrait, landscape
        self.out: list[str] = []
        self.orientations: list[bool] = []  # one per section, the last for the body sectPr
        self.landscape = False
        self.fresh = True  # nothing written in the current section yet
        self.pending_break = False
        self.front = False  # the first section is a cover and/or 目录
        self.pictures = 0
        self.bookmarks = 0

    def write(self, blocks: list[Block]) -> tuple[str, list[bool]]:
        in_front = False
        for block in blocks:
            if isinstance(block, PageBreak):
                self.pending_break = not self.fresh
                continue
            if isinstance(block, Table) and block.page_break_before:  # profile key new_page
                self.pending_break = not self.fresh
            if isinstance(block, FRONT):
                self.front = in_front = True
                self._block(block)
                self.fresh = False
                continue
            if in_front:
                self._close_section()
                in_front = False
            want = isinstance(block, Table) and block.landscape
            if want != self.landscape and self.fresh:
                self.landscape = want  # the section itself turns; no empty page before it
            elif want != self.landscape:
                self._close_section()
                self.landscape = want
            elif self.pending_break:
                self.out.append(x.page_break())
            self.pending_break = False
            self._block(block)
            self.fresh = False
        self.orientations.append(self.landscape)
        return "".join(self.out), self.orientations

    def _close_section(self) -> None:
        # A section break starts a new page itself: a pending page break would leave a blank one.
        self.orientations.append(self.landscape)
        self.out.append("<w:p><w:pPr><w:sectPr/></w:pPr></w:p>")
        self.fresh, self.pending_break = True, False

    def _bookmark(self, anchor: str, runs: str) -> str:
        self.bookmarks += 1
        return bookmarked(anchor, runs, self.bookmarks)

    def _p(self, style: str, text: str, ppr: str = "") -> None:
        ref = self.styles[style]
        self.out.append(x.paragraph(ref.id, x.run(text, ref.font) if text else "", ppr))

    def _block(self, block: object) -> None:
        if isinstance(block, Heading):
            ref = self.styles[f"Heading {min(max(block.level, 1), 3)}"]
            self.out.append(x.paragraph(ref.id, self._bookmark(block.anchor, x.run(block.text, ref.font))))
        elif isinstance(block, Cover):
            self.out.append(cover_xml(block, self.styles))
        elif isinstance(block, Toc):
            self.out.append(toc_xml(block, self.styles, self.portrait_width))
        elif isinstance(block, Paragraph):
            self._paragraph(block)
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Figure):
            self._figure(block)
        else:
            raise TypeError(f"unknown block {type(block).__name__}")

    def _paragraph(self, block: Paragraph) -> None:
        name = PARAGRAPH_STYLES.get(block.style, block.style)
        if name not in self.styles:
            raise ValueError(f"段落样式 {block.style!r} 未定义：{block.text[:20]}")
        self._p(name, block.text)

    def _table(self, t: Table) -> None:
        width = self.landscape_width if t.landscape else self.portrait_width
        if t.title:
            ref = self.styles["Table Title"]
            # The outline level puts the title in the TOC field (\u) and Word's navigation pane.
            level = f'<w:outlineLvl w:val="{min(t.outline, 9) - 1}"/>' if t.outline else ""
            self.out.append(x.paragraph(ref.id, self._bookmark(t.anchor, x.run(t.title, ref.font)), level))
        if t.number:
            self._p("Table Number", t.number)
        if t.unit_left or t.unit_right:
            tabs = f'<w:tabs><w:tab w:val="right" w:pos="{width}"/></w:tabs>'
            self._p("Table Unit", f"{t.unit_left}\t{t.unit_right}", tabs)
        cell = self.styles["Table Text"]
        tail = [("Table Note", note) for note in t.notes]
        if t.empty_sentence:
            tail.append(("Table Empty", t.empty_sentence))
        self.out.append(x.table(t, width, cell.id, cell.font, keep_with_tail=bool(tail)))
        for i, (style, text) in enumerate(tail):
            # Notes keep together, and with the table's last rows (which keep with the first note).
            self._p(style, text, "<w:keepNext/>" if i < len(tail) - 1 else "")

    def _figure(self, f: Figure) -> None:
        r_id, image = self.word.part.get_or_add_image(io.BytesIO(f.png))
        width = min(
            self.landscape_width if self.landscape else self.portrait_width,
            round(f.width_cm * TWIPS_PER_CM),
        )
        cx = width * EMU_PER_TWIP
        cy = round(cx * image.px_height / image.px_width)
        self.pictures += 1
        n = self.pictures
        alt = x.escape(f.caption, {'"': "&quot;"})  # the alt text screen readers and Word's 可选文字 show
        drawing = (
            f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:docPr id="{n}" name="{x.escape(f.id)}" descr="{alt}" title="{alt}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:pic><pic:nvPicPr><pic:cNvPr id="{n}" name="figure{n}.png" descr="{alt}"/>'
            "<pic:cNvPicPr/></pic:nvPicPr>"
            f'<pic:blipFill><a:blip r:embed="{r_id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        )
        self.out.append(x.paragraph(self.styles["Figure"].id, drawing))
        self._p("Caption", f.caption)


def _move_before(anchor: etree._Element, wrapper: etree._Element) -> None:
    """Move ``wrapper``'s children (parsed in a document of their own) before ``anchor``, in linear time.

    Moving an element into another document makes lxml (6.0) re-point every namespaced node of it,
    and the cache it keeps for that is keyed wrongly when the namespace is not declared on the moved
    element itself (proxy.pxi ``_fixCNs`` stores new→new), so every node misses it and appends to it:
    quadratic in the element's size (a 300-row table: ~1 s). The wrapper itself declares the
    namespaces, so it crosses over in one linear step; its children then move within the document,
    where the cache hits. Same tree as moving each child across: the prefixes the document root
    declares are shared, any other (a:, pic:) is declared on the moved child that uses it.
    """
    anchor.addprevious(wrapper)
    for child in list(wrapper):
        anchor.addprevious(child)
    wrapper.getparent().remove(wrapper)


def _set_page(sect: etree._Element, landscape: bool) -> None:
    """Give ``sect`` A4 in the requested orientation with the official margins."""
    w, h = (A4[1], A4[0]) if landscape else A4
    for tag in ("w:pgSz", "w:pgMar"):
        old = sect.find(qn(tag))
        if old is not None:
            sect.remove(old)
    orient = ' w:orient="landscape"' if landscape else ""
    margins = " ".join(f'w:{k}="{round(v * TWIPS_PER_CM)}"' for k, v in MARGINS_CM.items())
    size = parse_xml(f'<w:pgSz {nsdecls("w")} w:w="{w}" w:h="{h}"{orient}/>')
    mar = parse_xml(f'<w:pgMar {nsdecls("w")} {margins} w:gutter="0"/>')
    # pgSz and pgMar follow the header/footer references and the section type.
    anchor = [c for c in sect if c.tag in (qn("w:headerReference"), qn("w:footerReference"), qn("w:type"))]
    if anchor:
        anchor[-1].addnext(size)
    else:
        sect.insert(0, size)
    size.addnext(mar)


def _oriented(portrait: etree._Element, landscape: bool) -> etree._Element:
    """Copy the portrait section properties, turned to landscape when asked (margins rotate)."""
    sect = copy.deepcopy(portrait)
    if landscape:
        size, mar = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
        w, h = size.get(qn("w:w")), size.get(qn("w:h"))
        size.set(qn("w:w"), h)
        size.set(qn("w:h"), w)
        size.set(qn("w:orient"), "landscape")
        sides = [mar.get(qn(f"w:{k}")) for k in ("top", "right", "bottom", "left")]
        for k, v in zip(("right", "bottom", "left", "top"), sides):
            mar.set(qn(f"w:{k}"), v)
    return sect


def _unnumbered(sect: etree._Element, word: WordDocument) -> etree._Element:
    """``sect`` with its footers pointing to an empty footer part: no page number on the front pages."""
    _, r_id = word.part.add_footer_part()
    for ref in sect.findall(qn("w:footerReference")):
        ref.set(qn("r:id"), r_id)
    if sect.find(qn("w:footerReference")) is None:
        sect.insert(0, parse_xml(f'<w:footerReference {nsdecls("w", "r")} w:type="default" r:id="{r_id}"/>'))
    return sect


def _restart_numbering(sect: etree._Element) -> None:
    """Number the pages of ``sect`` from 1 (pgNumType follows pgMar and its optional siblings)."""
    old = sect.find(qn("w:pgNumType"))
    if old is not None:
        sect.remove(old)
    anchor = [c for c in sect if c.tag in (qn("w:pgMar"), qn("w:paperSrc"), qn("w:pgBorders"), qn("w:lnNumType"))]
    number = parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>')
    if anchor:
        anchor[-1].addnext(number)
    else:
        sect.append(number)


def _text_width(sect: etree._Element) -> int:
    size, mar = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    return int(size.get(qn("w:w"))) - int(mar.get(qn("w:left"))) - int(mar.get(qn("w:right")))


def _header_footer(word: WordDocument, styles: dict[str, StyleRef], draft: bool) -> None:
    """Page number "— N —" in the footer; a red 草稿 in the header of a draft."""
    section = word.sections[-1]
    foot = styles["Footer"]
    field = (
        x.run("— ", foot.font)
        + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + x.run("1", foot.font)
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        + x.run(" —", foot.font)
    )
    _replace_paragraphs(section.footer, x.paragraph(foot.id, field))
    if draft:
        head = styles["Header"]
        _replace_paragraphs(section.header, x.paragraph(head.id, x.run("草稿", head.font, 28, True, "FF0000")))


def _replace_paragraphs(part: _Header | _Footer, xml: str) -> None:
    part.is_linked_to_previous = False
    container = part._element  # the w:hdr / w:ftr element
    for child in list(container):
        container.remove(child)
    container.append(parse_xml(f"<w:body {_NS}>{xml}</w:body>")[0])


def _fix_metadata(word: WordDocument, doc: Document) -> None:
    """Pin the core properties (python-docx would stamp the save time) and drop the thumbnail."""
    props = word.core_properties
    # python-docx refuses core properties over 255 characters (a district title template may be long).
    props.title = (("【草稿】" if doc.draft else "") + doc.title)[:255]
    props.subject = doc.unit[:255]
    props.author = props.last_modified_by = "yujuesuan"
    props.comments = props.keywords = props.category = ""
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    rels = word.part.package.rels
    for r_id in [k for k, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        rels.pop(r_id)


def _normalize_zip(data: bytes) -> bytes:
    """Fixed entry times and a stable order (byte-identical output), every part scrubbed."""
    return normalize_zip(data, scrub_part)
