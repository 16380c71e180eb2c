"""Writes for negotiation: proposals and their rounds, agreements, messages.

A proposal is a thread: round 1 is the offer, each counter-proposal is a new round that every
party must answer again. When every party has accepted the same round the proposal becomes an
Agreement, in force from the adjudication of the current turn. An open proposal expires at the
end of the turn it was made in, unless renewed.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wargame.exercises.errors import NotAllowed, WrongState
from wargame.exercises.models import REASON_MAX_LENGTH, Exercise, Participant, Role, Team
from wargame.exercises.services.base import locked, require_facilitator, text_within
from wargame.exercises.services.setup import event_record
from wargame.lib.nations import nation_name
from wargame.negotiation.models import (
    MAX_DURATION,
    MESSAGE_MAX_LENGTH,
    NEGOTIABLE,
    NOTE_MAX_LENGTH,
    TERMS_MAX_LENGTH,
    Agreement,
    Channel,
    ChannelRead,
    Message,
    Proposal,
    ProposalParty,
    ProposalRound,
)
from wargame.negotiation.selectors import channel_key_of
from wargame.negotiation.signals import answers_awaited
from wargame.scenarios.models import ActionType

Answer = ProposalParty.Answer


def _in_play(exercise: Exercise) -> None:
    if exercise.status not in (Exercise.Status.RUNNING, Exercise.Status.PAUSED):
        raise WrongState(_("Negotiation happens while the exercise is in play."))


def _require_player(exercise: Exercise, actor: AbstractBaseUser | None, team: Team) -> None:
    """Players act for their own team; a bot team acts through the system (actor None)."""
    if actor is None:
        if not team.bot:
            raise NotAllowed(
                _("Only the players of %(team)s can act for it.") % {"team": team.name}
            )
        return
    if not Participant.objects.filter(
        exercise=exercise, user=actor, role=Role.PLAYER, team=team
    ).exists():
        raise NotAllowed(_("Only the players of %(team)s can act for it.") % {"team": team.name})


def _clean_terms(
    exercise: Exercise, parties: list[Team], commitments: dict[str, Any], duration: int
) -> dict[str, dict[str, Any]]:
    if not 1 <= duration <= MAX_DURATION:
        raise WrongState(_("An agreement lasts from 1 to %(n)s turns.") % {"n": MAX_DURATION})
    codes = {team.nation_code for team in parties}
    if set(commitments) != codes:
        raise WrongState(_("Say what each party commits, and only the parties."))
    clean = {}
    per_turn = {team.nation_code: team.budget_per_turn for team in parties}
    for code in sorted(codes):
        raw = commitments[code]
        terms = raw if isinstance(raw, dict) else {"points": raw}
        points = terms.get("points", 0)
        if isinstance(points, str) and points.strip().isdigit():
            points = int(points)
        if isinstance(points, bool) or not isinstance(points, int):
            raise WrongState(_("Action points must be a whole number."))
        if not 0 <= points <= 10:
            raise WrongState(_("Each party commits from 0 to 10 action points per turn."))
        if points > per_turn[code]:
            raise WrongState(
                ngettext(
                    "%(team)s has only %(n)s action point a turn to commit.",
                    "%(team)s has only %(n)s action points a turn to commit.",
                    per_turn[code],
                )
                % {"team": nation_name(code), "n": per_turn[code]}
            )
        text = text_within(str(terms.get("terms", "")).strip(), TERMS_MAX_LENGTH, _("Terms"))
        clean[code] = {"points": points, "terms": text}
    return clean


@transaction.atomic
def proposal_create(
    *,
    actor: AbstractBaseUser | None,
    team: Team,
    parties: list[Team],
    action: str,
    commitments: dict[str, Any],
    duration: int,
    note: str = "",
) -> Proposal:
    """Propose an agreement to one or more other teams; the proposer accepts its own terms."""
    exercise = locked(team.exercise_id)
    _in_play(exercise)
    _require_player(exercise, actor, team)
    others = list({p.pk: p for p in parties if p.pk != team.pk}.values())
    if not others or any(p.exercise_id != exercise.pk for p in others):
        raise WrongState(_("Propose to one or more other nations of this exercise."))
    if action not in NEGOTIABLE:
        raise WrongState(_("That action cannot be agreed."))
    action_type = ActionType.objects.filter(code=action, scenarios=exercise.scenario_id).first()
    if action_type is None:
        raise WrongState(_("That action is not part of this exercise."))
    everyone = [team, *others]
    terms = _clean_terms(exercise, everyone, commitments, duration)
    proposal = Proposal.objects.create(
        exercise=exercise, proposer=team, action_type=action_type,
        opened_turn=exercise.current_turn, expires_turn=exercise.current_turn,
    )  # fmt: skip
    ProposalRound.objects.create(
        proposal=proposal, number=1, author=team, author_user=actor, commitments=terms,
        duration_turns=duration, note=text_within(note, NOTE_MAX_LENGTH, _("A note")),
    )  # fmt: skip
    ProposalParty.objects.bulk_create(
        ProposalParty(
            proposal=proposal,
            team=party,
            answer=Answer.ACCEPTED if party.pk == team.pk else Answer.PENDING,
            answered_round=1 if party.pk == team.pk else None,
        )
        for party in everyone
    )
    event_record(
        exercise, "proposal.made", actor=actor, team=team, proposal=proposal.pk, action=action,
        parties=sorted(p.nation_code for p in everyone), duration=duration,
    )  # fmt: skip
    answers_awaited.send(sender=Proposal, proposal=proposal)
    return proposal


def _open_proposal(proposal: Proposal) -> tuple[Exercise, Proposal]:
    exercise = locked(proposal.exercise_id)
    proposal = Proposal.objects.select_related("action_type", "proposer").get(pk=proposal.pk)
    _in_play(exercise)
    if proposal.status != Proposal.Status.OPEN:
        raise WrongState(_("This proposal is no longer open."))
    return exercise, proposal


def _party(proposal: Proposal, team: Team) -> ProposalParty:
    party = ProposalParty.objects.filter(proposal=proposal, team=team).first()
    if party is None:
        raise NotAllowed(_("Your nation is not a party to this proposal."))
    return party


@transaction.atomic
def proposal_answer(
    *,
    actor: AbstractBaseUser | None,
    proposal: Proposal,
    team: Team,
    accept: bool,
    round_number: int | None = None,
) -> Proposal:
    """A party accepts or rejects the current round. A rejection ends the negotiation; when
    every party has accepted the same round, the agreement comes into force."""
    exercise, proposal = _open_proposal(proposal)
    _require_player(exercise, actor, team)
    party = _party(proposal, team)
    current = proposal.rounds.order_by("-number").first()
    if round_number is not None and round_number != current.number:
        # Someone countered while this party was reading: it must see the new terms first.
        raise WrongState(_("The terms have changed since you read them; read the new round."))
    party.answer = Answer.ACCEPTED if accept else Answer.REJECTED
    party.answered_round = current.number
    party.save(update_fields=["answer", "answered_round"])
    event_record(
        exercise, "proposal.accepted" if accept else "proposal.rejected", actor=actor,
        team=team, proposal=proposal.pk, round=current.number,
    )  # fmt: skip
    if not accept:
        _close(proposal, Proposal.Status.REJECTED)
        return proposal
    parties = list(proposal.party_set.select_related("team"))
    if all(p.answer == Answer.ACCEPTED and p.answered_round == current.number for p in parties):
        _close(proposal, Proposal.Status.ACCEPTED)
        agreement = Agreement.objects.create(
            exercise=exercise, proposal=proposal, action_type=proposal.action_type,
            commitments=current.commitments, starts_turn=exercise.current_turn,
            ends_turn=exercise.current_turn + current.duration_turns - 1,
        )  # fmt: skip
        agreement.parties.set([p.team for p in parties])
        event_record(
            exercise, "agreement.concluded", actor=actor, agreement=agreement.pk,
            proposal=proposal.pk, action=proposal.action_type.code,
            parties=sorted(p.team.nation_code for p in parties),
            turns=current.duration_turns,
        )  # fmt: skip
    return proposal


@transaction.atomic
def proposal_counter(
    *,
    actor: AbstractBaseUser | None,
    proposal: Proposal,
    team: Team,
    commitments: dict[str, Any],
    duration: int,
    note: str = "",
) -> ProposalRound:
    """A party changes the terms: a new round that every other party must answer again."""
    exercise, proposal = _open_proposal(proposal)
    _require_player(exercise, actor, team)
    _party(proposal, team)
    parties = list(proposal.party_set.select_related("team"))
    terms = _clean_terms(exercise, [p.team for p in parties], commitments, duration)
    number = proposal.rounds.count() + 1
    round_ = ProposalRound.objects.create(
        proposal=proposal, number=number, author=team, author_user=actor, commitments=terms,
        duration_turns=duration, note=text_within(note, NOTE_MAX_LENGTH, _("A note")),
    )  # fmt: skip
    for party in parties:
        mine = party.team_id == team.pk
        party.answer = Answer.ACCEPTED if mine else Answer.PENDING
        party.answered_round = number if mine else None
    ProposalParty.objects.bulk_update(parties, ["answer", "answered_round"])
    event_record(
        exercise, "proposal.countered", actor=actor, team=team, proposal=proposal.pk,
        round=number,
    )  # fmt: skip
    answers_awaited.send(sender=Proposal, proposal=proposal)
    return round_


@transaction.atomic
def proposal_withdraw(*, actor: AbstractBaseUser | None, proposal: Proposal) -> Proposal:
    exercise, proposal = _open_proposal(proposal)
    _require_player(exercise, actor, proposal.proposer)
    _close(proposal, Proposal.Status.WITHDRAWN)
    event_record(
        exercise, "proposal.withdrawn", actor=actor, team=proposal.proposer, proposal=proposal.pk
    )
    return proposal


@transaction.atomic
def proposal_renew(*, actor: AbstractBaseUser | None, proposal: Proposal, team: Team) -> Proposal:
    """Keep an open proposal on the table through the next turn."""
    exercise, proposal = _open_proposal(proposal)
    _require_player(exercise, actor, team)
    _party(proposal, team)
    proposal.expires_turn = exercise.current_turn + 1
    proposal.save(update_fields=["expires_turn"])
    event_record(exercise, "proposal.renewed", actor=actor, team=team, proposal=proposal.pk)
    return proposal


def _close(proposal: Proposal, status: str) -> None:
    proposal.status = status
    proposal.closed_at = timezone.now()
    proposal.save(update_fields=["status", "closed_at"])


@transaction.atomic
def agreement_leave(*, actor: AbstractBaseUser | None, agreement: Agreement, team: Team) -> None:
    """A party leaves early: at the next adjudication the agreement breaks and the party loses
    trust with every other party, as the engine's rules say."""
    exercise = locked(agreement.exercise_id)
    _in_play(exercise)
    _require_player(exercise, actor, team)
    agreement = Agreement.objects.get(pk=agreement.pk)
    if agreement.status != Agreement.Status.IN_FORCE:
        raise WrongState(_("This agreement is no longer in force."))
    if not agreement.parties.filter(pk=team.pk).exists():
        raise NotAllowed(_("Your nation is not a party to this agreement."))
    if team.nation_code not in agreement.leaving:
        agreement.leaving = [*agreement.leaving, team.nation_code]
        agreement.save(update_fields=["leaving"])
    event_record(exercise, "agreement.leaving", actor=actor, team=team, agreement=agreement.pk)


