"""Turn the HTML of a Document into PDF bytes with WeasyPrint, safely and reproducibly.

Safely: WeasyPrint's default fetcher reads any file:// URL, requests any
http(s) URL and embeds <a rel=attachment> targets, so templates (district
data) could publish /etc/passwd. Ours serves data: URLs and files inside the
allowed folders, and nothing else. Links are resolved against the template
folder, so ``<a href="x.html">`` would become a file:///… link naming a local
path: after layout only http(s), mailto and internal (#) links are kept, and no
attachment is embedded (``_public_links``).
Reproducibly and fast: the CJK fonts arrive as @font-face rules holding
subsets cut to the document's characters (fonts.py), which WeasyPrint only
trims to the glyphs drawn instead of subsetting them again; no dates are
written. WeasyPrint is imported on first use (half a second or more), so a
DOCX-only build never pays for it.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import html as htmllib
import mimetypes
import os
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from yujuesuan.render.fonts import find_font, is_subset, subset_font, trim_subset

from ..errors import UsageError

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

MAX_FILE_BYTES = 20 * 1024 * 1024


_IMPORT_LOCK = threading.Lock()


@functools.cache
def _weasyprint() -> Any:
    """Import WeasyPrint once, quietly, and have it trim our font subsets rather than subset them again."""
    with _IMPORT_LOCK:
        with warnings.catch_warnings():
            # WeasyPrint 70 warns at import when libharfbuzz-subset is missing. It
            # only matters when WeasyPrint subsets fonts itself, and ours arrive
            # subset already (see _keep_our_subsets).
            warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
            weasyprint = _import_without_probing()
        _keep_our_subsets()
    return weasyprint


def _import_without_probing() -> Any:
    """Import WeasyPrint without its library probing subprocesses (0.5-0.8 s of every process).

    WeasyPrint tries several names per native library; cffi hands each name that
    does not load directly to ctypes.util.find_library, which runs ldconfig and gcc:
    about 27 subprocesses. Every list also holds the Linux file name
    (libpango-1.0.so.0, …), which loads directly, so on Linux the probe is switched
    off during this one import; if a library then cannot be found, the import is
    tried again the usual way.
    """
    if sys.platform.startswith("linux") and "weasyprint" not in sys.modules:
        import ctypes.util

        original = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            import weasyprint.text.fonts
            import weasyprint.urls

            return sys.modules["weasyprint"]
        except OSError:
            for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
                del sys.modules[name]  # a half-made import: try again below with the probe
        finally:
            ctypes.util.find_library = original
    import weasyprint
    import weasyprint.text.fonts
    import weasyprint.urls

    return weasyprint


def _keep_our_subsets() -> None:
    """Have WeasyPrint trim the fonts that fonts.subset_font made instead of subsetting them again.

    WeasyPrint cuts every embedded font down to the glyphs drawn. Ours hold
    only the document's characters already, and without libharfbuzz-subset
    WeasyPrint cuts them again with fontTools' full Subsetter: 1–1.5 s of a
    build. fonts.trim_subset gives the same result (unused outlines emptied,
    glyph ids kept) in milliseconds, keeping the hints of the glyphs drawn.
    Any other font (a system fallback) is still subset by WeasyPrint.
    """
    try:
        from weasyprint.pdf.fonts import Font
    except ImportError:  # another WeasyPrint layout: keep its default
        return
    original = getattr(Font, "subset", None)
    if original is None or getattr(original, "trims_yujuesuan_subsets", False):
        return

    @functools.wraps(original)
    def subset(self: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        if to_unicode and is_subset(self.file_content):
            self.file_content = trim_subset(self.file_content, to_unicode)
            return
        original(self, to_unicode, hinting)

    subset.__dict__["trims_yujuesuan_subsets"] = True  # the mark read above: patch once per process
    Font.subset = subset


class RefusedURL(ValueError):
    """A URL outside what a template may reach."""


def __getattr__(name: str) -> Any:
    # SafeURLFetcher subclasses WeasyPrint's URLFetcher: made on first use, like the import.
    if name == "SafeURLFetcher":
        return _safe_url_fetcher()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _safe_url_fetcher() -> type[URLFetcher]:
    urls = _weasyprint().urls
    from weasyprint.urls import URLFetcher as Base  # imported just now, without the library probe

    class SafeURLFetcher(Base):
        """Fetch data: URLs and files inside ``allowed_dirs`` (symlinks resolved); refuse the rest."""

        def __init__(self, allowed_dirs: list[Path], fail_on_errors: bool = True) -> None:
            super().__init__(
                timeout=1,
                allowed_protocols=("data",),
                allow_redirects=False,
                fail_on_errors=fail_on_errors,
            )
            self.roots = [Path(d).resolve() for d in allowed_dirs]
            self.refused: list[str] = []

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            scheme = url.split(":", 1)[0].lower()
            try:
                if scheme == "data":
                    return super().fetch(url, headers)
                if scheme == "file":
                    path = self.allowed_path(url)
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return urls.URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
                raise RefusedURL(f"只允许 data: 地址和模板目录内的文件：{url}")
            except RefusedURL:
                self.refused.append(url)
                raise

        def allowed_path(self, url: str) -> Path:
            """Return the real path of a file:// URL, or raise RefusedURL when it leaves the roots."""
            parts = urlsplit(url)
            if parts.netloc not in ("", "localhost"):  # urllib would try FTP for file://host/
                raise RefusedURL(f"不允许访问其他主机上的文件：{url}")
            raw = url2pathname(unquote(parts.path))
            if "\x00" in raw:
                raise RefusedURL(f"文件地址无效：{url!r}")
            try:
                path = Path(raw).resolve(strict=True)
            except (OSError, RuntimeError) as error:
                raise RefusedURL(f"文件不存在：{url}") from error
            if not any(path.is_relative_to(root) for root in self.roots):
                raise RefusedURL(f"文件不在模板目录内：{url}")
            if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
                raise RefusedURL(f"不是可用的文件：{url}")
            return path

    SafeURLFetcher.__module__ = __name__
    return SafeURLFetcher


