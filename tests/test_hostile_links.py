"""No local path or file: URI in a published PDF or DOCX (issue 13 item 3): links, metadata, attachments.

Every built-in profile and a hostile district overlay (relative and file: links, an attachment,
a local image, <meta> values, a reference.docx with a file: hyperlink and an attachedTemplate) are
built, and the outputs are searched: the raw bytes, and with pypdf / zipfile the decompressed
link targets, metadata and embedded files.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from pypdf import PdfReader

from yujuesuan.errors import UsageError
from yujuesuan.output.build import build_document
from yujuesuan.pipeline import check
from yujuesuan.profiles import load_profile

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = {
    "wuhan": ROOT / "sample_data" / "qingshan-2023.yaml",
    "national-2024": ROOT / "sample_data" / "qingshan-2023.yaml",
    "sichuan": ROOT / "sample_data" / "panzhihua-dongqu-2023.yaml",
}
HOSTILE_BODY = (
    '<p><a href="x.html">相对链接</a> <a href="file:///etc/passwd">文件</a> <a href="">空</a>'
    ' <a href="data:text/plain,hi">data</a> <a href="javascript:alert(1)">js</a>'
    ' <a href="https://example.org/公开">公开网址</a> <a href="mailto:a@example.org">邮件</a>'
    ' <a href="#图1">图1</a> <img src="logo.png" alt="徽标"></p>\n'
)
HOSTILE_HEAD = (
    '<meta name="author" content="file:///home/user/作者">\n'
    '<meta name="description" content="file:///C:/Users/x/desc">\n'
    '<meta name="keywords" content="file:///k, 决算">\n'
)
ATTACHED_TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8ffff3f0005fe02fea7d6a4cf0000000049454e44ae426082"
)


def _overlay(folder: Path) -> Path:
    folder.mkdir()
    html = (ROOT / "templates" / "wuhan" / "document.html.j2").read_text(encoding="utf-8")
    html = html.replace("<meta charset=\"utf-8\">\n", "<meta charset=\"utf-8\">\n" + HOSTILE_HEAD, 1)
    html = html.replace("<body>\n", "<body>\n" + HOSTILE_BODY, 1)
    (folder / "document.html.j2").write_text(html, encoding="utf-8")
    (folder / "logo.png").write_bytes(PNG)
    word = docx.Document()
    header = word.sections[0].header
    r_id = header.part.relate_to("file:///C:/Users/x/secret.docx", RT.HYPERLINK, is_external=True)
    para = header.paragraphs[0]
    para._p.append(
        para._p.makeelement(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}hyperlink",
            {"{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id": r_id},
        )
    )
    settings = word.part._settings_part
    t_id = settings.relate_to("file:///C:/Users/x/Normal.dotm", ATTACHED_TEMPLATE, is_external=True)
    settings.element.append(
        settings.element.makeelement(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}attachedTemplate",
            {"{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id": t_id},
        )
    )
    buffer = io.BytesIO()
    word.save(buffer)
    (folder / "reference.docx").write_bytes(_with_app_paths(buffer.getvalue()))
    return folder


LOCAL_TEMPLATE = rb"<Template>C:\Users\x\Normal.dotm</Template>"


def _with_app_paths(data: bytes) -> bytes:
    """The package with app.xml naming a local template and a file: hyperlink base."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            content = src.read(name)
            if name == "docProps/app.xml":
                content = re.sub(rb"<Template>[^<]*</Template>", lambda _: LOCAL_TEMPLATE, content)
                base = b"<HyperlinkBase>file:///C:/Users/x/</HyperlinkBase>"
                content = content.replace(b"</Properties>", base + b"</Properties>")
            dst.writestr(name, content)
    return out.getvalue()


def _local(data: bytes, folder: Path) -> list[str]:
    """What in ``data`` names a local file: a file: URI, /etc/passwd or the folder's path (UTF-8 or UTF-16)."""
    found = []
    lowered = data.lower()
    for needle in ("file:", "/etc/passwd", str(folder), "c:/users", "c:\\users", str(ROOT)):
        for enc in ("utf-8", "utf-16-be"):
            if needle.encode(enc).lower() in lowered:
                found.append(f"{needle} ({enc})")
    return found


def _pdf_strings(data: bytes) -> bytes:
    """Link targets, metadata and attachments of a PDF, decompressed."""
    reader = PdfReader(io.BytesIO(data))
    out = [repr(dict(reader.metadata or {}))]
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            out.append(repr(annot.get_object()))
    out.append(repr(dict(reader.attachments)))
    out.append(repr(reader.trailer["/Root"].get_object()))
    return "\n".join(out).encode("utf-8")


def _docx_text(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return b"\n".join(zf.read(name) for name in zf.namelist())


@pytest.mark.parametrize("profile", [*SAMPLES, "hostile"])
def test_published_files_hold_no_local_path(tmp_path, profile):
    overlay = _overlay(tmp_path / "district") if profile == "hostile" else None
    prof = load_profile("wuhan" if overlay else profile, overlay)
    checked = check(SAMPLES.get(profile, SAMPLES["wuhan"]), profile=prof)
    assert checked.figures is not None
    result = build_document(checked.figures, prof, tmp_path / "out", ("docx", "pdf"), tmp_path / "in.yaml")
    paths = {p.suffix: p for p in result.written}
    pdf, docx_bytes = paths[".pdf"].read_bytes(), paths[".docx"].read_bytes()
    folder = overlay or ROOT / "templates" / profile
    for what, data in (("pdf", pdf), ("pdf objects", _pdf_strings(pdf)), ("docx", _docx_text(docx_bytes))):
        assert _local(data, folder) == [], what
    if overlay:
        annots = _pdf_strings(pdf).decode()
        uris = set(re.findall(r"'/URI': '([^']*)'", annots))
        assert "mailto:a@example.org" in uris and any(u.startswith("https://example.org/") for u in uris), uris
        assert all(u.startswith(("https://", "mailto:")) for u in uris), uris
        assert "/EmbeddedFiles" not in annots
        assert b"/FileAttachment" not in pdf and b"/EmbeddedFile" not in pdf


@pytest.mark.parametrize(
    ("attack", "message"),
    [
        ('<link rel="attachment" href="logo.png">', "公开的 PDF 不嵌入文件"),
        ('<a rel="attachment" href="logo.png">附件</a>', "公开的 PDF 不嵌入文件"),
        ('<a rel="attachment" href="file:///etc/passwd">附件</a>', "不允许的地址：file:///etc/passwd"),
    ],
    ids=["link-inside-folder", "anchor-inside-folder", "anchor-outside"],
)
def test_attachment_in_a_template_stops_the_build(tmp_path, sample_checked, attack, message):
    folder = _overlay(tmp_path / "district")
    html = (folder / "document.html.j2").read_text(encoding="utf-8").replace("<body>\n", "<body>\n" + attack, 1)
    (folder / "document.html.j2").write_text(html, encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(UsageError, match=message):
        build_document(sample_checked.figures, load_profile("wuhan", folder), out, ("pdf",), tmp_path / "in.yaml")
    assert not list(out.rglob("*.pdf"))
