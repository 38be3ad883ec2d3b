"""Located Chinese messages, never tracebacks (issue 13 items 9 and 13)."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from test_bad_inputs import inject, write
from yujuesuan.errors import UsageError
from yujuesuan.kinds.juesuan.validate import MAX_NAME_CHARS
from yujuesuan.profiles import load_profile

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "qingshan-2023.yaml"
NAME_LINE = "  名称: 武汉市青山区融媒体中心\n"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yujuesuan", *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


# ---- the unit name --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "rule", "message"),
    [
        ("长" * 246, "text", f"上限 {MAX_NAME_CHARS} 字"),
        ("长" * (MAX_NAME_CHARS + 1), "text", "单位名称过长"),
        ('"\u3000\u3000"', "missing", "只有空格"),
        ('"   "', "missing", "只有空格"),
    ],
)
def test_bad_unit_name_fails_check_at_its_line(check_text, sample_text, line_of, name, rule, message):
    text = sample_text.replace(NAME_LINE, f"  名称: {name}\n")
    result = check_text(text)
    assert not result.ok
    [error] = [f for f in result.errors if f.path == "单位.名称"]
    assert error.rule == rule and message in error.message
    assert error.location.line == line_of(text, f"  名称: {name}\n") + 0


def test_name_at_the_limit_builds_a_docx(tmp_path, sample_text):
    path = tmp_path / "unit-2023.yaml"
    path.write_text(sample_text.replace(NAME_LINE, f"  名称: {'长' * MAX_NAME_CHARS}\n"), encoding="utf-8")
    proc = run("build", str(path), "-o", str(tmp_path / "out"), "--format", "docx")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


# ---- output folders ----------------------------------------------------------------------------


def test_output_through_a_file_is_a_message(tmp_path):
    (tmp_path / "afile").write_text("x")
    proc = run("build", str(SAMPLE), "-o", str(tmp_path / "afile" / "out"), "--format", "docx")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "路径中有一部分是文件而不是文件夹" in proc.stderr and "afile" in proc.stderr


def test_directory_at_the_output_file_name_is_a_message(tmp_path):
    target = tmp_path / "out" / "武汉市青山区融媒体中心-2023" / "武汉市青山区融媒体中心2023年度部门决算.docx"
    target.mkdir(parents=True)
    proc = run("build", str(SAMPLE), "-o", str(tmp_path / "out"), "--format", "docx")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "同名的文件夹" in proc.stderr and "部门决算.docx" in proc.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_read_only_output_folder_is_a_message(tmp_path):
    import os

    if os.geteuid() == 0:  # root writes anywhere, except where the kernel refuses everyone
        folder = Path("/sys/yujuesuan-out")
        expected = "没有权限"
    else:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o555)
        expected = "没有写入或读取权限"
    proc = run("build", str(SAMPLE), "-o", str(folder), "--format", "docx")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert expected in proc.stderr and str(folder) in proc.stderr


# ---- profile.yaml and reference.docx ----------------------------------------------------------------


PROFILE_CASES = [
    ("numbers:\n  amount_places: abc\n", 2, "0 到 6 之间的整数"),
    ("numbers:\n  share_places: -1\n", 2, "0 到 6 之间的整数"),
    ("numbers:\n  strip_zeros: 是\n", 2, "true 或 false"),
    ('tables:\n  "01":\n    font_size: 1e308\n', 3, "5 到 20 之间的数"),
    ('tables:\n  "01":\n    landscape: maybe\n', 3, "true 或 false"),
    ('tables:\n  "01": null\n', 2, "映射"),
    ('tables:\n  "01":\n    notes: 一条\n', 3, "列表"),
    ("outline: [{}]\n", 1, "每项应是 page_break"),
    ("outline:\n  - chapter: x\n", 2, "不认识的键"),
    ('outline:\n  - table: "99"\n', 2, "不是可用的表号"),
    ("figures:\n  图1: {data: 不存在}\n", 2, "不是可用的图的数据"),
    ("figures:\n  图1:\n    width_cm: 1e9\n", 3, "2 到 30 之间的数"),
    ("classes_year: 1800\n", 1, "2000 到 2100"),
    ("title: [a, b]\n", 1, "应是文字"),
    ("colour: red\n", 1, "不认识的键“colour”"),
]


@pytest.mark.parametrize(("text", "line", "message"), PROFILE_CASES, ids=[c[0][:24] for c in PROFILE_CASES])
def test_wrong_profile_key_is_a_located_message(tmp_path, text, line, message):
    (tmp_path / "profile.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as info:
        load_profile("wuhan", tmp_path)
    finding = info.value.findings[0]
    assert finding.location.file == str(tmp_path.resolve() / "profile.yaml")
    assert finding.location.line == line and message in finding.message, finding.format()


def test_overlay_without_a_table_title_is_a_message(tmp_path):
    (tmp_path / "profile.yaml").write_text('outline:\n  - table: "09逐项"\ntables:\n  "09逐项": {number: x}\n', "utf-8")
    with pytest.raises(UsageError, match="没有 title"):
        load_profile("wuhan", tmp_path)


def _docx_with(part: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(ROOT / "examples" / "district-template" / "reference.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, content if name == part else src.read(name))
    return out.getvalue()


XXE = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>&x;</w:body>'
    b"</w:document>"
)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a docx at all", "无法按 zip 包打开"),
        (_docx_with("word/document.xml", XXE), "DTD 或实体定义"),
        (_docx_with("word/styles.xml", b"<w:styles"), "无法读取"),
    ],
    ids=["text-file", "xxe", "broken-styles"],
)
def test_bad_reference_docx_is_a_message(tmp_path, content, message):
    (tmp_path / "reference.docx").write_bytes(content)
    with pytest.raises(UsageError) as info:
        load_profile("wuhan", tmp_path)
    assert message in info.value.findings[0].message
    assert info.value.findings[0].location.file.endswith("reference.docx")


def test_bad_reference_docx_through_the_cli(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "reference.docx").write_bytes(b"PK\x03\x04 broken")
    proc = run("build", str(SAMPLE), "-o", str(tmp_path / "out"), "--templates", str(tmp_path / "d"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "reference.docx" in proc.stderr


# ---- messages that mislead (item 13) ------------------------------------------------------------


def _findings(tmp_path: Path, payload: str | bytes):
    from yujuesuan.pipeline import check

    return check(write(tmp_path, payload)).findings


def test_gbk_file_with_a_yaml_error_keeps_its_encoding_hint(tmp_path):
    payload = inject("主要职能: 负责宣传工作。", "主要职能: 负责: 宣传: 工作。").encode("gbk")
    findings = _findings(tmp_path, payload)
    assert [f.rule for f in findings] == ["encoding", "yaml"]
    assert "GB18030" in findings[0].message and findings[1].location.line == 6


@pytest.mark.parametrize("newline", ["\r", "\r\n"], ids=["cr", "crlf"])
def test_cr_line_ends_give_the_real_line(tmp_path, newline):
    payload = inject("主要职能: 负责宣传工作。", "主要职能: 负责\x07宣传工作。").replace("\n", newline).encode()
    [finding] = _findings(tmp_path, payload)
    assert (finding.location.line, finding.location.column) == (6, 11), finding.format()


def test_full_width_indentation_is_named_at_its_line(tmp_path):
    lines = "  主要职能: 负责宣传工作，\n\u3000\u3000承办其他工作\n    一\n    二\n    三\n    四\n    五"
    [finding] = _findings(tmp_path, inject("  主要职能: 负责宣传工作。", lines))
    assert finding.location.line == 7 and "全角空格" in finding.message


def test_trailing_full_width_space_is_not_called_a_full_width_digit(tmp_path):
    [finding] = _findings(tmp_path, inject("年度: 2023", "年度: 2023\u3000"))
    assert finding.rule == "amount-normalized" and "全角数字" not in finding.message
    assert "U+3000" in finding.message and finding.location.line == 3


@pytest.mark.parametrize(
    ("old", "new", "half"),
    [
        ('"2013350":', '"２０１３３５０":', '"2013350"'),
        ('"30101": 10.00', '"３０１０１": 10.00', '"30101"'),
    ],
)
def test_code_in_full_width_digits_gets_the_half_width_code(tmp_path, old, new, half):
    findings = _findings(tmp_path, inject(old, new))
    codes = [f for f in findings if f.rule == "code"]
    assert codes and "全角数字" in codes[0].message and half in codes[0].message, [f.format() for f in findings]


def test_damaged_cell_is_named_by_sheet_and_cell(tmp_path, sample_checked):
    import re

    from yujuesuan.errors import InputError
    from yujuesuan.workflows.xlsx import export_workbook, import_workbook

    data = export_workbook(sample_checked.figures, load_profile("wuhan"))
    src = zipfile.ZipFile(io.BytesIO(data))
    titles = re.findall(rb'<sheet [^>]*name="([^"]+)"', src.read("xl/workbook.xml"))
    part = f"xl/worksheets/sheet{titles.index('单位'.encode()) + 1}.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            content = src.read(name)
            if name == part:
                content = re.sub(rb'(<c r="C3"[^>]*t="n"[^>]*>)<v>[^<]*</v>', rb"\1<v>abc</v>", content, count=1)
            dst.writestr(name, content)
    book = tmp_path / "damaged.xlsx"
    book.write_bytes(out.getvalue())
    with pytest.raises(InputError) as info:
        import_workbook(book)
    [finding] = info.value.findings
    assert finding.rule == "xlsx-cell" and finding.location.file == f"{book}!单位"
    assert (finding.location.line, finding.location.column) == (3, 3) and "“abc”" in finding.message
