"""The whole pipeline as a user runs it: build the sample and compare with the reference."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from figurecheck import compare, read_text, reference

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "qingshan-2023.yaml"
REFERENCE = reference("qingshan-2023-juesuan.txt")
STEM = "武汉市青山区融媒体中心2023年度部门决算"


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yujuesuan", *args], capture_output=True, text=True, cwd=cwd, env=env
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    proc = run_cli("build", str(SAMPLE), "-o", str(out), "--format", "docx,pdf,html")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    folder = out / "武汉市青山区融媒体中心-2023"
    assert sorted(p.name for p in folder.iterdir()) == [f"{STEM}.docx", f"{STEM}.html", f"{STEM}.pdf"]
    return folder


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("word/document.xml").decode("utf-8")


@pytest.mark.parametrize("ext", ["docx", "html", "pdf"])
def test_every_reference_figure_is_reproduced(built: Path, ext: str) -> None:
    """Parts 2, 3, 4 and 6 of the published document: all 345 figures, in the right part."""
    result = compare(read_text(built / f"{STEM}.{ext}"), REFERENCE)
    assert (result.reproduced, result.reference) == (345, 345), result.summary()


def test_docx_states_the_narrative_figures(built: Path) -> None:
    xml = docx_text(built / f"{STEM}.docx")
    for sentence in (
        "2023 年度收、支总计 537.12 万元。与 2022 年度的 495.31 万元相比，收、支总计各增加 41.81 万元，增长 8.44%",
        "其中：基本支出 409.63 万元，占本年支出 76.3%；项目支出 127.49 万元，占本年支出 23.7%。",
        "1.一般公共服务支出 437.68 万元，占 81.49%。主要是用于事业运行。",
        "年初预算为 523.03 万元，支出决算为 537.12 万元，完成年初预算的 102.69%。",
        "卫生健康支出（类）行政事业单位医疗（款）事业单位医疗（项）。年初无预算，支出决算为 0.12 万元",
        "2023 年度本部门无政府性基金预算财政拨款收入支出。",
        "本部门当年无国有资本经营预算财政拨款支出",
        "支出决算为 5.09 万元，完成预算的 84.83%",
        "比预算减少 0.91 万元，主要原因是本单位节省了费用",
        "共涉及项目 4个，资金 127.49 万元，占一般公共预算项目支出总额的 100.0%",
        "完成预算的 99.96%，自评得分 97 分",
    ):
        assert sentence in xml, sentence


def test_pdf_embeds_a_cjk_font_and_has_landscape_pages(built: Path) -> None:
    reader = PdfReader(built / f"{STEM}.pdf")
    assert len(reader.pages) > 20
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            font = font.get_object()
            for desc in font.get("/DescendantFonts", []):
                fd = desc.get_object().get("/FontDescriptor", {})
                if any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    fonts.add(str(fd.get("/FontName")))
    # fonts.py embeds subsets of the bundled Noto CJK fonts under these family names.
    assert {"YJ-Serif", "YJ-Sans"} <= {name.split("+")[-1] for name in fonts}, fonts
    widths = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    assert any(w > h for w, h in widths) and any(w < h for w, h in widths)
    cover, contents = (reader.pages[i].extract_text() for i in (0, 1))
    assert "2023 年度部门决算" in cover and "目" in contents and "部门主要职能" in contents
    page_one = next(t for t in (p.extract_text() for p in reader.pages) if t.rstrip().endswith("— 1 —"))
    assert "部门主要职能" in page_one  # numbering starts after the cover and the 目录


def test_building_twice_gives_identical_bytes(built: Path, tmp_path: Path) -> None:
    """What one machine can check of "same input, same locked versions, same bytes".

    The second build runs from another folder with an empty matplotlib config and font
    cache, another HOME and XDG cache, as a fresh machine would: nothing cached may leak
    into the output (charts load the bundled font by path; PDF fonts are subset here).
    """
    fresh = tmp_path / "fresh"
    env = {
        **os.environ,
        "MPLCONFIGDIR": str(fresh / "mpl"),
        "XDG_CACHE_HOME": str(fresh / "cache"),
        "HOME": str(fresh / "home"),
        "TZ": "Pacific/Chatham",
        "SOURCE_DATE_EPOCH": "1",
    }
    proc = run_cli("build", str(SAMPLE), "-o", str(tmp_path), "--format", "docx,pdf", cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert (fresh / "mpl").is_dir()  # matplotlib really started from an empty config
    again = tmp_path / "武汉市青山区融媒体中心-2023"
    for ext in ("docx", "pdf"):
        assert (again / f"{STEM}.{ext}").read_bytes() == (built / f"{STEM}.{ext}").read_bytes(), ext


def test_rebuild_keeps_the_previous_version(tmp_path: Path) -> None:
    for _ in range(2):
        assert run_cli("build", str(SAMPLE), "-o", str(tmp_path), "--format", "docx").returncode == 0
    folder = tmp_path / "武汉市青山区融媒体中心-2023"
    (kept,) = (folder / "历史版本" / STEM).iterdir()  # the first build's set, whole
    assert [p.name for p in kept.iterdir()] == [f"{STEM}.docx"]
    assert (kept / f"{STEM}.docx").read_bytes() == (folder / f"{STEM}.docx").read_bytes()  # same input, same bytes


def test_errors_stop_the_build_unless_draft(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SAMPLE.read_text(encoding="utf-8").replace('"30101": 79.38', '"30101": 80.38'), encoding="utf-8")
    proc = run_cli("build", str(bad), "-o", str(tmp_path / "o"), "--format", "docx")
    assert proc.returncode == 1
    assert "[06-05-基本支出]" in proc.stdout
    assert not (tmp_path / "o").exists()
    proc = run_cli("build", str(bad), "-o", str(tmp_path / "o"), "--format", "docx", "--draft")
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(tmp_path / "o" / "武汉市青山区融媒体中心-2023" / f"{STEM}.docx") as zf:
        headers = "".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("word/header"))
    assert "草稿" in headers


def test_unknown_format_is_a_usage_error() -> None:
    proc = run_cli("build", str(SAMPLE), "--format", "odt")
    assert proc.returncode == 2
    assert "不支持的格式" in proc.stderr
