"""What narrative templates see: the variables and the helpers (documented in docs/TEMPLATES.md).

Variables: ``u`` (the unit), ``f`` (every derived figure), ``m`` (the texts
staff wrote), ``terms`` (the 项 used, with their 名词解释), ``节`` (the profile's
``sections`` conventions: which comparisons a section states, and so on). Helpers
format figures, number items and join sentences (compose/grammar.py); templates
never compute or type a number, nor pick a numbering style or a zero-item rule.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from yujuesuan.compose import grammar
from yujuesuan.compose.numbers import NumberFormat
from yujuesuan.compose.table_layout import cn
from yujuesuan.derive import Figures
from yujuesuan.derive.values import Change, Completion, shows_zero
from yujuesuan.profiles.conventions import SECTION_FALLBACK


def shown(value: object, fmt: NumberFormat) -> object:
    """A copy of the facts whose Change and Completion values compare as the profile displays them.

    Every mapping (a fact group, a TypedDict) and list is copied, so the copy is plain dicts and lists
    with the same keys in the same order: what the templates read."""
    if isinstance(value, (Change, Completion)):
        return dataclasses.replace(value, display=fmt.amount)
    if isinstance(value, dict):
        return {k: shown(v, fmt) for k, v in value.items()}
    if isinstance(value, list):
        return [shown(v, fmt) for v in value]
    return value


def helpers(fmt: NumberFormat, sections: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The functions templates format figures with; every precision and wording comes from ``fmt``.

    A percentage kind (占比, 类占比, 变动, 完成) picks its places from the profile's
    ``numbers``; an explicit int is still accepted from a district's own templates.
    ``sections`` (the profile's ``sections`` block, conventions.section_settings) sets
    the numbering of items and whether zero items are listed.
    """
    conv = {**SECTION_FALLBACK, **(sections or {})}

    def numbered(style: str, n: object) -> str:
        return style.replace("1", str(n), 1)

    def item_number(n: object) -> str:
        """1. / 1、 / （1）: the number of an item a section enumerates (sections.item_numbering)."""
        return numbered(str(conv["item_numbering"]), n)

    def subitem_number(n: object) -> str:
        """（1）: the number of an item inside a numbered item (sections.subitem_numbering)."""
        return numbered(str(conv["subitem_numbering"]), n)

    def listed(items: Iterable[Any], key: str = "金额") -> list[Any]:
        """The items a section enumerates: all, or those whose amount does not display as zero
        (sections.list_zero_items). A value that is not an amount (a 【未填报】 mark) is kept."""
        kept = list(items)
        if conv["list_zero_items"]:
            return kept

        def zero(item: Any) -> bool:
            value = item.get(key) if isinstance(item, Mapping) else getattr(item, key, None)
            return isinstance(value, Decimal) and fmt.is_zero(value)

        return [x for x in kept if not zero(x)]

    def flat(c: Change) -> bool:
        """持平: no change, or one that displays as zero at the amount places."""
        return c.known and (c.direction == "持平" or fmt.is_zero(c.amount))

    def rate_text(c: Change, places: str | int, compact: bool) -> str:
        """增长 8.44%; a rate that rounds to zero reads 增长不足 0.01% (never 增长 0.00%)."""
        sp = "" if compact else " "
        pct = fmt.pct_short if compact else fmt.pct
        digits = fmt.places(places)
        if shows_zero(c.rate, lambda r: fmt.pct(r, digits).rstrip("%")):
            return f"{c.trend}不足{sp}{pct(Decimal(1).scaleb(-digits), digits)}"
        return f"{c.trend}{sp}{pct(c.rate, places)}"

    def change(c: Change, places: str | int = "变动", unit: str = "万元", compact: bool = False) -> str:
        """增加 41.81 万元，增长 8.44% / 减少 …，下降 …% / 持平; a zero base adds zero_base_wording."""
        if not c.known:
            return ""
        if flat(c):
            return fmt.flat_wording
        sp = "" if compact else " "
        text = f"{c.direction}{sp}{fmt.amount(c.amount)}{sp}{unit}"
        if c.is_new or c.rate is None:
            return text + fmt.zero_base_wording
        return f"{text}，{rate_text(c, places, compact)}"

    def versus_prior(c: Change, places: str | int = "变动", unit: str = "万元", compact: bool = False) -> str:
        """增加 41.81 万元，增长 8.44% / 持平 / 新增 537.12 万元 (a zero base has no rate); '' if unknown."""
        if not c.known:
            return ""
        if flat(c):
            return fmt.flat_wording
        sp = "" if compact else " "
        if c.is_new:
            return f"新增{sp}{fmt.amount(c.amount)}{sp}{unit}"
        return f"{c.direction}{sp}{fmt.amount(c.amount)}{sp}{unit}，{rate_text(c, places, compact)}"

    def completion(c: Completion, places: str | int = "完成") -> str:
        """完成年初预算的 102.69% / zero_budget_wording (年初无预算)."""
        if not c.has_budget:
            return fmt.zero_budget_wording
        return f"完成年初预算的 {fmt.pct(c.rate, places)}"

    def percent(rate: Decimal | None, kind: str | int = "占比") -> str:
        return fmt.pct(rate, kind)

    def percent_short(rate: Decimal | None, kind: str | int = "完成") -> str:
        return fmt.pct_short(rate, kind)

    def listing(names: list[str], sep: str = "、") -> str:
        return sep.join(names)

    return {
        "金额": fmt.amount,
        "百分比": percent,
        "百分比简": percent_short,
        "得分": fmt.score,
        "变动": change,
        "完成": completion,
        "持平": flat,
        "中文数字": cn,
        "列举": listing,
        "编号": item_number,
        "子编号": subitem_number,
        "列项": listed,
        "较上年": versus_prior,
        "缺少": lambda what: grammar.missing(str(what)),  # templates mark with 缺少 only
        "接": grammar.clause,
        "成句": grammar.sentence,
        "列出": grammar.lead,
        "主因": grammar.because,
        "成段": grammar.paragraph,
    }


