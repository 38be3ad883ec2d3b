"""The command line: the only place that prints and sets exit codes.

Exit codes: 0 success (warnings allowed), 1 findings that are errors, 2 usage errors.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import json
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import click

import yujuesuan
from yujuesuan import __version__, pipeline
from yujuesuan.errors import Finding, InputError, Severity, YujuesuanError
from yujuesuan.pipeline import Checked, check

if TYPE_CHECKING:
    from yujuesuan.workflows.diff import Report  # imported when `diff` runs (every other command starts without it)

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _print_findings(findings: list[Finding], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2))
        return
    for finding in findings:
        color = "red" if finding.severity is Severity.ERROR else "yellow"
        click.secho(finding.format(), fg=color, err=False)


def _read(file: Path, fmt: str = "text") -> bytes:
    """The input's bytes (a regular file, size-capped); an unreadable file is reported as findings, exit 1."""
    from yujuesuan.input.load import read_input

    try:
        return read_input(file)
    except InputError as exc:
        _print_findings(exc.findings, fmt)
        sys.exit(1)


def _summary(result: Checked | yujuesuan.Checked) -> str:
    errors = len(result.errors)
    warnings = len(result.findings) - errors
    holes = len(getattr(result, "placeholders", ()))
    also = f"（其中 {holes} 处占位文字，正式生成前须替换）" if holes else ""
    if errors:
        return f"共 {errors} 个错误、{warnings} 个警告{also}。请改正错误后再生成文档。"
    if warnings:
        return f"没有错误，{warnings} 个警告{also}。"
    return "检查通过：没有错误，没有警告。"


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", message="yujuesuan %(version)s")
def main() -> None:
    """yujuesuan（预决算）：把一个单位一年的决算数据（YAML）生成部门决算公开文档。

    \b
    常用命令：
      yujuesuan new -o 数据.yaml              写一个空白的数据文件（第一次使用）
      yujuesuan import-tables 公开表.xlsx -o 数据.yaml  从决算软件导出的九张公开表生成数据文件
      yujuesuan check 数据.yaml               检查数据，列出全部错误和警告
      yujuesuan build 数据.yaml               检查后生成 DOCX 和 PDF
      yujuesuan rollover 数据-2023.yaml       生成下一年度的数据文件（本年数转为上年数）
      yujuesuan diff 原文件.yaml 新文件.yaml  列出一处更正引起的全部数字和文字变化
    """


@main.command("check", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))  # checked below, in Chinese
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="输出格式：text 给人看，json 给程序读。",
)
@click.option("--profile", default=None,
              help="按这个模板检查它需要的事实（如 national-2024、sichuan）；默认用数据文件“单位.模板”写的模板。")
@click.option(
    "--templates",
    "overlay",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="本区模板文件夹：按它生成的文档检查占位文字。",
)
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="多个文件时：同时检查的进程数（默认：核数）。")
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="多个文件时：把 summary.xlsx 和 summary.html 写在这个目录。")
@click.option("--budget", "budget", type=click.Path(path_type=Path), default=None,
              help="同年度的部门预算数据文件：逐项核对决算文件中的年初预算数。")  # fmt: skip
def check_cmd(
    files: tuple[Path, ...], fmt: str, profile: str | None, overlay: Path | None, jobs: int | None, out: Path | None,
    budget: Path | None,
) -> None:  # fmt: skip
    """检查数据文件：逐条列出错误和警告（文件:行:列: [规则] 说明）。

    还列出文档中尚未替换的占位文字（【待更新】【缺少…】【未填报…】（单位名称）等），build 不会把它们生成为正式文档。
    可以给多个文件、文件夹（其中的 *.yaml）或通配符，逐个检查后列出汇总表。
    没有错误时退出码为 0（可以有警告），有错误时为 1，用法错误为 2。

    \b
    加 --budget 预算.yaml：另把决算文件中的每个年初预算数（各科目、政府性基金和国有资本经营预算、
    “三公”经费预算、机关运行经费预算、核对数中的年初预算合计）与同年度的部门预算逐项核对，
    每处不一致是一个错误，同时列出决算文件和预算文件中的位置（文件:行:列）。
    """
    from yujuesuan.workflows.batch.inputs import wants_batch

    if budget is not None:
        sys.exit(_check_with_budget(files, budget, fmt, profile, overlay))
    if wants_batch(files):
        from yujuesuan.workflows.batch.cli import check_many

        sys.exit(check_many(files, profile, jobs, out, fmt == "json"))
    file = files[0]
    if not file.exists():
        raise click.UsageError(f"找不到文件：{file}")
    if file.is_dir():
        raise click.UsageError(f"这是一个文件夹，不是数据文件：{file}")
    # No charts: check never renders, and the placeholders are found in the text all the same.
    result = yujuesuan.check(_read(file, fmt), name=str(file), profile=profile, templates=overlay, charts=False)
    _print_findings(list(result.findings), fmt)
    if fmt == "text":
        click.echo(_summary(result), err=True)
    sys.exit(1 if result.errors or result.figures is None else 0)


