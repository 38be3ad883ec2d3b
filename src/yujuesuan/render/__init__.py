"""Turn a Document into files: DOCX to edit, HTML and then PDF to publish.

render_pdf is imported on first use: WeasyPrint takes most of a second to
import, which a DOCX-only build or `yujuesuan check` should not pay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .docx import render_docx
from .html import render_html

if TYPE_CHECKING:
    from .pdf import render_pdf

__all__ = ["render_docx", "render_html", "render_pdf"]


def __getattr__(name: str) -> Any:
    if name == "render_pdf":
        from .pdf import render_pdf

        return render_pdf
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
