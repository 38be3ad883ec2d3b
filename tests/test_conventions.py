"""Every convention is a profile.yaml key: each one flipped from an overlay changes the output, bad values are refused,
and docs/TEMPLATES.md lists each key with its value in every built-in profile."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from yujuesuan import pipeline
from yujuesuan.compose import compose
from yujuesuan.compose.document import Document, Paragraph, Table
from yujuesuan.compose.numbers import NumberFormat
from yujuesuan.derive.values import Change, Completion
from yujuesuan.errors import UsageError
from yujuesuan.kinds.juesuan.context import helpers
from yujuesuan.profiles import load_profile
from yujuesuan.profiles.conventions import (
    NUMBER_KEYS,
    SECTION_KEYS,
    TABLE_FALLBACK,
    TABLE_KEYS,
    TOP_KEYS,
    section_settings,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "qingshan-2023.yaml"
DOC = ROOT / "docs" / "TEMPLATES.md"
PROFILES = ("wuhan", "national-2024", "sichuan")


def overlay(folder: Path, yaml_text: str) -> Path:
    """A district folder holding only profile.yaml."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "profile.yaml").write_text(yaml_text, encoding="utf-8")
    return folder


@pytest.fixture
def build(sample_checked, tmp_path):
    """build(yaml, profile="wuhan"): the sample composed with an overlay holding only that profile.yaml."""

    def run(yaml_text: str, profile: str = "wuhan") -> Document:
        prof = load_profile(profile, overlay(tmp_path / "d", yaml_text))
        figures = sample_checked.figures
        if prof.layout_year is not None or prof.config.get("requires"):
            figures = pipeline.check(SAMPLE, profile=prof).figures
        return compose(figures, prof)

    return run


def table(doc: Document, table_id: str) -> Table:
    (found,) = [b for b in doc.blocks if isinstance(b, Table) and b.id == f"公开{table_id}"]
    return found


def cells(t: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in (*t.header, *t.body)]


def row(t: Table, first: str) -> list[str]:
    (found,) = [[c.text for c in r] for r in t.body if r and r[0].text == first]
    return found


def text(doc: Document) -> str:
    return "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph))


@pytest.fixture(scope="module")
def plain(sample_checked) -> Document:
    return compose(sample_checked.figures, load_profile("wuhan"))


# ---- numbers ----


def test_amount_places(build, plain):
    assert row(table(plain, "05"), "合计")[1:] == ["537.12", "409.63", "127.49"]
    assert row(table(build("numbers: {amount_places: 1}\n"), "05"), "合计")[1:] == ["537.1", "409.6", "127.5"]


def test_strip_zeros(build, plain):
    assert row(table(plain, "05"), "201")[2:] == ["437.68", "313.28", "124.4"]
    assert row(table(build("numbers: {strip_zeros: false}\n"), "05"), "201")[2:] == ["437.68", "313.28", "124.40"]


def test_share_places(build, plain):
    assert "基本支出 409.63 万元，占本年支出 76.3%" in text(plain)
    assert "基本支出 409.63 万元，占本年支出 76.26%" in text(build("numbers: {share_places: 2}\n"))


def test_class_share_places(build, plain):
    assert "一般公共服务支出 437.68 万元，占 81.49%" in text(plain)
    assert "一般公共服务支出 437.68 万元，占 81.5%" in text(build("numbers: {class_share_places: 1}\n"))


def test_change_places(build, plain):
    assert "增加 41.81 万元，增长 8.44%" in text(plain)
    changed = text(build("numbers: {change_places: 1}\n"))
    assert "增加 41.81 万元，增长 8.4%" in changed and "增长 8.44%" not in changed


def test_completion_places(build, plain):
    assert "完成年初预算的 102.69%" in text(plain)
    assert "完成年初预算的 102.7%" in text(build("numbers: {completion_places: 1}\n"))


def test_percent_strip_zeros(build, plain):
    assert "占本年收入 100.0%" in text(plain)
    assert "占本年收入 100%" in text(build("numbers: {percent_strip_zeros: true}\n"))


