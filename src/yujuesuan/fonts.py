"""Locate the CJK fonts and cut them down to the characters a document uses.

The bundled Noto Serif CJK SC (宋体/仿宋 look: body and tables) and Noto Sans
CJK SC (黑体 look: headings) come from the mplfonts package, so a fresh
``pip install`` renders Chinese without any system font; system copies are
only a fallback. A full CJK font is 16–24 MB, and WeasyPrint takes 11–15 s to
subset one, so the PDF renderer embeds a subset made here instead.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import string
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

from fontTools import subset as ft_subset
from fontTools.ttLib import TTFont

from .errors import UsageError

Role = Literal["serif", "sans"]

# Kept in every subset, so that a number, a unit or a punctuation mark that
# only a template or a stylesheet adds (page numbers, "— 3 —") never misses.
BASE_CHARS = (
    string.printable.strip()
    + " \u00a0"
    + "，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』—–…·￥％＋－＝×÷～・"
    + "０１２３４５６７８９．，"  # full-width digits, as pasted from Excel
    + "\u3000"
    + "一二三四五六七八九十百千万亿元年月日第部分表图注草稿页合计"
)

_BUNDLED: dict[Role, str] = {
    "serif": "NotoSerifCJKsc-Regular.otf",
    "sans": "NotoSansCJKsc-Regular.otf",
}

# (file, family wanted inside a collection); first hit wins.
_SYSTEM: dict[Role, tuple[tuple[str, str], ...]] = {
    "serif": (
        ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
        ("/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
        ("/System/Library/Fonts/Supplemental/Songti.ttc", "STSong"),
        ("C:/Windows/Fonts/simsun.ttc", "SimSun"),
    ),
    "sans": (
        ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
        ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
        ("/System/Library/Fonts/STHeiti Medium.ttc", "Heiti SC"),
        ("C:/Windows/Fonts/simhei.ttf", "SimHei"),
    ),
}


@dataclass(frozen=True)
class FontFile:
    """One face in a font file (``index`` selects the face inside a .ttc)."""

    path: Path
    index: int = 0

    def open(self) -> TTFont:
        # recalcTimestamp=False: saving must not stamp head.modified with the time.
        # recalcBBoxes=False: the full font's bounding boxes still hold for a
        # subset, and recomputing them means drawing every glyph (~40% of the time).
        return TTFont(self.path, fontNumber=self.index, lazy=True, recalcTimestamp=False, recalcBBoxes=False)


def bundled_font_dir() -> Path | None:
    """Return mplfonts' font folder without importing mplfonts (it imports matplotlib)."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    return folder if folder.is_dir() else None


@cache
def find_font(role: Role) -> FontFile:
    """Return the font for ``role``: the bundled Noto font, else a system CJK font."""
    folder = bundled_font_dir()
    if folder is not None and (folder / _BUNDLED[role]).is_file():
        return FontFile(folder / _BUNDLED[role])
    for file, family in _SYSTEM[role]:
        path = Path(file)
        if path.is_file():
            return FontFile(path, _face_index(path, family))
    raise UsageError(f"找不到中文字体（{role}）：请安装 mplfonts（pip install mplfonts）或 Noto CJK 字体。")


def _face_index(path: Path, family: str) -> int:
    """Pick the face of a collection whose family name is ``family`` (else the first)."""
    if path.suffix.lower() not in {".ttc", ".otc"}:
        return 0
    from fontTools.ttLib import TTCollection

    with TTCollection(path, lazy=True) as collection:
        for index, face in enumerate(collection.fonts):
            if face["name"].getDebugName(1) == family:
                return index
    return 0


def charset(text: Iterable[str]) -> frozenset[str]:
    """Return the characters of ``text`` plus BASE_CHARS, without line breaks."""
    chars = set(BASE_CHARS)
    for piece in text:
        chars.update(piece)
    return frozenset(c for c in chars if c not in "\r\n\t")


def missing_chars(text: str, role: Role = "serif") -> str:
    """Return the characters of ``text`` the font cannot draw (they would print as boxes)."""
    cmap = _cmap(find_font(role))
    return "".join(sorted({c for c in text if ord(c) not in cmap and not c.isspace()}))


@lru_cache(maxsize=4)
def _cmap(font: FontFile) -> frozenset[int]:
    with font.open() as tt:
        return frozenset(tt.getBestCmap())


def subset_font(font: FontFile, chars: Iterable[str], flavor: str | None = None) -> bytes:
    """Return ``font`` cut down to ``chars`` (plus BASE_CHARS) as OTF/TTF, or WOFF when asked.

    The same font and characters always give the same bytes; results are kept
    in memory, so a batch of units pays for each distinct character set once.
    """
    wanted = charset(chars)
    digest = hashlib.sha256("".join(sorted(wanted)).encode("utf-8", "surrogatepass")).hexdigest()
    key = (font, digest, flavor)
    if key not in _SUBSETS:
        if len(_SUBSETS) >= _SUBSET_CACHE_SIZE:
            _SUBSETS.pop(next(iter(_SUBSETS)))  # drop the oldest
        _SUBSETS[key] = _subset(font, wanted, flavor)
    return _SUBSETS[key]


_SUBSET_CACHE_SIZE = 32
_SUBSETS: dict[tuple[FontFile, str, str | None], bytes] = {}


def _subset(font: FontFile, wanted: frozenset[str], flavor: str | None) -> bytes:
    options = ft_subset.Options()
    # No layout closure: the body never needs vertical forms or ligatures, and
    # computing GSUB closures over a CJK font doubles the time.
    options.layout_features = ["kern", "palt"]
    options.hinting = True  # removing hints costs time; WeasyPrint drops them when it embeds
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in wanted if not _is_surrogate(c)))
    with font.open() as tt:
        subsetter.subset(tt)
        tt.flavor = flavor  # None keeps the sfnt (OTF/TTF) container
        out = io.BytesIO()
        tt.save(out)
    return out.getvalue()


def _is_surrogate(char: str) -> bool:
    return 0xD800 <= ord(char) <= 0xDFFF
