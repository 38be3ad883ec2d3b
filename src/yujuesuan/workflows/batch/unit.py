"""One unit, bytes in and bytes out, through the library API: the only place the batch code touches the pipeline.

``build_unit(data, name, options)`` checks one unit's YAML bytes and renders
its documents in memory; nothing is read but the profile folders and nothing
is written. Everything else in yujuesuan.workflows.batch depends on this module alone,
so that when ``yujuesuan.check``/``yujuesuan.render`` land, only the bodies of
``_check`` and ``_render`` change.

Per process (a pool worker or a Dask worker) it keeps the loaded profile and
its compiled Jinja templates, so a unit in a batch does not pay for them again.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

STATUS_OK = "ok"
STATUS_ERRORS = "errors"
STATUS_CRASHED = "crashed"
FORMATS = ("docx", "pdf", "html", "xlsx")
DEFAULT_PROFILE = "wuhan"


@dataclass(frozen=True)
class TemplateSet:
    """A district template folder as bytes (relative POSIX path → content), so workers need no shared disk."""

    label: str  # the folder as the user named it, for messages
    files: tuple[tuple[str, bytes], ...]

    @property
    def digest(self) -> str:
        h = hashlib.sha256()
        for rel, data in self.files:
            h.update(rel.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
        return h.hexdigest()


@dataclass(frozen=True)
class UnitOptions:
    """What every unit of a batch is built with."""

    profile: str | None = None  # None: each unit's own 单位.模板, else wuhan (--profile overrides them all)
    templates: TemplateSet | None = None
    formats: tuple[str, ...] = ("docx", "pdf")
    draft: bool = False
    check_only: bool = False


@dataclass(frozen=True)
class UnitResult:
    """One unit's outcome. ``outputs`` maps a relative path (folder/file, made safe) to the file's bytes."""

    name: str
    status: str  # ok | errors | crashed
    errors: tuple[str, ...] = ()  # each "file:line:column: [rule] 错误：…"
    warnings: tuple[str, ...] = ()
    outputs: dict[str, bytes] = field(default_factory=dict)
    elapsed: float = 0.0
    unit: str = ""  # 单位名称 and 年度, when the file could be read
    draft: bool = False


def build_unit(data: bytes, name: str, options: UnitOptions) -> UnitResult:
    """Check and (unless ``options.check_only``) render one unit; never raises for anything the unit causes."""
    from yujuesuan.errors import YujuesuanError

    start = time.perf_counter()
    try:
        result = _build(data, name, options)
    except YujuesuanError as exc:  # a template error, an unwritable name, a profile problem
        errors = tuple(_relabel(f.format(), options) for f in exc.findings)
        result = UnitResult(name, STATUS_ERRORS, errors)
    except Exception as exc:  # a bug: reported for this unit, the others go on
        where = traceback.extract_tb(exc.__traceback__)[-1:] or []
        at = f"（{Path(where[0].filename).name}:{where[0].lineno}）" if where else ""
        message = f"{name}: [crash] 错误：程序内部错误 {type(exc).__name__}: {exc}{at}。请把这个文件报告给开发者。"
        result = UnitResult(name, STATUS_CRASHED, (message,))
    return _with_elapsed(result, time.perf_counter() - start)


def warm(options: UnitOptions) -> None:
    """Load once per process what every unit needs: imports, the catalogs, fonts, the profile and its templates."""
    from yujuesuan.catalog import available_years, load_catalog
    from yujuesuan.render.fonts import _cmap, find_font  # the cmap is read on every check (glyph warnings)
    from yujuesuan.rules.engine import load_rules

    for year in available_years():
        load_catalog(year)
    load_rules()
    for role in ("serif", "sans"):
        _cmap(find_font(role))
    profile = _profile(options, options.profile or DEFAULT_PROFILE)
    if options.check_only:
        return
    import yujuesuan.compose
    import yujuesuan.render.charts
    import yujuesuan.render.docx
    import yujuesuan.render.html  # noqa: F401

    if "pdf" in options.formats:
        _import_weasyprint()
    # Compile the templates the outline names (and the page template) now, in the environments kept per thread.
    sections = [str(item["section"]) for item in profile.config.get("outline") or () if isinstance(item, dict)
                and "section" in item]  # fmt: skip
    for autoescape, names in ((False, sections), (True, ["document.html.j2"])):
        env = profile.env(autoescape=autoescape)
        for template in names:
            try:
                env.get_template(template)
            except Exception:  # a broken district template fails in its own unit, with its message
                pass


def _import_weasyprint() -> None:
    """Import WeasyPrint the way render/pdf.py does (without its library probing subprocesses)."""
    from yujuesuan.render.pdf import _weasyprint

    _weasyprint()


# --- the adapter's body: today's pipeline, in memory ------------------------------------------


def _build(data: bytes, name: str, options: UnitOptions) -> UnitResult:
    """The library API (yujuesuan.check / render) on one unit, with this process's cached profile."""
    from yujuesuan.api import NotPublishable, check_choosing, render
    from yujuesuan.kinds import kind_of
    from yujuesuan.output.sets import stem, unit_folder

    def get(chosen: str) -> Any:
        profile = _profile(options, chosen)
        _forget_sources(profile)
        return profile

    checked = check_choosing(data, name, options.profile, get, charts=not options.check_only)
    errors = tuple(f.format() for f in checked.errors)
    holes = tuple(f.format() for f in checked.placeholders)
    warnings = tuple(f.format() for f in checked.warnings if f not in checked.placeholders)
    figures = checked.figures
    unit = f"{figures.model.name} {figures.model.year}" if figures is not None else ""
    if figures is None or checked.document is None:
        return UnitResult(name, STATUS_ERRORS, errors or ("无法读取",), warnings, unit=unit)
    if options.check_only:  # as `check` reports: errors fail, placeholders are listed as warnings
        return UnitResult(name, STATUS_ERRORS if errors else STATUS_OK, errors, (*holes, *warnings), unit=unit)
    if not options.draft and not checked.publishable:  # as `build`: errors or placeholders stop a final build
        return UnitResult(name, STATUS_ERRORS, (*errors, *holes), warnings, unit=unit)
    try:
        made = render(checked, options.formats, draft=options.draft)
    except NotPublishable as refused:
        return UnitResult(name, STATUS_ERRORS, tuple(f.format() for f in refused.findings), warnings, unit=unit)
    model = figures.model
    overlay = Path(options.templates.label) if options.templates is not None else None
    folder = unit_folder(Path(), model.name, model.year).name
    file_stem = stem(model.name, model.year, checked.profile.name, overlay, kind_of(checked.profile).file_title)
    outputs = {str(PurePosixPath(folder, f"{file_stem}.{ext}")): made[ext] for ext in FORMATS if ext in made}
    more = [_relabel(m, options) for m in _glyph_warnings(checked, options.formats)]
    status = STATUS_ERRORS if errors else STATUS_OK
    return UnitResult(name, status, errors, (*warnings, *holes, *more), outputs, unit=unit, draft=options.draft)


