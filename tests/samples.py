"""The shipped samples, and the Panzhihua one without the block its reference never printed.

Reference 003 does not print its 附表, so the Panzhihua sample's 项目支出经济分类
is an illustrative split (see the sample's head, item 5). Tests of what the
Sichuan layout does when a file lacks that fact take the sample without it.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_data"
PANZHIHUA = SAMPLES / "panzhihua-dongqu-2023.yaml"
PROJECT_ECON_BLOCK = re.compile(r"^项目支出经济分类:\n(?:  .*\n)+", re.M)


def panzhihua_without_project_econ() -> str:
    """The Panzhihua sample's text with its 项目支出经济分类 block (and nothing else) taken out."""
    text = PANZHIHUA.read_text(encoding="utf-8")
    stripped, count = PROJECT_ECON_BLOCK.subn("", text)
    assert count == 1 and "\n项目支出经济分类" not in stripped
    return stripped
