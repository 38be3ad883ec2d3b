"""One unit, bytes in and bytes out: the only place the batch code touches the pipeline (swap for the library API).

``build_unit(data, name, options)`` checks one unit's YAML bytes and renders
its documents in memory; nothing is read but the profile folders and nothing
is written. Everything else in yujuesuan.batch depends on this module alone,
so that when ``yujuesuan.check``/``yujuesuan.render`` land, only the bodies of
``_check`` and ``_render`` change.

Per process (a pool worker or a Dask worker) it keeps the loaded profile and
its compiled Jinja templates, so a unit in a batch does not pay for them again.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import sys
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

    profile: str = "wuhan"
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
    from yujuesuan.fonts import _cmap, find_font  # the cmap is read on every check (glyph warnings)
    from yujuesuan.rules.engine import load_rules

    for year in available_years():
        load_catalog(year)
    load_rules()
    for role in ("serif", "sans"):
        _cmap(find_font(role))  # type: ignore[arg-type]
    profile = _profile(options)
    if options.check_only:
        return
    import yujuesuan.charts
    import yujuesuan.compose
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
    """Import WeasyPrint (render/pdf.py's way) without its library probing subprocesses.

    WeasyPrint tries several names per native library; cffi hands each name
    that does not load directly to ctypes.util.find_library, which runs
    ldconfig and gcc: ~27 subprocesses, 0.5-0.8 s. Every list also holds
    the Linux file name (libpango-1.0.so.0, …), which loads directly, so on
    Linux the probe is skipped during this one import; if a library can then
    not be found, the import is simply tried again the usual way.
    """
    import ctypes.util

    from yujuesuan.render.pdf import _weasyprint

    if sys.platform.startswith("linux"):
        original = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            _weasyprint()
            return
        except OSError:
            pass
        finally:
            ctypes.util.find_library = original
    _weasyprint()


# --- the adapter's body: today's pipeline, in memory ------------------------------------------


def _build(data: bytes, name: str, options: UnitOptions) -> UnitResult:
    from yujuesuan.errors import Severity

    profile = _profile(options)
    _forget_sources(profile)
    checked = _check(data, name, profile)
    errors = tuple(f.format() for f in checked.findings if f.severity is Severity.ERROR)
    warnings = [f.format() for f in checked.findings if f.severity is Severity.WARNING]
    figures = checked.figures
    unit = f"{figures.model.name} {figures.model.year}" if figures is not None else ""
    if figures is None or (errors and (options.check_only or not options.draft)):
        return UnitResult(name, STATUS_ERRORS, errors or ("无法读取",), tuple(warnings), unit=unit)
    if options.check_only:
        return UnitResult(name, STATUS_OK, (), tuple(warnings), unit=unit)
    draft = options.draft or bool(errors)
    outputs, more = _render(figures, profile, options.formats, draft)
    more = [_relabel(m, options) for m in more]
    status = STATUS_ERRORS if errors else STATUS_OK
    return UnitResult(name, status, errors, (*warnings, *more), outputs, unit=unit, draft=draft)


def _check(data: bytes, name: str, profile: Any) -> Any:
    """pipeline.check on bytes: the same stages, reading no file (``name`` locates the findings)."""
    from yujuesuan.derive import derive
    from yujuesuan.derive.sichuan import extend
    from yujuesuan.errors import Finding, Findings, InputError, Location, Severity
    from yujuesuan.glyphs import check_glyphs
    from yujuesuan.load import MAX_BYTES, decode, parse_text
    from yujuesuan.pipeline import Checked, catalog_for
    from yujuesuan.rules import run_rules
    from yujuesuan.sanity import check_codes, check_units
    from yujuesuan.validate import read_model

    result = Checked(Path(name))
    if len(data) > MAX_BYTES:
        message = f"文件过大（{len(data)} 字节，上限 {MAX_BYTES} 字节），不像是一个单位的决算数据。"
        result.findings = [Finding("yaml-size", Severity.ERROR, message, Location(name))]
        return result
    findings = Findings()
    try:
        text, notes = decode(data, name)
        root = parse_text(text, name)
    except InputError as exc:
        result.findings = exc.findings
        return result
    findings.items.extend(notes)
    check_glyphs(text, name, findings)
    model = read_model(root, name, findings)
    result.model = model
    if not model.year:
        result.findings = findings.items
        return result
    catalog = catalog_for(model, profile.layout_year)
    check_codes(model, catalog, findings)
    if findings.errors:
        result.findings = findings.items
        return result
    figures = derive(model, catalog, findings)
    extend(figures, profile.config.get("requires") or (), findings)
    check_units(figures, findings)
    run_rules(figures, findings)
    result.figures = figures
    result.findings = sorted(findings.items, key=lambda f: (f.location.line, f.location.column))
    return result


def _render(figures: Any, profile: Any, formats: tuple[str, ...], draft: bool) -> tuple[dict[str, bytes], list[str]]:
    """build.build_document without the writing: {relative path: bytes}, and warnings."""
    from yujuesuan.compose import compose
    from yujuesuan.fonts import missing_chars
    from yujuesuan.write import safe_filename

    doc = compose(figures, profile, draft)
    warnings: list[str] = []
    missing = set(missing_chars(doc.text(), "serif")) & set(missing_chars(doc.text(), "sans"))
    if missing and ("pdf" in formats or "html" in formats):
        chars = "".join(sorted(missing))
        warnings.append(f"文档中的字符“{chars}”不在内置中文字体中，PDF 中可能显示为方框（除非本机字体含有）。")
    folder = safe_filename(f"{figures.model.name}-{figures.model.year}")
    stem = safe_filename(f"{figures.model.name}{figures.model.year}年度部门决算")
    made: dict[str, bytes] = {}
    if "docx" in formats:
        from yujuesuan.render.docx import render_docx

        made["docx"] = render_docx(doc, profile.find("reference.docx"))
    if "html" in formats or "pdf" in formats:
        from yujuesuan.render.html import render_html

        html = render_html(doc, profile.env(autoescape=True))
        if "html" in formats:
            made["html"] = html.encode("utf-8")
        if "pdf" in formats:
            from yujuesuan.render.pdf import render_pdf

            made["pdf"] = render_pdf(html, profile.folders)
    if "xlsx" in formats:
        from yujuesuan.xlsx import export_workbook

        made["xlsx"] = export_workbook(figures, profile)
    outputs = {str(PurePosixPath(folder, f"{stem}.{ext}")): made[ext] for ext in FORMATS if ext in made}
    return outputs, warnings


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


def _profile(options: UnitOptions) -> Any:
    """The profile (with the district folder laid over it), loaded once per process and kept."""
    key = (options.profile, options.templates.digest if options.templates else "")
    with _lock:
        profile = _profiles.get(key)
        if profile is None:
            profile = _load_profile(options)
            _profiles[key] = profile
    return profile


def _load_profile(options: UnitOptions) -> Any:
    from yujuesuan.profiles import load_profile

    overlay = None
    if options.templates is not None:
        overlay = _materialize(options.templates)
        _overlays[options.templates.digest] = str(overlay.resolve())
    profile = load_profile(options.profile, overlay)
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
    return TemplateSet(str(folder), tuple(files))


atexit.register(_remove_materialized)


def builtin_folders(profile: str) -> list[Path]:
    """The built-in folders of ``profile`` (its extends chain); UsageError when there is no such profile."""
    from yujuesuan.profiles import load_profile

    return list(load_profile(profile).folders)
