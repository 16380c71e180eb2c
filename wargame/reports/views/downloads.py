"""Report downloads: the full report for the facilitator and evaluators, a debrief for a team."""

import time
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wargame.exercises.access import Seat, exercise_for, team_room_for
from wargame.exercises.models import Role
from wargame.lib.languages import language_asked
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
from wargame.reports.model import report_for
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
    changes. While the scheduler is down, or with `?now=1`, it is rendered in the request.
    `?paper=Letter` lays it out on US Letter; `?anonymised=1` names nobody, and with
    `&delegations=1` names delegations by letter instead of nations (names.py)."""
    seat = exercise_for(request.user, code, roles=WATCHERS)
    if fmt not in FORMATS:
        raise Http404
    paper, anonymous, language, delegations = _copy(request)
    _named_copy_allowed(seat, anonymous)
    if fmt not in BACKGROUND:
        content = render_format(seat.exercise, fmt, paper=paper, anonymous=anonymous,
                                language=language, delegations=delegations)  # fmt: skip
        name = file_name(code, fmt, paper, anonymous, language, delegations)
        return _attachment(HttpResponse(content, content_type=CONTENT_TYPES[fmt]), name)
    if request.GET.get("now") == "1" or not scheduler_running():
        # No worker to hand it to (or the facilitator asked): render it here and now.
        target = report_file_render(seat.exercise.pk, fmt, paper, anonymous, language,
                                    delegations)  # fmt: skip
    else:
        target = report_file_request(
            exercise=seat.exercise, fmt=fmt, paper=paper, anonymous=anonymous, language=language,
            delegations=delegations,
        )  # fmt: skip
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
    paper, anonymous, language, delegations = _copy(request)
    _named_copy_allowed(seat, anonymous)
    target = ReportFile.current(seat.exercise, fmt, paper, anonymous, language, delegations)
    return render(request, "reports/progress.html#progress", _progress_context(seat, target))


def _named_copy_allowed(seat: Seat, anonymous: bool) -> None:
    """The copy with names, dice rolls, bot flags and the seed is the control annex: the
    facilitator's alone. Evaluators download the copy without names, the one to distribute."""
    if not anonymous and seat.role != Role.FACILITATOR:
        raise PermissionDenied(
            _(
                "The copy with names, dice and the seed is for the exercise direction; "
                "evaluators download the copy without names."
            )
        )


def _copy(request: HttpRequest) -> tuple[str, bool, str, bool]:
    """Which copy of the report the address asks for: its paper, whether it names nobody, its
    language (`?lang=`; the reader's own by default) and whether it names delegations instead
    of nations (only a copy that names nobody does)."""
    language = language_asked(request.GET.get("lang"))
    anonymous = request.GET.get("anonymised") == "1"
    delegations = anonymous and request.GET.get("delegations") == "1"
    return request.GET.get("paper", "A4"), anonymous, language, delegations


def _progress_context(seat: Seat, target: ReportFile) -> dict:
    state = target.progress() or {}
    ready = target.exists()
    stage = "done" if ready else state.get("stage", "queued")
    waited = time.time() - state.get("at", time.time())
    asked = {"paper": "Letter"} if target.paper == "Letter" else {}
    asked |= {"anonymised": "1"} if target.anonymous else {}
    asked |= {"delegations": "1"} if target.delegations else {}
    # A language other than the reader's own is named, for the page's polls and the download.
    asked |= {"lang": target.language} if target.language != get_language() else {}
    query = f"?{urlencode(asked)}" if asked else ""
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
    exercise = view.seat.exercise
    report = report_for(exercise, charts=False)
    mine = view.team.nation_code
    # Received: delivered to this team. A scheduled or held inject is still the facilitator's
    # secret, and a skipped one never arrived.
    received = {
        inject.code
        for inject in exercise.injects.filter(delivered_turn__isnull=False)
        if not inject.recipients or mine in inject.recipients
    }
    turns = list(exercise.turn_set.filter(published_at__isnull=False).order_by("number"))
    tables = {table.indicator: table for table in report.indicator_tables}
    context = {
        "exercise": exercise,
        "team": view.team,
        "report": report,
        "moves": [m for turn in report.moves for m in turn.moves if m.team_code == mine],
        "injects": [i for i in report.timeline if i.code in received],
        "agreements": [n for n in report.agreements if mine in n.parties],
        # The same sentences as the team room's situation reports, turn by turn.
        "reports": situation_reports(exercise, view.team, turns),
        "indicators": list(
            zip(
                tables["stability"].headers[1:],
                tables["stability"].row_of(mine),
                tables["capacity"].row_of(mine),
                tables["support"].row_of(mine),
                strict=True,
            )
        ),
    }
    return render(request, "reports/debrief.html", context)
