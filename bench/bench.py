#!/usr/bin/env python3
"""Time yujuesuan as a user runs it: whole processes, process start included.

    python bench/bench.py                  # 5 runs of each case, then a batch of 10 units
    python bench/bench.py --runs 3 --batch 0 --json bench.json
    python bench/bench.py --breakdown      # also: where one in-process build spends its time

Cases, each a fresh `python` process per run, interleaved run by run so that
a busy machine slows them alike and the ratios compare like with like:

    check         yujuesuan check SAMPLE
    build docx    yujuesuan build SAMPLE --format docx
    build pdf     yujuesuan build SAMPLE --format pdf
    build full    yujuesuan build SAMPLE --format docx,pdf   (charts included)
    weasyprint    WeasyPrint alone, the yardstick: `python -c` that imports weasyprint and
                  writes the PDF of the HTML the build produced, with the @font-face CSS
                  that render/pdf.py generates (subsets precomputed before timing),
                  embedding those pre-cut subsets as they are (full_fonts=True)
    trimmed       the same, but WeasyPrint trims our subsets (fonts.trim_subset)
                  as the build does instead of re-subsetting them with fontTools
    resubset      the old yardstick: WeasyPrint cuts the pre-cut subsets again (fontTools)

Then a batch of --batch copies of the sample with changed unit names: one
process per unit (the CLI builds one file per call), and the same copies
built in one process through the Python API (what a batch command would pay).

Wall time is what a user waits; CPU time (user+sys of the child) is a little steadier
on a shared machine. This is a script, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "qingshan-2023.yaml"
SAMPLE_UNIT = "武汉市青山区融媒体中心"
BATCH_UNITS = (
    "武汉市青山区档案馆",
    "武汉市青山区图书馆",
    "武汉市青山区文化馆",
    "武汉市青山区机关事务服务中心",
    "武汉市青山区政务服务中心",
    "武汉市青山区退役军人服务中心",
    "武汉市青山区城市管理执法大队",
    "武汉市青山区园林绿化中心",
    "武汉市青山区疾病预防控制中心",
    "武汉市青山区社会福利院",
)
CLI = (sys.executable, "-m", "yujuesuan")

# Run before timing: the build's HTML → the @font-face CSS render/pdf.py would add.
FONTS_CSS = """
import sys
from pathlib import Path
from yujuesuan.render.pdf import font_face_css
html = Path(sys.argv[1]).read_text(encoding="utf-8")
Path(sys.argv[2]).write_text(font_face_css(html), encoding="utf-8")
"""

# WeasyPrint alone, the yardstick: plain HTML(string=...).write_pdf() of the build's HTML with the
# precomputed @font-face CSS (the same pre-cut font subsets the build embeds), and full_fonts=True so
# that WeasyPrint embeds those subsets as they are instead of cutting them again with fontTools
# (~1.1 s the build never pays; the old yardstick paid it, which flattered the build).
WEASYPRINT_ALONE = """
import sys
import weasyprint
from weasyprint.text.fonts import FontConfiguration
html = open(sys.argv[1], encoding="utf-8").read()
fonts = FontConfiguration()
css = weasyprint.CSS(string=open(sys.argv[2], encoding="utf-8").read(), font_config=fonts)
weasyprint.HTML(string=html).write_pdf(sys.argv[3], stylesheets=[css], font_config=fonts, full_fonts=True)
"""

# The old yardstick, kept for comparison: WeasyPrint re-subsets the pre-cut fonts with fontTools.
WEASYPRINT_RESUBSET = """
import sys
import weasyprint
from weasyprint.text.fonts import FontConfiguration
html = open(sys.argv[1], encoding="utf-8").read()
fonts = FontConfiguration()
css = weasyprint.CSS(string=open(sys.argv[2], encoding="utf-8").read(), font_config=fonts)
weasyprint.HTML(string=html).write_pdf(sys.argv[3], stylesheets=[css], font_config=fonts)
"""

# The same, with our subsets only trimmed to the glyphs drawn (fonts.trim_subset), as the build
# does, instead of WeasyPrint's fontTools re-subsetting: the fair base for the build's overhead.
WEASYPRINT_TRIMMED = """
import base64, re, sys
import weasyprint
from weasyprint.pdf import fonts as wp_fonts
from weasyprint.text.fonts import FontConfiguration
from yujuesuan.render.fonts import trim_subset
html = open(sys.argv[1], encoding="utf-8").read()
fonts_css = open(sys.argv[2], encoding="utf-8").read()
ours = {base64.b64decode(data) for data in re.findall(r"base64,([A-Za-z0-9+/=]+)", fonts_css)}
subset = wp_fonts.Font.subset
def trimmed(self, to_unicode, hinting):
    if to_unicode and self.file_content in ours:
        self.file_content = trim_subset(self.file_content, to_unicode)
    else:
        subset(self, to_unicode, hinting)
