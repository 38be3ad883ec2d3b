"""Ctrl-C during a batch build: no half-written file, workers gone, a non-zero exit, and a rerun finishes the rest."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from openpyxl import load_workbook

SAMPLE_NAME = "名称: 武汉市青山区融媒体中心"
UNITS = ("档案馆", "图书馆", "文化馆", "园林绿化中心", "社会福利院", "政务服务中心")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigint_leaves_complete_units_and_a_rerun_finishes(tmp_path: Path, sample_text: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for i, unit in enumerate(UNITS):
        text = sample_text.replace(SAMPLE_NAME, f"名称: 武汉市青山区{unit}")
        (data / f"{i}.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    manifest = out / ".yujuesuan-batch.json"
    args = [sys.executable, "-m", "yujuesuan", "build", "data", "-o", "out", "--jobs", "1", "--format", "docx,html"]
    proc = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 240
        while not manifest.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert proc.poll() is None, "the batch ended before it could be interrupted"
        assert manifest.exists(), "no unit finished in time"
        workers = children(proc.pid)
        assert workers, "no worker process"
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, stderr
    assert "已中断" in stderr
    time.sleep(0.5)
    assert not [pid for pid in workers if alive(pid)], "worker processes left running"
    # Every unit folder holds a whole set; no temporary file is left anywhere.
    leftovers = [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    folders = sorted(p for p in out.iterdir() if p.is_dir())
    assert 1 <= len(folders) < len(UNITS)
    for folder in folders:
        assert sorted(p.suffix for p in folder.iterdir()) == [".docx", ".html"], folder
    recorded = json.loads(manifest.read_text(encoding="utf-8"))["units"]
    assert len(recorded) == len(folders)
    book = load_workbook(out / "summary.xlsx")["汇总"]
    statuses = [row[2].value for row in book.iter_rows(min_row=3)]
    assert statuses.count("已生成") == len(folders)
    assert statuses.count("未完成（已中断）") == len(UNITS) - len(folders)

    rerun = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    book = load_workbook(out / "summary.xlsx")["汇总"]
    statuses = [row[2].value for row in book.iter_rows(min_row=3)]
    assert statuses.count("未变，跳过") == len(folders)
    assert statuses.count("已生成") == len(UNITS) - len(folders)
    assert len([p for p in out.iterdir() if p.is_dir()]) == len(UNITS)
    assert not os.path.exists(out / "summary.xlsx.tmp")
