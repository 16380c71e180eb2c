"""Charts of the report, drawn by matplotlib: PNG for every format (one drawing serves the
PDF, the HTML page and Word; WeasyPrint paints a PNG far faster than an SVG of thousands of
paths), SVG on request."""

import io
from typing import Any

import matplotlib
from django.utils.translation import gettext as _

matplotlib.use("Agg")  # no display; before pyplot is imported
import matplotlib.pyplot as plt

plt.rcParams.update(
    {"svg.hashsalt": "cumbre", "svg.fonttype": "none", "font.size": 9, "figure.dpi": 100}
)


# Sharp on paper at the 16 cm the report prints them.
PNG_DPI = 160


def _figure(title: str, turns: list[int], series: dict[str, list[Any]], ylabel: str) -> plt.Figure:
    figure, axes = plt.subplots(figsize=(7.2, 3.2))
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
        axes.legend(fontsize=7, ncol=min(6, len(series)), loc="upper center",
                    bbox_to_anchor=(0.5, -0.22), frameon=False)  # fmt: skip
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
        plt.close(figure)
        value = buffer.getvalue()
        result[name] = value.decode("utf-8") if kind == "svg" else value
    return result
