"""New input files (`yujuesuan new`): a commented YAML skeleton, and the writer rollover.py shares.

An input file is written as a tree of :class:`E` entries (key, value, trailing
comment, comment lines above) and turned into text by :func:`emit`, so that the
skeleton and next year's file (rollover.py) carry the same block explanations. The
skeleton walks kinds/juesuan/schema.py: its blocks, order, notes and comment lines.
Values are written already quoted (:func:`q`, :func:`amt`); ``None`` is an empty value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeGuard

from yujuesuan.catalog import Catalog
from yujuesuan.kinds.juesuan import schema
from yujuesuan.kinds.juesuan.sanity import NAME_PLACEHOLDER
from yujuesuan.kinds.juesuan.schema import FUND_SPENDING, FUNDS, INCOME_SOURCES, Field, fund_key
from yujuesuan.workflows.yamlquote import one_line, plain_reads_back, printable, quoted

SKELETON_ITEMS = ("2010101", "2080505", "2080506", "2101101", "2101102", "2101103", "2210201")
SKELETON_ECON = (
    "30101 30102 30103 30107 30108 30109 30110 30111 30112 30113 30199 "
    "30201 30202 30205 30206 30207 30211 30213 30215 30216 30217 30226 30228 30229 30231 30239 30299 "
    "30302 30305 30307 31002 31003"
).split()
NOTE_COLUMN = 44

# The comment lines above each block (rollover.py writes the same), as schema.py declares them.
NOTES = {block.key: block.comment for block in schema.BLOCKS if block.comment}


@dataclass
class Flow:
    """A flow mapping on one line: {一级: 产出指标, 得分: 7}; values already quoted."""

    pairs: list[tuple[str, str]]


@dataclass
class Lit:
    """A multi-line text, written as a literal block (|)."""

    text: str


@dataclass
class E:
    """One entry: ``key: value  # note``, after ``above`` comment lines ("" is a blank line)."""

    key: str
    # a scalar, a block of entries, or a sequence (flow mappings, blocks of entries, texts, or both of these)
    value: str | list[E] | list[Flow] | list[list[E]] | list[str] | list[list[E] | str] | Lit | None = None
    note: str = ""
    above: tuple[str, ...] = field(default=())
    below: tuple[str, ...] = field(default=())  # raw lines after the entry (commented-out examples)


def is_entries(value: object) -> TypeGuard[list[E]]:
    """Whether an entry's value is a block of entries (its lists hold one kind: E, Flow, list[E] or str)."""
    return isinstance(value, list) and bool(value) and isinstance(value[0], E)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _with_note(line: str, note: str) -> str:
    note = one_line(note)  # a note may quote a name from the data: never a second line
    if not note:
        return line
    return line + " " * max(2, NOTE_COLUMN - width(line)) + "# " + note


def _comment_line(text: str) -> str:
    """One comment line's text, its leading spaces kept, any line break or control character a space."""
    return "".join(ch if printable(ch) and ch != "\n" else " " for ch in text)


_PLAIN_START = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]")
_NULLS = {"~", "null", "Null", "NULL"}


def q(text: str, flow: bool = False) -> str:
    """A text as a YAML scalar: plain when the loader reads it back unchanged, else double-quoted."""
    plain = (
        bool(text)
        and _PLAIN_START.match(text) is not None
        and text == text.strip()
        and text not in _NULLS
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and all(printable(c) and c not in "\n\t" for c in text)
        and not (flow and any(c in text for c in ",[]{}"))
        and plain_reads_back(text, flow)
    )
    return text if plain else quoted(text)


def text_value(text: str) -> str | Lit | None:
    """A free text as a value: empty, one line, or a literal block."""
    if not text:
        return None
    if "\n" in text and all(printable(c) and c != "\t" for c in text) and text == text.strip():
        return Lit(text)
    return q(text)


def amt(value: Decimal | int | None) -> str | None:
    """An amount or count as written in the file (None stays empty)."""
    if value is None:
        return None
    if isinstance(value, int):
        return str(value)
    cents = value.quantize(Decimal("0.01"))
    return format(cents if cents == value else value, "f")


