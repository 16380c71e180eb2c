"""Report downloads: the full report for the facilitator and evaluators, a debrief for a team."""

import time

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wargame.exercises.access import Seat, exercise_for, team_room_for
from wargame.exercises.labels import outcome_label
from wargame.exercises.models import Role
from wargame.lib.nations import nation_name
from wargame.negotiation.models import Agreement
from wargame.reports.builder import report_data
from wargame.reports.files import (
    BACKGROUND,
    CONTENT_TYPES,
    FORMATS,
    STAGES,
    ReportFile,
    file_name,
    render_format,
    report_file_render,
)
from wargame.reports.services import report_file_request
from wargame.turns.clock import scheduler_running
from wargame.turns.sitrep import situation_reports

FORMAT_NAMES = {"pdf": _("PDF"), "docx": _("Word")}

WATCHERS = (Role.FACILITATOR, Role.EVALUATOR)
# After this long in the queue the progress page offers to render in the request instead.
QUEUE_PATIENCE_SECONDS = 20


@login_required
def report_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The report in one format. JSON, CSV and HTML are rendered in the request; a PDF or
    Word file is rendered by a worker (the page shows its progress) and kept until the exercise
    changes. While the scheduler is down, or with `?now=1`, it is rendered in the request."""
    seat = exercise_for(request.user, code, roles=WATCHERS)
    if fmt not in FORMATS:
        raise Http404
    paper = request.GET.get("paper", "A4")
    if fmt not in BACKGROUND:
        content = render_format(seat.exercise, fmt, paper=paper)
        return _attachment(HttpResponse(content, content_type=CONTENT_TYPES[fmt]),
                           file_name(code, fmt, paper))  # fmt: skip
    if request.GET.get("now") == "1" or not scheduler_running():
        # No worker to hand it to (or the facilitator asked): render it here and now.
        target = report_file_render(seat.exercise.pk, fmt, paper)
    else:
        target = report_file_request(exercise=seat.exercise, fmt=fmt, paper=paper)
    if target.exists():
        response = FileResponse(target.path.open("rb"), content_type=CONTENT_TYPES[fmt])
        return _attachment(response, target.name)
    return render(request, "reports/progress.html", _progress_context(seat, target), status=202)


@login_required
def report_progress(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """How far the worker has got with a report file: the progress region, polled by the page."""
    seat = exercise_for(request.user, code, roles=WATCHERS)
    if fmt not in BACKGROUND:
        raise Http404
    target = ReportFile.current(seat.exercise, fmt, request.GET.get("paper", "A4"))
    return render(request, "reports/progress.html#progress", _progress_context(seat, target))


def _progress_context(seat: Seat, target: ReportFile) -> dict:
    state = target.progress() or {}
    ready = target.exists()
    stage = "done" if ready else state.get("stage", "queued")
    waited = time.time() - state.get("at", time.time())
    query = "?paper=Letter" if target.paper == "Letter" else ""
    return {
        "exercise": seat.exercise,
        "target": target,
        "format_name": FORMAT_NAMES[target.fmt],
        "ready": ready,
        "failed": stage == "failed",
        "percent": 100 if ready else state.get("percent", 0),
        "stage": STAGES.get(stage, stage),
        "stuck": stage == "queued" and waited > QUEUE_PATIENCE_SECONDS,
        "query": query,
        "download_url": reverse("exercises:report", args=[seat.exercise.code, target.fmt]) + query,
        "progress_url": reverse("exercises:report_progress", args=[seat.exercise.code, target.fmt])
        + query,
        "back_url": reverse(
            "exercises:control" if seat.is_facilitator else "exercises:evaluate",
            args=[seat.exercise.code],
        ),
    }


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def debrief(request: HttpRequest, code: str, nation: str) -> HttpResponse:
    """A team's own debrief: its moves and outcomes, the injects it received, its agreements
    and its indicators turn by turn; nothing private of any other team."""
    view = team_room_for(request.user, code, nation)
    if view.seat.role == Role.PLAYER and not view.can_act:
        raise PermissionDenied
    data = report_data(view.seat.exercise, events=False)
    mine = view.team.nation_code
    # Received: delivered to this team. A scheduled or held inject is still the facilitator's
    # secret, and a skipped one never arrived.
    received = {
        inject.code
        for inject in view.seat.exercise.injects.filter(delivered_turn__isnull=False)
        if not inject.recipients or mine in inject.recipients
    }
    exercise = view.seat.exercise
    action_names = dict(exercise.scenario.actions.values_list("code", "name"))
    status_names = dict(Agreement.Status.choices)
    turns = list(exercise.turn_set.filter(published_at__isnull=False).order_by("number"))
    context = {
        "exercise": exercise,
        "team": view.team,
        "data": data,
        "moves": [
            m
            | {
                "outcome_label": outcome_label(m["outcome"] or ""),
                "target_name": nation_name(m["target_team"]) if m["target_team"] else "",
            }
            for m in data["moves"]
            if m["team"] == mine
        ],
        "injects": [i for i in data["injects"] if i["code"] in received],
        "agreements": [
            a
            | {
                "action_name": action_names.get(a["action"], a["action"]),
                "status_name": status_names.get(a["status"], ""),
                "party_names": [nation_name(code) for code in a["parties"]],
            }
            for a in data["agreements"]
            if mine in a["parties"]
        ],
        # The same sentences as the team room's situation reports, turn by turn.
        "reports": situation_reports(exercise, view.team, turns),
        "turns": [{"number": t["number"], **t["indicators"].get(mine, {})} for t in data["turns"]],
        "team_data": next(t for t in data["teams"] if t["code"] == mine),
    }
    return render(request, "reports/debrief.html", context)
