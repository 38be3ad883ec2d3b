"""Convert a DOCX to PDF with LibreOffice the way a fresh machine can: with the bundled CJK fonts.

A fresh Debian machine with only libreoffice-writer has no CJK font at all, so LibreOffice
draws every Chinese character with one fallback glyph. A private fontconfig file adds the
folder of the bundled Noto fonts and maps the 公文 font names the DOCX asks for (宋体,
仿宋_GB2312, 黑体 …) to them, as Word on a Chinese system maps them to its own fonts.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from yujuesuan.render.fonts import find_font

SERIF_NAMES = ("宋体", "仿宋", "仿宋_GB2312", "楷体", "楷体_GB2312", "SimSun", "FangSong", "方正小标宋简体")
SANS_NAMES = ("黑体", "SimHei", "微软雅黑", "Microsoft YaHei")


def _aliases(names: tuple[str, ...], family: str) -> str:
    return "".join(f"<alias><family>{n}</family><prefer><family>{family}</family></prefer></alias>" for n in names)


def fontconfig_env(folder: Path) -> dict[str, str]:
    """Environment for a subprocess whose fontconfig also sees the bundled fonts."""
    fonts = {find_font("serif").path.parent, find_font("sans").path.parent}
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        + "".join(f"<dir>{d}</dir>" for d in sorted(fonts))
        + f"<cachedir>{folder / 'fc-cache'}</cachedir>"
        + _aliases(SERIF_NAMES, "Noto Serif CJK SC")
        + _aliases(SANS_NAMES, "Noto Sans CJK SC")
        + "</fontconfig>\n",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def docx_to_pdf(docx: Path, outdir: Path) -> Path:
    """soffice --convert-to pdf, in a private profile folder; returns the PDF's path."""
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{outdir}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env=fontconfig_env(outdir),
    )
    return outdir / (docx.stem + ".pdf")