@transaction.atomic
def agreement_void(*, actor: AbstractBaseUser, agreement: Agreement, reason: str) -> None:
    """The facilitator ends an agreement, with a reason for the log; no trust is lost."""
    exercise = locked(agreement.exercise_id)
    require_facilitator(exercise, actor)
    agreement = Agreement.objects.get(pk=agreement.pk)
    if agreement.status != Agreement.Status.IN_FORCE:
        raise WrongState(_("This agreement is no longer in force."))
    if not reason.strip():
        raise WrongState(_("Give a reason; it goes in the log."))
    text_within(reason, REASON_MAX_LENGTH, _("The reason"))
    agreement.status = Agreement.Status.VOIDED
    agreement.end_reason = reason
    agreement.ended_turn = exercise.current_turn
    agreement.save(update_fields=["status", "end_reason", "ended_turn"])
    event_record(exercise, "agreement.voided", actor=actor, agreement=agreement.pk, reason=reason)


@transaction.atomic
def agreement_conclude(
    *,
    actor: AbstractBaseUser | None,
    exercise: Exercise,
    action: str,
    commitments: dict[str, dict[str, object]],
    turns: int,
) -> Agreement:
    """Bring into force an agreement every party has accepted outside a proposal thread (the
    facilitator recording a deal made in the room). Binds from this turn's adjudication."""
    exercise = locked(exercise.pk)
    require_facilitator(exercise, actor)
    _in_play(exercise)
    if action not in NEGOTIABLE:
        raise WrongState(_("That action cannot be agreed."))
    action_type = ActionType.objects.filter(code=action, scenarios=exercise.scenario_id).first()
    if action_type is None:
        raise WrongState(_("That action is not part of this exercise."))
    parties = list(Team.objects.filter(exercise=exercise, nation_code__in=commitments))
    if len(parties) < 2 or len(parties) != len(commitments):
        raise WrongState(_("An agreement needs two or more nations of this exercise."))
    terms = _clean_terms(exercise, parties, commitments, turns)
    agreement = Agreement.objects.create(
        exercise=exercise, action_type=action_type, commitments=terms,
        starts_turn=exercise.current_turn, ends_turn=exercise.current_turn + turns - 1,
    )  # fmt: skip
    agreement.parties.set(parties)
    event_record(
        exercise, "agreement.concluded", actor=actor, agreement=agreement.pk, action=action,
        parties=sorted(commitments), turns=turns,
    )  # fmt: skip
    return agreement


