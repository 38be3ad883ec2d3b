"""The ``sections`` conventions of profile.yaml (how the 说明 sections write): each key flipped from an overlay
changes the text of all three built-in profiles; parts a layout lacks (重点工作, 绩效自评表, 图) can be dropped;
a wrong value is refused at its line and column; 三公 without spending and per-item 三公 reasons in every profile."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from yujuesuan import pipeline
from yujuesuan.compose import compose
from yujuesuan.compose.document import Document, Figure, Heading, Paragraph, Table
from yujuesuan.errors import UsageError
from yujuesuan.profiles import load_profile
from yujuesuan.render.docx import render_docx
from yujuesuan.render.html import render_html

ROOT = Path(__file__).resolve().parents[1]
QINGSHAN = ROOT / "sample_data" / "qingshan-2023.yaml"
PANZHIHUA = ROOT / "sample_data" / "panzhihua-dongqu-2023.yaml"


def overlay(folder: Path, yaml_text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "profile.yaml").write_text(yaml_text, encoding="utf-8")
    return folder


def text(doc: Document) -> str:
    return "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph))


@pytest.fixture
def build(tmp_path):
    """build(profile, yaml=None, data=QINGSHAN): the text of the document, composed without drawing charts."""
    count = iter(range(100))

    def run(profile: str, yaml_text: str | None = None, data: Path = QINGSHAN, charts: bool = False) -> Document:
        folder = overlay(tmp_path / f"d{next(count)}", yaml_text) if yaml_text is not None else None
        prof = load_profile(profile, folder)
        checked = pipeline.check(data, prof.layout_year, prof.config.get("requires") or ())
        assert checked.figures is not None
        return compose(checked.figures, prof, charts=charts)

    return run


# ---- sections.item_numbering / subitem_numbering ----


def test_item_numbering_wuhan(build):
    plain = text(build("wuhan"))
    assert "\n1.一般公共服务支出 437.68 万元，占 81.49%。" in plain
    assert "\n1. 因公出国（境）费支出决算为 0万元。" in plain  # the reference's space after "1."
    assert "\n3.公务接待费支出决算为 0万元。" in plain
    assert "\n8.住房保障支出（类）住房改革支出（款）提租补贴（项）。" in plain
    changed = text(build("wuhan", "sections: {item_numbering: 1、}\n"))
    assert "\n1、一般公共服务支出 437.68 万元，占 81.49%。" in changed
    assert "\n1、因公出国（境）费支出决算为 0万元。" in changed  # no stray space after 1、
    assert "\n2、公务用车购置及运行维护费支出决算为 5.09 万元" in changed
    assert "\n3、公务接待费支出决算为 0万元。" in changed
    assert "\n8、住房保障支出（类）住房改革支出（款）提租补贴（项）。" in changed
    assert "\n1、融媒体工作经费项目绩效自评综述" in changed  # 十三's projects
    assert "\n1、一般公共服务支出（类）宣传事务（款）事业运行（项）：反映" in changed  # 名词解释
    assert not re.search(r"^\d+\.", changed, re.MULTILINE)


def test_item_numbering_national_and_sichuan(build):
    assert "\n1、一般公共服务支出（类）宣传事务（款）事业运行（项）。主要用于" in text(build("national-2024"))
    national = text(build("national-2024", 'sections: {item_numbering: "1."}\n'))
    assert "\n1.一般公共服务支出（类）宣传事务（款）事业运行（项）。主要用于" in national
    assert "\n3.公务接待费支出 0.00 万元。" in national
    item = "一般公共服务支出（类）宣传事务（款）其他宣传事务支出（项）：支出决算为243.56万元"
    assert "\n2." + item in text(build("sichuan", data=PANZHIHUA))
    sichuan = text(build("sichuan", "sections: {item_numbering: （1）}\n", PANZHIHUA))
    assert "\n（2）" + item in sichuan
    assert "\n（1）因公出国（境）经费支出0万元" in sichuan
    assert "\n（20）机关运行经费：为保障行政单位" in sichuan  # 名词解释


def test_subitem_numbering(build):
    plain = text(build("wuhan"))
    assert "\n（1）公务用车购置费 0万元" in plain and "项目支出主要用于（1）融媒体工作经费 123.95 万元" in plain
    changed = text(build("wuhan", 'sections: {subitem_numbering: "(1)"}\n'))
    assert "\n(1)公务用车购置费 0万元" in changed and "\n(2)公务用车运行维护费 5.09 万元" in changed
    assert "项目支出主要用于(1)融媒体工作经费 123.95 万元" in changed and "；(4)2023年公务员医疗补助经费" in changed


# ---- sections.list_zero_items ----


def test_list_zero_items_wuhan_and_national(build):
    kinds = "其中：基本支出 409.63 万元，占本年支出 76.3%；项目支出 127.49 万元，占本年支出 23.7%"
    assert kinds + "。" in text(build("wuhan"))
    assert (
        kinds + "；上缴上级支出 0 万元，占本年支出 0.0%；经营支出 0 万元，占本年支出 0.0%；对附属单位补助支出 0 万元，"
        "占本年支出 0.0%。"
    ) in text(build("wuhan", "sections: {list_zero_items: true}\n"))
    national = text(build("national-2024", "sections: {list_zero_items: true}\n"))
    assert "项目支出 127.49 万元，占 23.74%；上缴上级支出 0.00 万元，占 0.00%；经营支出 0.00 万元，" in national


def test_list_zero_items_names_every_income_source(build):
    """二 lists the zero 收入来源 too when asked (wuhan, national), and only 财政拨款收入 when not."""
    assert "其中：财政拨款收入 537.12 万元，占本年收入 100.0%。" in text(build("wuhan"))
    listed = text(build("wuhan", "sections: {list_zero_items: true}\n"))
    assert (
        "其中：财政拨款收入 537.12 万元，占本年收入 100.0%，与 2022 年度相比增加 41.81 万元，增长 8.44%；"
        "上级补助收入 0 万元，占本年收入 0.0%；事业收入 0 万元，"
    ) in listed
    assert "其他收入 0 万元，占本年收入 0.0%。" in listed
    national = text(build("national-2024", "sections: {list_zero_items: true}\n"))
    assert "事业收入 0.00 万元，占 0.00%" in national


def test_list_zero_items_sichuan(build):
    plain = text(build("sichuan", data=PANZHIHUA))
    assert "政府性基金预算财政拨款收入0万元，占0%" in plain and "外交支出0万元，占0%" in plain
    assert "伙食补助费0万元" in plain and "印刷费0万元" in plain
    skipped = text(build("sichuan", "sections: {list_zero_items: false}\n", PANZHIHUA))
    assert "本年收入合计346.47万元，其中：一般公共预算财政拨款收入346.47万元，占100%。" in skipped
    assert "本年支出合计346.47万元，其中：基本支出102.91万元，占29.7%；项目支出243.56万元，占70.3%。" in skipped
    assert (
        "主要用于以下方面：一般公共服务支出315.67万元，占91.11%；社会保障和就业支出15.8万元，占4.56%；"
        "卫生健康支出7.59万元，占2.19%；住房保障支出7.41万元，占2.14%。"
    ) in skipped
    office = "公用经费5.12万元，主要包括：办公费1.36万元、邮电费0.24万元、差旅费2.08万元、工会经费1.34万元"
    assert office + "、福利费0.1万元等。" in skipped
    assert "外交支出" not in skipped and "政府性基金预算财政拨款收入0万元" not in skipped
    assert "伙食补助费" not in skipped
    assert "上缴上级支出" not in skipped
    # the three 三公 items are the section's fixed outline, not an enumeration of amounts: still all three
    assert "因公出国（境）费支出决算0万元，占0%；公务用车购置及运行维护费支出决算0万元" in skipped


# ---- sections.item_completion ----


def test_item_completion(build):
    wuhan = "（项）。年初预算为 21.35 万元，支出决算为 21.35 万元"
    assert wuhan + "，完成年初预算的 100.00%。" in text(build("wuhan"))
    off = text(build("wuhan", "sections: {item_completion: false}\n"))
    assert wuhan + "。" in off and "（项）。年初预算为 426.68 万元，支出决算为 437.68 万元，支出决算数大于" in off
    assert "完成年初预算的 102.69%" in off  # the total keeps its rate: the key is about each 项
    national = "年初预算为 25.80 万元，支出决算为 28.77 万元"
    assert national + "。决算数大于预算数" in text(build("national-2024"))
    on = text(build("national-2024", "sections: {item_completion: true}\n"))
    assert national + "，完成年初预算的 111.51%。决算数大于预算数" in on
    assert "年初预算为 0.00 万元，支出决算为 0.12 万元。决算数大于预算数" in on  # no rate without a budget
    sichuan = "（项）：支出决算为243.56万元"
    assert sichuan + "，完成预算100%。" in text(build("sichuan", data=PANZHIHUA))
    assert sichuan + "。" in text(build("sichuan", "sections: {item_completion: false}\n", PANZHIHUA))


# ---- sections.total_change / total_pair ----


def test_total_change(build):
    assert "2023 年度收、支总计 537.12 万元。与 2022 年度的 495.31 万元相比" in text(build("wuhan"))
    off = text(build("wuhan", "sections: {total_change: false}\n"))
    assert "2023 年度收、支总计 537.12 万元。\n" in off and "495.31" not in off
    national = text(build("national-2024", "sections: {total_change: false}\n"))
    assert "2023 年度收入支出总计 537.12 万元。\n" in national and "相比，收入支出总计增加" not in national
    sichuan = text(build("sichuan", "sections: {total_change: false}\n", PANZHIHUA))
    assert "2023年度收、支总计均为346.47万元。\n" in sichuan and "相比，收、支总计各增加" not in sichuan


@pytest.fixture
def prior_spending_500(tmp_path, sample_text, mutate) -> Path:
    """The sample with last year's 支出合计 at 500.00 (income stays 495.31): the two changes differ."""
    path = tmp_path / "unit.yaml"
    path.write_text(mutate(sample_text, "  支出合计: 495.31\n", "  支出合计: 500.00\n"), encoding="utf-8")
    return path


