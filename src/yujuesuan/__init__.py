"""yujuesuan (预决算): one unit's figures for one year → its 部门决算 document.

The library API (api.py): ``check(source, *, name, profile=None, templates=None)``
→ ``Checked``; ``render(checked, formats=("docx", "pdf"), *, draft=False, pdf=None)`` →
``{format: bytes}``. They load on first use, so ``import yujuesuan`` stays cheap.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Checked", "NotPublishable", "check", "render"]

if TYPE_CHECKING:
    from yujuesuan.api import Checked, NotPublishable, check, render


def __getattr__(name: str) -> Any:
    if name == "render":
        import yujuesuan.render  # noqa: F401  binds the subpackage, made callable below

        return sys.modules["yujuesuan.render"]
    if name in __all__:
        from yujuesuan import api

        return getattr(api, name)
    raise AttributeError(f"module 'yujuesuan' has no attribute {name!r}")


class _CallableRender(types.ModuleType):
    """The ``yujuesuan.render`` subpackage, callable as the API function ``render`` (api.render).

    The subpackage (the renderers) and the API function share a name; making the
    module callable keeps both ``yujuesuan.render(checked)`` and
    ``yujuesuan.render.pdf`` / ``from yujuesuan.render import …`` working.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from yujuesuan.api import render

        return render(*args, **kwargs)


class _Package(types.ModuleType):
    """Importing a submodule binds it on its parent: the ``render`` subpackage is made callable then."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "render" and type(value) is types.ModuleType:
            value.__class__ = _CallableRender
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
