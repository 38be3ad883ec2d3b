"""The command line: the only place that prints and sets exit codes.

Exit codes: 0 success (warnings allowed), 1 findings that are errors, 2 usage errors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

import yujuesuan
from yujuesuan import __version__
from yujuesuan.errors import Finding, InputError, Severity, YujuesuanError
from yujuesuan.pipeline import Checked, check

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
@click.option("--profile", default=None, help="同时按这个模板检查它需要的事实（如 national-2024、sichuan）。")
@click.option(
    "--templates",
    "overlay",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="本区模板文件夹：按它生成的文档检查占位文字。",
)
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="多个文件时：同时检查的进程数（默认：核数）。")
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="多个文件时：把 summary.xlsx 和 summary.html 写在这个目录。")  # fmt: skip
def check_cmd(
    files: tuple[Path, ...], fmt: str, profile: str | None, overlay: Path | None, jobs: int | None, out: Path | None
) -> None:
    """检查数据文件：逐条列出错误和警告（文件:行:列: [规则] 说明）。

    还列出文档中尚未替换的占位文字（【待更新】【缺少…】【未填报…】（单位名称）等），build 不会把它们生成为正式文档。
    可以给多个文件、文件夹（其中的 *.yaml）或通配符，逐个检查后列出汇总表。
    没有错误时退出码为 0（可以有警告），有错误时为 1，用法错误为 2。
    """
    from yujuesuan.workflows.batch.inputs import wants_batch

    if wants_batch(files):
        from yujuesuan.workflows.batch.cli import check_many

        sys.exit(check_many(files, profile, jobs, out, fmt == "json"))
    file = files[0]
    if not file.exists():
        raise click.UsageError(f"找不到文件：{file}")
    if file.is_dir():
        raise click.UsageError(f"这是一个文件夹，不是数据文件：{file}")
    result = yujuesuan.check(_read(file, fmt), name=str(file), profile=profile, templates=overlay)
    _print_findings(list(result.findings), fmt)
    if fmt == "text":
        click.echo(_summary(result), err=True)
    sys.exit(1 if result.errors or result.figures is None else 0)


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
@click.option("--profile", default="wuhan", show_default=True, help="内置模板：wuhan 等。")
@click.option(
    "--templates",
    "overlay",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="本区模板文件夹：其中的文件覆盖内置模板的同名文件。",
)
@click.option("--draft", is_flag=True, help="有错误或占位文字也生成，每页标明“草稿”。")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="多个文件时：同时生成的进程数（默认：核数）。")
@click.option("--force", is_flag=True, help="多个文件时：数据和模板未变的单位也重新生成。")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="多个文件时：local 用本机多进程；dask 用 Dask 集群（需 --scheduler）。")
@click.option("--scheduler", default=None, help="Dask 调度器地址，如 tcp://192.168.1.10:8786。")  # fmt: skip
def build_cmd(
    files: tuple[Path, ...], out: Path, formats: str, profile: str, overlay: Path | None, draft: bool,
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
    from yujuesuan.output.build import FORMATS, build_checked

    wanted = tuple(dict.fromkeys(x.strip().lower() for x in formats.split(",") if x.strip()))
    unknown = [x for x in wanted if x not in FORMATS]
    if unknown or not wanted:
        raise click.UsageError(f"不支持的格式：{'、'.join(unknown) or '（空）'}。可用：{'、'.join(FORMATS)}。")
    if not file.exists():
        raise click.UsageError(f"找不到文件：{file}")
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
    built = build_checked(result, out, wanted, file, draft=draft)
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
@click.option("--profile", default="wuhan", show_default=True, help="模板：模板文件夹中若有 skeleton.yaml，就用它。")
@click.option("--year", type=int, default=None, help="决算年度（默认：上一个日历年，即今年要编的决算）。")
@click.option("--unit", type=click.Choice(["万元", "元"]), default="万元", show_default=True, help="金额单位。")
@click.option("--force", is_flag=True, help="文件已存在时覆盖它。")
def new_cmd(out: Path | None, profile: str, year: int | None, unit: str, force: bool) -> None:
    """写一个带注释的空白数据文件，供第一次使用 yujuesuan 的单位填写。

    文件列出输入的每一块和一般单位常用的科目，金额和文字都空着；单位名称是占位的“（单位名称）”。
    填写后用 yujuesuan check 检查：每一项还没填的事实都会列为警告。已存在的文件不覆盖（退出码 2），除非加 --force。
    """
    import datetime

    from yujuesuan.catalog import load_catalog, nearest_year
    from yujuesuan.output.write import write_atomic
    from yujuesuan.profiles import load_profile
    from yujuesuan.workflows.new import skeleton_text

    if out is None:
        raise click.UsageError("请用 -o 指定要写出的文件，例如：yujuesuan new -o 本单位-2024.yaml")
    year = year if year is not None else datetime.date.today().year - 1
    if not 2000 <= year <= 2100:
        raise click.UsageError(f"年度应为四位年份，如 2024；实际为 {year}。")
    _refuse_existing(out, force)
    prof = load_profile(profile)
    own = prof.find("skeleton.yaml")
    if own is not None:
        text = own.read_text(encoding="utf-8")
    else:
        text = skeleton_text(load_catalog(nearest_year(year)), year, unit)
    write_atomic(out, text.encode("utf-8"))
    click.echo(f"已生成：{out}")
    click.echo(f"下一步：填写单位名称、各科目金额、上年数和文字，然后运行 yujuesuan check {out}", err=True)


@main.command("rollover", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), default=None,
              help="新文件名（默认：把文件名中的年度加一，写在原文件旁边）。")  # fmt: skip
@click.option("--force", is_flag=True, help="新文件已存在时覆盖它。")
def rollover_cmd(file: Path, out: Path | None, force: bool) -> None:
    """由本年度的数据文件生成下一年度的数据文件，原文件不动。

    \b
    - 本年推算出的合计（收支总计、基本支出、人员经费、“三公”经费等）写入新文件的“上年”块；
    - 本年的金额全部清空（科目和结构保留，注释里注明上年数），年度加一；
    - 年初结转和结余按本年年末数填入；
    - 文字（职能、原因、重点工作、绩效等）带过去，开头加“【待更新】”，check 会逐条提醒修改。
    本年文件有错误时不生成（退出码 1）；新文件已存在时不覆盖（退出码 2），除非加 --force。
    """
    from yujuesuan.output.write import write_atomic
    from yujuesuan.workflows.rollover import default_output, rollover

    if not file.exists() or file.is_dir():
        raise click.UsageError(f"找不到数据文件：{file}")
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


def _echo_pieces(sign: str, pieces: list[tuple[str, bool]], color: str) -> None:
    text = "".join(click.style(t, fg=color, bold=True, underline=True) if c else click.style(t, fg=color)
                   for t, c in pieces)  # fmt: skip
    click.echo(f"    {click.style(sign, fg=color)} {text}")


def _print_report(report: object) -> None:
    from yujuesuan.workflows.diff import Delta, Hunk, sections, spans

    click.secho(f"比较：{report.old} → {report.new}", bold=True)  # type: ignore[attr-defined]
    if report.same:  # type: ignore[attr-defined]
        click.echo("两个文件的数字、文字和生成的文档完全相同。")
        return
    for title, items in sections(report):  # type: ignore[arg-type]
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
    退出码与其他命令一致：两个文件都没有错误时为 0（有无差异都是 0）；任一文件有输入错误时
    只列出错误，退出码 1；有审核错误时照常比较，再列出审核错误，退出码 1；用法错误为 2。
    """
    from yujuesuan.compose import compose
    from yujuesuan.output.write import write_atomic
    from yujuesuan.profiles import load_profile
    from yujuesuan.workflows.diff import compare, report_html

    for path in (old, new):
        if not path.exists() or path.is_dir():
            raise click.UsageError(f"找不到数据文件：{path}")
    if html_out is not None and html_out.is_dir():
        raise click.UsageError(f"--html 应是文件名，不是文件夹：{html_out}")
    if html_out is not None and any(html_out.resolve() == p.resolve() for p in (old, new)):
        raise click.UsageError(f"--html 的文件 {html_out} 是要比较的数据文件，不会覆盖它。请换一个文件名。")
    prof = load_profile("wuhan")
    results = [check(path, profile=prof) for path in (old, new)]
    broken = [r for r in results if r.figures is None]
    for r in broken:
        _print_findings(r.errors or r.findings, "text")
    if broken:
        names = "、".join(str(r.path) for r in broken)
        click.echo(f"{names} 有输入错误，无法比较。请先改正（yujuesuan check）。", err=True)
        sys.exit(1)
    figs = [r.figures for r in results]
    docs = tuple(compose(f, prof) for f in figs)  # type: ignore[arg-type]
    report = compare(figs[0], figs[1], docs, (str(old), str(new)))  # type: ignore[arg-type]
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

    只读取“科目明细”等事实表，公开表按数据重新推算；读出的核对数会在 check 时与推算数比较。
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
        main(standalone_mode=True)
    except YujuesuanError as exc:
        for finding in exc.findings:
            click.secho(finding.format(), fg="red", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:  # an output folder that is read-only, full, or a file in the way
        from yujuesuan.output.oserrors import describe

        click.secho(f"错误：{describe(exc)}", fg="red", err=True)
        sys.exit(2)
