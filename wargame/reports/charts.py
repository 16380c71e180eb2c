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


def _figure(title: str, turns: list[int], series: dict[str, list[Any]], ylabel: str) -> Any:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7.2, 3.4 if len(series) > 1 else 3.0))
    cmap = plt.get_cmap("tab20")
    for index, (label, values) in enumerate(sorted(series.items())):
        axes.plot(turns, values, marker="o", markersize=3, linewidth=1.4, label=label,
                  color=cmap(index % 20))  # fmt: skip
    axes.set_title(title)
    axes.set_xlabel(_("Turn"))
    axes.set_ylabel(ylabel)
    axes.set_ylim(0, 100)
    axes.set_xticks(turns)
    axes.grid(alpha=0.3)
    if len(series) > 1:
        axes.legend(fontsize=6.5, ncol=1 + len(series) // 18, loc="center left",
                    bbox_to_anchor=(1.01, 0.5), frameon=False)  # fmt: skip
    figure.tight_layout()
    return figure


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
    figures = {}
    numbers, stability = _series(data, "stability")
    figures["stability"] = _figure(_("Stability by turn"), numbers, stability, _("Stability"))
    numbers, capacity = _series(data, "capacity")
    figures["capacity"] = _figure(_("Capacity by turn"), numbers, capacity, _("Capacity"))
    turns = [t for t in data["turns"] if t["regional_stability"] is not None]
    figures["regional"] = _figure(
        _("Regional stability index"),
        [t["number"] for t in turns],
        {_("Region"): [t["regional_stability"] for t in turns]},
        _("Index"),
    )
    result = {}
    for name, figure in figures.items():
        buffer = io.BytesIO()
        figure.savefig(
            buffer,
            format=kind,
            dpi=PNG_DPI if kind == "png" else None,
            metadata={"Date": None} if kind == "svg" else {"Software": None},
        )
        _pyplot().close(figure)
        value = buffer.getvalue()
        result[name] = value.decode("utf-8") if kind == "svg" else value
    return result


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
