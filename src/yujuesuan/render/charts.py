"""Turn chart specs (titles, categories, Decimal amounts) into PNG bytes for 图1–图N.

Charts are drawn with matplotlib's Agg canvas directly (no pyplot state). Every
text element gets a FontProperties made from the bundled CJK font's *file*, so
no family name is ever looked up in matplotlib's font list: a system copy of
the same family (fonts-noto-cjk, LibreOffice's fonts) or a stale font cache
cannot change the picture. The same input and the same locked dependency
versions give the same bytes: fixed figure size and dpi, no "Software" stamp.

The chart's title is not drawn: the document prints it as the caption
(图N：…) right below, and a second copy inside the image read as a defect.
The PNG carries a "Description" text chunk saying what the chart shows
(kind, title, categories, series, labels); the golden tests compare that
text, since PNG bytes legitimately differ between zlib builds.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from typing import TYPE_CHECKING

from yujuesuan.resources import matplotlib_config

matplotlib_config()  # before matplotlib reads its folders: no font list rebuilt per run when ~ is read-only

import matplotlib  # noqa: E402

matplotlib.use("Agg")

from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402

from yujuesuan.render.chart_process import pie_drawable  # noqa: E402
from yujuesuan.render.fonts import find_font  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType  # the rcParams names (matplotlib's stubs)

DPI = 220  # 14 cm wide in the document ≈ 230 dpi: print quality
SIZE_IN = (6.4, 3.8)
# The image is shown 14 cm wide (0.86 of 6.4 in), so 15 pt here prints at ~13 pt,
# close to the body text (14-16 pt) instead of half its size.
TEXT_PT = 15
LABEL_PT = 14
LEGEND_ROW_IN = 0.34  # a pie legend row at LABEL_PT; the figure grows to fit the rows
# Office's twelve series colours: a pie of up to twelve 类 never repeats a colour.
PALETTE = (
    "#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47",
    "#264478", "#9E480E", "#636363", "#997300", "#255E91", "#43682B",
)  # fmt: skip
_RC: dict[RcKeyType, object] = {
    # A unit name or a label such as "$5" must stay text, never become math.
    "text.parse_math": False,
    "text.usetex": False,
    "axes.unicode_minus": False,  # the CJK font has no U+2212 minus
    "svg.hashsalt": "yujuesuan",
    "font.size": TEXT_PT,
}


@lru_cache(maxsize=1)
def _font_path() -> str:
    return str(find_font("sans").path)


def _font(size: float) -> FontProperties:
    """The bundled sans CJK font, by file path (never by family name)."""
    return FontProperties(fname=_font_path(), size=size)


def _new_figure(height_in: float = SIZE_IN[1]) -> Figure:
    fig = Figure(figsize=(SIZE_IN[0], height_in), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _fonts_on_axes(ax: Axes) -> None:
    """Put the bundled font on the tick labels, which matplotlib creates with the rc family."""
    for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        label.set_fontproperties(_font(TEXT_PT))


def describe(kind: str, title: str, parts: list[str]) -> str:
    """One line saying what a chart shows: the PNG's Description chunk and the golden text."""
    return f"{kind}｜{title}｜" + "｜".join(parts)


def _png(fig: Figure, description: str) -> bytes:
    out = BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None, "Description": description})
    return out.getvalue()


def png_description(png: bytes) -> str | None:
    """The Description text chunk written by _png, or None (not one of our charts)."""
    from PIL import Image  # Pillow comes with matplotlib

    try:
        with Image.open(BytesIO(png)) as image:
            text = image.text.get("Description") if hasattr(image, "text") else None
    except OSError:
        return None
    return text if isinstance(text, str) else None


