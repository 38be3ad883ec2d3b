"""Check an .xlsx package before openpyxl opens it: size, entry count, DTDs and merged ranges.

An .xlsx is a zip of XML parts. A zip bomb (a few KB that inflate to GBs),
an XML entity bomb (billion laughs) or one merged range over a million rows
(openpyxl makes a cell object for every covered position) would hang or
exhaust memory inside openpyxl, so they are refused here, from the zip's
directory and a streamed parse of its parts: cells and merged ranges are
counted from the parsed XML, element by element (a regex over the text is
fooled by single-quoted attributes or a prefix such as ``x-y:c``), and the
count stops at its cap before anything is expanded. Every XML part is
counted, not only xl/worksheets/, since the workbook's relationships may put a
sheet anywhere. defusedxml, installed with the package, refuses entity
declarations here and again inside openpyxl.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as DefusedET

from yujuesuan.errors import Finding, InputError, Location, Severity
from yujuesuan.input.inputfile import read_capped

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 2_000
MAX_CELLS = 200_000  # cells in all sheets: a unit's workbook has a few thousand
MAX_MERGED_CELLS = 200_000  # positions covered by merged ranges (openpyxl makes an object for each)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .et, or an encrypted .xlsx
_DTD_MARKS = tuple(
    mark.encode(enc) for mark in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be")
)
MAX_ELEMENTS = 3_000_000  # XML elements in all parts: rows, cells, values, styles
_SNIFF = 64
# A merged range as openpyxl reads it: A1:B2, $A$1:$B$2, or one cell (the value of the ref attribute).
_RANGE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?")


def _column(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index


def _refuse(name: str, rule: str, message: str) -> InputError:
    return InputError(Finding(rule, Severity.ERROR, message, Location(name)))


def read_file(path: Path) -> bytes:
    """The bytes of ``path``, a regular file no larger than a workbook can be (read with a hard cap)."""
    return read_capped(path, MAX_FILE_BYTES, "xlsx-size", "Excel 文件")


def check_package(data: bytes, name: str) -> None:
    """Raise InputError unless ``data`` is a zip that is safe to hand to openpyxl."""
    if data[:8] == OLE_MAGIC:
        raise _refuse(
            name,
            "xlsx-format",
            "这是旧版 .xls（或 WPS .et）格式，或设置了打开密码的工作簿。"
            "请取消密码，并用 Excel 或 WPS“另存为” .xlsx 后再导入。",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_entries(name, zf)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError):
        raise _refuse(
            name, "xlsx-format", "不是有效的 .xlsx 文件（无法按 zip 包打开）。请用 Excel 或 WPS 另存为 .xlsx 后再导入。"
        ) from None


def _check_entries(name: str, zf: zipfile.ZipFile) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _refuse(
            name, "xlsx-bomb", f"文件内部包含 {len(infos)} 个部件（上限 {MAX_ENTRIES}），不像是正常的工作簿，已拒绝。"
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(
            name,
            "xlsx-bomb",
            f"文件解压后有 {unpacked} 字节（上限 {MAX_UNPACKED_BYTES} 字节），可能是“压缩炸弹”，已拒绝。",
        )
    tally = _Tally(name)
    for info in infos:
        # file_size bounds every read: zipfile stops there and fails the CRC if the header lied.
        with zf.open(info) as head:
            start = head.read(_SNIFF)
        if any(mark in start for mark in _DTD_MARKS):
            raise _dtd(name, info.filename)
        if _looks_xml(start) or info.filename.endswith((".xml", ".rels", ".vml")):
            # Any XML part may be a worksheet (workbook.xml.rels can point anywhere): count them all.
            # The parse refuses a DTD or entity anywhere in the part.
            tally.part(zf, info)


def _dtd(name: str, part: str) -> InputError:
    return _refuse(
        name, "xlsx-dtd", f"部件 {part} 含有 DTD 或实体定义（正常的工作簿没有），可能是“XML 实体炸弹”，已拒绝。"
    )


def _looks_xml(start: bytes) -> bool:
    """Does a part start like XML (UTF-8 with or without BOM, or UTF-16)? Images and binaries do not."""
    text = start.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"<") or start[:2] in (b"\xff\xfe", b"\xfe\xff", b"\x00<")


def _local(tag: object) -> str:
    """An element's name without its namespace, whatever prefix the file used."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _Tally:
    """Cells and merged positions of every part, counted while the XML streams past, capped as they grow."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.cells = 0
        self.merged = 0
        self.elements = 0

    def part(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        try:
            with zf.open(info) as stream:
                for _, elem in DefusedET.iterparse(stream, events=("end",), forbid_dtd=True):
                    self.element(info.filename, _local(elem.tag), elem.get("ref"))
                    elem.clear()  # constant memory, whatever the part's size
        except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
            raise _dtd(self.name, info.filename) from None
        except ET.ParseError:
            return  # not well-formed: openpyxl reports it, if it is a part it reads

    def element(self, part: str, local: str, ref: str | None) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise _refuse(self.name, "xlsx-size", f"部件 {part} 中的 XML 元素过多，不像是一个单位的决算数据，已拒绝。")
        if local == "c":
            self.cells += 1
            if self.cells > MAX_CELLS:
                raise _refuse(
                    self.name, "xlsx-size", f"工作簿的单元格超过 {MAX_CELLS} 个，不像是一个单位的决算数据，已拒绝。"
                )
        elif local == "mergeCell":
            self.merged += _merged_positions(self.name, part, ref or "")
            if self.merged > MAX_MERGED_CELLS:
                raise _refuse(
                    self.name,
                    "xlsx-merge",
                    f"部件 {part} 中的合并单元格共覆盖 {self.merged} 个单元格（上限 {MAX_MERGED_CELLS}），"
                    "过大，已拒绝。请取消过大的合并后再导入。",
                )


def _merged_positions(name: str, part: str, ref: str) -> int:
    """How many cells the merged range ``ref`` covers (openpyxl makes an object for each)."""
    m = _RANGE.fullmatch(ref.strip())
    if m is None:
        raise _refuse(name, "xlsx-merge", f"部件 {part} 中的合并单元格范围“{ref[:40]}”无法识别，已拒绝。")
    first_col, first_row = m.group(1), m.group(2)
    last_col, last_row = m.group(3) or first_col, m.group(4) or first_row
    rows = abs(int(last_row) - int(first_row)) + 1
    cols = abs(_column(last_col.upper().encode()) - _column(first_col.upper().encode())) + 1
    return rows * cols
