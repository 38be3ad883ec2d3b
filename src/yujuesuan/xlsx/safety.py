"""Check an .xlsx package before openpyxl opens it: size, entry count, DTDs and merged ranges.

An .xlsx is a zip of XML parts. A zip bomb (a few KB that inflate to GBs),
an XML entity bomb (billion laughs) or one merged range over a million rows
(openpyxl makes a cell object for every covered position) would hang or
exhaust memory inside openpyxl, so they are refused here, from the zip's
directory and a bounded read of its parts. defusedxml, installed with the
package, refuses entity declarations again inside openpyxl.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from yujuesuan.errors import Finding, InputError, Location, Severity
from yujuesuan.inputfile import read_capped

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 2_000
MAX_CELLS = 200_000  # cells in all sheets: a unit's workbook has a few thousand
MAX_MERGED_CELLS = 200_000  # positions covered by merged ranges (openpyxl makes an object for each)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .et, or an encrypted .xlsx
_DTD_MARKS = tuple(
    mark.encode(enc) for mark in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be")
)
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="\$?([A-Z]{1,3})\$?(\d{1,7}):\$?([A-Z]{1,3})\$?(\d{1,7})"')


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
    cells = merged = 0
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        # file_size bounds the read: zipfile stops there and fails the CRC if the header lied.
        data = zf.read(info)
        if any(mark in data for mark in _DTD_MARKS):
            raise _refuse(
                name,
                "xlsx-dtd",
                f"部件 {info.filename} 含有 DTD 或实体定义（正常的工作簿没有），可能是“XML 实体炸弹”，已拒绝。",
            )
        if not info.filename.startswith("xl/worksheets/"):
            continue
        cells += len(_CELL.findall(data))
        for m in _MERGE.finditer(data):
            merged += (abs(int(m.group(4)) - int(m.group(2))) + 1) * (
                abs(_column(m.group(3)) - _column(m.group(1))) + 1
            )
        if merged > MAX_MERGED_CELLS:
            raise _refuse(
                name,
                "xlsx-merge",
                f"部件 {info.filename} 中的合并单元格共覆盖 {merged} 个单元格（上限 {MAX_MERGED_CELLS}），"
                "过大，已拒绝。请取消过大的合并后再导入。",
            )
        if cells > MAX_CELLS:
            raise _refuse(name, "xlsx-size", f"工作簿的单元格超过 {MAX_CELLS} 个，不像是一个单位的决算数据，已拒绝。")
