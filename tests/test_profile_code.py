"""Profile code (kinds/juesuan/profiles): named by profile.yaml ``code:``, called once, missing facts one way.

sichuan and national-2024 each have one module exporting ``CODE``; a profile gets a code's tables,
charts and warnings only by naming it (or, the older spelling, by ``requires`` alone). District
overlays here are folders under tmp_path laid over a built-in profile, as ``--templates`` does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import yujuesuan
from yujuesuan import pipeline
from yujuesuan.compose import compose, grammar
from yujuesuan.compose.document import Table
from yujuesuan.compose.placeholders import MARK
from yujuesuan.errors import UsageError
from yujuesuan.kinds.juesuan.profiles import CODES, Missing, get_code
from yujuesuan.profiles import load_profile

ROOT = Path(__file__).resolve().parents[1]
QINGSHAN = ROOT / "sample_data" / "qingshan-2023.yaml"
SICHUAN_TABLES = {"川05", "川07", "川09"}
# The outline entry and table settings a district would add to ask for 川05.
ASK_FOR_05 = 'outline: [{table: "川05"}]\ntables: {"川05": {title: 财政拨款支出决算明细表}}\n'


def overlay(folder: Path, profile_yaml: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "profile.yaml").write_text(profile_yaml, encoding="utf-8")
    return folder


def table_titles(checked: yujuesuan.Checked) -> list[str]:
    assert checked.document is not None
    return [b.title for b in checked.document.blocks if isinstance(b, Table)]


# ---- the registry and profile.yaml ``code:`` ----


def test_each_code_is_one_module_with_its_name():
    assert sorted(CODES) == ["national-2024", "sichuan"]
    for name in CODES:
        code = get_code(name)
        assert code.name == name and code.facts
    sichuan = get_code("sichuan")
    assert set(sichuan.builders) == SICHUAN_TABLES and "四川收入结构" in sichuan.charts
    assert "项目支出经济分类" in sichuan.blocks and sichuan.missing_rule == "missing-fact"
    assert get_code("national-2024").builders == {} and get_code("national-2024").missing_rule == "待补"


def test_the_builtin_profiles_name_their_code():
    assert load_profile("sichuan").config["code"] == "sichuan"
    assert load_profile("national-2024").config["code"] == "national-2024"
    assert "code" not in load_profile("wuhan").config


def test_an_unknown_code_is_a_located_error(tmp_path):
    folder = overlay(tmp_path, "numbers: {share_places: 1}\ncode: chongqing\n")
    with pytest.raises(UsageError) as caught:
        load_profile("wuhan", folder)
    (finding,) = caught.value.findings
    assert finding.location.file.endswith("profile.yaml")
    assert (finding.location.line, finding.location.column) == (2, 7)
    assert "“chongqing”不是可用的模板代码" in finding.message and "national-2024、sichuan" in finding.message
    with pytest.raises(UsageError, match="没有名为“chongqing”的模板代码"):
        get_code("chongqing")


# ---- a profile gets a code's tables only by naming it ----


def test_a_profile_without_code_cannot_place_a_sichuan_table(tmp_path):
    folder = overlay(tmp_path, ASK_FOR_05)
    with pytest.raises(UsageError) as caught:
        load_profile("wuhan", folder)
    (finding,) = caught.value.findings
    assert (
        finding.message == "模板配置不完整：outline 中的表 川05 不是部门决算的表，本模板的代码（code: 无）也不提供它。"
    )
    # The same outline with the code named is a profile like any other.
    assert (
        load_profile("wuhan", overlay(tmp_path / "coded", "code: sichuan\n" + ASK_FOR_05)).config["code"] == "sichuan"
    )


def test_a_profile_without_code_cannot_draw_a_sichuan_chart(tmp_path):
    folder = overlay(tmp_path, "figures: {图9: {title: 收入结构, data: 四川收入结构}}\n")
    with pytest.raises(UsageError, match="figures 中的 图9 的数据 四川收入结构 不是部门决算的图"):
        load_profile("wuhan", folder)


def test_a_profile_without_code_gets_no_sichuan_figures():
    checked = yujuesuan.check(QINGSHAN.read_bytes(), name="q.yaml", profile="wuhan")
    assert checked.figures is not None and checked.figures.codes == {}
    assert not SICHUAN_TABLES & set(checked.figures.tables) and "四川" not in checked.figures.facts
    assert "财政拨款支出决算明细表" not in table_titles(checked)


def test_a_district_overlay_over_sichuan_keeps_its_tables_and_narrows_requires(tmp_path):
    folder = overlay(tmp_path, 'tables: {"川09": {title: 项目支出决算表（本区）}}\nrequires: [公务用车明细]\n')
    checked = yujuesuan.check(QINGSHAN.read_bytes(), name="q.yaml", profile="sichuan", templates=folder)
    assert checked.figures is not None and SICHUAN_TABLES <= set(checked.figures.tables)
    titles = table_titles(checked)
    assert "财政拨款支出决算明细表" in titles and "项目支出决算表（本区）" in titles
    # Only the fact the overlay requires is warned about; the other still prints its placeholder.
    missing = {f.path for f in checked.findings if f.rule == "missing-fact" and f.path != "单位.咨询电话"}
    assert missing == {"公务用车明细"}
    assert "【未填报项目支出经济分类】" in checked.document.text()


def test_requires_without_code_is_the_older_spelling_of_the_sichuan_code(tmp_path):
    folder = overlay(tmp_path, "requires: [项目支出经济分类]\n" + ASK_FOR_05)
    profile = load_profile("wuhan", folder)
    checked = pipeline.check(QINGSHAN, profile=profile)
    assert checked.figures is not None and list(checked.figures.codes) == ["sichuan"]
    (warning,) = [f for f in checked.findings if f.rule == "missing-fact" and f.path != "单位.咨询电话"]
    assert warning.path == "项目支出经济分类"
    assert "财政拨款支出决算明细表" in [
        b.title for b in compose(checked.figures, profile).blocks if isinstance(b, Table)
    ]


# ---- called once; the national code is switched by the profile only ----


def test_a_code_runs_once_per_check():
    profile = load_profile("sichuan")
    checked = pipeline.check(QINGSHAN, profile=profile)
    assert checked.figures is not None
    table, facts = checked.figures.tables["川05"], checked.figures.facts["四川"]
    compose(checked.figures, profile)  # composing finds the code already run: no second derivation
    assert checked.figures.tables["川05"] is table and checked.figures.facts["四川"] is facts
    assert list(checked.figures.codes) == ["sichuan"]
    # Figures checked without the profile get the code when composed for it, once.
    plain = pipeline.check(QINGSHAN)
    assert plain.figures is not None and "川05" not in plain.figures.tables
    compose(plain.figures, profile)
    assert list(plain.figures.codes) == ["sichuan"] and "川05" in plain.figures.tables


def test_a_2024_file_under_wuhan_is_not_asked_for_the_2024_layouts_facts():
    """The data file's year no longer switches the national code: only ``code: national-2024`` does."""
    text = QINGSHAN.read_text(encoding="utf-8").replace("年度: 2023", "年度: 2024", 1)
    wuhan = yujuesuan.check(text, name="q2024.yaml", profile="wuhan")
    assert wuhan.findings == () and wuhan.figures.tables["待补"].rows == []
    national = yujuesuan.check(text, name="q2024.yaml", profile="national-2024")
    needs = [f for f in national.findings if f.rule == "待补"]
    assert len(needs) == len(national.figures.tables["待补"].rows) == 11
    assert all(f.location.line > 0 for f in needs)


