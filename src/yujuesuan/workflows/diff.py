"""Diff (`yujuesuan diff`): what a correction changed, from the input leaf to the sentence.

Both files have been through pipeline.check, as the same kind of document. The report has
four parts: the input leaves that differ (with their line in NEW), every table cell and
derived figure that differs as a consequence, the lines of the composed documents
(Document.text(), the kind's default profile: wuhan, wuhan-yusuan) that differ, and the
charts that differ. The 决算's leaves are its typed Model fields (model_leaves); any other
kind's are the located scalars of the input files themselves (yaml_leaves), so a new kind
needs nothing here. cli.py prints it; :func:`report_html` makes a self-contained page of it.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from yujuesuan.compose.document import Document, Figure, Heading, Table
from yujuesuan.derive import Figures
from yujuesuan.derive.values import Change, Completion, Share
from yujuesuan.errors import InputError
from yujuesuan.input.load import Mapping as MapNode
from yujuesuan.input.load import Node, Scalar, Sequence, load_file, scalars
from yujuesuan.kinds import DEFAULT_KIND, kind_of
from yujuesuan.kinds.detect import data_kind
from yujuesuan.kinds.juesuan.model import PERF_MANAGEMENT_AMOUNTS, PERF_MANAGEMENT_COUNTS, SANGONG_COUNTS, Model
from yujuesuan.kinds.juesuan.sanity import model_texts

TABLE_TITLES = {
    "01": "收入支出决算总表", "02": "收入决算表", "03": "支出决算表", "04": "财政拨款收入支出决算总表",
    "05": "一般公共预算财政拨款支出决算表", "06": "一般公共预算财政拨款基本支出决算明细表",
    "07": "政府性基金预算财政拨款收入支出决算表", "08": "国有资本经营预算财政拨款支出决算表",
    "09": "财政拨款“三公”经费支出决算表", "08收支": "国有资本经营预算财政拨款收入支出决算表",
}  # fmt: skip
NOT_FIGURES = ("待补",)  # derived tables that list missing facts, not figures
# The parts of a derived value worth reporting; a Share's part and whole, and a Completion's
# actual, are amounts reported elsewhere already (the table cells, the Change beside them).
VALUE_PARTS = {
    Change: (("current", "本年"), ("previous", "上年"), ("diff", "增减额"), ("rate", "增减率")),
    Share: (("rate", "占比"),),
    Completion: (("budget", "预算"), ("rate", "完成率"), ("gap", "差额")),
}
Value = Decimal | int | str | None
TOKEN = re.compile(r"\d+(?:\.\d+)?%?|.", re.S)
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
# the list items' keys that name them in a leaf's path (项目[宣传经费].金额), else their number
ITEM_KEYS = ("名称", "编码", "项目")
NOT_DATA = ("单位.模板",)  # which profile a file names is not a change of its figures (README: 单位.模板)


@dataclass
class Delta:
    """One value that differs: where (group · label), old → new, and its line in NEW (0: none)."""

    group: str
    label: str
    old: str
    new: str
    line: int = 0


@dataclass
class Hunk:
    """Consecutive document lines that differ, under the headings they sit in."""

    where: str
    old: list[str]
    new: list[str]
    table: bool


@dataclass
class Report:
    old: str
    new: str
    leaves: list[Delta] = field(default_factory=list)
    cells: list[Delta] = field(default_factory=list)
    facts: list[Delta] = field(default_factory=list)
    hunks: list[Hunk] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not (self.leaves or self.cells or self.facts or self.hunks or self.charts)


def model_leaves(m: Model) -> dict[str, Value]:
    """Every typed figure and text of the model, by its field path (as in Model.locs)."""
    out: dict[str, Value] = {"单位.年度": m.year, "单位.金额单位": m.unit, "单位.下属单位数": m.subordinates}
    out["单位.名称"], out["单位.咨询电话"] = m.name, m.phone
    for code, it in m.items.items():
        blocks = {"收入": it.income, "支出": it.spending, **{f"{k}财政拨款支出": v for k, v in it.funds.items()}}
        for block, values in blocks.items():
            out.update({f"科目.{code}.{block}.{k}": v for k, v in values.items()})
        out[f"科目.{code}.年初预算"] = it.budget
        out.update({f"科目.{code}.{fund}财政拨款支出.年初预算": v for fund, v in it.fund_budget.items()})
    groups: dict[str, Mapping[str, Decimal | int]] = {
        "结转结余": m.balances, "结转结余.年初财政拨款结转和结余": m.fund_open,
        "结转结余.年末财政拨款结转和结余": m.fund_close, "经济分类": m.econ, "三公经费.预算": m.sangong_budget,
        "三公经费.决算": m.sangong_actual, "上年": m.prior, "上年.三公经费": m.sangong_prior,
        "机关运行经费": m.running_cost, "政府采购": m.procurement, "国有资产.车辆": m.vehicles,
    }  # fmt: skip
    for prefix, group in groups.items():
        out.update({f"{prefix}.{k}": v for k, v in group.items()})
    out["三公经费.公务用车保有量"], out["国有资产.单价100万元以上设备"] = m.vehicles_held, m.big_equipment
    out.update({f"三公经费.明细.{k}": m.sangong_counts[k] for k in SANGONG_COUNTS if k in m.sangong_counts})
    out["三公经费.明细.外宾接待费"] = m.sangong_foreign
    pm = m.perf_management or {}
    out.update({f"预算绩效管理.{k}": pm[k] for k in (*PERF_MANAGEMENT_COUNTS, *PERF_MANAGEMENT_AMOUNTS) if k in pm})
    perf = m.performance
    out["绩效.整体.预算数"], out["绩效.整体.执行分值"] = perf.overall_budget, perf.overall_exec_weight
    for i, g in enumerate(perf.goals, 1):
        out[f"绩效.整体.目标[{i}].分值"] = g.weight
        out.update({f"绩效.整体.目标[{i}].指标[{j}].得分": x.score for j, x in enumerate(g.indicators, 1)})
    for p in perf.projects:
        out.update({f"{p.path}.预算数": p.budget, f"{p.path}.执行数": p.actual, f"{p.path}.执行分值": p.exec_weight})
        out.update({f"{p.path}.指标[{j}].得分": x.score for j, x in enumerate(p.indicators, 1)})
    for (table, row, col), v in m.declared.items():
        out[".".join(x for x in ("核对数", table, row, col) if x)] = v
    out.update(model_texts(m))
    return out


def file_kind(path: Path) -> tuple[str | None, Node | None]:
    """The kind a data file is, as build reads it (its 单位.模板's profile, else its blocks, else the 决算),
    and its located root; (None, None) when it cannot be loaded (check then reports why)."""
    from yujuesuan.kinds.juesuan.validate import stated_profile
    from yujuesuan.profiles import available_profiles, load_profile

    try:
        root, _notes, _text = load_file(path)
    except InputError:
        return None, None
    stated = stated_profile(root)
    if stated is not None and stated.text.strip() in available_profiles():
        return kind_of(load_profile(stated.text.strip())).name, root
    return data_kind(root) or DEFAULT_KIND, root


def _item_name(node: Node, index: int, taken: set[str]) -> str:
    """A list item's name in a path: its 名称 (编码, 项目) when that is a text no sibling shares, else its number."""
    if isinstance(node, MapNode):
        for key in ITEM_KEYS:
            value = node.items.get(key)
            if isinstance(value, Scalar) and value.text.strip() and value.text.strip() not in taken:
                return value.text.strip()
    return str(index)


def _leaf_value(node: Scalar) -> Value:
    if node.is_null:
        return None
    text = node.text.strip()
    if node.quoted or not NUMBER.fullmatch(text):
        return node.text
    return int(text) if text.lstrip("+-").isdigit() else Decimal(text)  # 21 stays a count, 338.82 an amount


def yaml_leaves(node: Node, path: str = "") -> Iterator[tuple[str, Value, int]]:
    """Every scalar of an input file: its path (list items by name), its value (numbers as Decimal/int), its line."""
    if isinstance(node, Sequence):
        taken: set[str] = set()
        for i, child in enumerate(node.items, 1):
            name = _item_name(child, i, taken)
            taken.add(name)
            yield from yaml_leaves(child, f"{path}[{name}]")
    elif isinstance(node, MapNode):
        for key, child in node.items.items():
            yield from yaml_leaves(child, f"{path}.{key}" if path else key)
    else:
        for sub, scalar in scalars(node, path):
            if sub not in NOT_DATA:
                yield sub, _leaf_value(scalar), scalar.loc.line


def show(value: Value, pct: bool = False, places: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return f"“{value if len(value) <= 60 else value[:60] + '…'}”" if value else "（空）"
    if isinstance(value, bool) or isinstance(value, int):
        return str(value)
    text = format(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")
    return text + "%" if pct else text


def _pair(old: Value, new: Value, pct: bool = False) -> tuple[str, str]:
    """Both values as text, with more decimals where two places would hide the change."""
    for places in (2, 4, 8):
        a, b = show(old, pct, places), show(new, pct, places)
        if a != b:
            break
    return a, b


def _blank(v: Value) -> bool:
    return v is None or v == "" or (not isinstance(v, str) and v == 0)


def _name(path: str, f: Figures) -> str:
    codes = re.findall(r"(?<![\d\[])(\d{5}|\d{7})(?!\d)", path)
    name = f.catalog.name(codes[-1]) if codes else None
    return f"{path}（{name}）" if name else path


def compare_leaves(old: Figures, new: Figures, roots: tuple[Node, Node] | None = None) -> list[Delta]:
    """The leaves that differ: the 决算 Model's fields, or (``roots``: the two files' nodes) the files' scalars."""
    if roots is None:
        a, b = model_leaves(old.model), model_leaves(new.model)
        lines = {path: new.model.loc(path).line for path in b}
    else:
        a = {path: v for path, v, _ in yaml_leaves(roots[0])}
        found = list(yaml_leaves(roots[1]))
        b, lines = {path: v for path, v, _ in found}, {path: line for path, _, line in found}
    out = []
    for path in dict.fromkeys([*b, *a]):
        x, y = a.get(path), b.get(path)
        if x == y or (_blank(x) and _blank(y)):
            continue
        group = "输入中的文字" if isinstance(x if y is None else y, str) else "输入中的数字"
        line = lines.get(path, 0)
        out.append(Delta(group, _name(path, new), *_pair(x, y), line))
    return sorted(out, key=lambda d: (d.group != "输入中的数字", d.line or 10**9))


def table_titles(tables: Mapping[str, Any]) -> dict[str, str]:
    """A profile's printed tables (its ``tables:`` block) → “预算01表 收支预算总表”, the year left out."""
    out = {}
    for tid, entry in tables.items():
        if isinstance(entry, Mapping):
            number = re.sub(r"\s+", "", str(entry.get("number") or tid))
            title = re.sub(r"^\s*\{\{[^}]*\}\}\s*年度?", "", str(entry.get("title") or "")).strip()
            out[str(tid)] = f"{number} {title}".strip()
    return out


def compare_cells(old: Figures, new: Figures, titles: Mapping[str, str] | None = None) -> list[Delta]:
    """Every cell that differs; ``titles`` (table id → group name) limits it to the tables a profile prints."""
    out = []
    for tid in sorted(new.tables):
        if tid in NOT_FIGURES or (titles is not None and tid not in titles):
            continue
        group = titles[tid] if titles is not None else f"公开{tid}表 {TABLE_TITLES.get(tid, '')}"
        t_old, t_new = old.tables.get(tid), new.tables[tid]
        rows = {r.key: r for r in (t_old.rows if t_old else [])}
        keys = [*(r.key for r in t_new.rows), *(k for k in rows if t_new.row(k) is None)]
        for key in keys:
            r_new, r_old = t_new.row(key), rows.get(key)
            row = r_new or r_old  # a key comes from one of the two tables
            label = f"{key} {row.label}" if row is not None and key[:1].isdigit() else key
            for col in t_new.columns:
                x = r_old.get(col) if r_old else Decimal(0)
                y = r_new.get(col) if r_new else Decimal(0)
                if x != y:
                    where = label if t_new.columns == ("金额",) else f"{label} · {col}"
                    out.append(Delta(group, where, *_pair(x, y)))
    return out


def flatten(value: Any, path: str, out: dict[str, Value]) -> None:
    """Derived figures as path → number; texts and input objects (indicators) are left out."""
    parts = VALUE_PARTS.get(type(value))
    if parts:
        for attr, name in parts:
            out[path if path.endswith(name) else f"{path} · {name}"] = getattr(value, attr)
    elif isinstance(value, dict):
        for k, v in value.items():
            flatten(v, f"{path}.{k}" if path else str(k), out)
    elif isinstance(value, list):
        for i, item in enumerate(value, 1):
            key = (item.get("编码") or item.get("名称") or i) if isinstance(item, dict) else i
            flatten(item, f"{path}[{key}]", out)
    elif isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        out[path] = value


def compare_facts(old: Figures, new: Figures) -> list[Delta]:
    a: dict[str, Value] = {}
    b: dict[str, Value] = {}
    flatten(old.facts, "", a)
    flatten(new.facts, "", b)
    out = []
    for path in dict.fromkeys([*b, *a]):
        x, y = a.get(path), b.get(path)
        if x != y:
            top = re.split(r"[.\[ ]", path)[0]
            out.append(Delta(f"说明中的推算数：{top}", path, *_pair(x, y, path.endswith(("率", "占比")))))
    return out


def document_lines(doc: Document) -> list[tuple[str, str, bool]]:
    """The lines of doc.text(), each with the headings above it and whether it is a table's."""
    out: list[tuple[str, str, bool]] = []
    heads: list[str] = []
    for block in doc.blocks:
        level = block.level if isinstance(block, Heading) else 0  # a Block's only level is a Heading's
        if isinstance(block, Heading) and level:
            heads = [*heads[: level - 1], block.text]
        where = " / ".join(heads[:-1] if level else heads)
        if isinstance(block, Table):
            where = f"{where} / {block.id}".strip(" /")
        for line in Document(doc.title, doc.unit, doc.year, [block]).text().split("\n"):
            out.append((line, where, isinstance(block, Table)))
    return out


def compare_documents(old: Document, new: Document) -> tuple[list[Hunk], list[str]]:
    a, b = document_lines(old), document_lines(new)
    matcher = difflib.SequenceMatcher(None, [x[0] for x in a], [x[0] for x in b], autojunk=False)
    hunks = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            ref = b[j1] if j1 < j2 else a[i1]
            hunks.append(Hunk(ref[1], [x[0] for x in a[i1:i2]], [x[0] for x in b[j1:j2]], ref[2]))
    figs = {f.id: f for f in old.blocks if isinstance(f, Figure)}
    charts = [f.caption for f in new.blocks if isinstance(f, Figure) and (f.id not in figs or figs[f.id].png != f.png)]
    return hunks, charts


def compare(
    old: Figures,
    new: Figures,
    docs: tuple[Document, Document],
    names: tuple[str, str],
    roots: tuple[Node, Node] | None = None,
    titles: Mapping[str, str] | None = None,
) -> Report:
    """The whole report. A kind other than the 决算 passes its files' ``roots`` and its profile's table ``titles``."""
    leaves = compare_leaves(old, new, roots)
    report = Report(*names, leaves, compare_cells(old, new, titles), compare_facts(old, new))
    report.hunks, report.charts = compare_documents(*docs)
    return report


def spans(old: str, new: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both lines cut into (text, changed) pieces, for highlighting what differs within a sentence."""
    x, y = TOKEN.findall(old), TOKEN.findall(new)  # a number changes as a whole, not digit by digit
    sm = difflib.SequenceMatcher(None, x, y, autojunk=False)
    a: list[tuple[str, bool]] = []
    b: list[tuple[str, bool]] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if i2 > i1:
            a.append(("".join(x[i1:i2]), op != "equal"))
        if j2 > j1:
            b.append(("".join(y[j1:j2]), op != "equal"))
    return a, b


def sections(report: Report) -> list[tuple[str, list[Delta] | list[Hunk] | list[str]]]:
    """The report's parts in order, with their Chinese headings (empty parts included)."""
    words = [h for h in report.hunks if not h.table]
    rows = [h for h in report.hunks if h.table]
    return [
        (f"一、输入中改动的值（{len(report.leaves)} 处）", report.leaves),
        (f"二、随之变化的表格单元格（{len(report.cells)} 格）", report.cells),
        (f"三、随之变化的推算数：合计、增减、占比、完成率（{len(report.facts)} 项）", report.facts),
        (f"四、说明文字的变化（{len(words)} 处）", words),
        (f"五、文档中表格行的变化（{len(rows)} 处）", rows),
        (f"六、随之变化的图（{len(report.charts)} 幅）", report.charts),
    ]


CSS = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #999;margin-top:1.6em}h3{font-size:1em}
table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:2px 8px;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}.where{color:#555;margin:.8em 0 .2em}
.old{background:#fdecea;margin:0;padding:2px 6px}.new{background:#e8f5e9;margin:0;padding:2px 6px}
del{background:#f5b7b1}ins{background:#a9dfbf;text-decoration:none}"""


def report_html(report: Report) -> str:
    """The report as one self-contained HTML page (escaped text, inline CSS, nothing fetched)."""
    e = html.escape
    out = [f"<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>比较：{e(report.old)} → "
           f"{e(report.new)}</title><style>{CSS}</style></head><body>",
           f"<h1>比较：{e(report.old)} → {e(report.new)}</h1>"]  # fmt: skip
    if report.same:
        out.append("<p>两个文件的数字、文字和生成的文档完全相同。</p>")
    for title, items in sections(report):
        out.append(f"<h2>{e(title)}</h2>")
        if items and isinstance(items[0], Delta):
            group, lines = None, items is report.leaves
            for d in items:
                if d.group != group:
                    head = "<th>新文件中的行</th>" if lines else ""
                    out.append(("</table>" if group else "") + f"<h3>{e(d.group)}</h3><table><tr><th>项目</th>"
                               f"<th>原值</th><th>新值</th>{head}</tr>")  # fmt: skip
                    group = d.group
                line = f"<td class=n>{d.line or '（已删去）'}</td>" if lines else ""
                cells = f"<td>{e(d.label)}</td><td class=n>{e(d.old)}</td><td class=n>{e(d.new)}</td>"
                out.append(f"<tr>{cells}{line}</tr>")
            out.append("</table>")
        elif items and isinstance(items[0], Hunk):
            for h in items:
                out.append(f"<p class=where>【{e(h.where)}】</p>")
                pairs = zip(h.old, h.new) if len(h.old) == len(h.new) else []
                for o, n in pairs:
                    a, b = spans(o, n)
                    out.append("<p class=old>− " + "".join(f"<del>{e(t)}</del>" if c else e(t) for t, c in a) + "</p>")
                    out.append("<p class=new>+ " + "".join(f"<ins>{e(t)}</ins>" if c else e(t) for t, c in b) + "</p>")
                if not pairs:
                    out.extend(f"<p class=old>− {e(o)}</p>" for o in h.old)
                    out.extend(f"<p class=new>+ {e(n)}</p>" for n in h.new)
        elif items:
            out.append("<ul>" + "".join(f"<li>{e(str(c))}</li>" for c in items) + "</ul>")  # the charts: names
        else:
            out.append("<p>无。</p>")
    out.append("</body></html>\n")
    return "\n".join(out)
