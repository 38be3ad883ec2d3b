"""The charts drawn in a second process while the first checks and composes a single build.

matplotlib's import (about 0.35 s) and the four charts (about 0.3 s) are a third
of what a single build does before WeasyPrint can start on the PDF. A single
``yujuesuan build`` with a core to spare starts this helper with the PDF helper
(pdf_process.py): it imports matplotlib while the build reads and checks the
data, and draws each chart as composing asks for it. Composing goes on with a
stand-in for the PNG (``PENDING`` and its number); ``resolve`` puts the drawn
bytes in their place before anything is rendered. The helper runs the same
charts.py functions on the same arguments, so the PNGs are the same bytes
(tests/test_chart_process.py).

Every chart goes through ``draw``: without an active helper it is drawn here,
as before. A helper that fails or dies costs only time: what it did not
answer is drawn here by ``resolve``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import replace
from decimal import Decimal
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, Literal

from yujuesuan.render.helper import Helper, finish, serving

if TYPE_CHECKING:
    from yujuesuan.compose.document import Document

__all__ = ["PENDING", "ChartProcess", "draw", "drawn_by", "pie_drawable"]

ChartName = Literal["bar_chart", "pie_chart"]
PENDING = b"\x89PNG\r\n\x1a\nyujuesuan-chart-pending:"  # a stand-in that no renderer may ever see (resolve)
_ACTIVE: ContextVar[ChartProcess | None] = ContextVar("yujuesuan_chart_process", default=None)


def draw(name: ChartName, *args: Any) -> bytes | None:
    """A chart's PNG (charts.bar_chart or pie_chart on ``args``): drawn here, or a stand-in while the helper draws it.

    None as charts.pie_chart gives it (nothing a pie can show), decided here without matplotlib.
    """
    if name == "pie_chart" and not pie_drawable(args[2]):
        return None
    helper = _ACTIVE.get()
    if helper is not None:
        return helper.request(name, args)
    from yujuesuan.render import charts  # matplotlib loads only when a chart is drawn, never for `check`

    png: bytes | None = getattr(charts, name)(*args)
    return png


def pie_drawable(values: Sequence[Decimal]) -> bool:
    """Whether a pie can show ``values``: all finite and none negative, one above zero (charts.pie_chart asks too)."""
    return all(v.is_finite() and v >= 0 for v in values) and any(v > 0 for v in values)


@contextlib.contextmanager
def drawn_by(helper: ChartProcess | None) -> Iterator[None]:
    """Within the block, charts are asked of ``helper`` (None: drawn here)."""
    token = _ACTIVE.set(helper)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


class ChartProcess(Helper):
    """A helper process that draws the charts of one document; ``resolve`` it, or ``close`` it."""

    def __init__(self) -> None:
        super().__init__(_serve, "yujuesuan-charts")
        self._asked: list[tuple[ChartName, tuple[Any, ...]]] = []

    def request(self, name: ChartName, args: tuple[Any, ...]) -> bytes:
        """Ask for a chart; its stand-in, numbered, until ``resolve``."""
        number = len(self._asked)
        self._asked.append((name, args))
        if self.conn is not None:
            try:
                self.conn.send((number, name, args))
            except (OSError, ValueError):  # the helper is gone: resolve draws it here
                self.close()
        return PENDING + str(number).encode("ascii")

    def resolve(self, document: Document) -> Document:
        """``document`` with every stand-in replaced by its drawn PNG; the helper is stopped."""
        from yujuesuan.compose.document import Figure

        drawn = self._collect()
        blocks = [
            replace(block, png=drawn[int(block.png[len(PENDING) :])])
            if isinstance(block, Figure) and block.png.startswith(PENDING)
            else block
            for block in document.blocks
        ]
        return replace(document, blocks=blocks)

    def _collect(self) -> list[bytes]:
        answers: dict[int, bytes] = {}
        conn = self.conn
        try:
            while conn is not None and len(answers) < len(self._asked):
                number, png = conn.recv()
                if not isinstance(png, bytes):
                    break  # it failed: the rest are drawn here, with their errors if any
                answers[number] = png
        except (EOFError, OSError):
            pass
        except BaseException:  # Ctrl-C while waiting: stop the helper now
            self.close()
            raise
        self.close(answered=len(answers) == len(self._asked))
        return [answers.get(i) or _draw_here(name, args) for i, (name, args) in enumerate(self._asked)]


def _draw_here(name: ChartName, args: tuple[Any, ...]) -> bytes:
    """What the helper did not answer, drawn in this process (its error, if any, raised here)."""
    from yujuesuan.render import charts  # matplotlib: only now, and only when the helper failed

    png: bytes = getattr(charts, name)(*args)
    return png


def _serve(conn: Connection) -> None:
    """In the helper: import matplotlib now, then draw each chart asked for until the pipe closes."""
    serving()
    from yujuesuan.render import charts

    while True:
        try:
            number, name, args = conn.recv()
        except (EOFError, OSError):
            break
        try:
            png: bytes | None = getattr(charts, name)(*args)
        except SystemExit:
            break
        except BaseException:  # drawn again in the build's own process, which reports the error
            png = None
        try:
            conn.send((number, png))
        except (OSError, ValueError):
            break
    finish()