# ---- missing facts one way ----


def test_both_codes_mark_missing_facts_through_one_recorder():
    missing = Missing()
    first = missing.mark(
        "三公经费明细", "三公经费", "说明七要写明……", "因公出国团组数", path="三公经费.明细", word="未填报"
    )
    again = missing.mark(
        "三公经费明细", "三公经费", "说明七要写明……", "因公出国人次", path="三公经费.明细", word="未填报"
    )
    national = missing.mark("上年", "上年", "上年“三公”经费决算数", "上年“三公”经费数")
    assert (first, again, national) == (
        "【未填报因公出国团组数】",
        "【未填报因公出国人次】",
        "【缺少上年“三公”经费数】",
    )
    assert [(m.fact, m.at, m.path) for m in missing] == [
        ("三公经费明细", "三公经费", "三公经费.明细"),
        ("上年", "上年", "上年"),
    ]
    assert all(MARK.fullmatch(p) for p in (first, national))  # either refuses a final build
    assert grammar.missing("主要用途") == "【缺少主要用途】"
    with pytest.raises(ValueError):
        grammar.missing("x", "待填")


@pytest.mark.parametrize(("profile", "rule"), [("sichuan", "missing-fact"), ("national-2024", "待补")])
def test_each_codes_missing_fact_is_a_warning_and_blocks_a_final_build(profile, rule):
    checked = yujuesuan.check(QINGSHAN.read_bytes(), name="q.yaml", profile=profile)
    warned = [f for f in checked.findings if f.rule == rule and f.path != "单位.咨询电话"]
    assert warned and all(f.location.line > 0 for f in warned)
    assert [f.path for f in warned] == [f.path for f in warned if f.severity.name == "WARNING"]
    assert any(f.rule == "placeholder" for f in checked.findings)
    with pytest.raises(yujuesuan.NotPublishable):
        yujuesuan.render(checked, ("docx",))


def test_composing_for_national_leaves_figures_checked_without_it_untouched():
    """The national code only lists missing facts (the check's business): composing does not run it."""
    plain = pipeline.check(QINGSHAN)
    assert plain.figures is not None
    compose(plain.figures, load_profile("national-2024"))
    assert plain.figures.codes == {} and plain.figures.tables["待补"].rows == []
