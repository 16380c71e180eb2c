"""The after-action report as HTML and as PDF (WeasyPrint), drawn from `report_data`."""

import base64
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from wargame.reports.charts import report_charts
from wargame.reports.feedback import feedback_by_question
from wargame.reports.sections import DRAFT_NOTE, HANDLING, PAPERS, RATING_NAMES, SECTIONS
from wargame.reports.summary import summary_paragraphs


def _matrix(codes: list[str], values: dict[str, int]) -> list[tuple[str, list[int | None]]]:
    def value(a: str, b: str) -> int | None:
        if a == b:
            return None
        return values.get(f"{min(a, b)}-{max(a, b)}")

    return [(a, [value(a, b) for b in codes]) for a in codes]


# Up to this many moves the report shows them as a table; past it, one plain line per move:
# WeasyPrint lays out a table cell about ten times slower than a line of text, and a
# 35-nation exercise of 12 turns has some 5,000 moves.
MOVES_AS_TABLE = 600
OUTCOME_NAMES = {
    "success": _("success"),
    "failure": _("failure"),
    "counter": _("counter-argument"),
    "refused": _("refused"),
    "withdrawn": _("withdrawn"),
    "submitted": _("not adjudicated"),
}


def _percent(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def moves_by_turn(data: dict[str, Any]) -> dict[str, Any]:
    """The moves of each turn, with counts of outcomes, as rows (few moves) or lines."""
    names = {t["code"]: t["name"] for t in data["teams"]}
    as_table = len(data["moves"]) <= MOVES_AS_TABLE
    turns: dict[int, dict[str, Any]] = {}
    for m in data["moves"]:
        turn = turns.setdefault(m["turn"], {"number": m["turn"], "outcomes": {}, "moves": []})
        outcome_code = m["outcome"] or m["status"]
        turn["outcomes"][outcome_code] = turn["outcomes"].get(outcome_code, 0) + 1
        outcome = str(OUTCOME_NAMES.get(outcome_code, outcome_code))
        if m["overridden"]:
            outcome += " (" + str(_("set by the facilitator"))
            outcome += f": {m['override_reason']})" if m["override_reason"] else ")"
        target = names.get(m["target_team"], "") if m["target_team"] else ""
        if m["target_inject"]:
            target = f"{target} {m['target_inject']}".strip()
        row = {
            "key": m["key"] or m["team"],
            "bot": m["by_bot"],
            "action": m["action_name"],
            "target": target,
            "argument": m["rationale"],
            "rating": m["rating"] or "",
            "chance": _percent(m["chance"]),
            "roll": _percent(m["roll"]),
            "outcome": outcome,
        }
        if as_table:
            turn["moves"].append(row)
        else:
            facts = [row["key"], row["action"] + (f" → {target}" if target else "")]
            if row["rating"]:
                facts.append(str(_("rated %(rating)s")) % {"rating": row["rating"]})
            if row["chance"]:
                facts.append(
                    str(_("chance %(chance)s, roll %(roll)s"))
                    % {"chance": row["chance"], "roll": row["roll"]}
                )
            line = " · ".join(facts) + f": {outcome}"
            turn["moves"].append(f"{line}. {row['argument']}" if row["argument"] else line)
    for turn in turns.values():
        turn["summary"] = ", ".join(
            f"{count} {OUTCOME_NAMES.get(code, code)}"
            for code, count in sorted(turn["outcomes"].items(), key=lambda i: (-i[1], i[0]))
        )
    return {"as_table": as_table, "turns": [turns[n] for n in sorted(turns)]}


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
        "moves": moves_by_turn(data),
        "feedback": feedback_by_question(data["feedback"]),
        "responses": len(data["feedback"]["responses"]),
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


def report_pdf(
    data: dict[str, Any],
    *,
    paper: str = "A4",
    charts: dict[str, str] | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> bytes:
    """The report as PDF; `progress(percent, stage)` hears when layout and writing start."""
    from weasyprint import HTML  # heavy import, only when a PDF is wanted

    html = report_html(data, paper=paper, charts=charts)
    if progress:
        progress(40, "layout")
    document = HTML(string=html).render()
    if progress:
        progress(90, "writing")
    return document.write_pdf()
