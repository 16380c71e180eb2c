"""Report downloads: the full report for the facilitator and evaluators, a debrief for a team."""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from wargame.exercises.access import exercise_for, team_room_for
from wargame.exercises.models import Role
from wargame.reports.builder import events_csv, report_data
from wargame.reports.render import PAPERS, report_html, report_pdf

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


@login_required
def report_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    seat = exercise_for(request.user, code, roles=(Role.FACILITATOR, Role.EVALUATOR))
    if fmt not in CONTENT_TYPES:
        raise Http404
    data = report_data(seat.exercise)
    paper = request.GET.get("paper", "A4")
    paper = paper if paper in PAPERS else "A4"
    if fmt == "pdf":
        content: bytes | str = report_pdf(data, paper=paper)
    elif fmt == "docx":
        from wargame.reports.charts import report_charts
        from wargame.reports.docx import report_docx

        content = report_docx(data, charts=report_charts(data, kind="png"))
    elif fmt == "html":
        content = report_html(data, paper=paper)
    elif fmt == "csv":
        content = events_csv(data)
    else:
        content = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    what = "events" if fmt == "csv" else "report"
    name = f"cumbre-{seat.exercise.code}-{what}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def debrief(request: HttpRequest, code: str, nation: str) -> HttpResponse:
    """A team's own debrief: its moves and outcomes, the injects it received, its agreements
    and its indicators turn by turn; nothing private of any other team."""
    view = team_room_for(request.user, code, nation)
    if view.seat.role == Role.PLAYER and not view.can_act:
        raise PermissionDenied
    data = report_data(view.seat.exercise)
    mine = view.team.nation_code
    received = {
        inject.code
        for inject in view.seat.exercise.injects.all()
        if not inject.recipients or mine in inject.recipients
    }
    context = {
        "exercise": view.seat.exercise,
        "team": view.team,
        "data": data,
        "moves": [m for m in data["moves"] if m["team"] == mine],
        "injects": [i for i in data["injects"] if i["code"] in received],
        "agreements": [a for a in data["agreements"] if mine in a["parties"]],
        "turns": [{"number": t["number"], **t["indicators"].get(mine, {})} for t in data["turns"]],
        "team_data": next(t for t in data["teams"] if t["code"] == mine),
    }
    return render(request, "reports/debrief.html", context)


@login_required
def report_progress(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    raise Http404  # rendering in the background is being built
