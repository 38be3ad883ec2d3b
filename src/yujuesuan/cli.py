"""The command line: the only place that prints and sets exit codes.

Exit codes: 0 success (warnings allowed), 1 findings that are errors, 2 usage errors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from yujuesuan import __version__
from yujuesuan.errors import Finding, Severity, YujuesuanError
from yujuesuan.pipeline import Checked, check

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _print_findings(findings: list[Finding], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2))
        return
    for finding in findings:
        color = "red" if finding.severity is Severity.ERROR else "yellow"
        click.secho(finding.format(), fg=color, err=False)


def _summary(result: Checked) -> str:
    errors = len(result.errors)
    warnings = len(result.findings) - errors
    if errors:
        return f"共 {errors} 个错误、{warnings} 个警告。请改正错误后再生成文档。"
    if warnings:
        return f"没有错误，{warnings} 个警告。"
    return "检查通过：没有错误，没有警告。"


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", message="yujuesuan %(version)s")
def main() -> None:
    """yujuesuan（预决算）：把一个单位一年的决算数据（YAML）生成部门决算公开文档。

    \b
    常用命令：
      yujuesuan check 数据.yaml     检查数据，列出全部错误和警告
      yujuesuan build 数据.yaml     检查后生成 DOCX 和 PDF
    """


@main.command("check", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="输出格式：text 给人看，json 给程序读。",
)
def check_cmd(file: Path, fmt: str) -> None:
    """检查数据文件：逐条列出错误和警告（文件:行:列: [规则] 说明）。

    没有错误时退出码为 0（可以有警告），有错误时为 1，用法错误为 2。
    """
    if not file.exists():
        raise click.UsageError(f"找不到文件：{file}")
    result = check(file)
    _print_findings(result.findings, fmt)
    if fmt == "text":
        click.echo(_summary(result), err=True)
    sys.exit(1 if result.errors or result.figures is None else 0)


def run() -> None:
    """Entry point that turns any user-caused error into a message without a traceback."""
    try:
        main(standalone_mode=True)
    except YujuesuanError as exc:
        for finding in exc.findings:
            click.secho(finding.format(), fg="red", err=True)
        sys.exit(exc.exit_code)
