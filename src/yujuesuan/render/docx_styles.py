"""Give a python-docx document the official styles: 黑体 headings, 仿宋 body, 宋体 tables.

A district's reference.docx keeps its own styles: only the styles it lacks are
added. Without one, python-docx's default template is restyled in full, because
its theme fonts (Calibri/Cambria, blue headings) would otherwise win. Every
style states w:eastAsia explicitly: without it Word draws Chinese text in the
theme's East-Asian font whatever w:ascii says.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.styles.style import BaseStyle
from lxml import etree

HEI, FANGSONG, SONG = "黑体", "仿宋_GB2312", "宋体"
# Word falls back to altName when a font is missing: Windows 10+ ships 仿宋, not 仿宋_GB2312.
ALT_NAMES = {HEI: "SimHei", FANGSONG: "仿宋", SONG: "SimSun"}


@dataclass(frozen=True)
class Spec:
    """A paragraph style as we define it when the template lacks it."""

    name: str
    font: str
    size_pt: float
    bold: bool = False
    jc: str = "both"
    indent_chars: int = 0  # first-line indent in characters (2 = 两个字)
    left_chars: int = 0  # left indent of every line, in characters (目录 levels)
    line_pt: float = 0  # exact line spacing; 0 = single
    before_pt: float = 0
    after_pt: float = 0
    keep_next: bool = False
    outline: int | None = None  # 0-based outline level: the navigation pane and the TOC
    based_on: str = "Normal"


SPECS: tuple[Spec, ...] = (
    Spec("Normal", FANGSONG, 16, line_pt=28, based_on=""),
    Spec("Heading 1", HEI, 18, jc="center", before_pt=12, after_pt=12, keep_next=True, outline=0),
    Spec("Heading 2", HEI, 16, jc="left", indent_chars=2, keep_next=True, outline=1),
    Spec("Heading 3", HEI, 16, jc="left", indent_chars=2, keep_next=True, outline=2),
    Spec("Body Text", FANGSONG, 16, indent_chars=2, line_pt=28),
    Spec("Plain", FANGSONG, 16, line_pt=28),
    Spec("Center", FANGSONG, 16, jc="center", line_pt=28),
    Spec("Right", FANGSONG, 16, jc="right", line_pt=28),
    Spec("Caption", FANGSONG, 14, jc="center", before_pt=3, after_pt=9),
    Spec("Figure", FANGSONG, 12, jc="center", before_pt=6, keep_next=True),
    Spec("Table Title", SONG, 16, bold=True, jc="center", before_pt=6, after_pt=3, keep_next=True),
    Spec("Table Number", SONG, 10.5, jc="right", keep_next=True),
    Spec("Table Unit", SONG, 10.5, jc="left", after_pt=2, keep_next=True),
    Spec("Table Text", SONG, 9, jc="left"),
    Spec("Table Note", SONG, 10, jc="left", before_pt=2),
    Spec("Table Empty", SONG, 12, jc="left", before_pt=4),
    Spec("Header", SONG, 10.5, jc="center"),
    Spec("Footer", SONG, 14, jc="center"),
    Spec("Cover Title", HEI, 26, jc="center", before_pt=140, line_pt=48),
    Spec("Cover Line", FANGSONG, 16, jc="center", line_pt=30),
    Spec("TOC Heading", HEI, 22, jc="center", after_pt=12),
    # Word's own names for the 目录 levels (lower case): Word applies them when it rebuilds the TOC.
    Spec("toc 1", HEI, 14, jc="left", line_pt=24, before_pt=6),
    Spec("toc 2", FANGSONG, 14, jc="left", line_pt=24, left_chars=2),
    Spec("toc 3", FANGSONG, 14, jc="left", line_pt=24, left_chars=4),
)
BUILTIN_NAMES = frozenset({"toc 1", "toc 2", "toc 3", "TOC Heading"})  # Word's styles: never marked custom

# Document.Paragraph.style → Word style name.
PARAGRAPH_STYLES = {
    "body": "Body Text",
    "note": "Table Note",
    "caption": "Caption",
    "title": "Table Title",
    "center": "Center",
    "right": "Right",
    "plain": "Plain",
}


@dataclass(frozen=True)
class StyleRef:
    id: str  # w:styleId, as paragraphs refer to it
    font: str  # the East-Asian font runs repeat, so WPS and LibreOffice agree with Word


def rfonts_xml(font: str) -> str:
    return f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}" w:hint="eastAsia"/>'


def setup_styles(word: WordDocument, restyle: bool) -> dict[str, StyleRef]:
    """Define the styles; with ``restyle`` also overwrite those the template has. Return refs by name."""
    styles = word.styles
    if restyle:
        _set_doc_defaults(word)
    refs: dict[str, StyleRef] = {}
    paragraph_styles = _paragraph_styles(word)
    for spec in SPECS:
        existing = paragraph_styles.get(spec.name)
        if existing is None:
            existing = styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
            if spec.name not in BUILTIN_NAMES:
                existing.element.set(qn("w:customStyle"), "1")
            _define(existing.element, spec)
            paragraph_styles[spec.name] = existing
        elif restyle:
            _define(existing.element, spec)
        refs[spec.name] = StyleRef(existing.style_id, _font_of(word, existing.element) or spec.font)
    _add_font_table_entries(word)
    return refs


def _paragraph_styles(word: WordDocument) -> dict[str | None, BaseStyle]:
    """Paragraph styles by name, the first of each name (one pass: a template holds ~160 styles)."""
    found: dict[str | None, BaseStyle] = {}
    for style in word.styles:
        if style.type == WD_STYLE_TYPE.PARAGRAPH:
            found.setdefault(style.name, style)
    return found


def _define(element: etree._Element, spec: Spec) -> None:
    """Replace the style's paragraph and run properties with ``spec``."""
    for tag in ("w:pPr", "w:rPr", "w:basedOn", "w:next"):
        for child in element.findall(qn(tag)):
            element.remove(child)
    if spec.based_on:
        element.find(qn("w:name")).addnext(parse_xml(f'<w:basedOn {nsdecls("w")} w:val="Normal"/>'))
    half = round(spec.size_pt * 2)
    ppr = ["<w:keepNext/>" if spec.keep_next else ""]
    line = (
        f'w:line="{round(spec.line_pt * 20)}" w:lineRule="exact"'
        if spec.line_pt
        else ('w:line="240" w:lineRule="auto"')
    )
    ppr.append(f'<w:spacing w:before="{round(spec.before_pt * 20)}" w:after="{round(spec.after_pt * 20)}" {line}/>')
    if spec.left_chars:
        twips = round(spec.left_chars * spec.size_pt * 20)
        left = f'w:leftChars="{spec.left_chars * 100}" w:left="{twips}"'
        ppr.append(f'<w:ind {left} w:firstLineChars="0" w:firstLine="0"/>')
    elif spec.indent_chars:
        # firstLineChars is what Word and WPS honour; firstLine (twips) is for LibreOffice.
        twips = round(spec.indent_chars * spec.size_pt * 20)
        ppr.append(f'<w:ind w:firstLineChars="{spec.indent_chars * 100}" w:firstLine="{twips}"/>')
    else:
        ppr.append('<w:ind w:firstLineChars="0" w:firstLine="0"/>')
    ppr.append(f'<w:jc w:val="{spec.jc}"/>')
    if spec.outline is not None:
        ppr.append(f'<w:outlineLvl w:val="{spec.outline}"/>')
    rpr = [rfonts_xml(spec.font), "<w:b/><w:bCs/>" if spec.bold else '<w:b w:val="0"/>']
    rpr.append(f'<w:color w:val="000000"/><w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    element.append(parse_xml(f"<w:pPr {nsdecls('w')}>{''.join(ppr)}</w:pPr>"))
    element.append(parse_xml(f"<w:rPr {nsdecls('w')}>{''.join(rpr)}</w:rPr>"))


def _font_of(word: WordDocument, element: etree._Element) -> str | None:
    """Return the East-Asian font a style resolves to, following basedOn."""
    seen: set[str] = set()
    while element is not None:
        fonts = element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        east_asia: str | None = fonts.get(qn("w:eastAsia")) if fonts is not None else None
        if east_asia:
            return east_asia
        based = element.find(qn("w:basedOn"))
        if based is None or based.get(qn("w:val")) in seen:
            return None
        seen.add(based.get(qn("w:val")))
        element = word.styles.element.get_by_id(based.get(qn("w:val")))
    return None


def _set_doc_defaults(word: WordDocument) -> None:
    """Drop the template's theme fonts from docDefaults: w:*Theme beats an explicit w:eastAsia."""
    defaults = word.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is not None:
        rpr.getparent().replace(
            rpr,
            parse_xml(
                f'<w:rPr {nsdecls("w")}>{rfonts_xml(FANGSONG)}<w:sz w:val="32"/>'
                '<w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>'
            ),
        )
    ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
    if ppr is not None:
        ppr.getparent().replace(
            ppr,
            parse_xml(f'<w:pPr {nsdecls("w")}><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'),
        )


def _add_font_table_entries(word: WordDocument) -> None:
    """List our fonts in word/fontTable.xml with GB2312 charset and an altName fallback."""
    part = next((p for p in word.part.package.iter_parts() if p.partname == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    have = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt in ALT_NAMES.items():
        if name not in have:
            root.append(
                parse_xml(
                    f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                    '<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
                )
            )
    # A generic python-docx Part keeps its bytes in _blob; there is no public setter.
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
