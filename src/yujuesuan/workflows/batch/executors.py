"""Where units run: a local process pool, or a Dask cluster; both yield (index, UnitResult) as units finish.

Each executor's ``run(jobs)`` takes ``(index, data, name)`` triples and
yields ``(index, result)`` in completion order. A unit that takes its worker
down (a segfault, the kernel's OOM killer) is reported as crashed and the
others go on: the local pool is rebuilt and the units that were running then
are retried one at a time, so that only the culprit is blamed. ``close()``
stops everything at once (Ctrl-C): pending units are cancelled and the
worker processes are terminated.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import tempfile
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Protocol

from yujuesuan.resources import matplotlib_config
from yujuesuan.workflows.batch.unit import STATUS_CRASHED, UnitOptions, UnitResult, build_unit, warm

Job = tuple[int, bytes, str]  # index, input bytes, the input's name (as findings show it)


class Executor(Protocol):
    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[int, UnitResult]]: ...

    def close(self) -> None: ...


# --- local processes ---------------------------------------------------------------------------

_running_dir: Path | None = None


def _init_worker(options: UnitOptions, scratch: str) -> None:
    """Pool initializer: the parent alone handles Ctrl-C; temporary files go to the parent's scratch folder
    (WeasyPrint leaves a weasyprint-* folder per process in /tmp otherwise; the parent removes the scratch
    folder, also after terminating workers); load everything a unit needs once."""
    global _running_dir
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _running_dir = Path(scratch) / "running"
    private = Path(scratch) / "tmp" / str(os.getpid())
    private.mkdir(parents=True, exist_ok=True)
    tempfile.tempdir = str(private)
    warm(options)


def _run_in_worker(index: int, data: bytes, name: str, options: UnitOptions) -> UnitResult:
    """build_unit, leaving a note of which unit this process is on in case it dies mid-unit."""
    note = _running_dir / str(os.getpid()) if _running_dir is not None else None
    if note is not None:
        note.write_text(str(index), encoding="ascii")
    try:
        return build_unit(data, name, options)
    finally:
        if note is not None:
            note.unlink(missing_ok=True)


class LocalExecutor:
    """A ProcessPoolExecutor of ``workers`` processes (spawned: no inherited threads or state)."""

    def __init__(self, options: UnitOptions, workers: int) -> None:
        self.options = options
        self.workers = max(1, workers)
        self.pool: ProcessPoolExecutor | None = None
        self.scratch = Path(tempfile.mkdtemp(prefix="yujuesuan-batch-"))
        self.running = self.scratch / "running"  # one note per busy worker: which unit it is on
        self.running.mkdir()
        matplotlib_config()  # before the workers are spawned: they inherit it

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        self.pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(self.options, str(self.scratch)),
        )
        return self.pool

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[int, UnitResult]]:
        queue = list(jobs)
        by_index = {job[0]: job for job in queue}
        suspects: list[int] = []
        while queue:
            pool = self._new_pool(min(self.workers, len(queue)))
            broken = yield from self._drain(pool, queue)
            self._stop_pool()
            if not broken:
                break
            lost = set(broken)
            dying = self._running_units() & lost
            suspects.extend(sorted(dying))
            queue = [by_index[i] for i in sorted(lost - dying)]
        for index in suspects:  # alone in a pool of one: if it dies again, it is the culprit
            pool = self._new_pool(1)
            broken = yield from self._drain(pool, [by_index[index]])
            self._stop_pool()
            if broken:
                name = by_index[index][2]
                message = f"{name}: [crash] 错误：生成这个单位时工作进程意外退出（内存不足或程序崩溃）。"
                yield index, UnitResult(name, STATUS_CRASHED, (message,))

    def _drain(
        self, pool: ProcessPoolExecutor, queue: list[Job]
    ) -> Generator[tuple[int, UnitResult], None, list[int]]:
        """Run ``queue`` on ``pool``; return the indexes lost when the pool broke (empty when none)."""
        futures: dict[Future[UnitResult], int] = {}
        for index, data, name in queue:
            futures[pool.submit(_run_in_worker, index, data, name, self.options)] = index
        pending = set(futures)
        lost: list[int] = []
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                try:
                    result = future.result()
                except BrokenProcessPool:
                    lost.append(futures[future])
                    continue
                yield futures[future], result
        return lost

    def _running_units(self) -> set[int]:
        found = set()
        for note in self.running.iterdir():
            try:
                found.add(int(note.read_text(encoding="ascii")))
            except (OSError, ValueError):
                pass
            note.unlink(missing_ok=True)
        return found

    def _stop_pool(self) -> None:
        """Shut the pool down, terminating its processes (they may be mid-unit after Ctrl-C)."""
        pool, self.pool = self.pool, None
        if pool is None:
            return
        processes = list(getattr(pool, "_processes", {}).values())  # no public handle before Python 3.14
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()

    def close(self) -> None:
        self._stop_pool()
        shutil.rmtree(self.scratch, ignore_errors=True)


# --- Dask ---------------------------------------------------------------------------------------

DASK_MISSING = (
    "没有安装 Dask 分布式计算组件，无法使用 --executor dask。请运行：pip install 'yujuesuan[dask]'"
    "（集群中每台机器上都要安装 yujuesuan 和 dask）。"
)


def _dask_task(data: bytes, name: str, options: UnitOptions) -> UnitResult:
    """What a Dask worker runs: build_unit (its caches are per worker process, kept between tasks)."""
    return build_unit(data, name, options)


def _dask_warm(options: UnitOptions) -> None:
    warm(options)


class DaskExecutor:
    """Units as futures on a dask.distributed cluster: bytes in, bytes out, no shared file system."""

    def __init__(self, options: UnitOptions, scheduler: str, timeout: float = 10.0) -> None:
        from yujuesuan.errors import UsageError

        try:
            from distributed import Client
        except ImportError:
            raise UsageError(DASK_MISSING) from None
        self.options = options
        try:
            self.client = Client(scheduler, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise UsageError(
                f"无法连接 Dask 调度器 {scheduler}：{exc}。请确认 dask scheduler 已启动、地址和端口正确。"
            ) from None
        self.futures: list[object] = []

    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[int, UnitResult]]:
        from distributed import as_completed

        try:  # load imports, fonts and templates on every worker before the units arrive
            self.client.run(_dask_warm, self.options)
        except Exception:  # a worker that cannot warm up fails its units with their own messages
            pass
        indexes: dict[object, tuple[int, str]] = {}  # by future.key (a str, or a tuple for some tasks)
        for index, data, name in jobs:
            future = self.client.submit(_dask_task, data, name, self.options, pure=False, retries=0)
            indexes[future.key] = (index, name)
            self.futures.append(future)
        for future in as_completed(self.futures, loop=self.client.loop):
            index, name = indexes[future.key]
            try:
                result = future.result()
            except Exception as exc:  # KilledWorker: the unit took its worker down (the scheduler retried)
                message = f"{name}: [crash] 错误：Dask 工作进程未能完成这个单位（{type(exc).__name__}: {exc}）。"
                result = UnitResult(name, STATUS_CRASHED, (message,))
            future.release()
            yield index, result

    def close(self) -> None:
        try:
            if self.futures:
                self.client.cancel(self.futures)
        finally:
            self.client.close()
