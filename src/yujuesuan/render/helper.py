"""What a single build's helper processes share (pdf_process.py, chart_process.py): start, stop, end.

Spawned, not forked: the build may run in a process with threads (a test
runner, a server). A helper leaves Ctrl-C to the build, unwinds on SIGTERM
(so its finally blocks run: no WeasyPrint font folder left behind), is a
daemon (it never outlives the build) and ends without tearing its interpreter
down once it has answered.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, NoReturn, TypeVar

__all__ = ["Helper", "finish", "serving", "spare_core"]

H = TypeVar("H", bound="Helper")


def spare_core() -> bool:
    """Whether this process may use more than one core (sched affinity where the OS has it)."""
    try:
        return len(os.sched_getaffinity(0)) > 1
    except AttributeError:  # not Linux
        return (os.cpu_count() or 1) > 1


class Helper:
    """A spawned helper process running ``target(pipe end)``; without one (it could not start), ``conn`` is None."""

    def __init__(self, target: Callable[[Connection], None], name: str) -> None:
        self.conn: Connection | None = None
        self._proc: Any = None
        context = multiprocessing.get_context("spawn")
        try:
            parent, child = context.Pipe()
            proc = context.Process(target=target, args=(child,), name=name, daemon=True)
            proc.start()
            child.close()
        except (OSError, RuntimeError, AssertionError):  # no processes here (a sandbox, a daemonic caller)
            return
        self.conn, self._proc = parent, proc

    def close(self, answered: bool = False) -> None:
        """Stop the helper; safe to call twice.

        After its answer it exits by itself; otherwise (the build stopped: errors, Ctrl-C)
        it is stopped now rather than left to finish an import or work nobody wants.
        """
        conn, proc, self.conn, self._proc = self.conn, self._proc, None, None
        if conn is not None:
            conn.close()
        if proc is not None:
            if answered:
                proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()  # SIGTERM: the helper unwinds through its finally blocks (serving)
                proc.join(timeout=5)

    def __enter__(self: H) -> H:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _unwind(signum: int, frame: object) -> None:
    raise SystemExit(1)


def serving() -> None:
    """First thing in a helper: Ctrl-C is the build's to handle; SIGTERM unwinds."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _unwind)


def finish() -> NoReturn:
    """Last thing in a helper: everything went through the pipe, so skip the interpreter's teardown
    (a tenth of a second with WeasyPrint or matplotlib loaded, which the build would wait for)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
