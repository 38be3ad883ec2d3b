"""Validate the optional blocks that only some layouts read (the Sichuan profile, reference 003).

Each block is optional. A block the file has is read into ``model.extra``
under its own name; a block it lacks is simply absent, and derive/sichuan.py
decides whether the layout can do without it (a zero that follows from the
figures) or must show a placeholder and warn.

- 项目支出经济分类: 一般公共预算财政拨款项目支出 by 经济分类 (款, 5 digits).
- 其他财政拨款经济分类: 政府性基金 / 国有资本经营预算财政拨款支出 by 经济分类,
  each split into 基本支出 and 项目支出.
- 公务用车明细: the cars bought (count and amount) and held, by 轿车 / 越野车 /
  载客汽车 (说明七). The other 三公 counts are in 三公经费.明细.
- 机构设置: the 下属单位 by kind (the names are in 单位.下属单位).
- 绩效管理情况: the projects named in 说明十（四）and the 整体自评得分.
- 名词解释: the unit's own wording for a 项's explanation.
- 附件: free-text reports printed in 第四部分.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from yujuesuan.input import amounts
from yujuesuan.input.load import Mapping, Node, Scalar
from yujuesuan.kinds.juesuan.model import Model
from yujuesuan.kinds.juesuan.schema import (
    ANNEXES,
    CAR_TYPES,
    FUND_ECON,
    FUND_KINDS,
    ORG_KINDS,
    ORGANISATION,
    OTHER_FUNDS,
    PERF_LISTS,
    PERF_MANAGEMENT,
    PROJECT_ECON,
    SICHUAN,
    TERMS,
    VEHICLES,
    keys,
    profile_blocks,
)

if TYPE_CHECKING:
    from yujuesuan.input.reader import Reader

# The blocks schema.py declares for the Sichuan layout, in declared order (derive/sichuan.py names them so).
EXTRA_KEYS = profile_blocks(SICHUAN)
__all__ = [
    "ANNEXES", "CAR_TYPES", "EXTRA_KEYS", "FUND_ECON", "FUND_KINDS", "ORGANISATION", "ORG_KINDS", "OTHER_FUNDS",
    "PERF_LISTS", "PERF_MANAGEMENT", "PROJECT_ECON", "TERMS", "VEHICLES", "read_extra",
]  # fmt: skip
_ECON_RE = re.compile(r"^3\d{4}$")
_ITEM_RE = re.compile(r"^\d{7}$")


@dataclass
class VehicleDetail:
    """公务用车明细: a part the file lacks stays None (unknown, not zero)."""

    bought: dict[str, tuple[int, Decimal]] | None = None  # 车型 → (辆, 金额): 本年购置
    held: dict[str, int] | None = None  # 车型 → 辆: 年末保有


@dataclass
class Organisation:
    kinds: dict[str, int] = field(default_factory=dict)  # 行政单位 … → 个


@dataclass
class PerfManagement:
    lists: dict[str, list[str]] = field(default_factory=dict)  # 事前绩效评估项目 … → 项目名称
    score: Decimal | None = None  # 部门整体绩效自评得分
    summary: str = ""  # 绩效自评综述


@dataclass
class Annex:
    title: str
    text: str


class Extra(TypedDict, total=False):
    """``model.extra``: the blocks the file has, by block name (the constants above)."""

    项目支出经济分类: dict[str, Decimal]  # 经济分类 code → amount
    其他财政拨款经济分类: dict[str, dict[str, dict[str, Decimal]]]  # fund → 基本/项目支出 → code → amount
    公务用车明细: VehicleDetail
    机构设置: Organisation
    绩效管理情况: PerfManagement
    名词解释: dict[str, str]  # 项 code → text
    附件: list[Annex]


def read_extra(r: Reader, top: Mapping, model: Model) -> None:
    """Read every optional block the file has into ``model.extra``."""
    if (m := r.mapping(top.get(PROJECT_ECON), PROJECT_ECON)) is not None:
        model.extra[PROJECT_ECON] = _econ_amounts(r, m, PROJECT_ECON)
    if (m := r.mapping(top.get(FUND_ECON), FUND_ECON)) is not None:
        model.extra[FUND_ECON] = _fund_econ(r, m)
    if (m := r.mapping(top.get(VEHICLES), VEHICLES)) is not None:
        model.extra[VEHICLES] = _vehicles(r, m)
    if (m := r.mapping(top.get(ORGANISATION), ORGANISATION)) is not None:
        r.keys(m, ORGANISATION, keys(ORGANISATION))
        model.extra[ORGANISATION] = Organisation(
            {k: r.count(m, k, f"{ORGANISATION}.{k}", "单位个数") for k in ORG_KINDS}
        )
    if (m := r.mapping(top.get(PERF_MANAGEMENT), PERF_MANAGEMENT)) is not None:
        r.keys(m, PERF_MANAGEMENT, keys(PERF_MANAGEMENT))
        perf = PerfManagement()
        for key in PERF_LISTS:
            if key in m.items:
                perf.lists[key] = _texts(r, m.get(key), f"{PERF_MANAGEMENT}.{key}")
        perf.score = r.score(m, "整体自评得分", f"{PERF_MANAGEMENT}.整体自评得分", required=False)
        perf.summary = r.text(m, "自评综述", f"{PERF_MANAGEMENT}.自评综述")
        model.extra[PERF_MANAGEMENT] = perf
    if (m := r.mapping(top.get(TERMS), TERMS)) is not None:
        terms = {}
        for code in m.items:
            path = f"{TERMS}.{code}"
            r.locs[path] = m.key_locs[code]
            if not _ITEM_RE.match(code):
                r.error(m.key_locs[code], path, f"“{amounts.shown(code)}”不是项级（7 位）功能分类科目编码。", "code")
                continue
            terms[code] = r.text(m, code, path)
        model.extra[TERMS] = terms
    if top.get(ANNEXES) is not None:
        model.extra[ANNEXES] = _annexes(r, top.get(ANNEXES))


def _econ_amounts(r: Reader, m: Mapping, path: str) -> dict[str, Decimal]:
    """{"30226": 12.5, …}: amounts by 款级经济分类 code, as in the 经济分类 block."""
    out: dict[str, Decimal] = {}
    for code in m.items:
        cpath = f"{path}.{code}"
        r.locs[cpath] = m.key_locs[code]
        if not _ECON_RE.match(code):
            r.error(
                m.key_locs[code],
                cpath,
                f'“{amounts.shown(code)}”不是款级（5 位）经济分类科目编码，如 "30226"。',
                "code",
            )
            continue
        node = r.scalar(m, code, cpath)
        out[code] = r.amount_of(node, cpath) if node is not None else Decimal(0)
    return out


def _fund_econ(r: Reader, m: Mapping) -> dict[str, dict[str, dict[str, Decimal]]]:
    r.keys(m, FUND_ECON, keys(FUND_ECON))
    out: dict[str, dict[str, dict[str, Decimal]]] = {}
    for fund in OTHER_FUNDS:
        fpath = f"{FUND_ECON}.{fund}"
        if (fm := r.mapping(m.get(fund), fpath)) is None:
            continue
        r.keys(fm, fpath, keys(fpath))
        out[fund] = {}
        for kind in FUND_KINDS:
            kpath = f"{fpath}.{kind}"
            km = r.mapping(fm.get(kind), kpath)
            out[fund][kind] = _econ_amounts(r, km, kpath) if km is not None else {}
    return out


def _vehicles(r: Reader, m: Mapping) -> VehicleDetail:
    r.keys(m, VEHICLES, keys(VEHICLES))
    d = VehicleDetail()
    if (buy := r.mapping(m.get("购置"), f"{VEHICLES}.购置")) is not None:
        r.keys(buy, f"{VEHICLES}.购置", keys(f"{VEHICLES}.购置"))
        d.bought = {}
        for car in CAR_TYPES:
            cpath = f"{VEHICLES}.购置.{car}"
            cm = r.mapping(buy.get(car), cpath)
            if cm is not None:
                r.keys(cm, cpath, keys(cpath))
            d.bought[car] = (r.count(cm, "辆", f"{cpath}.辆", "车辆数"), r.amount(cm, "金额", f"{cpath}.金额"))
    if (held := r.mapping(m.get("保有"), f"{VEHICLES}.保有")) is not None:
        r.keys(held, f"{VEHICLES}.保有", keys(f"{VEHICLES}.保有"))
        d.held = {car: r.count(held, car, f"{VEHICLES}.保有.{car}", "车辆数") for car in CAR_TYPES}
    return d


def _scalar_text(r: Reader, node: Node, path: str) -> str:
    if not isinstance(node, Scalar) or node.is_null:
        r.error(node, path, "这里应是一段文字。", "type")
        return ""
    r.locs[path] = node.loc
    problem = amounts.text_problem(node.text)
    if problem:
        r.error(node, path, problem, "text")
        return ""
    return node.text.strip()


def _texts(r: Reader, node: Node | None, path: str) -> list[str]:
    """A list of names (``[甲, 乙]`` or one ``- 名称`` per line)."""
    names = []
    for i, item in enumerate(r.sequence(node, path), 1):
        text = _scalar_text(r, item, f"{path}[{i}]")
        if text:
            names.append(text)
    return names


def _annexes(r: Reader, node: Node | None) -> list[Annex]:
    out = []
    for i, item in enumerate(r.sequence(node, ANNEXES), 1):
        path = f"{ANNEXES}[{i}]"
        m = r.mapping(item, path)
        if m is None:
            continue
        r.keys(m, path, keys(ANNEXES))
        out.append(Annex(r.text(m, "标题", f"{path}.标题", required=True), r.text(m, "正文", f"{path}.正文")))
    return out
