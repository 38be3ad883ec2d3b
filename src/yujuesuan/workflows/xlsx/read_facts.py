"""The fact sheets → Facts: which sheet feeds which block, and the checks that need a whole row."""

from __future__ import annotations

import re

from yujuesuan.kinds.juesuan import schema
from yujuesuan.kinds.juesuan.validate_perf import INDICATOR_KEYS
from yujuesuan.workflows.xlsx import layout
from yujuesuan.workflows.xlsx.read_extra import coded, error, read_extra
from yujuesuan.workflows.xlsx.read_sheets import Row, Value, find_header, read_items, read_kv, read_rows
from yujuesuan.workflows.xlsx.sheets import CellReader, Sheet
from yujuesuan.workflows.xlsx.to_yaml import Facts, Goal


def read_facts(reader: CellReader, sheets: dict[str, Sheet], facts: Facts) -> None:
    # The 单位 sheet first: it declares the money unit every amount is read in.
    facts.kv["单位"] = read_kv(reader, sheets["单位"], layout.KV_SHEETS["单位"])
    for name in (f.key for f in schema.field("单位").fields if f.required):  # 名称, 年度
        if (name,) not in facts.kv["单位"]:
            reader.findings.add("missing", f"“单位”表缺少“{name}”。", sheets["单位"].loc(1, 1))
    unit = facts.kv["单位"].get(("金额单位",))
    reader.unit = unit.text if unit else "万元"
    for name, fields in layout.KV_SHEETS.items():
        if name != "单位" and name in sheets:
            facts.kv[name] = read_kv(reader, sheets[name], fields)
    facts.items = _items(reader, sheets[layout.ITEM_SHEET])
    if "自定义科目" in sheets:
        facts.custom = coded(
            reader, sheets["自定义科目"], r"\d{3}(\d{2}(\d{2})?)?", "3、5 或 7 位功能分类或经济分类科目编码"
        )
    if "经济分类" in sheets:
        facts.econ = coded(reader, sheets["经济分类"], r"\d{5}", '款级（5 位）经济分类科目编码，如 "30101"')
    read_extra(reader, sheets, facts)
    if "重点工作" in sheets:
        _key_work(reader, sheets["重点工作"], facts)
    projects = _rows(reader, sheets, "绩效项目")
    facts.projects = [(row, []) for row in projects]
    _indicators(reader, _rows(reader, sheets, "绩效指标"), facts)
    facts.declared = _declared(reader, _rows(reader, sheets, "核对数"))


def _rows(reader: CellReader, sheets: dict[str, Sheet], name: str) -> list[Row]:
    if name not in sheets:
        return []
    return [row for _, row in read_rows(reader, sheets[name], layout.ROW_SHEETS[name])]


def _items(reader: CellReader, sheet: Sheet) -> list[Row]:
    out: dict[str, Row] = {}
    for _, row in read_items(reader, sheet):
        code = row.get("科目编码")
        if code is None:
            first = next(iter(row.values()))
            error(reader, first, "这一行填了数据，但没有科目编码。请填写项级（7 位）功能分类科目编码。", "code")
            continue
        if not re.fullmatch(r"\d{7}", code.text):
            error(reader, code, f"“{code.text}”不是项级（7 位）功能分类科目编码。", "code")
            continue
        if code.text in out:
            error(
                reader,
                code,
                f"科目 {code.text} 出现了两行（另一行在第 {out[code.text]['科目编码'].loc.line} 行），请合并为一行。",
            )
            continue
        out[code.text] = row
    return [out[code] for code in sorted(out)]


def _key_work(reader: CellReader, sheet: Sheet, facts: Facts) -> None:
    table = find_header(reader, sheet, tuple(name for name, _ in layout.ROW_SHEETS["重点工作"][1:]), need=2)
    top = find_header(reader, sheet, ("项目", "内容"))
    if top is not None and (table is None or top < table):
        cols = {reader.read(sheet, top, c, "info"): c for c in sheet.columns(top)}
        for r in sheet.rows(top + 1, (table or 10**9) - 1):
            if reader.read(sheet, r, cols["项目"], "text") == layout.KEY_WORK_TEXT:
                facts.key_work_text = _value(reader, sheet, r, cols["内容"], "重点工作.正文")
    if table is not None:
        facts.key_work = [row for _, row in read_rows(reader, sheet, layout.ROW_SHEETS["重点工作"], first=table)]


def _value(reader: CellReader, sheet: Sheet, r: int, c: int, path: str) -> Value | None:
    text = reader.read(sheet, r, c, "text", path)
    return None if text is None else Value(text, "text", sheet.loc(r, c))


def _indicators(reader: CellReader, rows: list[Row], facts: Facts) -> None:
    """绩效指标 rows → 整体 goals (grouped by 目标) and each project's indicators (by 所属)."""
    owners: dict[str, int] = {}
    for i, (project, _) in enumerate(facts.projects):
        owners[f"项目{i + 1}"] = i
        if "名称" in project:
            owners.setdefault(project["名称"].text, i)
    goals: dict[str, Goal] = {}
    for row in rows:
        owner = row.get("所属")
        indicator = {k: row[k] for k in INDICATOR_KEYS if k in row}
        if owner is None:
            error(reader, next(iter(row.values())), "这一行没有填“所属”（整体或项目名称）。")
            continue
        if indicator and "得分" not in indicator:
            error(reader, owner, "这一行的指标没有填“得分”。")
            continue
        if owner.text == "整体":
            _goal_row(reader, row, owner, indicator, goals)
        elif owner.text in owners:
            if indicator:
                facts.projects[owners[owner.text]][1].append(indicator)
        else:
            known = "、".join(["整体", *owners]) if owners else "整体"
            error(reader, owner, f"“所属”应为“整体”或“绩效项目”表中的项目名称（{known}），实际为“{owner.text}”。")
    facts.goals = list(goals.values())


def _goal_row(reader: CellReader, row: Row, owner: Value, indicator: Row, goals: dict[str, Goal]) -> None:
    name = row.get("目标")
    if name is None:
        error(reader, owner, "整体的指标要填“目标”（目标名称）。")
        return
    goal = goals.setdefault(name.text, Goal(name, None))
    weight = row.get("目标分值")
    if weight is not None and goal.weight is None:
        goal.weight = weight
    elif weight is not None and goal.weight is not None and weight.text != goal.weight.text:
        error(reader, weight, f"目标“{name.text}”的分值前后不一致（{goal.weight.text} 和 {weight.text}）。")
    if indicator:
        goal.indicators.append(indicator)


def _declared(reader: CellReader, rows: list[Row]) -> list[Row]:
    seen: dict[tuple[str, str, str], Value] = {}
    out = []
    for row in rows:
        missing = [k for k in ("表", "行", "金额") if k not in row]
        if missing:
            error(reader, next(iter(row.values())), f"核对数这一行缺少“{'、'.join(missing)}”。")
            continue
        cell = (row["表"].text, row["行"].text, row["列"].text if "列" in row else "")
        if cell in seen:
            error(reader, row["金额"], f"核对数“{' / '.join(c for c in cell if c)}”填了两次，请只留一行。")
            continue
        seen[cell] = row["金额"]
        out.append(row)
    return out
