"""Limits for rendering district templates: how long a render may run and how much it may build.

Templates are district data, so a loop that never ends or a string that
doubles forty times must stop the build with a message, not hang it or eat
the machine's memory. One render (a template with everything it includes)
runs inside :func:`bounded`, which sets a deadline and, where the platform
allows it, two process-level backstops for work that never returns to the
sandbox's hooks:

- POSIX, main thread: a SIGALRM interval timer raises :class:`RenderLimit`
  in the middle of a tight ``{% for %}`` loop;
- Linux, main thread: RLIMIT_AS is lowered to the current address space plus
  :data:`MEMORY_BUDGET`, so an allocation past it fails with MemoryError.

The sandbox (sandbox.py) calls :func:`check` from its attribute, call and
operator hooks, and :func:`check_size` on every value they return.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from jinja2.exceptions import TemplateRuntimeError

MAX_SECONDS = 10.0  # per render of one template, with what it includes
MAX_SECTION_CHARS = 2_000_000  # output of one narrative section, and any value it builds
MAX_HTML_CHARS = 64_000_000  # document.html.j2 carries the charts as data: URIs
MAX_INT_BITS = 100_000  # about 30 000 digits: no template needs more
MEMORY_BUDGET = 512 << 20  # address space a render may add (Linux)
_TICK = 0.25  # the timer repeats, so a swallowed RenderLimit is raised again


class RenderLimit(TemplateRuntimeError):
    """A template ran too long or built too much; ``what`` says which, in Chinese."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class _State(threading.local):
    deadline: float | None = None
    seconds: float = MAX_SECONDS


_state = _State()


def check() -> None:
    """Raise RenderLimit when the current render is past its deadline."""
    deadline = _state.deadline
    if deadline is not None and time.monotonic() > deadline:
        raise RenderLimit(f"运行超过 {_state.seconds:g} 秒，已停止（是否有死循环或过多的嵌套循环？）")


def check_size(value: Any, limit: int) -> Any:
    """Return ``value``, or raise RenderLimit when it is a string or sequence over ``limit`` items."""
    if isinstance(value, (str, bytes, list, tuple)) and len(value) > limit:
        raise RenderLimit(f"生成的文字或列表过长（超过 {limit:,} 个字符或元素），已停止")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise RenderLimit("生成的整数过大，已停止")
    return value


@contextmanager
def bounded(seconds: float | None = None) -> Iterator[None]:
    """Run the block under the deadline (MAX_SECONDS by default) and backstops; nested calls share the outer ones."""
    if _state.deadline is not None:
        yield
        return
    seconds = MAX_SECONDS if seconds is None else seconds
    _state.deadline = time.monotonic() + seconds
    _state.seconds = seconds
    main = threading.current_thread() is threading.main_thread()
    undo = [_arm_alarm(seconds), _cap_memory()] if main else []
    try:
        yield
    finally:
        for step in reversed(undo):
            step()
        _state.deadline = None


def disarm() -> None:
    """Stop the alarm early: an error is on its way out and must not be replaced by a timeout."""
    if _state.deadline is not None and threading.current_thread() is threading.main_thread():
        if hasattr(signal, "setitimer"):
            signal.setitimer(signal.ITIMER_REAL, 0)


def _on_alarm(signum: int, frame: object) -> None:
    if _state.deadline is not None:
        check()


def _arm_alarm(seconds: float) -> Callable[[], None]:
    if not hasattr(signal, "setitimer"):  # Windows: the hooks' deadline checks remain
        return lambda: None
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    # A tiny margin past the deadline, so that check() in the handler fires.
    outer = signal.setitimer(signal.ITIMER_REAL, seconds + 0.01, _TICK)

    def undo() -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer[0]:
            signal.setitimer(signal.ITIMER_REAL, *outer)

    return undo


def _cap_memory() -> Callable[[], None]:
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:  # Linux: current address space
            used = int(statm.read().split()[0]) * resource.getpagesize()
    except (ImportError, OSError, ValueError, IndexError):
        return lambda: None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = used + MEMORY_BUDGET
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        return lambda: None
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):
        return lambda: None
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
