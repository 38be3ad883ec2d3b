"""Tables → the commented data file: leaf facts, 核对数, and `new`'s placeholders for the rest.

The file is written through workflows/new.py's entries (E), whose values are quoted
by q()/amt() (plain only when a YAML reader gives the same text back), and is
parsed again before it is written, so a name from the workbook can never
change the file's structure.
"""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from pathlib import Path

from ruamel.yaml import YAML

from yujuesuan.catalog import Catalog, load_catalog, nearest_year
from yujuesuan.errors import Finding, Findings, InputError, Location, Severity
from yujuesuan.kinds.juesuan.model import BALANCE_KEYS, FISCAL_SOURCES, FUNDS, SANGONG_ITEMS, SPENDING_TYPES
from yujuesuan.workflows.new import E, amt, class_path, is_entries, q, render, skeleton_entries
from yujuesuan.workflows.tables_import.find import NAMES, Found, table_of
from yujuesuan.workflows.tables_import.grid import ZERO, open_grids
from yujuesuan.workflows.tables_import.read import Tables, econ06, hierarchy, sangong09, summary01, summary04

INCOME_LEAVES = ("上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")
HEADER = (
    "{year} 年度部门决算 —— yujuesuan 输入文件（由 yujuesuan import-tables 从 {book} 的公开表生成）",
    "",
    "科目、经济分类、“三公”经费和结转结余来自表中的明细；表中印出的每个合计、类、款和小计",
    "都写在末尾的“核对数”中，check 会把它们与明细之和核对（万元数按尾数误差容许）。",
    "表中没有的内容（上年数、年初预算、原因、绩效、文字）与 yujuesuan new 一样空着，请补填。",
    "填好后运行 yujuesuan check 本文件，逐条处理错误和警告。",
)


def import_tables(book: Path, findings: Findings | None = None, year: int | None = None) -> str:
    """The data file text of the nine tables in ``book``; InputError (every problem, located) if unreadable.

    The year is read from the tables' titles (“2023 年度…”); ``year`` is used when no title states one.
    """
    found_errors = Findings()
    grids = open_grids(book, found_errors)
    tables: dict[str, Found] = {}
    for grid in grids:
        found = table_of(grid)
        if found is not None and found.id not in tables:
            tables[found.id] = found
    for tid, name in NAMES.items():
        if tid not in tables:
            found_errors.add(
                "tables-missing",
                f"工作簿中找不到公开{tid}表“{name}”（按表标题查找）。请确认导出了全部九张公开表。",
                Location(str(book)),
            )
    if found_errors.errors:
        raise InputError(found_errors.errors)
    year = next((f.year for f in tables.values() if f.year), None) or year
    if year is None:
        message = "表标题中找不到决算年度（如“2023 年度收入支出决算总表”）。请用 --year 指定，如 --year 2024。"
        where = Location(f"{book}!{tables['01'].grid.name}", tables["01"].title_row, 1)
        raise InputError(Finding("tables-year", Severity.ERROR, message, where))
    catalog = load_catalog(nearest_year(year))
    out = Tables(year=year)
    for tid in ("02", "03", "05", "07", "08"):
        hierarchy(tables[tid], out)
    summary01(tables["01"], out, catalog)
    summary04(tables["04"], out, catalog)
    econ06(tables["06"], out)
    sangong09(tables["09"], out)
    units = {f.unit for f in tables.values() if f.unit}
    if not units:
        f = tables["01"]
        message = f"{f.grid.name}：找不到“金额单位：万元”（或 元）一行。"
        found_errors.add("tables-unit", message, f.grid.loc(f.title_row, 1))
    elif len(units) > 1:
        each = "、".join(f"公开{f.id}为{f.unit}" for f in sorted(tables.values(), key=lambda f: f.id) if f.unit)
        found_errors.add("tables-unit", f"各表的金额单位不一致：{each}。", Location(str(book)))
    if found_errors.errors:
        raise InputError(sorted(found_errors.errors, key=lambda f: (f.location.file, f.location.line)))
    out.unit = units.pop()
    out.name = next((f.unit_name for f in tables.values() if f.unit_name), "")
    text = render_text(out, catalog, book.name)
    if findings is not None:
        findings.items.extend(found_errors.items)
    return text


def _flow(values: dict[str, Decimal], keys: tuple[str, ...]) -> list[E]:
    return [E(k, amt(values[k])) for k in keys if values.get(k)]


