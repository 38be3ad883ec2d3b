"""The row sheets of codes and of the optional blocks → Facts rows, with the checks that need a whole row.

经济分类 and 自定义科目 (read_facts.py calls ``coded``), and the blocks only some
layouts print: 项目支出经济分类, 其他财政拨款经济分类, 名词解释 and 附件.
"""

from __future__ import annotations

import re

from yujuesuan.workflows.xlsx import layout
from yujuesuan.workflows.xlsx.read_sheets import Row, Value, read_rows
from yujuesuan.workflows.xlsx.sheets import CellReader, Sheet
from yujuesuan.workflows.xlsx.to_yaml import Facts

ECON_ITEM = '款级（5 位）经济分类科目编码，如 "30226"'


def error(reader: CellReader, value: Value, message: str, rule: str = "input") -> None:
    reader.findings.add(rule, message, value.loc)


def coded(reader: CellReader, sheet: Sheet, pattern: str, what: str) -> list[Row]:
    """The rows of a sheet keyed by 编码: each code once, and of the form ``pattern``."""
    name = sheet.name.strip()
    out: dict[str, Row] = {}
    for _, row in read_rows(reader, sheet, layout.ROW_SHEETS[name]):
        code = row.get("编码")
        if code is None:
            error(reader, next(iter(row.values())), f"这一行没有编码。请填写{what}。", "code")
        elif not re.fullmatch(pattern, code.text):
            error(reader, code, f"“{code.text}”不是{what}。", "code")
        elif code.text in out:
            error(reader, code, f"编码 {code.text} 重复出现，请只留一行。")
        else:
            out[code.text] = row
    return list(out.values())


def read_extra(reader: CellReader, sheets: dict[str, Sheet], facts: Facts) -> None:
    if "项目支出经济分类" in sheets:
        facts.project_econ = coded(reader, sheets["项目支出经济分类"], r"3\d{4}", ECON_ITEM)
    if "其他财政拨款经济分类" in sheets:
        facts.fund_econ = coded(reader, sheets["其他财政拨款经济分类"], r"3\d{4}", ECON_ITEM)
    if "名词解释" in sheets:
        facts.terms = coded(reader, sheets["名词解释"], r"\d{7}", '项级（7 位）功能分类科目编码，如 "2013350"')
    if "附件" in sheets:
        for _, row in read_rows(reader, sheets["附件"], layout.ROW_SHEETS["附件"]):
            if "标题" not in row:
                error(reader, row["正文"], "这个附件没有填“标题”。", "missing")
                continue
            facts.annexes.append(row)
