"""`yujuesuan diff`: a correction's whole chain, from the input leaf to the table cells, rates and sentences."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from yujuesuan import pipeline
from yujuesuan.compose import compose
from yujuesuan.profiles import load_profile
from yujuesuan.workflows.diff import Report, compare

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "qingshan-2023.yaml"
# Case 1: two 经济分类 items corrected so that their sum (and every total) stays the same.
ECON_SWAP = {'"30101": 79.38': '"30101": 79.48', '"30102": 26.22': '"30102": 26.12'}
# Case 2: 2013350's 基本支出 +0.10, in 支出, in its 一般公共预算财政拨款支出 and in 收入; 30101 +0.10 keeps 06 = 05.
RAISE_2013350 = {
    "收入: {一般公共预算财政拨款: 437.68}": "收入: {一般公共预算财政拨款: 437.78}",
    "支出: {基本支出: 313.28, 项目支出: 124.40}\n    一般公共预算财政拨款支出: {基本支出: 313.28, 项目支出: 124.40}": (
        "支出: {基本支出: 313.38, 项目支出: 124.40}\n    一般公共预算财政拨款支出: {基本支出: 313.38, 项目支出: 124.40}"
    ),
    '"30101": 79.38': '"30101": 79.48',
}


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "yujuesuan", *map(str, args)], capture_output=True, encoding="utf-8", env=env
    )


def changed(tmp: Path, name: str, edits: dict[str, str]) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in edits.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def report_for(new: Path) -> Report:
    prof = load_profile("wuhan")
    a, b = pipeline.check(SAMPLE, profile=prof), pipeline.check(new, profile=prof)
    assert a.ok and b.ok, [f.format() for f in b.errors]
    return compare(a.figures, b.figures, (compose(a.figures, prof), compose(b.figures, prof)), ("old", "new"))


def line_in(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    (number,) = [i for i, line in enumerate(lines, 1) if line.strip().startswith(needle)]
    return number


@pytest.fixture(scope="module")
def swap(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report]:
    path = changed(tmp_path_factory.mktemp("swap"), "swap.yaml", ECON_SWAP)
    return path, report_for(path)


@pytest.fixture(scope="module")
def raised(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report]:
    path = changed(tmp_path_factory.mktemp("raise"), "raise.yaml", RAISE_2013350)
    return path, report_for(path)


def cells(report: Report) -> dict[tuple[str, str], tuple[str, str]]:
    return {(d.group.split()[0], d.label): (d.old, d.new) for d in report.cells}


def test_econ_swap_changes_two_06_cells_and_nothing_above(swap) -> None:
    path, report = swap
    assert [(d.label, d.old, d.new, d.line) for d in report.leaves] == [
        ("经济分类.30101（基本工资）", "79.38", "79.48", line_in(path, '"30101"')),
        ("经济分类.30102（津贴补贴）", "26.22", "26.12", line_in(path, '"30102"')),
    ]
    assert cells(report) == {
        ("公开06表", "30101 基本工资"): ("79.38", "79.48"),
        ("公开06表", "30102 津贴补贴"): ("26.22", "26.12"),
    }  # 301, 人员经费合计 and every other table keep their totals
    assert report.facts == []
    assert [h for h in report.hunks if not h.table] == []  # 说明六 names the items, not their amounts
    assert {h.where.split(" / ")[-1] for h in report.hunks} == {"公开06"}
    assert report.charts == []


def test_raising_one_item_shows_the_whole_chain(raised) -> None:
    path, report = raised
    assert [(d.label, d.old, d.new, d.line) for d in report.leaves] == [
        ("科目.2013350.收入.一般公共预算财政拨款（事业运行）", "437.68", "437.78",
         line_in(path, "收入: {一般公共预算财政拨款: 437.78}")),
        ("科目.2013350.支出.基本支出（事业运行）", "313.28", "313.38", line_in(path, "支出: {基本支出: 313.38")),
        ("科目.2013350.一般公共预算财政拨款支出.基本支出（事业运行）", "313.28", "313.38",
         line_in(path, "一般公共预算财政拨款支出: {基本支出: 313.38")),
        ("经济分类.30101（基本工资）", "79.38", "79.48", line_in(path, '"30101"')),
    ]  # fmt: skip
    total, item, basic, staff = ("537.12", "537.22"), ("437.68", "437.78"), ("313.28", "313.38"), ("409.63", "409.73")
    chain = {}
    for code, name in (("201", "一般公共服务支出"), ("20133", "宣传事务"), ("2013350", "事业运行")):
        chain |= {
            ("公开02表", f"{code} {name} · 本年收入合计"): item, ("公开02表", f"{code} {name} · 财政拨款收入"): item,
            ("公开03表", f"{code} {name} · 本年支出合计"): item, ("公开03表", f"{code} {name} · 基本支出"): basic,
            ("公开05表", f"{code} {name} · 小计"): item, ("公开05表", f"{code} {name} · 基本支出"): basic,
        }  # fmt: skip
    chain |= {
        ("公开01表", "一般公共预算财政拨款收入"): total, ("公开01表", "本年收入合计"): total,
        ("公开01表", "收入总计"): total, ("公开01表", "201 一般公共服务支出"): item,
        ("公开01表", "本年支出合计"): total, ("公开01表", "支出总计"): total,
        ("公开02表", "合计 · 本年收入合计"): total, ("公开02表", "合计 · 财政拨款收入"): total,
        ("公开03表", "合计 · 本年支出合计"): total, ("公开03表", "合计 · 基本支出"): staff,
        ("公开04表", "一般公共预算财政拨款 · 金额"): total, ("公开04表", "本年收入合计 · 金额"): total,
        ("公开04表", "收入总计 · 金额"): total, ("公开04表", "201 一般公共服务支出 · 合计"): item,
        ("公开04表", "201 一般公共服务支出 · 一般公共预算"): item, ("公开04表", "本年支出合计 · 合计"): total,
        ("公开04表", "本年支出合计 · 一般公共预算"): total, ("公开04表", "支出总计 · 合计"): total,
        ("公开04表", "支出总计 · 一般公共预算"): total,
        ("公开05表", "合计 · 小计"): total, ("公开05表", "合计 · 基本支出"): staff,
        ("公开06表", "301 工资福利支出"): ("360.82", "360.92"), ("公开06表", "30101 基本工资"): ("79.38", "79.48"),
        ("公开06表", "人员经费合计"): ("392.04", "392.14"),
    }  # fmt: skip
    assert cells(report) == chain


def test_raising_one_item_changes_the_rates(raised) -> None:
    facts = {d.label: (d.old, d.new) for d in raised[1].facts}
    assert facts["收支总计 · 增减额"] == ("41.81", "41.91")
    assert facts["收支总计 · 增减率"] == ("8.44%", "8.46%")
    assert facts["支出类型[基本支出].占比"] == ("76.26%", "76.27%")
    assert facts["一般公共预算类[221].占比"] == ("6.88%", "6.87%")
    assert facts["一般公共预算类[201].占比"] == ("81.4864%", "81.4899%")  # more places where two would hide it
    assert facts["年初预算 · 完成率"] == ("102.69%", "102.71%")
    assert facts["一般公共预算项[2013350].预算 · 完成率"] == ("102.58%", "102.60%")
    assert facts["人员经费.金额"] == ("392.04", "392.14")
    assert facts["绩效.整体.执行率"] == ("100.00%", "100.02%")
    assert "收支总计 · 上年" not in facts  # last year did not change


def test_raising_one_item_changes_these_sentences(raised) -> None:
    pairs = [(o, n) for h in raised[1].hunks if not h.table for o, n in zip(h.old, h.new)]
    wanted = [
        ("收、支总计 537.12 万元。与 2022 年度的 495.31 万元相比，收、支总计各增加 41.81 万元，增长 8.44%",
         "收、支总计 537.22 万元。与 2022 年度的 495.31 万元相比，收、支总计各增加 41.91 万元，增长 8.46%"),
        ("其中：基本支出 409.63 万元，占本年支出 76.3%", "其中：基本支出 409.73 万元，占本年支出 76.3%"),
        ("4.住房保障支出 36.93 万元，占 6.88%", "4.住房保障支出 36.93 万元，占 6.87%"),
        ("支出决算为 437.68 万元，完成年初预算的 102.58%", "支出决算为 437.78 万元，完成年初预算的 102.60%"),
        ("人员经费 392.04 万元，主要包括", "人员经费 392.14 万元，主要包括"),
    ]  # fmt: skip
    for old, new in wanted:
        assert any(old in o and new in n for o, n in pairs), old
    wheres = {h.where.split(" / ")[1] for h in raised[1].hunks if not h.table}
    assert {"一、收入支出决算总体情况说明", "六、一般公共预算财政拨款基本支出决算情况说明"} <= wheres
    assert raised[1].charts == [
        "图1：收、支决算总计变动情况",
        "图3：支出决算结构",
        "图4：财政拨款收、支决算总计变动情况",
    ]


def test_cli_report_and_html(raised, tmp_path: Path) -> None:
    path, _ = raised
    page = tmp_path / "diff.html"
    proc = run("diff", SAMPLE, path, "--html", page)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for heading in (
        "一、输入中改动的值（4 处）",
        "二、随之变化的表格单元格",
        "三、随之变化的推算数",
        "四、说明文字的变化",
    ):
        assert heading in out
    line = line_in(path, '"30101"')
    assert f"经济分类.30101（基本工资）：79.38 → 79.48（第 {line} 行）" in out
    assert "公开03表 支出决算表" in out and "2013350 事业运行 · 基本支出：313.28 → 313.38" in out
    assert "− 2023 年度收、支总计 537.12 万元" in out and "+ 2023 年度收、支总计 537.22 万元" in out
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    for external in ("http://", "https://", "<script", "<link", "src=", "url("):
        assert external not in html
    assert "<del>537.12</del>" in html and "<ins>537.22</ins>" in html
    assert "2013350 事业运行 · 基本支出" in html


def test_html_escapes_what_the_files_say(tmp_path: Path) -> None:
    path = changed(
        tmp_path,
        "x.yaml",
        {"收支总计变动原因: 本年有新进人员及人员经费的正常增加": "收支总计变动原因: <b>人员</b> & 调整"},
    )
    page = tmp_path / "x.html"
    assert run("diff", SAMPLE, path, "--html", page).returncode == 0
    html = page.read_text(encoding="utf-8")
    assert "<b>人员" not in html and "&lt;b&gt;人员&lt;/b&gt; &amp; 调整" in html


def test_a_file_with_audit_errors_is_compared_and_exits_1(tmp_path: Path) -> None:
    """0 means "no errors" for every command: diff still reports, then lists the audit error."""
    path = changed(tmp_path, "bad-audit.yaml", {'"30101": 79.38': '"30101": 80.38'})
    proc = run("diff", SAMPLE, path)
    assert proc.returncode == 1, proc.stderr
    assert "经济分类.30101（基本工资）：79.38 → 80.38" in proc.stdout  # the report is made
    assert "[06-05-基本支出]" in proc.stdout and "有审核错误" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_identical_files(tmp_path: Path) -> None:
    copy = tmp_path / "same.yaml"
    copy.write_bytes(SAMPLE.read_bytes())
    proc = run("diff", SAMPLE, copy)
    assert proc.returncode == 0 and "完全相同" in proc.stdout


def test_usage_and_input_errors(tmp_path: Path) -> None:
    proc = run("diff", SAMPLE, tmp_path / "none.yaml")
    assert proc.returncode == 2 and "找不到数据文件" in proc.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("单位:\n  名称: x\n", encoding="utf-8")
    proc = run("diff", bad, SAMPLE)
    assert proc.returncode == 1
    assert "bad.yaml:" in proc.stdout and "无法比较" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert run("diff", SAMPLE, SAMPLE, "--html", tmp_path).returncode == 2
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(SAMPLE.read_bytes())
    assert run("diff", copy, SAMPLE, "--html", copy).returncode == 2  # never over an input
    assert copy.read_bytes() == SAMPLE.read_bytes()