def test_total_pair(build, prior_spending_500):
    pair = "sections: {total_pair: 本年合计}\n"
    why = "本年有新进人员及人员经费的正常增加"
    wuhan = text(build("wuhan", pair, prior_spending_500))
    assert (
        "2023 年度本年收入合计 537.12 万元，本年支出合计 537.12 万元。与 2022 年度相比，本年收入合计增加 41.81 万元，"
        f"增长 8.44%；本年支出合计增加 37.12 万元，增长 7.42%。主要原因是{why}。"
    ) in wuhan
    assert "年度收、支总计 537.12" not in wuhan
    national = text(build("national-2024", pair, prior_spending_500))
    assert (
        "武汉市青山区融媒体中心 2023 年度本年收入合计 537.12 万元，本年支出合计 537.12 万元。与 2022 年度相比，"
        f"本年收入合计增加 41.81 万元，增长 8.44%；本年支出合计增加 37.12 万元，增长 7.42%。主要原因：{why}。"
    ) in national
    sichuan = text(build("sichuan", pair, prior_spending_500))
    assert (
        "2023年度本年收入合计537.12万元，本年支出合计537.12万元。与2022年度相比，本年收入合计增加41.81万元，"
        f"增长8.44%；本年支出合计增加37.12万元，增长7.42%。主要变动原因是{why}。"
    ) in sichuan