def wording(fmt: NumberFormat) -> dict[str, str]:
    """The wording keys of ``numbers`` as templates see them (``口径.持平`` …)."""
    return {"持平": fmt.flat_wording, "零基数": fmt.zero_base_wording, "无预算": fmt.zero_budget_wording}


def _terms(figures: Figures) -> list[dict[str, str]]:
    """Each 项 the unit spent on, with 类/款/项 names and its explanation, for 名词解释."""
    cat = figures.catalog
    out = []
    for row in figures.tables["03"].rows:
        if row.level != 3:
            continue
        out.append({
            "编码": row.key, "类": cat.name(row.key[:3]) or "", "款": cat.name(row.key[:5]) or "",
            "项": row.label, "解释": cat.explanations.get(row.key, ""),
        })  # fmt: skip
    return out


def template_context(figures: Figures, fmt: NumberFormat, sections: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What every template sees; ``sections`` is the profile's ``sections`` block (None: the fallback)."""
    m = figures.model
    unit = {"名称": m.name, "年度": m.year, "上年": m.year - 1, "下属单位数": m.subordinates, "咨询电话": m.phone,
            "下属单位": m.subordinate_names}  # fmt: skip
    texts = {
        "主要职能": m.functions.splitlines(),
        "原因": m.reasons,
        "类用途": m.class_uses,
        "机关运行经费说明": m.running_cost_note,
        "重点工作": m.key_work_text.splitlines(),
    }
    conv = {**SECTION_FALLBACK, **(sections or {})}
    return {"u": unit, "f": shown(figures.facts, fmt), "m": texts, "terms": _terms(figures),
            "helpers": helpers(fmt, conv), "零": Decimal(0), "口径": wording(fmt), "节": conv}  # fmt: skip