def _item(code: str, t: dict[str, dict[str, Decimal]], catalog: Catalog, name: str) -> E:
    inc = t.get("02", {})
    gf = t.get("07", {})
    income = dict(inc)
    fiscal = inc.get("财政拨款收入", ZERO)
    soe = t.get("08", {})
    income["政府性基金预算财政拨款"] = gf.get("本年收入", ZERO)
    income["国有资本经营预算财政拨款"] = soe.get("本年收入", ZERO)
    income["一般公共预算财政拨款"] = fiscal - income["政府性基金预算财政拨款"] - income["国有资本经营预算财政拨款"]
    body = [
        E("收入", _flow(income, (*FISCAL_SOURCES, *INCOME_LEAVES))),
        E("支出", _flow(t.get("03", {}), SPENDING_TYPES)),
        E("一般公共预算财政拨款支出", _flow(t.get("05", {}), ("基本支出", "项目支出"))),
    ]
    if any(gf.get(k) for k in ("年初结转和结余", "基本支出", "项目支出")):
        body.append(E("政府性基金预算财政拨款支出", _flow(gf, ("年初结转和结余", "基本支出", "项目支出"))))
    if any(soe.get(k) for k in ("年初结转和结余", "基本支出", "项目支出")):
        body.append(E("国有资本经营预算财政拨款支出", _flow(soe, ("年初结转和结余", "基本支出", "项目支出"))))
    body += [E("年初预算", None, "表中没有：该项一般公共预算财政拨款支出的年初预算数"), E("差异原因")]
    body = [e for e in body if e.value != []]
    note = class_path(catalog, code) if catalog.name(code) else _one_line(name)
    return E(f'"{code}"', body, note)


def _one_line(text: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+", " ", text)


def _key(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def render_text(out: Tables, catalog: Catalog, book: str) -> str:
    year = out.year or 0
    entries = skeleton_entries(catalog, year, out.unit)
    by_key = {e.key: e for e in entries}
    unit = by_key["单位"].value
    assert is_entries(unit)
    unit[0] = E("名称", q(out.name) if out.name else unit[0].value, unit[0].note)
    custom = {c: n for c, n in out.names.items() if not catalog.name(c) and n}
    if custom:
        by_key["概况"].below = ("", "# 科目目录中没有的本地科目（名称照表中所印）：")
        entries.insert(entries.index(by_key["概况"]) + 1,
                       E("自定义科目", [E(f'"{c}"', q(n)) for c, n in sorted(custom.items())]))  # fmt: skip
    by_key["科目"].value = [_item(c, out.items[c], catalog, out.names.get(c, "")) for c in sorted(out.items)]
    by_key["结转结余"].value = [
        *(E(k, amt(out.balances.get(k, ZERO))) for k in BALANCE_KEYS),
        E("年初财政拨款结转和结余", [E(f, amt(out.fund_open.get(f, ZERO))) for f in FUNDS]),
        E("年末财政拨款结转和结余", [E(f, amt(out.fund_close.get(f, ZERO))) for f in FUNDS]),
    ]
    econ_names = {i.code: i.name for i in catalog.econ_items}
    by_key["经济分类"].value = [E(f'"{c}"', amt(v), econ_names.get(c, "")) for c, v in out.econ.items()] or None
    sangong = by_key["三公经费"].value
    assert is_entries(sangong)
    for i, side in enumerate(("预算", "决算")):
        sangong[i] = E(side, [E(k, amt(out.sangong.get(side, {}).get(k, ZERO))) for k in SANGONG_ITEMS])
    said = by_key["说明"].value
    assert is_entries(said)
    classes = sorted({c[:3] for c in out.items})
    said[-1] = E("类用途", [E(f'"{c}"', None, catalog.name(c) or "") for c in classes], said[-1].note)
    declared = [
        E(_key(table), [E(_key(row), [E(_key(col), amt(v)) for col, v in cols.items()]) for row, cols in rows.items()])
        for table, rows in sorted(out.declared.items())
    ]
    entries.append(E("核对数", declared, above=("", "核对数：表中印出的合计、类、款和小计（由 import-tables 抄录）。")))
    header = tuple(h.format(year=year, book=_one_line(book)) for h in HEADER)
    text = render(entries, header)
    YAML(typ="safe", pure=True).load(io.StringIO(text))  # the text must parse (a bug here, never a user error)
    return text
