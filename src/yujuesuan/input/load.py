"""Load: YAML text → a tree of located nodes, every scalar kept as its text.

We build the tree from ruamel.yaml's parser events ourselves, iteratively,
so that anchors, aliases, tags, duplicate keys and deep nesting are refused
with a line and column before anything can explode. Types are decided later,
by the schema, never by YAML 1.1's guessing (``no`` → False, ``012`` → 10).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml import events as ev
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from yujuesuan.errors import Finding, InputError, Location, Severity
from yujuesuan.input.inputfile import read_capped

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 200_000
NULL_WORDS = {"", "~", "null", "Null", "NULL"}


@dataclass
class Node:
    loc: Location


@dataclass
class Scalar(Node):
    text: str
    quoted: bool = False

    @property
    def is_null(self) -> bool:
        return not self.quoted and self.text in NULL_WORDS


@dataclass
class Mapping(Node):
    items: dict[str, Node] = field(default_factory=dict)
    key_locs: dict[str, Location] = field(default_factory=dict)

    def get(self, key: str) -> Node | None:
        return self.items.get(key)


@dataclass
class Sequence(Node):
    items: list[Node] = field(default_factory=list)


def _loc(name: str, mark: object) -> Location:
    return Location(name, getattr(mark, "line", 0) + 1, getattr(mark, "column", 0) + 1)


def _fail(name: str, mark: object, rule: str, message: str) -> InputError:
    return InputError(Finding(rule, Severity.ERROR, message, _loc(name, mark)))


def decode(data: bytes, name: str) -> tuple[str, list[Finding]]:
    """Decode the file as UTF-8; accept GB18030 only with a warning that says so."""
    notes: list[Finding] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    # Old Mac (CR only) and Windows (CRLF) line ends become LF, so that every line:column we count
    # (scanner marks, hints, control characters, glyphs) is the one an editor shows.
    data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError(
                Finding(
                    "encoding",
                    Severity.ERROR,
                    "文件不是 UTF-8 编码，无法读取。请在编辑器中“另存为”UTF-8 编码后重试。",
                    Location(name, line, column),
                )
            ) from None
        notes.append(
            Finding(
                "encoding",
                Severity.WARNING,
                "文件不是 UTF-8 编码，已按 GB18030（GBK）读取。请另存为 UTF-8，以免他人打开时乱码。",
                Location(name, line, column),
            )
        )
        return text, notes


# Each pattern ends at the offending character, so the message can point at it.
_SCANNER_HINTS = (
    (
        re.compile(r"^\s*[^#\s：]+："),
        "键名后用了全角冒号“：”，请改为半角冒号“:”并在其后加一个空格",
    ),
    (re.compile(r"^[ \t]*\u3000"), "行首有全角空格，YAML 的缩进只能用半角空格"),
    (re.compile(r"^ *\t"), "行首有制表符（Tab），YAML 的缩进只能用半角空格"),
    (re.compile(r"^\s*[^#\s:：\"']+:(?=\S)"), "键名后的冒号“:”后要加一个空格"),
)
# What the scanner's and parser's English problems mean, for a finance person.
_PROBLEMS = (
    ("mapping values are not allowed", "这里不能出现“键: 值”；值中含有“: ”时请给值加引号"),
    ("could not find expected ':'", "找不到应有的冒号“:”"),
    ("expected <block end>", "缩进没有对齐，或引号没有配对"),
    ("did not find expected key", "缩进没有对齐"),
    ("did not find expected '-'", "列表项“- ”没有对齐"),
    ("sequence entries are not allowed", "这里不能出现列表项“- ”"),
    ("found unexpected end of stream", "文件在引号或括号配对之前就结束了"),
    ("expected ',' or '}'", "花括号 { } 中各项要用逗号分开，括号要配对"),
    ("expected ',' or ']'", "方括号 [ ] 中各项要用逗号分开，括号要配对"),
    ("unknown escape character", "双引号中反斜杠“\\”后的字符无法识别（路径等请改用单引号）"),
    ("'\\t'", "这里有制表符（Tab），请改为半角空格"),
    ("cannot start any token", "这个字符不能用在值的开头，请给值加上引号"),
    ("expected alphabetic or numeric character", "“&”或“*”后缺少名称（不需要锚点和别名，请删去）"),
)


def _explain_yaml_error(exc: MarkedYAMLError, text: str, name: str) -> Finding:
    """A Chinese message for a scanner or parser error, at the character that caused it."""
    problem = exc.problem or exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line, mark.column) if mark is not None else (0, 0)
    meaning = next((zh for en, zh in _PROBLEMS if en in problem), "格式错误")
    lines = text.split("\n")
    hint = "。请检查这一行及上一行的缩进、冒号和引号"
    # A full-width colon or space is noticed a line or two later, or (a plain scalar running on)
    # only where its context ends: look back to the context's start (ruamel's context_mark).
    context = getattr(exc.context_mark, "line", line) if exc.context_mark is not None else line
    first = max(-1, min(line - 3, context - 1), line - 50)
    nearby = range(min(line, len(lines) - 1), first, -1)
    for pattern, advice in _SCANNER_HINTS:
        hit = next(((n, m) for n in nearby if (m := pattern.search(lines[n]))), None)
        if hit is not None:
            # The cause is known: say it instead of the parser's consequence.
            line, column, meaning, hint = hit[0], hit[1].end() - 1, advice, ""
            break
    detail = f"（{problem}）" if problem else ""
    message = f"YAML 格式错误：{meaning}{detail}{hint}。"
    return Finding("yaml", Severity.ERROR, message, Location(name, line + 1, column + 1))


def parse_text(text: str, name: str) -> Node:
    """Parse YAML text into located nodes, refusing what a data file never needs."""
    yaml = YAML(typ="safe", pure=True)
    stack: list[Node] = []
    pending_key: list[Scalar | None] = []
    root: Node | None = None
    count = 0

    def attach(node: Node, mark: object) -> None:
        nonlocal root
        if not stack:
            if root is not None:
                raise _fail(name, mark, "yaml", "文件中只能有一个 YAML 文档（删去多余的“---”）。")
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return
        assert isinstance(parent, Mapping)
        key = pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar):
                raise _fail(name, mark, "yaml", "键名必须是文字，不能是列表或映射。")
            pending_key[-1] = node
            return
        pending_key[-1] = None
        if isinstance(node, Scalar) and not node.quoted and node.text == "":
            node.loc = key.loc  # an empty value's mark is the next token, often lines below
        if key.text in parent.items:
            first, again = parent.key_locs[key.text], key.loc
            both = (
                f"第 {first.line} 行第 {first.column} 列和第 {again.column} 列"
                if first.line == again.line
                else f"第 {first.line} 行和第 {again.line} 行"
            )
            raise InputError(
                Finding(
                    "duplicate-key",
                    Severity.ERROR,
                    f"键“{key.text}”重复出现（{both}）。请删除或合并其中一个。",
                    again,
                )
            )
        parent.items[key.text] = node
        parent.key_locs[key.text] = key.loc

    try:
        for event in yaml.parse(text):
            if isinstance(event, ev.DocumentStartEvent) and root is not None:
                # Point at the "---" that starts the second document, not at its first value.
                raise _fail(name, event.start_mark, "yaml", "文件中只能有一个 YAML 文档（删去多余的“---”）。")
            if isinstance(event, ev.AliasEvent):
                raise _fail(
                    name,
                    event.start_mark,
                    "yaml-alias",
                    f"不允许使用别名“*{event.anchor}”：请直接写出数值。",
                )
            if isinstance(event, (ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent)):
                count += 1
                if count > MAX_NODES:
                    raise _fail(
                        name,
                        event.start_mark,
                        "yaml-size",
                        "文件中的条目过多，不像是一个单位的决算数据。",
                    )
                if event.anchor is not None:
                    raise _fail(
                        name,
                        event.start_mark,
                        "yaml-alias",
                        f"不允许使用锚点“&{event.anchor}”：请直接写出数值。",
                    )
                tag = getattr(event, "tag", None)
                implicit = getattr(event, "implicit", True)
                explicit_tag = tag is not None and not (isinstance(implicit, tuple) and any(implicit))
                if explicit_tag and tag not in ("!", "tag:yaml.org,2002:str"):
                    raise _fail(name, event.start_mark, "yaml-tag", f"不支持 YAML 标签“{tag}”，请删去。")
            loc = _loc(name, getattr(event, "start_mark", None))
            if isinstance(event, ev.ScalarEvent):
                quoted = event.style in ("'", '"', "|", ">")
                attach(Scalar(loc, event.value, quoted), event.start_mark)
            elif isinstance(event, (ev.MappingStartEvent, ev.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise _fail(
                        name,
                        event.start_mark,
                        "yaml-depth",
                        f"嵌套超过 {MAX_DEPTH} 层，请检查缩进。",
                    )
                node: Node = Mapping(loc) if isinstance(event, ev.MappingStartEvent) else Sequence(loc)
                attach(node, event.start_mark)
                stack.append(node)
                pending_key.append(None)
            elif isinstance(event, (ev.MappingEndEvent, ev.SequenceEndEvent)):
                stack.pop()
                pending_key.pop()
    except MarkedYAMLError as exc:
        raise InputError(_explain_yaml_error(exc, text, name)) from None
    except YAMLError as exc:  # reader errors: unacceptable characters
        mark = getattr(exc, "position", None)
        char = getattr(exc, "character", None)
        loc = Location(name)
        if isinstance(mark, int):
            line = text.count("\n", 0, mark) + 1
            loc = Location(name, line, mark - (text.rfind("\n", 0, mark) + 1) + 1)
        # The library's text spans two lines and is English; say which character it is.
        what = f"控制字符 U+{char:04X}" if isinstance(char, int) else "不允许的字符"
        raise InputError(
            Finding(
                "yaml",
                Severity.ERROR,
                f"文件中有{what}（看不见，多由复制粘贴带入）。请删去后重试。",
                loc,
            )
        ) from None
    if root is None:
        root = Mapping(Location(name, 1, 1))
    return root


def scalars(node: Node, path: str = "") -> Iterator[tuple[str, Scalar]]:
    """Every scalar under ``node`` with its field path as validation names it (科目.2013350.差异原因)."""
    if isinstance(node, Mapping):
        for key, child in node.items.items():
            yield from scalars(child, f"{path}.{key}" if path else key)
    elif isinstance(node, Sequence):
        for i, child in enumerate(node.items, 1):
            yield from scalars(child, f"{path}[{i}]")
    elif isinstance(node, Scalar):
        yield path, node


def read_input(path: Path) -> bytes:
    """The bytes of an input file: a regular file only (no FIFO, device or folder), at most MAX_BYTES read.

    inputfile.read_capped opens first and checks the opened file (no race with a swapped path),
    non-blocking (a FIFO never hangs), and counts the bytes it reads (never trusts st_size).
    """
    return read_capped(Path(path), MAX_BYTES, "yaml-size", "数据文件")


def load_bytes(data: bytes | str, name: str) -> tuple[Node, list[Finding], str]:
    """Parse one input given as bytes (or text) under the same size cap as a file; ``name`` locates findings."""
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > MAX_BYTES:
        raise InputError(
            Finding(
                "yaml-size",
                Severity.ERROR,
                f"文件过大（{size} 字节，上限 {MAX_BYTES} 字节），不像是一个单位的决算数据。",
                Location(name),
            )
        )
    if isinstance(data, str):
        return parse_text(data, name), [], data
    text, notes = decode(data, name)
    return parse_text(text, name), notes, text


def load_file(path: Path) -> tuple[Node, list[Finding], str]:
    """Read and parse one input file (regular files only); the size cap comes before any parsing.

    Returns the node tree, notes on the encoding, and the decoded text.
    """
    name = str(path)
    data = read_capped(path, MAX_BYTES, "yaml-size")
    text, notes = decode(data, name)
    try:
        return parse_text(text, name), notes, text
    except InputError as exc:  # keep the encoding hint: a GBK file's YAML error may come from the decoding
        raise InputError([*notes, *exc.findings]) from None
