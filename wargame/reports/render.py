"""The after-action report as HTML and as PDF (WeasyPrint), drawn from `report_data`."""

import base64
from typing import Any

from django.template.loader import render_to_string

from wargame.reports.charts import report_charts
from wargame.reports.sections import DRAFT_NOTE, HANDLING, PAPERS, RATING_NAMES, SECTIONS
from wargame.reports.summary import summary_paragraphs


def _matrix(codes: list[str], values: dict[str, int]) -> list[tuple[str, list[int | None]]]:
    def value(a: str, b: str) -> int | None:
        if a == b:
            return None
        return values.get(f"{min(a, b)}-{max(a, b)}")

    return [(a, [value(a, b) for b in codes]) for a in codes]


def report_context(data: dict[str, Any], *, charts: dict[str, str] | None = None) -> dict:
    codes = [t["code"] for t in data["teams"]]
    paragraphs, edited = summary_paragraphs(data)
    rounds = {p["id"]: p for p in data["proposals"]}
    last = data["turns"][-1]["trust"] if data["turns"] else data["scenario"]["trust"]
    analysis = []
    for rating in data["ratings"]:
        observations = [o for o in data["observations"] if o["objective"] == rating["objective"]]
        analysis.append(
            {
                **rating,
                "final": rating["rating"] or rating["proposed"],
                "confirmed": bool(rating["rating"]),
                "name": RATING_NAMES[rating["rating"] or rating["proposed"]],
                "strengths": [o for o in observations if o["kind"] == "strength"],
                "improvements": [o for o in observations if o["kind"] == "improvement"],
            }
        )
    plan = data["improvement_plan"] or [
        {
            "objective": o["objective"],
            "issue": o["text"],
            "corrective_action": "",
            "element": "",
            "organisation": "",
            "point_of_contact": "",
            "start": None,
            "completion": None,
        }
        for o in data["observations"]
        if o["kind"] == "improvement"
    ]
    return {
        "data": data,
        "sections": [(key, str(title)) for key, title in SECTIONS],
        "handling": str(HANDLING),
        "summary": paragraphs,
        "summary_edited": edited,
        "draft_note": str(DRAFT_NOTE),
        "analysis": analysis,
        "agreements": [
            {**a, "rounds": rounds[a["proposal"]]["rounds"] if a["proposal"] in rounds else []}
            for a in data["agreements"]
        ],
        "codes": codes,
        "trust_start": _matrix(codes, data["scenario"]["trust"]),
        "trust_end": _matrix(codes, last),
        "plan": plan,
        "charts": {
            name: "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
            for name, svg in (charts or report_charts(data, kind="svg")).items()
        },
    }


def report_html(
    data: dict[str, Any], *, paper: str = "A4", charts: dict[str, str] | None = None
) -> str:
    context = report_context(data, charts=charts) | {"paper": paper if paper in PAPERS else "A4"}
    return render_to_string("reports/report.html", context)


def report_pdf(data: dict[str, Any], *, paper: str = "A4") -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is wanted

    return HTML(string=report_html(data, paper=paper)).write_pdf()
