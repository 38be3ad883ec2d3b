"""Excel workbooks under every profile: each block of the input schema survives YAML → workbook → YAML.

Both samples, and a file that fills every optional block (the 2024 national facts and the
Sichuan blocks of validate_extra.py), are checked as each profile checks them, exported with
that profile (its own 公开 table sheets first), imported back and checked again: the same
model, derived tables and facts, findings and document text. The completeness check must
still refuse a workbook that would lose a block: here a fact sheet is left out on purpose.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from samples import panzhihua_without_project_econ
from yujuesuan import pipeline
from yujuesuan.compose import compose
from yujuesuan.errors import Findings, InputError
from yujuesuan.profiles import Profile, load_profile
from yujuesuan.workflows.xlsx import export_workbook, import_workbook, layout

ROOT = Path(__file__).resolve().parents[1]
QINGSHAN = ROOT / "sample_data" / "qingshan-2023.yaml"
PANZHIHUA = ROOT / "sample_data" / "panzhihua-dongqu-2023.yaml"
PROFILES = ("wuhan", "national-2024", "sichuan")

# Every field the samples leave out, added to the Qingshan sample (old text, new text).
FULL_EDITS = [
    (
        "  下属单位数: 0            # 纳入部门决算的下属单位个数（不含本级）\n",
        '  下属单位数: 2\n  下属单位:\n    - 青山区新闻中心\n    - "青山区网信中心: 二级"\n',
    ),
    ("    年初预算: 426.68\n", "    年初预算: 426.68\n    用途: 新闻宣传和网络舆情工作\n"),
    (
        "    年初预算: 21.35\n",
        "    年初预算: 21.35\n    政府性基金预算财政拨款支出: {年初预算: 0, 差异原因: 本年未安排}\n"
        "    国有资本经营预算财政拨款支出: {年初预算: 0}\n",
    ),
    (
        "    公务用车运行维护费: 本单位节省了费用\n",
        "    公务用车运行维护费: 本单位节省了费用\n"
        "  变动原因: {公务用车购置及运行维护费: 加强车辆管理}\n"
        "  明细: {因公出国团组数: 0, 因公出国人次: 0, 公务接待批次: 0, 公务接待人次: 0, 公务用车购置用途: 无,"
        " 外宾接待费: 0}\n",
    ),
    (
        "  预决算差异原因: 本年有新进人员及人员经费的正常增加   # 五（三）总体\n",
        "  预决算差异原因: 本年有新进人员及人员经费的正常增加\n  收入内容: {其他收入: 利息收入}\n",
    ),
    (
        "  货物授予中小企业合同金额: 1.59\n",
        "  货物授予中小企业合同金额: 1.59\n  面向中小企业预留项目预算金额: 1.59\n  预留项目中小企业中标金额: 1.59\n",
    ),
]
FULL_BLOCKS = """
预算绩效管理:
  制度: 制定了预算绩效管理办法
  工作机制: 全过程绩效管理
  绩效目标项目数: 4
  跟踪评价项目数: 4
  发现问题数: 1
  已整改问题数: 1
  正在整改问题数: 0
  绩效目标项目金额: 127.54
  跟踪评价项目金额: 127.54

机构设置: {行政单位: 0, 参照公务员法管理的事业单位: 1, 其他事业单位: 1}

项目支出经济分类: {"30226": 100.00, "30299": 27.49}

其他财政拨款经济分类:
  政府性基金预算:
    基本支出: {"30201": 0}

公务用车明细:
  购置: {轿车: {辆: 0, 金额: 0}, 越野车: {辆: 0, 金额: 0}, 载客汽车: {辆: 0, 金额: 0}}
  保有: {轿车: 0, 越野车: 1, 载客汽车: 1}

绩效管理情况:
  事前绩效评估项目: []
  绩效目标项目: [融媒体工作经费, 老干工作部门专项款(待分配)]
  整体自评得分: 98
  自评综述: 全年整体支出严格按照财政下拨预算用途进行管理、使用。

名词解释:
  "2013350": 反映本单位新闻宣传事业运行的支出。

附件:
  - 标题: 部门整体支出绩效自评报告
    正文: |
      一、基本情况
      二、绩效目标完成情况
  - 标题: "附件二: 说明"
