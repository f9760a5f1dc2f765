"""The engagement chart: activity per month and kind as a small PNG (matplotlib, Agg)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from domain.engagement import ActivityKind, EngagementTable

# Colour-blind-safe (Okabe-Ito), one per kind, stable whichever kinds exist.
COLOURS = {
    ActivityKind.RSVP_ANSWERED: "#0072B2",
    ActivityKind.MEETING_ATTENDED: "#009E73",
    ActivityKind.CASE_SUBMITTED: "#D55E00",
    ActivityKind.MATERIAL_SHARED: "#E69F00",
    ActivityKind.QUESTION_ASKED: "#CC79A7",
    ActivityKind.QUESTION_ANSWERED: "#56B4E9",
    ActivityKind.PAIR_CALL_HELD: "#000000",
}
WIDTH, HEIGHT, DPI = 8.0, 3.2, 80  # 640 x 256 pixels: small enough to travel inside a card
MAX_TICKS = 12
PALETTE_COLOURS = 64


def activity_chart(
    table: EngagementTable,
    labels: dict[ActivityKind, str],
    month_labels: Sequence[str],
    title: str,
) -> bytes:
    """Stacked bars of what municipalities did per month, as a palette PNG of a few KB.

    matplotlib is imported here, not at module level: importing netpuls must stay cheap, and
    the Figure/Agg canvas pair keeps clear of pyplot's global state (safe in a worker thread).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(table.months)))
    bottom = [0] * len(positions)
    for kind in table.kinds:
        values = [table.per_month[month][kind] for month in table.months]
        axes.bar(
            positions, values, bottom=bottom, color=COLOURS[kind], label=labels[kind], width=0.8
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    step = max(1, -(-len(positions) // MAX_TICKS))
    axes.set_xticks(positions[::step], list(month_labels)[::step], fontsize=7)
    axes.tick_params(axis="y", labelsize=7)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(title, fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    if table.kinds:
        axes.legend(fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    figure.tight_layout()
    raw = io.BytesIO()
    figure.savefig(raw, format="png")
    return _palette(raw.getvalue())


def _palette(png: bytes) -> bytes:
    """The same picture with an adaptive palette: a few kinds of flat colour need no more."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        small = image.convert("RGB").quantize(colors=PALETTE_COLOURS)
        out = io.BytesIO()
        small.save(out, format="PNG", optimize=True)
    return out.getvalue()