wp_fonts.Font.subset = trimmed
fonts = FontConfiguration()
css = weasyprint.CSS(string=fonts_css, font_config=fonts)
weasyprint.HTML(string=html).write_pdf(sys.argv[3], stylesheets=[css], font_config=fonts)
"""

VERSIONS = """
import json, platform, importlib.metadata as md
out = {"python": platform.python_version()}
for name in ("weasyprint", "python-docx", "matplotlib", "fonttools", "pydyf", "pypdf"):
    try:
        out[name] = md.version(name)
    except md.PackageNotFoundError:
        out[name] = None
import warnings
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from weasyprint.text import ffi
out["harfbuzz_subset"] = ffi.harfbuzz_subset is not None
print(json.dumps(out))
"""

# Builds every unit file given in one process, the way cli.build_cmd does for one.
API_BATCH = """
import sys
from pathlib import Path
from yujuesuan.output.build import build_document, output_dir
from yujuesuan.pipeline import check
from yujuesuan.profiles import load_profile
out = Path(sys.argv[1])
profile = load_profile("wuhan", None)
for name in sys.argv[2:]:
    result = check(Path(name), profile.layout_year)
    if result.figures is None or result.errors:
        sys.exit(f"{name}: check failed")
    build_document(result.figures, profile, output_dir(out, result.figures), ("docx", "pdf"), Path(name))
"""

# One build in-process, stage by stage (no profiler overhead): --breakdown.
BREAKDOWN = """
import json, sys, time
from pathlib import Path
T = {}
clock = time.process_time  # CPU seconds: steadier than wall time on a shared machine
start = clock()
def lap(name, since):
    now = clock()
    T[name] = T.get(name, 0.0) + now - since
    return now
t = start
import click, yujuesuan.cli  # what `yujuesuan check` needs
t = lap("import: cli + pipeline (check)", t)
import matplotlib.figure, matplotlib.backends.backend_agg
t = lap("import: matplotlib", t)
import docx
t = lap("import: python-docx", t)
import warnings
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import weasyprint
t = lap("import: weasyprint", t)
import yujuesuan.output.build
from yujuesuan.compose import compose
from yujuesuan.profiles import load_profile
from yujuesuan.pipeline import check
from yujuesuan.render import render_docx, render_html
from yujuesuan.render import pdf as pdf_module
from yujuesuan.render import charts
t = lap("import: yujuesuan (rest)", t)
sample = Path(sys.argv[1])
profile = load_profile("wuhan", None)
result = check(sample, profile.layout_year)
t = lap("check (load, validate, derive, rules)", t)
drawn = [0.0]
def timed(fn):
    def wrapper(*a, **k):
        s = clock()
        try:
            return fn(*a, **k)
        finally:
            drawn[0] += clock() - s
    return wrapper
import yujuesuan.kinds.juesuan.figures as figures_module
for module in (charts, figures_module):
    for name in ("bar_chart", "pie_chart"):
        if callable(getattr(module, name, None)):
            setattr(module, name, timed(getattr(charts, name)))
doc = compose(result.figures, profile, False)
t = lap("compose (without charts)", t)
T["compose (without charts)"] -= drawn[0]
T["charts (matplotlib drawing)"] = drawn[0]
render_docx(doc, profile.find("reference.docx"))
t = lap("render DOCX", t)
html = render_html(doc, profile.env(autoescape=True))
t = lap("render HTML (Jinja)", t)
css = pdf_module.font_face_css(html)
t = lap("font subsets (fonts.py)", t)
from weasyprint import document as wp_document
from weasyprint.pdf import fonts as wp_fonts
phases = {"layout": 0.0, "subset": 0.0}
render = wp_document.Document._render.__func__
def timed_render(cls, *a, **k):
    s = clock()
    try:
        return render(cls, *a, **k)
    finally:
        phases["layout"] += clock() - s
wp_document.Document._render = classmethod(timed_render)
subset = wp_fonts.Font.subset
def timed_subset(self, *a, **k):
    s = clock()
    try:
        return subset(self, *a, **k)
    finally:
        phases["subset"] += clock() - s
