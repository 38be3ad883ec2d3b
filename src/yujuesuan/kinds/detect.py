"""Which kind a data file is, from its content: the 科目 blocks' keys, else its top-level blocks.

A file may say what it is (单位.模板 names a profile, and the profile its kind); when it
says nothing, the command line and the library read the kind from the blocks it has, so
that a 部门预算 file builds as one without --profile.
"""

from __future__ import annotations

from yujuesuan.input.load import Mapping, Node

JUESUAN_ONLY = ("结转结余", "上年", "重点工作", "绩效", "核对数", "预算绩效管理")
YUSUAN_ONLY = ("人员", "项目", "政府购买服务", "上年预算", "前年预算", "整体绩效")
JUESUAN_ITEM_KEYS = ("收入", "支出", "一般公共预算财政拨款支出")


def data_kind(root: Node) -> str | None:
    """Which kind a data file is (juesuan, yusuan), from its 科目 blocks, else its top-level keys; None if unclear."""
    if not isinstance(root, Mapping):
        return None
    items = root.get("科目")
    if isinstance(items, Mapping):
        for block in items.items.values():
            if isinstance(block, Mapping) and block.items:
                return "juesuan" if any(k in block.items for k in JUESUAN_ITEM_KEYS) else "yusuan"
    keys = set(root.items)
    if keys & set(YUSUAN_ONLY) and not keys & set(JUESUAN_ONLY):
        return "yusuan"
    if keys & set(JUESUAN_ONLY) and not keys & set(YUSUAN_ONLY):
        return "juesuan"
    return None
