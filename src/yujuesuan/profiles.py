"""Profiles: find a template folder, overlay a district folder, and make sandboxed Jinja environments.

Templates are district data, so they render in Jinja's SandboxedEnvironment
with StrictUndefined, and their loader reads only the profile and overlay
folders. An overlay file replaces the profile's file of the same name and
may extend it as ``{% extends "!base/<name>" %}`` (Pelican's pattern).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from ruamel.yaml import YAML

from yujuesuan.errors import UsageError
from yujuesuan.resources import templates_root

PROFILE_FILE = "profile.yaml"


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
        """The first folder's copy of a file (a district's override wins)."""
        for folder in self.folders:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        return None

    def env(self, autoescape: bool) -> SandboxedEnvironment:
        """A sandboxed environment over the profile folders; HTML output autoescapes."""
        loader = jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader([str(f) for f in self.folders]),
                jinja2.PrefixLoader({"!base": jinja2.FileSystemLoader([str(f) for f in self.builtin])}),
            ]
        )
        env = SandboxedEnvironment(
            loader=loader,
            undefined=jinja2.StrictUndefined,
            autoescape=autoescape,
            keep_trailing_newline=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        return env


def available_profiles() -> list[str]:
    root = templates_root()
    return sorted(p.name for p in root.iterdir() if (p / PROFILE_FILE).is_file())


def _read_config(folder: Path) -> dict[str, Any]:
    path = folder / PROFILE_FILE
    if not path.is_file():
        return {}
    data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    if data is not None and not isinstance(data, dict):
        raise UsageError(f"{path}：profile.yaml 应是若干“键: 值”。")
    return data or {}


def load_profile(name: str = "wuhan", overlay: Path | None = None) -> Profile:
    """The named built-in profile, with an optional district folder laid over it.

    A profile may say ``extends: <other>``: files it lacks come from the other
    profile, and its profile.yaml keys override the other's.
    """
    folders: list[Path] = []
    configs: list[dict[str, Any]] = []
    current: str | None = name
    while current is not None:
        folder = templates_root() / current
        if not (folder / PROFILE_FILE).is_file():
            choices = "、".join(available_profiles())
            raise UsageError(f"没有名为“{current}”的模板。可用的模板：{choices}。")
        if folder in folders:
            raise UsageError(f"模板“{name}”的 extends 形成了循环。")
        folders.append(folder)
        configs.append(_read_config(folder))
        current = configs[-1].get("extends")
    if overlay is not None:
        if not overlay.is_dir():
            raise UsageError(f"模板文件夹不存在：{overlay}")
        overlay = overlay.resolve()
        folders.insert(0, overlay)
        configs.insert(0, _read_config(overlay))
    config: dict[str, Any] = {}
    for layer in reversed(configs):  # the most specific layer wins, key by key
        config.update(layer)
    return Profile(name, folders, config, overlay)
