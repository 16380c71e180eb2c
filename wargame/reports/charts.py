"""Charts of the report, drawn by matplotlib: PNG for every format (one drawing serves the
PDF, the HTML page and Word; WeasyPrint paints a PNG far faster than an SVG of thousands of
paths), SVG on request."""

import functools
import io
from types import ModuleType
from typing import Any

from django.utils.translation import gettext as _


@functools.cache
def _pyplot() -> ModuleType:
    """matplotlib's pyplot, set up on the first drawing: loading it takes half a second of
    CPU, which every web process, worker and command would pay at start for charts that only
    a report draws."""
    import matplotlib

    matplotlib.use("Agg")  # no display; before pyplot is imported
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {"svg.hashsalt": "cumbre", "svg.fonttype": "none", "font.size": 9, "figure.dpi": 100}
    )
    return plt


# Sharp on paper at the 16 cm the report prints them.
PNG_DPI = 160


# A drawing is kept for the exercise's next formats (PDF, the HTML page and Word of one version
# draw the same charts): by everything it shows, so a change or another language draws anew.
DRAWINGS_KEPT = 48

Series = tuple[tuple[str, tuple[Any, ...]], ...]


@functools.lru_cache(maxsize=DRAWINGS_KEPT)
def _drawing(
    kind: str, title: str, xlabel: str, ylabel: str, turns: tuple[int, ...], series: Series
) -> bytes:
    """One line chart, drawn and written as `kind` (png or svg)."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7.2, 3.4 if len(series) > 1 else 3.0))
    cmap = plt.get_cmap("tab20")
    for index, (label, values) in enumerate(series):
        axes.plot(turns, values, marker="o", markersize=3, linewidth=1.4, label=label,
                  color=cmap(index % 20))  # fmt: skip
    axes.set_title(title)
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_ylim(0, 100)
    axes.set_xticks(turns)
    axes.grid(alpha=0.3)
    if len(series) > 1:
        axes.legend(fontsize=6.5, ncol=1 + len(series) // 18, loc="center left",
                    bbox_to_anchor=(1.01, 0.5), frameon=False)  # fmt: skip
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(
        buffer,
        format=kind,
        dpi=PNG_DPI if kind == "png" else None,
        metadata={"Date": None} if kind == "svg" else {"Software": None},
    )
    plt.close(figure)
    return buffer.getvalue()


def _chart(
    kind: str, title: str, turns: list[int], series: dict[str, list[Any]], ylabel: str
) -> bytes:
    lines = tuple((label, tuple(values)) for label, values in sorted(series.items()))
    return _drawing(kind, title, _("Turn"), ylabel, tuple(turns), lines)


def _series(data: dict[str, Any], indicator: str) -> tuple[list[int], dict[str, list[Any]]]:
    turns = [t for t in data["turns"] if t["indicators"]]
    numbers = [0] + [t["number"] for t in turns]
    series = {}
    for team in data["teams"]:
        start = team["start"].get(indicator)
        series[team["code"]] = [start] + [
            t["indicators"].get(team["code"], {}).get(indicator) for t in turns
        ]
    return numbers, series


def report_charts(data: dict[str, Any], *, kind: str = "svg") -> dict[str, Any]:
    """The report's charts: each team's stability and capacity per turn, and the regional
    stability index; SVG text (kind "svg") or PNG bytes (kind "png")."""
    drawings = {}
    numbers, stability = _series(data, "stability")
    drawings["stability"] = _chart(kind, _("Stability by turn"), numbers, stability, _("Stability"))
    numbers, capacity = _series(data, "capacity")
    drawings["capacity"] = _chart(kind, _("Capacity by turn"), numbers, capacity, _("Capacity"))
    turns = [t for t in data["turns"] if t["regional_stability"] is not None]
    drawings["regional"] = _chart(
        kind,
        _("Regional stability index"),
        [t["number"] for t in turns],
        {_("Region"): [t["regional_stability"] for t in turns]},
        _("Index"),
    )
    if kind == "svg":
        return {name: drawing.decode("utf-8") for name, drawing in drawings.items()}
    return drawings


TRUST_COLOURS = ("#e8a09a", "#f4c7b8", "#f7ebc4", "#cde8d2", "#9fd3a8")


def trust_chart(matrix: Any) -> bytes:
    """A trust matrix (`model.TrustMatrix`) as a PNG heat map with its numbers, in the bands
    and colours of the report's tables. Drawn with Pillow: matplotlib takes seconds to place
    the 1,200 numbers of a 35-nation matrix."""
    from matplotlib import font_manager
    from PIL import Image, ImageDraw, ImageFont

    codes = matrix.codes
    cell, margin = 44, 60  # pixels, at PNG_DPI
    size = len(codes)
    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), 17)
    image = Image.new("RGB", (margin + cell * size + 2, margin + cell * size + 2), "white")
    draw = ImageDraw.Draw(image)
    for index, code in enumerate(codes):
        centre = margin + cell * index + cell // 2
        draw.text((centre, margin // 2), code, fill="#1b2430", font=font, anchor="mm")
        draw.text((margin // 2, centre), code, fill="#1b2430", font=font, anchor="mm")
    for row, (_code, cells) in enumerate(matrix.rows):
        for column, value in enumerate(cells):
            x, y = margin + cell * column, margin + cell * row
            band = int(value.value) // 20 if value.value.isdigit() else None
            fill = TRUST_COLOURS[min(4, band)] if band is not None else "#d9d9d9"
            draw.rectangle((x, y, x + cell, y + cell), fill=fill, outline="#ffffff", width=1)
            if value.value.isdigit():
                draw.text((x + cell // 2, y + cell // 2), value.value, fill="#1b2430",
                          font=font, anchor="mm")  # fmt: skip
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, dpi=(PNG_DPI, PNG_DPI))
    return buffer.getvalue()
