"""The batch runner: read the inputs, skip unchanged units, run the rest, write each unit's files, summarize.

The parent process alone touches the disk: it reads every input as bytes,
hands (bytes, name) to the executor, and writes what comes back. A unit's
files are written as one set with Ctrl-C held off until the set is complete,
so an interrupted run leaves every unit either as it was or fully rebuilt.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import click
from rich.console import Console

from yujuesuan.errors import UsageError, YujuesuanError
from yujuesuan.workflows.batch import summary
from yujuesuan.workflows.batch.executors import Executor, Job
from yujuesuan.workflows.batch.inputs import expand
from yujuesuan.workflows.batch.manifest import Manifest, options_digest, profile_digest, unit_key
from yujuesuan.workflows.batch.progress import BatchProgress
from yujuesuan.workflows.batch.summary import FAILED, Row
from yujuesuan.workflows.batch.unit import STATUS_OK, UnitOptions, UnitResult, build_unit, builtin_folders

EXIT_INTERRUPTED = 130
MAX_INPUT_BYTES = 4 * 1024 * 1024  # load.MAX_BYTES: a larger file is refused by the unit anyway; read no more


@dataclass
class Request:
    paths: list[Path]
    options: UnitOptions
    out: Path | None = None  # None: check without summary files
    jobs: int | None = None
    force: bool = False
    executor: str = "local"
    scheduler: str | None = None
    json: bool = False


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) until the block ends, then raise it: a unit's file set is never half written."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            raise KeyboardInterrupt


def run(request: Request) -> int:
    """Run the batch; return the exit code (0 all built, 1 any unit failed, 130 interrupted)."""
    runner = _Runner(request)
    try:
        return runner.run()
    except KeyboardInterrupt:  # before any unit ran (reading, hashing): nothing was written
        runner.stderr.print("已中断，没有生成任何文件。", soft_wrap=True)
        return EXIT_INTERRUPTED


class _Runner:
    def __init__(self, request: Request) -> None:
        self.req = request
        self.options = request.options
        self.out = request.out
        self.stdout = Console(highlight=False)
        if not self.stdout.is_terminal:  # a log file or a pipe: wide enough that paths stay on one line
            self.stdout = Console(highlight=False, width=200)
        self.stderr = Console(stderr=True, highlight=False)
        self.manifest = Manifest(self.out) if self.out is not None and not self.options.check_only else None
        self.claimed: dict[str, str] = {}  # output path → the input that wrote it in this run

    def run(self) -> int:
        files = expand(self.req.paths)
        started = time.monotonic()
        common = options_digest(self.options, profile_digest(builtin_folders(self.options.profile)))
        rows: list[Row | None] = [None] * len(files)
        jobs: list[Job] = []
        keys: dict[int, str] = {}
        for index, path in enumerate(files):
            data, problem = _read(path)
            if data is None:
                rows[index] = Row(str(path), "errors", errors=(problem,))
                continue
            keys[index] = unit_key(data, common)
            manifest = None if self.req.force else self.manifest
            kept = None if manifest is None else manifest.unchanged(path, keys[index])
            if manifest is not None and kept is not None:
                unit = manifest.unit_of(path)
                rows[index] = Row(str(path), "skipped", unit, outputs=kept)
                self.claimed.update(dict.fromkeys(kept, str(path)))
                continue
            jobs.append((index, data, str(path)))
        interrupted = False
        verb = "检查" if self.options.check_only else "生成"
        executor = self._executor(len(jobs)) if jobs else None
        try:
            with BatchProgress(len(jobs), verb, self.stderr) as bar:
                if executor is not None:
                    for index, result in executor.run(jobs):
                        finished = rows[index] = self._finish(files[index], result, keys[index])
                        bar.advance(finished.status in FAILED)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            if executor is not None:
                with interrupts_held():
                    executor.close()
        done = [row or Row(str(files[i]), "interrupted") for i, row in enumerate(rows)]
        return self._report(done, time.monotonic() - started, interrupted)

    def _executor(self, count: int) -> Executor:
        if self.req.executor == "dask":
            if not self.req.scheduler:
                raise UsageError("--executor dask 需要 --scheduler tcp://主机:端口（dask scheduler 显示的地址）。")
            from yujuesuan.workflows.batch.executors import DaskExecutor

            return DaskExecutor(self.options, self.req.scheduler)
        workers = min(self.req.jobs or os.cpu_count() or 1, count)
        if workers == 1 and self.options.check_only:
            return _Inline(self.options)  # a check is a fraction of a second: a worker process would cost more
        from yujuesuan.workflows.batch.executors import LocalExecutor

        return LocalExecutor(self.options, workers)

    def _finish(self, source: Path, result: UnitResult, key: str) -> Row:
        """Turn a unit's result into a summary row, writing its files first (as one set)."""
        row = Row(str(source), result.status, result.unit, result.errors, result.warnings, [], result.elapsed)
        if self.options.check_only:
            row.status = "checked" if result.status == STATUS_OK else result.status
            return row
        if not result.outputs or self.out is None:
            if self.manifest is not None:
                with interrupts_held():
                    self.manifest.forget(source)
                    self.manifest.save()
            return row
        try:
            written = self._write_set(source, result.outputs, key, result.unit)
        except YujuesuanError as exc:
            row.status = "errors"
            row.errors = (*row.errors, *(f.format() for f in exc.findings))
            return row
        row.outputs = written
        row.status = "draft" if result.draft else "ok"
        return row

    def _write_set(self, source: Path, outputs: dict[str, bytes], key: str, unit: str) -> list[str]:
        """One unit's files, as one set (outputs.write_set: the previous set kept under 历史版本, as build does)."""
        from yujuesuan.output.sets import write_set

        assert self.out is not None
        folders = {PurePosixPath(rel).parent for rel in outputs}
        stems = {PurePosixPath(rel).stem for rel in outputs}
        for rel in outputs:
            parts = PurePosixPath(rel).parts
            if PurePosixPath(rel).is_absolute() or len(parts) != 2 or any(p in ("", ".", "..") for p in parts):
                raise UsageError(f"{source}: 输出文件名 {rel} 不安全，未写出。")
            owner = self.claimed.get(rel)
            if owner is not None and owner != str(source):
                raise UsageError(
                    f"{source}: 与 {owner} 的单位名称和年度相同，输出文件 {self.out / rel} 会互相覆盖，未写出。"
                    "请检查两个文件中的单位名称。"
                )
        if len(folders) != 1 or len(stems) != 1:
            raise UsageError(f"{source}: 一个单位的输出应在同一文件夹、同一文件名下，未写出。")
        folder, file_stem = folders.pop(), stems.pop()
        by_ext = {PurePosixPath(rel).suffix[1:]: data for rel, data in outputs.items()}
        with interrupts_held():
            for rel in outputs:
                self.claimed[rel] = str(source)
            write_set(self.out / folder, file_stem, by_ext, protect=source)
            if self.manifest is not None:
                self.manifest.record(source, key, list(outputs), unit)
                self.manifest.save()
        return list(outputs)

    def _report(self, rows: list[Row], seconds: float, interrupted: bool) -> int:
        if self.req.json and self.options.check_only:
            units = [{"file": r.source, "unit": r.unit, "status": r.status, "errors": list(r.errors),
                      "warnings": list(r.warnings)} for r in rows]  # fmt: skip
            click.echo(json.dumps(units, ensure_ascii=False, indent=2))
        else:
            summary.print_table(rows, self.stdout, self.out, outputs=not self.options.check_only)
        title = "批量检查结果" if self.options.check_only else "批量生成结果"
        if self.out is not None:
            with interrupts_held():
                for path in summary.write_files(self.out, rows, title):
                    self.stderr.print(f"已写出：{path}", highlight=False, markup=False, soft_wrap=True)
        self.stderr.print(summary.headline(rows, seconds), highlight=False, markup=False, soft_wrap=True)
        if interrupted:
            self.stderr.print(
                "已中断：已完成的单位都已完整写出，其余单位未生成；再次运行会跳过已生成且未改动的单位。", soft_wrap=True
            )
            return EXIT_INTERRUPTED
        return 1 if any(r.status in FAILED for r in rows) else 0


class _Inline:
    """Units in this process, one after another (check with --jobs 1)."""

    def __init__(self, options: UnitOptions) -> None:
        self.options = options

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[int, UnitResult]]:
        for index, data, name in jobs:
            yield index, build_unit(data, name, self.options)

    def close(self) -> None:
        pass


def _read(path: Path) -> tuple[bytes | None, str]:
    """The input's bytes, or (None, a located message): a regular file only, and no more than the size cap."""
    try:
        if not path.is_file():
            return None, f"{path}: [file] 错误：这不是一个普通文件，不能作为数据文件读取。"
        with open(path, "rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        return None, f"{path}: [file] 错误：无法读取文件：{exc.strerror or exc}"
    return data, ""
