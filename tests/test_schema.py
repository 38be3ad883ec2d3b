"""kinds/juesuan/schema.py is the one declaration of the input: the validator, `new`, rollover, the workbook
and docs/INPUT.md all follow it, so that a key cannot be known to one of them and missing from another."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from test_xlsx_profiles import full_text
from yujuesuan import pipeline
from yujuesuan.catalog import load_catalog
from yujuesuan.errors import Findings
from yujuesuan.input.load import Mapping, parse_text
from yujuesuan.input.reader import Reader
from yujuesuan.kinds.juesuan import schema
from yujuesuan.kinds.juesuan.validate import read_model
from yujuesuan.profiles import load_profile
from yujuesuan.workflows.new import skeleton_text
from yujuesuan.workflows.rollover import carried, rollover
from yujuesuan.workflows.xlsx import export_workbook, layout

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = [ROOT / "sample_data" / "qingshan-2023.yaml", ROOT / "sample_data" / "panzhihua-dongqu-2023.yaml"]
CONTAINERS = ("block", "codes", "records")


def _allowed_keys(text: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[str, ...]]]:
    """Every (path, allowed keys) the validator checks a mapping against while reading ``text``."""
    seen: list[tuple[str, tuple[str, ...]]] = []
    original = Reader.keys

    def spy(self: Reader, m: Mapping, path: str, allowed: object) -> None:
        allowed = tuple(allowed)  # type: ignore[arg-type]
        seen.append((path, allowed))
        original(self, m, path, allowed)

    monkeypatch.setattr(Reader, "keys", spy)
    findings = Findings()
    read_model(parse_text(text, "t.yaml"), "t.yaml", findings)
    assert not findings.errors, [f.format() for f in findings.errors]
    return seen


def test_the_validator_accepts_exactly_the_declared_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [full_text(), *(p.read_text(encoding="utf-8") for p in SAMPLES)]
    checked: set[str] = set()
    for text in texts:
        for path, allowed in _allowed_keys(text, monkeypatch):
            declared = schema.find(path)
            assert declared is not None, path
            assert allowed == tuple(f.key for f in declared.fields), path
            checked.add(re.sub(r"\[\d+\]", "", path))
    assert {"", "单位", "三公经费.明细", "绩效.项目.指标", "公务用车明细.购置.轿车"} <= checked
    assert any(re.fullmatch(r"科目\.\d{7}\.政府性基金预算财政拨款支出", path) for path in checked)
    # Every block of fixed keys the files reach was checked against its declaration.
    assert {"上年", "说明.收入内容", "预算绩效管理", "绩效管理情况", "附件", "重点工作.表"} <= checked


def test_required_blocks_and_unknown_keys_are_reported_from_the_declaration() -> None:
    findings = Findings()
    read_model(parse_text("格式版本: 1\n单位: {名称: 甲, 年度: 2023, 电话: 1}\n", "t.yaml"), "t.yaml", findings)
    messages = [f.message for f in findings.errors]
    assert "缺少“科目”块。请参照示例文件补上。" in messages
    assert "缺少“单位”块。请参照示例文件补上。" not in messages
    unknown = next(m for m in messages if "电话" in m)
    assert unknown == "“单位”中没有“电话”这一项。是否应为“咨询电话”？"
    assert schema.REQUIRED_TOP == ("单位", "科目")


def _declared_paths() -> list[tuple[str, schema.Field]]:
    return [(path, f) for path, f in schema.walk() if f.key != schema.CODE]


def test_every_declared_key_appears_in_the_skeleton() -> None:
    text = skeleton_text(load_catalog(2024), 2024)
    for block in schema.BLOCKS:  # each block written, or shown commented out to be filled in
        assert re.search(rf"^(# )?{re.escape(block.key)}:", text, re.M), block.key
    missing = [path for path, f in _declared_paths() if f.key not in text]
    assert not missing, missing
    for path, f in _declared_paths():  # a field every layout prints is written, not commented out
        if f.kind in schema.LEAF_KINDS and path.count(".") == 1 and f.shown and not f.profiles:
            block = schema.field(path.split(".")[0])
            if block.shown and not block.profiles:
                assert re.search(rf"^  {re.escape(f.key)}:", text, re.M), path


def _workbook_paths() -> set[str]:
    """The schema paths the workbook's fact sheets carry, from layout.py's sheets and columns."""
    code = schema.CODE
    out = {"格式版本"}  # import-xlsx writes it; the workbook has no cell for the format version
    vehicles = {"购置辆数": "购置.{}.辆", "购置金额": "购置.{}.金额"}
    for sheet, fields in layout.KV_SHEETS.items():
        for f in fields:
            if sheet == "公务用车明细" and f.key[0] in vehicles:
                out.add(f"{sheet}." + vehicles[f.key[0]].format(f.key[1]))
            else:
                out.add(".".join((sheet, *(code if k == layout.ANY else k for k in f.key))))
    for group, name, _ in layout.ITEM_COLUMNS[2:]:
        out.add(".".join(k for k in ("科目", code, group, name) if k))
    for sheet, path in layout.ROW_FIELDS.items():
        declared = schema.field(path)
        columns = {name for name, kind in layout.ROW_SHEETS[sheet] if kind != "info"}
        if declared.kind == "codes" and "编码" in columns:
            out.add(f"{path}.{code}")
        out |= {f"{path}.{f.key}" for f in declared.fields if f.key in columns}
        if sheet == "重点工作":
            out.add(f"{path}.{layout.KEY_WORK_TEXT}")
            out |= {f"{path}.表.{name}" for name in columns}
    out |= {f"其他财政拨款经济分类.{fund}.{kind}.{code}" for fund in schema.OTHER_FUNDS for kind in schema.FUND_KINDS
            if f"{fund}{kind}" in dict(layout.ROW_SHEETS["其他财政拨款经济分类"])}  # fmt: skip
    goal_columns = dict(layout.ROW_SHEETS["绩效指标"])
    out |= {"绩效.整体.目标.名称", "绩效.整体.目标.分值"} if {"目标", "目标分值"} <= goal_columns.keys() else set()
    out |= {f"绩效.整体.目标.指标.{k}" for k in goal_columns if schema.find(f"绩效.整体.目标.指标.{k}")}
    if {"表", "行", "列", "金额"} <= dict(layout.ROW_SHEETS["核对数"]).keys():
        out.add(f"核对数.{code}.{code}.{code}")
    return out


def test_every_declared_key_has_a_place_in_the_workbook() -> None:
    carried_paths = _workbook_paths()
    for path in carried_paths:
        assert schema.find(path.replace(schema.CODE, "x")) is not None, path
    leaves = [path for path, f in schema.walk() if f.kind not in CONTAINERS]
    missing = [path for path in leaves if path not in carried_paths]
    assert not missing, missing


def test_the_workbook_notes_are_the_declared_ones() -> None:
    assert layout.KV_SHEETS["单位"][0] == layout.Field(("名称",), "text", "单位全称")
    assert layout.ROW_NOTES["附件"] == schema.field("附件").sheet_note
    assert layout.ITEM_NOTE.startswith("每个有收支的项级（7 位）功能分类科目一行。")
    prior = {f.key: f for f in layout.KV_SHEETS["上年"]}
    assert prior[("上级补助收入",)].note == "上年决算数；空着表示不作比较"
    assert prior[("一般公共预算类", layout.ANY)].kind == "amount"


def test_the_input_reference_is_generated_from_the_declaration() -> None:
    doc = (ROOT / "docs" / "INPUT.md").read_text(encoding="utf-8")
    assert doc == schema.markdown(), "docs/INPUT.md is stale: regenerate it with " + schema.GENERATE
    for path, _ in schema.walk():
        if path.count(".") >= 1:
            assert f"| `{path}` |" in doc, path
        else:
            assert f"\n## {path}\n" in doc, path
    assert "| `三公经费.明细.因公出国人次` | 整数 | 人次 | 可选（2024 年全国模板） |" in doc


def test_rollover_rolls_a_block_it_has_no_reader_for_as_declared() -> None:
    text = '名词解释: {"2013350": 2023}\n项目支出经济分类: {"30226": "12.50"}\n附件: [{标题: 2023}]\n'
    root = parse_text(text, "t.yaml")
    assert isinstance(root, Mapping)
    terms, econ, annexes = (carried(k, v) for k, v in root.items.items())
    assert terms.value[0].value == "【待更新】2023"  # type: ignore[index,union-attr]  # a text, though it looks a number
    assert (econ.value[0].value, econ.value[0].note) == (None, "上年 12.50")  # type: ignore[index,union-attr]
    assert annexes.value[0][0].value == "【待更新】2023"  # type: ignore[index]


def test_a_rolled_over_file_goes_through_the_workbook(tmp_path: Path) -> None:
    """Next year's file has 上年's optional figures and 一般公共预算类: the workbook now carries them."""
    first = pipeline.check(SAMPLES[0])
    assert first.figures is not None
    path = tmp_path / "qingshan-2024.yaml"
    path.write_text(rollover(first.figures, SAMPLES[0].name).text, encoding="utf-8")
    rolled = pipeline.check(path)
    assert rolled.ok and rolled.figures is not None, [f.format() for f in rolled.errors]
    classes = {"201": "437.68", "208": "21.35", "210": "41.16", "221": "36.93"}
    assert rolled.figures.model.prior_classes == {k: Decimal(v) for k, v in classes.items()}
    assert rolled.figures.model.prior["年初结转和结余"] == 0
    export_workbook(rolled.figures, load_profile("wuhan"))  # imports it again: raises if a fact is lost