wp_fonts.Font.subset = timed_subset
pdf = pdf_module.render_pdf(html, profile.folders, fonts_css=css)
t = lap("WeasyPrint: total", t)
T["WeasyPrint: CSS + layout"] = phases["layout"]
T["WeasyPrint: subsetting the embedded fonts"] = phases["subset"]
T["WeasyPrint: drawing + PDF writing"] = T["WeasyPrint: total"] - phases["layout"] - phases["subset"]
del T["WeasyPrint: total"]
T["total (in-process)"] = clock() - start
print(json.dumps(T))
"""


@dataclass
class Case:
    slug: str
    name: str
    argv: list[str]
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def run_timed(argv: list[str], cwd: Path) -> tuple[float, float]:
    """Run one process; return (wall seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(argv)}\n{proc.stdout}\n{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def run(argv: list[str], cwd: Path) -> str:
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(argv)}\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def built_file(folder: Path, ext: str) -> Path:
    found = [p for p in folder.rglob(f"*.{ext}") if "历史版本" not in p.parts]
    if len(found) != 1:
        sys.exit(f"expected one .{ext} under {folder}, found {found}")
    return found[0]


def page_count(pdf: Path) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(pdf).pages)


def stats(values: list[float]) -> dict[str, float]:
    return {"min": min(values), "median": statistics.median(values)} if values else {}


def unit_copies(sample: Path, folder: Path, count: int) -> list[Path]:
    text = sample.read_text(encoding="utf-8")
    if SAMPLE_UNIT not in text:
        sys.exit(f"{sample} does not name {SAMPLE_UNIT}; cannot make batch copies")
    files = []
    for i in range(count):
        name = BATCH_UNITS[i % len(BATCH_UNITS)] + (f"{i // len(BATCH_UNITS) + 1}" if i >= len(BATCH_UNITS) else "")
        path = folder / f"unit{i:02d}.yaml"
        path.write_text(text.replace(SAMPLE_UNIT, name), encoding="utf-8")
        files.append(path)
    return files


def has_trim_subset(cwd: Path) -> bool:
    probe = subprocess.run(
        [sys.executable, "-c", "from yujuesuan.render.fonts import trim_subset"], cwd=cwd, capture_output=True
    )
    return probe.returncode == 0


def cli_takes_many_files(cwd: Path) -> bool:
    usage = run([*CLI, "build", "--help"], cwd).splitlines()[0]
    return "..." in usage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each case (default 5)")
    parser.add_argument("--sample", type=Path, default=SAMPLE, help="input file (default: the Qingshan sample)")
    parser.add_argument("--batch", type=int, default=10, help="units in the batch; 0 skips it (default 10)")
    parser.add_argument("--batch-runs", type=int, default=1, help="runs of each batch (default 1)")
    parser.add_argument("--breakdown", action="store_true", help="also time the stages of one in-process build")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    if args.runs < 1 or args.batch_runs < 1:
        parser.error("--runs and --batch-runs must be at least 1")
    sample = args.sample.resolve()

    work = Path(args.keep or tempfile.mkdtemp(prefix="yujuesuan-bench-")).resolve()
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = bench(args, sample, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"\nwritten: {args.json}")


