"""Find the cell that made openpyxl fail, so a damaged workbook gets a sheet!cell, not "ValueError".

openpyxl raises a bare ValueError (or TypeError, KeyError) for a cell whose stored value does not
fit its type: t="n" with text in it, t="b" with a 2, t="s" pointing past the shared strings, a
date that is not a date, a reference that is not a cell. This walks the sheets again (streamed,
defusedxml) and names the first such cell with its sheet's title.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree as DefusedET
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

_REF = re.compile(r"\$?[A-Za-z]{1,3}\$?[0-9]{1,7}")
_TYPES = {
    "n": "数字", "b": "是非值", "s": "共享文字", "d": "日期", "str": "公式文字", "inlineStr": "文字", "e": "错误值",
}  # fmt: skip


@dataclass
class Damage:
    sheet: str
    ref: str
    row: int
    column: int
    why: str


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _sheets(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(title, part name) of each sheet, from workbook.xml and its relationships."""
    targets: dict[str, str] = {}
    for _, el in DefusedET.iterparse(io.BytesIO(zf.read("xl/_rels/workbook.xml.rels")), events=("end",)):
        if _local(el.tag) == "Relationship":
            target = el.get("Target", "")
            targets[el.get("Id", "")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target)
            )
    out = []
    for _, el in DefusedET.iterparse(io.BytesIO(zf.read("xl/workbook.xml")), events=("end",)):
        if _local(el.tag) == "sheet":
            rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), "")
            if rid in targets:
                out.append((el.get("name", "?"), targets[rid]))
    return out


def _shared_count(zf: zipfile.ZipFile) -> int | None:
    try:
        data = zf.read("xl/sharedStrings.xml")
    except KeyError:
        return 0
    return sum(1 for _, el in DefusedET.iterparse(io.BytesIO(data), events=("end",)) if _local(el.tag) == "si")


def _problem(kind: str, value: str | None, shared: int | None) -> str | None:
    if value is None:
        return None
    text = value.strip()
    try:
        if kind == "n":
            float(text)
        elif kind == "b" and text not in ("0", "1", "true", "false"):
            return "是非值只能是 0 或 1"
        elif kind == "s" and shared is not None and not 0 <= int(text) < shared:
            return f"指向不存在的第 {text} 条共享文字"
        elif kind == "d":
            dt.datetime.fromisoformat(text)
        elif kind not in _TYPES:
            return f"类型“{kind[:10]}”无法识别"
    except ValueError:
        return f"类型为{_TYPES.get(kind, kind)}，内容却是“{text[:20]}”"
    return None


def find_damage(data: bytes) -> Damage | None:
    """The first cell openpyxl cannot read, or None when none is found (the damage is elsewhere)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            shared = _shared_count(zf)
            for title, part in _sheets(zf):
                if part not in zf.namelist():
                    continue
                found = _scan(zf, part, title, shared)
                if found is not None:
                    return found
    except Exception:
        return None
    return None


def _scan(zf: zipfile.ZipFile, part: str, title: str, shared: int | None) -> Damage | None:
    cell: tuple[str, str] | None = None
    value: str | None = None
    with zf.open(part) as stream:
        for event, el in DefusedET.iterparse(stream, events=("start", "end")):
            name = _local(el.tag)
            if event == "start" and name == "c":
                cell, value = (el.get("r", ""), el.get("t", "n")), None
            elif event == "end" and name == "v":
                value = el.text or ""
            elif event == "end" and name == "c" and cell is not None:
                ref, kind = cell
                why = None if not ref or _REF.fullmatch(ref) else f"单元格地址“{ref[:20]}”无效"
                why = why or _problem(kind, value, shared)
                if why:
                    row, column = _position(ref)
                    return Damage(title, ref, row, column, why)
                el.clear()
    return None


def _position(ref: str) -> tuple[int, int]:
    try:
        letters, row = coordinate_from_string(ref.replace("$", ""))
        return row, column_index_from_string(letters)
    except ValueError:
        return 0, 0
