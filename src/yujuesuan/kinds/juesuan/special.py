"""The 决算's tables a section places with ``[[表 名称]]``: 重点工作, 整体绩效, 项目绩效N (built by perf.py)."""

from __future__ import annotations

import re
from typing import Any

from yujuesuan.compose.document import Block, Table
from yujuesuan.compose.numbers import NumberFormat
from yujuesuan.derive import Figures
from yujuesuan.errors import UsageError
from yujuesuan.kinds.juesuan import perf


def special_table(f: Figures, fmt: NumberFormat, config: dict[str, Any], name: str) -> list[Block]:
    unit = f.model.name
    year = f.model.year
    perf_facts = f.facts["绩效"]
    notes = tuple(config.get("performance_notes", []))
    widths = perf.WIDTHS
    if name == "重点工作":
        header, body = perf.key_work_table(f.model.key_work_rows)
        widths = perf.KEY_WORK_WIDTHS
        return [Table("重点工作", "", header=header, body=body, widths=widths)] if body else []
    if name == "整体绩效":
        title = perf.title(year, unit, "部门整体绩效自评表")
        header, body = perf.split_header(perf.overall_table(fmt, unit, perf_facts["整体"]))
        return [Table("绩效-整体", title, unit_left=f"部门名称：{unit}", header=header, body=body, widths=widths,
                      notes=notes, keep_together=perf.fits_one_page(header, body))]  # fmt: skip
    match = re.fullmatch(r"项目绩效(\d+)", name)
    if match:
        number, projects = int(match.group(1)), perf_facts["项目"]
        if not 1 <= number <= len(projects):
            raise UsageError(f"模板中的表“{name}”不存在：绩效中有 {len(projects)} 个项目（项目绩效1 起编号）。")
        p = projects[number - 1]
        title = perf.title(year, p["名称"], "项目自评表")
        header, body = perf.split_header(perf.project_table(fmt, unit, p))
        return [Table(f"绩效-项目{number}", title, unit_left=f"部门名称：{unit}", header=header, body=body,
                      widths=widths, notes=notes, keep_together=perf.fits_one_page(header, body))]  # fmt: skip
    raise UsageError(f"模板中的表“{name}”不存在。可用：重点工作、整体绩效、项目绩效N。")
