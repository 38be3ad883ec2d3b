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

Off the main thread (a library caller's worker thread, a web server) neither
backstop may be used: a signal reaches only the main thread and RLIMIT_AS
binds the whole process. There the limits are cooperative: the deadline is
checked by every hook and as every ``{% for %}`` starts (sandbox.py wraps each
loop's iterable in :func:`loop`), and the process's resident memory is
sampled from those same checks (:data:`MEMORY_BUDGET` past what it was when
the render began). A ProcessPoolExecutor worker runs its task on its own
main thread, so it gets the signal and RLIMIT_AS backstops as the CLI does.

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

import jinja2
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


_LOOP_EVERY = 63  # a {% for %} checks the deadline every 64 steps (mask)
_MEMORY_EVERY = 0.05  # seconds between two samples of resident memory off the main thread


class _State(threading.local):
    deadline: float | None = None
    seconds: float = MAX_SECONDS
    rss_cap: int | None = None  # bytes of resident memory this render may reach (off the main thread)
    next_sample: float = 0.0


_state = _State()


def check() -> None:
    """Raise RenderLimit when the current render is past its deadline."""
    deadline = _state.deadline
    if deadline is None:
        return
    now = time.monotonic()
    if now > deadline:
        raise RenderLimit(f"运行超过 {_state.seconds:g} 秒，已停止（是否有死循环或过多的嵌套循环？）")
    if _state.rss_cap is not None and now >= _state.next_sample:
        _state.next_sample = now + _MEMORY_EVERY
        used = _resident()
        if used is not None and used > _state.rss_cap:
            raise RenderLimit(f"占用内存超过 {MEMORY_BUDGET >> 20} MB，已停止（模板生成的内容过多）")


class _Bounded:
    """An iterable of unknown length that checks the deadline every 64 steps."""

    __slots__ = ("_items",)

    def __init__(self, items: Any) -> None:
        self._items = items

    def __iter__(self) -> Iterator[Any]:
        step = 0
        for item in self._items:
            step += 1
            if not step & _LOOP_EVERY:  # every 64th step: a clock read per step would slow every loop
                check()
            yield item


def loop(items: Any) -> Any:
    """What a sandboxed ``{% for %}`` iterates, after a deadline check as the loop starts.

    A container (anything with a length: a range, a list, a string) is returned
    as it is: its size is already bounded, and a nested loop checks again at
    each start of the inner loop, so a silent ``for``-in-``for`` stops at the
    deadline without a per-step cost. An iterator of unknown length is wrapped
    and checked every 64 steps.
    """
    if isinstance(items, jinja2.Undefined):
        return items  # StrictUndefined fails where the template names it, as before
    check()
    if hasattr(items, "__len__"):
        return items
    return _Bounded(items)


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
    if not main:
        used = _resident()
        _state.rss_cap = None if used is None else used + MEMORY_BUDGET
        _state.next_sample = 0.0
    try:
        yield
    finally:
        for step in reversed(undo):
            step()
        _state.deadline = None
        _state.rss_cap = None


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


def _resident() -> int | None:
    """Resident memory of the process in bytes (Linux), or None where /proc is not there."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize()
    except (ImportError, OSError, ValueError, IndexError):
        return None


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
