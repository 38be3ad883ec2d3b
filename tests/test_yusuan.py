"""The 部门预算 kind end to end: the sample reproduces reference 001, a broken file gets located findings,
zero / absent / new figures are worded, and the build is deterministic."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import yujuesuan
from figurecheck import compare, read_text, reference
from yujuesuan.kinds.yusuan.forms import balanced_shares

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "jianghan-2024-yusuan.yaml"
REFERENCE = reference("jianghan-2024-yusuan.txt")
STEM = "江汉区融媒体中心2024年部门预算-wuhan-yusuan"
TEXT = SAMPLE.read_text(encoding="utf-8")


def check(text: str, name: str = "预算.yaml") -> yujuesuan.Checked:
    return yujuesuan.check(text.encode("utf-8"), name=name, profile="wuhan-yusuan")


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    proc = subprocess.run(
        [sys.executable, "-m", "yujuesuan", "build", str(SAMPLE), "--profile", "wuhan-yusuan", "-o", str(out),
         "--format", "docx,pdf"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    folder = out / "江汉区融媒体中心-2024"
    assert sorted(p.name for p in folder.iterdir()) == [f"{STEM}.docx", f"{STEM}.pdf"]
    return folder


@pytest.mark.parametrize("ext", ["docx", "pdf"])
def test_every_figure_of_parts_2_3_5_is_reproduced(built: Path, ext: str) -> None:
    """第二部分 说明, 第三部分 三公, 第五部分 the 13 tables and the 申报表: all 430 figures of reference 001."""
    result = compare(read_text(built / f"{STEM}.{ext}"), REFERENCE, parts=(2, 3, 5))
    assert (result.reproduced, result.reference) == (430, 430), result.summary()


def test_sample_checks_clean_and_states_the_reference_sentences() -> None:
    checked = check(TEXT)
    assert [f.format() for f in checked.findings] == []
    text = checked.document.text()
    for sentence in (
        "2024 年收支总预算 647.10 万元，比 2023 年预算增加 73.83 万元，增长 12.88%，"
        "变动的主要原因是新增员工，人员经费增加。",
        "其中：一般公共预算拨款收入 647.10 万元，占 100%。",
        "其中：基本支出 573.82 万元，占 88.68%；项目支出 73.28 万元，占 11.32%。",
        "基本支出 573.82 万元，占 88.68%，其中：人员经费 529.67 万元，公用经费 44.15 万元；"
        "项目支出 73.28 万元，占 11.32%。",
        "2024 年机关运行经费 44.15 万元，较 2023 年预算减少 4.63 万元，下降 9.49%。",
        "纳入政府采购预算支出合计 0 万元，较 2023 年预算减少 4.50 万元，下降 100%。我单位 2024 年无政府采购计划。",
        "我单位 2024 年无政府性基金预算安排的支出。",
        "我单位 2024 年无政府购买服务预算安排的支出。",
        "2024 年一般公共预算安排“三公”经费预算 3.00 万元，与上年预算持平。",
        "截至 2023 年 12 月 31 日，我单位共有一般公务用车 1 辆，系新闻采编用车。",
        "注：本单位无政府性基金预算相关支出",
    ):
        assert sentence in text, sentence


def test_the_overall_form_shares_add_up_to_100() -> None:
    """81.85% + 6.82% + 11.33%: the form rounds so that the shares make 100 (11.3244 takes the last 0.01)."""
    shares = balanced_shares([Decimal("529.67"), Decimal("44.15"), Decimal("73.28")], Decimal("647.10"), 2)
    assert shares == [Decimal("81.85"), Decimal("6.82"), Decimal("11.33")]
    rows = [line for line in check(TEXT).document.text().splitlines() if "项目支出 |" in line and "%" in line]
    assert [r.split(" | ")[-3] for r in rows] == ["81.85%", "6.82%", "11.33%"]


def test_a_broken_budget_file_gets_located_findings() -> None:
    broken = (
        TEXT.replace("一般公共预算: {人员经费: 36.08}", "一般公共预算: {人员经费: 36.08, 人员经贵: 1}")  # a typo'd key
        .replace("  离退休: 11 ", "  离退休: 十一 ")  # not a count
        .replace("资金: {一般公共预算: 42.36}", "资金: {一般公共预算: 42,36}")  # a comma for the decimal point
    )
    checked = check(broken)
    found = {(f.rule, f.location.line) for f in checked.errors}
    assert ("unknown-key", line_of(broken, "人员经贵")) in found
    assert ("count", line_of(broken, "离退休: 十一")) in found
    messages = [f.format() for f in checked.errors]
    assert any("是否应为“人员经费”" in m for m in messages), messages
    assert checked.document is None  # an input error stops before the figures


def test_an_inconsistent_budget_file_names_both_sides() -> None:
    broken = TEXT.replace('"30101": 87.89', '"30101": 88.89').replace(
        "资金: {一般公共预算: 2.76}", "资金: {一般公共预算: 3.76}"
    )
    checked = check(broken, "江汉.yaml")
    by_rule = {f.rule: f for f in checked.errors}
    staff = by_rule["预算07-人员经费"]
    assert (staff.location.line, staff.location.column) == (line_of(broken, '"30101": 88.89'), 3)  # the block's start
    assert "530.67" in staff.message and "529.67" in staff.message
    project = by_rule["预算11-项目按科目"]
    assert project.location.line == line_of(broken, "- 名称: 党建、文明创建经费")
    assert "74.28" in project.message and "73.28" in project.message
    assert by_rule["预算11-一般公共预算项目"].location.line == line_of(broken, "- 名称: 党建")  # the list's start
    assert str(staff.location).startswith("江汉.yaml:")


def test_zero_absent_and_new_figures_are_worded() -> None:
    """No 上年预算 (no comparison), a 三公 item new this year (zero base: 新增), no 政府性基金 (the zero sentence)."""
    start, end = TEXT.index("上年预算:\n  收入:"), TEXT.index("# 前年（2022 年）预算数")
    text = TEXT[:start] + TEXT[end:]
    text = text.replace(
        "本年: {因公出国（境）费: 0, 公务接待费: 0,", "本年: {因公出国（境）费: 0, 公务接待费: 1.5,"
    ).replace('"30299": 13.60', '"30299": 12.10\n  "30217": 1.50')
    checked = check(text)
    assert not checked.errors, [f.format() for f in checked.errors]
    warnings = {(f.rule, f.location.line) for f in checked.warnings}
    assert {f.path for f in checked.warnings if f.rule == "上年-缺失"} == {"上年预算"}, warnings
    doc = checked.document.text()
    assert "2024 年收支总预算 647.10 万元。" in doc  # no 上年预算: no comparison, no reason asked for
    assert "2024 年一般公共预算安排“三公”经费预算 4.50 万元，比上年预算增加 1.50 万元，增长 50%。具体情况如下：" in doc
    assert "公务接待费 1.50 万元，比上年预算新增 1.50 万元。" in doc
    assert "我单位 2024 年无政府性基金预算安排的支出。" in doc
    assert "我单位 2024 年无国有资本经营预算安排的支出。" in doc
    assert "下降" not in doc.split("第三部分")[1].split("第四部分")[0]


def test_the_build_is_deterministic() -> None:
    first = yujuesuan.render(check(TEXT), ("docx", "pdf"))
    second = yujuesuan.render(check(TEXT), ("docx", "pdf"))
    assert first["docx"] == second["docx"]
    assert first["pdf"] == second["pdf"]
    assert first["pdf"][:5] == b"%PDF-"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "yujuesuan", *args], capture_output=True, text=True)


def test_new_writes_a_blank_budget_file_that_checks(tmp_path: Path) -> None:
    out = tmp_path / "预算.yaml"
    proc = run_cli("new", "-o", str(out), "--profile", "wuhan-yusuan", "--year", "2024", "--unit", "元")
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert "  年度: 2024\n" in text and "  金额单位: 元\n" in text and "上年（2023 年）预算数" in text
    checked = check(text, "预算.yaml")
    assert not checked.errors, [f.format() for f in checked.errors]
    first = next(f for f in checked.placeholders)
    assert (first.rule, first.location.line) == ("placeholder", line_of(text, "名称: （单位名称）"))


def test_the_unit_block_may_name_its_profile_and_a_project_must_name_a_known_item() -> None:
    text = TEXT  # the sample names its profile (单位.模板: wuhan-yusuan)
    assert "  模板: wuhan-yusuan" in text
    checked = check(text.replace('    科目: "2070808"\n    资金: {一般公共预算: 1.66}', '    科目: "2070809"\n'
                                 '    资金: {一般公共预算: 1.66}'))  # fmt: skip
    assert checked.model.template == "wuhan-yusuan"
    (wrong,) = [f for f in checked.errors if f.rule == "code"]
    assert wrong.path == "项目[4].科目" and "2070809" in wrong.message
    assert wrong.location.line == line_of(text, "- 名称: 舆情信息") + 2


GOLDEN = Path(__file__).resolve().parent / "golden" / "jianghan-2024-yusuan" / "document.txt"


def test_document_text_matches_golden(update_golden: bool) -> None:
    """The composed 部门预算, every block as text: a change to its wording or tables shows as a diff here."""
    actual = check(TEXT).document.text() + "\n"
    if update_golden:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(actual, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    assert actual == expected, "run `pytest tests/test_yusuan.py --update-golden` if the change is intended"


def test_a_budget_file_naming_no_profile_is_read_as_a_budget() -> None:
    """Without 单位.模板 and without a profile, the file's blocks say it is a 部门预算 (kinds/detect.py)."""
    bare = "\n".join(line for line in TEXT.splitlines() if not line.strip().startswith("模板:")) + "\n"
    checked = yujuesuan.check(bare.encode("utf-8"), name="预算.yaml")
    assert checked.profile.name == "wuhan-yusuan"
    assert not checked.errors and checked.publishable
    juesuan = (ROOT / "sample_data" / "qingshan-2023.yaml").read_bytes()
    assert yujuesuan.check(juesuan, name="决算.yaml", charts=False).profile.name == "wuhan"


def test_the_sample_builds_as_a_budget_without_a_profile_option(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "yujuesuan", "build", str(SAMPLE), "-o", str(tmp_path),
                          "--format", "docx"], capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert [p.name for p in tmp_path.rglob("*.docx")] == [f"{STEM}.docx"]
