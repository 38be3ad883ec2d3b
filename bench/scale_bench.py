#!/usr/bin/env python3
"""How the cost of one full build grows with the number of 项 (7-digit 功能分类 codes) of a unit.

    python bench/scale_bench.py                        # N = 8, 50, 150, 300; 3 runs each (~10-15 min)
    python bench/scale_bench.py --runs 1 --codes 8,50  # quick look
    python bench/scale_bench.py --json scale.json --keep /tmp/scale

Issue 14 asks that "a 300-code unit [be] no worse than linear in pages". For each N the
Qingshan sample (8 项) is grown to N 项: the extra codes come from the bundled 2023 功能分类
catalog (codes the sample does not use), taken round-robin over its 款 so that many 类 and 款
appear and the tables grow as a big unit's would. Each added 项 has only 一般公共预算财政拨款
项目支出 (income from the same source, same amount), so the 基本支出 and its 经济分类 detail stay
as they are and every balance holds; every third has a 年初预算 below the 决算 and a 差异原因,
each new 类 gets its 说明.类用途 text, and each new 类's added 项目支出 is one 绩效 project (so
the projects' 执行数 still add up to the 项目支出). Amounts are Decimal with two decimals. Every
generated file is checked (`yujuesuan check`, exit 0, no warning) before anything is timed.

Then, for every N, whole CLI processes, interleaved (run 1 of every N and case, then run 2, ...):

    full   yujuesuan build FILE -o DIR --format docx,pdf
    docx   yujuesuan build FILE -o DIR --format docx

Wall time, CPU (user + system of the process tree, from RUSAGE_CHILDREN), the PDF's pages and the
DOCX's size. The table gives medians, CPU seconds per page and the marginal CPU per page against
the smallest N, (CPU(N) - CPU(N0)) / (pages(N) - pages(N0)): flat means linear in pages; rising
with N means some stage grows faster than the document. This is a script, not a test: it asserts
nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import built_file, run_timed  # one way of timing a process, shared with bench.py

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "qingshan-2023.yaml"
CLI = (sys.executable, "-m", "yujuesuan")
CODES = (8, 50, 150, 300)
CASES = ("full", "docx")
FORMATS = {"full": "docx,pdf", "docx": "docx"}
CENT = Decimal("0.01")
# Short plausible texts for the added 项 (差异原因) and 类 (说明.类用途, 绩效 project).
GENERIC = ("行政运行", "一般行政管理事务", "机关服务", "事业运行")  # 项 names shared by many 款: named with their 款
REASONS = ("年中追加了{name}项目经费", "当年调整和调剂增加了{name}相关经费", "根据工作需要追加了{name}专项资金")


def catalog_names(year: int) -> dict[str, str]:
    """Every 功能分类 类/款/项 code of the bundled catalog -> its name (read in a child process)."""
    probe = (
        "import json, sys\nfrom yujuesuan.catalog import load_catalog\n"
        f"json.dump(dict(load_catalog({year}).names), sys.stdout, ensure_ascii=False)"
    )
    names: dict[str, str] = json.loads(run([sys.executable, "-c", probe], ROOT))
    return names


def pick_codes(names: dict[str, str], used: set[str], count: int) -> list[str]:
    """``count`` catalog 项 not in ``used``: round-robin over the 类, and within a 类 over its 款.

    So even N=50 touches most 类, and larger N fill more 款 and 项 under them, as a big unit's tables do.
    The debt, 国有资本经营预算 and 其他支出 类 are left out (not a unit's 一般公共预算 spending).
    """
    tree: dict[str, dict[str, list[str]]] = {}
    for code in sorted(c for c in names if len(c) == 7):
        if code not in used and not code.startswith(("223", "229", "231", "232", "234")):
            tree.setdefault(code[:3], {}).setdefault(code[:5], []).append(code)
    turn = {cls: 0 for cls in tree}  # which 款 of each 类 gives the next 项
    picked: list[str] = []
    while len(picked) < count:
        before = len(picked)
        for cls, kuans in tree.items():
            open_kuans = [k for k in kuans.values() if k]
            if open_kuans and len(picked) < count:
                picked.append(open_kuans[turn[cls] % len(open_kuans)].pop(0))
                turn[cls] += 1
        if len(picked) == before:
            sys.exit(f"the catalog has only {len(picked)} unused 项; cannot make {count}")
    return sorted(picked)


def amount(index: int) -> Decimal:
    """A deterministic amount in 万元, 0.50-99.99, two decimals (exact: integer cents)."""
    cents = 50 + (index * 7919 + 1237) % 9950
    return (Decimal(cents) / 100).quantize(CENT)


def unit_text(base: str, names: dict[str, str], count: int) -> str:
    """The sample grown to ``count`` 项 (the sample's own 项 kept)."""
    used = set(re.findall(r'^  "(\d{7})":', base, re.M))
    if count < len(used):
        sys.exit(f"the sample has {len(used)} 项; N must be at least that")
    if count == len(used):
        return base
    added = pick_codes(names, used, count - len(used))
    values = balanced([amount(i) for i in range(len(added))], added, sample_class_totals(base))
    entries: list[str] = []
    projects: list[str] = []
    per_class: dict[str, list[tuple[str, Decimal]]] = {}
    for i, (code, value) in enumerate(zip(added, values)):
        per_class.setdefault(code[:3], []).append((code, value))
        lines = [
            f'  "{code}":   # {names[code[:3]]} / {names.get(code[:5], code[:5])} / {names[code]}',
            f"    收入: {{一般公共预算财政拨款: {value}}}",
            f"    支出: {{项目支出: {value}}}",
            f"    一般公共预算财政拨款支出: {{项目支出: {value}}}",
        ]
        if i % 3 == 0:  # 年初预算 below the 决算: the 说明 states why
            budget = (value * Decimal("0.8")).quantize(CENT)
            lines.append(f"    年初预算: {budget}")
            item = names.get(code[:5], "") + names[code] if names[code] in GENERIC else names[code]
            lines.append(f"    差异原因: {REASONS[i % len(REASONS)].format(name=item)}")
        else:
            lines.append(f"    年初预算: {value}")
        entries.append("\n".join(lines) + "\n")
    uses = []
    for cls, members in per_class.items():
        kuans = dict.fromkeys(names.get(c[:5], c[:5]) for c, _ in members)
        if not re.search(rf'^    "{cls}": ', base, re.M):
            uses.append(f'    "{cls}": {"、".join(list(kuans)[:3])}{"等" if len(kuans) > 3 else ""}方面\n')
        total = sum((v for _, v in members), Decimal(0))
        projects.append(project(cls, names[cls], members[0][0], total))

    text = base
    text = insert_before(text, "\n# 结转结余", "\n" + "\n".join(entries))
    text = insert_after_block(text, "  类用途:", "".join(uses))
    return text.rstrip("\n") + "\n\n" + "".join(projects)


def sample_class_totals(base: str) -> dict[str, Decimal]:
    """The sample's 一般公共预算财政拨款支出 by 类 (the 项 entries' `一般公共预算财政拨款支出:` lines)."""
    totals: dict[str, Decimal] = {}
    for code, body in re.findall(r'^  "(\d{7})":[^\n]*\n((?:    [^\n]*\n|\s*\n)*)', base, re.M):
        line = re.search(r"^    一般公共预算财政拨款支出: \{([^}]*)\}", body, re.M)
        for figure in re.findall(r":\s*(\d+(?:\.\d+)?)", line.group(1) if line else ""):
            totals[code[:3]] = totals.get(code[:3], Decimal(0)) + Decimal(figure)
    return totals


def balanced(values: list[Decimal], codes: list[str], base: dict[str, Decimal]) -> list[Decimal]:
    """``values`` with the last one moved by cents until the 类 shares (说明五（二）, two decimals) add up to 100.

    The audit warns when they do not (占比-一般公共预算类); a real unit adjusts a 尾数 the same way.
    """
    values = list(values)
    for _ in range(1000):
        totals = dict(base)
        for code, value in zip(codes, values):
            totals[code[:3]] = totals.get(code[:3], Decimal(0)) + value
        whole = sum(totals.values(), Decimal(0))
        shares = sum(((t * 100 / whole).quantize(CENT, ROUND_HALF_UP) for t in totals.values()), Decimal(0))
        if shares == 100:
            return values
        values[-1] += CENT
    sys.exit("could not balance the 类 shares to 100%")


def project(cls: str, class_name: str, code: str, total: Decimal) -> str:
    """One 绩效 project holding a 类's added 项目支出 (its 执行数 = their sum), with a few indicators."""
    return (
        f"    - 名称: {class_name}专项业务经费（{cls}）\n"
        f'      科目: "{code}"\n'
        f"      预算数: {total}\n"
        f"      执行数: {total}\n"
        f"      主要成效: 保障了{class_name}相关业务工作的开展。\n"
        f"      产出和效益: 按计划完成了{class_name}相关工作任务，资金使用规范。\n"
        "      项目类别: 部门预算项目\n"
        "      项目属性: 持续性项目\n"
        "      项目类型: 常年性项目\n"
        "      执行分值: 20\n"
        "      指标:\n"
        "        - {一级: 产出指标, 二级: 数量指标, 三级: 完成年度工作任务, 目标值: 100%, 实际值: 100%, 得分: 30}\n"
        "        - {一级: 产出指标, 二级: 时效指标, 三级: 资金按时拨付率, 目标值: 100%, 实际值: 100%, 得分: 30}\n"
        "        - {一级: 效益指标, 二级: 社会效益指标, 三级: 服务对象满意度, 目标值: ≥90%, 实际值: ≥90%, 得分: 20}\n"
        '      偏差原因: ""\n'
        '      改进措施及结果应用: ""\n\n'
    )


def insert_before(text: str, marker: str, addition: str) -> str:
    at = text.find(marker)
    if at < 0:
        sys.exit(f"the sample has no {marker.strip()!r}; cannot grow it")
    return text[:at] + addition + text[at:]


def insert_after_block(text: str, header: str, addition: str) -> str:
    """Insert ``addition`` after the indented lines that follow the line ``header``."""
    match = re.search(rf"^{re.escape(header)}[^\n]*\n((?:    [^\n]*\n)*)", text, re.M)
    if match is None:
        sys.exit(f"the sample has no {header.strip()!r}; cannot grow it")
    return text[: match.end()] + addition + text[match.end() :]


def generate(folder: Path, counts: list[int]) -> dict[int, Path]:
    base = SAMPLE.read_text(encoding="utf-8")
    if not base.rstrip().endswith('改进措施及结果应用: ""'):
        sys.exit(f"{SAMPLE} no longer ends with its 绩效.项目 list; the generator appends projects there")
    names = catalog_names(2023)
    files = {}
    for n in counts:
        path = folder / f"scale-{n:03d}.yaml"
        path.write_text(unit_text(base, names, n), encoding="utf-8")
        files[n] = path
    return files


def run(argv: list[str], cwd: Path) -> str:
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(argv)}\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def check_clean(path: Path, cwd: Path) -> None:
    """`yujuesuan check` must exit 0 and report no finding at all (no warning either)."""
    proc = subprocess.run([*CLI, "check", str(path), "--format", "json"], cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0 or '"severity"' in proc.stdout:
        sys.exit(f"generated {path.name} does not check clean ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


def page_count(pdf: Path) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:
        info = run(["pdfinfo", str(pdf)], pdf.parent)
        match = re.search(r"^Pages:\s+(\d+)", info, re.M)
        if match is None:
            sys.exit(f"pdfinfo gave no page count for {pdf}")
        return int(match.group(1))
    return len(PdfReader(pdf).pages)


def loadavg() -> float:
    return os.getloadavg()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs of each N and case (default 3)")
    parser.add_argument(
        "--codes", default=",".join(map(str, CODES)), help="numbers of 项, comma list (default 8,50,150,300)"
    )
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        counts = sorted({int(c) for c in args.codes.split(",") if c.strip()})
    except ValueError:
        parser.error("--codes takes whole numbers separated by commas, e.g. 8,50")
    if not counts:
        parser.error("--codes is empty")

    work = Path(args.keep or tempfile.mkdtemp(prefix="yujuesuan-scale-")).resolve()
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = bench(args.runs, counts, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"\nwritten: {args.json}")


def bench(runs: int, counts: list[int], work: Path) -> dict[str, Any]:
    files = generate(work, counts)
    for path in files.values():
        check_clean(path, work)
    load_before = loadavg()
    print(f"load average (1 min) before: {load_before:.2f}", flush=True)
    times: dict[str, dict[str, list[float]]] = {f"{n}/{c}": {"wall": [], "cpu": []} for n in counts for c in CASES}
    for r in range(runs):
        for n in counts:
            for case in CASES:
                out = work / f"out-{n}-{case}-{r}"
                argv = [*CLI, "build", str(files[n]), "-o", str(out), "--format", FORMATS[case]]
                wall, cpu = run_timed(argv, work)
                times[f"{n}/{case}"]["wall"].append(wall)
                times[f"{n}/{case}"]["cpu"].append(cpu)
                print(f"  run {r + 1}/{runs}  N={n:<4} {case:<5} wall {wall:6.2f} s  CPU {cpu:6.2f} s", flush=True)
    sizes = {}
    for n in counts:
        last = work / f"out-{n}-full-{runs - 1}"
        pdf, docx = built_file(last, "pdf"), built_file(last, "docx")
        items = len(set(re.findall(r'^  "(\d{7})":', files[n].read_text(encoding="utf-8"), re.M)))
        sizes[n] = {"items": items, "pages": page_count(pdf), "pdf_bytes": pdf.stat().st_size,
                    "docx_bytes": docx.stat().st_size}  # fmt: skip
    return {
        "info": {
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "python": platform.python_version(),
            "runs": runs,
            "loadavg_before": load_before,
            "loadavg_after": loadavg(),
        },
        "sizes": {str(n): s for n, s in sizes.items()},
        "times": times,
    }


def report(results: dict[str, Any]) -> None:
    sizes, times = results["sizes"], results["times"]
    counts = sorted(sizes, key=int)
    med = {key: {k: statistics.median(v) for k, v in t.items()} for key, t in times.items()}
    first = counts[0]
    print(f"\n{'N':>4}{'pages':>7}{'DOCX KB':>9}{'full wall':>11}{'full CPU':>10}{'CPU/page':>10}"
          f"{'Δ CPU/Δ page':>14}{'docx wall':>11}{'docx CPU':>10}{'docx Δ/Δp':>11}")  # fmt: skip
    for n in counts:
        s, full, docx = sizes[n], med[f"{n}/full"], med[f"{n}/docx"]
        line = (f"{n:>4}{s['pages']:>7}{s['docx_bytes'] / 1024:>9.0f}{full['wall']:>10.2f}s{full['cpu']:>9.2f}s"
                f"{full['cpu'] / s['pages']:>9.3f}s")  # fmt: skip
        d_pages = s["pages"] - sizes[first]["pages"]
        if n != first and d_pages > 0:
            marginal = (full["cpu"] - med[f"{first}/full"]["cpu"]) / d_pages
            marginal_docx = (docx["cpu"] - med[f"{first}/docx"]["cpu"]) / d_pages
            line += f"{marginal:>13.3f}s{docx['wall']:>10.2f}s{docx['cpu']:>9.2f}s{marginal_docx:>10.3f}s"
        else:
            line += f"{'–':>14}{docx['wall']:>10.2f}s{docx['cpu']:>9.2f}s{'–':>11}"
        print(line)
    info = results["info"]
    print(f"\nmedians of {info['runs']} run(s); Δ = against N={first}; CPU = user+sys of the process tree")
    print(f"load average (1 min): {info['loadavg_before']:.2f} before, {info['loadavg_after']:.2f} after")


if __name__ == "__main__":
    main()
