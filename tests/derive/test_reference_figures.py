"""Every figure of parts 2 and 3 of reference/000 (武汉市青山区融媒体中心 2023), derived from the sample.

The expected values are typed here from the reference text
(tests/data/reference/qingshan-2023-juesuan.txt), never computed by the code
under test. The text was extracted from a PDF, so empty cells vanished; where
a figure's column was ambiguous, the table totals decide (see SPEC §2: the
0.12 of 2101102 in 公开03 is 项目支出, since 卫生健康支出 = 38.07 + 3.09).

Percentages are full-precision Decimals in the model; ``pct`` rounds them the
way the document prints them (四舍五入, ROUND_HALF_UP) and the tests compare
the printed text, so "100.0" and "100" are different answers.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from yujuesuan.derive.values import Change, Completion, Share

D = Decimal


def pct(x: Decimal | None, places: int) -> str:
    """The printed form of a percentage or score: 四舍五入 to ``places`` decimals (never round())."""
    assert x is not None, "no rate (zero base)"
    return str(x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@pytest.fixture(scope="module")
def figures(sample_checked):
    assert sample_checked.figures is not None, [f.format() for f in sample_checked.findings]
    return sample_checked.figures


@pytest.fixture(scope="module")
def facts(figures) -> dict[str, Any]:
    return figures.facts


def test_sample_has_no_findings(sample_checked):
    """The sample is the reference's own figures: no error, no warning, no note."""
    assert sample_checked.findings == [], "\n".join(f.format() for f in sample_checked.findings)


def test_pct_rounds_half_up():
    # round() would give 0.12 and 2 (half to even); the document needs 四舍五入.
    assert pct(D("0.125"), 2) == "0.13"
    assert pct(D("2.5"), 0) == "3"
    assert pct(D("100"), 1) == "100.0"


