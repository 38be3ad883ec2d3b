"""write.py: atomic writes that never hit the input, and file names safe on every system."""

from __future__ import annotations

import os
import stat

import pytest

from yujuesuan.errors import UsageError
from yujuesuan.output import write
from yujuesuan.output.write import safe_filename, write_atomic


def test_write_creates_and_replaces_leaving_no_temp_files(tmp_path):
    target = tmp_path / "out" / "单位-2023.docx"
    write_atomic(target, b"first")
    assert target.read_bytes() == b"first"
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert os.listdir(target.parent) == [target.name]
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o644  # not mkstemp's 0600


@pytest.mark.parametrize("how", ["same", "dotdot", "symlink", "hardlink"])
def test_the_input_is_never_overwritten(tmp_path, how):
    data = tmp_path / "data"
    data.mkdir()
    source = data / "unit.yaml"
    source.write_bytes(b"input")
    target = {
        "same": source,
        "dotdot": data / ".." / "data" / "unit.yaml",
        "symlink": tmp_path / "link.yaml",
        "hardlink": tmp_path / "hard.yaml",
    }[how]
    if how == "symlink":
        target.symlink_to(source)
    if how == "hardlink":
        os.link(source, target)
    with pytest.raises(UsageError, match="输入"):
        write_atomic(target, b"output", protect=source)
    assert source.read_bytes() == b"input"


def test_a_locked_target_says_close_word(tmp_path, monkeypatch):
    target = tmp_path / "unit.docx"
    target.write_bytes(b"old")

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(write.os, "replace", locked)
    with pytest.raises(UsageError, match="Word/WPS"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["unit.docx"]  # the temporary file is gone


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("武汉市青山区融媒体中心", "武汉市青山区融媒体中心"),
        ("CON", "_CON"),
        ("nul.docx", "_nul.docx"),
        ("COM1", "_COM1"),
        ("../../etc/passwd", "etc_passwd"),
        ("C:\\x", "x"),
        ("D:/单位/科室", "单位_科室"),
        ("a\u202eb\u200fc\x00d\x1fe", "abcde"),
        ('单位<1>:"名"|?*', "单位_1___名____"),
        ("名称. . ", "名称"),
        ("  ..  ", "未命名"),
        ("", "未命名"),
        ("\u202e", "未命名"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_safe_filename_caps_long_chinese_names():
    name = safe_filename("青" * 120)
    assert name == "青" * 66  # 66 × 3 bytes = 198 ≤ 200
    assert len((name + "-2023.docx").encode("utf-8")) < 255
