"""Template errors → one Chinese UsageError naming the template file and line.

``模板 sections/03-01-收支总体.j2 第 3 行：变量 f.收支总记 未定义`` — the line comes
from the traceback Jinja rewrites to point at template source; the dotted
name of an undefined attribute is read back from that line (or the lines
above it, where a ``{% set %}`` took it), since Jinja's message only knows
the last part ("'dict object' has no attribute '收支总记'").
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import jinja2
from jinja2.sandbox import SecurityError

from yujuesuan.errors import UsageError
from yujuesuan.sandbox.limits import MEMORY_BUDGET, RenderLimit

DOC = "docs/TEMPLATES.md"
_UNDEFINED_NAME = re.compile(r"^'(.+)' is undefined$")
_SUBSCRIPT = re.compile(r"\[\s*['\"]([^'\"\]]+)['\"]\s*\]")
_NO_ATTRIBUTE = re.compile(r"^.+ has no (?:attribute|element) '?(.+?)'?$")


class TemplateProblem(UsageError):
    """A template failed; ``template`` (relative to its folder), ``line`` and ``detail`` are kept for callers."""

    def __init__(self, template: str | None, line: int | None, detail: str) -> None:
        self.template, self.line, self.detail = template, line, detail
        where = f"模板 {template}" if template else "模板文字"
        super().__init__(f"{where}{f' 第 {line} 行' if line else ''}：{detail}")


def explain(
    exc: BaseException, roots: Sequence[Path], sources: Mapping[str, str] | None = None, template: str | None = None
) -> TemplateProblem:
    """Describe ``exc`` (raised by Jinja or inside a template) for the person who wrote the template.

    ``sources`` holds the text of templates made from strings, by their ``<文字 N>`` names;
    ``template`` is the file being rendered, for an error raised outside any template line.
    """
    filename, line = _where(exc)
    filename = filename or template
    lines = _source_lines(exc, filename, roots, sources or {})
    return TemplateProblem(_shown_name(filename, roots), line, _detail(exc, lines, line))


def _where(exc: BaseException) -> tuple[str | None, int | None]:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.filename or exc.name, exc.lineno
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:  # the innermost frame that Jinja rewrote to point at template source
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _shown_name(filename: str | None, roots: Sequence[Path]) -> str | None:
    if not filename or filename.startswith("<"):
        return None
    path = Path(filename)
    for root in roots:
        if path.is_relative_to(root):
            return path.relative_to(root).as_posix()
    return path.name


def _source_lines(
    exc: BaseException, filename: str | None, roots: Sequence[Path], sources: Mapping[str, str]
) -> list[str]:
    source = getattr(exc, "source", None) or sources.get(filename or "")
    if source is None and filename and any(Path(filename).is_relative_to(r) for r in roots):
        try:
            source = Path(filename).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            source = None
    return source.splitlines() if source else []


def _detail(exc: BaseException, lines: list[str], line: int | None) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return _undefined(exc.message or "", lines, line)
    if isinstance(exc, SecurityError):
        return (
            f"沙箱拒绝了这一操作（{exc.message}）。模板不能访问以下划线开头的属性、不能修改数据、不能调用不安全的方法。"
        )
    if isinstance(exc, RenderLimit):
        return exc.what
    if isinstance(exc, MemoryError):
        return f"占用内存超过 {MEMORY_BUDGET >> 20} MB，已停止（是否生成了过长的文字？）"
    if isinstance(exc, decimal.DecimalException):  # the sandbox's context: |exponent| ≤ 999
        return f"数值超出范围或运算无效（{type(exc).__name__}；模板中的数不能超过 10 的 999 次方），已停止"
    if isinstance(exc, RecursionError):
        return "嵌套过深，已停止（是否有宏调用了自身，或模板包含了自身？）"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"找不到模板文件 {exc.name}（只能引用模板文件夹中的文件，不能用“..”或绝对路径）"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"语法错误：{exc.message}"
    if isinstance(exc, jinja2.TemplateError):
        return f"{exc.message}"
    return f"运行出错：{type(exc).__name__}: {exc}"


def _undefined(message: str, lines: list[str], line: int | None) -> str:
    hint = f"请检查拼写；模板能用的变量和函数见 {DOC}"
    match = _UNDEFINED_NAME.match(message)
    if match:
        return f"变量 {match.group(1)} 未定义（{hint}）"
    match = _NO_ATTRIBUTE.match(message)
    if not match:
        return f"未定义：{message}（{hint}）"
    name = match.group(1)
    quoted = re.escape(name)
    pattern = re.compile(rf"([^\W\d]\w*(?:\.\w+|\[[^\]]*\])*)(?:\.{quoted}|\[\s*['\"]{quoted}['\"]\s*\])(?!\w)")
    for number in range(min(line or 0, len(lines)), 0, -1):  # this line, then the ones above
        found = pattern.search(lines[number - 1])
        if found:
            path = _SUBSCRIPT.sub(r".\1", found.group(1)) + "." + name  # f["收支总计"] → f.收支总计
            taken = f"，第 {number} 行取值" if number != line else ""
            return f"变量 {path} 未定义（{hint}{taken}）"
    return f"属性 {name} 未定义（{hint}）"