def font_face_css(html: str) -> str:
    """Return @font-face rules embedding "YJ Serif"/"YJ Sans" subset to the characters of ``html``.

    Every character of the markup counts (text, attributes, the stylesheet's
    content: strings), so nothing the page shows can miss a glyph; the tags
    only add ASCII, which the subsets hold anyway.
    """
    chars = set(htmllib.unescape(html))
    serif = _data_url(subset_font(find_font("serif"), chars))
    sans = _data_url(subset_font(find_font("sans"), chars))
    return (
        f'@font-face {{ font-family: "YJ Serif"; src: url({serif}); }}\n'
        f'@font-face {{ font-family: "YJ Sans"; src: url({sans}); }}\n'
    )


def _data_url(font: bytes) -> str:
    return "data:font/otf;base64," + base64.b64encode(font).decode("ascii")


def render_pdf(html: str, allowed_dirs: list[Path], fonts_css: str | None = None, *, strict: bool = True) -> bytes:
    """Render ``html`` to PDF; files may come only from ``allowed_dirs``.

    With ``strict`` (the default) a refused URL stops the build with a
    UsageError; otherwise the resource is left out and WeasyPrint logs it.
    """
    weasyprint = _weasyprint()
    fetcher = _safe_url_fetcher()(allowed_dirs, fail_on_errors=strict)
    font_config = weasyprint.text.fonts.FontConfiguration()
    base_url = Path(allowed_dirs[0]).resolve().as_uri() + "/" if allowed_dirs else None
    try:
        css = weasyprint.CSS(
            string=fonts_css if fonts_css is not None else font_face_css(html),
            font_config=font_config,
            url_fetcher=fetcher,
        )
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            stylesheets=[css], font_config=font_config, presentational_hints=False
        )
        _refuse_attachments(document, fetcher, strict)
        _public_links(document)
        with _fixed_font_timestamps():
            # No pdf_identifier, no <meta> dates in the HTML, a pinned font
            # clock: the same HTML gives the same bytes. (Not full_fonts to
            # skip re-subsetting our subsets: it would also embed any system
            # fallback font whole, 20 MB for a CJK .ttc; see _keep_our_subsets.)
            pdf: bytes = document.write_pdf(pdf_identifier=False)
            return pdf
    except weasyprint.urls.FatalURLFetchingError as error:  # a BaseException: turn it into a user error
        refused = "、".join(fetcher.refused) or str(error)
        raise UsageError(f"模板引用了不允许的地址：{refused}。只允许 data: 地址和模板目录内的文件。") from None
    finally:
        _remove_font_folder(font_config)


