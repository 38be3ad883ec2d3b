"""The Sichuan profile (templates/sichuan): the layout of reference 003, 攀枝花市东区融媒体中心 2023.

Builds in-process: pipeline.check with the profile's ``requires``, compose with
load_profile("sichuan"), render_docx. The sample sample_data/panzhihua-dongqu-2023.yaml
is typed from 003 with its contradictions resolved (see the comments at its top);
the last tests feed 003's figures as printed back in, as 核对数, and check that
the audit names the contradictions.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest

from samples import panzhihua_without_project_econ
from yujuesuan import pipeline
from yujuesuan.compose import compose
from yujuesuan.compose.document import Document, Figure, Heading, Paragraph, Table
from yujuesuan.errors import Severity
from yujuesuan.profiles import Profile, load_profile
from yujuesuan.render.docx import render_docx

ROOT = Path(__file__).resolve().parents[1]
PANZHIHUA = ROOT / "sample_data" / "panzhihua-dongqu-2023.yaml"
QINGSHAN = ROOT / "sample_data" / "qingshan-2023.yaml"
ERROR, WARNING = Severity.ERROR, Severity.WARNING

# 003's list of 附表 (第五部分), in order.
TABLE_TITLES = [
    "收入支出决算总表",
    "收入决算表",
    "支出决算表",
    "财政拨款收入支出决算总表",
    "财政拨款支出决算明细表",
    "一般公共预算财政拨款支出决算表",
    "一般公共预算财政拨款支出决算明细表",
    "一般公共预算财政拨款基本支出决算表",
    "一般公共预算财政拨款项目支出决算表",
    "政府性基金预算财政拨款收入支出决算表",
    "国有资本经营预算财政拨款收入支出决算表",
    "国有资本经营预算财政拨款支出决算表",
    "财政拨款“三公”经费支出决算表",
]


def sichuan() -> Profile:
    return load_profile("sichuan")


def check(path: Path) -> pipeline.Checked:
    profile = sichuan()
    return pipeline.check(path, profile.layout_year, profile.config["requires"])


@lru_cache(maxsize=4)
def built(path: Path) -> tuple[pipeline.Checked, Document]:
    checked = check(path)
    assert checked.figures is not None, [f.format() for f in checked.findings]
    return checked, compose(checked.figures, sichuan())


def text_of(path: Path) -> str:
    return built(path)[1].text()


def warnings(checked: pipeline.Checked) -> list:
    return [f for f in checked.findings if f.severity is WARNING]


def line_of(text: str, needle: str) -> int:
    assert text.count(needle) == 1, needle
    return text[: text.index(needle)].count("\n") + 1


def write(tmp_path: Path, text: str, name: str = "unit.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# The sample typed from 003
# ---------------------------------------------------------------------------


def test_sample_checks_clean() -> None:
    """Without a profile: no error, no warning (003 prints no 咨询电话; a warning about that is allowed)."""
    result = pipeline.check(PANZHIHUA)
    assert result.ok, [f.format() for f in result.findings]
    assert [f.format() for f in result.findings if f.path != "单位.咨询电话"] == []


def test_sample_under_sichuan_lacks_no_fact() -> None:
    """The sample as shipped (with its illustrative 项目支出经济分类) has every fact the layout prints."""
    checked = check(PANZHIHUA)
    assert not checked.errors, [f.format() for f in checked.errors]
    missing = [f for f in checked.findings if f.rule == "missing-fact" and f.path != "单位.咨询电话"]
    assert missing == [], [f.format() for f in missing]
    assert "【未填报" not in compose(checked.figures, sichuan()).text()


def test_sample_without_its_project_econ_split_lacks_only_it(tmp_path: Path) -> None:
    """003 does not print its 附表: without the sample's illustrative split, one located warning."""
    text = panzhihua_without_project_econ()
    checked = check(write(tmp_path, text))
    assert not checked.errors, [f.format() for f in checked.errors]
    missing = [f for f in checked.findings if f.rule == "missing-fact" and f.path != "单位.咨询电话"]
    assert [f.path for f in missing] == ["项目支出经济分类"], [f.format() for f in missing]
    assert missing[0].location.line == line_of(text, '  "30101": 20.09')  # the 经济分类 block it belongs beside