def _check_with_budget(
    files: tuple[Path, ...], budget: Path, fmt: str, profile: str | None, overlay: Path | None
) -> int:
    """`check 决算.yaml --budget 预算.yaml`: the 决算's own findings, then each 年初预算 that disagrees."""
    from yujuesuan.workflows.budget_link import compare_files

    if len(files) != 1 or files[0].is_dir():
        raise click.UsageError("--budget 只用于一个决算数据文件：yujuesuan check 决算.yaml --budget 预算.yaml")
    file = files[0]
    for path in (file, budget):
        if not path.exists() or path.is_dir():
            raise click.UsageError(f"找不到数据文件：{path}")
    data, plan = _read(file, fmt), _read(budget, fmt)
    linked = compare_files(data, str(file), plan, str(budget))
    if any(f.rule == "budget-kind" for f in linked):  # a 预算 given as the data file, or the reverse
        _print_findings(linked, fmt)
        return 2
    result = yujuesuan.check(data, name=str(file), profile=profile, templates=overlay)
    own = list(result.findings)
    extra = [f for f in linked if f not in own]
    _print_findings([*own, *extra], fmt)
    if fmt == "text":
        click.echo(_summary(result), err=True)
        mismatches = sum(1 for f in extra if f.rule.startswith("budget-"))
        if mismatches:
            click.secho(f"与部门预算 {budget} 核对：{mismatches} 处不一致（见上）。", fg="red", err=True)
        elif not extra:
            click.echo(f"与部门预算 {budget} 核对：年初预算数全部一致。", err=True)
    return 1 if result.errors or result.figures is None or any(f.severity is Severity.ERROR for f in extra) else 0


@main.command("build", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
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
    help="要生成的格式，逗号分隔：docx、pdf、html、xlsx（PDF 由 HTML 生成）。",
)
@click.option("--profile", default=None,
              help="内置模板：wuhan、sichuan、national-2024；默认用数据文件“单位.模板”写的模板，没写则为 wuhan。")
@click.option(
    "--templates",
    "overlay",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="本区模板文件夹：其中的文件覆盖内置模板的同名文件。",
)
@click.option("--draft", is_flag=True, help="有错误或占位文字也生成，每页标明“草稿”。")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="同时生成的进程数（默认：核数）。单个文件时，多于 1 则另用一个进程排版 PDF，与其余工作同时进行。")
@click.option("--force", is_flag=True, help="多个文件时：数据和模板未变的单位也重新生成。")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="多个文件时：local 用本机多进程；dask 用 Dask 集群（需 --scheduler）。")
@click.option("--scheduler", default=None, help="Dask 调度器地址，如 tcp://192.168.1.10:8786。")  # fmt: skip
def build_cmd(
    files: tuple[Path, ...], out: Path, formats: str, profile: str | None, overlay: Path | None, draft: bool,
    jobs: int | None, force: bool, executor: str, scheduler: str | None,
) -> None:  # fmt: skip
    """检查数据后生成部门决算文档（DOCX 供编辑，PDF 供公开）。

    有错误或尚未替换的占位文字（【待更新】【缺少…】（单位名称）等）时不生成（退出码 1），除非加 --draft。
    文件名标明模板（wuhan 之外）；同名的上一组文件整组保存在“历史版本”文件夹中（保留最近 5 组）。
    给多个文件、文件夹（其中的 *.yaml）或通配符时逐个单位生成，显示进度，最后列出汇总表，
    并在输出目录写 summary.xlsx 和 summary.html；数据和模板未变的单位跳过（--force 重新生成）。
    """
    from yujuesuan.workflows.batch.inputs import wants_batch

    if wants_batch(files) or executor == "dask":
        from yujuesuan.workflows.batch.cli import build_many

        sys.exit(build_many(files, out, formats, profile, overlay, draft, jobs, force, executor, scheduler))
    file = files[0]
    from yujuesuan.output.build import FORMATS

    wanted = tuple(dict.fromkeys(x.strip().lower() for x in formats.split(",") if x.strip()))
    unknown = [x for x in wanted if x not in FORMATS]
    if unknown or not wanted:
        raise click.UsageError(f"不支持的格式：{'、'.join(unknown) or '（空）'}。可用：{'、'.join(FORMATS)}。")
    if not file.exists():
        raise click.UsageError(f"找不到文件：{file}")
    with contextlib.ExitStack() as helpers:  # whatever happens, the helper processes are stopped
        _build_one(file, out, wanted, profile, overlay, draft, _helped(jobs), helpers)


