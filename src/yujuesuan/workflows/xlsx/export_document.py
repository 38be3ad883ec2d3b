"""Export of a kind whose workbook holds the published tables only (Kind.workbook == "tables", the 部门预算).

The tables are those of the composed document, in its order: each 公开 table on its own
sheet, laid out as published (export_tables.py), and each form (a titled table and the
untitled parts under it, the 申报表) on one sheet. A first 说明 sheet says what the
workbook is; a 数据 sheet after it lists every leaf of the data file (data_sheet.py), which
import-xlsx reads back into a data file (importer.py knows the workbook by the category set here).
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from yujuesuan.compose import Composer
from yujuesuan.compose.document import Document, Table
from yujuesuan.derive import Figures
from yujuesuan.kinds import kind_of
from yujuesuan.profiles import Profile
from yujuesuan.workflows.xlsx import layout
from yujuesuan.workflows.xlsx.data_sheet import DATA_SHEET, write_data_sheet
from yujuesuan.workflows.xlsx.export import FIXED_TIME, _normalize_zip
from yujuesuan.workflows.xlsx.export_tables import write_table
from yujuesuan.workflows.xlsx.textcells import neutralize_workbook

NOTE_SHEET = "说明"
FORM_NAMES = {"申报-整体": "整体绩效目标申报表"}  # a form's sheet; 申报-项目N → 项目N绩效目标申报表
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\\s]")
SHEET_NAME_LIMIT = 31  # Excel's


def export_tables_workbook(figures: Figures, profile: Profile, document: Document | None = None) -> bytes:
    """The workbook of the document's tables (``document``, or composed here from ``figures`` and ``profile``)."""
    kind = kind_of(profile)
    doc = document if document is not None else Composer(figures, profile, draft=False).build()
    sheets = _sheets([b for b in doc.blocks if isinstance(b, Table)])
    wb = Workbook()
    note = wb.active
    assert note is not None  # a new Workbook has its one sheet
    note.title = NOTE_SHEET
    model = figures.model
    root = getattr(model, "root", None)  # the loaded data file (BudgetModel.root): its leaves fill 数据
    _note_sheet(note, f"{model.name} {model.year} 年{kind.title}：公开表", kind.title, sheets, root is not None)
    if root is not None:
        write_data_sheet(wb.create_sheet(DATA_SHEET), root)
    for name, tables in sheets:
        ws = wb.create_sheet(name)
        row = 1
        for table in tables:  # a form's parts follow each other without a gap, as on its page
            row = write_table(ws, table, row, stacked=len(tables) > 1)
    wb.properties.creator = "yujuesuan"
    wb.properties.title = f"{model.name}{model.year}{kind.file_title}"
    wb.properties.category = kind.title  # import-xlsx reads such a workbook's 数据 sheet
    wb.properties.created = wb.properties.modified = FIXED_TIME
    neutralize_workbook(wb)
    out = io.BytesIO()
    wb.save(out)
    return _normalize_zip(out.getvalue())


def _sheets(tables: list[Table]) -> list[tuple[str, list[Table]]]:
    """(sheet name, its tables): a 公开 table alone; a titled table with the untitled parts that follow it."""
    out: list[tuple[str, list[Table]]] = []
    for table in tables:
        if out and not table.title and not table.id.startswith(layout.TABLE_PREFIX):
            out[-1][1].append(table)  # a part of the form above (资金来源, 绩效目标表 …)
            continue
        out.append((_sheet_name(table, {name for name, _ in out}), [table]))
    return out


def _sheet_name(table: Table, taken: set[str]) -> str:
    """预算01表 from the number 预算 01 表; a form by its id; unique and within Excel's limits."""
    if table.number:
        base = table.number
    elif table.id in FORM_NAMES:
        base = FORM_NAMES[table.id]
    elif table.id.startswith("申报-项目") and table.id[5:].isdigit():
        base = f"项目{table.id[5:]}绩效目标申报表"
    else:
        base = table.id
    base = _NOT_IN_SHEET_NAME.sub("", base)[:SHEET_NAME_LIMIT] or "表"
    name, n = base, 1
    while name in taken or name in (NOTE_SHEET, DATA_SHEET):
        n += 1
        name = f"{base[: SHEET_NAME_LIMIT - len(str(n)) - 1]}-{n}"
    return name


def _note_sheet(
    ws: Worksheet, heading: str, title: str, sheets: list[tuple[str, list[Table]]], data: bool = True
) -> None:
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.cell(1, 1, heading).font = Font(bold=True, size=14)
    lines = (
        f"本工作簿由 yujuesuan 导出，收录{title}文本中的公开表（各表一张工作表，版式与公开文本相同），"
        "金额单位为万元。",
        "各表由数据文件推算而来，仅供查看、核对和转发；在公开表中修改不会改变文档。",
        f"“{DATA_SHEET}”表逐行列出数据文件的每一项（路径、值）：可在其中修改值，"
        "再用 yujuesuan import-xlsx 导回为数据文件，然后运行 yujuesuan build 重新生成。"
        if data
        else "数据以 YAML 数据文件为准：请修改数据文件，再运行 yujuesuan build 重新生成。",
    )
    for i, text in enumerate(lines, 3):
        ws.cell(i, 1, text).alignment = wrap
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=2)
        ws.row_dimensions[i].height = 32
    top = 3 + len(lines) + 1
    for col, text in enumerate(("工作表", "内容"), 1):
        ws.cell(top, col, text).font = Font(bold=True)
    listed = [(DATA_SHEET, "数据文件的每一项：路径、值、说明（可修改后导回）")] if data else []
    listed += [(name, tables[0].title) for name, tables in sheets]
    for i, (name, what) in enumerate(listed, top + 1):
        ws.cell(i, 1, name)
        ws.cell(i, 2, what).alignment = wrap
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 80
