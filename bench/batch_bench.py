#!/usr/bin/env python3
"""Time a district's batch: 100 generated units as CLI processes, --jobs 1, --jobs 2 and Dask with 2 local workers.

    python bench/batch_bench.py                      # 100 units, docx+pdf (~15-40 min on 2 busy cores)
    python bench/batch_bench.py --units 20 --seq 4   # quicker
    python bench/batch_bench.py --json batch.json    # also save the figures

The units are made from the two samples (two different 项 sets): each gets
its own unit name, and its amounts (every two-decimal number before the 绩效
block, which holds scores, not money) are multiplied by a whole factor 1-5,
which keeps every sum, balance and share exact. A few are broken on purpose:
one audit error (a 经济分类 leaf changed) per 40 units and one unreadable
YAML file. Nothing here asserts a time: it is a script, not a test.

Each case is a whole process tree timed from outside (wall clock); peak
memory is the largest VmHWM (peak resident set) seen among the worker
processes, sampled from /proc every 0.2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = (ROOT / "sample_data" / "qingshan-2023.yaml", ROOT / "sample_data" / "panzhihua-dongqu-2023.yaml")
CLI = (sys.executable, "-m", "yujuesuan")
AMOUNT = re.compile(r'(?<![\d."\w])(\d+\.\d{1,2})(?![\d"\w%])')
KINDS = ("档案馆", "图书馆", "文化馆", "机关事务服务中心", "政务服务中心", "退役军人服务中心", "城市管理执法大队",
         "园林绿化中心", "疾病预防控制中心", "社会福利院", "融媒体中心", "少年宫", "体育中心", "环境监测站")
DISTRICTS = ("武汉市青山区", "攀枝花市东区")


def unit_text(base: str, index: int) -> str:
    """The sample with another unit name and its amounts multiplied by a whole factor (exact in Decimal)."""
    name_line = re.search(r"^  名称: (.+)$", base, re.M)
    assert name_line is not None
    district = DISTRICTS[index % 2]
    name = f"{district}{KINDS[index % len(KINDS)]}第{index + 1}分部"
    text = base.replace(name_line.group(0), f"  名称: {name}", 1)
    factor = 1 + index % 5
    head, sep, tail = text.partition("\n绩效:")
    head = AMOUNT.sub(lambda m: str(Decimal(m.group(1)) * factor), head)
    return head + sep + tail


def generate(folder: Path, count: int) -> list[Path]:
    bases = [p.read_text(encoding="utf-8") for p in SAMPLES]
    # The Panzhihua sample has no 绩效 block, so all its amounts (its 项目支出经济分类 too) are scaled alike.
    assert "\n项目支出经济分类:" in bases[1] and "\n绩效:" not in bases[1]
    files = []
    for i in range(count):
        text = unit_text(bases[i % 2], i)
        if i % 40 == 7:  # an audit error: one 经济分类 leaf no longer matches the 基本支出 it explains
            bump = lambda m: m.group(1) + str(Decimal(m.group(2)) + 1)  # noqa: E731
            text = re.sub(r'("30101": )(\d+\.\d{2})', bump, text, count=1)
        if i == count - 3:
            text = text.replace("科目:\n", "科目: [\n", 1)  # unreadable YAML
        path = folder / f"unit-{i:03d}.yaml"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


class PeakMemory(threading.Thread):
    """The largest VmHWM (kB) of each process descending from ``root`` (or in ``pids``), sampled from /proc."""

    def __init__(self, root: int | None = None, pids: list[int] | None = None) -> None:
        super().__init__(daemon=True)
        self.root, self.pids = root, pids or []
        self.peak: dict[int, tuple[int, str]] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.sample()

    def sample(self) -> None:
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    pass
        tree = set(self.pids)
        if self.root is not None:
            tree.add(self.root)
            grew = True
            while grew:
                more = {pid for pid, ppid in parents.items() if ppid in tree} - tree
                tree |= more
                grew = bool(more)
        for pid in tree:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            match = re.search(r"VmHWM:\s+(\d+)", status)
            if match:
                kb = int(match.group(1))
                if kb > self.peak.get(pid, (0, ""))[0]:
                    self.peak[pid] = (kb, cmd)

    def workers_mb(self, marker: str) -> list[float]:
        return sorted(round(kb / 1024, 1) for kb, cmd in self.peak.values() if marker in cmd)


def children_cpu() -> float:
    """CPU seconds (user + system) of this script's finished children and their waited-for descendants."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv: list[str], cwd: Path, marker: str = "", pids: list[int] | None = None) -> dict:
    start, cpu = time.perf_counter(), children_cpu()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler = PeakMemory(proc.pid if not pids else None, pids)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv)} failed ({proc.returncode}):\n{err}")
    # CPU: the process tree's (pool workers are waited for); a Dask cluster's workers are not children: None.
    used = None if pids else children_cpu() - cpu
    return {"wall": wall, "cpu": used, "exit": proc.returncode,
            "workers_mb": sampler.workers_mb(marker) if marker else []}  # fmt: skip