def bar_chart(
    title: str,
    categories: list[str],
    series: list[tuple[str, list[Decimal]]],
    labels: list[list[str]] | None = None,
    unit: str = "万元",
) -> bytes:
    """Draw grouped bars, one group per category and one bar per series; return PNG bytes.

    ``labels[i][j]`` is printed over bar j of series i (preformatted by the
    caller, so the chart shows exactly the figures of the text); without
    ``labels`` the amounts are printed as given.
    """
    if labels is not None and [len(x) for x in labels] != [len(v) for _, v in series]:
        raise ValueError(f"{title}: labels do not match the series")
    with matplotlib.rc_context(_RC):
        fig = _new_figure()
        ax = fig.add_subplot()
        count = max(len(series), 1)
        width = 0.7 / count
        shown: list[str] = []
        for i, (name, values) in enumerate(series):
            if len(values) != len(categories):
                raise ValueError(f"{title}: series {name} has {len(values)} values")
            xs = [j + (i - (count - 1) / 2) * width for j in range(len(categories))]
            heights = [float(v) for v in values]  # floats only for drawing
            bars = ax.bar(xs, heights, width * 0.92, label=name, color=PALETTE[i % len(PALETTE)])
            texts = labels[i] if labels is not None else [_plain(v) for v in values]
            ax.bar_label(bars, labels=texts, padding=2, fontproperties=_font(LABEL_PT))
            shown.append(f"{name}=" + "、".join(texts))
        ax.set_xticks(range(len(categories)), categories)
        ax.set_ylabel(f"单位：{unit}" if unit else "", fontproperties=_font(TEXT_PT))
        ax.margins(y=0.18)
        ax.spines[["top", "right"]].set_visible(False)
        ax.axhline(0, color="#666666", linewidth=0.6)
        _fonts_on_axes(ax)
        if len(series) > 1 or (series and series[0][0]):
            ax.legend(
                frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=count, prop=_font(LABEL_PT)
            )
        fig.tight_layout()
        return _png(fig, describe("柱状图", title, ["、".join(categories), *shown, f"单位：{unit}"]))


def pie_chart(
    title: str,
    labels: list[str],
    values: list[Decimal],
    value_labels: list[str] | None = None,
) -> bytes | None:
    """Draw a pie of the positive values; return PNG bytes, or None when there is nothing to draw.

    None means: every value is zero, or one is negative or not finite — a pie
    cannot show that, and the caller leaves the figure out with a note.
    Zero slices are dropped; ``value_labels`` (such as "81.49%") go into the legend.
    """
    if len(labels) != len(values) or (value_labels is not None and len(value_labels) != len(values)):
        raise ValueError(f"{title}: labels do not match the values")
    if not pie_drawable(values):
        return None
    shown = [i for i, v in enumerate(values) if v > 0]
    total = sum((values[i] for i in shown), Decimal(0))
    texts = [value_labels[i] if value_labels is not None else _share(values[i], total) for i in shown]
    legend = [f"{labels[i]}  {t}" for i, t in zip(shown, texts)]
    wrapped = [_wrap(labels[i], t) for i, t in zip(shown, texts)]
    rows = sum(text.count("\n") + 1 for text in wrapped)
    with matplotlib.rc_context(_RC):
        fig = _new_figure(max(SIZE_IN[1], LEGEND_ROW_IN * rows + 0.6))
        # The pie keeps the left half; the legend gets the right half inside the image
        # (tight_layout ignores a legend placed outside the axes, which then got cut off).
        ax = fig.add_axes((0.02, 0.04, 0.46, 0.92))
        wedges, _ = ax.pie(
            [float(values[i]) for i in shown],
            colors=[PALETTE[k % len(PALETTE)] for k in range(len(shown))],
            startangle=90,
            counterclock=False,
            wedgeprops={"linewidth": 0.8, "edgecolor": "white"},
        )
        ax.set_aspect("equal")
        ax.legend(
            wedges,
            wrapped,
            frameon=False,
            loc="center left",
            bbox_to_anchor=(1.04, 0.5),
            prop=_font(LABEL_PT),
        )
        return _png(fig, describe("饼图", title, legend))


def _wrap(name: str, share: str, width: int = 10) -> str:
    """A legend entry "name  share" in lines of about ``width`` CJK characters (≈2.3 in at LABEL_PT).

    Only the name is cut; the share stays whole on the last line.
    """
    lines = [name[i : i + width] for i in range(0, len(name), width)] or [""]
    return "\n".join(lines) + f"  {share}"


def _share(value: Decimal, total: Decimal) -> str:
    return f"{(value / total * 100).quantize(Decimal('0.01'))}%"


def _plain(value: Decimal) -> str:
    return format(value, "f")