def test_sichuan_default_pair_is_the_balanced_total_as_003_prints_it(build):
    """003 prints 收、支总计均为 (the 总计), so sichuan's default total_pair is 总计."""
    assert load_profile("sichuan").config["sections"]["total_pair"] == "总计"
    assert "2023年度收、支总计均为346.47万元。与2022年度相比，收、支总计各增加169.21万元，增长95.46%。" in text(
        build("sichuan", data=PANZHIHUA)
    )


# ---- sections.income_expense_change ----


def test_income_expense_change(build):
    assert "收入合计增加 41.81 万元，增长 8.44%" in text(build("wuhan"))
    off = text(build("wuhan", "sections: {income_expense_change: false}\n"))
    assert "2023 年度收入合计 537.12 万元。其中：财政拨款收入 537.12 万元，占本年收入 100.0%。" in off
    assert "2023 年度支出合计 537.12 万元。其中：基本支出 409.63 万元，占本年支出 76.3%；" in off
    on = text(build("national-2024", "sections: {income_expense_change: true}\n"))
    assert (
        "本年收入合计 537.12 万元，其中：财政拨款收入 537.12 万元，占 100.00%。与 2022 年度相比，本年收入合计增加 "
        "41.81 万元，增长 8.44%。主要原因："
    ) in on
    assert "占 23.74%。与 2022 年度相比，本年支出合计增加 41.81 万元，增长 8.44%。主要原因：" in on
    assert "本年收入合计增加" not in text(build("national-2024"))
    sichuan = text(build("sichuan", "sections: {income_expense_change: true}\n", PANZHIHUA))
    assert "其他收入0万元，占0%。本年收入合计比2022年度增加169.21万元，增长95.46%。主要变动原因是" in sichuan
    assert "对附属单位补助支出0万元，占0%。本年支出合计比2022年度增加169.21万元，增长95.46%。" in sichuan


