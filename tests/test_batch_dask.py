"""build --executor dask: a scheduler and two workers on 127.0.0.1 (subprocesses, free ports) build a small batch."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

distributed = pytest.importorskip("distributed")  # in the test extra; pip install 'yujuesuan[dask]' for users

SAMPLE_NAME = "名称: 武汉市青山区融媒体中心"


def spawn(*args: str, cwd: Path) -> subprocess.Popen[bytes]:
    quiet = subprocess.DEVNULL
    return subprocess.Popen([sys.executable, "-m", *args], cwd=cwd, stdout=quiet, stderr=quiet)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[str]:
    """A Dask scheduler and two single-thread workers, torn down whatever happens."""
    address = f"tcp://127.0.0.1:{free_port()}"
    scratch = tmp_path / "dask"
    scratch.mkdir()
    common = ["--no-dashboard"]
    port = address.rsplit(":", 1)[1]
    procs = [spawn("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", port, *common, cwd=scratch)]
    try:
        worker = ["--host", "127.0.0.1", "--nthreads", "1", "--no-nanny", "--memory-limit", "0"]
        for _ in range(2):
            worker_args = (address, *worker, "--local-directory", str(scratch), *common)
            procs.append(spawn("distributed.cli.dask_worker", *worker_args, cwd=scratch))
        client = distributed.Client(address, timeout=60)
        try:
            client.wait_for_workers(2, timeout=60)
        finally:
            client.close()
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        deadline = time.monotonic() + 15
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_dask_builds_units_and_isolates_a_broken_one(tmp_path: Path, sample_text: str, cluster: str) -> None:
    work = tmp_path / "work"
    (work / "data").mkdir(parents=True)
    for i, unit in enumerate(("档案馆", "图书馆")):
        text = sample_text.replace(SAMPLE_NAME, f"名称: 武汉市青山区{unit}")
        (work / "data" / f"{i}.yaml").write_text(text, encoding="utf-8")
    (work / "data" / "2-broken.yaml").write_text("单位: [\n", encoding="utf-8")
    args = ["build", "data/*.yaml", "-o", "out", "--format", "docx", "--executor", "dask", "--scheduler", cluster]
    run = subprocess.run([sys.executable, "-m", "yujuesuan", *args], cwd=work, capture_output=True, text=True,
                         timeout=240)  # fmt: skip
    assert run.returncode == 1, run.stdout + run.stderr
    book = load_workbook(work / "out" / "summary.xlsx")["汇总"]
    rows = {Path(r[0].value).name: [c.value for c in r] for r in book.iter_rows(min_row=3)}
    assert rows["0.yaml"][2] == rows["1.yaml"][2] == "已生成"
    assert rows["2-broken.yaml"][2] == "有错误"
    for unit in ("档案馆", "图书馆"):
        docx = work / "out" / f"武汉市青山区{unit}-2023" / f"武汉市青山区{unit}2023年度部门决算.docx"
        assert docx.read_bytes()[:2] == b"PK"
    assert "data/2-broken.yaml:2:1: [yaml]" in run.stdout


def test_dask_unreachable_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[1] / "sample_data" / "qingshan-2023.yaml"
    address = f"tcp://127.0.0.1:{free_port()}"
    run = subprocess.run(
        [sys.executable, "-m", "yujuesuan", "build", str(sample), "--executor", "dask", "--scheduler", address],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert f"无法连接 Dask 调度器 {address}" in run.stderr
