"""Turn chart specs (titles, categories, Decimal amounts) into PNG bytes for 图1–图N.

Charts are drawn with matplotlib's Agg canvas directly (no pyplot state), with
the bundled CJK font loaded by file path, so the output does not depend on the
fonts a machine happens to have. The same input gives the same bytes: fixed
figure size and dpi, and no "Software" stamp in the PNG.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from io import BytesIO

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .fonts import find_font

DPI = 220  # 14 cm wide in the document ≈ 230 dpi: print quality
SIZE_IN = (6.4, 3.8)
PALETTE = ("#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47", "#264478", "#9E480E")
_RC = {
    # A unit name or a label such as "$5" must stay text, never become math.
    "text.parse_math": False,
    "text.usetex": False,
    "axes.unicode_minus": False,  # the CJK font has no U+2212 minus
    "svg.hashsalt": "yujuesuan",
    "font.size": 10,
}


@lru_cache(maxsize=1)
def _font_family() -> str:
    """Register the bundled sans CJK font with matplotlib by path; return its family name."""
    path = str(find_font("sans").path)
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def _new_figure() -> Figure:
    fig = Figure(figsize=SIZE_IN, dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    out = BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


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
    with matplotlib.rc_context({**_RC, "font.family": [_font_family()]}):
        fig = _new_figure()
        ax = fig.add_subplot()
        count = max(len(series), 1)
        width = 0.7 / count
        for i, (name, values) in enumerate(series):
            if len(values) != len(categories):
                raise ValueError(f"{title}: series {name} has {len(values)} values")
            xs = [j + (i - (count - 1) / 2) * width for j in range(len(categories))]
            heights = [float(v) for v in values]  # floats only for drawing
            bars = ax.bar(xs, heights, width * 0.92, label=name, color=PALETTE[i % len(PALETTE)])
            texts = labels[i] if labels is not None else [_plain(v) for v in values]
            ax.bar_label(bars, labels=texts, padding=2, fontsize=9)
        ax.set_xticks(range(len(categories)), categories)
        ax.set_title(title, fontsize=12, pad=10)
        ax.set_ylabel(f"单位：{unit}" if unit else "")
        ax.margins(y=0.15)
        ax.spines[["top", "right"]].set_visible(False)
        ax.axhline(0, color="#666666", linewidth=0.6)
        if len(series) > 1 or (series and series[0][0]):
            ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=count)
        fig.tight_layout()
        return _png(fig)


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
    if any(not v.is_finite() or v < 0 for v in values) or not any(v > 0 for v in values):
        return None
    shown = [i for i, v in enumerate(values) if v > 0]
    total = sum((values[i] for i in shown), Decimal(0))
    texts = [value_labels[i] if value_labels is not None else _share(values[i], total) for i in shown]
    with matplotlib.rc_context({**_RC, "font.family": [_font_family()]}):
        fig = _new_figure()
        ax = fig.add_subplot()
        wedges, _ = ax.pie(
            [float(values[i]) for i in shown],
            colors=[PALETTE[k % len(PALETTE)] for k in range(len(shown))],
            startangle=90,
            counterclock=False,
            wedgeprops={"linewidth": 0.8, "edgecolor": "white"},
        )
        ax.set_aspect("equal")
        ax.set_title(title, fontsize=12)
        ax.legend(
            wedges,
            [f"{labels[i]}  {t}" for i, t in zip(shown, texts)],
            frameon=False,
            loc="center left",
            bbox_to_anchor=(1.0, 0.5),
            fontsize=10,
        )
        fig.tight_layout()
        return _png(fig)


def _share(value: Decimal, total: Decimal) -> str:
    return f"{(value / total * 100).quantize(Decimal('0.01'))}%"


def _plain(value: Decimal) -> str:
    return format(value, "f")
