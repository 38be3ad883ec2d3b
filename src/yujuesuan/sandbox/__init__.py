"""Sandbox: the Jinja environment that district templates (untrusted data) render in.

- ImmutableSandboxedEnvironment (Jinja2 ≥ 3.1.6): no attribute starting with
  "_" or internal to functions, frames and generators; ``str.format`` and
  ``format_map`` only through the sandboxed formatter, however the method was
  reached (a call, a stored method, ``|attr("format")``); no list/dict/set
  mutation, so one section cannot change the figures the next one prints.
- An unsafe attribute raises SecurityError at once (the stock sandbox returns
  an undefined value that fails only when it is used, or never).
- StrictUndefined: a misspelt name fails instead of printing nothing.
- template_loader.ConfinedLoader: a name resolves inside the profile
  folders, and a file whose real path (symlinks resolved) leaves them is refused.
- limits.py bounds time, output and the size of what operators, calls and
  filters build; every ``{% for %}`` iterates through limits.loop, so that a
  silent nested loop stops at the deadline in any thread (no signal needed);
  every render, call, filter and operator runs in DECIMALS, a decimal context
  whose exponent limit makes ``(零+1).scaleb(999999)|int`` (one C call the time
  limit cannot interrupt) an Overflow instead of a million digits;
  template_errors.py turns every failure into a UsageError naming the
  template file and line.
"""

from __future__ import annotations

import decimal
import functools
import re
import types
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.debug import rewrite_traceback_stack
from jinja2.filters import do_format
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment, SecurityError, safe_range

from yujuesuan.errors import YujuesuanError
from yujuesuan.sandbox import limits
from yujuesuan.sandbox.errors import explain
from yujuesuan.sandbox.limits import RenderLimit
from yujuesuan.sandbox.loader import ConfinedLoader

BASE_PREFIX = "!base"
LOOP_FILTER = "_bounded_loop"  # wraps each {% for %} iterable (see Sandbox._parse)
# A %-format or {}-format field asking for a width of a million characters or more, or a * width.
# The default precision (28 digits: figures are unchanged) with exponents of at most ±999: an int of
# 1000 digits is instant, while 1E+999999 takes seconds to convert in one uninterruptible call.
DECIMALS = decimal.Context(prec=28, Emax=999, Emin=-999, rounding=decimal.ROUND_HALF_EVEN)
WIDE_FORMAT = re.compile(r"%[-#0 +]*(?:\*|\d{7,})|\{[^{}]*:[^{}]*\d{7,}")


class BoundedTemplate(jinja2.Template):
    """A template whose render runs under limits.bounded and stops past the environment's output size."""

    environment: Sandbox

    def render(self, *args: Any, **kwargs: Any) -> str:
        env = self.environment
        pieces: list[str] = []
        size = 0
        try:
            # The decimal context is set here and again in every hook, so that it holds in whatever
            # thread runs the template's code.
            with limits.bounded(), decimal.localcontext(DECIMALS):  # lifted before the error is explained
                for piece in self.root_render_func(self.new_context(dict(*args, **kwargs))):
                    size += len(piece)
                    if size > env.max_chars:
                        raise RenderLimit(f"输出超过 {env.max_chars:,} 个字符，已停止（是否有失控的循环？）")
                    limits.check()
                    pieces.append(piece)
        except Exception:
            env.handle_exception(template=self.filename)
        return "".join(pieces)

    def generate(self, *args: Any, **kwargs: Any) -> Iterator[str]:
        """The bounded render in one piece (Jinja's generate would run outside the limits)."""
        yield self.render(*args, **kwargs)