def _helped(jobs: int | None) -> bool:
    """Whether a single build may use helper processes: a second core, and ``--jobs`` not 1.

    Two of them (render/chart_process.py, render/pdf_process.py): one started before the
    data is read imports matplotlib while the check runs and draws the charts; one started
    when the check is done imports WeasyPrint while the charts are drawn, then lays out the
    PDF while this process writes the DOCX. The files are the same bytes as from one process.
    """
    from yujuesuan.render.helper import spare_core

    return (jobs or 2) >= 2 and spare_core()


def _build_one(
    file: Path, out: Path, wanted: tuple[str, ...], profile: str | None, overlay: Path | None, draft: bool,
    helped: bool, helpers: contextlib.ExitStack,
) -> None:  # fmt: skip
    from yujuesuan.render.chart_process import ChartProcess, drawn_by

    charts = helpers.enter_context(ChartProcess()) if helped else None
    with drawn_by(charts):
        result = yujuesuan.check(_read(file), name=str(file), profile=profile, templates=overlay)
    holes = result.placeholders
    _print_findings([f for f in result.findings if f not in holes], "text")
    if result.figures is None or (not draft and not result.publishable):
        if holes and result.figures is not None:
            click.secho(f"文档中还有 {len(holes)} 处占位文字，不能生成正式文档：", fg="red", bold=True)
            _print_findings(list(holes), "text")
            hint = "请在数据文件中填写或改正以上各处；想先看排版，可加 --draft 生成每页标有“草稿”的文档。"
            click.echo(hint, err=True)
        click.echo(_summary(result), err=True)
        sys.exit(1)
    _print_findings(list(holes), "text")
    click.echo("… 生成文档", err=True)
    from yujuesuan.output.build import build_checked

    pdf = None
    if helped and "pdf" in wanted:
        from yujuesuan.render.pdf_process import PdfProcess

        pdf = helpers.enter_context(PdfProcess())
    if charts is not None and result.document is not None:
        result = dataclasses.replace(result, document=charts.resolve(result.document))
    built = build_checked(result, out, wanted, file, draft=draft, pdf=pdf)
    for warning in built.warnings:
        click.secho(f"警告：{warning}", fg="yellow", err=True)
    for path in built.written:
        click.echo(f"已生成：{path}")
    if draft:
        click.secho("这是草稿（每页标有“草稿”），不能作为正式文档公开。", fg="yellow", err=True)


def _refuse_existing(path: Path, force: bool) -> None:
    if path.is_dir():
        raise click.UsageError(f"这是一个文件夹，不是文件名：{path}")
    if path.exists() and not force:
        raise click.UsageError(f"文件 {path} 已经存在，不会覆盖。请换一个文件名，或加 --force 覆盖。")


@main.command("new", context_settings=CONTEXT)
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), default=None, help="要写出的数据文件（必填）。")
@click.option("--profile", default=None,
              help="模板（写入“单位.模板”；不给则不写，即 wuhan）；模板文件夹中若有 skeleton.yaml，就用它。")
