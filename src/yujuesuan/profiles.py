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
    folders: list[Path]  # overlay first, then the profile itself
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def base(self) -> Path:
        return self.folders[-1]

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
                jinja2.PrefixLoader({"!base": jinja2.FileSystemLoader(str(self.base))}),
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


def load_profile(name: str = "wuhan", overlay: Path | None = None) -> Profile:
    """The named built-in profile, with an optional district folder laid over it."""
    base = templates_root() / name
    if not (base / PROFILE_FILE).is_file():
        choices = "、".join(available_profiles())
        raise UsageError(f"没有名为“{name}”的模板。可用的模板：{choices}。")
    folders = [base]
    if overlay is not None:
        if not overlay.is_dir():
            raise UsageError(f"模板文件夹不存在：{overlay}")
        folders.insert(0, overlay.resolve())
    profile = Profile(name, folders)
    yaml = YAML(typ="safe", pure=True)
    config: dict[str, Any] = yaml.load((base / PROFILE_FILE).read_text(encoding="utf-8")) or {}
    if overlay is not None and (overlay / PROFILE_FILE).is_file():
        # A district's profile.yaml overrides top-level keys (outline, numbers, tables…).
        config.update(yaml.load((overlay / PROFILE_FILE).read_text(encoding="utf-8")) or {})
    profile.config = config
    return profile