def _glyph_warnings(checked: Any, formats: tuple[str, ...]) -> list[str]:
    from yujuesuan.api import glyph_warnings

    return list(glyph_warnings(checked.document, formats))


# --- per-process caches -----------------------------------------------------------------------

_profiles: dict[tuple[str, str], Any] = {}
_overlays: dict[str, str] = {}  # TemplateSet digest → where this process wrote it
_lock = threading.Lock()


def _relabel(message: str, options: UnitOptions) -> str:
    """A message about a district template names the user's folder, not this process's copy of it."""
    if options.templates is None:
        return message
    copy = _overlays.get(options.templates.digest)
    return message.replace(copy, options.templates.label) if copy else message


def _profile(options: UnitOptions, name: str) -> Any:
    """The profile ``name`` (with the district folder laid over it), loaded once per process and kept."""
    key = (name, options.templates.digest if options.templates else "")
    with _lock:
        profile = _profiles.get(key)
        if profile is None:
            profile = _load_profile(options, name)
            _profiles[key] = profile
    return profile


def _load_profile(options: UnitOptions, name: str) -> Any:
    from yujuesuan.profiles import load_profile

    overlay = None
    if options.templates is not None:
        overlay = _materialize(options.templates)
        _overlays[options.templates.digest] = str(overlay.resolve())
    profile = load_profile(name, overlay)
    _keep_environments(profile)
    return profile