def test_order_of_parts_and_sections() -> None:
    doc = built(PANZHIHUA)[1]
    heads = [(b.level, b.text) for b in doc.blocks if isinstance(b, Heading) and b.level <= 2]
    parts = [t for level, t in heads if level == 1]
    assert parts == ["第一部分 部门概况", "第二部分 2023年度部门决算情况说明", "第三部分 名词解释", "第四部分 附件",
                     "第五部分 附表"]  # fmt: skip
    sections = [t for level, t in heads if level == 2 and not t.startswith("附件")]
    assert sections == [
        "一、部门职责",
        "二、机构设置",
        "一、收入支出决算总体情况说明",
        "二、收入决算情况说明",
        "三、支出决算情况说明",
        "四、财政拨款收入支出决算总体情况说明",
        "五、一般公共预算财政拨款支出决算情况说明",
        "六、一般公共预算财政拨款基本支出决算情况说明",
        "七、财政拨款“三公”经费支出决算情况说明",
        "八、政府性基金预算支出决算情况说明",
        "九、国有资本经营预算支出决算情况说明",
        "十、其他重要事项的情况说明",
    ]
    subs = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 3]
    for sub in ("（一）机关运行经费支出情况", "（二）政府采购支出情况", "（三）国有资产占有使用情况",
                "（四）预算绩效管理情况"):  # fmt: skip
        assert sub in subs
    text = doc.text()
    assert "下属二级预算单位0个，其中行政单位0个，参照公务员法管理的事业单位0个，其他事业单位0个。" in text
    assert "二级预算单位包括：无" in text


def test_enumerations_list_every_entry_with_zeros() -> None:
    text = text_of(PANZHIHUA)
    # 二: every income source.
    assert (
        "本年收入合计346.47万元，其中：一般公共预算财政拨款收入346.47万元，占100%；政府性基金预算财政拨款收入0万元，"
        "占0%；国有资本经营预算财政拨款收入0万元，占0%；上级补助收入0万元，占0%；事业收入0万元，占0%；经营收入0万元，"
        "占0%；附属单位上缴收入0万元，占0%；其他收入0万元，占0%。"
    ) in text
    # 三: every spending type.
    assert (
        "本年支出合计346.47万元，其中：基本支出102.91万元，占29.7%；项目支出243.56万元，占70.3%；上缴上级支出0万元，"
        "占0%；经营支出0万元，占0%；对附属单位补助支出0万元，占0%。"
    ) in text
    # 五（二）: all 26 classes of 2023, zeros included.
    structure = next(line for line in text.splitlines() if "主要用于以下方面" in line)
    assert structure.count("万元，占") == 26
    for part in (
        "一般公共服务支出315.67万元，占91.11%",
        "外交支出0万元，占0%",
        "社会保障和就业支出15.8万元，占4.56%",
        "卫生健康支出7.59万元，占2.19%",
        "住房保障支出7.41万元，占2.14%",
        "抗疫特别国债安排的支出0万元，占0%。",
    ):
        assert part in structure
    # 五（三）: one line per 项, with 完成预算.
    assert "2.一般公共服务支出（类）宣传事务（款）其他宣传事务支出（项）：支出决算为243.56万元，完成预算100%。" in text
    assert "一般公共预算支出决算数为346.47万元，完成预算100%。" in text
    # 六: every 经济分类 item, zeros included.
    assert "人员经费97.79万元，主要包括：基本工资20.09万元、津贴补贴2.92万元、奖金22.06万元、伙食补助费0万元" in text
    assert "其他对个人和家庭的补助0万元。" in text
    assert "公用经费5.12万元，主要包括：办公费1.36万元、印刷费0万元" in text
    assert "税金及附加费用0万元" in text and "基础设施建设0万元、其他资本性支出0万元等。" in text
    assert "163.62" not in text  # 003's second, wrong 人员经费


def test_sangong_all_zero_and_other_matters() -> None:
    text = text_of(PANZHIHUA)
    assert "“三公”经费财政拨款支出决算为0万元，预算为0万元，与上年度持平。决算数与预算数持平。" in text
    assert "因公出国（境）费支出决算0万元，占0%；公务用车购置及运行维护费支出决算0万元，占0%；" in text
    assert "全年安排因公出国（境）团组0次，出国（境）0人。" in text
    assert "其中：轿车0辆、金额0万元，越野车0辆、金额0万元，载客汽车0辆、金额0万元。" in text
    assert "国内公务接待0批次，0人次（不包括陪同人员），共计支出0万元。" in text
    assert "2023年度政府性基金预算财政拨款支出0万元。" in text
    assert "2023年度国有资本经营预算财政拨款支出0万元。" in text
    assert "机关运行经费支出0万元，与2022年持平。" in text
    assert "授予小微企业合同金额0万元，占政府采购支出总额的0%。" in text
    assert "其中：主要领导干部用车0辆、机要通信用车0辆、应急保障用车0辆、其他用车0辆。" in text
    assert "等2个项目开展了预算事前绩效评估" in text
    assert "绩效自评得分为89分，绩效自评综述：我单位较好地完成了绩效目标任务" in text


