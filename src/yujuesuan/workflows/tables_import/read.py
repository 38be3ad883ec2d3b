"""The nine tables → leaf facts and declared totals (核对数), in the file's unit.

Leaves are what the data file holds: the 项 rows of 02/03/05/07/08, the
经济分类 items of 06, the 三公 items of 09, the 结转结余 rows of 01/04. Every
other printed figure (合计, 类, 款, a 项's 小计, the totals of 01/04/06/09) is
kept as a declared total, so that `check` compares it with what its leaves add up to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from yujuesuan.catalog import Catalog
from yujuesuan.kinds.juesuan.model import BALANCE_KEYS, FUNDS, SANGONG_ITEMS
from yujuesuan.workflows.tables_import.find import NAMES, Found, column_heads, read_top
from yujuesuan.workflows.tables_import.grid import ZERO, Grid

# Column header (its last text, or all its texts joined) → the column name in the derived table.
HIER_COLUMNS = {
    "02": ("本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"),
    "03": ("本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"),
    "05": ("小计", "基本支出", "项目支出"),
    "07": ("年初结转和结余", "本年收入", "小计", "基本支出", "项目支出", "年末结转和结余"),
    "08": ("合计", "基本支出", "项目支出"),
}
# The 2024 national layout's 国有资本经营预算 table has 公开07's columns (收入支出决算表).
FLOWS08 = ("年初结转和结余", "本年收入", "合计", "基本支出", "项目支出", "年末结转和结余")
OPTIONAL = {"07": ("年初结转和结余", "年末结转和结余"), "08": ("年初结转和结余", "本年收入", "年末结转和结余")}
ALIASES = {"合计": "小计", "本年支出": "小计"}  # 05 may print 合计 for 小计; 08 the reverse
LEAF_COLUMNS = {  # columns of a 项 row that are leaves (the others are its 小计/合计)
    "02": HIER_COLUMNS["02"][1:], "03": HIER_COLUMNS["03"][1:], "05": ("基本支出", "项目支出"),
    "07": ("年初结转和结余", "本年收入", "基本支出", "项目支出"),
    "08": ("年初结转和结余", "本年收入", "基本支出", "项目支出"),
}  # fmt: skip
CODE_HEADS = ("编码", "科目代码", "代码")
NAME_HEADS = ("科目名称", "名称")
KLX = ("类", "款", "项")


@dataclass
class Tables:
    unit: str = ""
    year: int | None = None
    name: str = ""
    items: dict[str, dict[str, dict[str, Decimal]]] = field(default_factory=dict)  # 项 → table → column → amount
    econ: dict[str, Decimal] = field(default_factory=dict)
    balances: dict[str, Decimal] = field(default_factory=dict)
    fund_open: dict[str, Decimal] = field(default_factory=dict)
    fund_close: dict[str, Decimal] = field(default_factory=dict)
    sangong: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # 预算 / 决算 → item → amount
    declared: dict[str, dict[str, dict[str, Decimal]]] = field(default_factory=dict)  # 公开NN → row → col → amount
    names: dict[str, str] = field(default_factory=dict)  # code → name as printed

    def declare(self, tid: str, row: str, col: str, value: Decimal) -> None:
        self.declared.setdefault(f"公开{tid}", {}).setdefault(row, {})[col] = value


def _col_name(tid: str, parts: list[str]) -> str | None:
    known = FLOWS08 if tid == "08" else HIER_COLUMNS[tid]
    for text in reversed(parts):
        if text in known:
            return text
        if text in ALIASES and ALIASES[text] in known:
            return ALIASES[text]
        if tid == "08" and text == "小计":
            return "合计"
    return None


def hierarchy(found: Found, out: Tables) -> None:
    """02, 03, 05, 07, 08: code column(s), a name column, amount columns found by header text."""
    grid, tid = found.grid, found.id
    if not read_top(found, ("项目", "科目", "编码", "类")):
        _no_body(found)
        return
    heads = column_heads(found)
    code_cols: list[int] = []
    name_col, amounts = 0, {}
    for c, parts in heads.items():
        last = parts[-1] if parts else ""
        if not parts or last in ("栏次", "行次"):
            continue
        if any(h in last for h in CODE_HEADS) and not code_cols:
            code_cols = [c]
        elif last in KLX:
            code_cols.append(c)
        elif any(h == last or last.endswith(h) for h in NAME_HEADS) or last == "项目":
            name_col = name_col or c
        elif (col := _col_name(tid, parts)) is not None:
            amounts[col] = c
        else:
            r = next(r for r in found.header if grid.text(r, c) == last)
            r, c = grid.sheet.origin.get((r, c), (r, c))  # the merged header's own cell
            known = "、".join(HIER_COLUMNS[tid])
            grid.error(r, c, f"不认识的表头“{'／'.join(parts)}”（{NAMES[tid]}）。可识别的列：{known}。")
    if not code_cols:
        grid.error(found.header[0], 1, f"找不到“科目编码”列（{NAMES[tid]}）。")
        return
    for col in HIER_COLUMNS[tid]:
        if col not in amounts and col not in OPTIONAL.get(tid, ()):
            grid.error(found.header[-1], 1, f"找不到“{col}”列（{NAMES[tid]}）。")
    for r in grid.rows():
        if r < found.first:
            continue
        code = _code(grid, r, code_cols)
        if code is None:
            break  # the notes below the table
        if not code:
            continue
        if name_col and len(code) == 7:
            out.names.setdefault(code, grid.printed(r, name_col))
        values = {col: grid.amount(r, c) for col, c in amounts.items()}
        if len(code) == 7:
            leaf = out.items.setdefault(code, {}).setdefault(tid, {})
            leaf.update({k: v for k, v in values.items() if k in LEAF_COLUMNS[tid]})
            totals = {k: v for k, v in values.items() if k not in LEAF_COLUMNS[tid]}
        else:
            totals = values
        for col, v in totals.items():
            if tid == "08" and col not in HIER_COLUMNS["08"]:
                continue  # 08's 年末结转和结余: derived from its leaves, no 核对数 cell for it in 公开08
            if v or code == "合计":
                out.declare(tid, code, col, v)


def _code(grid: Grid, r: int, cols: list[int]) -> str | None:
    """The row's 科目编码 ('' for a blank row, None where the table ends)."""
    texts = [grid.text(r, c, fill=False) for c in cols]
    first = next((t for t in texts if t), "")
    if first.startswith(("注", "说明")) or (first and not first.isdigit() and first not in ("合计", "总计")):
        return None
    if first in ("合计", "总计"):
        return "合计"
    if len(cols) == 1:
        return first
    lei, kuan, xiang = [*texts, "", "", ""][:3]
    if not lei and not kuan and not xiang:
        return ""
    code = lei
    for part, width in ((kuan, 5), (xiang, 7)):
        if not part:
            break
        code = part if len(part) == width and part.startswith(code) else code + part.zfill(2)
    if not re.fullmatch(r"\d{3}|\d{5}|\d{7}", code):
        grid.error(r, cols[0], f"读不出科目编码（{'/'.join(texts)}）。")
        return ""
    return code


