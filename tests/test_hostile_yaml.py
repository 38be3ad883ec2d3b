"""Files the project writes always load (issue 13 item 10): rollover, new and import-xlsx.

A name or text holding a line break, U+2028, " #", quotes or YAML indicators must come back
from each writer exactly as check read it, never break the file or inject a key.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile_data import TEXT_LINES, with_texts
from yujuesuan.catalog import load_catalog
from yujuesuan.input.load import parse_text
from yujuesuan.kinds.juesuan.sanity import REVIEW_MARK
from yujuesuan.pipeline import check
from yujuesuan.profiles import load_profile
from yujuesuan.workflows.new import skeleton_text
from yujuesuan.workflows.rollover import rollover
from yujuesuan.workflows.xlsx import export_workbook, import_workbook

HOSTILE = [
    "甲\n乙: 注入",
    "甲\u2028乙: 注入",
    "甲\u2029乙",
    "名称 # 不是注释",
    "# 开头",
    "甲: 乙",
    "'单引号",
    '"双引号" 和 \\ 反斜杠',
    "- 列表",
    "[甲, 乙]",
    "{甲: 1}",
    "---",
    "&锚 *别名 !标签 %指令 @at `反引号",
    "yes",
    "012",
    "null",
    "~",
    "\u3000全角空格开头",
    "末尾冒号:",
    "甲\n\n乙\n  缩进行",
    "甲\n# 像注释的行",
    "| 竖线",
    "> 大于",
    "? 问号",
    "甲\t乙",
    "😀 表情",
]


def _checked(tmp_path: Path, text: str, name: str = "unit-2023.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return check(path)


FIELDS = tuple(TEXT_LINES)
# Each document holds a different hostile text in each field (and 咨询电话): four builds cover them all.
DOCUMENTS = [HOSTILE[i : i + len(FIELDS) + 1] for i in range(0, len(HOSTILE), len(FIELDS) + 1)]


@pytest.mark.parametrize("texts", DOCUMENTS, ids=[f"document-{i}" for i in range(len(DOCUMENTS))])
def test_rollover_and_import_keep_hostile_text(tmp_path, sample_text, texts):
    phone, *rest = texts
    fields = dict(zip(FIELDS, rest + [phone] * len(FIELDS)))
    text = fields["单位.名称"]
    first = _checked(tmp_path, with_texts(sample_text, fields, phone))
    assert first.ok, [f.format() for f in first.findings]
    model = first.model
    rolled = rollover(first.figures, "unit-2023.yaml")
    parse_text(rolled.text, "rolled.yaml")
    again = _checked(tmp_path, rolled.text, "unit-2024.yaml")
    assert not [f for f in again.findings if f.rule.startswith(("yaml", "duplicate", "unknown"))], again.findings
    assert again.model.name == model.name and model.name.strip() == text.strip()
    assert again.model.phone == model.phone
    assert again.model.reasons["收支总计变动原因"] == REVIEW_MARK + model.reasons["收支总计变动原因"]
    assert again.model.class_uses["201"] == REVIEW_MARK + model.class_uses["201"]

    data = export_workbook(first.figures, load_profile("wuhan"))
    book = tmp_path / f"unit\n{text[:3]}.xlsx" if "/" not in text[:3] else tmp_path / "unit.xlsx"
    book.write_bytes(data)
    imported = import_workbook(book)
    parse_text(imported, "imported.yaml")
    back = _checked(tmp_path, imported, "imported.yaml")
    assert back.ok, [f.format() for f in back.findings]
    assert back.model.name == model.name and back.model.phone == model.phone
    assert back.model.reasons == model.reasons and back.model.class_uses == model.class_uses
    assert back.model.performance == model.performance


@pytest.mark.parametrize("year", [2023, 2024])
def test_new_writes_a_file_that_loads(year):
    text = skeleton_text(load_catalog(year), year)
    parse_text(text, "new.yaml")