# ---------------------------------------------------------------------------
# 第二部分 决算表: every non-empty cell, as printed in the reference.
# (table, row key, column, expected). Row keys: 合计, a 类/款/项 code, or the
# row name of the flat tables 01/04/06 (收入总计 / 支出总计 are the two 总计 rows).
# ---------------------------------------------------------------------------
CELLS: list[tuple[str, str, str, Decimal]] = [
    # 公开01 收入支出决算总表 (金额单位：万元)
    ("01", "一般公共预算财政拨款收入", "金额", D("537.12")),  # 一、一般公共预算财政拨款收入 行1
    ("01", "本年收入合计", "金额", D("537.12")),  # 行27
    ("01", "收入总计", "金额", D("537.12")),  # 总计 行31
    ("01", "201", "金额", D("437.68")),  # 一、一般公共服务支出 行32
    ("01", "208", "金额", D("21.35")),  # 八、社会保障和就业支出 行39
    ("01", "210", "金额", D("41.16")),  # 九、卫生健康支出 行40
    ("01", "221", "金额", D("36.93")),  # 十九、住房保障支出 行50
    ("01", "本年支出合计", "金额", D("537.12")),  # 行58
    ("01", "支出总计", "金额", D("537.12")),  # 总计 行62
    # 公开02 收入决算表: 栏1 本年收入合计, 栏2 财政拨款收入 (栏3–7 empty)
    ("02", "合计", "本年收入合计", D("537.12")),
    ("02", "合计", "财政拨款收入", D("537.12")),
    ("02", "201", "本年收入合计", D("437.68")),  # 一般公共服务支出
    ("02", "201", "财政拨款收入", D("437.68")),
    ("02", "20133", "本年收入合计", D("437.68")),  # 宣传事务
    ("02", "20133", "财政拨款收入", D("437.68")),
    ("02", "2013350", "本年收入合计", D("437.68")),  # 事业运行
    ("02", "2013350", "财政拨款收入", D("437.68")),
    ("02", "208", "本年收入合计", D("21.35")),  # 社会保障和就业支出
    ("02", "208", "财政拨款收入", D("21.35")),
    ("02", "20805", "本年收入合计", D("21.35")),  # 行政事业单位养老支出
    ("02", "20805", "财政拨款收入", D("21.35")),
    ("02", "2080505", "本年收入合计", D("21.35")),  # 机关事业单位基本养老保险缴费支出
    ("02", "2080505", "财政拨款收入", D("21.35")),
    ("02", "210", "本年收入合计", D("41.16")),  # 卫生健康支出
    ("02", "210", "财政拨款收入", D("41.16")),
    ("02", "21011", "本年收入合计", D("41.16")),  # 行政事业单位医疗
    ("02", "21011", "财政拨款收入", D("41.16")),
    ("02", "2101101", "本年收入合计", D("10.67")),  # 行政单位医疗
    ("02", "2101101", "财政拨款收入", D("10.67")),
    ("02", "2101102", "本年收入合计", D("0.12")),  # 事业单位医疗
    ("02", "2101102", "财政拨款收入", D("0.12")),
    ("02", "2101103", "本年收入合计", D("28.77")),  # 公务员医疗补助
    ("02", "2101103", "财政拨款收入", D("28.77")),
    ("02", "2101199", "本年收入合计", D("1.6")),  # 其他行政事业单位医疗支出
    ("02", "2101199", "财政拨款收入", D("1.6")),
    ("02", "221", "本年收入合计", D("36.93")),  # 住房保障支出
    ("02", "221", "财政拨款收入", D("36.93")),
    ("02", "22102", "本年收入合计", D("36.93")),  # 住房改革支出
    ("02", "22102", "财政拨款收入", D("36.93")),
    ("02", "2210201", "本年收入合计", D("30.56")),  # 住房公积金
    ("02", "2210201", "财政拨款收入", D("30.56")),
    ("02", "2210202", "本年收入合计", D("6.37")),  # 提租补贴
    ("02", "2210202", "财政拨款收入", D("6.37")),
    # 公开03 支出决算表: 栏1 本年支出合计, 栏2 基本支出, 栏3 项目支出 (栏4–6 empty)
    ("03", "合计", "本年支出合计", D("537.12")),
    ("03", "合计", "基本支出", D("409.63")),
    ("03", "合计", "项目支出", D("127.49")),
    ("03", "201", "本年支出合计", D("437.68")),
    ("03", "201", "基本支出", D("313.28")),
    ("03", "201", "项目支出", D("124.4")),
    ("03", "20133", "本年支出合计", D("437.68")),
    ("03", "20133", "基本支出", D("313.28")),
    ("03", "20133", "项目支出", D("124.4")),
    ("03", "2013350", "本年支出合计", D("437.68")),
    ("03", "2013350", "基本支出", D("313.28")),
    ("03", "2013350", "项目支出", D("124.4")),
    ("03", "208", "本年支出合计", D("21.35")),
    ("03", "208", "基本支出", D("21.35")),
    ("03", "20805", "本年支出合计", D("21.35")),
    ("03", "20805", "基本支出", D("21.35")),
    ("03", "2080505", "本年支出合计", D("21.35")),
    ("03", "2080505", "基本支出", D("21.35")),
    ("03", "210", "本年支出合计", D("41.16")),
    ("03", "210", "基本支出", D("38.07")),
    ("03", "210", "项目支出", D("3.09")),
    ("03", "21011", "本年支出合计", D("41.16")),
    ("03", "21011", "基本支出", D("38.07")),
    ("03", "21011", "项目支出", D("3.09")),
    ("03", "2101101", "本年支出合计", D("10.67")),
    ("03", "2101101", "基本支出", D("10.67")),
    ("03", "2101102", "本年支出合计", D("0.12")),
    ("03", "2101102", "项目支出", D("0.12")),  # column lost in extraction; 3.09 = 0.12 + 2.97
    ("03", "2101103", "本年支出合计", D("28.77")),
    ("03", "2101103", "基本支出", D("25.8")),
    ("03", "2101103", "项目支出", D("2.97")),
    ("03", "2101199", "本年支出合计", D("1.6")),
    ("03", "2101199", "基本支出", D("1.6")),  # 38.07 = 10.67 + 25.8 + 1.6
    ("03", "221", "本年支出合计", D("36.93")),
    ("03", "221", "基本支出", D("36.93")),
    ("03", "22102", "本年支出合计", D("36.93")),
    ("03", "22102", "基本支出", D("36.93")),
    ("03", "2210201", "本年支出合计", D("30.56")),
    ("03", "2210201", "基本支出", D("30.56")),
    ("03", "2210202", "本年支出合计", D("6.37")),
    ("03", "2210202", "基本支出", D("6.37")),
    # 公开04 财政拨款收入支出决算总表: 收入 决算数; 支出 栏2 合计, 栏3 一般公共预算财政拨款
    ("04", "一般公共预算财政拨款", "金额", D("537.12")),  # 行1
    ("04", "本年收入合计", "金额", D("537.12")),  # 行27
    ("04", "收入总计", "金额", D("537.12")),  # 总计 行32
    ("04", "201", "合计", D("437.68")),  # 一、一般公共服务支出 行33
    ("04", "201", "一般公共预算", D("437.68")),
    ("04", "208", "合计", D("21.35")),  # 八、社会保障和就业支出 行40
    ("04", "208", "一般公共预算", D("21.35")),
    ("04", "210", "合计", D("41.16")),  # 九、卫生健康支出 行41
    ("04", "210", "一般公共预算", D("41.16")),
    ("04", "221", "合计", D("36.93")),  # 十九、住房保障支出 行51
    ("04", "221", "一般公共预算", D("36.93")),
    ("04", "本年支出合计", "合计", D("537.12")),  # 行59
    ("04", "本年支出合计", "一般公共预算", D("537.12")),
    ("04", "支出总计", "合计", D("537.12")),  # 总计 行64
    ("04", "支出总计", "一般公共预算", D("537.12")),
    # 公开05 一般公共预算财政拨款支出决算表: 栏1 小计, 栏2 基本支出, 栏3 项目支出
    ("05", "合计", "小计", D("537.12")),
    ("05", "合计", "基本支出", D("409.63")),
    ("05", "合计", "项目支出", D("127.49")),
    ("05", "201", "小计", D("437.68")),
    ("05", "201", "基本支出", D("313.28")),
    ("05", "201", "项目支出", D("124.4")),
    ("05", "20133", "小计", D("437.68")),
    ("05", "20133", "基本支出", D("313.28")),
    ("05", "20133", "项目支出", D("124.4")),
    ("05", "2013350", "小计", D("437.68")),
    ("05", "2013350", "基本支出", D("313.28")),
    ("05", "2013350", "项目支出", D("124.4")),
    ("05", "208", "小计", D("21.35")),
    ("05", "208", "基本支出", D("21.35")),
    ("05", "20805", "小计", D("21.35")),
    ("05", "20805", "基本支出", D("21.35")),
    ("05", "2080505", "小计", D("21.35")),
    ("05", "2080505", "基本支出", D("21.35")),
    ("05", "210", "小计", D("41.16")),
    ("05", "210", "基本支出", D("38.07")),
    ("05", "210", "项目支出", D("3.09")),
    ("05", "21011", "小计", D("41.16")),
    ("05", "21011", "基本支出", D("38.07")),
    ("05", "21011", "项目支出", D("3.09")),
    ("05", "2101101", "小计", D("10.67")),
    ("05", "2101101", "基本支出", D("10.67")),
    ("05", "2101102", "小计", D("0.12")),
    ("05", "2101102", "项目支出", D("0.12")),  # as in 公开03
    ("05", "2101103", "小计", D("28.77")),
    ("05", "2101103", "基本支出", D("25.8")),
    ("05", "2101103", "项目支出", D("2.97")),
    ("05", "2101199", "小计", D("1.6")),
    ("05", "2101199", "基本支出", D("1.6")),
    ("05", "221", "小计", D("36.93")),
    ("05", "221", "基本支出", D("36.93")),
    ("05", "22102", "小计", D("36.93")),
    ("05", "22102", "基本支出", D("36.93")),
    ("05", "2210201", "小计", D("30.56")),
    ("05", "2210201", "基本支出", D("30.56")),
    ("05", "2210202", "小计", D("6.37")),
    ("05", "2210202", "基本支出", D("6.37")),
    # 公开06 一般公共预算财政拨款基本支出决算明细表 (决算数)
    ("06", "301", "金额", D("360.82")),  # 工资福利支出
    ("06", "30101", "金额", D("79.38")),  # 基本工资
    ("06", "30102", "金额", D("26.22")),  # 津贴补贴
    ("06", "30107", "金额", D("149.52")),  # 绩效工资
    ("06", "30108", "金额", D("40.77")),  # 机关事业单位基本养老保险缴费
    ("06", "30110", "金额", D("10.95")),  # 职工基本医疗保险缴费
    ("06", "30111", "金额", D("21.38")),  # 公务员医疗补助缴费
    ("06", "30112", "金额", D("1.03")),  # 其他社会保障缴费
    ("06", "30113", "金额", D("31.57")),  # 住房公积金
    ("06", "303", "金额", D("31.22")),  # 对个人和家庭的补助
    ("06", "30302", "金额", D("25.8")),  # 退休费
    ("06", "30307", "金额", D("5.42")),  # 医疗费补助
    ("06", "302", "金额", D("16.36")),  # 商品和服务支出
    ("06", "30201", "金额", D("0.98")),  # 办公费
    ("06", "30205", "金额", D("0.07")),  # 水费
    ("06", "30207", "金额", D("0.02")),  # 邮电费
    ("06", "30211", "金额", D("0.62")),  # 差旅费
    ("06", "30213", "金额", D("0.15")),  # 维修（护）费
    ("06", "30226", "金额", D("0.7")),  # 劳务费
    ("06", "30228", "金额", D("1.42")),  # 工会经费
    ("06", "30229", "金额", D("2.73")),  # 福利费
    ("06", "30231", "金额", D("5.09")),  # 公务用车运行维护费
    ("06", "30299", "金额", D("4.58")),  # 其他商品和服务支出
    ("06", "310", "金额", D("1.23")),  # 资本性支出
    ("06", "31002", "金额", D("1.23")),  # 办公设备购置
    ("06", "人员经费合计", "金额", D("392.04")),
    ("06", "公用经费合计", "金额", D("17.59")),
    # 公开09 "三公"经费: "6 6 6 5.09 5.09 5.09" = 栏1, 3, 5 and 栏7, 9, 11
    ("09", "合计", "预算.合计", D("6")),  # 栏1
    ("09", "合计", "预算.公务用车购置及运行维护费", D("6")),  # 栏3 小计
    ("09", "合计", "预算.公务用车运行维护费", D("6")),  # 栏5
    ("09", "合计", "决算.合计", D("5.09")),  # 栏7
    ("09", "合计", "决算.公务用车购置及运行维护费", D("5.09")),  # 栏9 小计
    ("09", "合计", "决算.公务用车运行维护费", D("5.09")),  # 栏11
]