def _keep_environments(profile: Any) -> None:
    """Give the profile one Sandbox per thread and autoescape, so its templates compile once, not once per unit.

    Jinja caches compiled templates in the environment; Profile.env makes a
    new environment on every call. compose sets per-unit helpers on the
    environment's globals, so environments are not shared between threads
    (a Dask worker may run several units at once).
    """
    make = profile.env
    local = threading.local()

    def env(autoescape: bool) -> Any:
        cache = getattr(local, "envs", None)
        if cache is None:
            cache = local.envs = {}
        if autoescape not in cache:
            cache[autoescape] = make(autoescape=autoescape)
        return cache[autoescape]

    profile.env = env
    profile.batch_environments = local


def _forget_sources(profile: Any) -> None:
    """Drop the last unit's profile.yaml template texts (kept for error messages only) from the kept environments."""
    local = getattr(profile, "batch_environments", None)
    for env in (getattr(local, "envs", None) or {}).values():
        env.sources.clear()


def _materialize(templates: TemplateSet) -> Path:
    """Write a district folder's files under a private temporary folder of this process (removed at exit)."""
    root = Path(tempfile.mkdtemp(prefix="yujuesuan-templates-"))
    _cleanup.append(root)
    folder = root / "templates"
    folder.mkdir()
    for rel, data in templates.files:
        target = folder.joinpath(*PurePosixPath(rel).parts)
        if not target.resolve().is_relative_to(folder.resolve()):
            continue  # collect_templates never makes such a name; a hand-made one is dropped
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder


_cleanup: list[Path] = []


def _remove_materialized() -> None:
    for root in _cleanup:
        shutil.rmtree(root, ignore_errors=True)


def _with_elapsed(result: UnitResult, seconds: float) -> UnitResult:
    from dataclasses import replace

    return replace(result, elapsed=seconds)


def collect_templates(folder: Path, limit: int = 50 * 1024 * 1024) -> TemplateSet:
    """A district template folder as bytes: regular files only, symlinks that leave the folder refused."""
    from yujuesuan.errors import UsageError

    if not folder.is_dir():
        raise UsageError(f"模板文件夹不存在：{folder}")
    base = folder.resolve()
    files: list[tuple[str, bytes]] = []
    total = 0
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        real = path.resolve()
        if not real.is_relative_to(base):
            raise UsageError(f"模板文件 {path} 指向模板文件夹之外，不会读取。")
        data = real.read_bytes()
        total += len(data)
        if total > limit:
            raise UsageError(f"模板文件夹 {folder} 过大（超过 {limit // (1024 * 1024)} MB）。")
        files.append((path.relative_to(folder).as_posix(), data))
    return TemplateSet(str(base), tuple(files))  # absolute: output names hash the folder's real path


atexit.register(_remove_materialized)


def builtin_folders(profile: str | None) -> list[Path]:
    """The built-in folders of ``profile`` (its extends chain); UsageError when there is no such profile.

    ``None`` (each unit's own 单位.模板): every built-in profile's folder.
    """
    from yujuesuan.profiles import available_profiles, load_profile
    from yujuesuan.resources import templates_root

    if profile is None:
        return [templates_root() / name for name in available_profiles()]
    return list(load_profile(profile).folders)
