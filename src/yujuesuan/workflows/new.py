"""New input files (`yujuesuan new`): a commented YAML skeleton, and the writer rollover.py shares.

An input file is written as a tree of :class:`E` entries (key, value, trailing
comment, comment lines above) and turned into text by :func:`emit`, so that the
skeleton and next year's file (rollover.py) carry the same block explanations.
Values are written already quoted (:func:`q`, :func:`amt`); ``None`` is an empty value.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeGuard

from yujuesuan.catalog import Catalog
from yujuesuan.kinds.juesuan.model import (
    FUNDS,
    PERF_MANAGEMENT_AMOUNTS,
    PERF_MANAGEMENT_COUNTS,
    PERF_MANAGEMENT_TEXTS,
    PRIOR_KEYS,
    PRIOR_OPTIONAL_KEYS,
    PROCUREMENT_KEYS,
    REASON_KEYS,
    SANGONG_ITEMS,
    VEHICLE_TYPES,
)
from yujuesuan.kinds.juesuan.sanity import NAME_PLACEHOLDER
from yujuesuan.workflows.yamlquote import one_line, plain_reads_back, printable, quoted

SKELETON_ITEMS = ("2010101", "2080505", "2080506", "2101101", "2101102", "2101103", "2210201")
SKELETON_ECON = (
    "30101 30102 30103 30107 30108 30109 30110 30111 30112 30113 30199 "
    "30201 30202 30205 30206 30207 30211 30213 30215 30216 30217 30226 30228 30229 30231 30239 30299 "
    "30302 30305 30307 31002 31003"
).split()
NOTE_COLUMN = 44

NOTES = {
    "科目": (
        "科目：每个有收支的项级（7 位）功能分类科目一段。",
        "  收入：按来源（公开02表）。来源可填：一般公共预算财政拨款、政府性基金预算财政拨款、",
        "        国有资本经营预算财政拨款、上级补助收入、事业收入、经营收入、附属单位上缴收入、其他收入。",
        "  支出：按类型（公开03表）。类型可填：基本支出、项目支出、上缴上级支出、经营支出、对附属单位补助支出。",
        "  一般公共预算财政拨款支出：其中由一般公共预算财政拨款安排的基本支出、项目支出（公开05表）。",
        "        政府性基金、国有资本经营预算的支出写在“政府性基金预算财政拨款支出”",
        "        （可另加“年初结转和结余”）和“国有资本经营预算财政拨款支出”下（公开07、08表）。",
        "  年初预算：该项一般公共预算财政拨款支出的年初预算数（说明五（三））。",
        "  差异原因：决算数与年初预算数不同时的主要原因；相同时不用写。",
        "本单位没有收支的科目请整段删去；缺少的科目照样添加（编码加引号）。",
    ),
    "结转结余": ("结转结余（公开01、04表）：没有就写 0。",),
    "经济分类": (
        "一般公共预算财政拨款基本支出按经济分类（公开06表）：款级（5 位）科目。",
        "各项之和应等于公开05表的基本支出合计。没有的可删去，缺少的照样添加。",
    ),
    "三公经费": ("财政拨款“三公”经费（公开09表）。预算数为全年预算数（按规定程序调整后）。",),
    "说明": ("说明中需要人来写的原因和用途（数字由程序填）。没有变动的可以空着。",),
    "重点工作": (
        "第四部分 重点工作完成情况",
        "  正文：表格前的全部段落，一行一段。",
        "  表：重点工作完成情况表（序号由程序编排），每行一项。",
    ),
    "绩效": (
        "预算绩效（说明十三和第六部分附件）。数字（项目个数、资金、占比、执行率、",
        "得分合计）由程序推算，这里只写事实和文字。",
        "  指标：每行写全 一级、二级（表中合并的单元格重复填写），目标值、实际值照表填写；得分为数字。",
        "  执行分值：预算执行情况一栏的分值（满分 20）。",
    ),
}


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
    blank = [E("基本支出"), E("项目支出")]
    above: tuple[str, ...] = ()
    if code == SKELETON_ITEMS[0]:
        above = (
            "示例：行政单位的“行政运行”。请改为本单位所属款的科目：行政单位用该款的“行政运行”",
            "（如 2013301 宣传事务/行政运行），事业单位用“事业运行”（如 2013350）。",
        )
    body = [
        E("收入", [E("一般公共预算财政拨款")]),
        E("支出", list(blank)),
        E("一般公共预算财政拨款支出", list(blank)),
        E("年初预算"),
        E("差异原因"),
    ]
    return E(f'"{code}"', body, class_path(catalog, code), above)


def skeleton_entries(catalog: Catalog, year: int, unit: str = "万元", profile: str = "") -> list[E]:
    """Every block of the schema, with typical codes and empty amounts and texts (``profile``: 单位.模板)."""
    classes = sorted({c[:3] for c in SKELETON_ITEMS})
    econ_names = {i.code: i.name for i in catalog.econ_items}
    project = [
        E("名称", q("（项目名称）")), E("科目", f'"{SKELETON_ITEMS[0]}"', "该项目支出所在的项级科目"),
        E("预算数", None, "全年预算数（A）"), E("执行数", None, "执行数（B）"),
        E("主要成效"), E("产出和效益"), E("发现的问题"), E("改进措施"),
        E("项目类别", None, "部门预算项目 / 区级专项 / 上级转移支付项目"),
        E("项目属性", None, "持续性项目 / 新增性项目"), E("项目类型", None, "常年性项目 / 延续性项目 / 一次性项目"),
        E("执行分值", "20"),
        E("指标", [Flow([(k, '""') for k in ("一级", "二级", "三级", "目标值", "实际值")] + [("得分", "0")])]),
    ]  # fmt: skip
    example = commented([E("项目", [project])], 1)[1:]
    goal = [E("名称", q("（目标名称）")), E("分值", "0"), E("指标", project[-1].value)]
    goal_example = commented([E("目标", [goal])], 2)[1:]
    row = Flow([("重要事项", '""'), ("工作内容及目标", '""'), ("完成情况", '""')])
    row_example = commented([E("表", [row])], 1)[1:]
    return [
        E("格式版本", "1"),
        E("单位", [
            E("名称", q(NAME_PLACEHOLDER), "单位全称，如：武汉市青山区融媒体中心"),
            E("年度", str(year), "决算年度（四位年份）"),
            E("金额单位", unit, "元（决算软件的单位）或 万元（两位小数，与公开表一致）"),
            E("下属单位数", None, "纳入部门决算的下属单位个数（不含本级）"),
            E("咨询电话", None, "公开文档附件中的咨询电话，加引号，如 \"68865800\""),
            *([E("模板", q(profile), "内置模板（版式）；命令行的 --profile 优先于它")] if profile else []),
        ], above=("",)),
        E("概况", [E("主要职能", None, "本单位主要职能；多段时写成 | 下的多行")], above=("",),
          below=("", "# 科目目录中没有的本地科目，在这里写出名称（删去“# ”后填写）：",
                 *commented([E("自定义科目", [E('"2139999"', "其他农林水支出（示例）")])], 0))),
        E("科目", [_skeleton_item(catalog, c) for c in SKELETON_ITEMS], above=("", *NOTES["科目"])),
        E("结转结余", [
            *(E(k) for k in ("使用非财政拨款结余", "年初结转和结余", "结余分配", "年末结转和结余")),
            E("年初财政拨款结转和结余", [E(f) for f in FUNDS]),
            E("年末财政拨款结转和结余", [E(f) for f in FUNDS]),
        ], above=("", *NOTES["结转结余"])),
        E("经济分类", [E(f'"{c}"', None, econ_names[c]) for c in SKELETON_ECON if c in econ_names],
          above=("", *NOTES["经济分类"], "下列为一般单位常用的科目。")),
        E("三公经费", [
            E("预算", [E(i) for i in SANGONG_ITEMS]), E("决算", [E(i) for i in SANGONG_ITEMS]),
            E("公务用车保有量", None, "截至年末开支财政拨款的公务用车（辆）"), E("公务用车运行维护费用途"),
            E("差异原因", [E(k) for k in ("合计", *SANGONG_ITEMS)], "决算数与预算数不同时的主要原因"),
        ], above=("", *NOTES["三公经费"])),
        E("上年", [E(k) for k in PRIOR_KEYS[:6]],
          above=("", f"上年（{year - 1} 年度）决算数，照上年公开的部门决算填写，用于说明中的增减变动。",
                 "空着按 0 计；上年没有可比数的行请删去。其他可比的上年数需要时删去“# ”填写："),
          below=commented([*(E(k) for k in (*PRIOR_KEYS[6:], *PRIOR_OPTIONAL_KEYS)),
                           E("三公经费", [E(i) for i in SANGONG_ITEMS]),
                           E("一般公共预算类", [E(f'"{c}"', None, catalog.name(c) or "") for c in classes])], 1)),
        E("说明", [*(E(k) for k in REASON_KEYS),
                   E("类用途", [E(f'"{c}"', None, catalog.name(c) or "") for c in classes],
                     "五（二）：每类“主要是用于……”")],
          above=("", *NOTES["说明"])),
        E("机关运行经费", [E("决算"), E("预算"), E("说明", None, "未设机关运行经费时写明原因")], above=("",)),
        E("政府采购", [E(k) for k in PROCUREMENT_KEYS], above=("",)),
        E("国有资产", [E("车辆", [E(k) for k in VEHICLE_TYPES]), E("单价100万元以上设备", None, "台（套）")],
          above=("",)),
        E("重点工作", [E("正文"), E("表", None, "每项一行，格式如下（删去“# ”后填写）", below=row_example)],
          above=("", *NOTES["重点工作"])),
        E("绩效", [
            E("管理工作开展情况"), E("整体自评结论"), E("结果应用情况"),
            E("整体", [E("预算数", None, "预算数（A）：调整后的预算"), E("执行分值", "20"),
                       E("目标", None, "每个目标一段，格式如下（删去“# ”后填写）", below=goal_example),
                       E("偏差原因"), E("改进措施")]),
            E("项目", None, "每个项目一段，格式如下（删去“# ”后填写，可复制多段）", below=example),
        ], above=("", *NOTES["绩效"]), below=NATIONAL),
    ]  # fmt: skip


# Blocks only the 2024 national layout prints, and 核对数: shown commented out, so that a
# Wuhan-layout file stays short and `check` does not take empty blocks for answers.
NATIONAL = (
    "",
    "# 核对数（可选）：从决算软件抄来的合计，程序与推算数核对。格式：表 → 行 → 列 → 金额，例如",
    "# 核对数: {公开03: {合计: {基本支出: 409.63}}}",
    "",
    "# 以下只有 2024 年版全国模板（说明七至十一）需要，用时删去“# ”填写：",
    "#   单位.下属单位：下属单位名称列表；科目.<编码>.用途：该项主要用于；",
    "#   三公经费.变动原因 / 三公经费.明细；说明.收入内容；政府采购的预留和中标金额。",
    *commented([E("预算绩效管理", [E(k) for k in (*PERF_MANAGEMENT_TEXTS, *PERF_MANAGEMENT_COUNTS,
                                                 *PERF_MANAGEMENT_AMOUNTS)])], 0),
)  # fmt: skip


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
    """The text of a fresh input file for ``year``; blocks it does not write are named at its end."""
    from yujuesuan.kinds.juesuan.validate import TOP_KEYS  # the schema's blocks, as validate.py reads them

    entries = skeleton_entries(catalog, year, unit, profile)
    text = render(entries, tuple(h.format(year=year) for h in HEADER))
    shown = {e.key for e in entries} | set(re.findall(r"^# ?(\S+):", text, re.M))
    if rest := [k for k in TOP_KEYS if k not in shown]:
        text += f"\n# 其他版式可选读的块（格式见 README）：{'、'.join(rest)}。\n"
    return text