def _no_body(found: Found) -> None:
    found.grid.error(found.title_row, 1, f"找不到{NAMES[found.id]}的表头和数据行。")


def _pairs(found: Found, label_head: str = "项目") -> list[tuple[int, int, str]]:
    """01/04: (label column, first amount column, side) for the 收入 and 支出 halves."""
    heads = column_heads(found)
    labels = [c for c, parts in heads.items() if parts and parts[-1] == label_head]
    out = []
    for i, c in enumerate(labels):
        amount = next((x for x in range(c + 1, found.grid.width() + 1)
                       if heads.get(x) and heads[x][-1] not in ("行次", "栏次", label_head)), 0)  # fmt: skip
        out.append((c, amount, "收入" if i == 0 else "支出"))
    return out


def _two_sides(
    found: Found, catalog: Catalog, table: str
) -> tuple[dict[str, str], list[tuple[int, int, str]]] | None:
    """A 总表's class names → codes and its 收入/支出 (label, amount, side) columns; None after a finding."""
    if not read_top(found, ("项目", "收入")):
        _no_body(found)
        return None
    pairs = _pairs(found)
    if len(pairs) != 2:
        found.grid.error(found.header[0], 1, f"找不到收入、支出两侧的“项目”列（{table}）。")
        return None
    return {c.name: c.code for c in catalog.classes}, pairs