@click.option("--year", type=int, default=None,
              help="年度（默认：决算为上一个日历年，即今年要编的决算；部门预算为今年）。")
@click.option("--unit", type=click.Choice(["万元", "元"]), default="万元", show_default=True, help="金额单位。")
@click.option("--force", is_flag=True, help="文件已存在时覆盖它。")
def new_cmd(out: Path | None, profile: str | None, year: int | None, unit: str, force: bool) -> None:
    """写一个带注释的空白数据文件，供第一次使用 yujuesuan 的单位填写。

    文件列出输入的每一块和一般单位常用的科目，金额和文字都空着；单位名称是占位的“（单位名称）”。
    填写后用 yujuesuan check 检查：每一项还没填的事实都会列为警告。已存在的文件不覆盖（退出码 2），除非加 --force。
    """
    import datetime

    from yujuesuan.catalog import load_catalog, nearest_year
    from yujuesuan.kinds import kind_of
    from yujuesuan.output.write import write_atomic
    from yujuesuan.profiles import load_profile
    from yujuesuan.workflows.new import skeleton_text

    if out is None:
        raise click.UsageError("请用 -o 指定要写出的文件，例如：yujuesuan new -o 本单位-2024.yaml")
    prof = load_profile(profile or "wuhan")
    kind = kind_of(prof)
    year = year if year is not None else datetime.date.today().year + kind.year_offset
    if not 2000 <= year <= 2100:
        raise click.UsageError(f"年度应为四位年份，如 2024；实际为 {year}。")
    _refuse_existing(out, force)
    own = prof.find("skeleton.yaml")
    if own is not None:
        text = own.read_text(encoding="utf-8")
    elif kind.skeleton is not None:  # a kind with its own schema (部门预算)
        text = kind.skeleton(year, unit)
    else:
        text = skeleton_text(load_catalog(nearest_year(year)), year, unit, profile or "")
    write_atomic(out, text.encode("utf-8"))
    click.echo(f"已生成：{out}")
    click.echo(f"下一步：填写单位名称、各科目金额、上年数和文字，然后运行 yujuesuan check {out}", err=True)


@main.command("rollover", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), default=None,
              help="新文件名（默认：写在原文件旁边，文件名中的年度加一，或“预算”换成“决算”）。")
@click.option("--juesuan", "juesuan", type=click.Path(path_type=Path), default=None,
              help="FILE 是部门预算时：同年度的决算数据文件；给出时生成下一年度的部门预算。")
@click.option("--prior", "prior", type=click.Path(path_type=Path), default=None,
              help="FILE 是部门预算时：上一年度的决算数据文件；新决算文件的“上年”块和年初结转结余由它推算填入。")
