"""Helpers for the hostile-text tests: put a text into every free-text field of the sample.

Values are written as JSON strings (ASCII only, every character escaped), which YAML reads as
double-quoted scalars: the test does not depend on the quoting code it checks.
"""

from __future__ import annotations

import re

# (field path for messages, the sample line to replace: "<indent><key>: <old value>")
TEXT_LINES = {
    "单位.名称": "  名称: 武汉市青山区融媒体中心\n",
    "说明.收支总计变动原因": "  收支总计变动原因: 本年有新进人员及人员经费的正常增加\n",
    "说明.收入变动原因": "  收入变动原因: 本年有新进人员及人员经费的正常增加\n",
    "机关运行经费.说明": "  说明: 武汉市青山区融媒体中心为财政全额拨款事业单位，未设机关运行经费支出。\n",
    "绩效.整体自评结论": (
        "  整体自评结论: 从评价情况来看，全年整体支出严格按照财政下拨预算用途进行管理、使用，达到预期目标。"
    ),
    "绩效.项目.发现的问题": "      发现的问题: 绩效指标设置、社会效益指标有待进一步加强。\n",
    "绩效.项目.名称": "    - 名称: 融媒体工作经费\n",
    "说明.类用途.201": '    "201": 事业运行\n',
}


def as_yaml(text: str) -> str:
    """A double-quoted YAML scalar with every non-ASCII or control character escaped (\\U for astral ones)."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def with_text(sample: str, text: str, fields: tuple[str, ...] = tuple(TEXT_LINES)) -> str:
    """The sample with ``text`` as the value of each field in ``fields`` and of 咨询电话 (line numbers kept)."""
    return with_texts(sample, dict.fromkeys(fields, text), text)


def with_texts(sample: str, texts: dict[str, str], phone: str | None = None) -> str:
    """The sample with each field of ``texts`` (a TEXT_LINES name) given its text (line numbers kept)."""
    for name, text in texts.items():
        old = TEXT_LINES[name]
        assert sample.count(old) == 1 or name == "绩效.整体自评结论", name
        head = re.match(r'(\s*(?:- )?"?[^":]+"?): ', old)
        assert head is not None
        tail = old[head.end() :]
        comment = tail[tail.index("   #") :].rstrip("\n") if "   #" in tail else ""
        new = f"{head.group(1)}: {as_yaml(text)}{comment}" + ("\n" if old.endswith("\n") else "")
        sample = sample.replace(old, new, 1)
    if phone is not None:
        sample = sample.replace('  咨询电话: "68865800"', f"  咨询电话: {as_yaml(phone)}", 1)
    return sample
