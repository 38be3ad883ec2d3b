"""The 部门预算 and the 部门决算 linked: rollover 预算 → 决算, `check --budget`, and 预算 N + 决算 N → 预算 N+1."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import yujuesuan
from yujuesuan import pipeline
from yujuesuan.errors import Findings
from yujuesuan.input.load import load_bytes
from yujuesuan.kinds import get_kind
from yujuesuan.kinds.juesuan.model import SANGONG_ITEMS
from yujuesuan.kinds.juesuan.sanity import REVIEW_MARK
from yujuesuan.kinds.yusuan.model import BudgetModel
from yujuesuan.workflows.budget_link import compare_files, data_kind
from yujuesuan.workflows.rollover import prior_values

BUDGET = Path(__file__).resolve().parents[1] / "sample_data" / "jianghan-2024-yusuan.yaml"
JUESUAN = Path(__file__).resolve().parents[1] / "sample_data" / "qingshan-2023.yaml"
ZERO = Decimal(0)
GENERAL = ("人员经费", "公用经费", "项目支出")  # what 一般公共预算 pays, by 预算 spending type


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "yujuesuan", *map(str, args)], capture_output=True,
                          encoding="utf-8", env=env)  # fmt: skip


def read_budget(data: bytes | str, name: str = "预算.yaml") -> BudgetModel:
    findings = Findings()
    model = get_kind("yusuan").read(load_bytes(data, name)[0], name, findings)
    assert not findings.errors, [f.format() for f in findings.errors]
    return model


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The budget sample copied to a folder, rolled over there into the 决算 of 2024 (by the CLI)."""
    where = tmp_path_factory.mktemp("budget")
    shutil.copy(BUDGET, where / BUDGET.name)
    proc = run("rollover", where / BUDGET.name)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"已生成：{where / 'jianghan-2024-juesuan.yaml'}" in proc.stdout
    return where


@pytest.fixture(scope="module")
def rolled(folder: Path) -> Path:
    return folder / "jianghan-2024-juesuan.yaml"


@pytest.fixture(scope="module")
def budget() -> BudgetModel:
    return read_budget(BUDGET.read_bytes(), BUDGET.name)


def test_data_kind_tells_a_budget_from_a_juesuan() -> None:
    assert data_kind(load_bytes(BUDGET.read_bytes(), "y")[0]) == "yusuan"
    assert data_kind(load_bytes(JUESUAN.read_bytes(), "j")[0]) == "juesuan"
    assert data_kind(load_bytes("单位: {名称: 甲}\n", "x")[0]) is None


def test_rollover_of_a_budget_gives_the_juesuan_of_its_year_with_every_budget_figure(folder, rolled, budget) -> None:
    assert (folder / BUDGET.name).read_bytes() == BUDGET.read_bytes()  # input untouched
    checked = pipeline.check(rolled)
    assert checked.figures is not None and not checked.errors, [f.format() for f in checked.errors]
    m = checked.model
    assert (m.name, m.year, m.unit) == ("武汉市江汉区融媒体中心", 2024, "万元")
    assert list(m.items) == list(budget.items)
    for code, item in budget.items.items():
        general = item.money.get("一般公共预算", {})
        expected = sum((general.get(k, ZERO) for k in GENERAL), ZERO)
        assert m.items[code].budget == expected, code  # Decimals, from the budget's leaves
        # the 基本/项目 split of the budget: the keys, each amount left for the 决算 to fill
        split = {"基本支出"} if {"人员经费", "公用经费"} & set(general) else set()
        split |= {"项目支出"} if "项目支出" in general else set()
        assert set(m.items[code].funds["一般公共预算"]) == split, code
        assert set(m.items[code].spending) == split and set(m.items[code].income) == {"一般公共预算财政拨款"}
        assert not any(m.items[code].spending.values()) and not any(m.items[code].income.values())
    assert m.items["2070808"].budget == Decimal("454.82")
    assert sum((it.budget for it in m.items.values()), ZERO) == Decimal("647.10")
    assert m.sangong_budget == {i: budget.sangong[i] for i in SANGONG_ITEMS}
    assert m.sangong_budget["公务用车运行维护费"] == Decimal("3.00") and not any(m.sangong_actual.values())
    assert m.running_cost == {"决算": ZERO, "预算": Decimal("44.15")}  # 决算 empty, to fill
    assert m.functions == REVIEW_MARK + budget.functions
    assert m.class_uses["207"] == REVIEW_MARK + budget.class_uses["207"]
    assert [p.name for p in m.performance.projects] == [p.name for p in budget.projects]
    assert all(p.actual == 0 and p.code == "2070808" for p in m.performance.projects)
    indicators = m.performance.projects[1].indicators
    year_goals = [i for g in budget.projects[1].form.year_goals for i in g.indicators if i.level3]
    assert [(i.level3, i.target) for i in indicators] == [(i.level3, i.now) for i in year_goals]
    assert {i.actual for i in indicators} == {"【未填报实际值】"}
    text = rolled.read_text(encoding="utf-8")
    assert re.search(r"^      项目支出: +# 年初预算 73\.28$", text, re.M)  # what to fill, with the budget figure