@click.option("--force", is_flag=True, help="新文件已存在时覆盖它。")  # fmt: skip
def rollover_cmd(file: Path, out: Path | None, juesuan: Path | None, prior: Path | None, force: bool) -> None:
    """由一个数据文件生成下一步要填的数据文件，原文件不动。方向由 FILE 是决算还是预算决定：

    \b
    决算 N 年 → 决算 N+1 年（yujuesuan rollover 决算-2023.yaml）：
    - 本年推算出的合计（收支总计、基本支出、人员经费、“三公”经费等）写入新文件的“上年”块；
    - 本年的金额全部清空（科目和结构保留，注释里注明上年数），年度加一；
    - 年初结转和结余按本年年末数填入；
    - 文字（职能、原因、重点工作、绩效等）带过去，开头加“【待更新】”，check 会逐条提醒修改。
    \b
    预算 N 年 → 决算 N 年（yujuesuan rollover 预算-2024.yaml）：
    - 各科目的年初预算、政府性基金和国有资本经营预算的年初预算、“三公”经费预算、机关运行经费预算
      照部门预算填入；科目按预算中的收入来源和基本/项目支出列出，决算金额空着（注释中是预算数）；
    - 单位名称、职能和类用途带过去（加“【待更新】”），绩效目标和指标带过去，实际值写“【未填报实际值】”；
    - 加 --prior 决算-2023.yaml 时，“上年”块和年初结转结余由上年的决算文件推算填入（同 决算→决算）；
    - 填好后用 yujuesuan check 决算.yaml --budget 预算.yaml 核对年初预算。
    \b
    预算 N 年 + 决算 N 年 → 预算 N+1 年（yujuesuan rollover 预算-2024.yaml --juesuan 决算-2024.yaml）：
    - 职能、预算单位、科目、项目、目标和指标、文字照预算带过去，金额和人数清空（注释中是上年数）；
    - “上年预算”“三公经费.上年预算”“机关运行经费.上年预算”按 N 年预算推算填入，“前年预算”是 N 年的上年预算；
    - 指标的前年、上年两栏按 N 年的上年、当年移过来；决算中的项目执行数、自评总分和车辆数写在注释里。
    \b
    输入文件有错误时不生成（退出码 1）；新文件已存在时不覆盖（退出码 2），除非加 --force。
    """
    from yujuesuan.input.load import load_bytes
    from yujuesuan.workflows.budget_link import data_kind

    if not file.exists() or file.is_dir():
        raise click.UsageError(f"找不到数据文件：{file}")
    data = _read(file)
    try:
        kind = data_kind(load_bytes(data, str(file))[0])
    except InputError as exc:
        _print_findings(exc.findings, "text")
        sys.exit(1)
    if kind == "yusuan":
        if juesuan is not None and prior is not None:
            raise click.UsageError("--juesuan（生成下一年度预算）和 --prior（生成本年度决算）不能同时使用。")
        _rollover_budget(file, data, out, juesuan, prior, force)
        return
    for option, given in (("--juesuan", juesuan), ("--prior", prior)):
        if given is not None:
            raise click.UsageError(f"{option} 只用于部门预算文件；{file} 是决算数据文件。")
    _rollover_juesuan(file, out, force)


def _rollover_juesuan(file: Path, out: Path | None, force: bool) -> None:
    """决算 N → 决算 N+1."""
    from yujuesuan.output.write import write_atomic
    from yujuesuan.workflows.rollover import default_output, rollover

    result = check(file)
    if result.figures is None or result.errors:
        _print_findings(result.errors or result.findings, "text")
        click.echo("本年文件有错误，上年数无法可靠推算。请先改正错误（yujuesuan check）再转入下一年度。", err=True)
        sys.exit(1)
    target = out if out is not None else default_output(file, result.figures.model.year)
    _refuse_existing(target, force)
    rolled = rollover(result.figures, file.name)
    write_atomic(target, rolled.text.encode("utf-8"), protect=file)
    for warning in rolled.warnings:
        click.secho(f"警告：{warning}", fg="yellow", err=True)
    click.echo(f"已生成：{target}（{rolled.year} 年度，科目目录 {rolled.catalog_year} 年）")
    after = check(target)
    marks = sum(1 for f in after.findings if f.rule == "carried-text")
    empty = sum(1 for f in after.findings if f.rule == "missing-fact")
    click.echo(
        f"下一步：填写 {rolled.year} 年度的金额（{empty} 处未填写），修改 {marks} 段带“【待更新】”的文字；"
        f"yujuesuan check {target} 会逐条列出。",
        err=True,
    )


def _checked_or_exit(data: bytes, file: Path, kind_name: str, what: str) -> pipeline.Checked:
    """The file checked as ``kind_name``; its errors printed and exit 1 when it has any."""
    from yujuesuan.kinds import get_kind

    result = pipeline.check_source(data, str(file), kind=get_kind(kind_name))
    if result.figures is None or result.errors:
        _print_findings(result.errors or result.findings, "text")
        click.echo(f"{what} {file} 有错误，无法可靠推算。请先改正错误（yujuesuan check）。", err=True)
        sys.exit(1)
    return result


