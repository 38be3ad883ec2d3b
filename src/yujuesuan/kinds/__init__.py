"""Document kinds: what one kind of document owns, and the registry that names them.

A kind (部门决算 ``juesuan``, 部门预算 ``yusuan``) owns its input schema, its
derivations, its tables, its rules and its default outline. The shared machinery
(load, amounts, the rule engine, compose, the renderers, writing) knows no kind:
it asks the profile's kind (``kind:`` in profile.yaml, default juesuan) for each
of these through one Kind value. Kinds are listed here by module path and
imported when first asked for; nothing registers itself by being imported.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from yujuesuan.errors import UsageError

if TYPE_CHECKING:
    from yujuesuan.compose.document import Block
    from yujuesuan.compose.numbers import NumberFormat
    from yujuesuan.derive import Figures
    from yujuesuan.errors import Findings, Location
    from yujuesuan.input.load import Node
    from yujuesuan.profiles import Profile

# a chart: (figures, number format, title) → PNG bytes, or None when there is nothing to draw
Chart = Callable[["Figures", "NumberFormat", str], "bytes | None"]
DEFAULT_KIND = "juesuan"
# name → the module whose ``KIND`` describes it. Adding a kind is one line here (docs/ARCHITECTURE.md).
KINDS: dict[str, str] = {
    "juesuan": "yujuesuan.kinds.juesuan",
    "yusuan": "yujuesuan.kinds.yusuan",
}


class UnitModel(Protocol):
    """What the shared stages read of any kind's input model."""

    name: str
    year: int

    @property
    def unit(self) -> str: ...

    def loc(self, path: str) -> Location: ...


@dataclass(frozen=True)
class Needs:
    """What a profile asks of the figures beyond the kind's own: a layout year, its code, optional facts."""

    layout_year: int | None = None
    # the facts whose absence is a warning (profile.yaml ``requires``); None: every fact the code states
    requires: tuple[str, ...] | None = None
    # a profile that asks for any of these: say which comparison with last year its 说明 leaves out
    for_profile: bool = False
    # the profile's code (profile.yaml ``code:``, kinds/<kind>/profiles), run once by the kind's figures
    code: str | None = None

    @classmethod
    def of(cls, layout_year: int | None, requires: Iterable[str] | None = (), code: str | None = None) -> Needs:
        """``requires`` without ``code`` is the older spelling of the Sichuan code (the kind resolves it)."""
        listed = None if requires is None else tuple(requires)
        asked = layout_year is not None or bool(listed) or code is not None
        return cls(layout_year, listed if listed or code is not None else None, asked, code)

    @classmethod
    def of_profile(cls, profile: Profile) -> Needs:
        config = profile.config
        requires = config.get("requires")
        return cls.of(profile.layout_year, None if requires is None else requires, config.get("code"))


@dataclass(frozen=True)
class Kind:
    """One kind of document, as the pipeline and the composer use it."""

    name: str
    title: str  # the document's name: 部门决算, 部门预算
    default_profile: str  # the built-in profile `build` uses for a file of this kind
    # validate: the located root node → the kind's input model (findings added, never raised)
    read: Callable[[Node, str, Findings], Any]
    # codes, derivations and the kind's rules: model (and its located nodes) → the derived figures
    # (None when the input has errors that would make figures misleading; the findings say why)
    figures: Callable[[Any, Node, Needs, Findings], Figures | None]
    builders: Mapping[str, Callable[..., Any]]  # table id → compose builder (figures, fmt, layout)
    # what the section templates see: (figures, format, the profile's sections settings) → names
    context: Callable[[Figures, NumberFormat, dict[str, Any]], dict[str, Any]]
    charts: Mapping[str, Chart]  # figures' data name → PNG
    # a table a section places with [[表 名称]] (figures, format, profile config, name) → blocks
    special_table: Callable[[Figures, NumberFormat, dict[str, Any], str], list[Block]] = field(
        default=lambda figures, fmt, config, name: _no_special(name)
    )
    # figures a profile's code adds just before composing, when the check did not (once); most kinds need none
    prepare: Callable[[Figures, Profile], None] = field(default=lambda figures, profile: None)
    # the code a profile.yaml names (``code:``): its table builders and charts (``.builders``, ``.charts``),
    # None for a profile without one; an unknown name is a UsageError
    profile_code: Callable[[Mapping[str, Any]], Any] = field(default=lambda config: None)
    code_names: tuple[str, ...] = ()  # every code this kind knows (profile.yaml ``code:``)
    # the figures the tables print, when a profile lays them out by another edition (the 决算's econ_year)
    table_figures: Callable[[Figures, dict[str, Any]], Figures] = field(default=lambda figures, config: figures)
    file_title: str = "年度部门决算"  # what follows the year in output file names (outputs.stem)
    # `new`: a commented blank data file (year, 金额单位) → YAML text; None: the 决算's workflows/new.py
    skeleton: Callable[[int, str], str] | None = None
    year_offset: int = -1  # the year `new` writes for by default, from this calendar year (决算: last year's)
    # the Excel export (build --format xlsx): "facts" = the published tables and every input fact (import-xlsx
    # reads it back), "tables" = the published tables and a 数据 sheet of the file's leaves (import-xlsx
    # rebuilds the YAML from it; the kind's model keeps the loaded ``root``), None = no workbook
    workbook: Literal["facts", "tables"] | None = "facts"


    def builders_for(self, config: Mapping[str, Any]) -> Mapping[str, Callable[..., Any]]:
        """The tables a profile may place: the kind's, and its code's."""
        code = self.profile_code(config)
        return self.builders if code is None else {**self.builders, **code.builders}

    def charts_for(self, config: Mapping[str, Any]) -> Mapping[str, Chart]:
        """The chart data a profile may draw: the kind's, and its code's."""
        code = self.profile_code(config)
        return self.charts if code is None else {**self.charts, **code.charts}


def _no_special(name: str) -> list[Block]:
    raise UsageError(f"模板中的表“{name}”不存在。")


def kind_names() -> list[str]:
    return sorted(KINDS)


def get_kind(name: str | None) -> Kind:
    """The kind named by a profile (None: juesuan). An unknown name is a usage error listing the kinds."""
    key = name or DEFAULT_KIND
    if key not in KINDS:
        raise UsageError(f"没有名为“{key}”的文档种类。可用的种类：{'、'.join(kind_names())}。")
    try:
        module = importlib.import_module(KINDS[key])
    except ModuleNotFoundError as exc:
        if exc.name != KINDS[key]:
            raise  # a module the kind needs is missing: a packaging bug, not the user's
        raise UsageError(f"文档种类“{key}”尚未安装。") from None
    kind: Kind = module.KIND
    return kind


def installed_kinds() -> list[Kind]:
    """Every kind whose module is present (a kind still being written may be absent)."""
    found = []
    for name in kind_names():
        try:
            found.append(get_kind(name))
        except UsageError:
            continue
    return found


def kind_of(profile: Profile | None) -> Kind:
    return get_kind(None if profile is None else profile.config.get("kind"))