# ---- sections.no_sangong_sentence (and item 3 of issue 10) ----

SANGONG = (
    "  预算: {因公出国（境）费: 0, 公务用车购置费: 0, 公务用车运行维护费: 6.00, 公务接待费: 0}\n"
    "  决算: {因公出国（境）费: 0, 公务用车购置费: 0, 公务用车运行维护费: 5.09, 公务接待费: 0}\n"
)


@pytest.fixture
def no_sangong(tmp_path, sample_text, mutate) -> Path:
    """The sample without any 三公 budget or spending (last year's 三公 were zero too)."""
    path = tmp_path / "none.yaml"
    text_in = mutate(sample_text, SANGONG, SANGONG.replace("6.00", "0").replace("5.09", "0"))
    prior = re.search(r"  三公经费: \{[^}]*\}\n", text_in)
    if prior is not None:
        text_in = text_in.replace(prior.group(0), re.sub(r": [0-9.]+", ": 0", prior.group(0)))
    path.write_text(text_in, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("profile", "sentence", "zeros"),
    [
        ("wuhan", "2023 年度本部门无“三公”经费财政拨款支出。", "因公出国（境）费支出决算为 0万元。"),
        ("national-2024", "武汉市青山区融媒体中心 2023 年度无“三公”经费财政拨款支出。", "因公出国（境）费支出 0.00"),
        ("sichuan", "2023年度武汉市青山区融媒体中心无“三公”经费财政拨款支出。", "因公出国（境）经费支出0万元"),
    ],
)
def test_no_sangong_is_one_sentence_or_zeros_as_the_key_says(build, no_sangong, profile, sentence, zeros):
    default = load_profile(profile).config["sections"]["no_sangong_sentence"]
    assert default == (profile != "sichuan")  # 003 (Panzhihua, no 三公) still prints each item as 0
    for flag in (True, False):
        body = text(build(profile, f"sections: {{no_sangong_sentence: {str(flag).lower()}}}\n", no_sangong))
        assert (sentence in body) == flag and (zeros in body) == (not flag), (profile, flag)


def test_panzhihua_prints_the_zero_items_as_003_and_one_sentence_when_asked(build):
    assert "1.因公出国（境）经费支出0万元，预算为0万元。" in text(build("sichuan", data=PANZHIHUA))
    body = text(build("sichuan", "sections: {no_sangong_sentence: true}\n", PANZHIHUA))
    assert "2023年度攀枝花市东区融媒体中心无“三公”经费财政拨款支出。" in body and "因公出国（境）经费支出" not in body


