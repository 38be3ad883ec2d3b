"""Turn a Document into HTML through the profile's document.html.j2 (WeasyPrint's input).

The template does the layout and nothing else: every value it needs is
prepared here (block kinds, column widths in %, figures as data: URIs), so
that a district template runs in the sandbox without helper filters.
"""

from __future__ import annotations

import base64
from typing import Any

import jinja2

from yujuesuan.compose.document import Cover, Document, Figure, Heading, PageBreak, Paragraph, Table, Toc

from .text import check_text

TEMPLATE = "document.html.j2"


def render_html(doc: Document, env: jinja2.Environment) -> str:
    """Render ``doc`` with the environment's document.html.j2; text is always autoescaped."""
    check_text(doc)
    # select_autoescape() does not escape "*.html.j2": refuse any setting that
    # would let a unit name inject markup into the PDF.
    autoescape = env.autoescape(TEMPLATE) if callable(env.autoescape) else env.autoescape
    if not autoescape:
        raise ValueError("render_html needs an environment with autoescape=True")
    template = env.get_template(TEMPLATE)
    title = ("【草稿】" if doc.draft else "") + doc.title
    return template.render(doc=doc, title=title, blocks=_views(doc))


def _views(doc: Document) -> list[dict[str, Any]]:
    """One plain dict per block, with ``kind`` and ``newpage`` (a PageBreak came before it)."""
    views: list[dict[str, Any]] = []
    newpage = False
    for block in doc.blocks:
        if isinstance(block, PageBreak):
            newpage = bool(views)
            continue
        view = _view(block)
        view["newpage"] = newpage or (isinstance(block, Table) and block.page_break_before and bool(views))
        newpage = False
        views.append(view)
    return views


def _view(block: object) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"kind": "heading", "level": min(max(block.level, 1), 3), "text": block.text, "anchor": block.anchor}
    if isinstance(block, Cover):
        return {"kind": "cover", "title": block.title, "lines": list(block.lines)}
    if isinstance(block, Toc):
        entries = [{"level": e.level, "text": e.text, "anchor": e.anchor} for e in block.entries]
        return {"kind": "toc", "title": block.title, "entries": entries}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "style": block.style, "text": block.text}
    if isinstance(block, Figure):
        src = "data:image/png;base64," + base64.b64encode(block.png).decode("ascii")
        return {
            "kind": "figure",
            "id": block.id,
            "caption": block.caption,
            "src": src,
            "width_cm": f"{block.width_cm:g}",
        }
    if isinstance(block, Table):
        widths = block.widths or (1.0,) * block.columns
        total = sum(widths) or 1.0
        return {
            "kind": "table",
            "table": block,
            "cols": [f"{w / total * 100:.3f}" for w in widths],
            "font_size": f"{block.font_size_pt:g}",
        }
    raise TypeError(f"unknown block {type(block).__name__}")