def test_score_places(tmp_path):
    fmt = NumberFormat.from_profile("万元", load_profile("wuhan").config["numbers"])
    assert fmt.score(Decimal("6.25")) == "6.3"
    prof = load_profile("wuhan", overlay(tmp_path, "numbers: {score_places: 2}\n"))
    assert helpers(NumberFormat.from_profile("万元", prof.config["numbers"]))["得分"](Decimal("6.25")) == "6.25"


@pytest.fixture
def big(tmp_path, mutate, sample_text):
    """The sample with the 2013350 一般公共预算 income ten times larger (4376.8 万元), checked."""
    path = tmp_path / "big.yaml"
    income = "收入: {一般公共预算财政拨款: 437.68}"
    path.write_text(mutate(sample_text, income, income.replace("437.68", "4376.80")))
    checked = pipeline.check(path)
    assert checked.figures is not None
    return checked.figures


def test_thousands_in_tables(big, tmp_path):
    plain = compose(big, load_profile("wuhan"))
    assert row(table(plain, "02"), "2013350")[2] == "4376.8"
    doc = compose(big, load_profile("wuhan", overlay(tmp_path / "d", "numbers: {thousands_in_tables: true}\n")))
    assert row(table(doc, "02"), "2013350")[2] == "4,376.8"
    assert "4,476.24" not in text(doc) and "4476.24" in text(doc)  # the narrative keeps its own setting


def test_thousands_in_text(big, tmp_path):
    doc = compose(big, load_profile("wuhan", overlay(tmp_path / "d", "numbers: {thousands_in_text: true}\n")))
    assert "收入合计 4,476.24 万元" in text(doc)
    assert row(table(doc, "02"), "2013350")[2] == "4376.8"


def test_table_zero(build, plain):
    assert row(table(plain, "05"), "208")[2:] == ["21.35", "21.35", ""]
    assert row(table(build('numbers: {table_zero: "0.00"}\n'), "05"), "208")[2:] == ["21.35", "21.35", "0.00"]
    dash = table(build('numbers: {table_zero: "-"}\n'), "05")
    (cell,) = [r[4] for r in dash.body if r[0].text == "208"]
    assert cell.text == "-" and cell.align == "center"


def test_text_zero(build, plain):
    assert "机关运行经费支出 0万元" in text(plain)
    assert "机关运行经费支出 0.00万元" in text(build('numbers: {text_zero: "0.00"}\n'))


def test_space_around_figures(build, plain):
    assert "2023 年度收入合计 537.12 万元。" in text(plain)
    tight = text(build("numbers: {space_around_figures: false}\n"))
    assert "2023年度收入合计537.12万元。" in tight and "占本年支出76.3%" in tight
    spaced = text(build("numbers: {space_around_figures: true}\n", "sichuan"))
    assert "2023 年度收、支总计均为 537.12 万元" in spaced


def test_flat_wording(tmp_path):
    prof = load_profile("wuhan", overlay(tmp_path, "numbers: {flat_wording: 基本持平}\n"))
    fmt = NumberFormat.from_profile("万元", prof.config["numbers"])
    h = helpers(fmt)
    assert h["变动"](Change(Decimal("5.001"), Decimal("5"))) == "基本持平"  # displays as 0.00: flat, never 增加 0 万元
    assert h["持平"](Change(Decimal("5.001"), Decimal("5")))
    assert h["变动"](Change(Decimal("6"), Decimal("5"))) == "增加 1 万元，增长 20.00%"


def test_zero_base_wording(tmp_path):
    default = helpers(NumberFormat.from_profile("万元", load_profile("wuhan").config["numbers"]))
    assert default["变动"](Change(Decimal("6"), Decimal("0"))) == "增加 6 万元（上年为零，为新增）"
    prof = load_profile("wuhan", overlay(tmp_path, 'numbers: {zero_base_wording: "，增长--（基数为0，不可比）"}\n'))
    h = helpers(NumberFormat.from_profile("万元", prof.config["numbers"]))
    assert h["变动"](Change(Decimal("6"), Decimal("0"))) == "增加 6 万元，增长--（基数为0，不可比）"


