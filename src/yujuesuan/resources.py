"""Find the files that ship with yujuesuan: the built-in profiles under templates/."""

from __future__ import annotations

from pathlib import Path

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
