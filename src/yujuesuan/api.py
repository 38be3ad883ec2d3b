"""The library API: input bytes → Checked (findings, figures, document) → output bytes. No file is written.

    import yujuesuan
    checked = yujuesuan.check(data, name="青山区融媒体中心.yaml", profile="national-2024")
    files = yujuesuan.render(checked, ("docx", "pdf"))   # {"docx": b"…", "pdf": b"…"}

``check`` reads nothing but the profile folders (the built-in templates and a
district's ``templates`` folder); ``render`` reads nothing at all beyond them.
The policy the CLI used to hold lives here: a document with errors or
placeholders (placeholders.py) renders only as a draft, marked 草稿 on every
page. Template time and memory limits (limits.py) hold in any thread and in
worker processes, so a batch runner or a web server may call both freely.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, replace
from os import PathLike
from pathlib import Path

from yujuesuan.compose import compose
from yujuesuan.compose.document import Document
from yujuesuan.compose.placeholders import data_marks, in_data, in_document, is_placeholder
from yujuesuan.derive import Figures
from yujuesuan.errors import Finding, InputError, Location, Severity, UsageError, YujuesuanError
from yujuesuan.input.load import Node, Scalar, load_bytes
from yujuesuan.kinds import Needs, get_kind, kind_of
from yujuesuan.kinds.detect import data_kind
from yujuesuan.kinds.juesuan.model import Model
from yujuesuan.kinds.juesuan.validate import stated_profile
from yujuesuan.pipeline import Checked as Run
from yujuesuan.pipeline import check_nodes
from yujuesuan.profiles import Profile, available_profiles, load_profile
from yujuesuan.render.fonts import missing_chars
from yujuesuan.render.pdf_process import PdfStarter, in_this_process

FORMATS = ("docx", "pdf", "html", "xlsx")
DEFAULT_PROFILE = "wuhan"


@dataclass(frozen=True)
class Checked:
    """What ``check`` found: every finding, and the figures and document when the file could be read.

    Immutable: findings are a tuple of frozen Findings; render() never changes
    ``figures`` or ``document`` (treat them as read-only values too).
    """

    name: str
    profile: Profile
    findings: tuple[Finding, ...]
    model: Model | None = None
    figures: Figures | None = None
    document: Document | None = None
    charts: bool = True  # False: composed without drawing the charts (a check only); render() refuses it

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def placeholders(self) -> tuple[Finding, ...]:
        """The places the document is unfinished (【待更新】, 【缺少…】, （单位名称）, an empty required text)."""
        return tuple(f for f in self.findings if is_placeholder(f))

    @property
    def publishable(self) -> bool:
        """Whether render() makes a final (not draft) document: readable, no errors, no placeholders."""
        return self.document is not None and not self.errors and not self.placeholders


class NotPublishable(YujuesuanError):
    """render() without draft=True on a Checked with errors or placeholders; ``findings`` lists them."""

    exit_code = 1


def check(
    source: bytes | str,
    *,
    name: str,
    profile: str | None = None,
    templates: str | PathLike[str] | None = None,
    charts: bool = True,
) -> Checked:
    """Check one unit's data (YAML as bytes or text) for a profile, and compose its document.

    ``name`` is what findings call the input (``name:line:column``); nothing is
    read from it. ``profile`` names a built-in profile; without it the one the
    file states (``单位.模板``) is used, else the default profile of the kind its
    blocks show (kinds/detect.py: a 部门预算 file builds as one), else wuhan. ``templates`` is a district
    folder laid over it. A profile the caller names that cannot be loaded
    raises UsageError; one the file names that does not exist is a located
    finding, as is everything else wrong with the data. ``charts=False`` leaves the charts undrawn
    (matplotlib is not even imported): enough for the findings, not for render().
    """
    overlay = Path(templates) if templates is not None else None
    return check_choosing(source, name, profile, lambda chosen: load_profile(chosen, overlay), charts=charts)


def check_choosing(
    source: bytes | str, name: str, profile: str | None, get: Callable[[str], Profile], *, charts: bool = True
) -> Checked:
    """``check`` with ``get(profile name) → Profile`` (a batch worker keeps one per name).

    The profile is ``profile`` when given (the command line's ``--profile``),
    else the file's ``单位.模板``, else the default profile of the kind the file's
    blocks show (a 部门预算 file: wuhan-yusuan), else wuhan.
    """
    try:
        root, notes, text = load_bytes(source, name)
    except InputError as exc:
        return Checked(name, get(profile or DEFAULT_PROFILE), tuple(exc.findings))
    stated = stated_profile(root) if profile is None else None
    if stated is not None and stated.text.strip() not in available_profiles():
        return Checked(name, get(DEFAULT_PROFILE), (*notes, _unknown_profile(stated)))
    chosen = profile or (stated.text.strip() if stated is not None else _default_for(root))
    return _check_loaded(get(chosen), root, notes, text, name, charts)


def _default_for(root: Node) -> str:
    """The built-in profile for a file that names none: its kind's (kinds/detect.py), else wuhan."""
    kind = data_kind(root)
    return get_kind(kind).default_profile if kind is not None else DEFAULT_PROFILE


def check_with(prof: Profile, source: bytes | str, name: str, *, charts: bool = True) -> Checked:
    """``check`` with a profile already loaded (whatever the file's ``单位.模板`` says).

    ``charts=False`` composes the text only (a check that will not be rendered: the
    placeholders are found all the same, without drawing a chart).
    """
    try:
        root, notes, text = load_bytes(source, name)
    except InputError as exc:
        return Checked(name, prof, tuple(exc.findings))
    return _check_loaded(prof, root, notes, text, name, charts)


def _check_loaded(prof: Profile, root: Node, notes: list[Finding], text: str, name: str, charts: bool) -> Checked:
    run = check_nodes(Run(Path(name)), root, notes, text, Needs.of_profile(prof), kind_of(prof))
    findings = list(run.findings)
    findings.extend(in_data(root, findings, text))
    document = None
    if run.figures is not None:
        try:
            document = compose(run.figures, prof, charts=charts)
        except YujuesuanError:
            raise  # a template's own error: UsageError naming the template and line
        except Exception as exc:  # a composing bug must not cost the user the data findings above
            findings.append(_compose_failed(name, exc))
        else:
            findings.extend(in_document(document, data_marks(root), prof.folders, name))
    return Checked(name, prof, tuple(findings), run.model, run.figures, document, charts)


def _unknown_profile(node: Scalar) -> Finding:
    choices = available_profiles()
    close = difflib.get_close_matches(node.text.strip(), choices, n=1)
    hint = f"是不是“{close[0]}”？" if close else ""
    message = (
        f"没有名为“{node.text.strip()}”的内置模板。{hint}可用的模板：{'、'.join(choices)}"
        "（不写“模板”则用 wuhan；命令行的 --profile 优先于它）。"
    )
    return Finding("profile", Severity.ERROR, message, node.loc, "单位.模板")


def render(
    checked: Checked,
    formats: tuple[str, ...] | list[str] | str = ("docx", "pdf"),
    *,
    draft: bool = False,
    pdf: PdfStarter | None = None,
) -> dict[str, bytes]:
    """The document in each of ``formats`` (docx, pdf, html, xlsx), as bytes keyed by format.

    Raises NotPublishable listing the errors and placeholders unless ``draft``
    is true; a draft carries the 草稿 mark on every page. A file that could not
    be read at all raises NotPublishable with its errors, draft or not.
    ``pdf`` says where the PDF is laid out (render/pdf_process.py): here by
    default; a ``PdfProcess`` lays it out in a second process while the DOCX
    is rendered here. The bytes are the same either way.
    """
    if isinstance(formats, str):  # "docx,pdf" or "pdf", as a caller may well write it
        formats = formats.split(",")
    wanted = tuple(dict.fromkeys(str(f).strip().lower() for f in formats if str(f).strip()))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise UsageError(f"不支持的格式：{'、'.join(unknown) or '（空）'}。可用：{'、'.join(FORMATS)}。")
    if not checked.charts:  # a caption would stand where each chart belongs
        raise UsageError("这次检查没有画图（charts=False），不能据此生成文档；请用 charts=True 重新检查。")
    if "xlsx" in wanted and not kind_of(checked.profile).workbook:
        kind = kind_of(checked.profile)
        raise UsageError(f"{kind.title}暂不支持导出 Excel 工作簿（xlsx）；可用的格式：docx、pdf、html。")
    if checked.document is None or checked.figures is None:
        raise NotPublishable(list(checked.errors) or [_unreadable(checked.name)])
    if not draft and not checked.publishable:
        raise NotPublishable([*checked.errors, *checked.placeholders])
    doc = replace(checked.document, blocks=list(checked.document.blocks), draft=draft)
    return render_document(doc, checked.figures, checked.profile, wanted, pdf or in_this_process)


def render_document(
    doc: Document, figures: Figures, profile: Profile, formats: tuple[str, ...], pdf: PdfStarter = in_this_process
) -> dict[str, bytes]:
    """Each format from the one composed Document (no policy here; render() holds it).

    The PDF is started first (``pdf`` may lay it out in another process) and
    collected last, so the DOCX and the workbook are made meanwhile.
    """
    from yujuesuan.render.html import render_html

    outputs: dict[str, bytes] = {}
    pending = None
    if "html" in formats or "pdf" in formats:
        html = render_html(doc, profile.env(autoescape=True))
        if "html" in formats:
            outputs["html"] = html.encode("utf-8")
        if "pdf" in formats:
            pending = pdf(html, profile.folders)
    if "docx" in formats:
        from yujuesuan.render.docx import render_docx  # python-docx loads after the PDF has started

        outputs["docx"] = render_docx(doc, profile.find("reference.docx"))
    if "xlsx" in formats:
        from yujuesuan.workflows.xlsx import export_workbook  # openpyxl loads only when a workbook is asked for

        outputs["xlsx"] = export_workbook(figures, profile, document=doc)
    if pending is not None:
        outputs["pdf"] = pending()
    return {ext: outputs[ext] for ext in FORMATS if ext in outputs}


def glyph_warnings(doc: Document, formats: tuple[str, ...]) -> list[str]:
    """Characters of the document (template text too) that no bundled font draws, when a PDF or HTML is made."""
    if "pdf" not in formats and "html" not in formats:
        return []
    text = doc.text()
    missing = set(missing_chars(text, "serif")) & set(missing_chars(text, "sans"))
    if not missing:
        return []
    chars = "".join(sorted(missing))
    return [f"文档中的字符“{chars}”不在内置中文字体中，PDF 中可能显示为方框（除非本机字体含有）。"]


def _compose_failed(name: str, exc: Exception) -> Finding:
    return Finding(
        "compose",
        Severity.ERROR,
        f"数据检查已完成，但按模板排版文档时出错（{type(exc).__name__}: {exc}），不能生成文档。"
        "这是程序的问题，请把数据文件和这条消息报告给维护者。",
        Location(name),
    )


def _unreadable(name: str) -> Finding:
    return Finding("file", Severity.ERROR, "数据文件无法读取，不能生成文档。", Location(name))