def bench(args: argparse.Namespace, sample: Path, work: Path) -> dict:
    info = json.loads(run([sys.executable, "-c", VERSIONS], work))
    info.update(
        date=time.strftime("%Y-%m-%d %H:%M"),
        machine=f"{platform.machine()}, {os.cpu_count()} cores",
        sample=str(sample),
        runs=args.runs,
        loadavg_before=os.getloadavg()[0],
    )
    print(
        f"{info['date']}  {info['machine']}  Python {info['python']}  WeasyPrint {info['weasyprint']}  "
        f"python-docx {info['python-docx']}  matplotlib {info['matplotlib']}  fontTools {info['fonttools']}  "
        f"libharfbuzz-subset: {'yes' if info['harfbuzz_subset'] else 'no (fontTools fallback)'}"
    )

    # Untimed setup: the HTML the build makes, and the @font-face CSS for it.
    # Also warms the OS file cache, matplotlib's font list and fontconfig's cache.
    setup = work / "setup"
    run([*CLI, "build", str(sample), "-o", str(setup), "--format", "html,pdf"], work)
    html = built_file(setup, "html")
    fonts_css = work / "fonts.css"
    run([sys.executable, "-c", FONTS_CSS, str(html), str(fonts_css)], work)

    cases = [
        Case("check", "check", [*CLI, "check", str(sample)]),
        Case("docx", "build docx", [*CLI, "build", str(sample), "-o", "{out}", "--format", "docx"]),
        Case("pdf", "build pdf", [*CLI, "build", str(sample), "-o", "{out}", "--format", "pdf"]),
        Case("full", "build full (docx+pdf)", [*CLI, "build", str(sample), "-o", "{out}", "--format", "docx,pdf"]),
        Case(
            "weasyprint",
            "WeasyPrint alone (pre-cut subsets)",
            [sys.executable, "-c", WEASYPRINT_ALONE, str(html), str(fonts_css), "{out}.pdf"],
        ),
    ]
    full, alone = cases[3], cases[4]
    # The default build lays out the PDF in a second process (render/pdf_process.py); --jobs 1 keeps it in one.
    one = Case("full1", "build full, --jobs 1 (one process)",
               [*CLI, "build", str(sample), "-o", "{out}", "--format", "docx,pdf", "--jobs", "1"])  # fmt: skip
    if has_trim_subset(work):  # absent from older versions of fonts.py
        cases.append(
            Case(
                "trimmed",
                "WeasyPrint alone, fonts trimmed",
                [sys.executable, "-c", WEASYPRINT_TRIMMED, str(html), str(fonts_css), "{out}.pdf"],
            )
        )
    cases.append(one)
    cases.append(
        Case(
            "resubset",
            "WeasyPrint re-subsetting (old yardstick)",
            [sys.executable, "-c", WEASYPRINT_RESUBSET, str(html), str(fonts_css), "{out}.pdf"],
        )
    )
    for i in range(args.runs):
        for case in cases:
            out = work / f"run{i}" / case.slug
            out.parent.mkdir(parents=True, exist_ok=True)
            wall, cpu = run_timed([a.replace("{out}", str(out)) for a in case.argv], work)
            case.wall.append(wall)
            case.cpu.append(cpu)
        print(f"run {i + 1}/{args.runs}: " + "  ".join(f"{c.name} {c.wall[-1]:.2f}s" for c in cases), flush=True)

    pages_full = page_count(built_file(work / "run0" / "full", "pdf"))
    pages_alone = page_count(work / "run0" / "weasyprint.pdf")

    batch = {}
    if args.batch > 0:
        batch = run_batch(args, sample, work)

    breakdown = None
    if args.breakdown:
        breakdown = json.loads(run([sys.executable, "-c", BREAKDOWN, str(sample)], work).strip().splitlines()[-1])

    info["loadavg_after"] = os.getloadavg()[0]
    ratios = {
        "wall": [f / a for f, a in zip(full.wall, alone.wall)],
        "cpu": [f / a for f, a in zip(full.cpu, alone.cpu)],
    }
    trimmed_case = next((c for c in cases if c.slug == "trimmed"), None)
    if trimmed_case is not None:
        trimmed = trimmed_case
        ratios["wall_vs_trimmed"] = [f / a for f, a in zip(full.wall, trimmed.wall)]
        ratios["cpu_vs_trimmed"] = [f / a for f, a in zip(full.cpu, trimmed.cpu)]
    summary = {k: stats(v) | {"all": v} for k, v in ratios.items()}
    summary["wall_of_mins"] = min(full.wall) / min(alone.wall)
    summary["cpu_of_mins"] = min(full.cpu) / min(alone.cpu)
    if trimmed_case is not None:
        summary["wall_of_mins_vs_trimmed"] = min(full.wall) / min(trimmed_case.wall)
        summary["cpu_of_mins_vs_trimmed"] = min(full.cpu) / min(trimmed_case.cpu)
    summary["one_process"] = stats([f / a for f, a in zip(one.wall, alone.wall)]) | {
        "cpu": stats([f / a for f, a in zip(one.cpu, alone.cpu)])}  # fmt: skip
    results = {
        "info": info,
        "cases": {c.name: {"wall": stats(c.wall), "cpu": stats(c.cpu), "all": [c.wall, c.cpu]} for c in cases},
        "pages": {"build": pages_full, "weasyprint_alone": pages_alone},
        "full_over_weasyprint": summary,
        "batch": batch,
        "breakdown": breakdown,
    }
    print_report(results, cases)
    return results


