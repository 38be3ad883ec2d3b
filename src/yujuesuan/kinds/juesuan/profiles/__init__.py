"""Profile code: the figures, tables and charts a profile adds to the 决算 kind, one module per profile.

Most profiles are data only (profile.yaml, sections, style). A profile whose
layout states figures the kind does not derive (sichuan: 川05/川07/川09 and the
enumerations of reference 003; national-2024: the facts its 说明 must state)
names its code in profile.yaml (``code: sichuan``). Each code is one module
exporting ``CODE = ProfileCode(...)``; ``CODES`` below lists them by module
path and ``get_code`` imports one when asked. Nothing registers by being
imported, and the 决算 kind calls a code once per check (``apply``).

Missing facts are handled one way for every code: its derivation records each
fact the file lacks in a ``Missing`` list (``mark`` returns the placeholder,
grammar.missing: 【缺少…】/【未填报…】, which refuses a final build), and
``report_missing`` turns the list into located warnings (after the audit rules, so
that they sit among the rules' findings as the rule 待补 once did).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from yujuesuan.compose import grammar
from yujuesuan.errors import UsageError

if TYPE_CHECKING:
    from yujuesuan.compose.numbers import NumberFormat
    from yujuesuan.derive import Figures
    from yujuesuan.errors import Findings

# name (profile.yaml ``code:``) → the module whose ``CODE`` it is. Adding a code is one line here.
CODES: dict[str, str] = {
    "sichuan": "yujuesuan.kinds.juesuan.profiles.sichuan",
    "national-2024": "yujuesuan.kinds.juesuan.profiles.national_2024",
}
# What profile.yaml ``requires`` used to switch on before ``code:`` existed: a profile (a district
# overlay of wuhan, say) that lists facts but names no code gets the Sichuan code, as it did then.
REQUIRES_ALONE = "sichuan"


@dataclass(frozen=True)
class MissingFact:
    """A fact the profile's layout states that the file lacks.

    ``fact`` is the name profile.yaml ``requires`` uses, ``at`` the input path the
    warning points at (the block the fact belongs beside), ``path`` where to type
    it, ``message`` what the warning says.
    """

    fact: str
    at: str
    message: str
    path: str


class Missing(list[MissingFact]):
    """The facts a code's derivation found missing, each once, in the order found."""

    def mark(self, fact: str, at: str, message: str, what: str, *, path: str | None = None, word: str = "缺少") -> str:
        """Record the missing ``fact``; return the placeholder the document prints in its place."""
        if not any(m.fact == fact and m.at == at and m.message == message for m in self):
            self.append(MissingFact(fact, at, message, path or at))
        return grammar.missing(what, word)


@dataclass(frozen=True)
class ProfileCode:
    """What one profile adds to the 决算 kind."""

    name: str
    # the facts it may find missing: profile.yaml ``requires`` picks those to warn about (absent: all)
    facts: tuple[str, ...]
    # (figures, missing) → None: add its tables and facts to figures, record what the file lacks
    derive: Callable[[Figures, Missing], None]
    # the rule name its warnings carry, and their wording ({message} is the MissingFact's)
    missing_rule: str = "missing-fact"
    missing_message: str = "{message}"
    # the optional input blocks it owns (model.extra keys; the input schema declares them). A file
    # holding one gets this code's figures under any profile, so that the rules audit the block.
    blocks: tuple[str, ...] = ()
    builders: Mapping[str, Callable[..., Any]] = field(default_factory=dict)  # table id → builder
    charts: Mapping[str, Callable[[Figures, NumberFormat, str], bytes | None]] = field(default_factory=dict)
    # input checks of its blocks that need the catalog (unknown 经济分类 codes)
    check: Callable[[Figures, Findings], None] = field(default=lambda figures, findings: None)
    # whether the document prints what it derives (its tables, facts, charts): composing figures
    # checked without the profile runs it then. national-2024's derivation only lists missing facts,
    # which are the check's business; composing leaves such figures untouched.
    for_document: bool = True


def code_names() -> list[str]:
    return sorted(CODES)


def get_code(name: str) -> ProfileCode:
    """The code profile.yaml names; an unknown name is a usage error listing the codes."""
    if name not in CODES:
        raise UsageError(f"没有名为“{name}”的模板代码。可用的代码：{'、'.join(code_names())}。")
    code: ProfileCode = importlib.import_module(CODES[name]).CODE
    return code


def all_codes() -> list[ProfileCode]:
    return [get_code(name) for name in code_names()]


def code_of(config: Mapping[str, Any]) -> str | None:
    """The code a (merged) profile.yaml names: ``code:``, else the Sichuan one for a bare ``requires``."""
    name = config.get("code")
    if name is None and config.get("requires"):
        return REQUIRES_ALONE
    return None if name is None else str(name)


def apply(figures: Figures, code: ProfileCode, findings: Findings | None = None) -> None:
    """Run ``code`` on ``figures`` once (its tables, facts and missing facts); with ``findings``, its checks.

    Composing calls this again without findings: a no-op when the check already ran it.
    """
    if code.name not in figures.codes:
        missing = Missing()
        code.derive(figures, missing)
        figures.codes[code.name] = list(missing)
    if findings is not None:
        code.check(figures, findings)


def report_missing(
    code: ProfileCode, figures: Figures, findings: Findings, requires: Iterable[str] | None = None
) -> None:
    """A located warning for each missing fact the profile requires: the one way every code reports them.

    ``requires`` (profile.yaml) names the facts to warn about; None: every fact the code found missing.
    """
    wanted = None if requires is None else set(requires)
    for need in figures.codes.get(code.name, ()):
        if wanted is None or need.fact in wanted:
            message = code.missing_message.format(message=need.message)
            findings.warn(code.missing_rule, message, figures.model.loc(need.at), need.path)
