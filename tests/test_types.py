"""Types are checked: mypy passes on the package, and the derived facts are what derive/facts.py declares.

mypy checks the code that builds and reads the facts against their TypedDicts; the
run-time half here checks that the dicts a build really makes have the declared keys
and value types (a TypedDict is a plain dict at run time, so nothing else would notice
a builder that spreads a key the declaration lacks). The key lists the validators read
(model.SANGONG_COUNTS, …) must name the same keys as the TypedDicts that hold them.
"""

from __future__ import annotations

import subprocess
import sys
import types
from decimal import Decimal
from pathlib import Path
from typing import Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from yujuesuan import api
from yujuesuan.kinds.juesuan import model, validate_extra, validate_perf
from yujuesuan.kinds.juesuan.derive import facts

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = [ROOT / "sample_data" / "qingshan-2023.yaml", ROOT / "sample_data" / "panzhihua-dongqu-2023.yaml"]
# The optional parts of the facts: 三公 明细 and 预算绩效管理, as a file may give them.
DETAIL = "  明细: {因公出国团组数: 1, 因公出国人次: 3, 公务接待用途: 调研接待, 外宾接待费: 0.5}\n"
PERF_MANAGEMENT = "预算绩效管理: {制度: 已建立, 绩效目标项目数: 2, 绩效目标项目金额: 12.5}\n"


def test_mypy_passes_on_the_package() -> None:
    """`python -m mypy` with the settings of pyproject.toml ([tool.mypy]): no error anywhere in yujuesuan."""
    try:
        import mypy  # noqa: F401
    except ImportError:
        pytest.fail("mypy is not installed: it is in the test extra (pip install -e '.[test]')")
    run = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False
    )
    assert run.returncode == 0, f"mypy found type errors:\n{run.stdout}{run.stderr}"


def _keys(typed_dict: type) -> tuple[str, ...]:
    return tuple(get_type_hints(typed_dict))


def test_key_lists_name_the_keys_of_their_typed_blocks() -> None:
    assert _keys(model.SangongCounts) == model.SANGONG_COUNTS
    assert _keys(model.SangongTexts) == model.SANGONG_TEXTS
    assert _keys(model.PerfManagementInput) == model.PERF_MANAGEMENT_KEYS
    assert facts.Procurement.__optional_keys__ == frozenset(model.RESERVED_PROCUREMENT_KEYS)
    assert set(validate_perf.PROJECT_TEXTS) <= set(_keys(facts.PerfProject))
    assert set(validate_perf.PERF_TEXTS) <= set(_keys(facts.Performance))
    assert set(validate_extra.ORG_KINDS) <= set(_keys(facts.OrganisationFacts))
    assert set(validate_extra.PERF_LISTS) <= set(_keys(facts.SichuanPerformance))
    assert _keys(validate_extra.Extra) == validate_extra.EXTRA_KEYS


def _check(value: object, declared: object, path: str) -> None:
    """Assert that ``value`` is what ``declared`` (a type annotation) says, recursively."""
    origin = get_origin(declared)
    if isinstance(declared, type) and is_typeddict(declared):
        assert isinstance(value, dict), f"{path}: {type(value).__name__}, not a dict"
        hints = get_type_hints(declared)
        missing = declared.__required_keys__ - set(value)
        assert not missing, f"{path}: lacks {sorted(missing)}"
        extra = set(value) - set(hints)
        assert not extra, f"{path}: {sorted(extra)} not declared in {declared.__name__}"
        for key, item in value.items():
            _check(item, hints[key], f"{path}.{key}")
    elif origin is list:
        assert isinstance(value, list), f"{path}: {type(value).__name__}, not a list"
        for i, item in enumerate(value):
            _check(item, get_args(declared)[0], f"{path}[{i}]")
    elif origin is dict:
        assert isinstance(value, dict), f"{path}: {type(value).__name__}, not a dict"
        key_type, item_type = get_args(declared)
        for key, item in value.items():
            _check(key, key_type, f"{path} key")
            _check(item, item_type, f"{path}[{key}]")
    elif origin in (Union, types.UnionType):
        errors = []
        for arm in get_args(declared):
            try:
                _check(value, arm, path)
                return
            except AssertionError as exc:
                errors.append(str(exc))
        raise AssertionError(f"{path}: none of {declared}: {errors}")
    elif declared is type(None):
        assert value is None, f"{path}: {value!r}, not None"
    else:
        assert isinstance(declared, type), f"{path}: cannot check {declared!r}"
        # bool is an int in Python; a count typed int must not be a flag, nor an amount a float.
        wrong_bool = isinstance(value, bool) and declared is not bool
        assert isinstance(value, declared) and not wrong_bool, f"{path}: {value!r}, not {declared.__name__}"


@pytest.mark.parametrize("profile", ["wuhan", "national-2024", "sichuan"])
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_facts_of_a_build_are_what_derive_facts_declares(sample: Path, profile: str) -> None:
    checked = api.check(sample.read_bytes(), name=sample.name, profile=profile)
    assert checked.figures is not None, [str(f) for f in checked.errors]
    _check(checked.figures.facts, facts.Facts, "f")
    if profile == "sichuan":  # (a file with a Sichuan block gets them under any profile)
        assert "四川" in checked.figures.facts


def test_optional_facts_and_defaults_are_typed_too() -> None:
    """三公 明细 and 预算绩效管理 as the file gives them; a project's 分值 when 执行分值 is left out."""
    text = SAMPLES[0].read_text(encoding="utf-8")
    weight = "      执行分值: 20              # 表中执行率 99.96%，得分栏印作 20"
    assert text.count(weight) == 1 and text.count("\n  公务用车保有量:") == 1
    text = text.replace(weight, "      # 执行分值 left out: 20 by default")
    text = text.replace("\n  公务用车保有量:", "\n" + DETAIL + "  公务用车保有量:") + PERF_MANAGEMENT
    checked = api.check(text.encode("utf-8"), name="detail.yaml")
    assert checked.figures is not None and checked.document is not None, [str(f) for f in checked.findings]
    f = checked.figures.facts
    _check(f, facts.Facts, "f")
    project = f["绩效"]["项目"][0]
    assert project["分值"] == Decimal(20) and isinstance(project["分值"], Decimal)
    assert f["三公"]["明细"] == {
        "因公出国团组数": 1, "因公出国人次": 3, "公务接待用途": "调研接待", "外宾接待费": Decimal("0.5"),
    }  # fmt: skip
    assert f["绩效管理"]["制度"] == "已建立" and f["绩效管理"]["绩效目标项目金额"] == Decimal("12.5")
    # The project's 自评表 formats the default 分值 (an int 20 made composing fail).
    assert "年度财政资金总额" in checked.document.text()
