"""No local path in a DOCX we write: external relationships must be http(s) or mailto.

A district's reference.docx may carry a header link to file:///…, a linked (not
embedded) picture, or an attachedTemplate pointing at C:\\Users\\…\\Normal.dotm. Each
external relationship whose target is not public is pointed at "#" (the part that uses
it stays valid), settings.xml loses its attachedTemplate, app.xml its template path and
hyperlink base, and custom properties (docProps/custom.xml) are emptied.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

PUBLIC_SCHEMES = ("http", "https", "mailto")
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_ATTACHED = re.compile(rb"<w:attachedTemplate\b[^>]*/>")
_APP_TEMPLATE = re.compile(rb"<Template>[^<]*</Template>")
_APP_LINK_BASE = re.compile(rb"<HyperlinkBase>[^<]*</HyperlinkBase>|<HyperlinkBase\s*/>")
_CUSTOM_EMPTY = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
)


def _public(target: str) -> bool:
    return urlsplit(target.strip()).scheme.lower() in PUBLIC_SCHEMES


def scrub_part(name: str, data: bytes) -> bytes:
    """The part ``name`` without references to local files (unchanged when it has none)."""
    if name.endswith(".rels"):
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
        changed = False
        for rel in root.iter(f"{{{_RELS_NS}}}Relationship"):
            if rel.get("TargetMode") == "External" and not _public(rel.get("Target", "")):
                rel.set("Target", "#")
                changed = True
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) if changed else data
    if name == "word/settings.xml":
        return _ATTACHED.sub(b"", data)
    if name == "docProps/app.xml":  # the template's path on the author's machine, a base for relative links
        return _APP_LINK_BASE.sub(b"", _APP_TEMPLATE.sub(b"<Template>Normal.dotm</Template>", data))
    if name == "docProps/custom.xml":  # a district's own properties: anything, paths included
        return _CUSTOM_EMPTY
    return data