def run_batch(args: argparse.Namespace, sample: Path, work: Path) -> dict:
    folder = work / "batch"
    folder.mkdir()
    files = unit_copies(sample, folder, args.batch)
    many = cli_takes_many_files(work)
    result: dict[str, dict] = {}
    modes = {
        ("CLI, build FILES --jobs 1" if many else "CLI, 1 process per unit"): None,
        "Python API, 1 process": None,
    }
    for mode in modes:
        walls, cpus = [], []
        for r in range(args.batch_runs):
            out = folder / f"out-{len(result)}-{r}"
            if mode.startswith("Python API"):
                argvs = [[sys.executable, "-c", API_BATCH, str(out), *map(str, files)]]
            elif many:
                argvs = [[*CLI, "build", *map(str, files), "-o", str(out), "--format", "docx,pdf", "--jobs", "1"]]
            else:
                argvs = [[*CLI, "build", str(f), "-o", str(out), "--format", "docx,pdf"] for f in files]
            wall = cpu = 0.0
            for argv in argvs:
                w, c = run_timed(argv, work)
                wall, cpu = wall + w, cpu + c
            pdfs = [p for p in out.rglob("*.pdf") if "历史版本" not in p.parts]
            if len(pdfs) != len(files):
                sys.exit(f"batch {mode}: {len(pdfs)} PDFs for {len(files)} units")
            walls.append(wall / len(files))
            cpus.append(cpu / len(files))
        result[mode] = {"units": len(files), "per_unit_wall": stats(walls), "per_unit_cpu": stats(cpus)}
        print(f"batch {mode}: {walls[-1]:.2f}s per unit", flush=True)
    return result


def print_report(results: dict, cases: list[Case]) -> None:
    info = results["info"]
    alone = cases[4]
    print(f"\n{'':<44}{'wall min':>9}{'median':>9}{'CPU min':>9}{'median':>9}{'wall/WP':>9}{'CPU/WP':>8}")
    rows = []
    for c in cases:
        w, p = stats(c.wall), stats(c.cpu)
        ratios = (w["median"] / statistics.median(alone.wall), p["median"] / statistics.median(alone.cpu))
        rows.append((c.name, w, p, ratios))
    for mode, b in results["batch"].items():  # per unit, against the yardstick's median (goal ≤ 0.90×)
        w, p = b["per_unit_wall"], b["per_unit_cpu"]
        ratios = (w["median"] / statistics.median(alone.wall), p["median"] / statistics.median(alone.cpu))
        rows.append((f"batch {b['units']}, per unit: {mode}", w, p, ratios))
    for name, w, p, ratios in rows:
        line = f"{name:<44}{w['min']:>8.2f}s{w['median']:>8.2f}s{p['min']:>8.2f}s{p['median']:>8.2f}s"
        if ratios:
            line += f"{ratios[0]:>8.2f}×{ratios[1]:>7.2f}×"
        print(line)
    r = results["full_over_weasyprint"]
    print(
        f"\nfull build / WeasyPrint alone, pre-cut subsets (goal ≤ 1.20×): min/min wall {r['wall_of_mins']:.2f}×,"
        f" CPU {r['cpu_of_mins']:.2f}×; pairs from the same run: wall median {r['wall']['median']:.2f}×"
        f" (best {r['wall']['min']:.2f}×), CPU median {r['cpu']['median']:.2f}× (best {r['cpu']['min']:.2f}×)"
    )
    if "wall_vs_trimmed" in r:
        print(
            f"full build / WeasyPrint alone with fonts trimmed: min/min wall {r['wall_of_mins_vs_trimmed']:.2f}×,"
            f" CPU {r['cpu_of_mins_vs_trimmed']:.2f}×; pairs: wall median {r['wall_vs_trimmed']['median']:.2f}×,"
            f" CPU median {r['cpu_vs_trimmed']['median']:.2f}×"
        )
    one = r["one_process"]
    print(
        f"the same build with --jobs 1 (no PDF process) / WeasyPrint alone: pairs wall median {one['median']:.2f}×"
        f" (best {one['min']:.2f}×), CPU median {one['cpu']['median']:.2f}×"
    )
    pages = results["pages"]
    print(f"PDF pages: build {pages['build']}, WeasyPrint alone {pages['weasyprint_alone']}")
    print(f"load average (1 min): {info['loadavg_before']:.2f} before, {info['loadavg_after']:.2f} after")
    if results["breakdown"]:
        print("\none in-process build, stage by stage (CPU seconds):")
        for name, seconds in results["breakdown"].items():
            print(f"  {name:<46}{seconds:>7.2f}")


if __name__ == "__main__":
    main()