def summary01(found: Found, out: Tables, catalog: Catalog) -> None:
    grid = found.grid
    sides = _two_sides(found, catalog, "收入支出决算总表")
    if sides is None:
        return
    classes, pairs = sides
    for label_col, amount_col, side in pairs:
        for r in [r for r in grid.rows() if r >= found.first]:
            label = grid.label(r, label_col)
            if label.startswith(("注", "说明")):
                break
            if not label:
                continue
            v = grid.amount(r, amount_col)
            if label == "总计":
                out.declare("01", "收入总计" if side == "收入" else "支出总计", "金额", v)
            elif label in BALANCE_KEYS:
                out.balances[label] = v
            elif label in classes:
                if v:
                    out.declare("01", classes[label], "金额", v)
            elif label.endswith(("合计", "收入")):
                out.declare("01", label, "金额", v)
            elif v:
                grid.error(r, label_col, f"不认识的行“{label}”（收入支出决算总表），其金额 {v} 无处可放。")


def summary04(found: Found, out: Tables, catalog: Catalog) -> None:
    grid = found.grid
    sides = _two_sides(found, catalog, "财政拨款收入支出决算总表")
    if sides is None:
        return
    classes, pairs = sides
    heads = column_heads(found)
    (in_label, in_amount, _), (out_label, _, _) = pairs
    fund_cols: dict[str, int] = {}
    for c in range(out_label + 1, grid.width() + 1):
        last = heads.get(c, [""])[-1] if heads.get(c) else ""
        for name in ("合计", *FUNDS):
            if last.startswith(name) and name not in fund_cols:
                fund_cols[name] = c
    if "合计" not in fund_cols or "一般公共预算" not in fund_cols:
        message = "找不到支出侧的“合计”“一般公共预算财政拨款”列（财政拨款收入支出决算总表）。"
        grid.error(found.header[-1], out_label, message)
        return
    opening = False
    for r in [r for r in grid.rows() if r >= found.first]:
        label = grid.label(r, in_label)
        if label.startswith(("注", "说明")):
            break
        v = grid.amount(r, in_amount) if label else ZERO
        if label == "年初财政拨款结转和结余":
            opening = True
            out.declare("04", label, "金额", v)
        elif label == "总计":
            out.declare("04", "收入总计", "金额", v)
        elif label == "本年收入合计":
            out.declare("04", label, "金额", v)
        elif label.removesuffix("收入") in [f"{f}财政拨款" for f in FUNDS]:
            fund = label.removesuffix("收入").removesuffix("财政拨款")
            if opening:
                out.fund_open[fund] = v
            else:
                out.declare("04", f"{fund}财政拨款", "金额", v)
        slabel = grid.label(r, out_label)
        if not slabel:
            continue
        cells = {name: grid.amount(r, c) for name, c in fund_cols.items()}
        if slabel == "年末财政拨款结转和结余":
            out.fund_close.update({f: cells.get(f, ZERO) for f in FUNDS})
            continue
        key = {"总计": "支出总计", "本年支出合计": "本年支出合计"}.get(slabel) or classes.get(slabel)
        if not key and any(cells.values()):
            grid.error(r, out_label, f"不认识的行“{slabel}”（财政拨款收入支出决算总表），其金额无处可放。")
        if key:
            for name, value in cells.items():
                if value or key != classes.get(slabel):
                    out.declare("04", key, name, value)