class _CodeGenerator(CodeGenerator):
    """Compile ``a ~ b`` so that its result is size-checked (the operator is not interceptable)."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.checked(")
        super().visit_Concat(node, frame)
        self.write(")")


class Sandbox(ImmutableSandboxedEnvironment):
    """The environment of a profile: sandboxed, strict, confined to ``folders``, bounded."""

    template_class = BoundedTemplate
    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "**", "%"})

    def __init__(self, folders: Sequence[Path], builtin: Sequence[Path], *, autoescape: bool, max_chars: int) -> None:
        loader = jinja2.ChoiceLoader(
            [
                jinja2.PrefixLoader({BASE_PREFIX: ConfinedLoader(builtin, allowed=folders)}),
                ConfinedLoader(folders),
            ]
        )
        super().__init__(
            loader=loader,
            undefined=jinja2.StrictUndefined,
            autoescape=autoescape,
            keep_trailing_newline=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.roots = [Path(f).resolve() for f in folders]
        self.max_chars = max_chars
        self.sources: dict[str, str] = {}  # the text of each from_string template, for error messages
        self.filters = {name: self._guard_filter(func) for name, func in self.filters.items()}
        self.filters[LOOP_FILTER] = limits.loop
        self.globals["range"] = _range

    # --- what a template may touch ------------------------------------------------

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe.")

    def getattr(self, obj: Any, attribute: str) -> Any:
        limits.check()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        limits.check()
        return super().getitem(obj, argument)

    def call(self, context: jinja2.runtime.Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        limits.check()
        if isinstance(obj, types.BuiltinMethodType) and isinstance(obj.__self__, (str, list, tuple)):
            self._check_ints(args, kwargs)  # "x".center(10**9), "x".zfill(…)
        with decimal.localcontext(DECIMALS):  # 零.scaleb(999999), 零.from_float(…).sqrt(), …
            result = super().call(context, obj, *args, **kwargs)
        return limits.check_size(result, self.max_chars)

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        limits.check()
        _check_binop(operator, left, right, self.max_chars)
        with decimal.localcontext(DECIMALS):
            result = super().call_binop(context, operator, left, right)
        return limits.check_size(result, self.max_chars)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        sandboxed = super().wrap_str_format(value)
        if sandboxed is None:
            return None
        template: str = value.__self__

        def run(*args: Any, **kwargs: Any) -> str:
            limits.check()
            if WIDE_FORMAT.search(template):
                raise RenderLimit("格式宽度过大，已停止")
            mappings = [a for a in args if isinstance(a, dict)]
            self._check_ints([*args, *(v for m in mappings for v in m.values())], kwargs)
            text: str = limits.check_size(sandboxed(*args, **kwargs), self.max_chars)  # str.format's str
            return text

        return functools.update_wrapper(run, sandboxed)

    def _guard_filter(self, func: Callable[..., Any]) -> Callable[..., Any]:
        skip = 2 if getattr(func, "jinja_pass_arg", None) is not None else 1  # the context, then the value

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            limits.check()
            self._check_ints(args[skip:], kwargs)  # center(10**9), indent(10**9), batch(10**9, "x"), …
            if func is do_format and args and isinstance(args[0], str) and WIDE_FORMAT.search(args[0]):
                raise RenderLimit("格式宽度过大，已停止")
            with decimal.localcontext(DECIMALS):  # |int, |round, |sum on Decimals
                result = func(*args, **kwargs)
            return limits.check_size(result, self.max_chars)

        return run

    def checked(self, value: Any) -> Any:
        """``value``, unless it is longer than this environment allows (compiled templates call this)."""
        limits.check()
        return limits.check_size(value, self.max_chars)

    def _check_ints(self, args: Sequence[Any], kwargs: dict[str, Any]) -> None:
        for value in [*args, *kwargs.values()]:
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > self.max_chars:
                raise RenderLimit(f"参数 {value} 过大（不能超过 {self.max_chars:,}），已停止")

    # --- compile and fail -----------------------------------------------------------

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Parse, then make every ``{% for %}`` iterate through limits.loop (a deadline check as it starts)."""
        tree = super()._parse(source, name, filename)
        for node in tree.find_all(nodes.For):
            node.iter = nodes.Filter(node.iter, LOOP_FILTER, [], [], None, None, lineno=node.iter.lineno)
        return tree

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        """Compile a template string (a profile.yaml title) under a name its errors can quote."""
        name = f"<文字 {len(self.sources) + 1}>"
        if isinstance(source, str):
            self.sources[name] = source
        cls = template_class or self.template_class
        return cls.from_code(self, self.compile(source, filename=name), self.make_globals(globals), None)

    def compile(self, source: Any, name: str | None = None, filename: str | None = None, *args: Any, **kw: Any) -> Any:
        with limits.bounded(), decimal.localcontext(DECIMALS):  # constant folding runs filters at compile time
            return super().compile(source, name, filename, *args, **kw)

    def handle_exception(self, source: str | None = None, template: str | None = None) -> Any:
        """Raise the current error as a UsageError naming the template and line (Jinja calls this).

        ``template`` is the file being rendered, named when the error comes from no template line.
        """
        limits.disarm()
        exc = rewrite_traceback_stack(source=source)
        if isinstance(exc, YujuesuanError):
            raise exc
        raise explain(exc, self.roots, self.sources, template) from exc


def _check_binop(operator: str, left: Any, right: Any, limit: int) -> None:
    """Refuse ``"x" * 10**9``, ``s + s`` past the limit and ``10 ** 10 ** 10`` before they run."""
    sized = (str, list, tuple)
    if operator == "*":
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, sized) and isinstance(n, int) and len(seq) * n > limit:
                raise RenderLimit(f"重复生成的文字或列表过长（超过 {limit:,}），已停止")
        if _int(left) and _int(right) and left.bit_length() + right.bit_length() > limits.MAX_INT_BITS:
            raise RenderLimit("生成的整数过大，已停止")
    elif operator == "+" and isinstance(left, sized) and isinstance(right, sized):
        if len(left) + len(right) > limit:
            raise RenderLimit(f"拼接的文字或列表过长（超过 {limit:,}），已停止")
    elif operator == "**" and _int(left) and _int(right):
        if abs(left) > 1 and right > 0 and right * left.bit_length() > limits.MAX_INT_BITS:
            raise RenderLimit("乘方结果过大，已停止")
    elif operator == "%" and isinstance(left, str) and WIDE_FORMAT.search(left):
        raise RenderLimit("格式宽度过大，已停止")


def _range(*args: int) -> range:
    try:
        return safe_range(*args)
    except OverflowError:
        raise RenderLimit(f"range() 最多 {MAX_RANGE:,} 项，已停止") from None


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
