"""`yujuesuan rollover`: next year's file from this year's, with the derived 上年 figures."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from yujuesuan import pipeline
from yujuesuan.input.load import Mapping, Node, Sequence, parse_text
from yujuesuan.kinds.juesuan.model import PRIOR_OPTIONAL_KEYS
from yujuesuan.kinds.juesuan.sanity import REVIEW_MARK, model_texts
from yujuesuan.kinds.juesuan.validate import TOP_KEYS
from yujuesuan.workflows.new import emit
from yujuesuan.workflows.rollover import carried, default_output, prior_values, rollover

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "qingshan-2023.yaml"
FREE_TEXT_KEYS = (
    "主要职能", "差异原因", "用途", "变动原因", "说明.", "正文", "完成情况", "实际值", "主要成效", "产出和效益",
    "发现的问题", "改进措施", "管理工作开展情况", "整体自评结论", "结果应用情况", "收入内容", "项目[",
)  # fmt: skip


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "yujuesuan", *map(str, args)], capture_output=True, encoding="utf-8", env=env, cwd=cwd
    )


@pytest.fixture(scope="module")
def rolled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample copied to a folder and rolled over there by the CLI: (this year's, next year's)."""
    folder = tmp_path_factory.mktemp("roll")
    src = folder / "qingshan-2023.yaml"
    shutil.copy(SAMPLE, src)
    proc = run("rollover", src)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    new = folder / "qingshan-2024.yaml"
    assert f"已生成：{new}" in proc.stdout
    return src, new


@pytest.fixture(scope="module")
def rolled_checked(rolled: tuple[Path, Path]) -> pipeline.Checked:
    return pipeline.check(rolled[1])


def test_default_output_name() -> None:
    assert default_output(Path("d/qingshan-2023.yaml"), 2023) == Path("d/qingshan-2024.yaml")
    assert default_output(Path("单位2023年.yaml"), 2023) == Path("单位2024年.yaml")
    assert default_output(Path("unit.yaml"), 2023) == Path("unit-2024.yaml")
    assert default_output(Path("x12023.yaml"), 2023) == Path("x12023-2024.yaml")


def test_input_is_untouched_and_new_file_checks_without_errors(rolled, rolled_checked) -> None:
    src, _ = rolled
    assert src.read_bytes() == SAMPLE.read_bytes()
    assert rolled_checked.figures is not None and not rolled_checked.errors, [f.format() for f in rolled_checked.errors]
    assert rolled_checked.model.year == 2024


def test_prior_is_this_years_derived_figures(sample_checked, rolled_checked) -> None:
    m = rolled_checked.model
    assert m.prior == prior_values(sample_checked.figures)
    expected = {
        "收支总计": "537.12", "收入合计": "537.12", "支出合计": "537.12", "财政拨款收支总计": "537.12",
        "一般公共预算财政拨款收入": "537.12", "一般公共预算财政拨款支出": "537.12", "基本支出": "409.63",
        "项目支出": "127.49", "人员经费": "392.04", "公用经费": "17.59", "政府性基金预算财政拨款支出": "0.00",
        "国有资本经营预算财政拨款支出": "0.00", "机关运行经费": "0.00",
        # The optional ones: income by source, the other spending types, 结转结余 (all 0 in the sample).
        **dict.fromkeys(PRIOR_OPTIONAL_KEYS, "0.00"),
    }  # fmt: skip
    assert m.prior == {k: Decimal(v) for k, v in expected.items()}
    # Last year's 一般公共预算财政拨款支出 by 类 (公开05), for each 类's comparison in 说明五（二）.
    classes = {"201": "437.68", "208": "21.35", "210": "41.16", "221": "36.93"}
    assert m.prior_classes == {k: Decimal(v) for k, v in classes.items()}
    assert m.sangong_prior == {
        "因公出国（境）费": 0, "公务用车购置费": 0, "公务用车运行维护费": Decimal("5.09"), "公务接待费": 0,
    }  # fmt: skip


