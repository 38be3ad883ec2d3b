"""Special input files (issue 13 item 6): only regular files, read with a hard cap on bytes read.

Each command runs in a real interpreter with a timeout, so a hang (a FIFO that never ends) or a
kill by the kernel (/dev/zero read to the end) shows as a failure, not as a stuck test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from yujuesuan.errors import InputError
from yujuesuan.input.inputfile import read_capped
from yujuesuan.pipeline import check

posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs and /dev/zero")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yujuesuan", *args], capture_output=True, text=True, timeout=60, encoding="utf-8"
    )


@posix
@pytest.mark.parametrize("command", [("check",), ("build", "-o", "out"), ("rollover",)])
def test_dev_zero_is_refused_as_not_a_regular_file(tmp_path, command):
    proc = run(*command[:1], "/dev/zero", *command[1:])
    assert proc.returncode in (1, 2), proc.stderr
    assert "Traceback" not in proc.stderr
    assert "不是普通文件" in proc.stdout + proc.stderr


@posix
@pytest.mark.parametrize("command", ["check", "import-xlsx"])
def test_fifo_is_refused_without_hanging(tmp_path, command):
    fifo = tmp_path / ("unit.xlsx" if command == "import-xlsx" else "unit.yaml")
    os.mkfifo(fifo)
    args = [command, str(fifo)] + (["-o", str(tmp_path / "out.yaml")] if command == "import-xlsx" else [])
    proc = run(*args)
    assert proc.returncode in (1, 2), proc.stderr
    assert "Traceback" not in proc.stderr
    assert "不是普通文件" in proc.stdout + proc.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_cap_counts_bytes_actually_read(tmp_path):
    path = tmp_path / "unit.yaml"
    path.write_bytes(b"x" * 101)
    assert read_capped(path, 101, "yaml-size") == b"x" * 101
    with pytest.raises(InputError) as info:
        read_capped(path, 100, "yaml-size")
    assert info.value.findings[0].rule == "yaml-size"


@posix
def test_symlink_to_a_device_is_refused(tmp_path):
    link = tmp_path / "unit.yaml"
    link.symlink_to("/dev/zero")
    result = check(link)
    assert result.model is None
    assert "不是普通文件" in result.findings[0].message


def test_directory_is_refused(tmp_path):
    result = check(tmp_path)
    assert "文件夹" in result.findings[0].message


def test_missing_file(tmp_path):
    result = check(Path(tmp_path / "none.yaml"))
    assert "找不到" in result.findings[0].message
