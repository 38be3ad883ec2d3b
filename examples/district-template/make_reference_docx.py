"""Write reference.docx: the Word styles of this district, made with python-docx.

yujuesuan opens a district's reference.docx as the starting document and keeps
its styles; it only adds the styles the file lacks, and refers to styles by
name ("Heading 1", "Body Text", …). Here: the official fonts (黑体 headings,
仿宋 body), A4 pages, and headings in dark red, 第一级 at 20 pt.

Run from this folder:  python make_reference_docx.py
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from yujuesuan.render.docx_styles import setup_styles

HEADING_COLOR = RGBColor(0x8B, 0x00, 0x00)
HEADING_SIZES = {"Heading 1": Pt(20), "Heading 2": Pt(16), "Heading 3": Pt(16)}
FIXED = dt.datetime(2000, 1, 1)


def make() -> bytes:
    word = docx.Document()
    setup_styles(word, restyle=True)  # the official look first, then this district's changes
    for name, size in HEADING_SIZES.items():
        font = word.styles[name].font
        font.color.rgb = HEADING_COLOR
        font.size = size
        size_cs = word.styles[name].element.rPr.find(qn("w:szCs"))  # complex-script size, kept equal
        if size_cs is not None:
            size_cs.set(qn("w:val"), str(round(size.pt * 2)))
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.8)
    props = word.core_properties
    props.author = props.last_modified_by = "青山区财政局"
    props.created = props.modified = props.last_printed = FIXED
    props.revision = 1
    raw = io.BytesIO()
    word.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same bytes on every run: fixed entry times, names in order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            dst.writestr(zipfile.ZipInfo(name, (2000, 1, 1, 0, 0, 0)), src.read(name), zipfile.ZIP_DEFLATED)
    return out.getvalue()


if __name__ == "__main__":
    target = Path(__file__).resolve().parent / "reference.docx"
    target.write_bytes(make())
    print(f"已写入 {target}")
