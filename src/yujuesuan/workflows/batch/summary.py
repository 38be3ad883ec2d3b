"""The batch summary: a table on the terminal, summary.xlsx and summary.html, each finding with its file:line.

Unit names and messages come from input files, so they are data: the
workbook writes every text cell as a string (never a formula, also when it
starts with = + - @), and the HTML escapes every value and loads nothing.
"""

from __future__ import annotations

import html
import io
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet  # imported when a summary.xlsx is written

LABELS = {
    "ok": "已生成",
    "checked": "通过",
    "draft": "草稿",
    "errors": "有错误",
    "crashed": "程序错误",
    "skipped": "未变，跳过",
    "interrupted": "未完成（已中断）",
}
FAILED = {"errors", "crashed"}
_FINDING = re.compile(r"^(?P<where>.*?): \[(?P<rule>[^\]]+)\] (?P<level>错误|警告)：(?P<message>.*)$", re.S)


@dataclass
class Row:
    """One unit as the summary shows it."""

    source: str  # the input file as named on the command line
    status: str  # a key of LABELS
    unit: str = ""
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    outputs: list[str] = field(default_factory=list)  # relative to the output folder
    elapsed: float = 0.0

    @property
    def label(self) -> str:
        return LABELS.get(self.status, self.status)


def split_finding(text: str) -> tuple[str, str, str, str]:
    """(file:line:column, rule, 错误/警告, message) of a formatted finding; a plain warning has no place."""
    match = _FINDING.match(text)
    if match is None:
        return "", "", "警告", text
    return match["where"], match["rule"], match["level"], match["message"]


def counts(rows: Sequence[Row]) -> dict[str, int]:
    found: dict[str, int] = {}
    for row in rows:
        found[row.status] = found.get(row.status, 0) + 1
    return found


def headline(rows: Sequence[Row], seconds: float) -> str:
    parts = [f"{LABELS[k]} {n}" for k, n in counts(rows).items()]
    return f"共 {len(rows)} 个单位：{'，'.join(parts)}。用时 {seconds:.1f} 秒。"


# --- terminal --------------------------------------------------------------------------------


def print_table(rows: Sequence[Row], console: Console, out: Path | None, outputs: bool = True) -> None:
    """Each failed unit's errors (file:line), then one line per unit (its output folder and formats)."""
    for row in rows:
        if row.status in FAILED:
            console.print(f"[bold red]{_markup(row.source)}[/]：{row.label}", highlight=False)
            for text in row.errors:
                console.print(f"  {_markup(text)}", highlight=False, soft_wrap=True)
    where = f"（输出目录 {out}）" if out is not None and outputs else ""
    table = Table(title=f"各单位结果{_markup(where)}", show_lines=False, expand=False)
    for name in ("数据文件", "单位", "状态", "错误", "警告", *(("输出文件",) if outputs else ())):
        table.add_column(name, overflow="fold")
    for row in rows:
        style = "red" if row.status in FAILED else ("yellow" if row.status in ("draft", "interrupted") else None)
        cells = [_markup(row.source), _markup(row.unit), row.label, str(len(row.errors)), str(len(row.warnings))]
        if outputs:
            cells.append(_markup(_short(row.outputs)))
        table.add_row(*cells, style=style)
    console.print(table)


def _short(outputs: Sequence[str]) -> str:
    """"folder/ (docx, pdf)": the files of one unit share a folder and a stem."""
    if not outputs:
        return ""
    folders = {str(Path(o).parent) for o in outputs}
    if len(folders) != 1:
        return "\n".join(outputs)
    return f"{folders.pop()}/（{'、'.join(Path(o).suffix.lstrip('.') for o in outputs)}）"


def _markup(text: str) -> str:
    from rich.markup import escape

    return escape(text)


# --- summary.xlsx ------------------------------------------------------------------------------


