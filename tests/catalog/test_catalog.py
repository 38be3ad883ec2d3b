"""The shipped catalogs against the reference documents.

Expected values are copied from reference 000 (武汉市青山区融媒体中心 2023 年度
部门决算) and the 2024 national template (national-template-2024.txt).
"""

from __future__ import annotations

import pytest

from yujuesuan.catalog import (
    Catalog,
    EconItem,
    available_years,
    load_catalog,
    nearest_year,
)

# 公开01表, rows 32–57 of reference 000.
CLASSES_2023 = [
    ("201", "一般公共服务支出"),
    ("202", "外交支出"),
    ("203", "国防支出"),
    ("204", "公共安全支出"),
    ("205", "教育支出"),
    ("206", "科学技术支出"),
    ("207", "文化旅游体育与传媒支出"),
    ("208", "社会保障和就业支出"),
    ("210", "卫生健康支出"),
    ("211", "节能环保支出"),
    ("212", "城乡社区支出"),
    ("213", "农林水支出"),
    ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"),
    ("216", "商业服务业等支出"),
    ("217", "金融支出"),
    ("219", "援助其他地区支出"),
    ("220", "自然资源海洋气象等支出"),
    ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"),
    ("223", "国有资本经营预算支出"),
    ("224", "灾害防治及应急管理支出"),
    ("229", "其他支出"),
    ("231", "债务还本支出"),
    ("232", "债务付息支出"),
    ("234", "抗疫特别国债安排的支出"),
]

# Every 类/款/项 row of reference 000's 公开02, 03 and 05, as printed.
TABLE_ROWS_000 = {
    "201": "一般公共服务支出",
    "20133": "宣传事务",
    "2013350": "事业运行",
    "208": "社会保障和就业支出",
    "20805": "行政事业单位养老支出",
    "2080505": "机关事业单位基本养老保险缴费支出",
    "210": "卫生健康支出",
    "21011": "行政事业单位医疗",
    "2101101": "行政单位医疗",
    "2101102": "事业单位医疗",
    "2101103": "公务员医疗补助",
    "2101199": "其他行政事业单位医疗支出",
    "221": "住房保障支出",
    "22102": "住房改革支出",
    "2210201": "住房公积金",
    "2210202": "提租补贴",
}

# 公开06表 of reference 000, column by column, top to bottom.
ECON_301 = [
    ("30101", "基本工资"),
    ("30102", "津贴补贴"),
    ("30103", "奖金"),
    ("30106", "伙食补助费"),
    ("30107", "绩效工资"),
    ("30108", "机关事业单位基本养老保险缴费"),
    ("30109", "职业年金缴费"),
    ("30110", "职工基本医疗保险缴费"),
    ("30111", "公务员医疗补助缴费"),
    ("30112", "其他社会保障缴费"),
    ("30113", "住房公积金"),
    ("30114", "医疗费"),
    ("30199", "其他工资福利支出"),
]
ECON_303 = [
    ("30301", "离休费"),
    ("30302", "退休费"),
    ("30303", "退职（役）费"),
    ("30304", "抚恤金"),
    ("30305", "生活补助"),
    ("30306", "救济费"),
    ("30307", "医疗费补助"),
    ("30308", "助学金"),
    ("30309", "奖励金"),
    ("30310", "个人农业生产补贴"),
    ("30311", "代缴社会保险费"),
    ("30399", "其他对个人和家庭的补助"),
]
ECON_302 = [
    ("30201", "办公费"),
    ("30202", "印刷费"),
    ("30203", "咨询费"),
    ("30204", "手续费"),
    ("30205", "水费"),
    ("30206", "电费"),
    ("30207", "邮电费"),
    ("30208", "取暖费"),
    ("30209", "物业管理费"),
    ("30211", "差旅费"),
    ("30212", "因公出国（境）费用"),
    ("30213", "维修（护）费"),
    ("30214", "租赁费"),
    ("30215", "会议费"),
    ("30216", "培训费"),
    ("30217", "公务接待费"),
    ("30218", "专用材料费"),
    ("30224", "被装购置费"),
    ("30225", "专用燃料费"),
    ("30226", "劳务费"),
    ("30227", "委托业务费"),
    ("30228", "工会经费"),
    ("30229", "福利费"),
    ("30231", "公务用车运行维护费"),
    ("30239", "其他交通费用"),
    ("30240", "税金及附加费用"),
    ("30299", "其他商品和服务支出"),
]
ECON_310_2023 = [
    ("31002", "办公设备购置"),
    ("31003", "专用设备购置"),
    ("31007", "信息网络及软件购置更新"),
    ("31013", "公务用车购置"),
    ("31021", "文物和陈列品购置"),
    ("31022", "无形资产购置"),
    ("31099", "其他资本性支出"),
]


