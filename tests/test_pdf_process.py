"""A single build lays out its PDF in a second process (render/pdf_process.py): the same bytes, the same errors."""

from __future__ import annotations

import hashlib
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

import yujuesuan
from yujuesuan.errors import UsageError
from yujuesuan.render.pdf_process import PdfProcess, in_this_process

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "qingshan-2023.yaml"


@pytest.fixture(scope="module")
def checked() -> yujuesuan.Checked:
    return yujuesuan.check(SAMPLE.read_bytes(), name="qingshan.yaml")


def test_the_helper_gives_the_bytes_of_one_process(checked: yujuesuan.Checked) -> None:
    here = yujuesuan.render(checked, ("docx", "pdf", "html"))
    with PdfProcess() as helper:
        there = yujuesuan.render(checked, ("docx", "pdf", "html"), pdf=helper)
        assert helper._proc is None  # the one PDF made, the helper is joined
    assert there.keys() == here.keys() == {"docx", "pdf", "html"}
    assert there["pdf"] == here["pdf"] and there["docx"] == here["docx"] and there["html"] == here["html"]
    assert here["pdf"].startswith(b"%PDF-") and len(here["pdf"]) > 100_000
    assert [p for p in multiprocessing.active_children() if p.name == "yujuesuan-pdf"] == []


def test_a_helper_that_died_costs_only_time(checked: yujuesuan.Checked) -> None:
    helper = PdfProcess()
    assert helper._proc is not None
    helper._proc.kill()
    helper._proc.join(timeout=10)
    there = yujuesuan.render(checked, ("pdf",), pdf=helper)
    assert there["pdf"] == yujuesuan.render(checked, ("pdf",))["pdf"]


def test_an_error_in_the_helper_is_raised_here_with_its_message(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n")
    html = f'<html><body><p>x</p><img src="{secret.as_uri()}"></body></html>'
    allowed = tmp_path / "templates"
    allowed.mkdir()
    with pytest.raises(UsageError) as here:
        in_this_process(html, [allowed])
    with PdfProcess() as helper, pytest.raises(UsageError) as there:
        helper(html, [allowed])()
    assert str(there.value) == str(here.value) and "secret.png" in str(there.value)


def test_closing_an_unused_helper_stops_it_at_once() -> None:
    helper = PdfProcess()
    proc = helper._proc
    assert proc is not None and proc.is_alive()
    helper.close()  # still importing WeasyPrint, or waiting for a PDF: stopped either way
    assert not proc.is_alive() and proc.exitcode is not None
    helper.close()  # twice is harmless


def test_a_helper_stopped_in_its_layout_leaves_no_font_folder(
    checked: yujuesuan.Checked, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    scratch = tmp_path / "tmp"  # the helper's own temporary folder: other processes' folders do not count
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    helper = PdfProcess()
    html = yujuesuan.render(checked, ("html",))["html"].decode("utf-8")
    helper(html, list(checked.profile.folders))
    time.sleep(1.5)  # into the layout on a quiet machine (or still importing on a busy one)
    proc = helper._proc
    helper.close()
    # SIGTERM became SystemExit: the helper unwound (0 inside the layout, 1 elsewhere); killed would be -15.
    assert proc is not None and proc.exitcode in (0, 1)
    assert list(scratch.glob("weasyprint-*")) == []


def sha(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def test_the_cli_builds_the_same_files_with_and_without_the_helper(tmp_path: Path) -> None:
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}"
        cmd = [sys.executable, "-m", "yujuesuan", "build", str(SAMPLE), "-o", str(out), "--jobs", jobs]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        runs[jobs] = sha(out)
    assert runs["1"] == runs["2"] and sorted(Path(n).suffix for n in runs["1"]) == [".docx", ".pdf"]