def workbook_bytes(rows: Sequence[Row], title: str) -> bytes:
    """Two sheets: 汇总 (a row per unit) and 问题 (a row per finding, with file:line:column)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    units = book.active
    units.title = "汇总"
    _put_row(units, 1, [title])
    header = ["数据文件", "单位", "状态", "错误数", "警告数", "输出文件", "用时（秒）"]
    _put_row(units, 2, header)
    for i, row in enumerate(rows, start=3):
        texts = [row.source, row.unit, row.label, str(len(row.errors)), str(len(row.warnings)), "\n".join(row.outputs)]
        _put_row(units, i, [*texts, f"{row.elapsed:.1f}"])
    issues = book.create_sheet("问题")
    _put_row(issues, 1, ["数据文件", "单位", "级别", "位置（文件:行:列）", "规则", "说明"])
    line = 2
    for row in rows:
        for text in (*row.errors, *row.warnings):
            where, rule, level, message = split_finding(text)
            _put_row(issues, line, [row.source, row.unit, level, where, rule, message])
            line += 1
    for sheet, widths in ((units, (36, 28, 14, 8, 8, 70, 10)), (issues, (36, 28, 6, 40, 22, 90))):
        for col, width in enumerate(widths, start=1):
            sheet.column_dimensions[chr(64 + col)].width = width
        for cell in sheet[2 if sheet is units else 1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A3" if sheet is units else "A2"
    for cell in units["F"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put_row(sheet: Worksheet, row: int, values: Sequence[str]) -> None:
    for col, value in enumerate(values, start=1):
        cell = sheet.cell(row, col)
        cell.value = _clean(value)
        cell.data_type = "s"  # text, never a formula, whatever it starts with
        if cell.value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            cell.quotePrefix = True  # Excel shows it as typed and keeps it text when edited


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters XML 1.0 (and so .xlsx) cannot hold


def _clean(value: str) -> str:
    return _ILLEGAL.sub("\ufffd", str(value))


# --- summary.html -----------------------------------------------------------------------------

_CSS = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border: 1px solid #bbb; padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #eee; }
tr.errors td, tr.crashed td { background: #fde8e8; }
tr.draft td, tr.interrupted td { background: #fff6d6; }
td.n { text-align: right; }
ul { margin: 0; padding-left: 1.2em; }
code { font-family: monospace; }
"""


def html_bytes(rows: Sequence[Row], title: str) -> bytes:
    """A self-contained page: the unit table, then every finding by unit (nothing fetched, everything escaped)."""
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f"<p>生成时间：{e(time.strftime('%Y-%m-%d %H:%M:%S'))}</p>",
        "<table><thead><tr><th>数据文件</th><th>单位</th><th>状态</th><th>错误</th><th>警告</th><th>输出文件</th></tr>",
        "</thead><tbody>",
    ]
    for i, row in enumerate(rows):
        outputs = "<br>".join(e(p) for p in row.outputs)
        link = f'<a href="#u{i}">{len(row.errors)}</a>' if row.errors else "0"
        out.append(
            f'<tr class="{e(row.status)}"><td>{e(row.source)}</td><td>{e(row.unit)}</td><td>{e(row.label)}</td>'
            f'<td class="n">{link}</td><td class="n">{len(row.warnings)}</td><td>{outputs}</td></tr>'
        )
    out.append("</tbody></table>")
    for i, row in enumerate(rows):
        if not row.errors and not row.warnings:
            continue
        out.append(f'<h2 id="u{i}">{e(row.source)} {e(row.unit)}（{e(row.label)}）</h2><ul>')
        for text in (*row.errors, *row.warnings):
            where, rule, level, message = split_finding(text)
            place = f"<code>{e(where)}</code> " if where else ""
            tag = f"[{e(rule)}] " if rule else ""
            out.append(f"<li>{place}{tag}{e(level)}：{e(message)}</li>")
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out).encode("utf-8")


def write_files(folder: Path, rows: Sequence[Row], title: str) -> list[Path]:
    """summary.xlsx and summary.html in ``folder``, each written atomically."""
    from yujuesuan.output.write import write_atomic

    written = []
    for name, data in (("summary.xlsx", workbook_bytes(rows, title)), ("summary.html", html_bytes(rows, title))):
        write_atomic(folder / name, data)
        written.append(folder / name)
    return written