def _juesuan_or_exit(path: Path, budget: pipeline.Checked, before: int) -> pipeline.Checked:
    """A 决算 file given beside a budget (this year's, or last year's when ``before`` is 1), checked and matched."""
    from yujuesuan.input.load import load_bytes
    from yujuesuan.workflows.budget_link import data_kind, identity_findings, juesuan_budgets, yusuan_budgets

    option = "--prior" if before else "--juesuan"
    if not path.exists() or path.is_dir():
        raise click.UsageError(f"找不到决算数据文件：{path}")
    data = _read(path)
    if data_kind(load_bytes(data, str(path))[0]) != "juesuan":
        raise click.UsageError(f"{option} 应是部门决算数据文件；{path} 不是。")
    result = _checked_or_exit(data, path, "juesuan", "决算文件")
    assert result.figures is not None and budget.figures is not None
    mismatch = identity_findings(juesuan_budgets(result.figures.model), yusuan_budgets(budget.figures), before)
    if mismatch:
        _print_findings(mismatch, "text")
        year = "上一年度" if before else "同一年度"
        click.echo(f"预算文件和决算文件应是同一单位的，决算应是{year}的。", err=True)
        sys.exit(1)
    return result


def _rollover_budget(
    file: Path, data: bytes, out: Path | None, juesuan: Path | None, prior: Path | None, force: bool
) -> None:
    """预算 N → 决算 N (with ``prior``, 决算 N−1, for its 上年 block); with ``juesuan`` (决算 N): 预算 N+1."""
    from yujuesuan.compose.placeholders import MARK
    from yujuesuan.input.load import load_bytes
    from yujuesuan.kinds import get_kind
    from yujuesuan.output.write import same_file, write_atomic
    from yujuesuan.workflows import budget_next, budget_rollover

    budget = _checked_or_exit(data, file, "yusuan", "部门预算文件")
    assert budget.figures is not None
    if juesuan is None:
        last = _juesuan_or_exit(prior, budget, 1).figures if prior is not None else None
        target = out if out is not None else budget_rollover.default_output(file)
        _refuse_existing(target, force)
        rolled = budget_rollover.juesuan_from_budget(budget.figures, file.name, last, prior.name if prior else "")
        what = f"{rolled.year} 年度部门决算数据文件"
        after = f"yujuesuan check {target} --budget {file}"
    else:
        result = _juesuan_or_exit(juesuan, budget, 0)
        assert result.figures is not None
        target = out if out is not None else budget_next.default_output(file, budget.figures.model.year)
        _refuse_existing(target, force)
        root = load_bytes(data, str(file))[0]
        rolled = budget_next.next_budget(budget.figures, root, result.figures, file.name, juesuan.name)
        what = f"{rolled.year} 年部门预算数据文件"
        after = f"yujuesuan check {target} --profile {get_kind('yusuan').default_profile}"
    for other in (juesuan, prior):
        if other is not None and target.exists() and same_file(target, other):
            raise click.UsageError(f"输出文件 {target} 就是输入文件：不会覆盖输入，请换一个文件名。")
    write_atomic(target, rolled.text.encode("utf-8"), protect=file)
    for warning in rolled.warnings:
        click.secho(f"警告：{warning}", fg="yellow", err=True)
    click.echo(f"已生成：{target}（{what}）")
    marks = len(MARK.findall(rolled.text.split("\n格式版本", 1)[-1]))
    click.echo(f"下一步：填写金额，修改或填写 {marks} 处带“【…】”标记的文字；然后运行 {after}", err=True)


def _echo_pieces(sign: str, pieces: list[tuple[str, bool]], color: str) -> None:
    text = "".join(click.style(t, fg=color, bold=True, underline=True) if c else click.style(t, fg=color)
                   for t, c in pieces)  # fmt: skip
    click.echo(f"    {click.style(sign, fg=color)} {text}")


def _print_report(report: Report) -> None:
    from yujuesuan.workflows.diff import Delta, Hunk, sections, spans

    click.secho(f"比较：{report.old} → {report.new}", bold=True)
    if report.same:
        click.echo("两个文件的数字、文字和生成的文档完全相同。")
        return
    for title, items in sections(report):
        click.echo("")
        click.secho(title, bold=True)
        group = None
        for item in items:
            if isinstance(item, Delta):
                if item.group != group:
                    click.secho(f"  {item.group}", underline=True)
                    group = item.group
                line = f"（第 {item.line} 行）" if item.line else ""
                click.echo(f"    {item.label}：{item.old} → {item.new}{line}")
            elif isinstance(item, Hunk):
                click.secho(f"  【{item.where}】", fg="cyan")
                if len(item.old) == len(item.new):
                    for o, n in zip(item.old, item.new):
                        a, b = spans(o, n)
                        _echo_pieces("−", a, "red")
                        _echo_pieces("+", b, "green")
                else:
                    for o in item.old:
                        _echo_pieces("−", [(o, False)], "red")
                    for n in item.new:
                        _echo_pieces("+", [(n, False)], "green")
            else:
                click.echo(f"    {item}")
        if not items:
            click.echo("  无。")