def items_of(catalog: Catalog, parent: str) -> list[tuple[str, str]]:
    return [(i.code, i.name) for i in catalog.econ_items if i.parent == parent]


@pytest.fixture(scope="module")
def c2023() -> Catalog:
    return load_catalog(2023)


@pytest.fixture(scope="module")
def c2024() -> Catalog:
    return load_catalog(2024)


# ------------------------------------------------------------------ years


def test_years() -> None:
    assert available_years() == (2019, 2020, 2021, 2022, 2023, 2024)
    assert nearest_year(2023) == 2023
    assert nearest_year(2025) == 2024
    assert nearest_year(2019) == 2019
    assert nearest_year(2018) == 2019


def test_unknown_year_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        load_catalog(2018)


@pytest.mark.parametrize("year", [2019, 2020, 2021, 2022, 2023, 2024])
def test_every_catalog_file_says_where_its_entries_come_from(year: int) -> None:
    from importlib import resources

    data = resources.files("yujuesuan.catalog").joinpath("data")
    for kind in ("gongneng", "jingji"):
        head = data.joinpath(f"{kind}-{year}.yaml").read_text(encoding="utf-8").split("\n年度:", 1)[0]
        assert "参考文件" in head, f"{kind}-{year}.yaml names no source"


def test_the_poverty_kuan_is_named_as_in_its_year() -> None:
    assert load_catalog(2019).name("21305") == load_catalog(2020).name("21305") == "扶贫"
    assert load_catalog(2020).name("2130599") == "其他扶贫支出"
    for year in (2021, 2022, 2023, 2024):
        assert load_catalog(year).name("21305") == "巩固拓展脱贫攻坚成果衔接乡村振兴"


def test_classes_by_year() -> None:
    assert [(c.code, c.name) for c in load_catalog(2022).classes] == CLASSES_2023
    assert [(c.code, c.name) for c in load_catalog(2020).classes] == CLASSES_2023
    # 234 抗疫特别国债安排的支出 from 2020 on; 2019 has the other 25, 公开01 rows shifted by one.
    assert [(c.code, c.name) for c in load_catalog(2019).classes] == [c for c in CLASSES_2023 if c[0] != "234"]
    c19 = load_catalog(2019)
    assert c19.rows01["本年收入合计"] == 26 and c19.rows01["一般公共服务支出"] == 31 and c19.rows01["支出总计"] == 60
    assert c19.rows04["收入总计"] == 31 and c19.rows04["支出总计"] == 62


@pytest.mark.parametrize("year", [2023, 2024])
def test_fund_kuan_and_xiang_are_named(year: int) -> None:
    cat = load_catalog(year)
    assert cat.name("21208") == "国有土地使用权出让收入安排的支出"
    assert cat.name("2120801") == "征地和拆迁补偿支出"
    assert cat.name("22960") == "彩票公益金安排的支出"
    assert cat.name("2296002") == "用于社会福利的彩票公益金支出"
    assert cat.name("22302") == "国有企业资本金注入"


def test_catalogs_are_cached() -> None:
    assert load_catalog(2023) is load_catalog(2023)


# ------------------------------------------------------------------ 功能分类


def test_2023_has_the_26_classes_of_000_in_order(c2023: Catalog) -> None:
    assert [(c.code, c.name) for c in c2023.classes] == CLASSES_2023
    assert [c.order for c in c2023.classes] == list(range(1, 27))


