"""Turn a Document into files: DOCX to edit, HTML and then PDF to publish (+ charts and fonts they embed).

Every renderer is imported on first use: WeasyPrint takes most of a second to
import, python-docx and matplotlib a good part of one, and `yujuesuan check`
(which reads fonts.py to warn about undrawable characters) should pay for none.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .docx import render_docx
    from .html import render_html
    from .pdf import render_pdf

__all__ = ["render_docx", "render_html", "render_pdf"]
_WHERE = {"render_docx": ".docx", "render_html": ".html", "render_pdf": ".pdf"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
