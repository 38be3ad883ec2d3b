"""`yujuesuan check` as a person runs it: exit codes, FILE:LINE:COL: [rule] lines, JSON, Chinese help.

Each test starts the real interpreter (``python -m yujuesuan``), so that a traceback, a hang or
a crash of the interpreter would show here even where the library call looks fine.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_bad_inputs import BASE, CASES_BY_NAME, LAUGHS, write
from yujuesuan.input.load import MAX_BYTES

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "qingshan-2023.yaml"
JSON_KEYS = {"file", "line", "column", "rule", "severity", "message"}

# One or two cases from each class of BAD_INPUTS.md.
CLI_CASES = (
    "alias",
    "deep-flow-5000",
    "deep-block-maps",
    "duplicate-key",
    "yaml11-no",
    "yaml11-sexagesimal",
    "exponent-huge",
    "year-chinese-numerals",
    "bytes-neither-utf8-nor-gb18030",
    "nbsp-in-key",
    "nbsp-in-number",
    "fw-colon",
    "escape-nul-in-主要职能",
    "escape-surrogate-in-名称",
    "raw-control-char",
    "accounting-negative",
    "arabic-indic-digits",
    "too-large",
    "mapping-for-amount",
    "near-miss-top-key",
    "missing-items-block",
)


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "yujuesuan", *map(str, args)],
        capture_output=True,
        encoding="utf-8",
        env=env,
        timeout=120,  # a hang fails the test instead of the whole run
    )


def assert_no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stdout and "Traceback" not in proc.stderr, proc.stderr


@pytest.mark.parametrize("name", CLI_CASES)
def test_bad_input_exits_1_with_located_line(tmp_path, name):
    case = CASES_BY_NAME[name]
    path = write(tmp_path, case.payload)
    proc = run("check", path)
    assert_no_traceback(proc)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    column = str(case.column) if case.column is not None else r"\d+"
    prefix = re.compile(rf"{re.escape(str(path))}:{case.line}:{column}: \[{re.escape(case.rule)}\] 错误：")
    lines = [line for line in proc.stdout.splitlines() if prefix.match(line)]
    assert any(case.message in line for line in lines), proc.stdout
    assert "个错误" in proc.stderr


def test_billion_laughs_is_refused_by_the_cli(tmp_path):
    path = write(tmp_path, LAUGHS)
    proc = run("check", path)
    assert_no_traceback(proc)
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"{path}:1:5: [yaml-alias] 错误：")


def test_file_over_size_cap_is_refused_by_the_cli(tmp_path):
    path = write(tmp_path, BASE + "# " + "x" * MAX_BYTES + "\n")
    proc = run("check", path)
    assert_no_traceback(proc)
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"{path}: [yaml-size] 错误：文件过大")


def test_warnings_alone_exit_0(tmp_path):
    path = write(tmp_path, BASE.encode("gb18030"))
    proc = run("check", path)
    assert_no_traceback(proc)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith(f"{path}:1:1: [encoding] 警告：")
    assert "没有错误" in proc.stderr


def test_sample_passes_with_no_findings():
    proc = run("check", SAMPLE)
    assert_no_traceback(proc)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert "检查通过" in proc.stderr


def test_json_lists_findings_with_their_places(tmp_path):
    case = CASES_BY_NAME["duplicate-key"]
    path = write(tmp_path, case.payload)
    proc = run("check", "--format", "json", path)
    assert_no_traceback(proc)
    assert proc.returncode == 1
    findings = json.loads(proc.stdout)
    assert isinstance(findings, list) and findings
    for f in findings:
        assert JSON_KEYS <= f.keys()
        assert f["severity"] in ("error", "warning")
    assert {
        "file": str(path),
        "line": case.line,
        "column": case.column,
        "rule": case.rule,
        "severity": "error",
    }.items() <= findings[0].items()
    assert case.message in findings[0]["message"]


def test_json_of_a_validation_error_carries_the_field_path(tmp_path):
    path = write(tmp_path, CASES_BY_NAME["yaml11-no"].payload)
    proc = run("check", "--format", "json", path)
    assert proc.returncode == 1
    (finding,) = [f for f in json.loads(proc.stdout) if f["rule"] == "amount"]
    assert finding["path"] == "科目.2013350.支出.基本支出"
    assert (finding["line"], finding["column"]) == (12, 13)


def test_json_of_the_sample_is_an_empty_list():
    proc = run("check", "--format", "json", SAMPLE)
    assert_no_traceback(proc)
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == []


def test_missing_file_is_a_usage_error(tmp_path):
    proc = run("check", tmp_path / "没有这个文件.yaml")
    assert_no_traceback(proc)
    assert proc.returncode == 2
    assert "找不到文件" in proc.stderr
    assert proc.stdout == ""


def test_directory_is_a_usage_error_in_chinese(tmp_path):
    proc = run("check", tmp_path)
    assert_no_traceback(proc)
    assert proc.returncode == 2
    assert "文件夹" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [pytest.param(["check"], id="no-file"), pytest.param(["check", "--format", "xml", "x.yaml"], id="bad-format")],
)
def test_wrong_arguments_exit_2(args):
    proc = run(*args)
    assert_no_traceback(proc)
    assert proc.returncode == 2


def test_help_is_chinese():
    proc = run("--help")
    assert proc.returncode == 0
    assert "check" in proc.stdout
    assert "生成部门决算公开文档" in proc.stdout
    assert "检查数据文件" in proc.stdout


def test_check_help_states_the_exit_codes():
    proc = run("check", "-h")
    assert proc.returncode == 0
    assert "退出码" in proc.stdout
    assert "--format" in proc.stdout


def test_check_with_a_profile_reports_the_facts_it_needs():
    proc = run("check", SAMPLE, "--profile", "sichuan")
    assert_no_traceback(proc)
    assert proc.returncode == 0
    lines = [line for line in proc.stdout.splitlines() if "[missing-fact]" in line]
    assert [line.split("警告：")[1].split(":")[0] for line in lines] == ["项目支出经济分类", "公务用车明细"]
    assert lines[0].startswith(f"{SAMPLE}:")


def test_check_with_an_unknown_profile_is_a_usage_error():
    proc = run("check", SAMPLE, "--profile", "nope")
    assert proc.returncode == 2
    assert "没有名为“nope”的模板" in proc.stderr