@pytest.mark.parametrize(("table", "row", "column", "expected"), CELLS, ids=[f"{t}-{r}-{c}" for t, r, c, _ in CELLS])
def test_table_cell(figures, table, row, column, expected):
    found = figures.tables[table].row(row)
    assert found is not None, f"公开{table} has no row {row}"
    assert found.get(column) == expected


@pytest.mark.parametrize("table", ["01", "02", "03", "04", "05", "06", "09"])
def test_every_other_cell_is_empty(figures, table):
    """The cells the reference leaves blank are zero: the non-zero cells are exactly those above."""
    nonzero = {(r.key, c): v for r in figures.tables[table].rows for c, v in r.values.items() if v != 0}
    expected = {(r, c): v for t, r, c, v in CELLS if t == table}
    assert nonzero == expected


# 公开02 / 03 / 05: the 类/款/项 rows, in order, with their catalog names.
HIERARCHY_ROWS = [
    ("合计", "合计"),
    ("201", "一般公共服务支出"),
    ("20133", "宣传事务"),
    ("2013350", "事业运行"),
    ("208", "社会保障和就业支出"),
    ("20805", "行政事业单位养老支出"),
    ("2080505", "机关事业单位基本养老保险缴费支出"),
    ("210", "卫生健康支出"),
    ("21011", "行政事业单位医疗"),
    ("2101101", "行政单位医疗"),
    ("2101102", "事业单位医疗"),
    ("2101103", "公务员医疗补助"),
    ("2101199", "其他行政事业单位医疗支出"),
    ("221", "住房保障支出"),
    ("22102", "住房改革支出"),
    ("2210201", "住房公积金"),
    ("2210202", "提租补贴"),
]