def test_figures_1_to_7() -> None:
    """图1–图6 are drawn; 图7 (三公 structure) is all zero, so it is left out with a note, not a crash."""
    doc = built(PANZHIHUA)[1]
    captions = [b.caption for b in doc.blocks if isinstance(b, Figure)]
    assert captions == [
        "图1：收、支决算总计变动情况",
        "图2：收入决算结构",
        "图3：支出决算结构",
        "图4：财政拨款收、支决算总计变动情况",
        "图5：一般公共预算财政拨款支出决算变动情况",
        "图6：一般公共预算财政拨款支出决算结构",
    ]
    notes = [b.text for b in doc.blocks if isinstance(b, Paragraph) and b.text.startswith("（图7")]
    assert notes == ["（图7：“三公”经费财政拨款支出结构：本年无数据，不列图。）"]
    assert all(b.png.startswith(b"\x89PNG") for b in doc.blocks if isinstance(b, Figure))


def test_qingshan_draws_figure_7() -> None:
    """Qingshan has 5.09 of 公务用车运行维护费: 图7 is drawn."""
    doc = built(QINGSHAN)[1]
    assert "图7：“三公”经费财政拨款支出结构" in [b.caption for b in doc.blocks if isinstance(b, Figure)]


def test_the_13_tables() -> None:
    doc = built(PANZHIHUA)[1]
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert [t.title for t in tables] == TABLE_TITLES
    assert [t.number for t in tables] == [f"公开{i:02d}表" for i in range(1, 14)]
    by_title = {t.title: t for t in tables}
    # 一般公共预算财政拨款支出决算明细表: 基本支出 split into 人员经费 97.79 and 公用经费 5.12.
    detail = by_title["一般公共预算财政拨款支出决算明细表"]
    total = [c.text for c in next(r for r in detail.body if r[0].text == "合计")]
    assert total == ["合计", "346.47", "102.91", "97.79", "5.12", "243.56"]
    # Empty fund tables keep their header and say so.
    for title in TABLE_TITLES[9:12]:
        assert by_title[title].empty_sentence.startswith("本部门本年度无")


def test_figures_of_003_that_survive() -> None:
    text = text_of(PANZHIHUA)
    for figure in ("346.47", "169.21", "95.46%", "102.91", "243.56", "29.7%", "70.3%", "97.79", "5.12", "89分"):
        assert figure in text, figure
    assert "收、支总计均为346.47万元。与2022年度相比，收、支总计各增加169.21万元，增长95.46%。" in text
    assert "主要变动原因是本单位在2022年新独立部门，只有基本支出资金。" in text


def test_docx_has_the_sichuan_text() -> None:
    doc = built(PANZHIHUA)[1]
    data = render_docx(doc, sichuan().find("reference.docx"))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    plain = re.sub(r"<[^>]+>", "", xml)
    for sentence in ("外交支出0万元，占0%", "第五部分 附表", "一般公共预算财政拨款项目支出决算表", "增长95.46%"):
        assert sentence in plain, sentence


# ---------------------------------------------------------------------------
# Facts the profile needs and a file lacks: warnings and placeholders
# ---------------------------------------------------------------------------


def test_qingshan_missing_facts_warn_and_show_placeholders() -> None:
    checked, doc = built(QINGSHAN)
    assert not checked.errors
    missing = {f.path: f for f in warnings(checked) if f.rule == "missing-fact" and f.path != "单位.咨询电话"}
    assert set(missing) == {"项目支出经济分类", "公务用车明细"}, [f.format() for f in missing.values()]
    text = QINGSHAN.read_text(encoding="utf-8")
    assert missing["项目支出经济分类"].location.line in {line_of(text, "\n经济分类:") + 1, line_of(text, '"30101"')}
    assert missing["公务用车明细"].location.line == line_of(text, "公务用车保有量: 2")
    # The placeholder row carries the whole 项目支出 (127.49) in the three tables that list it.
    tables = {b.title: b for b in doc.blocks if isinstance(b, Table)}
    for title in ("财政拨款支出决算明细表", "一般公共预算财政拨款支出决算明细表", "一般公共预算财政拨款项目支出决算表"):
        rows = [[c.text for c in r] for r in tables[title].body]
        row = next(r for r in rows if r[0] == "【未填报项目支出经济分类】")
        assert "127.49" in row, (title, row)
    assert "单位共有公务用车2辆，其中：【未填报公务用车明细】。" in doc.text()
    # Nothing is missing for the wuhan layout: plain check gives no such warning.
    assert not [f for f in pipeline.check(QINGSHAN).findings if f.rule == "missing-fact" and "经济分类" in f.path]


