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
@click.argument("file", type=click.Path(path_type=Path))  # checked below, in Chinese
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
    if file.is_dir():
        raise click.UsageError(f"这是一个文件夹，不是数据文件：{file}")
    result = check(file)
    _print_findings(result.findings, fmt)
    if fmt == "text":
        click.echo(_summary(result), err=True)
    sys.exit(1 if result.errors or result.figures is None else 0)


@main.command("build", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="输出目录；文件写在其下的“单位-年度”文件夹中。",
)
@click.option(
    "--format",
    "formats",
    default="docx,pdf",
    show_default=True,
    help="要生成的格式，逗号分隔：docx、pdf、html（PDF 由 HTML 生成）。",
)
@click.option("--profile", default="wuhan", show_default=True, help="内置模板：wuhan 等。")
@click.option(
    "--templates",
    "overlay",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="本区模板文件夹：其中的文件覆盖内置模板的同名文件。",
)
@click.option("--draft", is_flag=True, help="有错误也生成，每页标明“草稿”。")
def build_cmd(file: Path, out: Path, formats: str, profile: str, overlay: Path | None, draft: bool) -> None:
    """检查数据后生成部门决算文档（DOCX 供编辑，PDF 供公开）。

    有错误时不生成（退出码 1），除非加 --draft。已有的同名文件先另存为 *.prev.*，不会被悄悄覆盖。
    """
    from yujuesuan.build import FORMATS, build_document, output_dir
    from yujuesuan.profiles import load_profile

    wanted = tuple(x.strip().lower() for x in formats.split(",") if x.strip())
    unknown = [x for x in wanted if x not in FORMATS]
    if unknown or not wanted:
        raise click.UsageError(f"不支持的格式：{'、'.join(unknown) or '（空）'}。可用：{'、'.join(FORMATS)}。")
    if not file.exists():
        raise click.UsageError(f"找不到文件：{file}")
    prof = load_profile(profile, overlay)
    result = check(file, prof.layout_year)
    _print_findings(result.findings, "text")
    if result.figures is None or (result.errors and not draft):
        click.echo(_summary(result), err=True)
        sys.exit(1)
    target = output_dir(out, result.figures)
    built = build_document(
        result.figures,
        prof,
        target,
        wanted,
        file,
        draft=draft or bool(result.errors),
        progress=lambda step: click.echo(f"… {step}", err=True),
    )
    for path in built.written:
        click.echo(f"已生成：{path}")


def run() -> None:
    """Entry point that turns any user-caused error into a message without a traceback."""
    try:
        main(standalone_mode=True)
    except YujuesuanError as exc:
        for finding in exc.findings:
            click.secho(finding.format(), fg="red", err=True)
        sys.exit(exc.exit_code)