@main.command("diff", context_settings=CONTEXT)
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--html", "html_out", type=click.Path(path_type=Path), default=None,
              help="另把报告写成一个 HTML 网页（自包含，可直接用浏览器打开）。")  # fmt: skip
def diff_cmd(old: Path, new: Path, html_out: Path | None) -> None:
    """比较两个数据文件（如更正前后）：列出一处更正引起的全部变化。

    \b
    一、输入中改动的数和文字（带新文件中的行号）；
    二、随之变化的表格单元格（表、行、列，原值 → 新值）；
    三、随之变化的合计、增减、占比、完成率；
    四、说明中变化的句子（按 wuhan 模板生成两份文档逐行比较），以及表格行和图。
    部门决算和部门预算都可比较（部门预算按 wuhan-yusuan 模板）；两个文件须是同一种文档。
    退出码与其他命令一致：两个文件都没有错误时为 0（有无差异都是 0）；任一文件有输入错误时
    只列出错误，退出码 1；有审核错误时照常比较，再列出审核错误，退出码 1；用法错误为 2。
    """
    from yujuesuan.compose import compose
    from yujuesuan.kinds import DEFAULT_KIND, get_kind
    from yujuesuan.output.write import write_atomic
    from yujuesuan.profiles import load_profile
    from yujuesuan.workflows.diff import compare, file_kind, report_html, table_titles

    for path in (old, new):
        if not path.exists() or path.is_dir():
            raise click.UsageError(f"找不到数据文件：{path}")
    if html_out is not None and html_out.is_dir():
        raise click.UsageError(f"--html 应是文件名，不是文件夹：{html_out}")
    if html_out is not None and any(html_out.resolve() == p.resolve() for p in (old, new)):
        raise click.UsageError(f"--html 的文件 {html_out} 是要比较的数据文件，不会覆盖它。请换一个文件名。")
    (kind_a, root_a), (kind_b, root_b) = file_kind(old), file_kind(new)
    if kind_a is not None and kind_b is not None and kind_a != kind_b:
        what = {path: get_kind(k).title for path, k in ((old, kind_a), (new, kind_b))}
        raise click.UsageError(
            f"两个文件不是同一种文档：{old} 是{what[old]}，{new} 是{what[new]}。"
            "diff 只比较同一种文档的两个版本（如更正前后的两个部门预算文件）。"
        )
    kind = get_kind(kind_a or kind_b or DEFAULT_KIND)
    prof = load_profile(kind.default_profile)
    results = [check(path, profile=prof) for path in (old, new)]
    broken = [r for r in results if r.figures is None]
    for r in broken:
        _print_findings(r.errors or r.findings, "text")
    if broken:
        names = "、".join(str(r.path) for r in broken)
        click.echo(f"{names} 有输入错误，无法比较。请先改正（yujuesuan check）。", err=True)
        sys.exit(1)
    figs = [r.figures for r in results if r.figures is not None]  # both: a broken one has exited above
    docs = (compose(figs[0], prof), compose(figs[1], prof))
    # the 决算 is compared through its typed model; any other kind through its files' located scalars
    if kind.name != DEFAULT_KIND and root_a is not None and root_b is not None:
        titles = table_titles(prof.config.get("tables") or {})
        report = compare(figs[0], figs[1], docs, (str(old), str(new)), (root_a, root_b), titles)
    else:
        report = compare(figs[0], figs[1], docs, (str(old), str(new)))
    _print_report(report)
    if html_out is not None:
        write_atomic(html_out, report_html(report).encode("utf-8"), protect=new)
        click.echo(f"已写出 HTML 报告：{html_out}", err=True)
    # The report is made either way (it shows what a correction changed), but a file with
    # audit errors exits 1 as `check` and `build` do: "0" always means "no errors".
    audited = [r for r in results if r.errors]
    for r in audited:
        _print_findings(r.errors, "text")
    if audited:
        names = "、".join(str(r.path) for r in audited)
        click.echo(f"{names} 有审核错误（见上），退出码 1。比较结果照常列出。", err=True)
        sys.exit(1)