def test_zero_budget_wording(tmp_path):
    prof = load_profile("wuhan", overlay(tmp_path, "numbers: {zero_budget_wording: 年初预算未安排}\n"))
    h = helpers(NumberFormat.from_profile("万元", prof.config["numbers"]))
    assert h["完成"](Completion(Decimal("3"), None)) == "年初预算未安排"


# ---- tables ----


def test_title_number_notes(build):
    doc = build('tables: {"05": {title: 新表名, number: 表五, notes: [注：新注。]}}\n')
    t = table(doc, "05")
    assert (t.title, t.number, t.notes) == ("新表名", "表五", ("注：新注。",))


def test_empty_sentence(build):
    assert table(build('tables: {"07": {empty_sentence: 本表无数。}}\n'), "07").empty_sentence == "本表无数。"


def test_landscape_and_font_size(build, plain):
    assert not table(plain, "05").landscape
    t = table(build('tables: {"05": {landscape: true, font_size: 10}}\n'), "05")
    assert t.landscape and t.font_size_pt == 10


def test_unit_line_and_dept_line(build, plain):
    t = table(plain, "03")
    assert (t.unit_left, t.unit_right) == ("部门：武汉市青山区融媒体中心", "金额单位：万元")
    t = table(build("table_defaults: {unit_line: 单位：万元, dept_line: false}\n"), "03")
    assert (t.unit_left, t.unit_right) == ("", "单位：万元")


def test_column_numbers(build, plain):
    assert any(r[0] == "栏次" for r in cells(table(plain, "03")))
    doc = build("table_defaults: {column_numbers: false}\n")
    assert not any(r[0] == "栏次" for r in cells(table(doc, "03")))
    assert [c.text for c in table(doc, "01").header[-1]] == ["项目", "决算数", "项目", "决算数"]  # no 行次
    assert not any(all(c.text.isdigit() for c in r) for r in table(doc, "09").header)


def test_code_columns(build, plain):
    assert row(table(plain, "02"), "2013350")[:2] == ["2013350", "事业运行"]
    t = table(build("table_defaults: {code_columns: 3}\n"), "02")
    assert [c.text for c in t.body[1]][:4] == ["201", "", "", "一般公共服务支出"]
    (leaf,) = [[c.text for c in r] for r in t.body if r[2].text == "50"]
    assert leaf[:4] == ["201", "33", "50", "事业运行"]
    assert row(t, "合计")[:2] == ["合计", "537.12"] and t.body[0][0].colspan == 4
    assert len(t.widths) == 3 + 1 + 7


def test_code_levels(build, plain):
    for table_id in ("02", "03", "05", "07", "08"):
        header = [[c.text for c in r] for r in table(plain, table_id).header]
        assert ["类", "款", "项"] in header, table_id
        assert any("功能分类\n科目编码" in r for r in header)  # two lines: never "编/码"
    header = [[c.text for c in r] for r in table(build("table_defaults: {code_levels: false}\n"), "05").header]
    assert ["类", "款", "项"] not in header


def test_total_position(build, plain):
    assert table(plain, "05").body[0][0].text == "合计"
    t = table(build('tables: {"05": {total_position: bottom}}\n'), "05")
    assert t.body[-1][0].text == "合计" and t.body[0][0].text == "201"
    assert table(build('tables: {"05": {total_position: bottom}}\n'), "03").body[0][0].text == "合计"


def test_zero_per_table_and_column_group(build, plain):
    doc = build('tables: {"06": {zero: "0.00"}, "09": {zero: {决算: "0.00"}}}\n')
    assert row(table(doc, "06"), "30103")[:3] == ["30103", "奖金", "0.00"]
    sangong = [c.text for c in table(doc, "09").body[0]]
    assert sangong[:6] == ["6", "", "6", "", "6", ""]  # 预算数: still blank
    assert sangong[6:] == ["5.09", "0.00", "5.09", "0.00", "5.09", "0.00"]  # 决算数: 0.00
    assert row(table(doc, "05"), "208")[4] == ""  # other tables untouched