def econ06(found: Found, out: Tables) -> None:
    grid = found.grid
    if not read_top(found, ("科目", "人员经费")):
        _no_body(found)
        return
    heads = column_heads(found)
    codes = [c for c, parts in heads.items() if parts and any(h in parts[-1] for h in CODE_HEADS)]
    if not codes:
        grid.error(found.header[-1], 1, "找不到“科目代码”列（一般公共预算财政拨款基本支出决算明细表）。")
        return
    for code_col in codes:
        amount_col = next((c for c in range(code_col + 1, grid.width() + 1)
                           if heads.get(c) and heads[c][-1] in ("决算数", "金额", "合计")), 0)  # fmt: skip
        for r in [r for r in grid.rows() if r >= found.first]:
            code = grid.text(r, code_col, fill=False)
            if code.startswith(("注", "说明")):
                break
            if code.endswith("经费合计"):  # its amount: the first figure right of the (merged) label
                c2 = next((c for c in range(code_col + 1, grid.width() + 1)
                           if (r, c) in grid.sheet.cells and (r, c) not in grid.sheet.origin), 0)  # fmt: skip
                out.declare("06", code, "金额", grid.amount(r, c2) if c2 else ZERO)
                continue
            if not re.fullmatch(r"\d{3}|\d{5}", code) or not amount_col:
                continue
            v = grid.amount(r, amount_col)
            if len(code) == 5:
                if v:
                    out.econ[code] = v
            elif v:
                out.declare("06", code, "金额", v)


def sangong09(found: Found, out: Tables) -> None:
    grid = found.grid
    rows = [r for r in grid.rows() if r > found.title_row]
    header: list[int] = []
    data = 0
    for r in rows:
        texts = [grid.text(r, c) for c in range(1, grid.width() + 1)]
        joined = "".join(texts)
        if not header and not any(w in joined for w in ("预算", "因公出国", "公务接待")):
            if "单位" in joined and "元" in joined:
                found.unit = "万元" if "万元" in joined else "元"
            continue
        nonempty = [t for t in texts if t]
        if header and nonempty and all(re.fullmatch(r"-?[\d,，.]+", t) for t in nonempty):
            if [t for t in nonempty] == [str(i) for i in range(1, len(nonempty) + 1)]:
                header.append(r)  # 栏次
                continue
            data = r
            break
        header.append(r)
    if not header or not data:
        _no_body(found)
        return
    found.header = header
    heads = column_heads(found)
    # 预算数 and 决算数 may head two groups of items (武汉 2023) or stand under each item (2024).
    items = (*SANGONG_ITEMS, "小计", "公务用车购置及运行维护费", "合计")
    for c in range(1, grid.width() + 1):
        parts = heads.get(c, [])
        if not parts:
            continue
        side = next((s for p in parts for s in ("预算", "决算") if p.startswith(s)), "")
        item = next((p for p in reversed(parts) if p in items), "")
        if not side or not item:
            r = next(r for r in header if grid.text(r, c) == parts[-1])
            r, c0 = grid.sheet.origin.get((r, c), (r, c))
            grid.error(r, c0, f"不认识的表头“{'／'.join(parts)}”（{NAMES['09']}）：应有预算数或决算数，及费用名称。")
            continue
        v = grid.amount(data, c)
        if item in SANGONG_ITEMS:
            out.sangong.setdefault(side, {})[item] = v
        elif item in ("小计", "公务用车购置及运行维护费"):
            out.declare("09", "合计", f"{side}.公务用车购置及运行维护费", v)
        else:
            out.declare("09", "合计", f"{side}.合计", v)
