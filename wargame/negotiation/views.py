"""Negotiation and channels, from the team room and the control room."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wargame.exercises.access import exercise_for, team_room_for
from wargame.exercises.errors import ExerciseError, WrongState
from wargame.exercises.models import Role, Team
from wargame.lib.htmx import after_change
from wargame.negotiation import selectors, services
from wargame.negotiation.forms import CounterForm, MessageForm, ProposalForm
from wargame.negotiation.models import NEGOTIABLE, Agreement, Channel, Proposal


def _room(code: str, team: Team) -> str:
    return reverse("exercises:team", args=[code, team.nation_code])


@login_required
@require_POST
def proposal_new(request: HttpRequest, code: str, nation: str) -> HttpResponse:
    view = team_room_for(request.user, code, nation)
    if not view.can_act:
        raise PermissionDenied
    exercise, team = view.seat.exercise, view.team
    others = list(exercise.teams.exclude(pk=team.pk))
    form = ProposalForm(
        request.POST,
        prefix="proposal",
        actions=list(exercise.scenario.actions.filter(code__in=NEGOTIABLE)),
        others=others,
    )
    error = None
    if not form.is_valid():
        error = WrongState(" ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        data = form.cleaned_data
        parties = [t for t in others if t.nation_code in data["parties"]]
        commitments = {team.nation_code: {"points": data["points_own"], "terms": data["terms"]}}
        for party in parties:
            commitments[party.nation_code] = {
                "points": data["points_others"],
                "terms": data["terms"],
            }
        try:
            services.proposal_create(
                actor=request.user, team=team, parties=parties, action=data["action"],
                commitments=commitments, duration=data["duration"],
            )  # fmt: skip
        except ExerciseError as refused:
            error = refused
    return after_change(request, _room(code, team), error, _("Proposal sent."))


@login_required
@require_POST
def proposal_act(
    request: HttpRequest, code: str, nation: str, proposal_id: int, action: str
) -> HttpResponse:
    view = team_room_for(request.user, code, nation)
    if not view.can_act:
        raise PermissionDenied
    team = view.team
    proposal = get_object_or_404(Proposal, pk=proposal_id, exercise=view.seat.exercise)
    if action not in ("accept", "reject", "counter", "withdraw", "renew"):
        raise Http404
    error = None
    try:
        if action in ("accept", "reject"):
            shown = request.POST.get("round", "")
            services.proposal_answer(
                actor=request.user, proposal=proposal, team=team, accept=action == "accept",
                round_number=int(shown) if shown.isdigit() else None,
            )  # fmt: skip
        elif action == "withdraw":
            services.proposal_withdraw(actor=request.user, proposal=proposal)
        elif action == "renew":
            services.proposal_renew(actor=request.user, proposal=proposal, team=team)
        else:
            parties = list(proposal.party_set.select_related("team"))
            form = CounterForm(request.POST, parties=parties, prefix=f"counter{proposal.pk}")
            if not form.is_valid():
                raise WrongState(
                    " ".join(str(e) for errors in form.errors.values() for e in errors)
                )
            services.proposal_counter(
                actor=request.user, proposal=proposal, team=team,
                commitments=form.commitments(), duration=form.cleaned_data["duration"],
                note=form.cleaned_data["note"],
            )  # fmt: skip
    except ExerciseError as refused:
        error = refused
    done = {
        "accept": _("You accepted the proposal."),
        "reject": _("You rejected the proposal."),
        "counter": _("Counter-proposal sent."),
        "withdraw": _("Proposal withdrawn."),
        "renew": _("The proposal stays open next turn."),
    }[action]
    return after_change(request, _room(code, team), error, done)


@login_required
@require_POST
def agreement_leave(
    request: HttpRequest, code: str, nation: str, agreement_id: int
) -> HttpResponse:
    view = team_room_for(request.user, code, nation)
    if not view.can_act:
        raise PermissionDenied
    agreement = get_object_or_404(Agreement, pk=agreement_id, exercise=view.seat.exercise)
    error = None
    try:
        services.agreement_leave(actor=request.user, agreement=agreement, team=view.team)
    except ExerciseError as refused:
        error = refused
    done = _("Your team is leaving the agreement.")
    return after_change(request, _room(code, view.team), error, done)


@login_required
@require_POST
def agreement_void(request: HttpRequest, code: str, agreement_id: int) -> HttpResponse:
    seat = exercise_for(request.user, code, roles=(Role.FACILITATOR,))
    agreement = get_object_or_404(Agreement, pk=agreement_id, exercise=seat.exercise)
    error = None
    try:
        services.agreement_void(
            actor=request.user, agreement=agreement, reason=request.POST.get("reason", "")
        )
    except ExerciseError as refused:
        error = refused
    done = _("The agreement is void.")
    return after_change(request, reverse("exercises:control", args=[code]), error, done)


@login_required
@require_POST
def message_new(request: HttpRequest, code: str) -> HttpResponse:
    """Post in a channel. Players speak for their own team; which channel is checked by the
    service against their seat, never trusted from the form."""
    seat = exercise_for(request.user, code, roles=(Role.PLAYER, Role.FACILITATOR))
    exercise = seat.exercise
    form = MessageForm(request.POST)
    back = _room(code, seat.team) if seat.team else reverse("exercises:control", args=[code])
    if not form.is_valid():
        error = WrongState(" ".join(str(e) for errors in form.errors.values() for e in errors))
        return after_change(request, back, error)
    key = form.cleaned_data["channel"]
    kind, _, rest = key.partition(":")
    teams = {t.nation_code: t for t in exercise.teams.all()}
    team = other = None
    channel = kind
    if kind == "team":
        channel, team = Channel.TEAM, teams.get(rest)
    elif kind == "bi":
        channel = Channel.BILATERAL
        a, _, b = rest.partition("-")
        team, other = teams.get(a), teams.get(b)
        if seat.team is not None and seat.team in (team, other):
            # The player's own nation is always the sending side.
            other = other if team == seat.team else team
            team = seat.team
        elif seat.team is not None:
            raise PermissionDenied
    if seat.team is not None and channel == Channel.TEAM and team != seat.team:
        raise PermissionDenied
    error = None
    try:
        services.message_send(
            actor=request.user, exercise=exercise, channel=channel, body=form.cleaned_data["body"],
            team=team, other=other, speaks_as=form.cleaned_data["speaks_as"],
        )  # fmt: skip
    except ExerciseError as refused:
        error = refused
    return after_change(request, f"{back}?channel={key}", error)


@login_required
@require_POST
def channel_read(request: HttpRequest, code: str, nation: str) -> HttpResponse:
    """A player's page says how far it has shown a channel: the unread counts start after
    that. Sent by the page once the messages are on screen, never by reading the page."""
    view = team_room_for(request.user, code, nation)
    if not view.can_act:
        raise PermissionDenied
    key, last = request.POST.get("channel", ""), request.POST.get("last", "")
    if not last.isdigit():
        return HttpResponseBadRequest(_("Which message was read last is missing."))
    teams = view.seat.exercise.teams.all
    if not selectors.channel_readable(key, view.team, lambda: list(teams())):
        raise PermissionDenied
    services.channel_mark_read(participant=view.seat.participant, key=key, last_id=int(last))
    return HttpResponse(status=204)