def test_amounts_are_cleared_and_structure_kept(sample_checked, rolled_checked, rolled) -> None:
    old, new = sample_checked.model, rolled_checked.model
    assert list(new.items) == list(old.items)
    for code, item in new.items.items():
        assert set(item.income) == set(old.items[code].income)
        assert set(item.spending) == set(old.items[code].spending)
        assert not any(item.income.values()) and not any(item.spending.values())
        assert item.budget in (None, 0)
    assert list(new.econ) == list(old.econ) and not any(new.econ.values())
    assert not any(new.sangong_actual.values()) and not any(new.procurement.values())
    assert new.performance.projects[0].actual == 0
    assert new.balances["年初结转和结余"] == old.balances["年末结转和结余"]
    text = rolled[1].read_text(encoding="utf-8")
    assert re.search(r"^      基本支出: +# 上年 313\.28$", text, re.M)  # what to fill in, with last year's figure
    assert "# 上年（2023 年度）决算数：由 yujuesuan rollover" in text
    assert "\n核对数" not in text  # last year's declared totals are not this year's


def test_carried_texts_are_marked_and_each_is_a_located_warning(sample_checked, rolled_checked, rolled) -> None:
    old = dict(model_texts(sample_checked.model))
    new = dict(model_texts(rolled_checked.model))
    free = [p for p, t in old.items() if t and any(k in p for k in FREE_TEXT_KEYS)]
    assert len(free) > 60
    for path in free:
        if path.endswith((".一级", ".二级", ".三级", ".目标值", ".项目类别", ".项目属性", ".项目类型")):
            assert new[path] == old[path], path  # names and categories are carried unmarked
        else:
            assert new[path] == REVIEW_MARK + old[path], path
    warnings = {f.path: f for f in rolled_checked.findings if f.rule == "carried-text"}
    assert set(warnings) == {p for p, t in new.items() if t.startswith(REVIEW_MARK)}
    lines = rolled[1].read_text(encoding="utf-8").splitlines()
    for finding in warnings.values():
        assert REVIEW_MARK in lines[finding.location.line - 1] or lines[finding.location.line - 1].endswith("|")


def test_an_edited_text_is_no_longer_reported(rolled, tmp_path) -> None:
    text = rolled[1].read_text(encoding="utf-8")
    old = "收支总计变动原因: 【待更新】本年有新进人员及人员经费的正常增加"
    assert old in text
    path = tmp_path / "edited.yaml"
    path.write_text(text.replace(old, "收支总计变动原因: 人员调整"), encoding="utf-8")
    paths = {f.path for f in pipeline.check(path).findings if f.rule == "carried-text"}
    assert "说明.收支总计变动原因" not in paths and "说明.收入变动原因" in paths


def _keys(node: Node, path: str = "") -> set[str]:
    out = {path} if path else set()
    if isinstance(node, Mapping):
        for key, child in node.items.items():
            out |= _keys(child, f"{path}.{key}" if path else key)
    elif isinstance(node, Sequence):
        for i, child in enumerate(node.items):
            out |= _keys(child, f"{path}[{i}]")
    return out


def test_every_key_of_this_year_is_kept(rolled) -> None:
    old = _keys(parse_text(rolled[0].read_text(encoding="utf-8"), "old"))
    new = _keys(parse_text(rolled[1].read_text(encoding="utf-8"), "new"))
    assert not {k for k in old - new if not k.startswith("核对数")}


NATIONAL = {
    '  咨询电话: "68865800"\n': '  咨询电话: "68865800"\n  下属单位: [本级]\n',
    "    差异原因: 本年有新进人员及人员经费的正常增加\n": "    差异原因: 本年有新进人员及人员经费的正常增加\n"
    "    用途: 保障正常运转\n    国有资本经营预算财政拨款支出: {年初预算: 0, 差异原因: 无}\n",
    "    合计: 本单位节省了费用\n": "    合计: 本单位节省了费用\n",
    "  公务用车运行维护费用途: 车辆的保险和维修维护\n": "  公务用车运行维护费用途: 车辆的保险和维修维护\n"
    "  变动原因: {公务用车购置及运行维护费: 节约}\n  明细: {公务接待批次: 0, 公务用车购置用途: 无, 外宾接待费: 0}\n",
    "  类用途:": "  收入内容: {其他收入: 利息}\n  类用途:",
    "  货物授予中小企业合同金额: 1.59\n": "  货物授予中小企业合同金额: 1.59\n  面向中小企业预留项目预算金额: 1.00\n",
    "机关运行经费:\n": "预算绩效管理: {制度: 有, 绩效目标项目数: 4, 绩效目标项目金额: 127.49}\n\n机关运行经费:\n",
}