def _remove_font_folder(font_config: Any) -> None:
    """Remove the weasyprint-* folder the FontConfiguration wrote our @font-face fonts into.

    WeasyPrint removes it in FontConfiguration.__del__, which does not run for an
    object still referenced when the interpreter exits (a single build left one
    folder in /tmp per run). The PDF is written by now; __del__ does the same.
    """
    folder = getattr(font_config, "_folder", None)  # WeasyPrint's own attribute (a Path, or None)
    if folder:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        font_config._folder = None


PUBLIC_SCHEMES = ("http", "https", "mailto")


def _refuse_attachments(document: Any, fetcher: Any, strict: bool) -> None:
    """A template's ``rel=attachment`` stops a strict build: a published PDF embeds no file.

    Each attachment is opened through the safe fetcher first, so that one outside the
    template folder is named as a refused address, as any other fetch would be.
    """
    attachments = list(document.metadata.attachments)
    links = [link[1] for page in document.pages for link in page.links if link[0] == "attachment"]
    if not strict or not (attachments or links):
        return
    for attachment in attachments:
        try:
            with attachment.source:
                pass
        except BaseException:  # the fetcher's refusal (FatalURLFetchingError is a BaseException)
            pass
    for url in map(str, links):
        try:
            fetcher.allowed_path(url)
        except RefusedURL:
            fetcher.refused.append(url)
    if fetcher.refused:
        raise UsageError(f"模板引用了不允许的地址：{'、'.join(fetcher.refused)}。只允许 data: 地址和模板目录内的文件。")
    raise UsageError("模板中有附件（rel=\"attachment\"）：公开的 PDF 不嵌入文件，请删去。")


def is_public_url(url: str) -> bool:
    """A link target a published file may hold: http(s) or mailto, never file:, data: or a relative path."""
    return urlsplit(url.strip()).scheme.lower() in PUBLIC_SCHEMES


def _public_links(document: Any) -> None:
    """Keep internal and public links only; drop attachments and metadata naming a local file.

    WeasyPrint resolves every href against the base URL (the template folder),
    so a relative link would publish a file:/// path; ``rel=attachment`` would
    embed a file and its URL.
    """
    for page in document.pages:
        page.links = [
            link
            for link in page.links
            if link[0] == "internal" or (link[0] == "external" and is_public_url(str(link[1])))
        ]
    metadata = document.metadata
    metadata.attachments = []
    metadata.xmp_metadata = []  # templates do not write XMP; nothing unseen goes out
    metadata.custom = {k: v for k, v in (metadata.custom or {}).items() if "file:" not in f"{k}{v}".lower()}
    for name in ("title", "description", "generator", "created", "modified", "lang"):
        value = getattr(metadata, name, None)
        if isinstance(value, str) and "file:" in value.lower():
            setattr(metadata, name, None)
    for name in ("authors", "keywords"):
        values = getattr(metadata, name, None)
        if isinstance(values, list):
            setattr(metadata, name, [v for v in values if "file:" not in str(v).lower()])


@contextlib.contextmanager
def _fixed_font_timestamps() -> Iterator[None]:
    """Pin fontTools' clock while WeasyPrint subsets the fonts it embeds.

    Without HarfBuzz-Subset, WeasyPrint subsets with fontTools, which stamps
    head.modified with the current time unless SOURCE_DATE_EPOCH is set. Our
    own subsets are embedded as made, but a system fallback font (say, for a
    ☑ that the CJK fonts lack) is still subset by WeasyPrint.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = "946684800"  # 2000-01-01
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
