"""The PDF laid out in a second process while the first does the rest of a single build.

WeasyPrint's layout is most of a build (about 2.4 of 4.2 CPU seconds for the
sample) and uses one core. A single ``yujuesuan build`` on a machine with a
second core starts this helper before it reads the data: the helper imports
WeasyPrint while the build checks and composes, then lays out the PDF while the
build renders the DOCX (and the workbook). The helper runs the same
``render_pdf`` on the same HTML and folders, so the bytes are the same as in
one process (tests/test_pdf_process.py compares them).

Nothing is lost when the helper is not there: if it cannot start, dies, or
``render_pdf`` raises in it, the PDF is made again in this process, so an error
(a refused URL in a district template) is raised here with its own message.
How it starts, stops and ends: helper.py.
"""

from __future__ import annotations

from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Protocol

from yujuesuan.render.helper import Helper, finish, serving

__all__ = ["PdfJob", "PdfProcess", "PdfStarter", "in_this_process"]

PdfJob = Callable[[], bytes]


class PdfStarter(Protocol):
    """Starts the PDF of ``html`` (files only from ``folders``); calling what it returns gives the bytes."""

    def __call__(self, html: str, folders: list[Path]) -> PdfJob: ...


def in_this_process(html: str, folders: list[Path]) -> PdfJob:
    """The PDF made now, here (the default everywhere but a single build with a spare core)."""
    from yujuesuan.render.pdf import render_pdf

    pdf = render_pdf(html, folders)
    return lambda: pdf


class PdfProcess(Helper):
    """A helper process that makes one PDF; call it like ``in_this_process``, then ``close()``."""

    def __init__(self) -> None:
        super().__init__(_serve, "yujuesuan-pdf")

    def __call__(self, html: str, folders: list[Path]) -> PdfJob:
        conn = self.conn
        if conn is None:
            return in_this_process(html, folders)
        try:
            conn.send((html, [str(folder) for folder in folders]))
        except (OSError, ValueError):  # the helper is gone
            self.close()
            return in_this_process(html, folders)

        def result() -> bytes:
            try:
                status, value = conn.recv()
            except (EOFError, OSError):
                status, value = "lost", None
            except BaseException:  # Ctrl-C while waiting: stop the helper now, not after its layout
                self.close()
                raise
            self.close(answered=True)
            if status == "ok" and isinstance(value, bytes):
                return value
            return in_this_process(html, folders)()  # again here: its error, if any, with its own message

        return result


def _serve(conn: Connection) -> None:
    """In the helper: import WeasyPrint now, then make the one PDF asked for, or exit when the pipe closes."""
    serving()  # stopped, it unwinds: render_pdf removes its font folder
    from yujuesuan.render.fonts import find_font
    from yujuesuan.render.pdf import _safe_url_fetcher, render_pdf

    _safe_url_fetcher()  # imports WeasyPrint (without the library probe) and makes the fetcher class
    for role in ("serif", "sans"):
        find_font(role)
    try:
        html, folders = conn.recv()
    except (EOFError, OSError):
        return
    try:
        reply: tuple[str, bytes | None] = ("ok", render_pdf(html, [Path(folder) for folder in folders]))
    except SystemExit:
        return
    except BaseException:  # the build makes it again in its own process and reports it there
        reply = ("failed", None)
    try:
        conn.send(reply)
    except (OSError, ValueError):
        pass
    finish()
