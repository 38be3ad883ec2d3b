"""Find and read the files that ship with yujuesuan: the built-in profiles under templates/, its YAML data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent


def templates_root() -> Path:
    """Return the folder holding one subfolder per built-in profile (wuhan, …).

    An installed wheel has it at yujuesuan/templates (pyproject maps the
    top-level templates/ there); a source checkout, editable install or
    PYTHONPATH=src run has it two levels above the package.
    """
    for candidate in (_PACKAGE / "templates", _PACKAGE.parents[1] / "templates"):
        if (candidate / "wuhan").is_dir():
            return candidate
    raise FileNotFoundError(f"找不到模板目录 templates/（已查找 {_PACKAGE}）：请重新安装 yujuesuan。")


def read_bundled_yaml(text: str) -> Any:
    """Parse a YAML file shipped in the package (the catalogs, the rules): ours, so trusted, and read by every check.

    libyaml's C parser (PyYAML's CSafeLoader) reads them in a fifteenth of the time of
    ruamel's pure-Python one (about 0.09 s of every check for the 2023 catalog and the
    rules). It is used only here: a user's files keep ruamel, whose events carry the
    line and column every message needs. tests/test_resources.py checks that both
    parsers read every bundled file alike (YAML 1.1 and 1.2 differ on yes/no, octal, …).
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # a PyYAML built without libyaml: still right
    return yaml.load(text, Loader=loader)


def matplotlib_config() -> None:
    """Point matplotlib at a kept private folder when its own config or cache folder is not writable.

    Otherwise matplotlib makes a new temporary folder in every process and rebuilds its font list
    there (seconds, and a warning, per run). Only this process and its children see the setting
    (os.environ); nothing changes when MPLCONFIGDIR is set or the usual folders are writable. The
    folder is <tmp>/yujuesuan-matplotlib-<uid>: a real directory (not a symlink, which could lead
    into an output folder), owned by this user and private to it, or matplotlib's own fallback.
    """
    import os
    import stat
    import tempfile

    if "MPLCONFIGDIR" in os.environ:
        return
    home = Path.home()
    wanted = [Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "matplotlib",
              Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "matplotlib"]  # fmt: skip
    if all(_writable(p) for p in wanted):
        return
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: matplotlib's own fallback
        return
    folder = Path(tempfile.gettempdir()) / f"yujuesuan-matplotlib-{getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != getuid() or info.st_mode & 0o077:
        return  # a symlink, someone else's folder, or one others can write: not ours to use
    os.environ["MPLCONFIGDIR"] = str(folder)


def _writable(folder: Path) -> bool:
    import os

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)