"""


def full_text() -> str:
    text = QINGSHAN.read_text(encoding="utf-8")
    for old, new in FULL_EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text + FULL_BLOCKS


@pytest.fixture(scope="module")
def full_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("full") / "full.yaml"
    path.write_text(full_text(), encoding="utf-8")
    return path


def check(path: Path, profile: Profile) -> pipeline.Checked:
    return pipeline.check(path, profile=profile)


def import_back(tmp_path: Path, data: bytes) -> tuple[str, Findings]:
    book = tmp_path / "book.xlsx"
    book.write_bytes(data)
    findings = Findings()
    return import_workbook(book, findings), findings


def model_of(checked: pipeline.Checked):
    return dataclasses.replace(checked.model, source="", locs={})


def findings_of(checked: pipeline.Checked) -> list[tuple[str, str, str]]:
    """What check said, without the line numbers (the imported file is laid out differently)."""
    return sorted((f.rule, f.severity.name, f.message) for f in checked.findings)


def round_trip(tmp_path: Path, path: Path, profile_name: str) -> tuple[pipeline.Checked, pipeline.Checked, str]:
    """Check, export, import, check again; assert that nothing changed on the way."""
    profile = load_profile(profile_name)
    first = check(path, profile)
    assert first.ok, [f.format() for f in first.findings]
    data = export_workbook(first.figures, profile)
    text, found = import_back(tmp_path, data)
    assert found.items == []
    back = tmp_path / "back.yaml"
    back.write_text(text, encoding="utf-8")
    again = check(back, profile)
    assert again.ok, [f.format() for f in again.findings]
    assert model_of(again) == model_of(first)
    assert again.figures.tables == first.figures.tables
    assert again.figures.facts == first.figures.facts
    assert findings_of(again) == findings_of(first)
    assert compose(again.figures, profile).text() == compose(first.figures, profile).text()
    assert export_workbook(again.figures, profile) == data  # the workbook of the imported file is the same
    return first, again, text


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("profile_name", PROFILES)
@pytest.mark.parametrize("path", [QINGSHAN, PANZHIHUA], ids=["qingshan", "panzhihua"])
def test_samples_round_trip_under_every_profile(tmp_path, path, profile_name):
    round_trip(tmp_path, path, profile_name)


@pytest.mark.parametrize("profile_name", PROFILES)
def test_every_block_of_the_schema_round_trips(tmp_path, full_path, profile_name):
    first, _, text = round_trip(tmp_path, full_path, profile_name)
    m = first.model
    # The file really fills every optional block (a block left empty would prove nothing).
    assert m.subordinate_names and m.items["2013350"].use and m.items["2080505"].fund_reason
    assert m.sangong_change_reasons and m.sangong_counts and m.sangong_texts and m.sangong_foreign is not None
    assert m.income_contents and m.perf_management and len(m.procurement) == 8
    assert set(m.extra) == {
        "项目支出经济分类", "其他财政拨款经济分类", "公务用车明细", "机构设置", "绩效管理情况", "名词解释", "附件",
    }  # fmt: skip
    assert "  事前绩效评估项目: []\n" in text  # an empty list (无 in its cell), not a missing one
    assert '    - "青山区网信中心: 二级"\n' in text


def test_a_file_without_a_performance_block_gets_none_back(tmp_path):
    """Why the Panzhihua export was refused: the default 整体.执行分值 (20) of a file without 绩效 was
    exported, and importing it created a 绩效 block, whose texts then read as "" instead of absent."""
    _, again, text = round_trip(tmp_path, PANZHIHUA, "sichuan")
    assert "\n绩效:" not in text
    assert again.model.performance.texts == {} and again.model.performance.overall_texts == {}


def test_sheets_are_the_profiles_tables_then_every_fact_sheet(full_path):
    profile = load_profile("sichuan")
    data = export_workbook(check(full_path, profile).figures, profile)
    names = openpyxl.load_workbook(io.BytesIO(data), read_only=True).sheetnames
    tables = [f"公开{e['table']}" for e in profile.config["outline"] if isinstance(e, dict) and "table" in e]
    assert "公开川09" in tables
    assert names == [*tables, *layout.FACT_SHEETS]


# --------------------------------------------------------------------------- completeness check


OPTIONAL_SHEETS = [
    "机构设置", "项目支出经济分类", "其他财政拨款经济分类", "公务用车明细", "预算绩效管理", "绩效管理情况",
    "名词解释", "附件",
]  # fmt: skip


@pytest.mark.parametrize("sheet", OPTIONAL_SHEETS)
def test_a_block_without_its_sheet_stops_the_export(full_path, monkeypatch, sheet):
    """Leave one block unmapped (its sheet is not written): the export names it and refuses."""
    profile = load_profile("sichuan")
    figures = check(full_path, profile).figures
    monkeypatch.setattr(layout, "FACT_SHEETS", tuple(s for s in layout.FACT_SHEETS if s != sheet))
    with pytest.raises(InputError) as info:
        export_workbook(figures, profile)
    [finding] = info.value.findings
    assert finding.rule == "xlsx-export"
    assert f"Excel 工作簿还不能承载本文件的这些内容：{sheet}。" in finding.message


def test_a_column_left_out_of_the_item_sheet_stops_the_export(full_path, monkeypatch):
    profile = load_profile("national-2024")
    figures = check(full_path, profile).figures
    columns = tuple(c for c in layout.ITEM_COLUMNS if c[0] != "用途")
    monkeypatch.setattr(layout, "ITEM_COLUMNS", columns)
    with pytest.raises(InputError, match=r"内容：科目\.用途。"):
        export_workbook(figures, profile)


# --------------------------------------------------------------------------- editing the new sheets


def edited(data: bytes, change: Callable[[openpyxl.Workbook], None]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row_of(ws, label: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)


@pytest.fixture(scope="module")
def sichuan_book(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The Panzhihua sample's workbook without its 项目支出经济分类 (the sheet's rows left to be typed in)."""
    profile = load_profile("sichuan")
    data = tmp_path_factory.mktemp("book") / "panzhihua.yaml"
    data.write_text(panzhihua_without_project_econ(), encoding="utf-8")
    return export_workbook(check(data, profile).figures, profile)