def test_2024_drops_the_two_debt_classes(c2024: Catalog) -> None:
    expected = [pair for pair in CLASSES_2023 if pair[0] not in ("231", "232")]
    assert [(c.code, c.name) for c in c2024.classes] == expected
    assert len(c2024.classes) == 24
    assert c2024.classes[-1].name == "抗疫特别国债安排的支出"
    assert c2024.classes[-1].order == 24
    assert c2024.name("231") is None
    assert c2024.name("23103") is None


@pytest.mark.parametrize(("code", "name"), sorted(TABLE_ROWS_000.items()))
def test_every_table_row_of_000_is_named_as_printed(c2023: Catalog, code: str, name: str) -> None:
    assert c2023.name(code) == name


def test_codes_of_the_other_references(c2023: Catalog, c2024: Catalog) -> None:
    for catalog in (c2023, c2024):
        # 003 (攀枝花市东区, 2023)
        assert catalog.name("2013399") == "其他宣传事务支出"
        assert catalog.name("2080506") == "机关事业单位职业年金缴费支出"
        # 001 (江汉区, 2024 budget)
        assert catalog.name("20708") == "广播电视"
        assert catalog.name("2070808") == "广播电视事务"
        assert catalog.name("2080502") == "事业单位离退休"
        assert catalog.name("2080599") == "其他行政事业单位养老支出"
        assert catalog.name("2210203") == "购房补贴"
        # the 2024 national template
        assert catalog.name("2050205") == "高等教育"
        assert catalog.name("20799") == "其他文化旅游体育与传媒支出"


def test_2101102_is_shiye_danwei_yiliao(c2023: Catalog) -> None:
    # 000's section 五(三) item 4 misnames it 公务员医疗补助; the tables are right.
    assert c2023.name("2101102") == "事业单位医疗"
    assert c2023.name("2101103") == "公务员医疗补助"


def test_every_kuan_and_xiang_sits_under_a_known_parent(c2023: Catalog, c2024: Catalog) -> None:
    for catalog in (c2023, c2024):
        class_codes = {c.code for c in catalog.classes}
        for code in catalog.names:
            assert len(code) in (3, 5, 7), code
            if len(code) == 3:
                assert code in class_codes
            for parent in catalog.parents(code):
                assert parent in catalog.names, code


def test_common_items_are_named(c2023: Catalog) -> None:
    assert c2023.name("2010101") == "行政运行"
    assert c2023.name("2010102") == "一般行政管理事务"
    assert c2023.name("2010103") == "机关服务"
    assert c2023.name("2010150") == "事业运行"
    assert c2023.name("2013399") == "其他宣传事务支出"
    assert c2023.name("2080501") == "行政单位离退休"
    assert c2023.name("2210201") == "住房公积金"


def test_explanations_are_000s_wording(c2023: Catalog) -> None:
    assert c2023.explanations["2013350"] == (
        "反映事业单位的基本支出，不包括行政单位（包括实行公务员管理的事业单位）"
        "后勤服务中心、医务室等附属事业单位。"
    )
    assert c2023.explanations["2101102"] == (
        "反映财政部门安排的事业单位基本医疗保险缴费经费，未参加医疗保险的事业单位的"
        "公费医疗经费，按国家规定享受离休人员待遇人员的医疗经费。"
    )
    assert c2023.explanations["2080505"] == (
        "反映机关事业单位实施养老保险制度由单位缴纳的基本养老保险支出。"
    )
    assert c2023.explanations["2210202"] == (
        "反映按房改政策规定的标准，行政事业单位向职工（含离退休人员）发放的租金补贴。"
    )


def test_every_xiang_of_000_has_an_explanation(c2023: Catalog) -> None:
    for code in TABLE_ROWS_000:
        if len(code) == 7:
            assert c2023.explanations.get(code), code


def test_shared_explanations_fill_common_items(c2023: Catalog) -> None:
    shared = "反映行政单位（包括实行公务员管理的事业单位）的基本支出。"
    assert c2023.explanations["2010101"] == shared
    # a 事业运行 with its own text keeps it; another one gets the shared text
    assert c2023.explanations["2010350"] == c2023.explanations["2013350"]
    assert all(len(code) == 7 for code in c2023.explanations)


