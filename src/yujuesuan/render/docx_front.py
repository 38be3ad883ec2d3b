"""The DOCX front matter: a cover page and a 目录 that is a real Word TOC field.

The TOC field (``TOC \\o "1-2" \\h \\z \\u``) is written with its entries
already filled in (text, dotted leader, PAGEREF to each heading's bookmark), so
that an application which does not update fields still shows the list; with
``w:updateFields`` in settings.xml Word refreshes it, page numbers included,
when the document is opened. The page numbers written here are the ones the
caller knows (none for a DOCX alone): Word and WPS fill them in on update.
"""

from __future__ import annotations

from docx.document import Document as WordDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from yujuesuan.compose.document import Cover, Toc

from . import docx_xml as x
from .docx_styles import StyleRef

# CT_Settings is a sequence: updateFields must come before these siblings.
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
    "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
    "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator",
)  # fmt: skip


def bookmarked(anchor: str, runs: str, n: int) -> str:
    """``runs`` inside a bookmark named ``anchor`` (the target of a TOC entry and its PAGEREF)."""
    if not anchor:
        return runs
    return f'<w:bookmarkStart w:id="{n}" w:name="{x.escape(anchor)}"/>{runs}<w:bookmarkEnd w:id="{n}"/>'


def cover_xml(cover: Cover, styles: dict[str, StyleRef]) -> str:
    """The cover's paragraphs; a page break follows it."""
    title, line = styles["Cover Title"], styles["Cover Line"]
    out = [x.paragraph(title.id, x.run(cover.title, title.font))]
    for i, text in enumerate(cover.lines):
        # The first line below the title sits low on the page, like a printed cover's unit and date.
        ppr = '<w:spacing w:before="4800"/>' if i == 0 else ""
        out.append(x.paragraph(line.id, x.run(text, line.font), ppr))
    return "".join(out) + x.page_break()


def toc_xml(toc: Toc, styles: dict[str, StyleRef], width: int) -> str:
    """The 目录 title and the TOC field with one prefilled paragraph per entry."""
    head = styles["TOC Heading"]
    out = [x.paragraph(head.id, x.run(toc.title, head.font))]
    begin = (
        '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> TOC \\o "1-{toc.levels}" \\h \\z \\u </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    tabs = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{width}"/></w:tabs>'
    entries = toc.entries or ()
    if not entries:
        return out[0] + x.paragraph(styles["toc 1"].id, begin + end)
    for i, entry in enumerate(entries):
        style = styles[f"toc {min(max(entry.level, 1), 3)}"]
        anchor = x.escape(entry.anchor)
        page = (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> PAGEREF {anchor} \\h </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )
        text = x.run(entry.text + "\t", style.font)
        link = f'<w:hyperlink w:anchor="{anchor}" w:history="1">{text}{page}</w:hyperlink>'
        runs = (begin if i == 0 else "") + link + (end if i == len(entries) - 1 else "")
        out.append(x.paragraph(style.id, runs, tabs))
    return "".join(out)


def request_field_update(word: WordDocument) -> None:
    """Set w:updateFields in settings.xml: Word refreshes the TOC (and its page numbers) on open."""
    settings = word.settings.element
    old = settings.find(qn("w:updateFields"))
    if old is not None:
        settings.remove(old)
    flag = parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>')
    later = [c for c in settings if c.tag.rsplit("}", 1)[-1] in _AFTER_UPDATE_FIELDS]
    if later:
        later[0].addprevious(flag)
    else:
        settings.append(flag)
