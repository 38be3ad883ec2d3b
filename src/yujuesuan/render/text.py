"""Walk every piece of text in a Document, and refuse characters no renderer may emit.

compose should already have refused these (BAD_INPUTS: control characters,
lone surrogates, bidi controls); the renderers check again because an XML
writer given one of them produces a DOCX that Word will not open.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from yujuesuan.compose.document import Cover, Document, Figure, Heading, Paragraph, Table, Toc

# C0 controls except tab/newline/CR, DEL and C1, lone surrogates, the two
# non-characters XML forbids, and the bidi controls that reorder text invisibly.
ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def iter_texts(doc: Document) -> Iterator[tuple[str, str]]:
    """Yield (where, text) for every string a renderer prints, ``where`` naming the block."""
    yield "文档标题", doc.title
    yield "单位名称", doc.unit
    for n, block in enumerate(doc.blocks, 1):
        if isinstance(block, Heading):
            yield f"第 {n} 块（标题）", block.text
        elif isinstance(block, Cover):
            for text in (block.title, *block.lines):
                yield "封面", text
        elif isinstance(block, Toc):
            for text in (block.title, *(e.text for e in block.entries)):
                yield "目录", text
        elif isinstance(block, Paragraph):
            yield f"第 {n} 块（段落）", block.text
        elif isinstance(block, Figure):
            yield f"第 {n} 块（图 {block.id}）", block.caption
        elif isinstance(block, Table):
            where = f"第 {n} 块（表 {block.id}）"
            for text in (block.title, block.number, block.unit_left, block.unit_right):
                yield where, text
            for r, row in enumerate((*block.header, *block.body), 1):
                for cell in row:
                    yield f"{where} 第 {r} 行", cell.text
            for text in (*block.notes, block.empty_sentence):
                yield f"{where} 表注", text


def check_text(doc: Document) -> None:
    """Raise ValueError naming the block when any text holds a character illegal in XML."""
    for where, text in iter_texts(doc):
        found = ILLEGAL.search(text)
        if found:
            code = f"U+{ord(found.group()):04X}"
            raise ValueError(f"{where}含有不可用的字符 {code}（控制字符或双向控制符），请删除后重试：{text!r}")
