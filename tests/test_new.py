"""`yujuesuan new`: a commented skeleton that `check` reads without an error, listing what is missing."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

from yujuesuan import pipeline
from yujuesuan.catalog import load_catalog
from yujuesuan.errors import Severity
from yujuesuan.kinds.juesuan.validate import TOP_KEYS
from yujuesuan.workflows.new import SKELETON_ECON, SKELETON_ITEMS, skeleton_text


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "yujuesuan", *map(str, args)], capture_output=True, encoding="utf-8", env=env
    )


def test_new_writes_a_skeleton_that_checks_with_warnings_only(tmp_path: Path) -> None:
    out = tmp_path / "新单位.yaml"
    proc = run("new", "-o", out, "--year", "2024")
    assert proc.returncode == 0, proc.stderr
    assert f"已生成：{out}" in proc.stdout
    checked = run("check", out)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Traceback" not in checked.stdout + checked.stderr
    assert "错误：" not in checked.stdout
    warned = set(re.findall(r"\[missing-fact\] 警告：([^:]+): ", checked.stdout))
    assert {"单位.名称", "概况.主要职能", "经济分类"} <= warned
    assert {f"科目.{code}" for code in SKELETON_ITEMS} <= warned
    assert {f"上年.{k}" for k in ("收支总计", "收入合计", "支出合计")} <= warned


def test_skeleton_findings(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(skeleton_text(load_catalog(2024), 2024), encoding="utf-8")
    result = pipeline.check(path)
    assert result.figures is not None and not result.errors, [f.format() for f in result.errors]
    by_path = {f.path: f for f in result.findings if f.rule == "missing-fact"}
    assert by_path["单位.名称"].severity is Severity.WARNING
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "（单位名称）" in lines[by_path["单位.名称"].location.line - 1]
    assert f'"{SKELETON_ITEMS[0]}"' in lines[by_path[f"科目.{SKELETON_ITEMS[0]}"].location.line - 1]
    assert result.model is not None and result.model.year == 2024


def test_skeleton_has_every_block_and_typical_codes() -> None:
    text = skeleton_text(load_catalog(2024), 2024)
    for key in TOP_KEYS:  # written, shown commented out, or at least named
        assert key in text, key
    for key in ("单位", "科目", "经济分类", "三公经费", "上年", "说明", "重点工作", "绩效"):
        assert f"\n{key}:" in text, key
    for code in ("2010101", "2080505", "2080506", "2101101", "2101102", "2101103", "2210201"):
        assert f'  "{code}":' in text
    known = {i.code for i in load_catalog(2024).econ_items}
    assert set(SKELETON_ECON) <= known
    assert "行政运行" in text and "事业运行" in text  # the comment on the placeholder 项


def test_filled_skeleton_passes_the_rules(tmp_path: Path) -> None:
    """The form is usable as written: fill one 项 and its 经济分类 and the audit rules pass."""
    text = skeleton_text(load_catalog(2024), 2024).replace("（单位名称）", "测试局", 1)
    block = text.index('"2010101":')
    head, tail = text[:block], text[block:]
    tail = tail.replace("一般公共预算财政拨款:\n", "一般公共预算财政拨款: 100.00\n", 1)
    tail = tail.replace("基本支出:\n", "基本支出: 100.00\n", 2)
    text = (head + tail).replace('"30101":', '"30101": 100.00', 1)
    path = tmp_path / "filled.yaml"
    path.write_text(text, encoding="utf-8")
    result = pipeline.check(path)
    assert result.ok, [f.format() for f in result.errors]
    assert result.figures is not None and result.figures.tables["03"].get("合计", "基本支出") == 100


def test_default_year_is_the_last_finished_year(tmp_path: Path) -> None:
    out = tmp_path / "a.yaml"
    assert run("new", "-o", out).returncode == 0
    year = datetime.date.today().year - 1
    assert f"  年度: {year}" in out.read_text(encoding="utf-8")


def test_new_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "a.yaml"
    out.write_text("mine\n", encoding="utf-8")
    proc = run("new", "-o", out)
    assert proc.returncode == 2
    assert "已经存在" in proc.stderr and "--force" in proc.stderr
    assert out.read_text(encoding="utf-8") == "mine\n"
    assert run("new", "-o", out, "--force").returncode == 0
    assert out.read_text(encoding="utf-8").startswith("# ")


def test_new_usage_errors(tmp_path: Path) -> None:
    for args in ((), ("-o", tmp_path / "x.yaml", "--profile", "没有这个"), ("-o", tmp_path, "--force")):
        proc = run("new", *args)
        assert proc.returncode == 2, args
        assert "Traceback" not in proc.stderr


def test_new_help_is_chinese() -> None:
    proc = run("new", "--help")
    assert proc.returncode == 0 and "空白数据文件" in proc.stdout