@main.command("import-xlsx", context_settings=CONTEXT)
@click.argument("book", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="要写出的数据文件（.yaml）。")
@click.option("--force", is_flag=True, help="覆盖已存在的数据文件。")
def import_xlsx_cmd(book: Path, out: Path, force: bool) -> None:
    """把 build --format xlsx 写出的工作簿（可在 Excel 中修改）读回为数据文件。

    部门决算：只读取“科目明细”等事实表，公开表按数据重新推算；读出的核对数会在 check 时与推算数比较。
    部门预算：读取“数据”页（每行一个路径和值）。已存在的数据文件不覆盖，除非加 --force。
    """
    from yujuesuan.errors import Findings
    from yujuesuan.output.write import write_atomic
    from yujuesuan.workflows.xlsx import import_workbook

    if not book.exists():  # a folder, a device or a FIFO: import_workbook says what it is
        raise click.UsageError(f"找不到工作簿：{book}")
    _refuse_existing(out, force)
    notes = Findings()
    text = import_workbook(book, notes)
    _print_findings(notes.items, "text")
    write_atomic(out, text.encode("utf-8"), protect=book)
    click.echo(f"已生成：{out}（请运行 yujuesuan check {out} 检查）")


@main.command("import-tables", context_settings=CONTEXT)
@click.argument("book", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="要写出的数据文件（.yaml）。")
@click.option("--profile", default=None, help="按这个模板的要求检查（如 national-2024）。")
@click.option("--year", type=int, default=None, help="决算年度，表标题中没有年度时使用。")
@click.option("--force", is_flag=True, help="覆盖已存在的数据文件。")
def import_tables_cmd(book: Path, out: Path, profile: str | None, year: int | None, force: bool) -> None:
    """从决算软件导出的九张公开表（Excel）生成数据文件，然后检查它。

    每张表按标题查找，各列按表头文字查找；项级科目、经济分类、“三公”经费和结转结余作为明细，
    表中印出的合计、类、款、小计作为核对数。读不出的单元格、找不到的表或表头：指出工作表和单元格，
    退出码 1，不写文件。
    """
    from yujuesuan.errors import Findings
    from yujuesuan.output.write import write_atomic
    from yujuesuan.workflows.tables_import import import_tables

    if not book.is_file():
        raise click.UsageError(f"找不到工作簿：{book}")
    _refuse_existing(out, force)
    prof = None
    if profile is not None:
        from yujuesuan.profiles import load_profile

        prof = load_profile(profile)
    notes = Findings()
    text = import_tables(book, notes, year)
    _print_findings(notes.items, "text")
    write_atomic(out, text.encode("utf-8"), protect=book)
    click.echo(f"已生成：{out}。检查结果：")
    result = check(out, profile=prof)
    _print_findings(result.findings, "text")
    click.echo(_summary(result) if result.findings else "检查通过：没有错误，没有警告。")
    if result.errors:
        sys.exit(1)


def run() -> None:
    """Entry point that turns any user-caused error into a message without a traceback."""
    try:
        try:
            main(standalone_mode=True)
        except YujuesuanError as exc:
            for finding in exc.findings:
                click.secho(finding.format(), fg="red", err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:  # an output folder that is read-only, full, or a file in the way
            from yujuesuan.output.oserrors import describe

            click.secho(f"错误：{describe(exc)}", fg="red", err=True)
            sys.exit(2)
    except SystemExit as done:  # click ends every command this way
        _exit_now(done.code)
    _exit_now(0)


def _exit_now(code: str | int | None) -> None:
    """End the process without tearing the interpreter down.

    By now every output is written (atomically, fsynced) and every atexit handler
    has run; what is left is freeing matplotlib, numpy, python-docx and the rest
    object by object, a tenth of a second or more of every command. Only for this
    entry point (a test's CliRunner calls ``main``) and only with no other thread
    running; otherwise the ordinary exit.
    """
    if threading.active_count() > 1:
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): printed, status 1, as Python does
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`yujuesuan check … | head`): nothing more to say
            pass
    os._exit(status)
