"""What the last run built: a small JSON in the output folder, so that unchanged units are skipped.

A unit's key hashes everything its documents depend on: the yujuesuan
version, the input bytes, the build options, and every file of the profile
and of the district template folder. A unit is skipped when its key equals
the key of its last successful build and every file that build wrote is
still there.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from yujuesuan import __version__
from yujuesuan.workflows.batch.unit import UnitOptions

MANIFEST = ".yujuesuan-batch.json"


def profile_digest(folders: list[Path]) -> str:
    """A hash of every file under the built-in profile folders (templates, profile.yaml, CSS, reference.docx)."""
    h = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            h.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def options_digest(options: UnitOptions, builtin: str) -> str:
    """The part of every unit's key that comes from the command line and the templates."""
    spec = {
        "version": __version__,
        "profile": options.profile,
        "builtin": builtin,
        "templates": options.templates.digest if options.templates else None,
        "formats": sorted(options.formats),
        "draft": options.draft,
    }
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()


def unit_key(data: bytes, common: str) -> str:
    return hashlib.sha256(common.encode("ascii") + b"\0" + data).hexdigest()


class Manifest:
    """{input file (resolved): {"key": …, "outputs": [paths relative to the output folder]}}."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        self.units: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and isinstance(data.get("units"), dict):
                self.units = data["units"]
        except (OSError, ValueError):
            pass  # no manifest, or a damaged one: everything is built

    def unchanged(self, source: Path, key: str) -> list[str] | None:
        """The outputs of the last build of ``source`` if its key is ``key`` and they all still exist."""
        entry = self.units.get(str(source.resolve()))
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        outputs = entry.get("outputs")
        if not isinstance(outputs, list) or not outputs:
            return None
        if not all(isinstance(o, str) and (self.path.parent / o).is_file() for o in outputs):
            return None
        return outputs

    def record(self, source: Path, key: str, outputs: list[str], unit: str) -> None:
        self.units[str(source.resolve())] = {"key": key, "outputs": outputs, "unit": unit}

    def unit_of(self, source: Path) -> str:
        entry = self.units.get(str(source.resolve()))
        return str(entry.get("unit", "")) if isinstance(entry, dict) else ""

    def forget(self, source: Path) -> None:
        self.units.pop(str(source.resolve()), None)

    def save(self) -> None:
        from yujuesuan.output.write import write_atomic

        text = json.dumps({"version": 1, "units": self.units}, ensure_ascii=False, indent=1, sort_keys=True)
        write_atomic(self.path, text.encode("utf-8"))
