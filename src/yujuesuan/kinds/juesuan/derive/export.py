"""Export: derived Figures → a plain, JSON-able dict (for golden files and `diff`).

The dump is deterministic: tables in id order, row values in column order,
facts in the order narrative.py builds them. Amounts are Decimal text
(``"537.12"``, never a float). Rates are quantized to 6 places with
ROUND_HALF_UP: the ``rate`` of a Change, Share or Completion, and a bare
Decimal under a key ending in 率 (执行率). Any other Decimal with more than 6
decimal places (a quotient such as 执行得分) is quantized the same way, so the
text does not depend on the Decimal context's precision.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Context, Decimal

from yujuesuan.derive import Figures
from yujuesuan.derive.values import Change, Completion, Share
from yujuesuan.kinds.juesuan.derive.tables import DTable, Row

PLACES = 6
_QUANTUM = Decimal(1).scaleb(-PLACES)  # 0.000001
# quantize() fails when the result needs more digits than the context allows;
# a private context keeps the export independent of the caller's.
_CONTEXT = Context(prec=60, rounding=ROUND_HALF_UP)
# What json.dumps writes: the export holds nothing else (Decimals are text).
Json = None | bool | int | str | list["Json"] | dict[str, "Json"]


def figures_to_dict(figures: Figures) -> dict[str, Json]:
    """Return every derived table and narrative fact of ``figures`` as JSON-able data."""
    return {
        "unit": figures.unit,
        "tables": {tid: table_to_list(figures.tables[tid]) for tid in sorted(figures.tables)},
        "facts": value_to_json(figures.facts),
    }


def table_to_list(table: DTable) -> list[Json]:
    """Return the rows of ``table``, each with its key, label, level, 行次, values and leaf counts."""
    return [_row(row, table.columns) for row in table.rows]


def _row(row: Row, columns: tuple[str, ...]) -> Json:
    # Table columns first, in table order; any other column after, by name.
    order = [c for c in columns if c in row.values] + sorted(set(row.values) - set(columns))
    return {
        "key": row.key,
        "label": row.label,
        "level": row.level,
        "number": row.number,
        "values": {c: decimal_text(row.values[c]) for c in order},
        "leaves": {c: row.leaves[c] for c in order if c in row.leaves},
    }


def decimal_text(value: Decimal) -> str:
    """Return ``value`` in plain notation; beyond 6 decimal places, quantized to 6 (ROUND_HALF_UP)."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -PLACES:
        value = value.quantize(_QUANTUM, context=_CONTEXT)
    return format(value, "f")


def rate_text(value: Decimal | None) -> str | None:
    """Return a rate quantized to exactly 6 decimal places (ROUND_HALF_UP), or None."""
    if value is None:
        return None
    return format(value.quantize(_QUANTUM, context=_CONTEXT), "f")


def _optional(value: Decimal | None) -> str | None:
    return None if value is None else decimal_text(value)


def value_to_json(value: object) -> Json:
    """Convert one fact (recursively) into str/int/bool/None, lists and str-keyed dicts."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, Change):
        return {
            "current": decimal_text(value.current),
            "previous": _optional(value.previous),
            "diff": _optional(value.diff),
            "rate": rate_text(value.rate),
            "direction": value.direction,
        }
    if isinstance(value, Share):
        return {"part": decimal_text(value.part), "whole": decimal_text(value.whole), "rate": rate_text(value.rate)}
    if isinstance(value, Completion):
        return {
            "actual": decimal_text(value.actual),
            "budget": _optional(value.budget),
            "rate": rate_text(value.rate),
            "relation": value.relation,
        }
    if isinstance(value, dict):
        # A bare Decimal under a key such as 执行率 is a rate too.
        return {
            str(k): rate_text(v) if str(k).endswith("率") and isinstance(v, Decimal) else value_to_json(v)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [value_to_json(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # Model objects (Indicator, Goal, …): their fields, in declaration order.
        return {f.name: value_to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    # Anything else (a set, a float, an unknown object) has no stable text: refuse it.
    raise TypeError(f"cannot export {type(value).__name__} as JSON")
