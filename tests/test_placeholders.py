"""No unfinished document is built as final: placeholders are listed with their location, build exits 1,
--draft builds with 草稿 on every page, and check lists the same places."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

import yujuesuan
from yujuesuan.kinds.juesuan.sanity import REVIEW_MARK

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "qingshan-2023.yaml"


def cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yujuesuan", *map(str, args)], capture_output=True, text=True, cwd=cwd
    )


def listed(stdout: str) -> list[str]:
    """The lines after build's “文档中还有 N 处占位文字” heading."""
    _, _, rest = stdout.partition("处占位文字，不能生成正式文档：\n")
    assert rest, stdout
    return [line for line in rest.splitlines() if line]


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("new") / "blank.yaml"
    assert cli("new", "-o", path, "--year", "2023").returncode == 0
    return path


@pytest.fixture(scope="module")
def rolled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rollover")
    path = folder / "qingshan-2024.yaml"
    assert cli("rollover", SAMPLE, "-o", path).returncode == 0
    return path


def test_build_of_a_new_file_lists_its_placeholders_and_exits_1(blank: Path, tmp_path: Path) -> None:
    proc = cli("build", blank, "-o", tmp_path / "out", "--format", "docx")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = listed(proc.stdout)
    lines_of = {line.split(": [", 1)[0]: line for line in lines}
    text = blank.read_text(encoding="utf-8").splitlines()
    name_line = next(i for i, line in enumerate(text, 1) if "（单位名称）" in line and "名称:" in line)
    assert any(where.startswith(f"{blank}:{name_line}:") for where in lines_of)
    assert any("单位.名称" in line and "（单位名称）" in line for line in lines)
    assert any("概况.主要职能" in line and "主要职能" in line for line in lines)
    assert "--draft" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_draft_build_of_a_new_file_marks_every_page(blank: Path, tmp_path: Path) -> None:
    proc = cli("build", blank, "-o", tmp_path / "out", "--draft")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (pdf,) = (tmp_path / "out").rglob("*.pdf")
    (docx,) = (tmp_path / "out").rglob("*.docx")
    pages = PdfReader(pdf).pages
    assert len(pages) > 3 and all("草稿" in page.extract_text() for page in pages)
    with zipfile.ZipFile(docx) as zf:
        headers = [zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("word/header")]
    assert headers and all("草稿" in h for h in headers)


def test_build_of_a_rolled_over_file_lists_every_carried_text(rolled: Path, tmp_path: Path) -> None:
    proc = cli("build", rolled, "-o", tmp_path / "out", "--format", "docx")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = listed(proc.stdout)
    source = rolled.read_text(encoding="utf-8").splitlines()
    marked = [i for i, line in enumerate(source, 1) if REVIEW_MARK in line and not line.lstrip().startswith("#")]
    reported = [int(line.split(":")[1]) for line in lines if "[carried-text]" in line]
    # Every 【待更新】 of the file is listed once, at its text (a block text: at the line of its “|”).
    assert len(reported) == len(marked) > 20
    assert all(REVIEW_MARK in source[n - 1] or REVIEW_MARK in source[n] for n in reported)
    assert not (tmp_path / "out").exists()
    draft = cli("build", rolled, "-o", tmp_path / "out", "--format", "pdf", "--draft")
    assert draft.returncode == 0, draft.stdout + draft.stderr
    (pdf,) = (tmp_path / "out").rglob("*.pdf")
    assert all("草稿" in page.extract_text() for page in PdfReader(pdf).pages)


def test_check_lists_the_same_places_as_build(rolled: Path, tmp_path: Path) -> None:
    build = cli("build", rolled, "-o", tmp_path / "out", "--format", "docx")
    check = cli("check", rolled, "--format", "json")
    assert check.returncode == 0  # placeholders are warnings: the data is consistent, only unfinished
    found = json.loads(check.stdout)
    from_check = sorted(
        f"{f['file']}:{f['line']}:{f['column']}" for f in found if f["rule"] in ("carried-text", "placeholder")
    )
    from_build = sorted(line.split(": [", 1)[0] for line in listed(build.stdout))
    assert from_check == from_build and len(from_build) > 20
    text = cli("check", rolled)
    assert "处占位文字，正式生成前须替换" in text.stderr


def test_a_mark_inside_a_text_is_located_at_its_line_and_column() -> None:
    source = SAMPLE.read_text(encoding="utf-8")
    old = "（五）承办上级交办的其他工作。"
    assert old in source
    text = source.replace(old, "（五）承办上级交办的其他工作，共【缺少人数】人。")
    checked = yujuesuan.check(text, name="unit.yaml")
    (hole,) = checked.placeholders
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "【缺少人数】" in row)
    assert hole.rule == "placeholder" and hole.location.line == line and hole.path == "概况.主要职能"
    assert "【缺少人数】" in hole.message
    assert not checked.errors and not checked.publishable
    with pytest.raises(yujuesuan.NotPublishable) as refused:
        yujuesuan.render(checked)
    assert refused.value.findings == [hole]


def test_a_mark_a_district_template_prints_is_located_at_the_template_line(tmp_path: Path) -> None:
    folder = tmp_path / "district" / "sections"
    folder.mkdir(parents=True)
    (folder / "01-概况.j2").write_text(
        "# 一、部门主要职能\n{{ m.主要职能 }}\n本单位编制 {{ 缺少(\"编制人数\") }} 人。\n", encoding="utf-8"
    )
    checked = yujuesuan.check(SAMPLE.read_bytes(), name="q.yaml", templates=tmp_path / "district")
    (hole,) = checked.placeholders
    assert hole.rule == "placeholder" and "【缺少编制人数】" in hole.message and "一、部门主要职能" in hole.message
    assert (hole.location.file, hole.location.line) == ("district/sections/01-概况.j2", 3)
    files = yujuesuan.render(checked, ("pdf",), draft=True)
    assert any("【缺少编制人数】" in p.extract_text() for p in PdfReader(io.BytesIO(files["pdf"])).pages)


def test_a_blank_required_text_is_a_placeholder() -> None:
    source = SAMPLE.read_text(encoding="utf-8")
    start = source.index("  主要职能: |")
    end = source.index("\n", source.index("（五）承办上级交办的其他工作。"))
    text = source[:start] + '  主要职能: ""' + source[end:]
    checked = yujuesuan.check(text, name="unit.yaml")
    assert [f.path for f in checked.placeholders] == ["概况.主要职能"]
    assert not checked.publishable


def test_the_sample_has_no_placeholder_in_the_default_layout() -> None:
    checked = yujuesuan.check(SAMPLE.read_bytes(), name="q.yaml")
    assert checked.placeholders == () and checked.publishable
