"""Template files: find them inside the profile folders, and refuse any that really lies outside.

Jinja's FileSystemLoader already refuses ``..`` in a name, but follows a
symlink wherever it points; a district folder could hold ``evil.j2 ->
/etc/passwd``. Here every file is resolved first and must lie inside the
allowed folders, and must be UTF-8 text of a sensible size.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from yujuesuan.errors import UsageError

MAX_TEMPLATE_BYTES = 1024 * 1024


def confined(path: Path, allowed: Sequence[Path]) -> Path:
    """Return the real path of ``path``; raise UsageError when it leaves every folder of ``allowed``."""
    real = path.resolve()
    if not any(real.is_relative_to(root.resolve()) for root in allowed):
        raise UsageError(
            f"模板文件 {path} 指向模板文件夹之外的 {real}，不允许使用：模板只能读取本区模板文件夹和内置模板中的文件。"
        )
    return real


class ConfinedLoader(jinja2.BaseLoader):
    """Load ``name`` from the first of ``folders`` holding it; refuse files whose real path leaves ``allowed``."""

    def __init__(self, folders: Sequence[Path], allowed: Sequence[Path] | None = None) -> None:
        self.folders = [Path(f) for f in folders]
        self.allowed = [Path(f).resolve() for f in (allowed if allowed is not None else folders)]

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses ".." and backslashes
        for folder in self.folders:
            path = folder.joinpath(*pieces)
            if not path.is_file():
                continue
            real = confined(path, self.allowed)
            return read_template(real, path), str(path), functools.partial(_unchanged, real, real.stat().st_mtime)
        raise jinja2.TemplateNotFound(template)


def _unchanged(path: Path, mtime: float) -> bool:
    try:
        return path.stat().st_mtime == mtime
    except OSError:
        return False


def read_template(real: Path, shown: Path) -> str:
    """The text of a template file, refusing huge or non-UTF-8 files."""
    if real.stat().st_size > MAX_TEMPLATE_BYTES:
        raise UsageError(f"模板文件 {shown} 超过 {MAX_TEMPLATE_BYTES // 1024} KB，不像是模板。")
    try:
        return real.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"模板文件 {shown} 不是 UTF-8 编码（第 {exc.start} 个字节起）：请另存为 UTF-8。") from None
