"""`yujuesuan diff` on two 部门预算 files: the input leaf, the 预算 table cells, the rates and the sentences."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from yujuesuan import pipeline
from yujuesuan.compose import compose
from yujuesuan.kinds import get_kind
from yujuesuan.profiles import load_profile
from yujuesuan.workflows.diff import Report, compare, file_kind, table_titles

DATA = Path(__file__).resolve().parents[1] / "sample_data"
SAMPLE = DATA / "jianghan-2024-yusuan.yaml"
JUESUAN = DATA / "qingshan-2023.yaml"
# 2070808's 一般公共预算 人员经费 +10.00, and 30101 +10.00 so that 预算07 (经济分类) still equals 预算05.
RAISE = {
    "一般公共预算: {人员经费: 338.82, 公用经费: 42.72, 项目支出: 73.28}": (
        "一般公共预算: {人员经费: 348.82, 公用经费: 42.72, 项目支出: 73.28}"
    ),
    '"30101": 87.89': '"30101": 97.89',
}


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "yujuesuan", *map(str, args)], capture_output=True, encoding="utf-8", env=env
    )


def changed(tmp: Path, edits: dict[str, str]) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in edits.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp / "new.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_in(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    (number,) = [i for i, line in enumerate(lines, 1) if line.strip().startswith(needle)]
    return number


def report_for(new: Path) -> Report:
    (kind_a, root_a), (kind_b, root_b) = file_kind(SAMPLE), file_kind(new)
    assert kind_a == kind_b == "yusuan" and root_a is not None and root_b is not None
    prof = load_profile(get_kind("yusuan").default_profile)
    a, b = pipeline.check(SAMPLE, profile=prof), pipeline.check(new, profile=prof)
    assert a.ok and b.ok, [f.format() for f in b.errors]
    docs = (compose(a.figures, prof), compose(b.figures, prof))
    titles = table_titles(prof.config["tables"])
    return compare(a.figures, b.figures, docs, ("old", "new"), (root_a, root_b), titles)


@pytest.fixture(scope="module")
def raised(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report]:
    path = changed(tmp_path_factory.mktemp("raise"), RAISE)
    return path, report_for(path)


def test_the_changed_leaves_with_their_lines(raised) -> None:
    path, report = raised
    assert [(d.group, d.label, d.old, d.new, d.line) for d in report.leaves] == [
        ("输入中的数字", "科目.2070808.一般公共预算.人员经费（广播电视事务）", "338.82", "348.82",
         line_in(path, '"2070808"') + 1),
        ("输入中的数字", "经济分类.30101（基本工资）", "87.89", "97.89", line_in(path, '"30101"')),
    ]  # fmt: skip


def test_the_changed_cells_of_the_budget_tables(raised) -> None:
    _, report = raised
    cells = {(d.group, d.label): (d.old, d.new) for d in report.cells}
    assert cells[("预算01表 收支预算总表", "收入总计 · 预算数")] == ("647.10", "657.10")
    assert cells[("预算01表 收支预算总表", "207 文化旅游体育与传媒支出 · 预算数")] == ("454.82", "464.82")
    assert cells[("预算03表 支出预算总表", "2070808 广播电视事务 · 基本支出")] == ("381.54", "391.54")
    assert cells[("预算05表 一般公共预算支出表（分功能科目）", "2070808 广播电视事务 · 人员经费")] == (
        "338.82",
        "348.82",
    )
    assert cells[("预算05表 一般公共预算支出表（分功能科目）", "合计 · 人员经费")] == ("529.67", "539.67")
    assert cells[("预算07表 一般公共预算基本支出表", "30101 基本工资 · 人员经费")] == ("87.89", "97.89")
    # 公用经费, 项目支出, 三公, projects, 采购 and 购买服务 are untouched: so are their cells and tables
    groups = {d.group.split()[0] for d in report.cells}
    assert groups == {"预算01表", "预算02表", "预算03表", "预算04表", "预算05表", "预算06表", "预算07表"}
    assert not [d for d in report.cells if "公用经费" in d.label or "项目支出" in d.label]


def test_the_changed_rates_and_sentences(raised) -> None:
    _, report = raised
    facts = {d.label: (d.old, d.new) for d in report.facts}
    assert facts["收支总计 · 增减额"] == ("73.83", "83.83")
    assert facts["收支总计 · 增减率"] == ("12.88%", "14.62%")
    assert facts["基本支出 · 占比"] == ("88.68%", "88.85%")
    words = [h for h in report.hunks if not h.table]
    spending = [h for h in words if h.where.endswith("三、支出预算安排情况")]
    assert [(h.old, h.new) for h in spending] == [(
        ["2024 年支出预算 647.10 万元，比 2023 年预算增加 73.83 万元，增长 12.88%。其中：基本支出 573.82 万元，"
         "占 88.68%；项目支出 73.28 万元，占 11.32%。"],
        ["2024 年支出预算 657.10 万元，比 2023 年预算增加 83.83 万元，增长 14.62%。其中：基本支出 583.82 万元，"
         "占 88.85%；项目支出 73.28 万元，占 11.15%。"],
    )]  # fmt: skip
    assert any("人员经费 539.67 万元" in line for h in words for line in h.new)
    assert not report.charts


def test_cli_report_html_and_exit_0(raised, tmp_path: Path) -> None:
    path, _ = raised
    page = tmp_path / "report.html"
    proc = run("diff", SAMPLE, path, "--html", page)
    assert proc.returncode == 0, proc.stderr
    assert "科目.2070808.一般公共预算.人员经费（广播电视事务）：338.82 → 348.82" in proc.stdout
    assert "预算05表 一般公共预算支出表（分功能科目）" in proc.stdout
    assert "2024 年支出预算 657.10 万元" in proc.stdout
    assert "预算07表 一般公共预算基本支出表" in page.read_text(encoding="utf-8")


def test_a_budget_with_audit_errors_is_compared_and_exits_1(tmp_path: Path) -> None:
    path = changed(tmp_path, {'"30101": 87.89': '"30101": 97.89'})  # 预算07 no longer equals 预算05
    proc = run("diff", SAMPLE, path)
    assert proc.returncode == 1
    assert "经济分类.30101（基本工资）：87.89 → 97.89" in proc.stdout
    assert "[预算07-人员经费] 错误" in proc.stdout and "有审核错误" in proc.stderr  # findings: stdout, as check


def test_identical_budgets(tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(SAMPLE.read_bytes())
    assert report_for(copy).same
    proc = run("diff", SAMPLE, copy)
    assert proc.returncode == 0, proc.stderr
    assert "两个文件的数字、文字和生成的文档完全相同。" in proc.stdout
    # which profile a file names is not a change of its figures (its kind is read from its blocks then)
    unnamed = changed(tmp_path, {"  模板: wuhan-yusuan ": "  # 模板: wuhan-yusuan "})
    assert report_for(unnamed).same


@pytest.mark.parametrize("order", [(JUESUAN, SAMPLE), (SAMPLE, JUESUAN)])
def test_a_final_account_and_a_budget_are_a_usage_error(order: tuple[Path, Path]) -> None:
    proc = run("diff", *order)
    assert proc.returncode == 2
    assert "两个文件不是同一种文档" in proc.stderr
    assert f"{JUESUAN} 是部门决算" in proc.stderr and f"{SAMPLE} 是部门预算" in proc.stderr
    assert "Traceback" not in proc.stderr and not proc.stdout