# --- Messages ---------------------------------------------------------------------------------


def channel_key(channel: str, team_a: Team | None = None, team_b: Team | None = None) -> str:
    return channel_key_of(
        channel, team_a.nation_code if team_a else None, team_b.nation_code if team_b else None
    )


@transaction.atomic
def message_send(
    *,
    actor: AbstractBaseUser,
    exercise: Exercise,
    channel: str,
    body: str,
    team: Team | None = None,
    other: Team | None = None,
    speaks_as: str = "",
) -> Message:
    """Post in a channel the actor belongs to: its team's own, a bilateral one with another
    team, the plenary; the facilitator also broadcasts, possibly as a simulated actor."""
    exercise = Exercise.objects.get(pk=exercise.pk)
    if exercise.status == Exercise.Status.FINISHED:
        raise WrongState(_("The exercise has ended; the channels are closed."))
    body = body.strip()
    if not body:
        raise WrongState(_("Write something first."))
    if len(body) > MESSAGE_MAX_LENGTH:
        raise WrongState(
            _("A message is at most %(max)s characters; this one has %(n)s.")
            % {"max": MESSAGE_MAX_LENGTH, "n": len(body)}
        )
    seat = Participant.objects.filter(exercise=exercise, user=actor).select_related("team").first()
    if seat is None or seat.role == Role.EVALUATOR:
        raise NotAllowed(_("Only players and the facilitator send messages."))
    facilitator = seat.role == Role.FACILITATOR
    if not facilitator:
        team = seat.team
        speaks_as = ""
    if any(t is not None and t.exercise_id != exercise.pk for t in (team, other)):
        raise WrongState(_("That nation is not in this exercise."))
    team_a = team_b = None
    if channel == Channel.TEAM:
        if team is None:
            raise WrongState(_("Which team's channel?"))
        team_a = team
    elif channel == Channel.BILATERAL:
        if team is None or other is None or team.pk == other.pk:
            raise WrongState(_("A bilateral channel is between two different nations."))
        team_a, team_b = sorted((team, other), key=lambda t: t.pk)
    elif channel == Channel.BROADCAST:
        if not facilitator:
            raise NotAllowed(_("Only the facilitator broadcasts."))
    elif channel != Channel.PLENARY:
        raise WrongState(_("Unknown channel."))
    message = Message.objects.create(
        exercise=exercise, channel=channel, team_a=team_a, team_b=team_b, author=actor,
        author_team=None if facilitator else seat.team, speaks_as=speaks_as[:120], body=body,
        turn=exercise.current_turn,
    )  # fmt: skip
    event_record(
        exercise, "message.sent", actor=actor, team=None if facilitator else seat.team,
        channel=channel_key(channel, team_a, team_b), message=message.pk,
    )  # fmt: skip
    return message


def channel_mark_read(*, participant: Participant, key: str, last_id: int) -> None:
    """Remember how far the participant has read a channel (for unread counts)."""
    read, created = ChannelRead.objects.get_or_create(
        participant=participant, channel=key, defaults={"last_read": last_id}
    )
    if not created and read.last_read < last_id:
        read.last_read = last_id
        read.save(update_fields=["last_read"])