def test_list_cells_blank_none_and_names(tmp_path, sichuan_book):
    """A name a line (blank lines and spaces dropped); 无 is an empty list; a blank cell leaves the key out."""

    def change(wb):
        ws = wb["绩效管理情况"]
        ws.cell(row_of(ws, "事前绩效评估项目"), 3).value = " 甲项目 \n\n乙项目"
        ws.cell(row_of(ws, "绩效监控项目"), 3).value = "无"
        ws.cell(row_of(ws, "自评项目"), 3).value = None

    text, findings = import_back(tmp_path, edited(sichuan_book, change))
    assert findings.items == []
    assert "  事前绩效评估项目:\n    - 甲项目\n    - 乙项目\n" in text
    assert "  绩效监控项目: []\n" in text and "自评项目" not in text
    back = tmp_path / "back.yaml"
    back.write_text(text, encoding="utf-8")
    lists = check(back, load_profile("sichuan")).model.extra["绩效管理情况"].lists
    assert lists["事前绩效评估项目"] == ["甲项目", "乙项目"] and lists["绩效监控项目"] == []
    assert "自评项目" not in lists


def test_filling_the_new_sheets_in_excel(tmp_path, sichuan_book):
    """项目支出经济分类 typed into its listed rows, a fund's 经济分类 row added, an 附件 without its 标题."""

    def change(wb):
        ws = wb["项目支出经济分类"]
        ws.cell(row_of(ws, "30226"), 3).value = 187.2
        ws.cell(row_of(ws, "30299"), 3).value = 56.36
        wb["其他财政拨款经济分类"].append(["30201", None, None, 1.5])
        wb["附件"].append([3, None, "只有正文"])

    with pytest.raises(InputError) as info:
        import_back(tmp_path, edited(sichuan_book, change))
    [error] = info.value.findings
    assert error.message == "这个附件没有填“标题”。" and error.location.file.endswith("!附件")

    def fixed(wb):
        change(wb)
        wb["附件"].cell(wb["附件"].max_row, 2).value = "附件三"

    text, findings = import_back(tmp_path, edited(sichuan_book, fixed))
    assert findings.items == []
    assert '项目支出经济分类:\n  "30226": 187.20   # 劳务费\n  "30299": 56.36   # 其他商品和服务支出\n' in text
    assert '其他财政拨款经济分类:\n  政府性基金预算:\n    项目支出:\n      "30201": 1.50   # 办公费\n' in text
    back = tmp_path / "back.yaml"
    back.write_text(text, encoding="utf-8")
    checked = check(back, load_profile("sichuan"))
    assert checked.model.extra["附件"][-1].title == "附件三"
    assert not any(r.key.startswith("未填报项目支出") for r in checked.figures.tables["川09"].rows)
