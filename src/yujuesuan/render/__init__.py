"""Turn a Document into files: DOCX to edit, HTML and then PDF to publish."""

from __future__ import annotations

from .docx import render_docx
from .html import render_html
from .pdf import render_pdf

__all__ = ["render_docx", "render_html", "render_pdf"]