@pytest.mark.parametrize("table", ["02", "03", "05"])
def test_hierarchy_rows(figures, table):
    rows = figures.tables[table].rows
    assert [(r.key, r.label) for r in rows] == HIERARCHY_ROWS
    level = {3: 1, 5: 2, 7: 3}  # 类, 款, 项 by code length; 合计 is level 0
    assert [r.level for r in rows] == [level.get(len(k), 0) for k, _ in HIERARCHY_ROWS]


# 公开01 and 04 list all 26 类 in this order, even when empty (reference, both tables).
CLASSES = [
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出",
    "文化旅游体育与传媒支出", "社会保障和就业支出", "卫生健康支出", "节能环保支出", "城乡社区支出",
    "农林水支出", "交通运输支出", "资源勘探工业信息等支出", "商业服务业等支出", "金融支出",
    "援助其他地区支出", "自然资源海洋气象等支出", "住房保障支出", "粮油物资储备支出",
    "国有资本经营预算支出", "灾害防治及应急管理支出", "其他支出", "债务还本支出", "债务付息支出",
    "抗疫特别国债安排的支出",
]  # fmt: skip


def test_table01_rows_and_numbers(figures):
    t01 = figures.tables["01"]
    income = [(r.label, r.number) for r in t01.rows if r.side == "收入"]
    assert income == [
        ("一般公共预算财政拨款收入", 1),
        ("政府性基金预算财政拨款收入", 2),
        ("国有资本经营预算财政拨款收入", 3),
        ("上级补助收入", 4),
        ("事业收入", 5),
        ("经营收入", 6),
        ("附属单位上缴收入", 7),
        ("其他收入", 8),
        ("本年收入合计", 27),
        ("使用非财政拨款结余", 28),
        ("年初结转和结余", 29),
        ("总计", 31),
    ]
    spending = [(r.label, r.number) for r in t01.rows if r.side == "支出"]
    assert spending == [
        *zip(CLASSES, range(32, 58)),  # 一、一般公共服务支出 32 … 二十六、抗疫特别国债安排的支出 57
        ("本年支出合计", 58),
        ("结余分配", 59),
        ("年末结转和结余", 60),
        ("总计", 62),
    ]


def test_table04_rows_and_numbers(figures):
    t04 = figures.tables["04"]
    income = [(r.label, r.number) for r in t04.rows if r.side == "收入"]
    assert income == [
        ("一般公共预算财政拨款", 1),
        ("政府性基金预算财政拨款", 2),
        ("国有资本经营预算财政拨款", 3),
        ("本年收入合计", 27),
        ("年初财政拨款结转和结余", 28),
        ("一般公共预算财政拨款", 29),
        ("政府性基金预算财政拨款", 30),
        ("国有资本经营预算财政拨款", 31),
        ("总计", 32),
    ]
    spending = [(r.label, r.number) for r in t04.rows if r.side == "支出"]
    assert spending == [
        *zip(CLASSES, range(33, 59)),  # 一、一般公共服务支出 33 … 二十六 58
        ("本年支出合计", 59),
        ("年末财政拨款结转和结余", 60),
        ("总计", 64),
    ]


