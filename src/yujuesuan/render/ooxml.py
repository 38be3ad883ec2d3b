"""An Office package (DOCX, XLSX) rewritten to the same bytes for the same content: docx.py and the workbooks."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # every entry's time: no clock reaches a published file


def normalize_zip(data: bytes, part: Callable[[str, bytes], bytes] = lambda name, content: content) -> bytes:
    """``data`` rewritten with fixed entry times, fixed modes and a stable order; ``part(name, content)``
    may change an entry on the way (scrubbed properties, fixed timestamps inside core.xml)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, part(name, src.read(name)), compresslevel=6)
    return out.getvalue()