def test_last_years_juesuan_fills_the_prior_block(folder, tmp_path, sample_checked) -> None:
    # The 2023 决算 sample, as if it were this unit's: its derived figures become the 2024 决算's 上年.
    last = tmp_path / "jianghan-2023.yaml"
    last.write_text(JUESUAN.read_text(encoding="utf-8").replace("武汉市青山区融媒体中心", "武汉市江汉区融媒体中心"),
                    encoding="utf-8")  # fmt: skip
    out = tmp_path / "jianghan-2024.yaml"
    proc = run("rollover", folder / BUDGET.name, "--prior", last, "-o", out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    new = pipeline.check(out)
    assert new.figures is not None and not new.errors, [f.format() for f in new.errors]
    assert new.model.prior == prior_values(sample_checked.figures)
    assert new.model.prior["收支总计"] == Decimal("537.12") and new.model.prior_classes["201"] == Decimal("437.68")
    assert new.model.sangong_prior["公务用车运行维护费"] == Decimal("5.09")
    assert new.model.balances["年初结转和结余"] == sample_checked.model.balances["年末结转和结余"]
    assert new.model.items["2070808"].budget == Decimal("454.82")  # the budget's figures all the same
    assert f"由 yujuesuan rollover 从 {last.name} 推算填入" in out.read_text(encoding="utf-8")
    # last year's 决算 must be last year's, of this unit
    proc = run("rollover", folder / BUDGET.name, "--prior", JUESUAN, "-o", tmp_path / "x.yaml")
    assert proc.returncode == 1 and "[budget-unit]" in proc.stdout and not (tmp_path / "x.yaml").exists()
    proc = run("rollover", folder / BUDGET.name, "--prior", out, "-o", tmp_path / "x.yaml")
    assert proc.returncode == 1 and "应是上一年度（2023 年度）的决算" in proc.stdout


def test_the_rolled_file_is_a_draft_until_filled(rolled) -> None:
    checked = yujuesuan.check(rolled.read_bytes(), name=str(rolled))
    assert not checked.errors and not checked.publishable
    holes = {(f.rule, f.path) for f in checked.placeholders}
    assert ("placeholder", "科目") in holes  # no 决算 amount at all
    assert ("carried-text", "概况.主要职能") in holes
    assert ("placeholder", "绩效.项目[1].指标[1].实际值") in holes
    with pytest.raises(yujuesuan.NotPublishable):
        yujuesuan.render(checked, ("html",))


def test_check_budget_on_the_rolled_file_finds_no_disagreement(rolled, folder) -> None:
    proc = run("check", rolled, "--budget", folder / BUDGET.name)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "[budget-" not in proc.stdout and "年初预算数全部一致" in proc.stderr
    assert compare_files(rolled.read_bytes(), "j.yaml", BUDGET.read_bytes(), "y.yaml") == []


def _edited(rolled: Path, tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = rolled.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "决算.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_deliberate_mismatch_is_reported_with_both_locations(rolled, folder, tmp_path) -> None:
    path = _edited(rolled, tmp_path, ("年初预算: 454.82", "年初预算: 450.00"),
                   ("    公务用车运行维护费: 3.00", "    公务用车运行维护费: 4.00"))  # fmt: skip
    proc = run("check", path, "--budget", folder / BUDGET.name, "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    found = [f for f in json.loads(proc.stdout) if f["rule"].startswith("budget-")]
    assert [(f["rule"], f["path"]) for f in found] == [
        ("budget-mismatch", "科目.2070808.年初预算"), ("budget-mismatch", "三公经费.预算.公务用车运行维护费"),
    ]  # fmt: skip
    mine = path.read_text(encoding="utf-8").splitlines()
    theirs = BUDGET.read_text(encoding="utf-8").splitlines()
    item, sangong = found
    assert "年初预算: 450.00" in mine[item["line"] - 1]
    [other] = item["related"]
    assert other["file"] == str(folder / BUDGET.name)
    assert theirs[other["line"] - 1].strip().startswith("一般公共预算: {人员经费: 338.82")
    assert theirs[sangong["related"][0]["line"] - 1].strip().startswith("本年:")
    assert all(x in item["message"] for x in ("450.00 万元", "454.82 万元", "少填了 4.82 万元"))
    # The text format names both places on one line.
    text = run("check", path, "--budget", folder / BUDGET.name).stdout
    line = next(x for x in text.splitlines() if "[budget-mismatch]" in x and "2070808" in x)
    assert line.startswith(f"{path}:{item['line']}:{item['column']}: ")
    assert f"{folder / BUDGET.name}:{other['line']}:{other['column']}" in line


def test_a_item_only_one_file_has_is_reported(rolled, tmp_path) -> None:
    # 2101199 renamed 2101101 in the 决算: the budget's 2101199 is missing, the 决算's 2101101 is extra.
    path = _edited(rolled, tmp_path, ('  "2101199":', '  "2101101":'))
    found = compare_files(path.read_bytes(), "决算.yaml", BUDGET.read_bytes(), "预算.yaml")
    assert [(f.rule, f.path) for f in found] == [
        ("budget-missing", "科目.2101199.年初预算"), ("budget-extra", "科目.2101101.年初预算"),
    ]  # fmt: skip
    missing, extra = found
    assert "决算文件中没有科目 2101199" in missing.message and "9.43 万元" in missing.message
    assert missing.related[0].file == "预算.yaml" and extra.related[0].file == "预算.yaml"


def test_the_declared_total_and_the_running_cost_budget_are_compared_when_stated(rolled) -> None:
    text = rolled.read_text(encoding="utf-8")
    assert compare_files(text + "核对数: {说明: {年初预算: 647.10}}\n", "决算.yaml", BUDGET.read_bytes(), "y") == []
    text = text.replace("  预算: 44.15 ", "  预算: 40.00 ") + "核对数: {说明: {年初预算: 650.00}}\n"
    found = compare_files(text, "决算.yaml", BUDGET.read_bytes(), "预算.yaml")
    assert sorted((f.rule, f.path) for f in found) == [
        ("budget-mismatch", "机关运行经费.预算"), ("budget-mismatch", "核对数.说明.年初预算"),
    ]  # fmt: skip
    total = next(f for f in found if f.path == "核对数.说明.年初预算")
    assert "650.00 万元" in total.message and "647.10 万元" in total.message
    assert total.location.line == len(text.splitlines())  # the 核对数 line, the last of the file


def test_different_money_units_compare_at_the_budgets_cents(rolled, tmp_path) -> None:
    # The same 决算 typed in 元: 4548200.00 元 is 454.82 万元; 4548249.99 元 still prints 454.82 万元.
    text = rolled.read_text(encoding="utf-8").replace("金额单位: 万元", "金额单位: 元")
    text = re.sub(r"(年初预算|公务用车运行维护费|  预算): ([0-9.]+)",
                  lambda m: f"{m[1]}: {Decimal(m[2]) * 10000}", text)  # fmt: skip
    assert text.count("年初预算: 4548200.00 ") == 1
    assert compare_files(text, "元.yaml", BUDGET.read_bytes(), "预算.yaml") == []
    same = text.replace("年初预算: 4548200.00 ", "年初预算: 4548249.99 ")
    assert compare_files(same, "元.yaml", BUDGET.read_bytes(), "预算.yaml") == []
    off = text.replace("年初预算: 4548200.00 ", "年初预算: 4548250.00 ")
    [finding] = compare_files(off, "元.yaml", BUDGET.read_bytes(), "预算.yaml")
    assert finding.rule == "budget-mismatch" and "454.83 万元" in finding.message


def test_different_years_or_units_are_an_error(rolled, folder, tmp_path) -> None:
    path = _edited(rolled, tmp_path, ("  年度: 2024", "  年度: 2023"))
    proc = run("check", path, "--budget", folder / BUDGET.name)
    assert proc.returncode == 1
    assert "[budget-year]" in proc.stdout and "决算文件是 2023 年度，预算文件是 2024 年度" in proc.stdout
    assert "[budget-mismatch]" not in proc.stdout  # nothing else is compared
    other = rolled.read_text(encoding="utf-8").replace("名称: 武汉市江汉区融媒体中心", "名称: 武汉市青山区融媒体中心")
    [finding] = compare_files(other, "决算.yaml", BUDGET.read_bytes(), "预算.yaml")
    assert finding.rule == "budget-unit" and "武汉市青山区融媒体中心" in finding.message
    line = other.splitlines().index("  名称: 武汉市青山区融媒体中心") + 1
    assert (finding.location.line, finding.related[0].file) == (line, "预算.yaml")


def test_files_of_the_wrong_kind_are_usage_errors(rolled, folder) -> None:
    proc = run("check", folder / BUDGET.name, "--budget", rolled)
    assert proc.returncode == 2 and "这是部门预算数据文件；这里应是部门决算数据文件" in proc.stdout
    proc = run("rollover", rolled, "--juesuan", rolled)
    assert proc.returncode == 2 and "--juesuan 只用于部门预算文件" in proc.stderr


def test_rollover_refuses_to_overwrite(folder, rolled) -> None:
    before = rolled.read_bytes()
    proc = run("rollover", folder / BUDGET.name)
    assert proc.returncode == 2 and "已经存在" in proc.stderr and rolled.read_bytes() == before


def test_next_years_budget_carries_texts_and_clears_amounts(folder, rolled, budget) -> None:
    proc = run("rollover", folder / BUDGET.name, "--juesuan", rolled)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    path = folder / "jianghan-2025-yusuan.yaml"
    assert f"已生成：{path}" in proc.stdout and "科目目录没有 2025 年版" in proc.stderr
    assert (folder / BUDGET.name).read_bytes() == BUDGET.read_bytes()
    new = read_budget(path.read_bytes(), str(path))
    assert (new.name, new.full_name, new.code, new.year, new.unit) == (
        budget.name, budget.full_name, budget.code, 2025, budget.unit)  # fmt: skip
    # texts carried, marked for review; names and codes as they are
    assert new.functions == REVIEW_MARK + budget.functions and new.structure == REVIEW_MARK + budget.structure
    assert new.reasons == {k: REVIEW_MARK + v for k, v in budget.reasons.items()}
    assert new.class_uses == {k: REVIEW_MARK + v for k, v in budget.class_uses.items()}
    assert [(p.name, p.code, p.item) for p in new.projects] == [(p.name, p.code, p.item) for p in budget.projects]
    assert [p.use for p in new.projects] == [REVIEW_MARK + p.use for p in budget.projects]
    # amounts and counts cleared, structure kept
    assert list(new.items) == list(budget.items) and list(new.econ) == list(budget.econ)
    for code, item in new.items.items():
        assert {s: set(t) for s, t in item.money.items()} == {s: set(t) for s, t in budget.items[code].money.items()}
        assert not any(v for t in item.money.values() for v in t.values())
    assert not any(new.econ.values()) and not any(new.sangong.values()) and new.running in (None, ZERO)
    assert all(p.amount == 0 for p in new.projects) and not any(new.posts.values())
    # last year's budget: the comparison base, from the 2024 budget's leaves
    income = sum((it.total(("一般公共预算",)) for it in budget.items.values()), ZERO)
    spent = {t: sum((it.total(types=(t,)) for it in budget.items.values()), ZERO) for t in GENERAL}
    assert new.prior.income == {"一般公共预算": income} and income == Decimal("647.10")
    assert new.prior.spending == spent
    assert spent == {"人员经费": Decimal("529.67"), "公用经费": Decimal("44.15"), "项目支出": Decimal("73.28")}
    assert (new.before.income, new.before.spending) == (budget.prior.income, budget.prior.spending)
    assert new.sangong_prior == budget.sangong and new.running_prior == budget.running
    # each indicator's 前年/上年 moved from 上年/当年; 当年 carried for review
    old = budget.projects[1].form.year_goals[0].indicators[0]
    moved = new.projects[1].form.year_goals[0].indicators[0]
    assert (moved.before, moved.last, moved.now) == (old.last, old.now, REVIEW_MARK + old.now)
    assert (new.staff_date, new.assets_date) == ("2024 年 12 月", "2024 年 12 月 31 日")


def test_next_years_budget_needs_the_juesuan_of_the_same_unit_and_year(folder, rolled, tmp_path) -> None:
    other = tmp_path / "决算-2023.yaml"
    other.write_text(rolled.read_text(encoding="utf-8").replace("  年度: 2024", "  年度: 2023"), encoding="utf-8")
    proc = run("rollover", folder / BUDGET.name, "--juesuan", other, "-o", tmp_path / "预算-2025.yaml")
    assert proc.returncode == 1 and "[budget-year]" in proc.stdout and "决算应是同一年度的" in proc.stderr
    assert not (tmp_path / "预算-2025.yaml").exists()
    # 三公经费 and 机关运行经费 without 上年预算 in year N's file: year N+1's gets them all the same.
    text = BUDGET.read_text(encoding="utf-8")
    text = re.sub(r"^  上年预算: \{因公出国.*\n", "", text, flags=re.M).replace("  上年预算: 48.78\n", "")
    assert "上年预算: {因公出国" not in text and "上年预算: 48.78" not in text
    bare = tmp_path / "jianghan-2024-yusuan.yaml"
    bare.write_text(text, encoding="utf-8")
    proc = run("rollover", bare, "--juesuan", rolled)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    new = read_budget((tmp_path / "jianghan-2025-yusuan.yaml").read_bytes())
    assert new.sangong_prior is not None and new.sangong_prior["公务用车运行维护费"] == Decimal("3.00")
    assert new.running_prior == Decimal("44.15")


def test_help_texts_are_chinese() -> None:
    rollover = run("rollover", "--help").stdout
    assert "预算 N 年 → 决算 N 年" in rollover and "--juesuan" in rollover and "下一年度的部门预算" in rollover
    assert "--prior" in rollover and "上一年度的决算数据文件" in rollover
    check = run("check", "--help").stdout
    assert "--budget" in check and "同年度的部门预算数据文件" in check


def test_the_rolled_file_filled_in_checks_against_the_budget_and_builds(rolled, folder, tmp_path) -> None:
    text = rolled.read_text(encoding="utf-8")
    # Every 决算 amount the budget lists, typed in as its budget figure (the comment after it).
    keys = r'一般公共预算财政拨款|基本支出|项目支出|"3\d{4}"'
    line = re.compile(rf"^(\s+(?:{keys})):(\s+# (?:.*；)?年初预算 ([0-9.]+))$", re.M)
    text, filled = line.subn(lambda m: f"{m[1]}: {m[3]}{m[2]}", text)
    assert filled == 3 * 10 + 2 + 20  # 10 项 (收入, 支出, 一般公共预算), 2070808's 项目支出 twice more, 20 经济分类
    text = text.replace(REVIEW_MARK, "").replace("【未填报实际值】", "完成")
    text = text.replace("  结果应用情况:\n", "  结果应用情况: 用于下年预算安排\n")
    path = tmp_path / "jianghan-2024.yaml"
    path.write_text(text, encoding="utf-8")
    proc = run("check", path, "--budget", folder / BUDGET.name)
    assert proc.returncode == 0 and "年初预算数全部一致" in proc.stderr, proc.stdout + proc.stderr
    assert "[placeholder]" not in proc.stdout and "[carried-text]" not in proc.stdout
    proc = run("build", path, "-o", tmp_path / "out", "--format", "docx")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    docx = tmp_path / "out" / "武汉市江汉区融媒体中心-2024" / "武汉市江汉区融媒体中心2024年度部门决算.docx"
    assert docx.stat().st_size > 10_000