def test_wuhan_build_is_untouched() -> None:
    """A file without Sichuan blocks, checked without the profile, gets no Sichuan tables or facts."""
    figures = pipeline.check(QINGSHAN).figures
    assert figures is not None
    assert not [t for t in figures.tables if t.startswith("川")]
    assert "四川" not in figures.facts


# ---------------------------------------------------------------------------
# The new input blocks and their audit rules
# ---------------------------------------------------------------------------

PROJECT_ECON = '\n项目支出经济分类:\n  "30226": {labour}    # 劳务费\n  "30227": 56.36     # 委托业务费\n'


def with_project_econ(tmp_path: Path, labour: str) -> Path:
    return write(tmp_path, panzhihua_without_project_econ() + PROJECT_ECON.format(labour=labour))


def test_project_econ_fills_the_tables(tmp_path: Path) -> None:
    path = with_project_econ(tmp_path, "187.20")
    checked = check(path)
    assert not checked.errors and not [f for f in checked.findings if f.rule == "missing-fact" and "经济" in f.path]
    doc = compose(checked.figures, sichuan())
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.title == "一般公共预算财政拨款项目支出决算表")
    cells = [c.text for row in table.body for c in row]
    assert "187.2" in cells and "56.36" in cells and "【未填报项目支出经济分类】" not in cells
    assert [c.text for c in table.body[-1]] == ["项目支出合计", "243.56"]


def test_project_econ_must_add_up_to_project_spending(tmp_path: Path) -> None:
    path = with_project_econ(tmp_path, "187.10")
    checked = check(path)
    (error,) = [f for f in checked.errors if f.rule == "川09-05-项目支出"]
    assert "243.46" in error.message and "243.56" in error.message
    assert error.location.line == line_of(path.read_text(encoding="utf-8"), '"30226": 187.10')


FUND_ITEM = """  "2210201":   # 住房保障支出 / 住房改革支出 / 住房公积金
    收入: {一般公共预算财政拨款: 7.41}
    支出: {基本支出: 7.41}"""
FUND_ITEM_WITH_FUND = """  "2210201":   # 住房保障支出 / 住房改革支出 / 住房公积金
    收入: {一般公共预算财政拨款: 7.41, 政府性基金预算财政拨款: 10}
    支出: {基本支出: 7.41, 项目支出: 10}
    政府性基金预算财政拨款支出: {项目支出: 10}"""


@pytest.mark.parametrize(("block", "errors"), [("", set()), ("10", set()), ("9", {"川05-07-项目支出"})])
def test_other_funds_by_econ(tmp_path: Path, block: str, errors: set[str]) -> None:
    """政府性基金 spending needs its 经济分类 for 附表五: placeholder and warning, or audited figures."""
    text = PANZHIHUA.read_text(encoding="utf-8").replace(FUND_ITEM, FUND_ITEM_WITH_FUND)
    if block:
        text += f'\n其他财政拨款经济分类:\n  政府性基金预算:\n    项目支出: {{"30227": {block}}}\n'
    checked = check(write(tmp_path, text))
    assert {f.rule for f in checked.errors} == errors, [f.format() for f in checked.errors]
    missing = {f.path for f in warnings(checked) if f.rule == "missing-fact"}
    assert ("其他财政拨款经济分类" in missing) is (not block)
    table = checked.figures.tables["川05"]
    expected = Decimal("252.56") if block == "9" else Decimal("253.56")  # 243.56 + the 政府性基金 figure
    assert table.get("合计", "项目支出") == expected


def test_vehicle_and_organisation_blocks_are_audited(tmp_path: Path) -> None:
    text = PANZHIHUA.read_text(encoding="utf-8")
    text = text.replace("保有: {轿车: 0, 越野车: 0, 载客汽车: 0}", "保有: {轿车: 1, 越野车: 0, 载客汽车: 0}")
    text = text.replace("  其他事业单位: 0\n", "  其他事业单位: 2\n")
    checked = check(write(tmp_path, text))
    rules = {f.rule for f in checked.errors}
    assert {"川车辆-保有量", "川机构-单位数"} <= rules, [f.format() for f in checked.errors]


