"""单位.模板: a data file names its profile; --profile overrides it; every path keeps it (diff ignores it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

import yujuesuan
from samples import panzhihua_without_project_econ
from yujuesuan import pipeline
from yujuesuan.errors import Findings
from yujuesuan.output.sets import stem
from yujuesuan.profiles import load_profile
from yujuesuan.workflows.diff import compare
from yujuesuan.workflows.rollover import rollover
from yujuesuan.workflows.xlsx import export_workbook, import_workbook

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_data"
PANZHIHUA = SAMPLES / "panzhihua-dongqu-2023.yaml"
QINGSHAN = SAMPLES / "qingshan-2023.yaml"
STATED = "  模板: sichuan"
PANZHIHUA_UNIT = "攀枝花市东区融媒体中心"
QINGSHAN_UNIT = "武汉市青山区融媒体中心"


def cli(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yujuesuan", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=600
    )


def status_by_file(book: Path) -> dict[str, tuple[str, str]]:
    rows = [[c.value for c in row] for row in load_workbook(book)["汇总"].iter_rows()]
    return {Path(r[0]).name: (r[2], r[5]) for r in rows[2:]}


def panzhihua_text() -> str:
    text = PANZHIHUA.read_text(encoding="utf-8")
    assert text.count(f"\n{STATED} ") == 1  # the sample states its profile
    return text


def test_the_file_chooses_the_profile_and_the_command_line_overrides_it() -> None:
    data = PANZHIHUA.read_bytes()
    stated = yujuesuan.check(data, name="p.yaml")
    assert stated.profile.name == "sichuan"
    assert stated.model is not None and stated.model.profile == "sichuan"
    # Complete for the Sichuan layout; the Wuhan one (below) asks for 绩效.结果应用情况, which 003 does not state.
    assert stated.placeholders == () and stated.publishable
    # Without its 项目支出经济分类, the Sichuan layout's own placeholder.
    lacking = yujuesuan.check(panzhihua_without_project_econ(), name="p.yaml")
    assert ["【未填报项目支出经济分类】" in f.message for f in lacking.placeholders] == [True]
    overridden = yujuesuan.check(data, name="p.yaml", profile="wuhan")
    assert overridden.profile.name == "wuhan"
    assert any("“绩效.结果应用情况”" in f.message for f in overridden.placeholders)
    plain = yujuesuan.check(QINGSHAN.read_bytes(), name="q.yaml")
    assert plain.profile.name == "wuhan" and plain.model is not None and plain.model.profile == ""


def test_an_unknown_profile_in_the_file_is_a_located_chinese_error(tmp_path: Path) -> None:
    text = panzhihua_text().replace(f"\n{STATED} ", "\n  模板: sichaun ", 1)
    path = tmp_path / "typo.yaml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("  模板: sichaun"))) + 1
    run = cli("check", path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"{path}:{line}:7: [profile] 错误：单位.模板: 没有名为“sichaun”的内置模板。是不是“sichuan”？" in run.stdout
    assert "Traceback" not in run.stderr
    # --profile wins over the file, so the same file checks under a profile the command line names.
    assert "[profile]" not in cli("check", path, "--profile", "sichuan").stdout
    # A non-text value is the schema's type error, located too.
    bad = tmp_path / "list.yaml"
    bad.write_text(text.replace("  模板: sichaun ", "  模板: [sichuan] ", 1), encoding="utf-8")
    run = cli("check", bad)
    assert run.returncode == 1 and f"{bad}:{line}:" in run.stdout and "单位.模板" in run.stdout


def test_a_batch_builds_each_unit_with_its_own_profile(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(QINGSHAN, data / "qingshan.yaml")
    (data / "panzhihua.yaml").write_text(panzhihua_text(), encoding="utf-8")
    run = cli("build", data, "-o", tmp_path / "out", "--jobs", "2", "--format", "docx")
    assert run.returncode == 0, run.stdout + run.stderr
    units = status_by_file(tmp_path / "out" / "summary.xlsx")
    sichuan = f"{PANZHIHUA_UNIT}-2023/{stem(PANZHIHUA_UNIT, 2023, 'sichuan')}.docx"
    wuhan = f"{QINGSHAN_UNIT}-2023/{stem(QINGSHAN_UNIT, 2023, 'wuhan')}.docx"
    assert units == {"panzhihua.yaml": ("已生成", sichuan), "qingshan.yaml": ("已生成", wuhan)}
    assert stem(PANZHIHUA_UNIT, 2023, "sichuan") != stem(PANZHIHUA_UNIT, 2023, "wuhan")
    # One broken file: exit 1, the others built all the same.
    (data / "broken.yaml").write_text("单位: [\n", encoding="utf-8")
    run = cli("build", data, "-o", tmp_path / "out", "--jobs", "2", "--format", "docx", "--force")
    assert run.returncode == 1, run.stdout + run.stderr
    units = status_by_file(tmp_path / "out" / "summary.xlsx")
    assert units["broken.yaml"] == ("有错误", None)
    assert units["panzhihua.yaml"] == ("已生成", sichuan) and units["qingshan.yaml"] == ("已生成", wuhan)
    assert (tmp_path / "out" / sichuan).read_bytes()[:2] == b"PK"


def test_the_sample_folder_builds_every_sample(tmp_path: Path) -> None:
    """sample_data/ as shipped: every unit built final, each with the profile it names (a broken one: above)."""
    run = cli("build", SAMPLES, "-o", tmp_path / "out", "--jobs", "2", "--format", "docx")
    assert run.returncode == 0, run.stdout + run.stderr
    units = status_by_file(tmp_path / "out" / "summary.xlsx")
    assert sorted(units) == sorted(p.name for p in SAMPLES.glob("*.yaml"))
    assert {status for status, _ in units.values()} == {"已生成"}
    assert units["panzhihua-dongqu-2023.yaml"][1].endswith(f"{stem(PANZHIHUA_UNIT, 2023, 'sichuan')}.docx")
    assert units["qingshan-2023.yaml"][1].endswith(f"{stem(QINGSHAN_UNIT, 2023, 'wuhan')}.docx")
    assert "-wuhan-yusuan.docx" in units["jianghan-2024-yusuan.yaml"][1]
    assert (tmp_path / "out" / "summary.html").read_bytes().startswith(b"<!DOCTYPE html>")


def test_new_writes_the_profile_and_rollover_keeps_it(tmp_path: Path) -> None:
    run = cli("new", "-o", tmp_path / "s.yaml", "--profile", "sichuan", "--year", "2024")
    assert run.returncode == 0, run.stderr
    written = (tmp_path / "s.yaml").read_text(encoding="utf-8")
    assert "\n  模板: sichuan" in written
    unit = yujuesuan.check(written.replace("（单位名称）", "测试局", 1), name="s.yaml")
    assert unit.profile.name == "sichuan" and not [f for f in unit.errors if f.rule == "profile"]
    assert cli("new", "-o", tmp_path / "w.yaml", "--year", "2024").returncode == 0
    plain = (tmp_path / "w.yaml").read_text(encoding="utf-8")
    assert "\n  模板:" not in plain  # no profile named: only the commented example of the key (schema.py)
    assert "\n  # 模板:" in plain
    checked = pipeline.check(PANZHIHUA)
    rolled = rollover(checked.figures, PANZHIHUA.name)
    assert "\n  模板: sichuan\n" in rolled.text
    assert yujuesuan.check(rolled.text, name="next.yaml").profile.name == "sichuan"


def test_the_workbook_keeps_the_profile_and_diff_ignores_it(tmp_path: Path) -> None:
    profile = load_profile("sichuan")
    checked = pipeline.check(PANZHIHUA, profile.layout_year, profile.config.get("requires") or ())
    book = tmp_path / "book.xlsx"
    book.write_bytes(export_workbook(checked.figures, profile))
    findings = Findings()
    text = import_workbook(book, findings)
    assert findings.items == []
    back = yujuesuan.check(text, name="back.yaml")
    assert back.profile.name == "sichuan" and back.model is not None and back.model.profile == "sichuan"
    # A file without 单位.模板 and the same file with it: diff reports no change.
    plain = tmp_path / "plain.yaml"
    plain.write_text(panzhihua_text().replace(f"\n{STATED} ", "\n  # ", 1), encoding="utf-8")
    assert pipeline.check(plain).model.profile == ""
    wuhan = load_profile("wuhan")
    figs = [pipeline.check(p, wuhan.layout_year).figures for p in (PANZHIHUA, plain)]
    from yujuesuan.compose import compose

    report = compare(figs[0], figs[1], tuple(compose(f, wuhan) for f in figs), ("a", "b"))
    assert report.same


@pytest.mark.parametrize("command", ["check", "build"])
def test_an_unknown_profile_on_the_command_line_is_still_a_usage_error(tmp_path: Path, command: str) -> None:
    args = ["-o", tmp_path / "out"] if command == "build" else []
    run = cli(command, PANZHIHUA, "--profile", "nosuch", *args)
    assert run.returncode == 2 and "没有名为“nosuch”的模板" in run.stderr
