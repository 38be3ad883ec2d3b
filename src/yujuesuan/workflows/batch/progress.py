"""The progress bar (rich): units done, failed and time left, on stderr, and nothing when it is not a terminal."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn


class BatchProgress:
    """``with BatchProgress(total, "生成") as bar: bar.advance(failed=False)``."""

    def __init__(self, total: int, verb: str, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.failed = 0
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("失败 {task.fields[failed]}"),
            TextColumn("剩余"),
            TimeRemainingColumn(),
            TextColumn("已用"),
            TimeElapsedColumn(),
            console=self.console,
            disable=not self.console.is_terminal,
            transient=False,
        )
        self.task = self.progress.add_task(verb, total=total, failed=0)

    def __enter__(self) -> BatchProgress:
        self.progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.progress.stop()

    def advance(self, failed: bool) -> None:
        self.failed += failed
        self.progress.update(self.task, advance=1, failed=self.failed)
