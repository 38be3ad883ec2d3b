"""Evaluate the audit rules of rules.yaml against the derived tables and figures.

A rule is checked twice: on the derived values and on the values as shown
(declared totals applied). With 万元 input a difference within 0.005 per
rounded leaf on each side is 尾数误差, a warning; beyond it, or any difference
with 元 input, the finding has the rule's severity (derive/tolerance.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from yujuesuan.derive import DTable, Figures, Row
from yujuesuan.derive.tolerance import Side, fmt, judge
from yujuesuan.derive.values import Change, Completion, Share
from yujuesuan.errors import Findings, Location, Severity
from yujuesuan.resources import read_bundled_yaml

ZERO = Decimal(0)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    kind: str
    message: str
    spec: dict[str, Any]


# The 部门决算's rules; another document kind names its own file (package, file name) to run_rules.
DEFAULT_RULES = ("yujuesuan.rules", "rules.yaml")


@lru_cache(maxsize=4)
def load_rules(source: tuple[str, str] = DEFAULT_RULES) -> tuple[Rule, ...]:
    """The rules of one rules file shipped with the package (default: the 决算's), in file order."""
    package, name = source
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    data = read_bundled_yaml(text)
    rules = []
    for entry in data:
        if entry["kind"] not in KINDS:
            raise ValueError(f"{name}: unknown kind {entry['kind']!r} in {entry['id']}")
        rules.append(Rule(entry["id"], Severity(entry["severity"]), entry["kind"], entry["message"], entry))
    return tuple(rules)


@dataclass
class Ctx:
    figures: Figures
    findings: Findings

    @property
    def tables(self) -> dict[str, DTable]:
        return self.figures.tables

    def loc(self, path: str) -> Location:
        return self.figures.model.loc(path)

    @property
    def unit(self) -> str:
        return self.figures.model.unit

    def report(self, rule: Rule, path: str, derived_ok: bool, /, **values: object) -> None:
        text = rule.message.format_map(_Defaults(values))
        if derived_ok:
            self.findings.warn(f"{rule.id}", "（尾数误差）" + text, self.loc(path), path)
        else:
            self.findings.add(rule.id, text, self.loc(path), path, rule.severity)

    def compare(self, rule: Rule, path: str, left: Side, right: Side, op: str = "eq", **values: object) -> None:
        """Report a difference between two sides, tolerance-aware (derive/tolerance.py)."""
        verdict = judge(left, right, self.unit, op, bool(rule.spec.get("same_source")))
        if verdict is None:
            return
        values.update(left=fmt(verdict.left), right=fmt(verdict.right), diff=fmt(verdict.diff))
        text = rule.message.format_map(_Defaults(values)) + verdict.detail
        if verdict.beyond:
            self.findings.add(rule.id, text, self.loc(path), path, rule.severity)
        else:
            self.findings.warn(rule.id, "（尾数误差）" + text, self.loc(path), path)


class _Defaults(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return ""


_fmt = fmt


def _cell(ctx: Ctx, ref: str) -> tuple[Side, Row | None]:
    """The side of one signed reference 表/行/列."""
    sign = -1 if ref.startswith("-") else 1
    table_id, row_key, col = ref.lstrip("-").split("/")
    row = ctx.tables[table_id].row(row_key)
    if row is None:
        return Side(ZERO, ZERO, 0), None
    return _side(row, col, sign), row


def _add(a: Side, b: Side) -> Side:
    return Side(a.shown + b.shown, a.derived + b.derived, a.leaves + b.leaves, a.adjusted + b.adjusted)


def _side(row: Row, col: str, sign: int = 1) -> Side:
    shown, derived = row.get(col), row.derived.get(col, ZERO)
    return Side(sign * shown, sign * derived, row.leaves.get(col, 0), int(shown != derived))


def _sum(ctx: Ctx, refs: list[str]) -> tuple[Side, Row | None]:
    total = Side(ZERO, ZERO, 0)
    first = None
    for ref in refs:
        side, row = _cell(ctx, ref)
        total = _add(total, side)
        first = first or row
    return total, first


def _row_side(row: Row, cols: list[str]) -> Side:
    total = Side(ZERO, ZERO, 0)
    for c in cols:
        sign, name = (-1, c[1:]) if c.startswith("-") else (1, c)
        total = _add(total, _side(row, name, sign))
    return total


def check_sum(ctx: Ctx, rule: Rule) -> None:
    op = "le" if rule.kind == "le" else "eq"
    left_refs = rule.spec["left"] if isinstance(rule.spec["left"], list) else [rule.spec["left"]]
    left, row = _sum(ctx, left_refs)
    right, _ = _sum(ctx, rule.spec["right"])
    path = rule.spec.get("at") or (row.path if row else "")
    ctx.compare(rule, path, left, right, op)


def check_columns(ctx: Ctx, rule: Rule) -> None:
    table = ctx.tables[rule.spec["table"]]
    for row in table.rows:
        left = _row_side(row, [rule.spec["left"]])
        right = _row_side(row, rule.spec["right"])
        ctx.compare(rule, row.path, left, right, row=row.label)


def _children(table: DTable, row: Row) -> list[Row]:
    if row.key == "合计":
        return [r for r in table.rows if r.level == 1]
    return [r for r in table.rows if r.level == row.level + 1 and r.key.startswith(row.key)]


def check_hierarchy(ctx: Ctx, rule: Rule) -> None:
    table = ctx.tables[rule.spec["table"]]
    for row in table.rows:
        if row.level >= 3:
            continue
        kids = _children(table, row)
        if not kids:
            continue
        for col in table.columns:
            right = Side(ZERO, ZERO, 0)
            for kid in kids:
                right = _add(right, _row_side(kid, [col]))
            label = f"{row.key} {row.label}" if row.key != "合计" else "合计"
            ctx.compare(rule, row.path, _row_side(row, [col]), right, row=label, col=col)


def check_rows(ctx: Ctx, rule: Rule) -> None:
    """Row by row (科目 of one level) across tables: the sum of some columns op the sum of others."""

    def side(key: str, refs: list[str]) -> tuple[Side, Row | None]:
        total, found = Side(ZERO, ZERO, 0), None
        for ref in refs:
            table_id, col = ref.split(":")
            row = ctx.tables[table_id].row(key)
            if row is not None:
                total = _add(total, _row_side(row, [col]))
                found = found or row
        return total, found

    tables = {ref.split(":")[0] for ref in (*rule.spec["left"], *rule.spec["right"])}
    keys = sorted({r.key for t in tables for r in ctx.tables[t].rows if r.level == rule.spec["level"]})
    for key in keys:
        left, lrow = side(key, rule.spec["left"])
        right, rrow = side(key, rule.spec["right"])
        name = ctx.figures.catalog.name(key) or ""
        path = next((r.path for r in (lrow, rrow) if r is not None and r.path), f"科目.{key}")
        ctx.compare(rule, path, left, right, rule.spec["op"], row=f"{key} {name}".strip())


def check_level_sum(ctx: Ctx, rule: Rule) -> None:
    """One cell against the sum of a table's rows of one level (01's 本年支出合计 = Σ 类)."""
    table = ctx.tables[rule.spec["table"]]
    col = rule.spec["column"]
    left = _row_side(table.row(rule.spec["row"]) or Row("", ""), [col])
    right = Side(ZERO, ZERO, 0)
    for row in table.rows:
        if row.level == rule.spec["level"] and (not rule.spec.get("side") or row.side == rule.spec["side"]):
            right = _add(right, _row_side(row, [col]))
    ctx.compare(rule, rule.spec.get("at", ""), left, right)


def _fact(figures: Figures, path: str) -> object:
    """The fact at a dotted path of rules.yaml (三公.变动): the facts are typed, the path is data."""
    value: object = figures.facts
    for part in path.split("."):
        if not isinstance(value, Mapping):
            raise KeyError(f"rules.yaml: no fact {path}")
        value = value[part]
    return value


def _entries(figures: Figures, path: str) -> list[Mapping[str, object]]:
    """The rows of a list fact (一般公共预算项: one mapping per 项)."""
    value = _fact(figures, path)
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise TypeError(f"rules.yaml: {path} is not a list of rows")
    return value


def _figure(value: object, path: str) -> Change | Completion:
    if not isinstance(value, (Change, Completion)):
        raise TypeError(f"rules.yaml: {path} is not a Change or Completion")
    return value


def _model_text(figures: Figures, path: str) -> str:
    model = figures.model
    head, _, key = path.partition(".")
    if head == "说明":
        return model.reasons.get(key, "")
    if path.startswith("三公经费.差异原因."):
        return model.sangong_reasons.get(path.rsplit(".", 1)[1], "")
    raise KeyError(path)


def _needs_reason(value: Change | Completion) -> str:
    """The direction word when a reason is needed, else ''."""
    if isinstance(value, Change):
        return value.direction if value.known and value.diff != 0 else ""
    if value.actual == (value.budget or ZERO):
        return ""
    return value.relation or "大于"


def check_reason(ctx: Ctx, rule: Rule) -> None:
    value = _figure(_fact(ctx.figures, rule.spec["figure"]), rule.spec["figure"])
    if isinstance(value, Change) and not value.known:
        path = rule.spec.get("prior_at", "上年")  # where last year's figures belong in the kind's file
        ctx.findings.warn(
            "上年-缺失",
            f"缺少上年数“{rule.spec['figure']}”，说明中将不写与上年的比较。",
            ctx.loc(path),
            path,
        )
        return
    direction = _needs_reason(value)
    if direction and not _model_text(ctx.figures, rule.spec["text"]):
        ctx.report(rule, rule.spec["text"], False, direction=direction)


def check_reason_each(ctx: Ctx, rule: Rule) -> None:
    for entry in _entries(ctx.figures, rule.spec["list"]):
        direction = _needs_reason(_figure(entry[rule.spec["figure"]], rule.spec["figure"]))
        if direction and not entry[rule.spec["text"]]:
            path = str(entry[rule.spec["path"]])
            # Point at the (empty) reason field when the file has one, else at the 项.
            where = f"{path}.{rule.spec['input']}" if "input" in rule.spec else path
            ctx.report(
                rule,
                where,
                False,
                row=f"{entry['编码']} {entry['名称']}",
                direction=direction,
                path=path,
            )


def _rounded(rate: Decimal | None, places: int) -> Decimal | None:
    return None if rate is None else rate.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def check_shares(ctx: Ctx, rule: Rule) -> None:
    if "list" in rule.spec:
        facts = [entry[rule.spec["field"]] for entry in _entries(ctx.figures, rule.spec["list"])]
    else:
        facts = [_fact(ctx.figures, name) for name in rule.spec["figures"]]
    shares = [s for s in facts if isinstance(s, Share)]
    rates = [_rounded(s.rate, rule.spec["precision"]) for s in shares]
    known = [r for r in rates if r is not None]
    if not rates or len(known) < len(rates) or all(s.part == 0 for s in shares):
        return
    total = sum(known, ZERO)
    exact = sum((s.part for s in shares), ZERO) == shares[0].whole
    if exact and total != 100:
        ctx.report(rule, "说明", False, left=_fmt(total))


def check_max(ctx: Ctx, rule: Rule) -> None:
    for i, goal in enumerate(ctx.figures.model.performance.goals, 1):
        total = sum((ind.score for ind in goal.indicators), ZERO)
        if goal.weight is not None and total > goal.weight:
            ctx.report(
                rule,
                f"绩效.整体.目标[{i}]",
                False,
                row=goal.name,
                left=_fmt(total),
                right=_fmt(goal.weight),
            )


def check_project_funds(ctx: Ctx, rule: Rule) -> None:
    projects = ctx.figures.model.performance.projects
    if not projects:
        return
    funds = sum((p.actual for p in projects), ZERO)
    target = ctx.tables["05"].get("合计", "项目支出")
    if funds != target:
        ctx.report(
            rule,
            rule.spec["at"],
            False,
            left=_fmt(funds),
            right=_fmt(target),
            diff=_fmt(abs(funds - target)),
        )


KINDS: dict[str, Callable[[Ctx, Rule], None]] = {
    "sum": check_sum,
    "le": check_sum,
    "columns": check_columns,
    "hierarchy": check_hierarchy,
    "rows": check_rows,
    "level_sum": check_level_sum,
    "reason": check_reason,
    "reason_each": check_reason_each,
    "shares": check_shares,
    "max": check_max,
    "project_funds": check_project_funds,
}


def iter_rules(source: tuple[str, str] = DEFAULT_RULES) -> Iterator[Rule]:
    yield from load_rules(source)


def run_rules(figures: Figures, findings: Findings, source: tuple[str, str] = DEFAULT_RULES) -> None:
    """Run every rule of ``source`` (a kind's rules file); each finding carries the rule id and the input location."""
    ctx = Ctx(figures, findings)
    for rule in load_rules(source):
        if "needs" in rule.spec and rule.spec["needs"] not in ctx.tables:
            continue  # a rule on a table only some files have (the Sichuan 川 tables)
        KINDS[rule.kind](ctx, rule)
