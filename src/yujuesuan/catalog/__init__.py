"""Classification catalogs: the names behind the codes, by year.

Two data files per year ship with the package, in ``catalog/data``:

- ``gongneng-<year>.yaml``: 支出功能分类. The 类 in their official order (one
  row each in 公开01 and 公开04), the 行次 of those two tables, the names of
  the 款 and 项, and the 名词解释 of the 项.
- ``jingji-<year>.yaml``: 部门预算支出经济分类. The items of 公开06 in table
  order, its three column groups, and which 类 are 人员经费.

A user types a code; :meth:`Catalog.name` gives its name. Codes the catalog
lacks may be named in the input file and added with :meth:`Catalog.with_extra`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from yujuesuan.resources import read_bundled_yaml

__all__ = [
    "Catalog",
    "ClassEntry",
    "EconItem",
    "available_years",
    "load_catalog",
    "nearest_year",
]

_FILE = re.compile(r"gongneng-(\d{4})\.yaml")
_FUNCTION_CODE = re.compile(r"2\d{2}(\d{2}){0,2}")  # 类 3, 款 5, 项 7 digits
_ECON_CODE = re.compile(r"3\d{2}(\d{2})?")  # 类 3, 款 5 digits


@dataclass(frozen=True)
class ClassEntry:
    """A 功能分类 类; ``order`` is its 1-based place (一、二、…) in 公开01."""

    code: str
    name: str
    order: int


@dataclass(frozen=True)
class EconItem:
    """A 经济分类 款 such as 30101 基本工资; ``parent`` is its 类 (301)."""

    code: str
    name: str
    parent: str


@dataclass(frozen=True)
class Catalog:
    """One year's 功能分类 and 经济分类."""

    year: int
    classes: tuple[ClassEntry, ...]
    names: Mapping[str, str]  # every 功能分类 类/款/项 code -> name
    explanations: Mapping[str, str]  # 项 code -> 名词解释 (own, else the shared one)
    rows01: Mapping[str, int]  # 公开01 row name -> 行次
    rows04: Mapping[str, int]  # 公开04 row name -> 行次
    econ_classes: Mapping[str, str]  # "301" -> "工资福利支出", ...
    econ_items: tuple[EconItem, ...]  # 公开06 items, group by group, in table order
    econ_layout: tuple[tuple[str, ...], ...]  # 公开06 column groups, as 类 codes
    personnel_classes: frozenset[str]  # 人员经费 类: 301, 303
    public_classes: frozenset[str]  # 公用经费 类: 302, 310
    econ_extra_items: tuple[EconItem, ...]  # known items not printed in 公开06
    generic_explanations: Mapping[str, str]  # 项 name -> shared 名词解释 (行政运行, …)

    def name(self, code: str) -> str | None:
        """The name of a 功能分类 or 经济分类 code, or None if unknown."""
        if code in self.names:
            return self.names[code]
        return self.econ_name(code)

    def econ_name(self, code: str) -> str | None:
        """The name of a 经济分类 类 or 款, or None if unknown."""
        if code in self.econ_classes:
            return self.econ_classes[code]
        for item in self.econ_items + self.econ_extra_items:
            if item.code == code:
                return item.name
        return None

    def parents(self, code: str) -> tuple[str, ...]:
        """The codes above ``code``, top first: "2101102" -> ("210", "21011")."""
        if len(code) == 7:
            return (code[:3], code[:5])
        if len(code) == 5:
            return (code[:3],)
        return ()

    def with_layout(self, other: Catalog) -> Catalog:
        """A copy that lays out 公开01/04 with ``other``'s class list and 行次 (a profile's year)."""
        names = {**self.names, **{c.code: c.name for c in other.classes}}
        return replace(self, classes=other.classes, rows01=other.rows01, rows04=other.rows04, names=names)

    def with_econ(self, other: Catalog) -> Catalog:
        """A copy that lists the 公开06 items, column groups and 人员/公用 classes of ``other`` (an edition).

        Items this catalog prints and ``other`` does not become extra items, so they stay nameable.
        """
        printed = {item.code for item in other.econ_items}
        extra = {i.code: i for i in (*self.econ_extra_items, *self.econ_items) if i.code not in printed}
        return replace(
            self,
            econ_classes=MappingProxyType({**other.econ_classes, **self.econ_classes}),
            econ_items=other.econ_items,
            econ_layout=other.econ_layout,
            personnel_classes=other.personnel_classes,
            public_classes=other.public_classes,
            econ_extra_items=tuple(extra.values()),
        )

    def with_extra(self, names: Mapping[str, str]) -> Catalog:
        """A copy that also knows ``names`` (codes named in the input file).

        功能分类 codes (2xx…) go to :attr:`names`; 经济分类 codes to the 类 or
        the extra items. A name given here overrides the catalog's. Any other
        code is a ValueError.
        """
        functional = dict(self.names)
        explanations = dict(self.explanations)
        econ_classes = dict(self.econ_classes)
        extra = {item.code: item for item in self.econ_extra_items}
        printed = {item.code for item in self.econ_items}
        for code, name in names.items():
            if _FUNCTION_CODE.fullmatch(code):
                functional[code] = name
                if len(code) == 7 and code not in explanations:
                    shared = self.generic_explanations.get(name)
                    if shared is not None:
                        explanations[code] = shared
            elif not _ECON_CODE.fullmatch(code):
                raise ValueError(f"不是支出功能分类或经济分类的编码：{code!r}")
            elif len(code) == 3:
                econ_classes[code] = name
            elif code not in printed:
                extra[code] = EconItem(code, name, code[:3])
        items = tuple(EconItem(i.code, names.get(i.code, i.name), i.parent) for i in self.econ_items)
        return replace(
            self,
            names=MappingProxyType(functional),
            explanations=MappingProxyType(explanations),
            econ_classes=MappingProxyType(econ_classes),
            econ_items=items,
            econ_extra_items=tuple(extra.values()),
        )