@pytest.mark.parametrize(
    ("profile", "rate", "reason"),
    [
        ("wuhan", "完成预算的 0.00%", "决算数小于预算数的主要原因是本年未发生公务接待。"),
        (
            "national-2024",
            "公务接待费支出决算为 0.00 万元，完成预算的 0.00%",
            "3、公务接待费支出 0.00 万元。决算数小于预算数的主要原因：本年未发生公务接待。",
        ),
        ("sichuan", "公务接待费支出0万元，完成预算0%", "决算数小于预算数的主要原因是本年未发生公务接待。"),
    ],
)
def test_reception_budget_without_spending_keeps_rate_and_reason(
    build, tmp_path, sample_text, mutate, profile: str, rate: str, reason: str
) -> None:
    budget = SANGONG.replace("公务接待费: 0}\n  决算", "公务接待费: 2.00}\n  决算")
    text_in = mutate(sample_text, SANGONG, budget)
    text_in = mutate(text_in, "    公务用车运行维护费: 本单位节省了费用\n", "    公务接待费: 本年未发生公务接待\n")
    path = tmp_path / "unit.yaml"
    path.write_text(text_in, encoding="utf-8")
    body = text(build(profile, data=path))
    assert rate in body and reason in body


@pytest.mark.parametrize("profile", ["wuhan", "national-2024", "sichuan"])
def test_every_typed_sangong_reason_is_printed(build, tmp_path, sample_text, mutate, profile):
    """A reason typed for each item that differs from its budget (here: every item over or under) reaches the text."""
    budget = "  预算: {因公出国（境）费: 1.00, 公务用车购置费: 2.00, 公务用车运行维护费: 6.00, 公务接待费: 3.00}\n"
    actual = "  决算: {因公出国（境）费: 0.50, 公务用车购置费: 2.50, 公务用车运行维护费: 5.09, 公务接待费: 1.00}\n"
    text_in = mutate(sample_text, SANGONG, budget + actual)
    reasons = {
        "因公出国（境）费": "出访取消", "公务用车购置费": "车价上涨", "公务用车运行维护费": "本单位节省了费用",
        "公务接待费": "接待减少",
    }  # fmt: skip
    block = "".join(f"    {k}: {v}\n" for k, v in reasons.items())
    old = "    合计: 本单位节省了费用\n    公务用车运行维护费: 本单位节省了费用\n"
    assert text_in.count(old) == 1
    text_in = text_in.replace(old, "    合计: 厉行节约\n" + block)
    path = tmp_path / "unit.yaml"
    path.write_text(text_in, encoding="utf-8")
    body = text(build(profile, data=path))
    for item, why in reasons.items():
        assert why in body, (profile, item)


# ---- sections.figures and parts a layout lacks ----


def test_figures_key_drops_every_chart(build):
    assert any(isinstance(b, Figure) for b in build("wuhan", charts=True).blocks)
    for profile, data in (("wuhan", QINGSHAN), ("sichuan", PANZHIHUA)):
        doc = build(profile, "sections: {figures: false}\n", data, charts=True)
        assert not any(isinstance(b, Figure) for b in doc.blocks), profile
        assert not any("图" in b.text and b.text.startswith(("[图", "（图")) for b in doc.blocks
                       if isinstance(b, Paragraph)), profile  # fmt: skip


WUHAN_WITHOUT_PARTS = """\
sections: {figures: false}
outline:
  - heading: "第一部分 {{ u.名称 }}概况"
  - section: sections/01-概况.j2
  - heading: "第二部分 {{ u.名称 }} {{ u.年度 }}年度部门决算表"
  - table: "01"
  - table: "09"
  - heading: "第三部分 {{ u.名称 }} {{ u.年度 }}年度部门决算情况说明"
  - section: sections/03-01-收支总体.j2
  - section: sections/03-09-三公.j2
  - section: sections/03-13-绩效.j2
  - heading: "第四部分 名词解释"
  - section: sections/05-名词解释.j2
"""