# 公开06: every item of the layout, empty ones included, in the reference's order:
# column group 1 (301 then 303), group 2 (302), group 3 (310), then the two totals.
TABLE06_ROWS = [
    ("301", "工资福利支出"),
    ("30101", "基本工资"), ("30102", "津贴补贴"), ("30103", "奖金"), ("30106", "伙食补助费"),
    ("30107", "绩效工资"), ("30108", "机关事业单位基本养老保险缴费"), ("30109", "职业年金缴费"),
    ("30110", "职工基本医疗保险缴费"), ("30111", "公务员医疗补助缴费"), ("30112", "其他社会保障缴费"),
    ("30113", "住房公积金"), ("30114", "医疗费"), ("30199", "其他工资福利支出"),
    ("303", "对个人和家庭的补助"),
    ("30301", "离休费"), ("30302", "退休费"), ("30303", "退职（役）费"), ("30304", "抚恤金"),
    ("30305", "生活补助"), ("30306", "救济费"), ("30307", "医疗费补助"), ("30308", "助学金"),
    ("30309", "奖励金"), ("30310", "个人农业生产补贴"), ("30311", "代缴社会保险费"),
    ("30399", "其他对个人和家庭的补助"),
    ("302", "商品和服务支出"),
    ("30201", "办公费"), ("30202", "印刷费"), ("30203", "咨询费"), ("30204", "手续费"), ("30205", "水费"),
    ("30206", "电费"), ("30207", "邮电费"), ("30208", "取暖费"), ("30209", "物业管理费"),
    ("30211", "差旅费"), ("30212", "因公出国（境）费用"), ("30213", "维修（护）费"), ("30214", "租赁费"),
    ("30215", "会议费"), ("30216", "培训费"), ("30217", "公务接待费"), ("30218", "专用材料费"),
    ("30224", "被装购置费"), ("30225", "专用燃料费"), ("30226", "劳务费"), ("30227", "委托业务费"),
    ("30228", "工会经费"), ("30229", "福利费"), ("30231", "公务用车运行维护费"), ("30239", "其他交通费用"),
    ("30240", "税金及附加费用"), ("30299", "其他商品和服务支出"),
    ("310", "资本性支出"),
    ("31002", "办公设备购置"), ("31003", "专用设备购置"), ("31007", "信息网络及软件购置更新"),
    ("31013", "公务用车购置"), ("31021", "文物和陈列品购置"), ("31022", "无形资产购置"),
    ("31099", "其他资本性支出"),
    ("人员经费合计", "人员经费合计"),
    ("公用经费合计", "公用经费合计"),
]  # fmt: skip


def test_table06_lists_every_item(figures):
    assert [(r.key, r.label) for r in figures.tables["06"].rows] == TABLE06_ROWS


def test_table06_totals(figures):
    t06 = figures.tables["06"]
    assert t06.get("人员经费合计") == D("392.04")  # 人员经费合计 392.04
    assert t06.get("公用经费合计") == D("17.59")  # 公用经费合计 17.59


@pytest.mark.parametrize("table", ["07", "08"])
def test_fund_tables_are_empty(figures, table):
    """公开07/08 carry only their headers and "本部门当年无…" in the reference."""
    assert figures.tables[table].empty
    assert [r.key for r in figures.tables[table].rows] == ["合计"]


# ---------------------------------------------------------------------------
# 第三部分 决算情况说明 一–十三
# ---------------------------------------------------------------------------


def _change(facts, key: str) -> Change:
    value = facts[key]
    assert isinstance(value, Change)
    return value


# (fact, current, previous, change amount, printed rate), all from the same sentence pattern:
# "…537.12 万元。与 2022 年度的 495.31 万元相比，…增加 41.81 万元，增长 8.44%"
CHANGES = [
    ("收支总计", "537.12", "495.31", "41.81", "8.44"),  # 一、收、支总计各增加 41.81 万元，增长 8.44%
    ("收入合计", "537.12", "495.31", "41.81", "8.44"),  # 二、收入合计增加 41.81 万元，增长 8.44%
    ("支出合计", "537.12", "495.31", "41.81", "8.44"),  # 三、支出合计增加 41.81 万元，增长（下降）8.44%
    ("财政拨款收支总计", "537.12", "495.31", "41.81", "8.44"),  # 四、财政拨款收、支总计各增加 41.81，增长 8.44 %
    ("一般公共预算财政拨款收入", "537.12", "495.31", "41.81", "8.44"),  # 四、比 2022 年度决算数增加 41.81
    ("一般公共预算财政拨款支出", "537.12", "495.31", "41.81", "8.44"),  # 五（一）增加 41.81 万元，增长 8.44%
]


@pytest.mark.parametrize(("key", "current", "previous", "amount", "rate"), CHANGES, ids=[c[0] for c in CHANGES])
def test_change(facts, key, current, previous, amount, rate):
    change = _change(facts, key)
    assert change.current == D(current)
    assert change.previous == D(previous)
    assert change.amount == D(amount)
    assert change.direction == "增加"
    assert pct(change.rate, 2) == rate


def test_spending_change_word_is_zengzhang(facts):
    """三 prints "增长（下降）8.44%": template residue in the reference. The figures say 增长."""
    assert _change(facts, "支出合计").trend == "增长"