def yardstick(unit: Path, work: Path) -> dict:
    """bench.py's yardstick on unit 0: WeasyPrint alone on its HTML with the same pre-cut font subsets (best of 3)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench import FONTS_CSS, WEASYPRINT_ALONE  # one definition of the yardstick

    folder = work / "yardstick"
    subprocess.run([*CLI, "build", str(unit), "-o", str(folder), "--format", "html"], cwd=work, check=True,
                   capture_output=True)  # fmt: skip
    html = next(folder.rglob("*.html"))
    css = folder / "fonts.css"
    subprocess.run([sys.executable, "-c", FONTS_CSS, str(html), str(css)], cwd=work, check=True)
    runs = [timed([sys.executable, "-c", WEASYPRINT_ALONE, str(html), str(css), str(folder / f"{i}.pdf")], work)
            for i in range(3)]  # fmt: skip
    return min(runs, key=lambda r: r["wall"]) | {"units": 1}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def dask_case(files: list[Path], work: Path, formats: str) -> dict:
    address = f"tcp://127.0.0.1:{free_port()}"
    scratch = work / "dask"
    scratch.mkdir()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": scratch}
    procs = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                               "--port", address.rsplit(":", 1)[1], "--no-dashboard"], **quiet)]  # type: ignore[call-overload]  # fmt: skip
    try:
        for _ in range(2):
            procs.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--host",
                                           "127.0.0.1", "--nthreads", "1", "--no-nanny", "--memory-limit", "0",
                                           "--no-dashboard", "--local-directory", str(scratch)], **quiet))  # type: ignore[call-overload]  # fmt: skip
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        argv = [*CLI, "build", *map(str, files), "-o", str(work / "out-dask"), "--format", formats,
                "--executor", "dask", "--scheduler", address]  # fmt: skip
        return timed(argv, work, "dask_worker", pids=[p.pid for p in procs[1:]])
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def memory_child(files: list[Path], formats: str) -> None:
    """Build ``files`` one after another in this process (as a --jobs 1 worker does) and print VmRSS after each."""
    from yujuesuan.workflows.batch.unit import UnitOptions, build_unit, warm

    options = UnitOptions(formats=tuple(formats.split(",")))
    warm(options)
    series = []
    for path in files:
        result = build_unit(path.read_bytes(), path.name, options)
        del result  # the parent would have written its bytes and dropped them
        rss = re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text())
        series.append(int(rss.group(1)) if rss else 0)
    print(json.dumps(series))


def memory_case(files: list[Path], work: Path, formats: str) -> dict:
    """RSS (MB) of one process after each unit built, and its growth per unit over the second half."""
    argv = [sys.executable, str(Path(__file__).resolve()), "--memory-child", formats, *map(str, files)]
    out = subprocess.run(argv, cwd=work, capture_output=True, text=True, check=True).stdout
    series = [kb / 1024 for kb in json.loads(out.strip().splitlines()[-1])]
    half = len(series) // 2
    growth = (series[-1] - series[half]) / max(1, len(series) - 1 - half)
    return {"rss_mb": [round(mb, 1) for mb in series], "growth_mb_per_unit": round(growth, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--seq", type=int, default=10, help="units built as one CLI process each (default 10)")
    parser.add_argument("--format", default="docx,pdf")
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    parser.add_argument("--memory", type=int, default=40, help="valid units built in one process for its RSS per unit")
    parser.add_argument("--memory-child", nargs="+", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child([Path(p) for p in args.memory_child[1:]], args.memory_child[0])
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="yujuesuan-batch-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = bench(args, work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


def bench(args: argparse.Namespace, work: Path) -> dict:
    data = work / "data"
    data.mkdir()
    files = generate(data, args.units)
    info = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "units": len(files),
        "formats": args.format,
        "loadavg_before": os.getloadavg()[0],
    }
    print(f"{info['date']}  {info['machine']}  {len(files)} units  --format {args.format}", flush=True)
    # Warm the OS file cache, matplotlib's font list and fontconfig's cache (untimed).
    subprocess.run([*CLI, "build", str(files[0]), "-o", str(work / "warm"), "--format", args.format], cwd=work,
                   capture_output=True, check=False)  # fmt: skip
    cases: dict[str, dict] = {}
    cases["yardstick: WeasyPrint alone on unit 0's HTML"] = yardstick(files[0], work)
    print(f"yardstick: {cases[next(iter(cases))]['wall']:.2f}s", flush=True)
    single = [timed([*CLI, "build", str(files[0]), "-o", str(work / f"single-{i}"), "--format", args.format], work)
              for i in range(2)]  # fmt: skip
    cases["single build (1 process, 1 unit)"] = min(single, key=lambda r: r["wall"]) | {"units": 1}
    print(f"single build: {cases['single build (1 process, 1 unit)']['wall']:.2f}s", flush=True)
    seq_files = files[: args.seq]
    start, cpu = time.perf_counter(), children_cpu()
    for f in seq_files:
        subprocess.run([*CLI, "build", str(f), "-o", str(work / "out-seq"), "--format", args.format], cwd=work,
                       capture_output=True, check=False)  # fmt: skip
    cases[f"CLI, 1 process per unit ({len(seq_files)} units)"] = {
        "wall": time.perf_counter() - start, "cpu": children_cpu() - cpu, "units": len(seq_files),
        "workers_mb": []}  # fmt: skip
    print(f"sequential CLI: {cases[f'CLI, 1 process per unit ({len(seq_files)} units)']['wall']:.1f}s", flush=True)
    for jobs in (1, 2):
        argv = [*CLI, "build", *map(str, files), "-o", str(work / f"out-j{jobs}"), "--format", args.format,
                "--jobs", str(jobs)]  # fmt: skip
        cases[f"build --jobs {jobs}"] = timed(argv, work, "spawn_main") | {"units": len(files)}
        print(f"--jobs {jobs}: {cases[f'build --jobs {jobs}']['wall']:.1f}s", flush=True)
    if not args.no_dask:
        try:
            import distributed  # noqa: F401
        except ImportError:
            print("Dask: distributed is not installed (pip install 'yujuesuan[dask]'); skipped")
        else:
            cases["Dask, 2 local workers"] = dask_case(files, work, args.format) | {"units": len(files)}
            print(f"dask: {cases['Dask, 2 local workers']['wall']:.1f}s", flush=True)
    memory = None
    if args.memory:
        valid = [f for i, f in enumerate(files) if i % 40 != 7 and i != len(files) - 3][: args.memory]
        memory = memory_case(valid, work, args.format)
        first, last = memory["rss_mb"][0], memory["rss_mb"][-1]
        print(f"memory: {memory['growth_mb_per_unit']:+.2f} MB per unit over {len(valid)} units "
              f"({first:.0f} MB after the first, {last:.0f} MB after the last)", flush=True)  # fmt: skip
    info["loadavg_after"] = os.getloadavg()[0]
    ext = "." + args.format.split(",")[-1]
    built = {name: len([p for p in (work / name).rglob(f"*{ext}") if ".prev." not in p.name])
             for name in ("out-j1", "out-j2", "out-dask") if (work / name).exists()}  # fmt: skip
    report(info, cases, built)
    return {"info": info, "cases": cases, "pdfs": built, "memory": memory}


def report(info: dict, cases: dict[str, dict], built: dict[str, int]) -> None:
    single = cases["single build (1 process, 1 unit)"]["wall"]
    stick = cases["yardstick: WeasyPrint alone on unit 0's HTML"]["wall"]
    print(f"\n{'case':<46}{'wall':>9}{'units/min':>11}{'s/unit':>9}{'× single':>10}{'× WP alone':>11}"
          f"{'cpu s/unit':>12}  peak MB per worker")  # fmt: skip
    for name, c in cases.items():
        per = c["wall"] / c["units"]
        workers = ", ".join(f"{mb:.0f}" for mb in c.get("workers_mb", [])) or "-"
        cpu = f"{c['cpu'] / c['units']:>11.2f}s" if c.get("cpu") is not None else f"{'-':>12}"
        print(f"{name:<46}{c['wall']:>8.1f}s{60 / per:>11.1f}{per:>8.2f}s{per / single:>9.2f}×{per / stick:>10.2f}×"
              f"{cpu}  {workers}")  # fmt: skip
    print(f"documents written: {built}")
    print(f"load average (1 min): {info['loadavg_before']:.2f} before, {info['loadavg_after']:.2f} after")


if __name__ == "__main__":
    main()
