"""Exercise screens: new exercise, lobby, control room, team room, evaluator view, pulse.

Every view starts with an access helper, then calls one service, then renders. HTMX requests
get only the partial they asked for; a change tells the pages that show it through the pulse
(wargame/exercises/pulse.py), to the regions that listen to its topics (wargame/web/regions.py).
"""

from functools import cache, partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from wargame.accounts.invites import invite_reopen, invite_revoke, invite_token, join_code_change
from wargame.exercises import selectors, services
from wargame.exercises.access import Seat, TeamView, exercise_for, team_room_for
from wargame.exercises.errors import ExerciseError, MoveRefused, WrongState
from wargame.exercises.forms import (
    ExerciseForm,
    ExtendForm,
    InjectForm,
    MoveForm,
    ObservationForm,
    OverrideForm,
    RateForm,
)
from wargame.exercises.models import Exercise, Inject, Move, Role, Team
from wargame.exercises.pulse import pulse_changes, pulse_key_valid, turn_spread
from wargame.exercises.services import exercise_delete
from wargame.lib.htmx import after_change, confirm_action, render_region
from wargame.lib.nations import is_nation_code
from wargame.lib.qr import qr_svg
from wargame.lib.tasks import task_send
from wargame.negotiation import selectors as negotiation_selectors
from wargame.negotiation.forms import MessageForm
from wargame.negotiation.models import Message
from wargame.reports.forms import TaskRatingForm
from wargame.reports.models import Observation, Rating, rating_meanings
from wargame.reports.selectors import critical_tasks
from wargame.reports.services import observation_record, task_rate
from wargame.scenarios.selectors import scenario_newer
from wargame.turns import services as turn_services
from wargame.turns.bots import team_set_bot
from wargame.turns.clock import scheduler_running
from wargame.web import rooms
from wargame.web.projector import projector_view
from wargame.web.shared import control_regions, room_regions
from wargame.web.tasks import RENDER_AHEAD

FACILITATOR = (Role.FACILITATOR,)
WATCHERS = (Role.FACILITATOR, Role.EVALUATOR)


# --- Creating and joining --------------------------------------------------------------------