def test_unknown_block_key_is_located(tmp_path: Path) -> None:
    text = PANZHIHUA.read_text(encoding="utf-8").replace("  行政单位: 0\n", "  行政单位们: 0\n")
    result = pipeline.check(write(tmp_path, text))
    (error,) = [f for f in result.errors if f.rule == "unknown-key"]
    assert error.path == "机构设置.行政单位们" and "行政单位" in error.message


# ---------------------------------------------------------------------------
# 003 as printed: its contradictions are reported
# ---------------------------------------------------------------------------

# 003's printed totals, declared as 核对数 (figures copied from the published document).
AS_PRINTED = """
核对数:
  公开05:
    合计: {{小计: 346.47, 基本支出: 102.91, 项目支出: 243.56}}
    "201": {{小计: 140.84}}   # 说明五（二）一般公共服务支出
    "208": {{小计: 14.15}}    # 社会保障和就业支出
    "210": {{小计: 10.36}}    # 卫生健康支出
    "221": {{小计: 11.91}}    # 住房保障支出
  公开06:
    人员经费合计: {personnel}
"""


def as_printed(tmp_path: Path, personnel: str, leaves_as_printed: bool) -> pipeline.Checked:
    text = PANZHIHUA.read_text(encoding="utf-8")
    if leaves_as_printed:  # 003's own 0.01 尾差: 事业运行 72.12, 其他工资福利支出 1.42
        text = text.replace("72.11}", "72.12}").replace("年初预算: 72.11", "年初预算: 72.12")
        text = text.replace('"30199": 1.41', '"30199": 1.42')
    return pipeline.check(write(tmp_path, text + AS_PRINTED.format(personnel=personnel)))


@pytest.mark.parametrize("leaves_as_printed", [False, True])
def test_as_printed_class_amounts_contradict_the_total(tmp_path: Path, leaves_as_printed: bool) -> None:
    """The four printed class amounts (177.26 in all) cannot make up the printed total 346.47."""
    checked = as_printed(tmp_path, "97.79", leaves_as_printed)
    mismatches = [f for f in checked.errors if f.rule == "declared-mismatch"]
    printed = {"201": "140.84", "208": "14.15", "210": "10.36", "221": "11.91"}
    assert sorted(f.path for f in mismatches) == [f"核对数.公开05.{c}.小计" for c in sorted(printed)]
    for f in mismatches:
        assert printed[f.path.split(".")[2]] in f.message
    assert sum(Decimal(v) for v in printed.values()) == Decimal("177.26")
    # The total itself is right: shown as printed (346.47), at most a 尾数误差 warning.
    t05 = checked.figures.tables["05"]
    assert t05.get("合计", "小计") == Decimal("346.47")
    assert not [f for f in checked.errors if f.path.startswith("核对数.公开05.合计")]
    assert not [f for f in checked.errors if f.path.startswith("核对数.公开06")]
    if leaves_as_printed:
        rounding = {f.path for f in warnings(checked) if f.rule == "declared-rounding"}
        assert {"核对数.公开05.合计.小计", "核对数.公开06.人员经费合计"} <= rounding


def test_as_printed_personnel_stated_twice(tmp_path: Path) -> None:
    """说明六 gives 人员经费 as 97.79 and as 163.62: 163.62 contradicts the items (97.79)."""
    checked = as_printed(tmp_path, "163.62", leaves_as_printed=False)
    (error,) = [f for f in checked.errors if f.path == "核对数.公开06.人员经费合计"]
    assert error.rule == "declared-mismatch"
    assert "163.62" in error.message and "97.79" in error.message


# ---------------------------------------------------------------------------
# The command line writes DOCX and PDF for both samples
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("sample", ["panzhihua-without-split", "qingshan"])
def test_cli_build_writes_docx_and_pdf(tmp_path: Path, sample: str) -> None:
    data = QINGSHAN if sample == "qingshan" else write(tmp_path, panzhihua_without_project_econ(), "p.yaml")
    command = [sys.executable, "-m", "yujuesuan", "build", str(data), "--profile", "sichuan", "-o", str(tmp_path)]
    # Each lacks a fact this layout prints (as 【未填报…】): listed, and no final document.
    proc = subprocess.run(command, capture_output=True, text=True)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "[placeholder]" in proc.stdout and "【未填报" in proc.stdout
    assert not any(tmp_path.rglob("*.pdf"))
    proc = subprocess.run([*command, "--draft"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    written = sorted(p.name for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".yaml")
    assert [Path(n).suffix for n in written] == [".docx", ".pdf"]
    assert all(Path(n).stem.endswith("年度部门决算-sichuan") for n in written)
    assert "missing-fact" in proc.stdout  # the located warnings are printed
