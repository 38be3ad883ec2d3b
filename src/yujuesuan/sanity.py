"""Checks that need the catalog or the derived sizes: unknown codes, mixed-up money units."""

from __future__ import annotations

from decimal import Decimal

from yujuesuan.catalog import Catalog
from yujuesuan.derive import Figures
from yujuesuan.errors import Findings
from yujuesuan.model import Model

SUSPICIOUS_WAN = Decimal(100_000)  # 10 亿元 in one leaf of a 万元 file: likely typed in 元


def check_codes(model: Model, catalog: Catalog, findings: Findings) -> None:
    """Every code must be in the catalog, or named by the file in 自定义科目."""
    classes = {c.code for c in catalog.classes}
    for code in model.items:
        path = f"科目.{code}"
        missing = [c for c in (code[:3], code[:5], code) if catalog.name(c) is None]
        if missing:
            findings.add(
                "unknown-code",
                f"{catalog.year} 年科目目录中没有功能分类科目 {'、'.join(missing)}。"
                f'请核对编码；若确为本地科目，请在“自定义科目”中写出其名称，如 "{missing[0]}": 名称。',
                model.loc(path),
                path,
            )
        elif code[:3] not in classes:
            findings.add(
                "unknown-class",
                f"科目 {code} 所属的类 {code[:3]} 不在 {catalog.year} 年公开01表的类中。",
                model.loc(path),
                path,
            )
    known_econ = {i.code for i in catalog.econ_items}
    for code in model.econ:
        path = f"经济分类.{code}"
        if code not in known_econ:
            name = catalog.name(code)
            what = f"“{code} {name}”不在公开06表中" if name else f"经济分类目录中没有 {code}"
            findings.add(
                "unknown-econ",
                f"{what}。公开06表只列 301、302、303、310 类的款级科目，请核对编码。",
                model.loc(path),
                path,
            )
    for project in model.performance.projects:
        if project.code and project.code not in model.items:
            path = f"{project.path}.科目"
            findings.add(
                "project-code",
                f"项目“{project.name}”的科目 {project.code} 不在“科目”块中。",
                model.loc(path),
                path,
            )


def check_units(figures: Figures, findings: Findings) -> None:
    """Warn when figures look typed in the other money unit (off by 10,000)."""
    model = figures.model
    total = figures.tables["03"].get("合计", "本年支出合计")
    if model.unit == "万元":
        for code, item in model.items.items():
            for kind, value in (*item.income.items(), *item.spending.items()):
                if value >= SUSPICIOUS_WAN:
                    path = f"科目.{code}.{'收入' if kind in item.income else '支出'}.{kind}"
                    findings.warn(
                        "unit-mixup",
                        f"金额 {value} 万元（{value / 10000} 亿元）异常大，是否按“元”填写了？"
                        "本文件的金额单位是“万元”。",
                        model.loc(path),
                        path,
                    )
    elif model.unit == "元" and 0 < total < 10_000:
        findings.warn(
            "unit-mixup",
            f"本年支出合计只有 {total} 元，是否按“万元”填写了？本文件的金额单位是“元”。",
            model.loc("单位.金额单位"),
            "单位.金额单位",
        )