# Shares: (description, getter, places, printed rate)
SHARES = [
    # 二、其中：财政拨款收入537.12万元，占本年收入100.0%
    ("二 财政拨款收入", lambda f: f["收入来源"][0]["占比"], 1, "100.0"),
    # 三、基本支出 409.63 万元，占本年支出 76.3%；项目支出 127.49 万元，占本年支出 23.7%
    ("三 基本支出", lambda f: f["基本支出"], 1, "76.3"),
    ("三 项目支出", lambda f: f["项目支出"], 1, "23.7"),
    # 五（一）一般公共预算财政拨款支出 537.12 万元，占本年支出合计的 100.0%
    ("五（一）", lambda f: f["一般公共预算财政拨款支出占比"], 1, "100.0"),
    # 五（二）1.一般公共服务（宣传事务）支出 437.68 万元，占 81.49% … 4.住房保障支出 36.93 万元，占 6.88%
    ("五（二）201", lambda f: f["一般公共预算类"][0]["占比"], 2, "81.49"),
    ("五（二）208", lambda f: f["一般公共预算类"][1]["占比"], 2, "3.97"),
    ("五（二）210", lambda f: f["一般公共预算类"][2]["占比"], 2, "7.66"),
    ("五（二）221", lambda f: f["一般公共预算类"][3]["占比"], 2, "6.88"),
    # 十一、授予中小企业合同金额 1.59 万元，占政府采购支出总额的 100.0%
    ("十一 中小企业", lambda f: f["政府采购"]["中小企业"], 1, "100.0"),
    # 十一、其中：授予小微企业合同金额 1.59 万元，占授予中小企业合同金额的 100.0%
    ("十一 小微企业", lambda f: f["政府采购"]["小微企业"], 1, "100.0"),
    # 十一、货物采购授予中小企业合同金额占货物支出金额的 100.0%
    ("十一 货物中小企业", lambda f: f["政府采购"]["货物中小企业"], 1, "100.0"),
    # 十三（一）共涉及项目 4个，资金 127.49 万元，占一般公共预算项目支出总额的 100.0%
    ("十三（一）项目资金", lambda f: f["绩效"]["项目资金"], 1, "100.0"),
]


@pytest.mark.parametrize(("what", "get", "places", "printed"), SHARES, ids=[s[0] for s in SHARES])
def test_share(facts, what, get, places, printed):
    share = get(facts)
    assert isinstance(share, Share)
    assert pct(share.rate, places) == printed


def test_income_sources(facts):
    """二: 财政拨款收入 537.12 and every other source at 0 (the sections leave out the zeros unless
    sections.list_zero_items asks for them; the reference names 财政拨款收入 alone)."""
    assert [(s["名称"], s["金额"]) for s in facts["收入来源"]] == [
        ("财政拨款收入", D("537.12")), ("上级补助收入", D(0)), ("事业收入", D(0)), ("经营收入", D(0)),
        ("附属单位上缴收入", D(0)), ("其他收入", D(0)),
    ]  # fmt: skip
    assert [s["占比"].rate for s in facts["收入来源"][1:]] == [D(0)] * 5


def test_spending_types(facts):
    # 三、其中：基本支出 409.63 万元 … 项目支出 127.49 万元
    assert facts["基本支出"].part == D("409.63")
    assert facts["项目支出"].part == D("127.49")
    assert facts["基本支出"].whole == D("537.12")


def test_fiscal_income_by_fund(facts):
    """四: 一般公共预算财政拨款收入 537.12; no 政府性基金 or 国有资本经营 income."""
    assert facts["一般公共预算财政拨款收入"].current == D("537.12")
    assert facts["政府性基金预算财政拨款收入"] == 0
    assert facts["国有资本经营预算财政拨款收入"] == 0


def test_classes_of_section_5_2(facts):
    """五（二）: four 类 with their amounts and their 款 (一般公共服务（宣传事务）支出)."""
    classes = [(c["编码"], c["名称"], c["金额"], c["款"]) for c in facts["一般公共预算类"]]
    assert classes == [
        ("201", "一般公共服务支出", D("437.68"), ["宣传事务"]),  # 1. … 437.68 万元
        ("208", "社会保障和就业支出", D("21.35"), ["行政事业单位养老支出"]),  # 2. … 21.35 万元
        ("210", "卫生健康支出", D("41.16"), ["行政事业单位医疗"]),  # 3. … 41.16 万元
        ("221", "住房保障支出", D("36.93"), ["住房改革支出"]),  # 4. … 36.93 万元
    ]


def test_budget_completion_total(facts):
    """五（三）: 年初预算为 523.03 万元，支出决算为 537.12 万元，完成年初预算的 102.69%。"""
    completion = facts["年初预算"]
    assert isinstance(completion, Completion)
    assert completion.budget == D("523.03")
    assert completion.actual == D("537.12")
    assert completion.relation == "大于"  # 支出决算数大于年初预算数
    assert pct(completion.rate, 2) == "102.69"
    # 其中：基本支出 409.63 万元，项目支出 127.49 万元
    assert facts["一般公共预算基本支出"] == D("409.63")
    assert facts["一般公共预算项目支出"] == D("127.49")


