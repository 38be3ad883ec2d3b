"""Excel through the command line: build --format xlsx, import-xlsx, build again: the same figures."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from figurecheck import compare, read_text, reference

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "qingshan-2023.yaml"
STEM = "武汉市青山区融媒体中心2023年度部门决算"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "yujuesuan", *args], capture_output=True, text=True)


def test_round_trip_through_the_workbook(tmp_path: Path) -> None:
    assert cli("build", str(SAMPLE), "-o", str(tmp_path / "a"), "--format", "xlsx,docx").returncode == 0
    book = tmp_path / "a" / "武汉市青山区融媒体中心-2023" / f"{STEM}.xlsx"
    with zipfile.ZipFile(book) as zf:
        assert "xl/workbook.xml" in zf.namelist()
    back = tmp_path / "back.yaml"
    proc = cli("import-xlsx", str(book), "-o", str(back))
    assert proc.returncode == 0, proc.stderr
    again = cli("import-xlsx", str(book), "-o", str(back))
    assert again.returncode == 2 and "已经存在" in again.stderr
    proc = cli("build", str(back), "-o", str(tmp_path / "b"), "--format", "docx")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    original = tmp_path / "a" / "武汉市青山区融媒体中心-2023" / f"{STEM}.docx"
    rebuilt = tmp_path / "b" / "武汉市青山区融媒体中心-2023" / f"{STEM}.docx"
    assert rebuilt.read_bytes() == original.read_bytes()
    result = compare(read_text(rebuilt), reference("qingshan-2023-juesuan.txt"))
    assert (result.reproduced, result.reference) == (345, 345), result.summary()


@pytest.mark.parametrize("book", ["missing.xlsx"])
def test_import_of_a_missing_book_is_a_usage_error(tmp_path: Path, book: str) -> None:
    proc = cli("import-xlsx", str(tmp_path / book), "-o", str(tmp_path / "x.yaml"))
    assert proc.returncode == 2
    assert "找不到工作簿" in proc.stderr