def test_fields_of_the_national_layout_are_carried_too(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in NATIONAL.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    src = tmp_path / "n-2023.yaml"
    src.write_text(text, encoding="utf-8")
    checked = pipeline.check(src)
    assert checked.ok, [f.format() for f in checked.errors]
    out = tmp_path / "n-2024.yaml"
    out.write_text(rollover(checked.figures, src.name).text, encoding="utf-8")
    old_keys, new_keys = _keys(parse_text(text, "o")), _keys(parse_text(out.read_text(encoding="utf-8"), "n"))
    assert not {k for k in old_keys - new_keys if not k.startswith("核对数")}
    new = pipeline.check(out)
    assert not new.errors, [f.format() for f in new.errors]
    texts = dict(model_texts(new.model))
    assert texts["科目.2013350.用途"] == REVIEW_MARK + "保障正常运转"
    assert texts["三公经费.变动原因.公务用车购置及运行维护费"] == REVIEW_MARK + "节约"
    assert texts["预算绩效管理.制度"] == REVIEW_MARK + "有"
    assert new.model.subordinate_names == [REVIEW_MARK + "本级"]  # carried by its shape: a text, so marked
    assert new.model.perf_management.get("绩效目标项目金额") in (None, 0)


def fill(text: str, key: str, prior: str, value: str, count: int) -> str:
    """Type ``value`` into the empty ``key:`` lines whose comment says 上年 ``prior``."""
    pattern = re.compile(rf"^(\s*{re.escape(key)}:)(\s+# (?:.*；)?上年 {re.escape(prior)})$", re.M)
    text, n = pattern.subn(rf"\g<1> {value}\g<2>", text)
    assert n == count, (key, n)
    return text


def test_rolled_and_filled_file_builds(rolled, tmp_path: Path) -> None:
    text = rolled[1].read_text(encoding="utf-8")
    text = fill(text, "一般公共预算财政拨款", "437.68", "450.00", 1)
    text = fill(text, "基本支出", "313.28", "320.00", 2)
    text = fill(text, "项目支出", "124.40", "130.00", 2)
    text = fill(text, '"30101"', "79.38", "320.00", 1)
    path = tmp_path / "qingshan-2024.yaml"
    path.write_text(text, encoding="utf-8")
    checked = run("check", path)
    assert checked.returncode == 0, checked.stdout
    assert "[carried-text]" in checked.stdout and "[missing-fact]" in checked.stdout  # the rest is still listed
    # Carried texts still say 【待更新】: listed as placeholders, no final document until they are edited.
    proc = run("build", path, "-o", tmp_path / "out", "--format", "docx")
    assert proc.returncode == 1 and "占位文字" in proc.stdout and "[carried-text]" in proc.stdout
    assert not (tmp_path / "out").exists()
    path.write_text(text.replace(REVIEW_MARK, ""), encoding="utf-8")  # every carried text looked at
    proc = run("build", path, "-o", tmp_path / "out", "--format", "docx")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    docx = tmp_path / "out" / "武汉市青山区融媒体中心-2024" / "武汉市青山区融媒体中心2024年度部门决算.docx"
    assert docx.stat().st_size > 10_000
    # Rolled once more: 2024's derived figures become 2025's 上年, and the catalog year is said.
    again = run("rollover", path)
    assert again.returncode == 0, again.stderr
    assert "科目目录没有 2025 年版" in again.stderr
    nxt = pipeline.check(tmp_path / "qingshan-2025.yaml").model
    assert nxt.prior["收支总计"] == Decimal("450.00") and nxt.prior["基本支出"] == Decimal("320.00")
    assert nxt.prior["人员经费"] == Decimal("320.00") and nxt.prior["项目支出"] == Decimal("130.00")


def test_refuses_to_overwrite_or_to_touch_the_input(rolled) -> None:
    src, new = rolled
    before = new.read_bytes()
    proc = run("rollover", src)
    assert proc.returncode == 2 and "已经存在" in proc.stderr
    assert new.read_bytes() == before
    proc = run("rollover", src, "-o", src, "--force")
    assert proc.returncode == 2 and "输入文件" in proc.stderr
    assert src.read_bytes() == SAMPLE.read_bytes()


def test_refuses_a_file_with_errors(tmp_path: Path) -> None:
    # 0.10 off: beyond the 尾数 tolerance of the balance rules (0.01 from rounded 万元 leaves is a warning).
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "收入: {一般公共预算财政拨款: 21.35}", "收入: {一般公共预算财政拨款: 21.45}"
    )
    src = tmp_path / "bad-2023.yaml"
    src.write_text(text, encoding="utf-8")
    proc = run("rollover", src)
    assert proc.returncode == 1
    assert "错误" in proc.stdout and "请先改正错误" in proc.stderr
    assert not (tmp_path / "bad-2024.yaml").exists()


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    proc = run("rollover", tmp_path / "none.yaml")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