def test_a_layout_without_key_work_performance_tables_and_figures_builds(build):
    doc = build("wuhan", WUHAN_WITHOUT_PARTS, charts=True)
    tables = [b.id for b in doc.blocks if isinstance(b, Table)]
    assert tables == ["公开01", "公开09"]  # no 重点工作 table, no 绩效自评表
    assert not any(isinstance(b, Figure) for b in doc.blocks)
    heads = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert heads[-1] == "第四部分 名词解释" and not any("重点工作" in h or "附件" in h for h in heads)
    assert "2023 年度收、支总计 537.12 万元。" in text(doc)
    assert render_docx(doc).startswith(b"PK")
    assert "第四部分 名词解释" in render_html(doc, load_profile("wuhan").env(autoescape=True))


# ---- validation: located Chinese messages ----


@pytest.mark.parametrize(
    ("yaml_text", "key", "line", "words"),
    [
        ("sections:\n  item_numbering: 第1\n", "sections.item_numbering", 2, "不是可用的编号格式"),
        ("sections:\n  item_numbering: 1.\n", "sections.item_numbering", 2, "应写在引号中"),
        ("sections:\n  list_zero_items: 是\n", "sections.list_zero_items", 2, "true 或 false"),
        ("sections:\n  item_completion: 1\n", "sections.item_completion", 2, "true 或 false"),
        ("sections:\n  total_pair: 合计\n", "sections.total_pair", 2, "不是可用的收支对"),
        ("sections:\n  total_change: true\n  figure: false\n", "sections.figure", 3, "不认识的键"),
        ("sections: 全部\n", "sections", 1, "映射"),
    ],
)
def test_a_wrong_sections_value_is_located(tmp_path, yaml_text, key, line, words):
    with pytest.raises(UsageError) as info:
        load_profile("wuhan", overlay(tmp_path, yaml_text))
    message = str(info.value)
    assert re.search(rf"profile\.yaml:{line}:\d+: ", message) and key in message and words in message, message


# ---- two-decimal percentages (issue 10, "Done when") ----


def test_sichuan_panzhihua_shares_carry_two_decimals(build):
    """Sichuan prints shares to two places (trailing zeros dropped as 003 does: 29.7%, 100%); with the zeros kept,
    every percentage in the text has exactly two decimals."""
    body = text(build("sichuan", data=PANZHIHUA))
    percents = re.findall(r"\d+(?:\.\d+)?%", body)
    assert percents and all(re.fullmatch(r"\d+(\.\d{1,2})?%", p) for p in percents)
    assert "占91.11%" in body and "占4.56%" in body and "增长95.46%" in body
    full = text(build("sichuan", "numbers: {percent_strip_zeros: false}\n", PANZHIHUA))
    shares = re.findall(r"[占长降成算的](\d+(?:\.\d+)?%)", full)
    assert shares and all(re.fullmatch(r"\d+\.\d\d%", p) for p in shares), shares


def test_national_2024_percentages_carry_two_decimals_with_every_comparison(build):
    doc = build("national-2024", "sections: {income_expense_change: true, item_completion: true}\n")
    percents = re.findall(r"[\d.]+%", text(doc))
    assert len(percents) > 20 and all(re.fullmatch(r"\d+\.\d\d%", p) for p in percents), percents


def test_no_builtin_section_hard_codes_an_item_number():
    """Every Arabic enumeration goes through 编号()/子编号() (sections.item_numbering), none is typed."""
    from yujuesuan.resources import templates_root

    typed = re.compile(
        r"loop\.index \}\}[.、．]|^\s*[0-9]+[.、．]|（\{\{ loop\.index \}\}）|^\s*（[0-9]+）", re.MULTILINE
    )
    for path in templates_root().glob("*/sections/*.j2"):
        assert not typed.search(path.read_text(encoding="utf-8")), path
