"""Findings and errors: every problem a user can cause, with where it is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


@dataclass(frozen=True, order=True)
class Location:
    """A place in an input file; line and column count from 1."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


@dataclass(frozen=True)
class Finding:
    """One problem, located, with a rule id (or a category) and a Chinese message."""

    rule: str
    severity: Severity
    message: str
    location: Location
    path: str = ""  # the field path in the input, such as 支出.2101102.基本支出
    # Other places the finding is about (the 预算 file's figure a 决算 figure disagrees with);
    # the message names them too, so that the text format needs no second line.
    related: tuple[Location, ...] = ()

    def format(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.location}: [{self.rule}] {self.severity.label}：{where}{self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "rule": self.rule,
            "severity": self.severity.value,
            "path": self.path,
            "message": self.message,
            **({"related": [{"file": r.file, "line": r.line, "column": r.column} for r in self.related]}
               if self.related else {}),
        }  # fmt: skip


class YujuesuanError(Exception):
    """Base of the errors a user can cause; the CLI prints them without a traceback."""

    exit_code = 1

    def __init__(self, findings: list[Finding] | Finding | str) -> None:
        if isinstance(findings, str):
            findings = [Finding("usage", Severity.ERROR, findings, Location("-"))]
        elif isinstance(findings, Finding):
            findings = [findings]
        self.findings: list[Finding] = findings
        super().__init__("\n".join(f.format() for f in findings))


class InputError(YujuesuanError):
    """The input file cannot be read into a model (bad YAML, bad types, unknown keys)."""


class UsageError(YujuesuanError):
    """The command was called wrongly (a missing file, an unknown profile)."""

    exit_code = 2


@dataclass
class Findings:
    """A collector that keeps going after the first problem, as MkDocs' config loader does."""

    items: list[Finding] = field(default_factory=list)

    def add(
        self,
        rule: str,
        message: str,
        location: Location,
        path: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.items.append(Finding(rule, severity, message, location, path))

    def warn(self, rule: str, message: str, location: Location, path: str = "") -> None:
        self.add(rule, message, location, path, Severity.WARNING)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.items if f.severity is Severity.WARNING]


def nearest_location(locs: Mapping[str, Location], path: str, source: str) -> Location:
    """The location of a field path, or of its nearest ancestor that has one (else the file's start)."""
    probe = path
    while probe:
        if probe in locs:
            return locs[probe]
        probe = probe.rpartition(".")[0]
    return Location(source, 1, 1)
