"""Output sets: names that say the profile and keep the year, previous sets kept in 历史版本, a set replaced all at
once (a failure or a kill -9 leaves the previous set whole), and no symlink followed at an output path."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from yujuesuan.errors import UsageError
from yujuesuan.output import sets as outputs
from yujuesuan.output.sets import KEEP, TMP_PREFIX, VERSIONS, stem, unit_folder, versions, write_set

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "qingshan-2023.yaml"
UNIT = "武汉市青山区融媒体中心"
STEM = f"{UNIT}2023年度部门决算"


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "yujuesuan", *map(str, args)], capture_output=True, text=True)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# ---- names ----


def test_names_say_the_profile_and_the_templates_folder(tmp_path: Path) -> None:
    assert stem(UNIT, 2023) == STEM  # the default profile, as the README shows it
    assert stem(UNIT, 2023, "national-2024") == f"{STEM}-national-2024"
    assert stem(UNIT, 2023, "sichuan") == f"{STEM}-sichuan"
    one, two = tmp_path / "a" / "templates", tmp_path / "b" / "templates"
    one.mkdir(parents=True), two.mkdir(parents=True)
    first, second = stem(UNIT, 2023, "wuhan", one), stem(UNIT, 2023, "wuhan", two)
    assert first.startswith(f"{STEM}-wuhan-templates-") and second.startswith(f"{STEM}-wuhan-templates-")
    assert first != second  # two folders of the same name never share a file


def test_long_names_keep_year_and_profile_and_stay_distinct(tmp_path: Path) -> None:
    base = "武汉市青山区" + "融媒体中心" * 30  # 156 characters, 468 bytes
    names = [base + "甲", base + "乙"]
    stems = [stem(n, 2024, "national-2024") for n in names]
    assert stems[0] != stems[1]
    for s in stems:
        assert s.endswith("2024年度部门决算-national-2024")
        assert len(f"{s}.docx".encode()) <= 255
    folders = [unit_folder(tmp_path, n, 2024) for n in names]
    assert folders[0] != folders[1] and all(f.name.endswith("-2024") for f in folders)
    assert all(len(f.name.encode()) <= 255 for f in folders)
    # The same long name in 2023 and 2024: two files, not one overwritten.
    assert stem(names[0], 2023) != stem(names[0], 2024) and stem(names[0], 2023).endswith("2023年度部门决算")
    # A name that had to be changed to be a file name gets a hash, so it cannot meet another's.
    assert stem("甲/乙", 2023) != stem("甲_乙", 2023)


def test_building_with_another_profile_keeps_the_first_document(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli("build", SAMPLE, "-o", out, "--format", "docx").returncode == 0
    example = ROOT / "examples" / "district-template"
    assert cli("build", SAMPLE, "-o", out, "--format", "docx", "--templates", example).returncode == 0
    folder = out / f"{UNIT}-2023"
    names = sorted(files(folder))
    assert names == sorted([f"{STEM}.docx", f"{stem(UNIT, 2023, 'wuhan', example)}.docx"])
    assert not (folder / VERSIONS).exists()  # nothing was replaced


# ---- versions ----


def test_previous_sets_are_kept_whole_up_to_the_limit(tmp_path: Path) -> None:
    folder = tmp_path / "unit-2023"
    for n in range(KEEP + 3):
        write_set(folder, "文档", {"docx": f"docx {n}".encode(), "pdf": f"pdf {n}".encode()})
    assert files(folder) == {"文档.docx": b"docx 7", "文档.pdf": b"pdf 7"}
    kept = versions(folder, "文档")
    assert len(kept) == KEEP
    assert [files(k) for k in kept] == [{"文档.docx": f"docx {n}".encode(), "文档.pdf": f"pdf {n}".encode()}
                                        for n in range(2, 7)]  # fmt: skip
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_a_smaller_set_replaces_the_whole_previous_set(tmp_path: Path) -> None:
    folder = tmp_path / "unit-2023"
    write_set(folder, "文档", {"docx": b"old docx", "pdf": b"old pdf"})
    write_set(folder, "文档", {"docx": b"new docx"})
    assert files(folder) == {"文档.docx": b"new docx"}  # never a new DOCX beside an old PDF
    (kept,) = versions(folder, "文档")
    assert files(kept) == {"文档.docx": b"old docx", "文档.pdf": b"old pdf"}


# ---- all or nothing ----


def test_a_failure_while_writing_leaves_the_previous_set(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "unit-2023"
    write_set(folder, "文档", {"docx": b"old docx", "pdf": b"old pdf"})
    real = outputs._write_synced

    def full_disk(path: Path, data: bytes) -> None:
        if path.name.endswith(".pdf"):
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(outputs, "_write_synced", full_disk)
    with pytest.raises(UsageError, match=r"无法在目录.*磁盘已满"):
        write_set(folder, "文档", {"docx": b"new docx", "pdf": b"new pdf"})
    assert files(folder) == {"文档.docx": b"old docx", "文档.pdf": b"old pdf"}
    assert sorted(p.name for p in folder.iterdir()) == ["文档.docx", "文档.pdf"]  # no temporary left


KILLED = """
import os, signal, sys
from pathlib import Path
from yujuesuan.output import sets as outputs

