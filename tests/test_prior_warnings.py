"""`check --profile`: each comparison with last year that the 说明 leaves out for want of a 上年 figure is a warning."""

from __future__ import annotations

from pathlib import Path

from yujuesuan import pipeline
from yujuesuan.profiles import load_profile

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "qingshan-2023.yaml"
SCENARIOS = ROOT / "tests" / "scenarios"


def prior_warnings(path: Path, profile: str) -> dict[str, str]:
    prof = load_profile(profile)
    checked = pipeline.check(path, profile=prof)
    return {f.path: f.message for f in checked.findings if f.rule == "prior-missing"}


def test_the_sample_under_a_profile_names_each_comparison_left_out() -> None:
    assert prior_warnings(SAMPLE, "national-2024") == {
        "上年.基本支出": "上年数“基本支出”未填写：说明中不写基本支出与上年的比较（说明三）。",
        "上年.项目支出": "上年数“项目支出”未填写：说明中不写项目支出与上年的比较（说明三）。",
        "上年.一般公共预算类": (
            "没有“上年.一般公共预算类”（上年各类的一般公共预算财政拨款支出）：说明五（二）中不写各类与上年的比较。"
        ),
        "上年.三公经费": "没有“上年.三公经费”：说明中不写“三公”经费各项与上年的比较。",
    }


def test_a_plain_check_stays_quiet_about_optional_prior_figures() -> None:
    checked = pipeline.check(SAMPLE)
    assert [f for f in checked.findings if f.rule == "prior-missing"] == []


def test_income_sources_without_last_years_figure() -> None:
    # funds-present gives last year's 政府性基金 and 国有资本经营 income but no 基本支出/项目支出/类.
    warned = prior_warnings(SCENARIOS / "funds-present.yaml", "sichuan")
    assert "上年.政府性基金预算财政拨款收入" not in warned
    assert warned["上年.项目支出"] == "上年数“项目支出”未填写：说明中不写项目支出与上年的比较（说明三）。"
    assert "上年.一般公共预算类" in warned


def test_a_complete_prior_block_gives_no_warning() -> None:
    assert prior_warnings(SCENARIOS / "every-figure-down.yaml", "national-2024") == {}