def available_years() -> tuple[int, ...]:
    """The years that have a catalog, oldest first."""
    found = (_FILE.fullmatch(entry.name) for entry in _data_dir().iterdir())
    return tuple(sorted(int(m.group(1)) for m in found if m))


def nearest_year(year: int) -> int:
    """The newest catalog year not after ``year``; the oldest if all are after it."""
    years = available_years()
    earlier = [y for y in years if y <= year]
    return earlier[-1] if earlier else years[0]


@lru_cache(maxsize=16)
def load_catalog(year: int) -> Catalog:
    """The catalog of ``year``; KeyError if there is none for that year."""
    if year not in available_years():
        raise KeyError(year)
    gongneng = _read(f"gongneng-{year}.yaml")
    jingji = _read(f"jingji-{year}.yaml")

    classes = tuple(
        ClassEntry(str(c["编码"]), str(c["名称"]), order) for order, c in enumerate(gongneng["类"], start=1)
    )
    names = {c.code: c.name for c in classes}
    names.update(_strings(gongneng.get("科目")))
    shared = _strings(gongneng.get("通用名词解释"))
    explanations = {code: shared[name] for code, name in names.items() if len(code) == 7 and name in shared}
    explanations.update(_strings(gongneng.get("名词解释")))

    econ_items = tuple(
        EconItem(code, name, parent)
        for group in jingji["公开06栏组"]
        for parent in group
        for code, name in _strings(jingji["公开06科目"][parent]).items()
    )
    extra_items = tuple(
        EconItem(code, name, parent)
        for parent, items in (jingji.get("其他科目") or {}).items()
        for code, name in _strings(items).items()
    )
    return Catalog(
        year=year,
        classes=classes,
        names=MappingProxyType(names),
        explanations=MappingProxyType(explanations),
        rows01=MappingProxyType(_ints(gongneng["公开01行次"])),
        rows04=MappingProxyType(_ints(gongneng["公开04行次"])),
        econ_classes=MappingProxyType(_strings(jingji["类"])),
        econ_items=econ_items,
        econ_layout=tuple(tuple(str(c) for c in group) for group in jingji["公开06栏组"]),
        personnel_classes=frozenset(str(c) for c in jingji["人员经费"]),
        public_classes=frozenset(str(c) for c in jingji["公用经费"]),
        econ_extra_items=extra_items,
        generic_explanations=MappingProxyType(shared),
    )


def _data_dir() -> Any:
    return resources.files(__name__).joinpath("data")


def _read(filename: str) -> dict[str, Any]:
    text = _data_dir().joinpath(filename).read_text(encoding="utf-8")
    data: dict[str, Any] = read_bundled_yaml(text)  # a mapping: each catalog file is one
    return data


def _strings(mapping: Mapping[Any, Any] | None) -> dict[str, str]:
    return {str(k): str(v) for k, v in (mapping or {}).items()}


def _ints(mapping: Mapping[Any, Any]) -> dict[str, int]:
    return {str(k): int(v) for k, v in mapping.items()}
