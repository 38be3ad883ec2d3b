"""`yujuesuan build`/`check` with many units: isolation, statuses, exit codes, summary files, skip and --force."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from yujuesuan.output.sets import stem
from yujuesuan.workflows.batch import summary
from yujuesuan.workflows.batch.summary import Row

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "qingshan-2023.yaml"
SAMPLE_NAME = "名称: 武汉市青山区融媒体中心"
TEMPLATE_TRAP = "模板错误测试单位"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yujuesuan", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def renamed(text: str, name: str) -> str:
    assert text.count(SAMPLE_NAME) == 1
    return text.replace(SAMPLE_NAME, f"名称: {name}")


def sheet_rows(book: Path, sheet: str) -> list[list[str]]:
    ws = load_workbook(book)[sheet]
    return [[c.value for c in row] for row in ws.iter_rows()]


def units_by_file(book: Path) -> dict[str, list[str]]:
    rows = sheet_rows(book, "汇总")
    assert rows[1][:5] == ["数据文件", "单位", "状态", "错误数", "警告数"]
    return {Path(r[0]).name: r for r in rows[2:]}


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory, sample_text: str, mutate) -> Path:
    """Four units: one good, one broken YAML, one failing an audit rule, one tripping a district template."""
    base = tmp_path_factory.mktemp("district")
    data = base / "data"
    data.mkdir()
    (data / "a-good.yaml").write_text(sample_text, encoding="utf-8")
    (data / "b-broken.yaml").write_text(sample_text.replace("科目:\n", "科目: [\n", 1), encoding="utf-8")
    (data / "c-audit.yaml").write_text(mutate(sample_text, '"30101": 79.38', '"30101": 80.38'), encoding="utf-8")
    (data / "d-template.yaml").write_text(renamed(sample_text, TEMPLATE_TRAP), encoding="utf-8")
    (data / "notes.txt").write_text("not a data file", encoding="utf-8")
    overlay = base / "templates" / "sections"
    overlay.mkdir(parents=True)
    original = (ROOT / "templates" / "wuhan" / "sections" / "01-概况.j2").read_text(encoding="utf-8")
    trap = f'{{% if u.名称 == "{TEMPLATE_TRAP}" %}}{{{{ 没有这个变量 }}}}{{% endif %}}\n'
    (overlay / "01-概况.j2").write_text(trap + original, encoding="utf-8")
    return base


@pytest.fixture(scope="module")
def district_run(district: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = district / "out"
    args = ["build", "data", "-o", "out", "--jobs", "2", "--format", "docx", "--templates", "templates"]
    return cli(*args, cwd=district), out


def test_one_unit_fails_the_others_are_built(district: Path, district_run) -> None:
    run, out = district_run
    assert run.returncode == 1, run.stderr
    units = units_by_file(out / "summary.xlsx")
    assert sorted(units) == ["a-good.yaml", "b-broken.yaml", "c-audit.yaml", "d-template.yaml"]  # *.yaml only
    assert units["a-good.yaml"][2] == "已生成"
    assert units["a-good.yaml"][3] == "0"
    # the output name says the district folder it was built with, as a single build's does
    name = stem("武汉市青山区融媒体中心", 2023, "wuhan", district / "templates")
    assert units["a-good.yaml"][5] == f"武汉市青山区融媒体中心-2023/{name}.docx"
    docx = out / units["a-good.yaml"][5]
    assert docx.read_bytes()[:2] == b"PK"
    for name in ("b-broken.yaml", "c-audit.yaml", "d-template.yaml"):
        assert units[name][2] == "有错误", units[name]
        assert units[name][5] is None  # nothing written for a failed unit (an empty cell)
    assert not (out / f"{TEMPLATE_TRAP}-2023").exists()
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["武汉市青山区融媒体中心-2023"]


def test_findings_keep_file_and_line(district: Path, district_run) -> None:
    run, out = district_run
    issues = sheet_rows(out / "summary.xlsx", "问题")
    assert issues[0] == ["数据文件", "单位", "级别", "位置（文件:行:列）", "规则", "说明"]
    by_file: dict[str, list[list[str]]] = {}
    for row in issues[1:]:
        by_file.setdefault(Path(row[0]).name, []).append(row)
    text = (district / "data" / "b-broken.yaml").read_text(encoding="utf-8")
    broken_line = text.splitlines().index("科目: [") + 1
    (yaml_error,) = by_file["b-broken.yaml"]
    assert yaml_error[2] == "错误" and yaml_error[4] == "yaml"
    assert yaml_error[3].startswith("data/b-broken.yaml:")
    assert int(yaml_error[3].split(":")[1]) >= broken_line
    audit = [r for r in by_file["c-audit.yaml"] if r[2] == "错误"]
    assert [r[4] for r in audit] == ["06-05-基本支出"]
    audit_text = (district / "data" / "c-audit.yaml").read_text(encoding="utf-8")
    assert audit[0][3].startswith("data/c-audit.yaml:")
    assert int(audit[0][3].split(":")[1]) > audit_text.splitlines().index("经济分类:")
    (template_error,) = by_file["d-template.yaml"]
    assert "没有这个变量" in template_error[5]
    assert "sections/01-概况.j2 第 1 行" in template_error[5]  # the template's file and line
    # Never a worker's private copy of the district folder:
    assert "yujuesuan-templates-" not in "".join(c or "" for c in template_error)
    # The terminal shows the errors with their place, and the table.
    assert "data/b-broken.yaml:" in run.stdout and "06-05-基本支出" in run.stdout
    assert "各单位结果" in run.stdout
    assert "共 4 个单位：已生成 1，有错误 3。" in run.stderr


def test_summary_html_lists_every_unit(district_run) -> None:
    _, out = district_run
    page = (out / "summary.html").read_text(encoding="utf-8")
    for name in ("a-good.yaml", "b-broken.yaml", "c-audit.yaml", "d-template.yaml"):
        assert f"data/{name}" in page
    assert "06-05-基本支出" in page
    assert "http" not in page.replace('http-equiv="Content-Security-Policy"', "")  # nothing fetched


def test_skip_unchanged_and_force(tmp_path: Path, sample_text: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "one.yaml").write_text(renamed(sample_text, "武汉市青山区档案馆"), encoding="utf-8")
    (data / "two.yaml").write_text(renamed(sample_text, "武汉市青山区图书馆"), encoding="utf-8")
    first = cli("build", "data", "-o", "out", "--jobs", "1", "--format", "html", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    out = tmp_path / "out"
    built = out / "武汉市青山区档案馆-2023" / "武汉市青山区档案馆2023年度部门决算.html"
    stamp = built.stat().st_mtime_ns
    again = cli("build", "data", "-o", "out", "--format", "html", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert [r[2] for r in units_by_file(out / "summary.xlsx").values()] == ["未变，跳过", "未变，跳过"]
    assert built.stat().st_mtime_ns == stamp
    # Another format is another build; so is a changed input, alone.
    (data / "two.yaml").write_text(renamed(sample_text, "武汉市青山区图书馆") + "\n# 改了一行注释\n", encoding="utf-8")
    changed = cli("build", "data", "-o", "out", "--format", "html", cwd=tmp_path)
    assert changed.returncode == 0, changed.stderr
    statuses = {k: r[2] for k, r in units_by_file(out / "summary.xlsx").items()}
    assert statuses == {"one.yaml": "未变，跳过", "two.yaml": "已生成"}
    forced = cli("build", "data", "-o", "out", "--format", "html", "--force", "--jobs", "1", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert [r[2] for r in units_by_file(out / "summary.xlsx").values()] == ["已生成", "已生成"]
    assert built.stat().st_mtime_ns != stamp
    kept = list((built.parent / "历史版本").rglob("武汉市青山区档案馆2023年度部门决算.html"))
    assert len(kept) == 1  # the earlier version kept, as a single build keeps it
    manifest = json.loads((out / ".yujuesuan-batch.json").read_text(encoding="utf-8"))
    assert len(manifest["units"]) == 2


HOSTILE = "=HYPERLINK(\"http://evil.example\",\"点我\")<script>alert(1)</script>"


def test_check_many_with_a_hostile_unit_name(tmp_path: Path, sample_text: str) -> None:
    text = renamed(sample_text, "'" + HOSTILE.replace("'", "''") + "'")
    (tmp_path / "evil.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "good.yaml").write_text(sample_text, encoding="utf-8")
    run = cli("check", "evil.yaml", "good.yaml", "-o", "out", "--jobs", "1", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    book = tmp_path / "out" / "summary.xlsx"
    units = units_by_file(book)
    assert units["evil.yaml"][1] == f"{HOSTILE} 2023"
    assert units["evil.yaml"][2] == units["good.yaml"][2] == "通过"
    for ws in load_workbook(book).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)
    page = (tmp_path / "out" / "summary.html").read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_check_many_reports_errors_and_json(tmp_path: Path, sample_text: str, mutate) -> None:
    (tmp_path / "ok.yaml").write_text(sample_text, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(mutate(sample_text, '"30101": 79.38', '"30101": 80.38'), encoding="utf-8")
    run = cli("check", "*.yaml", "--format", "json", "--jobs", "2", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    units = {u["file"]: u for u in json.loads(run.stdout)}
    assert units["ok.yaml"]["status"] == "checked" and units["ok.yaml"]["errors"] == []
    assert units["bad.yaml"]["status"] == "errors"
    assert [e.split(": [")[1].split("]")[0] for e in units["bad.yaml"]["errors"]] == ["06-05-基本支出"]
    assert units["bad.yaml"]["errors"][0].startswith("bad.yaml:")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    run = cli("build", "empty", "-o", "out", cwd=tmp_path)
    assert run.returncode == 2 and "没有 .yaml 数据文件" in run.stderr
    run = cli("build", "nothing-*.yaml", "-o", "out", cwd=tmp_path)
    assert run.returncode == 2 and "没有与 nothing-*.yaml 匹配的数据文件" in run.stderr
    run = cli("build", str(SAMPLE), str(SAMPLE), "--format", "odt", cwd=tmp_path)
    assert run.returncode == 2 and "不支持的格式：odt" in run.stderr
    run = cli("build", str(SAMPLE), "missing.yaml", cwd=tmp_path)
    assert run.returncode == 2 and "找不到文件：missing.yaml" in run.stderr
    run = cli("build", str(SAMPLE), str(SAMPLE), "--profile", "nosuch", cwd=tmp_path)
    assert run.returncode == 2 and "没有名为“nosuch”的模板" in run.stderr


def test_summary_writers_neutralize_formulas_and_escape(tmp_path: Path) -> None:
    rows = [
        Row("=cmd|' /C calc'!A0.yaml", "errors", "@SUM(1+1)", errors=("-1+2:3:4: [rule] 错误：+危险<b>x</b>",)),
        Row("<img src=x onerror=alert(1)>.yaml", "ok", "单位 2023", outputs=["a/b.docx"]),
    ]
    book_bytes = summary.workbook_bytes(rows, "标题")
    path = tmp_path / "summary.xlsx"
    path.write_bytes(book_bytes)
    book = load_workbook(path)
    values = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert all(c.data_type == "s" for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "=cmd|' /C calc'!A0.yaml" in values and "@SUM(1+1)" in values and "+危险<b>x</b>" in values
    assert book["问题"]["D2"].value == "-1+2:3:4"
    page = summary.html_bytes(rows, "标题").decode("utf-8")
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>x</b>" not in page


def test_inputs_folders_globs_and_duplicates(tmp_path: Path) -> None:
    from yujuesuan.workflows.batch.inputs import expand, wants_batch

    (tmp_path / "d").mkdir()
    for name in ("b.yaml", "a.yml", "c.txt"):
        (tmp_path / "d" / name).write_text("x", encoding="utf-8")
    one = tmp_path / "d" / "b.yaml"
    assert not wants_batch([one])
    assert wants_batch([tmp_path / "d"]) and wants_batch([one, one]) and wants_batch([tmp_path / "d" / "*.yaml"])
    found = expand([tmp_path / "d", one, tmp_path / "d" / "*.yaml"])
    assert [p.name for p in found] == ["a.yml", "b.yaml"]  # folder order, each file once, no .txt


def test_unit_check_matches_the_file_check(sample_text: str, mutate, check_text) -> None:
    from yujuesuan.workflows.batch.unit import UnitOptions, build_unit

    text = mutate(sample_text, '"30101": 79.38', '"30101": 80.38')
    from_file = check_text(text, name="unit.yaml")
    name = str(from_file.path)
    result = build_unit(text.encode("utf-8"), name, UnitOptions(check_only=True))
    assert result.status == "errors"
    assert list(result.errors) == [f.format() for f in from_file.errors]
    assert list(result.warnings) == [f.format() for f in from_file.findings if f not in from_file.errors]
    assert result.unit == "武汉市青山区融媒体中心 2023"
    assert result.outputs == {}


def test_a_unit_in_a_batch_is_the_single_build_byte_for_byte(district: Path, district_run) -> None:
    _, out = district_run
    single = cli("build", "data/a-good.yaml", "-o", "single", "--format", "docx", "--templates", "templates",
                 cwd=district)  # fmt: skip
    assert single.returncode == 0, single.stderr
    assert single.stdout.startswith("已生成：")  # the single-file path, its messages unchanged
    name = stem("武汉市青山区融媒体中心", 2023, "wuhan", district / "templates")
    rel = Path("武汉市青山区融媒体中心-2023") / f"{name}.docx"
    assert (district / "single" / rel).read_bytes() == (out / rel).read_bytes()


def test_dask_not_installed_is_a_chinese_usage_error(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['distributed'] = None\n"  # as if `pip install yujuesuan` had no [dask]
        "from yujuesuan.cli import run\n"
        f"sys.argv = ['yujuesuan', 'build', {str(SAMPLE)!r}, {str(SAMPLE)!r}, '--executor', 'dask',"
        " '--scheduler', 'tcp://127.0.0.1:9']\n"
        "run()\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert "没有安装 Dask" in run.stderr and "pip install 'yujuesuan[dask]'" in run.stderr
    assert "Traceback" not in run.stderr


def test_two_files_of_the_same_unit_do_not_overwrite_each_other(tmp_path: Path, sample_text: str) -> None:
    (tmp_path / "a.yaml").write_text(sample_text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(sample_text + "\n# 同一个单位的另一份文件\n", encoding="utf-8")
    run = cli("build", "a.yaml", "b.yaml", "-o", "out", "--format", "html", "--jobs", "1", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    units = units_by_file(tmp_path / "out" / "summary.xlsx")
    statuses = sorted(r[2] for r in units.values())
    assert statuses == ["已生成", "有错误"]
    failed = next(r for r in units.values() if r[2] == "有错误")
    other = "a.yaml" if failed[0] == "b.yaml" else "b.yaml"
    messages = " ".join(r[5] for r in sheet_rows(tmp_path / "out" / "summary.xlsx", "问题")[1:])
    assert f"与 {other} 的单位名称和年度相同" in messages
    assert not list((tmp_path / "out").rglob("*.prev.*"))  # the first unit's file was not replaced
