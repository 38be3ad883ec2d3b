"""resources.py and pyproject: the profiles ship with the package."""

from __future__ import annotations

from pathlib import Path

import pytest

from yujuesuan.resources import templates_root

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[1]


def test_templates_root_finds_the_wuhan_profile():
    root = templates_root()
    assert (root / "wuhan" / "document.html.j2").is_file()
    assert (root / "wuhan" / "style.css").is_file()


def test_every_subpackage_is_listed_for_the_wheel():
    """pyproject lists packages by hand (to map templates/ into the package): keep it complete."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    src = ROOT / "src"
    found = {".".join(p.parent.relative_to(src).parts) for p in (src / "yujuesuan").rglob("__init__.py")}
    assert found | {"yujuesuan.templates"} == set(config["packages"])
    assert config["package-dir"]["yujuesuan.templates"] == "templates"