# ------------------------------------------------------------------ 行次


def test_rows01_as_printed_in_000(c2023: Catalog) -> None:
    rows = c2023.rows01
    income = [
        "一般公共预算财政拨款收入",
        "政府性基金预算财政拨款收入",
        "国有资本经营预算财政拨款收入",
        "上级补助收入",
        "事业收入",
        "经营收入",
        "附属单位上缴收入",
        "其他收入",
    ]
    assert [rows[name] for name in income] == list(range(1, 9))
    assert rows["本年收入合计"] == 27
    assert rows["使用非财政拨款结余"] == 28
    assert rows["年初结转和结余"] == 29
    assert rows["收入总计"] == 31
    assert [rows[c.name] for c in c2023.classes] == list(range(32, 58))
    assert rows["一般公共服务支出"] == 32
    assert rows["住房保障支出"] == 50
    assert rows["抗疫特别国债安排的支出"] == 57
    assert rows["本年支出合计"] == 58
    assert rows["结余分配"] == 59
    assert rows["年末结转和结余"] == 60
    assert rows["支出总计"] == 62
    assert set(range(1, 63)) - set(rows.values()) == set(range(9, 27)) | {30, 61}


def test_rows04_as_printed_in_000(c2023: Catalog) -> None:
    rows = c2023.rows04
    assert rows["一般公共预算财政拨款"] == 1
    assert rows["政府性基金预算财政拨款"] == 2
    assert rows["国有资本经营预算财政拨款"] == 3
    assert rows["本年收入合计"] == 27
    assert rows["年初财政拨款结转和结余"] == 28
    assert rows["年初一般公共预算财政拨款结转和结余"] == 29
    assert rows["年初政府性基金预算财政拨款结转和结余"] == 30
    assert rows["年初国有资本经营预算财政拨款结转和结余"] == 31
    assert rows["收入总计"] == 32
    assert [rows[c.name] for c in c2023.classes] == list(range(33, 59))
    assert rows["卫生健康支出"] == 41
    assert rows["本年支出合计"] == 59
    assert rows["年末财政拨款结转和结余"] == 60
    assert rows["支出总计"] == 64
    assert set(range(1, 65)) - set(rows.values()) == set(range(4, 27)) | {61, 62, 63}


def test_rows_2024_follow_the_2023_rule_with_24_classes(c2024: Catalog) -> None:
    r01, r04 = c2024.rows01, c2024.rows04
    assert [r01[c.name] for c in c2024.classes] == list(range(30, 54))
    assert (r01["本年收入合计"], r01["收入总计"]) == (25, 29)
    assert (r01["本年支出合计"], r01["年末结转和结余"], r01["支出总计"]) == (54, 56, 58)
    assert [r04[c.name] for c in c2024.classes] == list(range(31, 55))
    assert (r04["本年收入合计"], r04["收入总计"]) == (25, 30)
    assert (r04["本年支出合计"], r04["支出总计"]) == (55, 60)


def test_row_names_are_the_same_each_year(c2023: Catalog, c2024: Catalog) -> None:
    debt = {"债务还本支出", "债务付息支出"}
    assert set(c2023.rows01) - debt == set(c2024.rows01)
    assert set(c2023.rows04) - debt == set(c2024.rows04)


# ------------------------------------------------------------------ 经济分类


def test_econ_layout_and_personnel(c2023: Catalog, c2024: Catalog) -> None:
    for catalog in (c2023, c2024):
        assert catalog.econ_layout == (("301", "303"), ("302",), ("310",))
        assert catalog.personnel_classes == frozenset({"301", "303"})
        assert catalog.public_classes == frozenset({"302", "310"})
        assert catalog.econ_classes["301"] == "工资福利支出"
        assert catalog.econ_classes["302"] == "商品和服务支出"
        assert catalog.econ_classes["303"] == "对个人和家庭的补助"
        assert catalog.econ_classes["310"] == "资本性支出"


