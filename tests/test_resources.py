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


def test_bundled_yaml_reads_the_same_with_libyaml_as_with_ruamel() -> None:
    """The catalogs and rules are read with PyYAML (C, YAML 1.1); ruamel (YAML 1.2) must read them alike."""
    from importlib import resources

    from ruamel.yaml import YAML

    from yujuesuan.resources import read_bundled_yaml

    files = [*resources.files("yujuesuan.catalog").joinpath("data").iterdir(),
             resources.files("yujuesuan.rules").joinpath("rules.yaml"),
             resources.files("yujuesuan.kinds.yusuan").joinpath("rules.yaml")]  # fmt: skip
    read = 0
    for file in files:
        if not file.name.endswith(".yaml"):
            continue
        text = file.read_text(encoding="utf-8")
        assert read_bundled_yaml(text) == YAML(typ="safe", pure=True).load(text), file.name
        read += 1
    assert read >= 14
