"""Locate the CJK fonts and cut them down to the characters a document uses.

The bundled Noto Serif CJK SC (宋体/仿宋 look: body and tables) and Noto Sans
CJK SC (黑体 look: headings) come from the mplfonts package, so a fresh
``pip install`` renders Chinese without any system font; system copies are
only a fallback. A full CJK font is 16–24 MB, and WeasyPrint takes 11–15 s to
subset one, so the PDF renderer embeds a subset made here instead, and has
WeasyPrint only trim it (trim_subset) rather than subset it again. Subsets
are cut with HarfBuzz when the optional uharfbuzz package is installed
(milliseconds), else with fontTools (0.6–0.8 s per font).
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import string
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

from fontTools.ttLib import TTFont

from yujuesuan.errors import UsageError

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
    """The code points ``font`` maps to a glyph other than .notdef.

    Read straight from the cmap table's bytes: fontTools' getBestCmap would
    first parse the CFF table for glyph names and build a name for each of
    44,000 code points, a quarter of a second per font in every `check`.
    """
    with font.open() as tt:
        raw = tt.reader["cmap"]
        found = _cmap_codepoints(raw)
        if found is not None:
            return found
        tt.setGlyphOrder([f"g{i}" for i in range(tt["maxp"].numGlyphs)])  # names unused: skip CFF
        return frozenset(c for c, name in tt.getBestCmap().items() if name != "g0")


# cmap subtables in the order fontTools' getBestCmap prefers them: full Unicode first, then BMP.
_CMAP_PREFERENCE = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


def _cmap_codepoints(raw: bytes) -> frozenset[int] | None:
    """Code points of the preferred Unicode subtable of a raw cmap, when it is format 4 or 12 (else None)."""
    count = int.from_bytes(raw[2:4], "big")
    offsets: dict[tuple[int, int], int] = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", raw, 4 + 8 * i)
        offsets.setdefault((platform, encoding), offset)
    offset = next((offsets[key] for key in _CMAP_PREFERENCE if key in offsets), None)
    if offset is None:
        return None
    fmt = int.from_bytes(raw[offset : offset + 2], "big")
    codes: set[int] = set()
    if fmt == 12:
        (groups,) = struct.unpack_from(">I", raw, offset + 12)
        for start, end, glyph in struct.iter_unpack(">III", raw[offset + 16 : offset + 16 + 12 * groups]):
            codes.update(range(start + (glyph == 0), end + 1))
        return frozenset(codes)
    if fmt == 4:
        segments = int.from_bytes(raw[offset + 6 : offset + 8], "big") // 2
        ends = struct.unpack_from(f">{segments}H", raw, offset + 14)
        starts = struct.unpack_from(f">{segments}H", raw, offset + 16 + 2 * segments)
        deltas = struct.unpack_from(f">{segments}h", raw, offset + 16 + 4 * segments)
        range_at = offset + 16 + 6 * segments
        range_offsets = struct.unpack_from(f">{segments}H", raw, range_at)
        for i, (start, end, delta, range_offset) in enumerate(zip(starts, ends, deltas, range_offsets)):
            if start == 0xFFFF:
                continue
            for code in range(start, end + 1):
                if range_offset == 0:
                    glyph = (code + delta) & 0xFFFF
                else:
                    at = range_at + 2 * i + range_offset + 2 * (code - start)
                    glyph = int.from_bytes(raw[at : at + 2], "big")
                    glyph = (glyph + delta) & 0xFFFF if glyph else 0
                if glyph:
                    codes.add(code)
        return frozenset(codes)
    return None


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
        data = _subset(font, wanted, flavor)
        _MADE.add(hashlib.sha256(data).digest())
        _SUBSETS[key] = data
    return _SUBSETS[key]


def is_subset(data: bytes) -> bool:
    """Tell whether ``data`` is a font this process cut with subset_font (already as small as it needs to be)."""
    return hashlib.sha256(data).digest() in _MADE


# Tables a PDF viewer never reads: layout happens before embedding (WeasyPrint drops the same).
_UNEMBEDDED_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")


def trim_subset(data: bytes, keep: Iterable[int]) -> bytes:
    """Return ``data``, a font from subset_font, with the outlines of glyphs not in ``keep`` emptied.

    What WeasyPrint's own subsetting of an embedded font does (glyph ids kept,
    since the PDF's text refers to them; unused outlines emptied; layout tables
    dropped), without fontTools' full Subsetter pass: glyphs that stay keep
    their compiled outlines and hints untouched, so this takes milliseconds
    where re-subsetting takes a second. (CID-keyed CFF, as in Noto CJK, has
    no seac accents to follow.) Fonts of another outline format come back
    unchanged.
    """
    wanted = set(keep) | {0}  # .notdef always stays
    with TTFont(io.BytesIO(data), lazy=True, recalcTimestamp=False, recalcBBoxes=False) as tt:
        order = tt.getGlyphOrder()
        if "CFF " in tt:
            cff = tt["CFF "].cff
            charstrings = cff[cff.fontNames[0]].CharStrings
            for gid, name in enumerate(order):
                if gid not in wanted:
                    charstrings[name].setProgram(["endchar"])  # widths come from hmtx and the PDF
        elif "glyf" in tt:
            from fontTools.ttLib.tables._g_l_y_f import Glyph

            glyf = tt["glyf"]
            names = {order[gid] for gid in wanted if gid < len(order)}
            todo = list(names)
            while todo:  # a composite glyph drawn needs its components
                glyph = glyf[todo.pop()]
                if glyph.isComposite():
                    parts = set(glyph.getComponentNames(glyf)) - names
                    names |= parts
                    todo.extend(parts)
            for name in order:
                if name not in names:
                    glyf[name] = Glyph()
        else:
            return data
        for tag in _UNEMBEDDED_TABLES:
            if tag in tt:
                del tt[tag]
        out = io.BytesIO()
        tt.save(out)
    return out.getvalue()


_SUBSET_CACHE_SIZE = 32
_SUBSETS: dict[tuple[FontFile, str, str | None], bytes] = {}
_MADE: set[bytes] = set()  # SHA-256 of every subset made, for is_subset (32 bytes per subset)


def _subset(font: FontFile, wanted: frozenset[str], flavor: str | None) -> bytes:
    unicodes = sorted(ord(c) for c in wanted if not _is_surrogate(c))
    data = _harfbuzz_subset(font, unicodes)
    if data is None:
        return _fonttools_subset(font, unicodes, flavor)
    if flavor is not None:
        with TTFont(io.BytesIO(data), recalcTimestamp=False, recalcBBoxes=False) as tt:
            tt.flavor = flavor
            out = io.BytesIO()
            tt.save(out)
            data = out.getvalue()
    return data


def _harfbuzz_subset(font: FontFile, unicodes: list[int]) -> bytes | None:
    """Subset with HarfBuzz when the optional uharfbuzz package is installed (else None).

    Same choices as _fonttools_subset, about a hundred times faster: 10–20 ms
    for a Noto CJK font where fontTools takes 0.6–0.8 s. The bytes differ from
    fontTools' (both are deterministic), so a PDF is byte-identical only
    between machines that agree on whether uharfbuzz is installed.
    """
    try:
        import uharfbuzz as hb
    except ImportError:
        return None
    try:
        face = hb.Face(hb.Blob.from_file_path(str(font.path)), font.index)
        subset = hb.SubsetInput()
        subset.unicode_set.update(unicodes)
        features = subset.layout_feature_tag_set
        features.clear()
        features.update(int.from_bytes(tag, "big") for tag in (b"kern", b"palt"))
        names = subset.name_id_set
        names.clear()
        names.update(range(7))
        subset.flags = hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NOTDEF_OUTLINE
        result = hb.subset(face, subset)
        return bytes(result.blob.data) if result is not None else None
    except (AttributeError, TypeError, ValueError):  # a uharfbuzz without this API: use fontTools
        return None


def _fonttools_subset(font: FontFile, unicodes: list[int], flavor: str | None) -> bytes:
    # Imported here: `yujuesuan check` reads fonts (missing_chars) but never subsets them.
    from fontTools import subset as ft_subset

    options = ft_subset.Options()
    # No layout closure: the body never needs vertical forms or ligatures, and
    # computing GSUB closures over a CJK font doubles the time.
    options.layout_features = ["kern", "palt"]
    options.hinting = True  # removing hints costs time (and the glyphs drawn keep them in the PDF, see trim_subset)
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    with font.open() as tt:
        subsetter.subset(tt)
        tt.flavor = flavor  # None keeps the sfnt (OTF/TTF) container
        out = io.BytesIO()
        tt.save(out)
    return out.getvalue()


def _is_surrogate(char: str) -> bool:
    return 0xD800 <= ord(char) <= 0xDFFF
