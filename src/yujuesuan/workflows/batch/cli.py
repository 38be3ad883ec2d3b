"""What `build`/`check` call with many inputs: options checked (usage errors exit 2), then the runner."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from yujuesuan.workflows.batch.unit import FORMATS, UnitOptions, collect_templates


def build_many(
    files: Sequence[Path],
    out: Path,
    formats: str,
    profile: str | None,
    overlay: Path | None,
    draft: bool,
    jobs: int | None,
    force: bool,
    executor: str,
    scheduler: str | None,
) -> int:
    from yujuesuan.workflows.batch.runner import Request, run

    wanted = tuple(dict.fromkeys(x.strip().lower() for x in formats.split(",") if x.strip()))
    unknown = [x for x in wanted if x not in FORMATS]
    if unknown or not wanted:
        raise click.UsageError(f"不支持的格式：{'、'.join(unknown) or '（空）'}。可用：{'、'.join(FORMATS)}。")
    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler 只用于 --executor dask。")
    templates = collect_templates(overlay) if overlay is not None else None
    options = UnitOptions(profile=profile, templates=templates, formats=wanted, draft=draft)
    return run(Request(list(files), options, out, jobs, force, executor, scheduler))


def check_many(files: Sequence[Path], profile: str | None, jobs: int | None, out: Path | None, as_json: bool) -> int:
    from yujuesuan.workflows.batch.runner import Request, run

    options = UnitOptions(profile=profile, check_only=True)
    return run(Request(list(files), options, out, jobs, force=True, json=as_json))
