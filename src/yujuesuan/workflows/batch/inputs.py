"""Which data files a command line names: files, folders (their *.yaml) and quoted glob patterns."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path

from yujuesuan.errors import UsageError

_MAGIC = set("*?[")


def is_pattern(path: Path) -> bool:
    return not path.exists() and bool(_MAGIC & set(str(path)))


def wants_batch(paths: Sequence[Path]) -> bool:
    """More than one data file, a folder or a glob pattern: the batch runner; one file: the single build."""
    return len(paths) > 1 or any(p.is_dir() or is_pattern(p) for p in paths)


def expand(paths: Sequence[Path]) -> list[Path]:
    """Every data file named, in order, each once; a name that matches nothing is a usage error."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            matches = sorted(p for p in path.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p.is_file())
            if not matches:
                raise UsageError(f"文件夹 {path} 中没有 .yaml 数据文件。")
        elif is_pattern(path):
            matches = sorted(Path(m) for m in glob.glob(str(path), recursive=True) if Path(m).is_file())
            if not matches:
                raise UsageError(f"没有与 {path} 匹配的数据文件。")
        elif path.exists():
            matches = [path]
        else:
            raise UsageError(f"找不到文件：{path}")
        found.extend(matches)
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())