MINIMAL = """\
单位: {名称: 测试局, 年度: 2023, 金额单位: 万元}
科目:
  "2310301":
    收入: {一般公共预算财政拨款: 5.00}
    支出: {项目支出: 5.00}
    一般公共预算财政拨款支出: {项目支出: 5.00}
"""


def test_a_code_missing_from_next_years_catalog_is_a_warning(tmp_path: Path) -> None:
    src = tmp_path / "debt-2023.yaml"
    src.write_text(MINIMAL, encoding="utf-8")
    assert pipeline.check(src).ok
    proc = run("rollover", src)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "科目 2310301：2024 年科目目录中没有 231、23103、2310301" in proc.stderr
    text = (tmp_path / "debt-2024.yaml").read_text(encoding="utf-8")
    assert "# 注意：2024 年科目目录中没有 231、23103、2310301" in text
    errors = pipeline.check(tmp_path / "debt-2024.yaml").errors
    assert [f.rule for f in errors] == ["unknown-code"]  # check insists until the code is changed


def test_a_block_without_a_reader_here_is_rolled_by_its_shape() -> None:
    node = parse_text(
        '块:\n  "30226": 12.50\n  辆: 3\n  科目: "2013350"\n  名单: [甲项目, 乙项目]\n'
        "  附件:\n    - {标题: 报告, 正文: 全文}\n  空:\n",
        "t",
    )
    assert isinstance(node, Mapping)
    lines = emit([carried("块", node.items["块"])])
    assert lines[0] == "块:"
    assert re.match(r'^  "30226": +# 上年 12\.50$', lines[1]) and re.match(r"^  辆: +# 上年 3$", lines[2])
    assert lines[3:] == [
        '  科目: "2013350"', "  名单:", "    - 【待更新】甲项目", "    - 【待更新】乙项目",
        "  附件:", "    - 标题: 【待更新】报告", "      正文: 【待更新】全文", "  空:",
    ]  # fmt: skip


@pytest.mark.skipif("项目支出经济分类" not in TOP_KEYS, reason="the Sichuan blocks are not in this schema")
def test_optional_blocks_of_other_layouts_are_carried(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8") + '\n项目支出经济分类:\n  "30226": 127.49\n'
    src = tmp_path / "s-2023.yaml"
    src.write_text(text, encoding="utf-8")
    checked = pipeline.check(src)
    assert checked.figures is not None and not checked.errors, [f.format() for f in checked.errors]
    rolled = rollover(checked.figures, src.name).text
    assert re.search(r'^项目支出经济分类:\n  "30226": +# 上年 127\.49$', rolled, re.M)
    out = tmp_path / "s-2024.yaml"
    out.write_text(rolled, encoding="utf-8")
    assert not pipeline.check(out).errors


def test_optional_prior_figures_are_rolled_over(tmp_path) -> None:
    # A unit without 财政拨款: its income sources become next year's 上年, and 一般公共预算类 is {} (not unknown).
    src = tmp_path / "no-fiscal-2023.yaml"
    shutil.copy(Path(__file__).resolve().parent / "scenarios" / "no-fiscal.yaml", src)
    proc = run("rollover", src)
    assert proc.returncode == 0, proc.stderr
    m = pipeline.check(tmp_path / "no-fiscal-2024.yaml").model
    assert m.prior_classes == {}
    assert (m.prior["事业收入"], m.prior["其他收入"], m.prior["经营支出"]) == (Decimal("70.00"), Decimal("30.00"), 0)
