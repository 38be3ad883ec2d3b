"""Profiles: find a template folder, overlay a district folder, and make sandboxed Jinja environments.

A profile is a folder under templates/ (profile.yaml, sections/, style.css,
document.html.j2, optionally reference.docx) and may say ``extends: <other>``.
A district folder given with ``--templates`` is laid over it: any file it
holds replaces the profile's file of the same name, and may extend the
original as ``{% extends "!base/<name>" %}`` (Pelican's pattern). Its
profile.yaml is merged key by key, mappings recursively, so that it may
change one table title or one number format and nothing else.

Templates are district data: they render in sandbox.Sandbox, and every file
the profile reads (templates, profile.yaml, reference.docx) must really lie
inside the profile folders, symlinks resolved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from yujuesuan.errors import InputError, UsageError
from yujuesuan.input.load import parse_text
from yujuesuan.profiles.conventions import validate
from yujuesuan.profiles.schema import check_layer, check_merged, check_reference_docx
from yujuesuan.resources import templates_root
from yujuesuan.sandbox import Sandbox
from yujuesuan.sandbox.limits import MAX_HTML_CHARS, MAX_SECTION_CHARS
from yujuesuan.sandbox.loader import confined, read_template

PROFILE_FILE = "profile.yaml"
# Every top-level key a profile.yaml may hold; docs/TEMPLATES.md documents exactly these (a test checks).
PROFILE_KEYS = (
    "name", "extends", "kind", "code", "title", "cover", "toc", "classes_year", "econ_year", "numbers",
    "table_defaults", "sections", "requires", "outline", "figures", "tables", "performance_notes",
)  # fmt: skip


@dataclass
class Profile:
    name: str
    folders: list[Path]  # overlay first, then the profile, then what it extends
    config: dict[str, Any] = field(default_factory=dict)
    overlay: Path | None = None

    @property
    def builtin(self) -> list[Path]:
        """The built-in folders, which an overlay reaches as ``!base/…``."""
        return self.folders[1:] if self.overlay is not None else self.folders

    @property
    def layout_year(self) -> int | None:
        """The year whose 类 list and 行次 the tables use, if the profile fixes one."""
        year = self.config.get("classes_year")
        return int(year) if year is not None else None

    def find(self, name: str) -> Path | None:
        """The first folder's copy of a file (a district's override wins), refused if it leads outside."""
        for folder in self.folders:
            candidate = folder / name
            if candidate.is_file():
                return confined(candidate, self.folders)
        return None

    def env(self, autoescape: bool) -> Sandbox:
        """A sandboxed environment over the profile folders.

        ``autoescape=True`` is for document.html.j2 (HTML, escaped whatever
        the file is called); narrative sections render as plain text.
        """
        limit = MAX_HTML_CHARS if autoescape else MAX_SECTION_CHARS
        return Sandbox(self.folders, self.builtin, autoescape=autoescape, max_chars=limit)


def available_profiles() -> list[str]:
    root = templates_root()
    return sorted(p.name for p in root.iterdir() if (p / PROFILE_FILE).is_file())


def read_config(folder: Path) -> dict[str, Any]:
    """A folder's profile.yaml as a dict ({} when absent): no anchors, aliases, tags or duplicate keys."""
    path = folder / PROFILE_FILE
    if not path.is_file():
        return {}
    text = read_template(confined(path, [folder]), path)
    try:
        root = parse_text(text, str(path))  # the data file's strict checks, with line and column
        check_layer(root, str(path))  # every key's type and range, located
        data = YAML(typ="safe", pure=True).load(text)
    except InputError as exc:
        raise UsageError(exc.findings) from None
    except YAMLError as exc:
        raise UsageError(f"{path}：YAML 格式错误：{exc}") from None
    if data is not None and not isinstance(data, dict):
        raise UsageError(f"{path}：profile.yaml 应是若干“键: 值”。")
    return data or {}


def merge(base: dict[str, Any], layer: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``layer``'s keys laid over it; mappings merge recursively, anything else is replaced."""
    out = dict(base)
    for key, value in layer.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def load_profile(name: str = "wuhan", overlay: Path | None = None) -> Profile:
    """The named built-in profile, with an optional district folder laid over it.

    A profile may say ``extends: <other>``: files it lacks come from the other
    profile, and its profile.yaml is merged over the other's as a district
    folder's is (see merge): mappings such as ``numbers``, ``table_defaults``
    and ``tables."01"`` key by key, anything else (lists, ``outline``) whole.
    Each layer's convention keys are checked (conventions.validate).
    """
    folders: list[Path] = []
    configs: list[dict[str, Any]] = []
    current: str | None = name
    while current is not None:
        folder = templates_root() / str(current)
        if "/" in str(current) or "\\" in str(current) or not (folder / PROFILE_FILE).is_file():
            choices = "、".join(available_profiles())
            raise UsageError(f"没有名为“{current}”的模板。可用的模板：{choices}。")
        if folder in folders:
            raise UsageError(f"模板“{name}”的 extends 形成了循环。")
        folders.append(folder)
        configs.append(read_config(folder))
        validate(configs[-1], str(folder / PROFILE_FILE))
        current = configs[-1].get("extends")
    if overlay is not None:
        if not overlay.is_dir():
            raise UsageError(f"模板文件夹不存在：{overlay}")
        overlay = overlay.resolve()
        layer = read_config(overlay)
        validate(layer, str(overlay / PROFILE_FILE))
        if "extends" in layer:
            raise UsageError(f"{overlay / PROFILE_FILE}：本区模板文件夹不能写 extends，请用 --profile 选择内置模板。")
        folders.insert(0, overlay)
        configs.insert(0, layer)
    config: dict[str, Any] = {}
    for layer in reversed(configs):  # each layer holds only its differences from the one it extends
        config = merge(config, layer)
    check_merged(config, str(folders[0] / PROFILE_FILE))
    profile = Profile(name, folders, config, overlay)
    reference = profile.find("reference.docx")
    if reference is not None and overlay is not None and reference.is_relative_to(overlay):
        check_reference_docx(reference)  # a district's file: the built-in ones are ours
    return profile
