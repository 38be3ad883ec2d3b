"""What one process leaves behind and loads: no WeasyPrint temp folder, matplotlib only for charts, its config kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import yujuesuan
from yujuesuan.errors import UsageError
from yujuesuan.resources import matplotlib_config

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "qingshan-2023.yaml"


def run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)


def test_a_pdf_build_leaves_no_weasyprint_folder(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    args = [sys.executable, "-m", "yujuesuan", "build", str(SAMPLE), "-o", str(tmp_path / "out"), "--format", "pdf"]
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "out").rglob("*.pdf"))) == 1
    assert list(scratch.iterdir()) == []  # WeasyPrint's weasyprint-* font folder is gone with the process


def test_check_does_not_import_matplotlib_or_renderers() -> None:
    code = (
        "import sys\n"
        "from yujuesuan.cli import main\n"
        f"try:\n    main([\"check\", {str(SAMPLE)!r}])\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
        "loaded = sorted(m for m in ('matplotlib', 'docx', 'weasyprint', 'openpyxl', 'rich') if m in sys.modules)\n"
        "print('LOADED', loaded)\n"
    )
    done = run(code, dict(os.environ))
    assert "LOADED []" in done.stdout, done.stdout + done.stderr


def test_a_checked_without_charts_is_not_rendered() -> None:
    checked = yujuesuan.check(SAMPLE.read_bytes(), name="q.yaml", charts=False)
    assert checked.publishable and not checked.charts
    with pytest.raises(UsageError, match="charts=False"):
        yujuesuan.render(checked, ("docx",))


def test_matplotlib_gets_a_private_folder_when_its_own_cannot_be_made(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"  # <it>/matplotlib cannot be made, as in a read-only home (even for root)
    blocked.write_text("x", encoding="utf-8")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "MPLCONFIGDIR"}
    env.update(XDG_CONFIG_HOME=str(blocked), XDG_CACHE_HOME=str(blocked), TMPDIR=str(scratch))
    done = run("from yujuesuan.render import charts; import os; print('DIR', os.environ['MPLCONFIGDIR'])", env)
    folder = scratch / f"yujuesuan-matplotlib-{os.getuid()}"
    assert f"DIR {folder}" in done.stdout, done.stdout + done.stderr
    assert "is not a writable directory" not in done.stderr  # matplotlib's warning when it falls back itself
    assert (folder.stat().st_mode & 0o777) == 0o700


def test_matplotlib_folder_never_follows_a_symlink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A planted symlink (say, into an output folder) is not used: matplotlib falls back on its own."""
    target = tmp_path / "output"
    target.mkdir()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    (scratch / f"yujuesuan-matplotlib-{os.getuid()}").symlink_to(target, target_is_directory=True)
    monkeypatch.delenv("MPLCONFIGDIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "file-not-folder"))
    (tmp_path / "file-not-folder").write_text("x", encoding="utf-8")  # its matplotlib/ cannot be made
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    matplotlib_config()
    assert "MPLCONFIGDIR" not in os.environ
    # With a real private folder instead, it is used.
    (scratch / f"yujuesuan-matplotlib-{os.getuid()}").unlink()
    matplotlib_config()
    assert os.environ["MPLCONFIGDIR"] == str(scratch / f"yujuesuan-matplotlib-{os.getuid()}")
    assert list(target.iterdir()) == []
