"""The library API: yujuesuan.check(bytes) → Checked → yujuesuan.render → bytes, the same as the CLI's files,
from the main thread, a worker thread and a worker process; template limits hold off the main thread."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
import threading
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from pypdf import PdfReader

import yujuesuan
from yujuesuan.errors import UsageError
from yujuesuan.sandbox import limits
from yujuesuan.sandbox.limits import RenderLimit

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "qingshan-2023.yaml"
UNIT = "武汉市青山区融媒体中心"
STEM = f"{UNIT}2023年度部门决算"
SECTION = "sections/01-概况.j2"
SILENT_LOOP = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


def _check_and_render(data: bytes) -> dict[str, bytes]:
    """What a batch worker does: bytes in, bytes out (module level, so a worker process can run it)."""
    return yujuesuan.render(yujuesuan.check(data, name="q.yaml"))


@pytest.fixture(scope="module")
def cli_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("cli")
    proc = subprocess.run(
        [sys.executable, "-m", "yujuesuan", "build", str(SAMPLE), "-o", str(out)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    folder = out / f"{UNIT}-2023"
    return {ext: (folder / f"{STEM}.{ext}").read_bytes() for ext in ("docx", "pdf")}


@pytest.fixture(scope="module")
def checked() -> yujuesuan.Checked:
    return yujuesuan.check(SAMPLE.read_bytes(), name="q.yaml")


def test_render_gives_the_cli_bytes(checked: yujuesuan.Checked, cli_files: dict[str, bytes]) -> None:
    files = yujuesuan.render(checked)
    assert list(files) == ["docx", "pdf"]
    assert files == cli_files
    # Rendering the same Checked again changes nothing: it is a value.
    assert yujuesuan.render(checked, ("docx",)) == {"docx": cli_files["docx"]}


def test_render_in_a_worker_thread_gives_the_cli_bytes(cli_files: dict[str, bytes]) -> None:
    results: list[dict[str, bytes] | BaseException] = []

    def work() -> None:
        try:
            results.append(_check_and_render(SAMPLE.read_bytes()))
        except BaseException as exc:  # reported below, with its type
            results.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert results == [cli_files]


def test_render_in_a_worker_process_gives_the_cli_bytes(cli_files: dict[str, bytes]) -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        assert pool.submit(_check_and_render, SAMPLE.read_bytes()).result() == cli_files


def test_text_and_bytes_give_the_same_findings(checked: yujuesuan.Checked) -> None:
    again = yujuesuan.check(SAMPLE.read_text(encoding="utf-8"), name="q.yaml")
    assert again.findings == checked.findings
    assert checked.publishable and not checked.errors and not checked.placeholders


def test_checked_is_an_immutable_value(checked: yujuesuan.Checked) -> None:
    assert isinstance(checked.findings, tuple) and isinstance(checked.errors, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        checked.findings = ()  # type: ignore[misc]
    assert checked.figures is not None and checked.figures.model.name == UNIT
    assert checked.document is not None and checked.document.title == STEM
    assert checked.document.draft is False
    yujuesuan.render(checked, ("docx",), draft=True)
    assert checked.document.draft is False  # a draft render does not mark the checked document


def test_check_reads_nothing_from_the_name(tmp_path: Path) -> None:
    # A real file under that name, full of carried-over texts: check must not look at it.
    decoy = tmp_path / "q.yaml"
    decoy.write_text(SAMPLE.read_text(encoding="utf-8").replace("主要职能: |", "主要职能: |\n    【待更新】"), "utf-8")
    result = yujuesuan.check(SAMPLE.read_bytes(), name=str(decoy))
    assert [f.format() for f in result.findings] == []
    assert result.placeholders == ()


def test_findings_are_located_by_the_name(checked: yujuesuan.Checked) -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace('"30101": 79.38', '"30101": 80.38')
    bad = yujuesuan.check(text, name="单位.yaml")
    rule = next(f for f in bad.errors if f.rule == "06-05-基本支出")
    assert rule.location.file == "单位.yaml"
    unreadable = yujuesuan.check(b"\xff\xfe: [", name="坏.yaml")
    assert unreadable.figures is None and unreadable.document is None
    assert unreadable.errors[0].location.file == "坏.yaml" and unreadable.errors[0].location.line == 1


def test_render_refuses_errors_unless_draft() -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace('"30101": 79.38', '"30101": 80.38')
    bad = yujuesuan.check(text, name="bad.yaml")
    with pytest.raises(yujuesuan.NotPublishable) as refused:
        yujuesuan.render(bad)
    assert refused.value.exit_code == 1
    assert [f.rule for f in refused.value.findings] == [f.rule for f in bad.errors]
    assert "[06-05-基本支出]" in str(refused.value)
    files = yujuesuan.render(bad, ("docx", "pdf"), draft=True)
    with zipfile.ZipFile(io.BytesIO(files["docx"])) as zf:
        headers = "".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("word/header"))
    assert "草稿" in headers
    pages = PdfReader(io.BytesIO(files["pdf"])).pages
    assert all("草稿" in page.extract_text() for page in pages)


def test_render_of_an_unreadable_file_says_why() -> None:
    broken = yujuesuan.check("单位: [", name="broken.yaml")
    with pytest.raises(yujuesuan.NotPublishable) as refused:
        yujuesuan.render(broken, draft=True)
    assert refused.value.findings and refused.value.findings[0].location.file == "broken.yaml"


def test_unknown_format_and_profile_are_usage_errors(checked: yujuesuan.Checked) -> None:
    with pytest.raises(UsageError, match="不支持的格式：odt"):
        yujuesuan.render(checked, ("odt",))
    with pytest.raises(UsageError, match="没有名为“nowhere”的模板"):
        yujuesuan.check(SAMPLE.read_bytes(), name="q.yaml", profile="nowhere")


def test_xlsx_and_html_come_back_as_bytes(checked: yujuesuan.Checked) -> None:
    files = yujuesuan.render(checked, ("html", "xlsx"))
    assert list(files) == ["html", "xlsx"]
    assert files["html"].startswith(b"<!DOCTYPE html>") and UNIT.encode() in files["html"]
    assert files["xlsx"][:2] == b"PK"


def _district(folder: Path, payload: str) -> Path:
    (folder / "sections").mkdir(parents=True)
    (folder / SECTION).write_text("# 一、部门主要职能\n" + payload + "\n", encoding="utf-8")
    return folder


def _in_thread(func) -> BaseException | None:  # type: ignore[no-untyped-def]
    caught: list[BaseException | None] = []

    def work() -> None:
        try:
            func()
            caught.append(None)
        except BaseException as exc:
            caught.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive()
    return caught[0]


def test_silent_loop_in_a_district_template_stops_in_a_worker_thread(tmp_path: Path, monkeypatch) -> None:
    """No hook runs inside an empty nested loop and no signal reaches a thread: each loop step checks the deadline."""
    monkeypatch.setattr(limits, "MAX_SECONDS", 1.0)
    folder = _district(tmp_path / "d", SILENT_LOOP)
    error = _in_thread(lambda: yujuesuan.check(SAMPLE.read_bytes(), name="q.yaml", templates=folder))
    assert isinstance(error, UsageError) and isinstance(error.__cause__, RenderLimit)
    assert "运行超过 1 秒" in str(error) and "01-概况.j2" in str(error)


def test_memory_budget_holds_in_a_worker_thread(tmp_path: Path, monkeypatch) -> None:
    """RLIMIT_AS binds the whole process, so off the main thread resident memory is sampled instead."""
    monkeypatch.setattr(limits, "MEMORY_BUDGET", 64 << 20)
    # Distinct strings of 1.9 million characters, each kept in a growing list: about 2 MB a step.
    payload = (
        '{% set ns = namespace(keep=[]) %}{% set s = "x" * 1900000 %}'
        "{% for i in range(100000) %}{% set ns.keep = ns.keep + [s ~ i] %}{% endfor %}"
    )
    folder = _district(tmp_path / "d", payload)
    error = _in_thread(lambda: yujuesuan.check(SAMPLE.read_bytes(), name="q.yaml", templates=folder))
    assert isinstance(error, UsageError) and isinstance(error.__cause__, RenderLimit)
    assert "占用内存超过 64 MB" in str(error)


def test_main_thread_limits_still_use_the_alarm(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_SECONDS", 1.0)
    folder = _district(tmp_path / "d", SILENT_LOOP)
    with pytest.raises(UsageError, match="运行超过 1 秒"):
        yujuesuan.check(SAMPLE.read_bytes(), name="q.yaml", templates=folder)


# ---- the CLI's thin wrapper reads the file itself, with the caps ----


def test_cli_reads_only_regular_files_and_at_most_the_cap(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for path in (Path("/dev/zero"), fifo):
        proc = subprocess.run(
            [sys.executable, "-m", "yujuesuan", "check", str(path)], capture_output=True, text=True, timeout=60
        )
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert f"{path}: [file] 错误：这不是普通文件" in proc.stdout and "Traceback" not in proc.stderr


def test_source_over_the_cap_is_a_finding() -> None:
    big = "单位:\n  名称: x\n# " + "x" * (4 * 1024 * 1024) + "\n"
    result = yujuesuan.check(big, name="big.yaml")
    assert [f.rule for f in result.errors] == ["yaml-size"] and result.figures is None


def test_a_composing_bug_is_a_finding_not_a_traceback(monkeypatch) -> None:
    from yujuesuan import api

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("图99")

    monkeypatch.setattr(api, "compose", broken)
    result = yujuesuan.check(SAMPLE.read_bytes(), name="q.yaml")
    (error,) = result.errors
    assert error.rule == "compose" and "KeyError: '图99'" in error.message and error.location.file == "q.yaml"
    assert result.figures is not None and result.document is None  # the data findings stand
    with pytest.raises(yujuesuan.NotPublishable):
        yujuesuan.render(result, draft=True)
