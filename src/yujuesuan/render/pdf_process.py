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
The helper ignores Ctrl-C (the build stops it, and it exits when its pipe
closes) and is a daemon, so it never outlives the build. Spawned, not forked:
the build may run in a process with threads (a test runner, a server).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

__all__ = ["PdfJob", "PdfProcess", "PdfStarter", "in_this_process", "spare_core"]

PdfJob = Callable[[], bytes]


class PdfStarter(Protocol):
    """Starts the PDF of ``html`` (files only from ``folders``); calling what it returns gives the bytes."""

    def __call__(self, html: str, folders: list[Path]) -> PdfJob: ...


def in_this_process(html: str, folders: list[Path]) -> PdfJob:
    """The PDF made now, here (the default everywhere but a single build with a spare core)."""
    from yujuesuan.render.pdf import render_pdf

    pdf = render_pdf(html, folders)
    return lambda: pdf


def spare_core() -> bool:
    """Whether this process may use more than one core (sched affinity where the OS has it)."""
    try:
        return len(os.sched_getaffinity(0)) > 1
    except AttributeError:  # not Linux
        return (os.cpu_count() or 1) > 1


class PdfProcess:
    """A helper process that makes one PDF; call it like ``in_this_process``, then ``close()``."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn: Connection | None = None
        self._proc: Any = None
        try:
            parent, child = context.Pipe()
            proc = context.Process(target=_serve, args=(child,), name="yujuesuan-pdf", daemon=True)
            proc.start()
            child.close()
        except (OSError, RuntimeError, AssertionError):  # no processes here (a sandbox, a daemonic caller)
            return
        self._conn, self._proc = parent, proc

    def __call__(self, html: str, folders: list[Path]) -> PdfJob:
        conn = self._conn
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

    def close(self, answered: bool = False) -> None:
        """Stop the helper; safe to call twice.

        After its answer it exits by itself; otherwise (the build stopped: errors, Ctrl-C)
        it is stopped now rather than left to finish an import or a layout nobody wants.
        """
        conn, proc, self._conn, self._proc = self._conn, self._proc, None, None
        if conn is not None:
            conn.close()
        if proc is not None:
            if answered:
                proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()  # SIGTERM: _serve exits through its finally blocks (no font folder left)
                proc.join(timeout=5)

    def __enter__(self) -> PdfProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(1)


def _serve(conn: Connection) -> None:
    """In the helper: import WeasyPrint now, then make the one PDF asked for, or exit when the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build handles Ctrl-C and stops this process
    signal.signal(signal.SIGTERM, _exit)  # stopped: unwind, so render_pdf removes its font folder
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
    # Done: skip the interpreter's teardown (a tenth of a second with WeasyPrint loaded, which the build
    # would wait for). Nothing is left to write: the PDF went through the pipe, the font folder is gone.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