def emit(entries: list[E], indent: int = 0) -> list[str]:
    """The YAML lines of ``entries``, indented two spaces per level."""
    pad = "  " * indent
    out: list[str] = []
    for e in entries:
        out.extend(f"{pad}# {_comment_line(line)}" if line else "" for line in e.above)
        head, v = f"{pad}{e.key}:", e.value
        if isinstance(v, Lit):
            out.append(_with_note(head + " |", e.note))
            out.extend(f"{pad}  {line}" if line else "" for line in v.text.split("\n"))
        elif is_entries(v):
            out.append(_with_note(head, e.note))
            out.extend(emit(v, indent + 1))
        elif isinstance(v, list):
            out.append(_with_note(head, e.note))  # an empty list is an empty value
            for item in v:
                if isinstance(item, Flow):
                    out.append(f"{pad}  - {{{', '.join(f'{k}: {x}' for k, x in item.pairs)}}}")
                    continue
                if isinstance(item, str):
                    out.append(f"{pad}  - {item}")
                    continue
                assert isinstance(item, list)  # the rest: a block of entries, one item of the sequence
                lines = emit(item, indent + 2)
                first = next(i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#"))
                lines[first] = f"{pad}  - " + lines[first][len(pad) + 4 :]
                out.extend(lines)
        else:
            out.append(_with_note(head + (f" {v}" if v else ""), e.note))
        out.extend(e.below)
    return out


def commented(entries: list[E], indent: int) -> tuple[str, ...]:
    """``entries`` as an example to un-comment: “# ” after the indentation of ``indent``."""
    pad = "  " * indent
    return tuple(pad + "# " + line[len(pad) :] for line in emit(entries, indent))


def class_path(catalog: Catalog, code: str) -> str:
    """一般公共服务支出 / 宣传事务 / 事业运行, for the comment after a code."""
    return " / ".join(catalog.name(c) or "（目录中没有）" for c in (code[:3], code[:5], code))


def _skeleton_item(catalog: Catalog, code: str) -> E:
    blank = [E(k) for k in FUND_SPENDING[FUNDS[0]]]  # 基本支出, 项目支出: what a typical 项 has
    above: tuple[str, ...] = ()
    if code == SKELETON_ITEMS[0]:
        above = (
            "示例：行政单位的“行政运行”。请改为本单位所属款的科目：行政单位用该款的“行政运行”",
            "（如 2013301 宣传事务/行政运行），事业单位用“事业运行”（如 2013350）。",
        )
    body = [
        E("收入", [E(INCOME_SOURCES[0])]),
        E("支出", list(blank)),
        E(fund_key(FUNDS[0]), list(blank)),
        E("年初预算"),
        E("差异原因"),
    ]
    return E(f'"{code}"', body, class_path(catalog, code), above)


EXAMPLE = "，格式如下（删去“# ”后填写）"
# The code an example of a codes block shows (commented out), by the block's path.
EXAMPLE_CODES = {
    "自定义科目": "2139999", "项目支出经济分类": "30226", "名词解释": "2013350",
    **{f"其他财政拨款经济分类.{f}.{k}": "30201" for f in schema.OTHER_FUNDS for k in schema.FUND_KINDS},
}  # fmt: skip


class Skeleton:
    """The blocks of schema.py as empty entries: its order, notes and comments; the few typical values here."""

    def __init__(self, catalog: Catalog, year: int, unit: str, profile: str = "") -> None:
        self.catalog, self.year = catalog, year
        self.classes = sorted({c[:3] for c in SKELETON_ITEMS})
        self.values = {
            "格式版本": "1", "单位.名称": q(NAME_PLACEHOLDER), "单位.年度": str(year), "单位.金额单位": unit,
            "绩效.整体.执行分值": "20", "核对数": "{公开03: {合计: {基本支出: 409.63}}}",  # an example's value
        }  # fmt: skip
        if profile:  # `new --profile X` writes 单位.模板 (shown, not an example)
            self.values["单位.模板"] = q(profile)

    def entries(self) -> list[E]:
        out: list[E] = []
        for block in schema.BLOCKS:
            comment = tuple(line.format(prev=self.year - 1) for line in block.comment)
            entry = self.entry(block, block.key)
            entry.note = ""  # a block's note is the doc's; its comment lines say it here
            if block.kind in schema.LEAF_KINDS:
                out.append(entry)
            elif block.shown and not block.profiles:
                entry.above = ("", *comment, *entry.above)
                out.append(entry)
            else:  # an example after the block before it, commented out
                out[-1].below += ("", *(f"# {line}" for line in comment), *commented([entry], 0))
        return out

    def entry(self, f: Field, path: str) -> E:
        """``f`` written empty (or with its typical value); its examples commented out below it."""
        special: Callable[[Field], E] | None = getattr(self, "_" + path.replace(".", "_"), None)
        if special is not None:
            return special(f)
        if path in self.values:
            return E(f.key, self.values[path], f.note)
        if f.kind == "block":
            shown = [g for g in f.fields if (g.shown and not g.profiles) or f"{path}.{g.key}" in self.values]
            examples = [self.entry(g, f"{path}.{g.key}") for g in f.fields if g not in shown]
            entry = E(f.key, [self.entry(g, f"{path}.{g.key}") for g in shown], f.note)
            depth = path.count(".") + 1
            entry.below = commented(examples, depth) if examples else ()
            return entry
        if f.kind == "codes":
            member = f.fields[0]
            code = EXAMPLE_CODES.get(path, schema.CODE)
            return E(f.key, [self.entry(member, f"{path}.{schema.CODE}")], f.note) if member.kind in (
                "codes", "block") else E(f.key, [E(f'"{code}"', None, member.note)], f.note)
        if f.kind == "records":
            return E(f.key, [[self.entry(g, f"{path}.{g.key}") for g in f.fields]], f.note)
        return E(f.key, self.values.get(path), f.note)

    def _自定义科目(self, f: Field) -> E:
        return E(f.key, [E(f'"{EXAMPLE_CODES[f.key]}"', "其他农林水支出（示例）")])

    def _科目(self, f: Field) -> E:
        return E(f.key, [_skeleton_item(self.catalog, c) for c in SKELETON_ITEMS])

    def _经济分类(self, f: Field) -> E:
        econ_names = {i.code: i.name for i in self.catalog.econ_items}
        codes = [E(f'"{c}"', None, econ_names[c]) for c in SKELETON_ECON if c in econ_names]
        return E(f.key, codes, above=("下列为一般单位常用的科目。",))

    def _classes(self, f: Field) -> E:
        return E(f.key, [E(f'"{c}"', None, self.catalog.name(c) or "") for c in self.classes], f.note)

    _上年_一般公共预算类 = _说明_类用途 = _classes

    def _重点工作_表(self, f: Field) -> E:
        row = Flow([(k, '""') for k in schema.keys("重点工作.表")])
        return E(f.key, None, f.note + EXAMPLE, below=commented([E(f.key, [row])], 1)[1:])

    def indicators(self) -> list[Flow]:
        fields = schema.field("绩效.项目.指标").fields
        return [Flow([(g.key, "0" if g.kind == "score" else '""') for g in fields])]

    def _绩效_整体_目标(self, f: Field) -> E:
        goal = [E("名称", q("（目标名称）")), E("分值", "0"), E("指标", self.indicators())]
        return E(f.key, None, f.note + EXAMPLE, below=commented([E(f.key, [goal])], 2)[1:])

    def _绩效_项目(self, f: Field) -> E:
        values = {"名称": q("（项目名称）"), "科目": f'"{SKELETON_ITEMS[0]}"'}
        texts = [E(g.key, values.get(g.key), g.note) for g in f.fields if g.kind in ("text", "amount")]
        project = [*texts, E("执行分值", "20"), E("指标", self.indicators())]
        note = f.note + "，格式如下（删去“# ”后填写，可复制多段）"
        return E(f.key, None, note, below=commented([E(f.key, [project])], 1)[1:])


def skeleton_entries(catalog: Catalog, year: int, unit: str = "万元", profile: str = "") -> list[E]:
    """Every block of the schema, with typical codes and empty amounts and texts (``profile``: 单位.模板)."""
    return Skeleton(catalog, year, unit, profile).entries()


HEADER = (
    "{year} 年度部门决算 —— yujuesuan 输入文件（由 yujuesuan new 生成的空白文件）",
    "",
    "这个文件只填“不能算出来”的事实：每个项级科目的收入和支出、财政拨款、",
    "经济分类明细、“三公”经费、上年数、年初预算、数量，以及需要人来写的文字。",
    "所有合计、小计、类和款的数、占比、增减和完成率都由程序推算，不要填写。",
    "",
    '金额：按“单位.金额单位”填写；空着的金额按 0 计。科目编码要加引号，例如 "2013350"。',
    "填好后运行 yujuesuan check 本文件，逐条处理错误和警告。",
)


def render(entries: list[E], header: tuple[str, ...]) -> str:
    lines = [f"# {_comment_line(line)}".rstrip() for line in header]
    lines += emit(entries)
    return "\n".join(lines) + "\n"


def skeleton_text(catalog: Catalog, year: int, unit: str = "万元", profile: str = "") -> str:
    """The text of a fresh input file for ``year``: every block, those only some layouts read commented out."""
    return render(skeleton_entries(catalog, year, unit, profile), tuple(h.format(year=year) for h in HEADER))