# 五（三）1.–8.: (code, 类名, 款名, 项名, 年初预算 or None, 支出决算, printed 完成年初预算的 X%, places).
# The reference prints 2 decimals, and "100.0" with one where the budget is met exactly.
ITEMS = [
    ("2013350", "一般公共服务支出", "宣传事务", "事业运行", "426.68", "437.68", "102.58", 2),
    ("2080505", "社会保障和就业支出", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出",
     "21.35", "21.35", "100.0", 1),
    ("2101101", "卫生健康支出", "行政事业单位医疗", "行政单位医疗", "10.67", "10.67", "100.0", 1),
    # 4. The reference names this 项 "公务员医疗补助（项）", but its figures (0.12, 年初无预算)
    # are those of 2101102, which 公开02/03/05 call 事业单位医疗. The reference's wording is
    # wrong; we follow the figures and the catalog name.
    ("2101102", "卫生健康支出", "行政事业单位医疗", "事业单位医疗", None, "0.12", None, None),
    ("2101103", "卫生健康支出", "行政事业单位医疗", "公务员医疗补助", "25.8", "28.77", "111.51", 2),
    ("2101199", "卫生健康支出", "行政事业单位医疗", "其他行政事业单位医疗支出", "1.6", "1.6", "100.0", 1),
    ("2210201", "住房保障支出", "住房改革支出", "住房公积金", "30.56", "30.56", "100.0", 1),
    ("2210202", "住房保障支出", "住房改革支出", "提租补贴", "6.37", "6.37", "100.0", 1),
]  # fmt: skip


def test_items_of_section_5_3_in_order(facts):
    assert [i["编码"] for i in facts["一般公共预算项"]] == [i[0] for i in ITEMS]


@pytest.mark.parametrize(
    ("code", "cls", "kuan", "name", "budget", "actual", "rate", "places"), ITEMS, ids=[i[0] for i in ITEMS]
)
def test_item_completion(facts, code, cls, kuan, name, budget, actual, rate, places):
    (item,) = [i for i in facts["一般公共预算项"] if i["编码"] == code]
    assert (item["类名"], item["款名"], item["名称"]) == (cls, kuan, name)
    assert item["决算"] == D(actual)
    completion = item["预算"]
    assert isinstance(completion, Completion)
    if budget is None:  # 年初无预算
        assert not completion.has_budget
        assert completion.rate is None
    else:
        assert completion.has_budget
        assert completion.budget == D(budget)
        assert pct(completion.rate, places) == rate


def test_item_2101102_is_shiye_danwei_yiliao(figures):
    """五（三）4. says "行政事业单位医疗（款）公务员医疗补助（项）" for the 0.12 of 2101102.

    That is a mistake in the reference: 2101102 is 事业单位医疗 in 公开02, 03, 05 and in the
    catalog, and 公务员医疗补助 (2101103) is item 5 with its own figures (25.8 / 28.77).
    """
    assert figures.catalog.name("2101102") == "事业单位医疗"
    assert figures.tables["05"].row("2101102").label == "事业单位医疗"


def test_section_6_personnel_and_public(facts):
    """六: 基本支出 409.63 = 人员经费 392.04 + 公用经费 17.59, with the items each 主要包括.

    The lists are exactly the reference's: the 其他… catch-alls (30299 其他商品和服务支出, 4.58)
    are not named, while 30112 其他社会保障缴费 is a real item and is.
    """
    assert facts["一般公共预算基本支出"] == D("409.63")
    assert facts["人员经费"]["金额"] == D("392.04")
    assert facts["人员经费"]["科目"] == [
        "基本工资", "津贴补贴", "绩效工资", "机关事业单位基本养老保险缴费", "职工基本医疗保险缴费",
        "公务员医疗补助缴费", "其他社会保障缴费", "住房公积金", "退休费", "医疗费补助",
    ]  # fmt: skip
    assert facts["公用经费"]["金额"] == D("17.59")
    assert facts["公用经费"]["科目"] == [
        "办公费", "水费", "邮电费", "差旅费", "维修（护）费", "劳务费", "工会经费", "福利费",
        "公务用车运行维护费", "办公设备购置",
    ]  # fmt: skip


def test_sections_7_and_8_no_fund_spending(facts):
    """七: 本部门无政府性基金预算财政拨款收入支出。八: 本部门无国有资本经营预算财政拨款支出。"""
    assert facts["政府性基金"] == {"空": True, "支出": 0}
    assert facts["国有资本经营"] == {"空": True, "支出": 0}


def test_section_9_sangong(facts):
    s = facts["三公"]
    # （一）支出预算为 6万元，支出决算为 5.09 万元，完成预算的 84.83%。决算数小于预算数
    assert s["预算"] == D("6")
    assert s["决算"] == D("5.09")
    assert pct(s["完成"].rate, 2) == "84.83"
    assert s["完成"].relation == "小于"
    items = s["项"]
    # 1. 因公出国（境）费支出决算为 0万元。年初预算未安排因公出国(境)费。
    assert items["因公出国（境）费"]["决算"] == 0
    assert not items["因公出国（境）费"]["完成"].has_budget
    # 2. 公务用车购置及运行维护费支出决算为 5.09 万元，完成预算的 84.83%
    assert items["公务用车购置及运行维护费"]["决算"] == D("5.09")
    assert pct(items["公务用车购置及运行维护费"]["完成"].rate, 2) == "84.83"
    # （1）公务用车购置费 0万元，年初预算未安排公务用车购置费。
    assert items["公务用车购置费"]["决算"] == 0
    assert not items["公务用车购置费"]["完成"].has_budget
    # （2）公务用车运行维护费 5.09 万元，完成预算的 84.83%，比预算减少 0.91 万元
    running = items["公务用车运行维护费"]
    assert running["决算"] == D("5.09")
    assert pct(running["完成"].rate, 2) == "84.83"
    assert running["完成"].gap == D("0.91")
    assert running["完成"].relation == "小于"
    # 截至 2023 年 12 月 31 日，开支财政拨款的公务用车保有量 2辆。
    assert s["保有量"] == 2
    # 3. 公务接待费支出决算为 0万元。年初预算未安排公务接待费。
    assert items["公务接待费"]["决算"] == 0
    assert not items["公务接待费"]["完成"].has_budget


