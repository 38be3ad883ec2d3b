"""元 or 万元? Compare the workbook's declared totals (核对数) with the totals its leaves add up to.

A declared total about 10,000 times the derived one (or a 10,000th of it)
means the 单位 sheet's 金额单位 does not match how the figures were typed.
The check runs the ordinary pipeline stages on the imported text.
"""

from __future__ import annotations

from decimal import Decimal

from yujuesuan.errors import Findings, InputError
from yujuesuan.input.load import parse_text
from yujuesuan.kinds.juesuan.derive.tables import build_tables
from yujuesuan.kinds.juesuan.sanity import check_codes
from yujuesuan.kinds.juesuan.validate import read_model
from yujuesuan.pipeline import catalog_for
from yujuesuan.workflows.xlsx.to_yaml import Facts

WAN = Decimal(10_000)
SLACK = Decimal("0.02")  # 2%: rounding of the declared figure


def check_units(text: str, name: str, facts: Facts, found: Findings) -> None:
    if not facts.declared:
        return
    scratch = Findings()
    try:
        model = read_model(parse_text(text, name), name, scratch)
        if not model.year:
            return
        catalog = catalog_for(model)
        check_codes(model, catalog, scratch)
        if scratch.errors:
            return  # the check command reports these against the YAML file
        tables = build_tables(model, catalog)
    except (InputError, KeyError, ValueError, ArithmeticError):
        return
    unit = model.unit
    for row in facts.declared:
        digits = "".join(ch for ch in row["表"].text if ch.isdigit()).zfill(2)
        table = tables.get(digits)
        line = table.row(row["行"].text) if table else None
        column = row["列"].text if "列" in row else (table.columns[0] if table else "")
        derived = line.derived.get(column) if line else None
        declared = Decimal(row["金额"].text)
        if not derived or not declared:
            continue
        ratio = declared / derived
        for factor, times in ((WAN, "10000 倍"), (1 / WAN, "万分之一")):
            if abs(ratio / factor - 1) <= SLACK:
                found.warn(
                    "unit-mixup",
                    f"核对数 {declared} 约是明细推算数 {derived} 的{times}：金额单位可能不一致"
                    f"（“单位”表声明为“{unit}”）。请检查核对数和各表明细是否都按“{unit}”填写。",
                    row["金额"].loc,
                    "核对数",
                )