def test_new_page(build, plain):
    assert not any(b.page_break_before for b in plain.blocks if isinstance(b, Table))
    doc = build("table_defaults: {new_page: true}\n")
    tables = [b for b in doc.blocks if isinstance(b, Table) and b.id.startswith("公开")]
    assert not tables[0].page_break_before  # right under the part heading
    assert all(t.page_break_before for t in tables[1:])


def test_econ_blocks(build, plain):
    assert len(table(plain, "06").widths) == 9
    t = table(build("table_defaults: {econ_blocks: 2}\n"), "06")
    assert [c.text for c in t.body[-1]] == ["人员经费合计", "392.04", "公用经费合计", "17.59"]
    assert len(t.widths) == 6


def test_sangong_layout(build, plain):
    assert [c.text for c in table(plain, "09").header[0]] == ["预算数", "决算数"]
    t = table(build("table_defaults: {sangong_layout: paired}\n"), "09")
    assert [c.text for c in t.header[-1]] == ["预算数", "决算数"] * 6
    assert [c.text for c in t.body[0]][:2] == ["6", "5.09"]


def test_header_text(build):
    t = table(build('tables: {"05": {header_text: {小计: 合计}}}\n'), "05")
    assert "合计" in [c.text for r in t.header for c in r] and "小计" not in [c.text for r in t.header for c in r]


def test_classes_year(build, plain):
    def classes(doc: Document) -> int:
        return sum(1 for r in table(doc, "01").body if re.match(r"^[一二三四五六七八九十]+、.*支出$", r[3].text))

    assert classes(plain) == 26
    assert classes(build("classes_year: 2024\n")) == 24


def test_econ_year(build, plain):
    codes = [r[6].text for r in table(plain, "06").body if len(r) == 9]
    assert "31001" not in codes and "31019" not in codes
    t = table(build("econ_year: 2024\n"), "06")
    codes = [r[6].text for r in t.body if len(r) == 9]
    assert "31001" in codes and "31019" in codes
    assert row(t, "301")[:3] == ["301", "工资福利支出", "360.82"]  # figures unchanged


def test_outline_lists_tables_and_their_order(build):
    doc = build('outline: [{table: "09"}, {table: "01"}]\n')
    assert [b.id for b in doc.blocks if isinstance(b, Table)] == ["公开09", "公开01"]


# ---- validation ----


@pytest.mark.parametrize(
    ("yaml_text", "key"),
    [
        ("numbers: {share_places: 两位}\n", "numbers.share_places"),
        ("numbers: {thousands_in_tables: 1}\n", "numbers.thousands_in_tables"),
        ("numbers: {table_zero: 0}\n", "numbers.table_zero"),
        ("numbers: {share_place: 2}\n", "numbers.share_place"),
        ("table_defaults: {code_columns: 2}\n", "table_defaults.code_columns"),
        ("table_defaults: {total_position: 下}\n", "table_defaults.total_position"),
        ('tables: {"05": {new_page: 是}}\n', 'tables.05.new_page'),
        ('tables: {"09": {zero: [1]}}\n', "tables.09.zero"),
        ("econ_year: 二〇二四\n", "econ_year"),
    ],
)
def test_a_wrong_value_names_the_file_and_the_key(tmp_path, yaml_text, key):
    with pytest.raises(UsageError) as info:
        load_profile("wuhan", overlay(tmp_path, yaml_text))
    message = str(info.value)
    # "…/profile.yaml：key …", or located as "…/profile.yaml:1:25: [profile] 错误：key: …" (profile_schema)
    assert re.search(r"profile\.yaml(：|:\d+:\d+: )", message) and key in message, message


# ---- docs/TEMPLATES.md ----


def show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if value == "":
        return '""'
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return str(value)