folder = Path(sys.argv[1])
outputs.write_set(folder, "文档", {"docx": b"old docx", "pdf": b"old pdf", "html": b"old html"})
real = os.replace
moved = []

def replace_then_die(src, dst):
    real(src, dst)
    moved.append(dst)
    if len(moved) == 1:
        os.kill(os.getpid(), signal.SIGKILL)  # kill -9 after the first file of the new set is in place

outputs.os.replace = replace_then_die
outputs.write_set(folder, "文档", {"docx": b"new docx", "pdf": b"new pdf", "html": b"new html"})
"""


def test_a_build_killed_while_moving_is_finished_by_the_next_run(tmp_path: Path) -> None:
    folder = tmp_path / "unit-2023"
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(KILLED), str(folder)], capture_output=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    # The kill left a mix in place, but the previous set is whole in 历史版本, and the new one in the temporary folder.
    assert files(folder) == {"文档.docx": b"new docx", "文档.html": b"old html", "文档.pdf": b"old pdf"}
    (kept,) = versions(folder, "文档")
    assert files(kept) == {"文档.docx": b"old docx", "文档.html": b"old html", "文档.pdf": b"old pdf"}
    assert [p.name for p in folder.iterdir() if p.name.startswith(TMP_PREFIX)]
    # The next run into the folder finishes the killed set before it writes its own.
    write_set(folder, "其他", {"docx": b"other"})
    assert files(folder) == {"文档.docx": b"new docx", "文档.html": b"new html", "文档.pdf": b"new pdf",
                             "其他.docx": b"other"}  # fmt: skip
    assert len(versions(folder, "文档")) == 1
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_an_incomplete_temporary_of_a_dead_run_is_removed(tmp_path: Path) -> None:
    folder = tmp_path / "unit-2023"
    write_set(folder, "文档", {"docx": b"old docx"})
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = folder / f"{TMP_PREFIX}{dead.stdout.strip()}-abc"
    stale.mkdir()
    (stale / "文档.docx").write_bytes(b"half a docx")  # no MANIFEST: the run died while writing
    legacy = folder / ".文档.docx.x1y2z3.tmp"  # what write_atomic left behind in earlier versions
    legacy.write_bytes(b"half")
    live = folder / f"{TMP_PREFIX}{os.getpid()}-busy"  # a build of a live process: not touched
    live.mkdir()
    write_set(folder, "文档", {"docx": b"new docx"})
    assert not stale.exists() and not legacy.exists() and live.is_dir()
    assert files(folder) == {"文档.docx": b"new docx"}


# ---- links and folders at output names ----


def test_a_symlink_at_the_output_name_is_refused_and_its_target_not_copied(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"root:x:0:0 secret contents")
    out = tmp_path / "out"
    folder = out / f"{UNIT}-2023"
    folder.mkdir(parents=True)
    link = folder / f"{STEM}.docx"
    link.symlink_to(secret)
    proc = cli("build", SAMPLE, "-o", out, "--format", "docx,pdf")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "符号链接" in proc.stderr and "Traceback" not in proc.stderr
    assert secret.read_bytes() == b"root:x:0:0 secret contents" and link.is_symlink()
    everything = [p for p in out.rglob("*") if p.is_file() and not p.is_symlink()]
    assert not any(b"secret contents" in p.read_bytes() for p in everything)
    assert not (folder / f"{STEM}.pdf").exists()  # nothing of the set was written


def test_a_symlinked_versions_folder_or_unit_folder_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder = tmp_path / "unit-2023"
    write_set(folder, "文档", {"docx": b"old"})
    (folder / VERSIONS).symlink_to(elsewhere)
    with pytest.raises(UsageError, match="符号链接"):
        write_set(folder, "文档", {"docx": b"new"})
    assert files(folder) == {"文档.docx": b"old"} and not any(elsewhere.iterdir())
    linked = tmp_path / "linked-2023"
    linked.symlink_to(elsewhere)
    with pytest.raises(UsageError, match="符号链接"):
        write_set(linked, "文档", {"docx": b"new"})
    assert not any(elsewhere.iterdir())


def test_a_folder_at_the_output_name_is_a_message(tmp_path: Path) -> None:
    folder = tmp_path / "unit-2023"
    (folder / "文档.pdf").mkdir(parents=True)
    with pytest.raises(UsageError, match="已有一个同名的文件夹"):
        write_set(folder, "文档", {"docx": b"new", "pdf": b"new"})
    assert not (folder / "文档.docx").exists()


def test_the_input_is_never_an_output(tmp_path: Path) -> None:
    folder = tmp_path / "unit-2023"
    folder.mkdir()
    data = folder / "文档.docx"
    data.write_bytes(b"input")
    with pytest.raises(UsageError, match="就是输入文件"):
        write_set(folder, "文档", {"docx": b"new"}, protect=data)
    assert data.read_bytes() == b"input"
