"""profile.yaml checked like a data file: every key's type and range, with file:line:column.

A district folder's profile.yaml is data from another office. Without a check, ``amount_places:
abc``, ``font_size: 1e308``, ``outline: [{}]`` or ``"01": null`` surface as a TypeError deep in
composing. Each layer (a built-in profile or a district folder) is checked on its located nodes
(load.py), so the message points at the key; the merged profile is then checked for what the
document needs (a title, an outline, a title for each table and figure it prints).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from yujuesuan.errors import Finding, Findings, InputError, Location, Severity, UsageError
from yujuesuan.input.inputfile import read_capped
from yujuesuan.input.load import Mapping, Node, Scalar, Sequence

Check = Callable[[Node, str, Findings], None]
_INT = re.compile(r"[0-9]{1,4}")
_NUMBER = re.compile(r"[0-9]{1,4}(?:\.[0-9]{1,4})?")


def _fail(found: Findings, node: Node, path: str, message: str) -> None:
    found.add("profile", message, node.loc, path)


def _scalar(node: Node, path: str, found: Findings, what: str) -> Scalar | None:
    if not isinstance(node, Scalar) or node.is_null:
        _fail(found, node, path, f"应是{what}。")
        return None
    return node


def text(node: Node, path: str, found: Findings) -> None:
    scalar = _scalar(node, path, found, "文字")
    if scalar is not None and len(scalar.text) > 2000:
        _fail(found, node, path, "文字过长（上限 2000 字）。")


def integer(low: int, high: int) -> Check:
    def run(node: Node, path: str, found: Findings) -> None:
        scalar = _scalar(node, path, found, f"{low} 到 {high} 之间的整数")
        if scalar is not None and not (_INT.fullmatch(scalar.text.strip()) and low <= int(scalar.text) <= high):
            _fail(found, node, path, f"应是 {low} 到 {high} 之间的整数，实际为“{scalar.text[:20]}”。")

    return run


def number(low: str, high: str) -> Check:
    def run(node: Node, path: str, found: Findings) -> None:
        scalar = _scalar(node, path, found, f"{low} 到 {high} 之间的数")
        if scalar is None:
            return
        try:
            ok = bool(_NUMBER.fullmatch(scalar.text.strip())) and Decimal(low) <= Decimal(scalar.text) <= Decimal(high)
        except InvalidOperation:
            ok = False
        if not ok:
            _fail(found, node, path, f"应是 {low} 到 {high} 之间的数，实际为“{scalar.text[:20]}”。")

    return run


def boolean(node: Node, path: str, found: Findings) -> None:
    scalar = _scalar(node, path, found, "true 或 false")
    if scalar is not None and scalar.text.strip().lower() not in ("true", "false"):
        _fail(found, node, path, f"应是 true 或 false，实际为“{scalar.text[:20]}”。")


def one_of(choices: Callable[[], Any], what: str) -> Check:
    def run(node: Node, path: str, found: Findings) -> None:
        scalar = _scalar(node, path, found, what)
        if scalar is not None and scalar.text not in choices():
            known = "、".join(sorted(choices()))
            _fail(found, node, path, f"“{scalar.text[:20]}”不是可用的{what}。可用：{known}。")

    return run


def list_of(item: Check) -> Check:
    def run(node: Node, path: str, found: Findings) -> None:
        if isinstance(node, Scalar) and node.is_null:
            return
        if not isinstance(node, Sequence):
            _fail(found, node, path, "应是列表（每项一行“- ”）。")
            return
        for i, child in enumerate(node.items):
            item(child, f"{path}[{i + 1}]", found)

    return run


def nullable(check: Check) -> Check:
    """``check``, or an empty value (``~``/``null``), which drops what the profile extends (figures: null)."""

    def run(node: Node, path: str, found: Findings) -> None:
        if isinstance(node, Scalar) and node.is_null:
            return
        check(node, path, found)

    return run


def mapping(keys: dict[str, Check], any_key: Check | None = None, key_pattern: str | None = None) -> Check:
    def run(node: Node, path: str, found: Findings) -> None:
        if not isinstance(node, Mapping):
            _fail(found, node, path, "应是若干“键: 值”（映射）。")
            return
        for key, child in node.items.items():
            where = f"{path}.{key}" if path else key
            check = keys.get(key, any_key)
            if check is None:
                known = "、".join(keys)
                found.add("profile", f"不认识的键“{key}”。可用：{known}。", node.key_locs[key], where)
            elif key_pattern and key not in keys and not re.fullmatch(key_pattern, key):
                found.add("profile", f"键“{key}”的格式不对。", node.key_locs[key], where)
            else:
                check(child, where, found)

    return run


def _tables() -> Any:
    # one layer need not name its kind or code (it may inherit them): any kind's or code's table is a
    # table id here, and check_merged holds the merged profile to its own kind's and code's tables
    return {table_id: None for parts in _kinds_and_codes() for table_id in parts.builders}


def _sources() -> Any:
    return {name: None for parts in _kinds_and_codes() for name in parts.charts}


def _kinds_and_codes() -> list[Any]:
    from yujuesuan.kinds import installed_kinds  # the kinds import compose, which imports profiles: look up late

    kinds = installed_kinds()
    return [*kinds, *(kind.profile_code({"code": name}) for kind in kinds for name in kind.code_names)]


def _kinds() -> Any:
    from yujuesuan.kinds import KINDS

    return KINDS


def numbering(node: Node, path: str, found: Findings) -> None:
    """An item numbering such as "1." or "（1）": one of conventions.NUMBERING, "1." quoted."""
    from yujuesuan.profiles.conventions import NUMBERING

    scalar = _scalar(node, path, found, "编号格式")
    if scalar is None:
        return
    if scalar.text == "1." and not scalar.quoted:
        _fail(found, node, path, "应写在引号中：\"1.\"（不加引号时 YAML 读作数字 1.0）。")
    elif scalar.text not in NUMBERING:
        _fail(found, node, path, f"“{scalar.text[:20]}”不是可用的编号格式。可用：{'、'.join(NUMBERING)}。")


def _codes() -> Any:
    from yujuesuan.kinds import installed_kinds

    return {name for kind in installed_kinds() for name in kind.code_names}


def _outline_entry(node: Node, path: str, found: Findings) -> None:
    if isinstance(node, Scalar) and node.text == "page_break":
        return
    if not isinstance(node, Mapping) or len(node.items) != 1:
        _fail(found, node, path, "每项应是 page_break，或 heading:、section:、table: 中的一个。")
        return
    mapping({"heading": text, "section": text, "table": one_of(_tables, "表号")})(node, path, found)


def _conventions(node: Node, path: str, found: Findings) -> None:
    """A convention key (numbers.*, table_defaults.*, tables.<id>.*): typed by conventions.validate."""


def _front(node: Node, path: str, found: Findings) -> None:
    """cover / toc: true, false or a mapping, checked by compose/front.py when the document is made."""


TABLE = mapping({
    "title": text, "number": text, "notes": list_of(text), "landscape": boolean,
    "font_size": number("5", "20"), "empty_sentence": text,
}, _conventions)  # fmt: skip
FIGURE = mapping({"title": text, "data": one_of(_sources, "图的数据"), "width_cm": number("2", "30")})
PROFILE = mapping({
    "name": text, "extends": text, "kind": one_of(_kinds, "文档种类"), "code": one_of(_codes, "模板代码"),
    "title": text,
    "classes_year": integer(2000, 2100), "econ_year": integer(2000, 2100), "cover": _front, "toc": _front,
    "numbers": mapping({
        "amount_places": integer(0, 6), "share_places": integer(0, 6), "score_places": integer(0, 6),
        "strip_zeros": boolean,
    }, _conventions),
    "table_defaults": mapping({}, _conventions),
    "sections": mapping({
        "item_numbering": numbering, "subitem_numbering": numbering, "list_zero_items": boolean,
        "item_completion": boolean, "total_change": boolean, "income_expense_change": boolean,
        "total_pair": one_of(lambda: ("总计", "本年合计"), "收支对"), "no_sangong_sentence": boolean,
        "figures": boolean,
    }),
    "outline": list_of(_outline_entry),
    "figures": nullable(mapping({}, FIGURE, r"图\d{1,3}")),
    "tables": mapping({}, TABLE),
    "performance_notes": list_of(text),
    "requires": list_of(text),
})  # fmt: skip


def check_layer(root: Node, path: str) -> None:
    """Raise UsageError listing every wrong key of one profile.yaml (its located nodes)."""
    found = Findings()
    if isinstance(root, Mapping):
        PROFILE(root, "", found)
    if found.items:
        raise UsageError(found.items)


def check_merged(config: dict[str, Any], where: str) -> None:
    """The merged profile holds what composing needs: a title, an outline, a title per table and figure."""
    problems: list[str] = []
    if not isinstance(config.get("title"), str):
        problems.append("缺少文档标题 title")
    outline = config.get("outline")
    if not isinstance(outline, list) or not outline:
        problems.append("缺少 outline")
    tables = config.get("tables") or {}
    from yujuesuan.kinds import get_kind

    kind = get_kind(config.get("kind"))
    if config.get("code") is not None and str(config["code"]) not in kind.code_names:
        problems.append(f"代码 {config['code']} 不是{kind.title}的模板代码")
        config = {k: v for k, v in config.items() if k != "code"}
    builders, charts = kind.builders_for(config), kind.charts_for(config)
    code = getattr(kind.profile_code(config), "name", "无")
    nor = f"，本模板的代码（code: {code}）也不提供它"
    for entry in outline if isinstance(outline, list) else []:
        if isinstance(entry, dict) and "table" in entry:
            spec = tables.get(str(entry["table"]))
            if str(entry["table"]) not in builders:
                problems.append(f"outline 中的表 {entry['table']} 不是{kind.title}的表{nor}")
            elif not isinstance(spec, dict) or not isinstance(spec.get("title"), str):
                problems.append(f"outline 中的表 {entry['table']} 在 tables 中没有 title")
    for name, spec in (config.get("figures") or {}).items():
        if not isinstance(spec, dict) or not isinstance(spec.get("title"), str) or "data" not in spec:
            problems.append(f"figures 中的 {name} 缺少 title 或 data")
        elif str(spec["data"]) not in charts:
            problems.append(f"figures 中的 {name} 的数据 {spec['data']} 不是{kind.title}的图{nor}")
    if problems:
        raise UsageError(
            [Finding("profile", Severity.ERROR, f"模板配置不完整：{p}。", Location(where)) for p in problems]
        )


MAX_REFERENCE_BYTES = 20 * 1024 * 1024
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")


def check_reference_docx(path: Path) -> None:
    """Raise UsageError unless a district's reference.docx is a Word document python-docx can open safely.

    Not a zip, no word/document.xml, a DTD or entity declaration in any part (XXE, entity bombs),
    or anything python-docx cannot read: one message naming the file, never a traceback.
    """
    import docx

    def refuse(why: str) -> UsageError:
        message = f"{why}请用 Word 或 WPS 另存为 .docx 后再用。"
        return UsageError([Finding("reference-docx", Severity.ERROR, message, Location(str(path)))])

    try:
        data = read_capped(path, MAX_REFERENCE_BYTES, "reference-docx", "Word 文档")
    except InputError as exc:
        raise UsageError(exc.findings) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > 1000 or sum(i.file_size for i in infos) > 4 * MAX_REFERENCE_BYTES:
                raise refuse("reference.docx 解压后过大或部件过多，可能是“压缩炸弹”，已拒绝。")
            if "word/document.xml" not in zf.namelist():
                raise refuse("reference.docx 不是 Word 文档（缺少 word/document.xml）。")
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and any(m in zf.read(info) for m in _DTD_MARKS):
                    part = info.filename
                    raise refuse(f"reference.docx 的部件 {part} 含有 DTD 或实体定义（正常的文档没有），已拒绝。")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError):
        raise refuse("reference.docx 不是有效的 Word 文档（无法按 zip 包打开）。") from None
    try:
        docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise refuse(f"reference.docx 无法读取（{type(exc).__name__}）。") from None