def documented() -> dict[str, list[str]]:
    body = DOC.read_text(encoding="utf-8").split("\n## 数字和表格的格式\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in body.splitlines():
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cols) == 5:
            rows[cols[0].strip("`")] = [c.strip("`") for c in cols[2:]]
    return rows


def actual(key: str, config: dict) -> str:
    if key.startswith("numbers."):
        return show(config["numbers"].get(key.split(".", 1)[1]))
    if key.startswith("table_defaults."):
        return show({**TABLE_FALLBACK, **config.get("table_defaults", {})}[key.split(".", 1)[1]])
    if key.startswith("tables."):
        return "各表不同"
    if key.startswith("sections."):
        return show(section_settings(config)[key.split(".", 1)[1]])
    return show(config.get(key))


def test_doc_lists_every_key_with_its_value_in_each_profile():
    rows = documented()
    expected = {f"numbers.{k}" for k in NUMBER_KEYS} | set(TOP_KEYS) | {f"sections.{k}" for k in SECTION_KEYS}
    expected |= {f"table_defaults.{k}" if k in TABLE_FALLBACK else f"tables.<表>.{k}" for k in TABLE_KEYS}
    assert set(rows) == expected
    configs = [load_profile(p).config for p in PROFILES]
    for key, values in rows.items():
        assert values == [actual(key, c) for c in configs], key


def test_builtin_profiles_set_every_number_key():
    """No number or section convention is left to a Python default: wuhan states them all, the others inherit."""
    assert set(load_profile("wuhan").config["numbers"]) == set(NUMBER_KEYS)
    assert set(load_profile("wuhan").config["sections"]) == set(SECTION_KEYS)


def test_no_builtin_template_hard_codes_a_precision():
    from yujuesuan.resources import templates_root

    for path in templates_root().glob("*/sections/*.j2"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"(百分比简?|占)\([^()]*,\s*\d+\s*\)", source), path
        assert "round(" not in source and "format(" not in source, path


# ---- examples/: other districts' conventions from profile.yaml alone ----


def test_example_three_code_columns(sample_checked):
    doc = compose(sample_checked.figures, load_profile("wuhan", ROOT / "examples" / "three-code-columns"))
    t02 = table(doc, "02")
    assert [c.text for c in t02.body[1]][:5] == ["201", "", "", "一般公共服务支出", "437.68"]
    assert table(doc, "05").body[-1][0].text == "合计"
    assert row(table(doc, "06"), "30103")[2] == "0.00"
    assert [c.text for c in table(doc, "09").body[0]][:2] == ["6.00", "0.00"]
    (social,) = [[c.text for c in r] for r in table(doc, "05").body if r[3].text == "社会保障和就业支出"]
    assert social[-1] == ""  # zeros stay blank outside 06 and 09
    assert "基本支出 409.63 万元，占本年支出 76.26%" in text(doc)


def test_example_compact_text():
    prof = load_profile("national-2024", ROOT / "examples" / "compact-text")
    checked = pipeline.check(SAMPLE, profile=prof)
    doc = compose(checked.figures, prof)
    body = text(doc)
    assert "收入支出总计537.12万元" in body and "537.12 万元" not in body
    assert "因公出国（境）费决算为0.00万元" in body
    t = table(doc, "05")
    assert (t.unit_left, t.unit_right) == ("部门：武汉市青山区融媒体中心", "金额单位：万元")
    assert row(t, "208")[-1] == "-"
    assert not any(b.page_break_before for b in doc.blocks if isinstance(b, Table))
    assert [c.text for c in table(doc, "09").header[0]] == ["预算数", "决算数"]


# ---- national-2024 follows the 2024 template's tables ----


