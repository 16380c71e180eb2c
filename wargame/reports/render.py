"""The after-action report as HTML and as PDF (WeasyPrint), drawn from `report_data`."""

import base64
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from wargame.reports.charts import report_charts
from wargame.reports.sections import HANDLING, RATING_NAMES, SECTIONS

PAPERS = ("A4", "Letter")


def executive_summary(data: dict[str, Any]) -> str:
    """A generated first draft of the executive summary, for the facilitator to edit."""
    injects = [i for i in data["injects"] if i["delivered_turn"] is not None]
    answered = [i for i in injects if i["answered_turn"] is not None]
    agreements = data["agreements"]
    broken = [a for a in agreements if a["status"] == "broken"]
    ratings = sorted(data["ratings"], key=lambda r: "PSMU".index(r["rating"] or r["proposed"]))
    parts = [
        _(
            "%(teams)s delegations played %(turns)s of %(total)s turns of %(scenario)s. "
            "They answered %(answered)s of the %(injects)s injects delivered and concluded "
            "%(agreements)s agreements, %(broken)s of which were broken."
        )
        % {
            "teams": len(data["teams"]),
            "turns": data["exercise"]["turns_played"],
            "total": data["scenario"]["turns"],
            "scenario": data["scenario"]["title"],
            "answered": len(answered),
            "injects": len(injects),
            "agreements": len(agreements),
            "broken": len(broken),
        }
    ]
    if data["exercise"]["regional_stability"] is not None:
        parts.append(
            _("The regional stability index ended at %(value)s.")
            % {"value": data["exercise"]["regional_stability"]}
        )
    if ratings:
        best, worst = ratings[0], ratings[-1]
        parts.append(
            _(
                "The strongest objective was %(best)s (%(best_rating)s); the weakest, %(worst)s "
                "(%(worst_rating)s)."
            )
            % {
                "best": best["objective"],
                "best_rating": RATING_NAMES[best["rating"] or best["proposed"]],
                "worst": worst["objective"],
                "worst_rating": RATING_NAMES[worst["rating"] or worst["proposed"]],
            }
        )
    return " ".join(str(part) for part in parts)


def _matrix(codes: list[str], values: dict[str, int]) -> list[tuple[str, list[int | None]]]:
    def value(a: str, b: str) -> int | None:
        if a == b:
            return None
        return values.get(f"{min(a, b)}-{max(a, b)}")

    return [(a, [value(a, b) for b in codes]) for a in codes]


def report_context(data: dict[str, Any], *, charts: dict[str, str] | None = None) -> dict:
    codes = [t["code"] for t in data["teams"]]
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
        "summary": executive_summary(data),
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


def report_html(data: dict[str, Any], *, paper: str = "A4") -> str:
    context = report_context(data) | {"paper": paper if paper in PAPERS else "A4"}
    return render_to_string("reports/report.html", context)


def report_pdf(data: dict[str, Any], *, paper: str = "A4") -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is wanted

    return HTML(string=report_html(data, paper=paper)).write_pdf()
