"""The report's charts: drawn once for every format of one version, anew for any change."""

from typing import Any

from django.utils import translation

from wargame.reports.charts import report_charts


def record(haiti_turn_2: int = 31) -> dict[str, Any]:
    """The parts of an exercise record (`builder.report_data`) the charts read."""
    return {
        "teams": [
            {"code": "HTI", "start": {"stability": 32, "capacity": 20}},
            {"code": "DOM", "start": {"stability": 68, "capacity": 55}},
        ],
        "turns": [
            {
                "number": 1,
                "regional_stability": 50,
                "indicators": {
                    "HTI": {"stability": 25, "capacity": 18},
                    "DOM": {"stability": 66, "capacity": 54},
                },
            },
            {
                "number": 2,
                "regional_stability": 52,
                "indicators": {
                    "HTI": {"stability": haiti_turn_2, "capacity": 21},
                    "DOM": {"stability": 64, "capacity": 52},
                },
            },
        ],
    }


def test_every_format_of_a_version_shares_one_drawing_and_a_change_draws_anew() -> None:
    first = report_charts(record(), kind="png")
    assert set(first) == {"stability", "capacity", "regional"}
    assert all(png.startswith(b"\x89PNG") for png in first.values())
    # The next format of the same version takes the same drawings.
    again = report_charts(record(), kind="png")
    assert all(again[name] is first[name] for name in first)
    # A changed figure is drawn anew; the charts it does not change are not.
    changed = report_charts(record(haiti_turn_2=40), kind="png")
    assert changed["stability"] != first["stability"]
    assert changed["capacity"] is first["capacity"]
    # So is a chart in another language: its titles and labels are the reader's.
    with translation.override("es"):
        spanish = report_charts(record(), kind="svg")
    english = report_charts(record(), kind="svg")
    assert "Estabilidad" in spanish["stability"] and "Estabilidad" not in english["stability"]