def test_national_2024_tables_follow_the_template():
    prof = load_profile("national-2024")
    doc = compose(pipeline.check(SAMPLE, profile=prof).figures, prof)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert [t.id for t in tables] == [f"公开{n}" for n in ("01", "02", "03", "04", "05", "06", "09", "07", "08收支")]
    assert [t.page_break_before for t in tables] == [False] + [True] * 8  # the first sits under the part title
    assert {(t.number, t.unit_left, t.unit_right) for t in tables} == {("", "", "单位：万元")}
    for t in tables:
        assert not any(r[0].text == "栏次" or all(c.text.isdigit() for c in r) for r in t.header), t.id
        assert ["类", "款", "项"] not in [[c.text for c in r] for r in t.header], t.id
    by_id = {t.id: t for t in tables}
    assert by_id["公开02"].body[0][0].text == "合计" and by_id["公开05"].body[-1][0].text == "合计"
    assert [c.text for c in by_id["公开05"].header[1]][2:] == ["合计", "基本支出", "项目支出"]
    codes = [r[3].text for r in by_id["公开06"].body if len(r) == 6]
    assert {"31001", "31019", "31099"} <= set(codes)
    assert [c.text for c in by_id["公开09"].header[-1]] == ["预算数", "决算数"] * 6
    assert all(re.fullmatch(r"\d+\.\d\d%", p) for p in re.findall(r"[\d.]+%", text(doc)))


# ---- 三公: no spending at all is one sentence; a budget without spending keeps its rate and reason ----

SANGONG = (
    "  预算: {因公出国（境）费: 0, 公务用车购置费: 0, 公务用车运行维护费: 6.00, 公务接待费: 0}\n"
    "  决算: {因公出国（境）费: 0, 公务用车购置费: 0, 公务用车运行维护费: 5.09, 公务接待费: 0}\n"
)


def _sangong_doc(tmp_path: Path, sample_text: str, mutate, new: str, profile: str) -> str:
    path = tmp_path / "unit.yaml"
    path.write_text(mutate(sample_text, SANGONG, new), encoding="utf-8")
    prof = load_profile(profile)
    checked = pipeline.check(path, profile=prof)
    return text(compose(checked.figures, prof))


def test_no_sangong_at_all_is_one_sentence_in_wuhan(tmp_path, sample_text, mutate):
    none = SANGONG.replace("6.00", "0").replace("5.09", "0")
    body = _sangong_doc(tmp_path, sample_text, mutate, none, "wuhan")
    assert "2023 年度本部门无“三公”经费财政拨款支出。" in body  # as wuhan words its other 本部门无 sentences
    assert "因公出国（境）费支出决算为" not in body


@pytest.mark.parametrize("profile", ["wuhan", "sichuan"])
def test_reception_with_a_budget_and_no_spending_keeps_rate_and_reason(tmp_path, sample_text, mutate, profile):
    budget = SANGONG.replace("公务接待费: 0}\n  决算", "公务接待费: 2.00}\n  决算")
    path = tmp_path / "unit.yaml"
    text_in = mutate(sample_text, SANGONG, budget)
    text_in = mutate(text_in, "    公务用车运行维护费: 本单位节省了费用\n", "    公务接待费: 本年未发生公务接待\n")
    path.write_text(text_in, encoding="utf-8")
    prof = load_profile(profile)
    checked = pipeline.check(path, profile=prof)
    body = text(compose(checked.figures, prof))
    assert "本年未发生公务接待" in body
    assert ("完成预算的 0.00%" if profile == "wuhan" else "完成预算0%") in body


# ---- sichuan: two-decimal shares and rates, trailing zeros as the profile says ----

PANZHIHUA = ROOT / "sample_data" / "panzhihua-dongqu-2023.yaml"


def test_sichuan_prints_two_decimal_shares_and_the_strip_key_reaches_its_templates(tmp_path):
    prof = load_profile("sichuan")
    figures = pipeline.check(PANZHIHUA, profile=prof).figures
    body = text(compose(figures, prof))
    assert "一般公共服务支出315.67万元，占91.11%" in body and "占29.7%" in body and "占100%" in body
    full = load_profile("sichuan", overlay(tmp_path, "numbers: {percent_strip_zeros: false}\n"))
    body = text(compose(figures, full))
    assert "占29.70%" in body and "占100.00%" in body and "增长95.46%" in body and "占0.00%" in body