def test_gongkai06_items_of_000(c2023: Catalog) -> None:
    assert items_of(c2023, "301") == ECON_301
    assert items_of(c2023, "303") == ECON_303
    assert items_of(c2023, "302") == ECON_302
    assert items_of(c2023, "302")[-1] == ("30299", "其他商品和服务支出")
    assert items_of(c2023, "310") == ECON_310_2023
    # table order: group by group, each 类 top to bottom
    assert [i.parent for i in c2023.econ_items] == (
        ["301"] * 13 + ["303"] * 12 + ["302"] * 27 + ["310"] * 7
    )


def test_gongkai06_items_of_the_2024_template(c2024: Catalog) -> None:
    assert items_of(c2024, "301") == ECON_301
    assert items_of(c2024, "303") == ECON_303
    assert items_of(c2024, "302") == ECON_302
    assert [code for code, _ in items_of(c2024, "310")] == [
        "31001", "31002", "31003", "31007", "31013", "31019", "31021", "31022", "31099",
    ]  # fmt: skip
    assert c2024.econ_name("31019") == "其他交通工具购置"


def test_econ_items_outside_gongkai06(c2023: Catalog) -> None:
    # named in reference 003's section 六, not printed in 000's 公开06
    assert c2023.econ_name("31001") == "房屋建筑物购建"
    assert c2023.econ_name("31005") == "基础设施建设"
    assert "31001" not in {i.code for i in c2023.econ_items}
    assert c2023.econ_name("399") == "其他支出"
    assert c2023.name("30213") == "维修（护）费"


# ------------------------------------------------------------------ API


def test_parents(c2023: Catalog) -> None:
    assert c2023.parents("2101102") == ("210", "21011")
    assert c2023.parents("21011") == ("210",)
    assert c2023.parents("210") == ()


def test_with_extra_adds_names_without_touching_the_original(c2023: Catalog) -> None:
    extended = c2023.with_extra(
        {"2070899": "其他广播电视支出", "2013302": "一般行政管理事务", "30230": "自定义费用"}
    )
    assert extended.name("2070899") == "其他广播电视支出"
    assert extended.name("2101102") == "事业单位医疗"
    assert extended.econ_name("30230") == "自定义费用"
    assert EconItem("30230", "自定义费用", "302") in extended.econ_extra_items
    assert extended.econ_items == c2023.econ_items
    assert extended.year == 2023
    assert c2023.name("30230") is None
    assert len(extended.names) == len(c2023.names)  # both codes were known already


def test_with_extra_new_code_gets_shared_explanation(c2023: Catalog) -> None:
    extended = c2023.with_extra({"20140": "信访事务", "2014001": "行政运行"})
    assert extended.name("20140") == "信访事务"
    assert extended.parents("2014001") == ("201", "20140")
    assert extended.explanations["2014001"] == c2023.explanations["2010101"]
    assert "2014001" not in c2023.names


def test_with_extra_refuses_codes_of_no_classification(c2023: Catalog) -> None:
    with pytest.raises(ValueError):
        c2023.with_extra({"10101": "增值税"})
    with pytest.raises(ValueError):
        c2023.with_extra({"20133500": "事业运行"})


def test_a_year_without_a_catalog_is_an_error_naming_the_years(tmp_path) -> None:
    from pathlib import Path

    from yujuesuan import pipeline

    sample = Path(__file__).resolve().parents[2] / "sample_data" / "qingshan-2023.yaml"
    text = sample.read_text(encoding="utf-8").replace("  年度: 2023", "  年度: 2018", 1)
    path = tmp_path / "old.yaml"
    path.write_text(text, encoding="utf-8")
    checked = pipeline.check(path)
    assert checked.figures is None
    [error] = [f for f in checked.findings if f.rule == "catalog-year"]
    assert error.message == (
        "没有 2018 年的支出功能分类和经济分类科目目录；可用的年度：2019–2024（2019、2020、2021、2022、2023、2024）。"
    )
    assert (error.location.line, error.path) == (16, "单位.年度")