@login_required
def exercise_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied
    form = ExerciseForm(request.POST or None, initial=request.GET or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        exercise = services.exercise_create(
            actor=request.user,
            scenario=data["scenario"],
            title=data["title"],
            turn_seconds=(data["minutes_per_turn"] or 0) * 60 or None,
            adjudication_mode=data["adjudication_mode"],
            auto_advance=data["auto_advance"],
        )
        return redirect("exercises:lobby", code=exercise.code)
    return render(request, "exercises/new.html", {"form": form})


@login_required
def lobby(request: HttpRequest, code: str) -> HttpResponse:
    seat = exercise_for(request.user, code, roles=FACILITATOR)
    exercise = seat.exercise
    data = selectors.lobby(exercise)
    invites = []
    for status in data["teams"]:
        url = request.build_absolute_uri(
            reverse("accounts:join", args=[invite_token(exercise, status.team)])
        )
        invites.append({"status": status, "url": url, "qr": qr_svg(url)})
    evaluator_url = request.build_absolute_uri(
        reverse("accounts:join", args=[invite_token(exercise, None)])
    )
    context = {
        "exercise": exercise,
        "seat": seat,
        "invites": invites,
        "evaluators": data["evaluators"],
        "evaluator_url": evaluator_url,
        "evaluator_qr": qr_svg(evaluator_url),
        "newer_scenario": partial(scenario_newer, exercise.scenario),
    }
    return render_region(request, "exercises/lobby.html", context)


@login_required
@require_POST
def invite_revoke_view(request: HttpRequest, code: str) -> HttpResponse:
    """Close a team's (or the evaluators') door, or open it again with a new link."""
    seat = exercise_for(request.user, code, roles=FACILITATOR)
    nation = request.POST.get("team", "")
    if nation and not is_nation_code(nation):
        raise Http404(_("That nation is not in this exercise."))
    team = get_object_or_404(Team, exercise=seat.exercise, nation_code=nation) if nation else None
    if request.POST.get("action", "close") == "reopen":
        invite_reopen(actor=request.user, exercise=seat.exercise, team=team)
        messages.success(request, _("The door is open again, with a new link: share it."))
    else:
        invite_revoke(actor=request.user, exercise=seat.exercise, team=team)
        messages.success(
            request,
            _("The link no longer works and nobody can join there until you reopen it."),
        )
    return redirect("exercises:lobby", code=code)


@login_required
@require_POST
def join_code_view(request: HttpRequest, code: str) -> HttpResponse:
    """A new join code, or none."""
    seat = exercise_for(request.user, code, roles=FACILITATOR)
    action = request.POST.get("action", "")
    if action not in ("new", "off"):
        return HttpResponseBadRequest(
            _("Say whether the join code is to be replaced or turned off.")
        )
    join_code_change(actor=request.user, exercise=seat.exercise, on=action == "new")
    done = _("The old join code no longer works.")
    messages.success(request, done if action == "new" else _("The join code is off."))
    return redirect("exercises:lobby", code=code)


@login_required
def exercise_delete_view(request: HttpRequest, code: str) -> HttpResponse:
    """Delete an exercise with everything in it, once it has ended or before anyone played:
    the page offers its report first, and asks for the title to be typed."""
    seat = exercise_for(request.user, code, roles=FACILITATOR)
    exercise = seat.exercise
    deletable = exercise.status in (
        Exercise.Status.FINISHED,
        Exercise.Status.DRAFT,
        Exercise.Status.LOBBY,
    )
    error = ""
    if request.method == "POST":
        if not deletable:
            error = _("End the exercise first: people are playing it.")
        elif request.POST.get("title", "").strip() != exercise.title.strip():
            error = _("Type the exercise's title exactly, to show it is the one to delete.")
        else:
            title = exercise.title
            exercise_delete(actor=request.user, exercise=exercise)
            messages.success(request, _("“%(title)s” is deleted.") % {"title": title})
            return redirect("home")
    context = {"exercise": exercise, "seat": seat, "deletable": deletable, "error": error}
    return render(request, "exercises/delete.html", context, status=400 if error else 200)


# --- Control room --------------------------------------------------------------------------


@login_required
def control(request: HttpRequest, code: str) -> HttpResponse:
    seat = exercise_for(request.user, code, roles=FACILITATOR)
    # Every facilitator sees the same regions: kept per version of what each shows.
    shared = control_regions(seat.exercise)
    return render_region(request, "exercises/control.html", _control_context(seat, shared))


@login_required
def projector(request: HttpRequest, code: str) -> HttpResponse:
    """The screen at the front of the room, opened by the facilitator: read-only and public."""
    seat = exercise_for(request.user, code, roles=FACILITATOR)
    exercise = seat.exercise
    context = {
        "exercise": exercise,
        "projector": SimpleLazyObject(lambda: projector_view(exercise)),
        "wide": True,  # the whole width of the screen
    }
    return render_region(request, "exercises/projector.html", context)


def _control_context(seat: Seat, shared: dict[str, tuple[str, str | None]] | None = None) -> dict:
    """The control room's regions, each part read only if a region shown needs it (an HTMX
    request asks for one region; a kept copy needs nothing)."""
    exercise = seat.exercise
    teams = SimpleLazyObject(lambda: list(exercise.teams.all()))
    return {
        "exercise": exercise,
        "seat": seat,
        "statuses": SimpleLazyObject(lambda: selectors.teams_status(exercise, teams)),
        "teams": teams,
        "matrix": SimpleLazyObject(lambda: selectors.trust_matrix(exercise, teams)),
        "injects": SimpleLazyObject(lambda: selectors.inject_queue(exercise)),
        "review": SimpleLazyObject(lambda: selectors.pending_review(exercise)),
        "log": SimpleLazyObject(lambda: selectors.event_log(exercise)),
        "negotiations": SimpleLazyObject(lambda: negotiation_selectors.negotiations_all(exercise)),
        "inject_form": SimpleLazyObject(lambda: InjectForm(nations=[t.nation_code for t in teams])),
        "extend_form": ExtendForm(),
        "rate_form": RateForm(),
        "override_form": OverrideForm(),
        # Called by the template only where the page shows it (one query).
        "scheduler_running": scheduler_running,
        "newer_scenario": partial(scenario_newer, exercise.scenario),
        "shared_regions": shared or {},
    }


_CLOCK_ACTIONS = {
    "start": turn_services.exercise_start,
    "pause": turn_services.exercise_pause,
    "resume": turn_services.exercise_resume,
    "publish": turn_services.turn_publish,
}
# What the facilitator is told, beside the clock, once an action of the clock is done.
_CLOCK_DONE = {
    "start": gettext_lazy("The exercise has started."),
    "pause": gettext_lazy("The clock is paused."),
    "resume": gettext_lazy("The clock runs again."),
    "close": gettext_lazy("The turn is closed."),
    "extend": gettext_lazy("The turn is extended."),
    "publish": gettext_lazy("The outcomes are published."),
    "end": gettext_lazy("The exercise has ended."),
}


@login_required
@require_POST
def clock(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Start, pause, resume, extend, close now, publish, end."""
    seat = exercise_for(request.user, code, roles=FACILITATOR)
    exercise = seat.exercise
    if action not in {"close", "extend", "end", *_CLOCK_ACTIONS}:
        raise Http404
    error = None
    try:
        if action == "close":
            turn_services.turn_close(
                exercise_id=exercise.pk, turn_number=exercise.current_turn,
                actor=request.user, reason="closed by the facilitator",
            )  # fmt: skip
        elif action == "extend":
            form = ExtendForm(request.POST)
            if not form.is_valid():
                raise WrongState(_("Give the minutes to add or take away, from -60 to 120."))
            turn_services.turn_extend(
                actor=request.user, exercise=exercise, seconds=form.cleaned_data["minutes"] * 60
            )
        elif action == "end":
            turn_services.exercise_end(
                actor=request.user, exercise=exercise, reason=request.POST.get("reason", "")
            )
        else:
            _CLOCK_ACTIONS[action](actor=request.user, exercise=exercise)
    except ExerciseError as refused:
        error = refused
    if error is None and action in ("start", "close", "publish"):
        # Every team room reloads on a new turn: have a worker render them ahead.
        task_send(RENDER_AHEAD, exercise.pk)
    return after_change(
        request, reverse("exercises:control", args=[code]), error, str(_CLOCK_DONE[action])
    )


@login_required
@require_POST
def inject_action(request: HttpRequest, code: str, inject_id: int, action: str) -> HttpResponse:
    seat = exercise_for(request.user, code, roles=FACILITATOR)
    inject = get_object_or_404(Inject, pk=inject_id, exercise=seat.exercise)
    handlers = {
        "deliver": services.inject_deliver,
        "hold": services.inject_hold,
        "release": services.inject_release,
    }
    if action not in handlers:
        raise Http404
    error = None
    try:
        handlers[action](actor=request.user, inject=inject)
    except ExerciseError as refused:
        error = refused
    done = {
        "deliver": _("The inject was delivered."),
        "hold": _("The inject is held."),
        "release": _("The inject is back in the queue."),
    }[action]
    return after_change(request, reverse("exercises:control", args=[code]), error, done)


@login_required
@require_POST
def inject_new(request: HttpRequest, code: str) -> HttpResponse:
    seat = exercise_for(request.user, code, roles=FACILITATOR)
    nations = list(seat.exercise.teams.values_list("nation_code", flat=True))
    form = InjectForm(request.POST, nations=nations)
    refusal = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.inject_write(
                actor=request.user, exercise=seat.exercise, kind=data["kind"],
                title=data["title"], message=data["message"], originator=data["originator"],
                to=data["to"], severity=data["severity"],
            )  # fmt: skip
        except ExerciseError as refused:
            refusal = str(refused.message)
        else:
            return after_change(
                request, reverse("exercises:control", args=[code]), None,
                _("The inject was delivered."),
            )  # fmt: skip
    # The facilitator's text comes back as typed, with the reason.
    context = _control_context(seat) | {"inject_form": form, "inject_refusal": refusal}
    template = "exercises/control.html#injects" if request.htmx else "exercises/control.html"
    return render(request, template, context, status=422)


@login_required
@require_POST
def move_review(request: HttpRequest, code: str, move_id: int, action: str) -> HttpResponse:
    seat = exercise_for(request.user, code, roles=FACILITATOR)
    move = get_object_or_404(Move, pk=move_id, exercise=seat.exercise)
    if action not in ("rate", "override"):
        raise Http404
    error = None
    try:
        if action == "rate":
            form = RateForm(request.POST)
            if not form.is_valid():
                raise WrongState(_("Choose one of the ratings, or none."))
            turn_services.move_rate(
                actor=request.user, move=move, rating=form.cleaned_data["rating"]
            )
        elif action == "override":
            form = OverrideForm(request.POST)
            if not form.is_valid():
                raise WrongState(_("Give an outcome and a reason."))
            else:
                turn_services.move_override(
                    actor=request.user, move=move, success=form.cleaned_data["success"],
                    reason=form.cleaned_data["reason"],
                )  # fmt: skip
    except ExerciseError as refused:
        error = refused
    done = _("Rating saved.") if action == "rate" else _("The outcome is overridden.")
    return after_change(request, reverse("exercises:control", args=[code]), error, done)


@login_required
@require_POST
def team_bot(request: HttpRequest, code: str, nation: str) -> HttpResponse:
    """Hand a nation to a bot, or back to people."""
    seat = exercise_for(request.user, code, roles=FACILITATOR)
    team = get_object_or_404(Team, exercise=seat.exercise, nation_code=nation)
    error = None
    bot = request.POST.get("bot") == "1"
    try:
        team_set_bot(actor=request.user, team=team, bot=bot)
    except ExerciseError as refused:
        error = refused
    done = (
        _("%(team)s is now played by the bot.") if bot else _("%(team)s is played by people again.")
    ) % {"team": team.name}
    return after_change(request, reverse("exercises:control", args=[code]), error, done)


# --- Team room -------------------------------------------------------------------------------


@login_required
def team_room(request: HttpRequest, code: str, nation: str) -> HttpResponse:
    view = team_room_for(request.user, code, nation)
    channel = request.GET.get("channel", "")
    before = request.GET.get("before", "")
    # The team's players see the same regions: rendered once per version of what each shows,
    # each answer with its own CSRF token and its own idempotency key for the move form.
    shared = room_regions(view.seat.exercise, view.team, can_act=view.can_act)
    context = _team_context(
        view, channel=channel, before=int(before) if before.isdigit() else None, shared=shared
    )
    # Reading writes nothing: the page itself says how far it has read (channel_read).
    return render_region(request, "exercises/team.html", context)


def _team_context(
    view: TeamView,
    form: MoveForm | None = None,
    refusal: str = "",
    channel: str = "",
    before: int | None = None,
    *,
    shared: dict[str, tuple[str, str | None]] | None = None,
) -> dict:
    """The room's regions (rooms.room_context), and the channels panel of this viewer: the
    teams, the channel's messages and the unread counts are read only if a region shown needs
    them."""
    exercise, team = view.seat.exercise, view.team
    teams = SimpleLazyObject(lambda: list(exercise.teams.all()))
    own = f"team:{team.nation_code}"
    channel = channel or own
    if not negotiation_selectors.channel_readable(channel, team, lambda: teams):
        raise PermissionDenied

    @cache
    def shown() -> list[Message]:
        # The team's own channel needs no list of the teams.
        known = [team] if channel == own else teams
        return negotiation_selectors.channel_messages(exercise, channel, known, before=before)

    def channels() -> list[negotiation_selectors.ChannelInfo]:
        participant = view.seat.participant if view.can_act else None
        reads = negotiation_selectors.channel_reads(participant)
        return negotiation_selectors.channels_for(exercise, teams, team, reads, current=channel)

    room = rooms.room_context(
        exercise, team, can_act=view.can_act, teams=teams, form=form, refusal=refusal,
        shared=shared,
    )  # fmt: skip
    return room | {
        "seat": view.seat,
        "turn_spread": SimpleLazyObject(lambda: f"{turn_spread(len(teams)):g}"),
        # Read only if the page, or the region asked for, shows them (SimpleLazyObject).
        "channels": SimpleLazyObject(channels),
        "channel": channel,
        "channel_messages": SimpleLazyObject(shown),
        "earlier": SimpleLazyObject(
            lambda: shown()[0].pk if len(shown()) >= negotiation_selectors.PAGE else None
        ),
        "message_form": MessageForm(initial={"channel": channel}),
        # A player's page wakes for changes to their own nation and to everyone; those who
        # watch a room read-only wake for every change, like the control room.
        "pulse_team": team.nation_code if view.can_act else None,
    }


@login_required
@require_POST
def move_new(request: HttpRequest, code: str, nation: str) -> HttpResponse:
    view = team_room_for(request.user, code, nation)
    if not view.can_act:
        raise PermissionDenied
    form = rooms.move_form(view.seat.exercise, view.team, request.POST)
    refusal = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.move_submit(
                actor=request.user, team=view.team, action=data["action"].code,
                resources=data["resources"], target_team=data["target_team"],
                target_inject=data["target_inject"], intended_result=data["intended_result"],
                rationale=data["rationale"], idempotency_key=data["idempotency_key"],
            )  # fmt: skip
        except MoveRefused as refused:
            refusal = str(refused.message)
        else:
            _render_ahead_later(view)
            if request.htmx:
                response = _partial_named(request, view, "move-form", None)
                trigger_client_event(response, "cumbre:changed")
                done = _("Move submitted: %(action)s.") % {"action": data["action"].local_name}
                return confirm_action(response, done)
            messages.success(request, _("Move submitted."))
            return redirect("exercises:team", code=code, nation=view.team.nation_code)
    # The form comes back as typed, with the reason beside it.
    if request.htmx:
        return _partial_named(request, view, "move-form", form, refusal)
    return render(request, "exercises/team.html", _team_context(view, form, refusal), status=422)


def _render_ahead_later(view: TeamView) -> None:
    """A player changed the team's room: a worker renders what changed, once, before the
    teammates' pages (and the player's own) reload it at their next poll."""
    task_send(RENDER_AHEAD, view.seat.exercise.pk, view.team.pk)


def _partial_named(
    request: HttpRequest, view: TeamView, name: str, form: MoveForm | None, refusal: str = ""
) -> HttpResponse:
    """A region of the room after a POST: the form as typed (with errors or a refusal), or an
    empty one (form None) after a success, which is the team's shared copy."""
    status = 422 if refusal or (form is not None and form.errors) else 200
    shared = {}
    if form is None:
        view.seat.exercise.refresh_from_db()  # the version this change made: the copy's key
        shared = room_regions(view.seat.exercise, view.team, can_act=True)
    context = _team_context(view, form, refusal, shared=shared)
    return render(request, f"exercises/team.html#{name}", context, status=status)


@login_required
@require_POST
def move_withdraw(request: HttpRequest, code: str, nation: str, move_id: int) -> HttpResponse:
    view = team_room_for(request.user, code, nation)
    if not view.can_act:
        raise PermissionDenied
    move = get_object_or_404(Move, pk=move_id, team=view.team)
    error = None
    try:
        services.move_withdraw(actor=request.user, move=move)
        _render_ahead_later(view)
    except ExerciseError as refused:
        error = refused
    return after_change(
        request, reverse("exercises:team", args=[code, view.team.nation_code]), error,
        _("Move withdrawn."),
    )  # fmt: skip


@login_required
@require_POST
def team_ready(request: HttpRequest, code: str, nation: str) -> HttpResponse:
    view = team_room_for(request.user, code, nation)
    if not view.can_act:
        raise PermissionDenied
    error = None
    ready = request.POST.get("ready") == "1"
    try:
        services.team_mark_ready(actor=request.user, team=view.team, ready=ready)
        _render_ahead_later(view)
    except ExerciseError as refused:
        error = refused
    done = _("Your team is marked ready.") if ready else _("Your team is no longer marked ready.")
    return after_change(
        request, reverse("exercises:team", args=[code, view.team.nation_code]), error, done
    )


# --- Evaluator -------------------------------------------------------------------------------


@login_required
def evaluate(request: HttpRequest, code: str) -> HttpResponse:
    seat = exercise_for(request.user, code, roles=WATCHERS)
    form = _observation_form(seat, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if seat.role != Role.EVALUATOR and not seat.is_facilitator:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            observation_record(
                actor=request.user, exercise=seat.exercise, kind=data["kind"],
                objective_id=int(data["objective"]) if data["objective"] else None,
                text=data["text"], turn=data["turn"], inject_id=data["inject"],
                move_id=data["move"],
            )  # fmt: skip
            messages.success(request, _("Observation recorded."))
            return redirect("exercises:evaluate", code=code)
    context = _control_context(seat) | {
        "observation_form": form,
        "critical_tasks": [entry for entry in critical_tasks(seat.exercise) if entry.tasks],
        "ratings": Rating.choices,
        "meanings": rating_meanings(),
        "observations": list(
            Observation.objects.filter(exercise=seat.exercise)
            .select_related("objective", "evaluator", "inject", "move__team", "move__turn")
            .order_by("-created_at")
        ),
    }
    return render_region(request, "exercises/evaluate.html", context)


@login_required
@require_POST
def task_rate_view(request: HttpRequest, code: str, task_id: int) -> HttpResponse:
    """An evaluator's P / S / M / U rating of a critical task, with a comment."""
    seat = exercise_for(request.user, code, roles=WATCHERS)
    if seat.role != Role.EVALUATOR and not seat.is_facilitator:
        raise PermissionDenied(_("Only the exercise's evaluators and facilitator rate its tasks."))
    url = reverse("exercises:evaluate", args=[code]) + "#tasks"
    form = TaskRatingForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(e) for field_errors in form.errors.values() for e in field_errors)
        return after_change(request, url, ExerciseError(errors))
    try:
        rated = task_rate(
            actor=request.user, exercise=seat.exercise, task_id=task_id,
            rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"],
        )  # fmt: skip
    except ExerciseError as refused:
        return after_change(request, url, refused)
    return after_change(
        request, url, done=_("%(task)s rated %(rating)s.") % {
            "task": f"{rated.task.objective.code} {rated.task.code}", "rating": rated.rating}
    )  # fmt: skip


def _observation_form(seat: Seat, data=None) -> ObservationForm:
    """The form offers the delivered injects and the moves of this turn and the last one."""
    exercise = seat.exercise
    injects = exercise.injects.filter(delivered_turn__isnull=False)
    moves = (
        Move.objects.filter(exercise=exercise, turn__number__gte=exercise.current_turn - 1)
        .exclude(status=Move.Status.WITHDRAWN)
        .select_related("turn", "team", "action_type")
    )
    return ObservationForm(
        data,
        objectives=list(exercise.scenario.objectives.all()),
        kinds=Observation.Kind.choices,
        turns=exercise.current_turn,
        injects=injects.order_by("-delivered_turn", "code"),
        moves=moves.order_by("-turn__number", "team__position", "submitted_at"),
    )


# --- Pulse -----------------------------------------------------------------------------------


@require_GET
def pulse(request: HttpRequest, code: str) -> HttpResponse:
    """Has the exercise changed since version `v` (for the room of nation `team`, if given)?
    Answered from the cache alone: no session, no user, no database. 204 when nothing
    changed; otherwise a new poller carrying the new version, and an HX-Trigger event per
    topic that changed. The team only narrows what wakes the page; the answer holds nothing
    of any team."""
    if not pulse_key_valid(code, request.GET.get("k", "")):
        # The same for every code, known or not: the pulse says nothing to whoever has no page.
        return HttpResponseForbidden()
    try:
        seen = int(request.GET.get("v", "0"))
    except ValueError:
        seen = 0
    team = request.GET.get("team", "")
    team = team if is_nation_code(team) else None
    changes = pulse_changes(code, seen, team)
    if changes is None:
        return HttpResponse(status=204)
    version, topics = changes
    context = {"code": code, "version": version, "team": team, "key": request.GET["k"]}
    # No request context: the pulse is answered ahead of the middleware (PulseMiddleware).
    response = HttpResponse(render_to_string("exercises/_pulse.html", context))
    for topic in topics:
        trigger_client_event(response, f"cumbre:{topic}")
    return response