def test_section_10_running_cost(facts):
    """十: 机关运行经费支出 0万元，年初无预算安排。"""
    running = facts["机关运行经费"]["决算"]
    assert running.actual == 0
    assert not running.has_budget


def test_section_11_procurement(facts):
    """十一: 总额 1.59 万元，其中：货物 1.59 万元、工程 0 万元、服务 0 万元；中小企业 1.59，小微企业 1.59。"""
    p = facts["政府采购"]
    assert (p["总额"], p["货物"], p["工程"], p["服务"]) == (D("1.59"), D("1.59"), 0, 0)
    assert p["中小企业"].part == D("1.59")
    assert p["小微企业"].part == D("1.59")


def test_section_12_assets(facts):
    """十二: 共有车辆 2 辆，其中 … 应急保障用车 1 辆 … 特种专业技术用车 1 辆 …；单价 100 万元以上设备 0 台（套）。"""
    a = facts["国有资产"]
    assert a["车辆合计"] == 2
    assert [(v["名称"], v["数量"]) for v in a["车辆"]] == [
        ("副部（省）级及以上领导用车", 0),
        ("主要领导干部用车", 0),
        ("机要通信用车", 0),
        ("应急保障用车", 1),
        ("执法执勤用车", 0),
        ("特种专业技术用车", 1),
        ("离退休干部用车", 0),
        ("其他用车", 0),
    ]
    assert a["大型设备"] == 0


def test_section_13_projects_overall(facts):
    """十三（一）共涉及项目 4个，资金 127.49 万元，占…100.0%；（二）整体支出资金 537.12 万元…总得分 98分。"""
    perf = facts["绩效"]
    assert perf["项目个数"] == 4
    assert perf["项目资金"].part == D("127.49")
    overall = perf["整体"]
    assert overall["执行"] == D("537.12")
    assert pct(overall["总分"], 0) == "98"
    # 附件 部门整体绩效自评表: 基本支出总额 409.63, 项目支出总额 127.49, 537.12 / 537.12, 100%, 得分 20
    assert overall["基本支出"] == D("409.63")
    assert overall["项目支出"] == D("127.49")
    assert overall["预算"] == D("537.12")
    assert pct(overall["执行率"], 0) == "100"
    assert pct(overall["执行得分"], 0) == "20"


# 十三（三）: (name, 全年预算数, 执行数, printed 完成预算的 X%, its places, printed 自评得分)
PROJECTS = [
    ("融媒体工作经费", "124", "123.95", "99.96", 2, "97"),
    ("老干工作部门专项款(待分配)", "0.45", "0.45", "100.0", 1, "100"),
    ("2023年离休、保健、伤残军人公费医疗及子女医疗补助", "0.12", "0.12", "100.0", 1, "100"),
    ("2023年公务员医疗补助经费", "2.97", "2.97", "100.0", 1, "100"),
]


@pytest.mark.parametrize(("index", "project"), list(enumerate(PROJECTS)), ids=[p[0] for p in PROJECTS])
def test_section_13_project(facts, index, project):
    name, budget, actual, rate, places, score = project
    p = facts["绩效"]["项目"][index]
    assert p["名称"] == name
    assert p["预算"] == D(budget)
    assert p["执行"] == D(actual)
    assert pct(p["执行率"], places) == rate
    assert pct(p["总分"], 0) == score


def test_section_13_execution_score_is_capped_weight_times_rate(facts):
    """执行得分 = 20 × 执行率, never above 20: 20 × 123.95 / 124 = 19.99…, printed 20 in the 自评表."""
    first, *others = facts["绩效"]["项目"]
    assert first["执行得分"] == D(20) * D("123.95") / D(124)
    assert pct(first["执行得分"], 0) == "20"
    assert all(p["执行得分"] == 20 for p in others)


def test_section_13_project_funds_in_section_5_3(facts):
    """五（三）项目支出主要用于（1）融媒体工作经费 123.95 …（2）0.45 …（3）0.12 …（4）2.97 万元。"""
    assert [p["执行"] for p in facts["绩效"]["项目"]] == [D("123.95"), D("0.45"), D("0.12"), D("2.97")]
    assert sum(p["执行"] for p in facts["绩效"]["项目"]) == D("127.49")
