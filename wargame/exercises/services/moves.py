"""Moves: submit, withdraw, mark ready. (The facilitator's rating and override of a move
belong to the turn's adjudication: wargame/turns/services.py.)"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wargame.exercises.errors import MoveRefused, NotAllowed, WrongState
from wargame.exercises.models import (
    MOVE_INTENT_MAX_LENGTH,
    MOVE_REASONS_MAX_LENGTH,
    Exercise,
    Inject,
    Move,
    Participant,
    Role,
    Team,
    Turn,
)
from wargame.exercises.services.base import locked, text_within
from wargame.exercises.services.setup import event_record
from wargame.exercises.signals import all_teams_ready
from wargame.scenarios.catalogue import engine_rules
from wargame.scenarios.models import ActionType

Status = Exercise.Status


def _require_player(exercise: Exercise, team: Team, actor: AbstractBaseUser | None) -> None:
    if actor is None and team.bot:
        return  # a nation handed to a bot acts through the system
    is_player = Participant.objects.filter(
        exercise=exercise, user=actor, role=Role.PLAYER, team=team
    ).exists()
    if not is_player:
        raise NotAllowed(_("Only the players of %(team)s can act for it.") % {"team": team.name})


def move_submit(
    *,
    actor: AbstractBaseUser,
    team: Team,
    action: str,
    resources: int | None = None,
    target_team: Team | None = None,
    target_inject: Inject | None = None,
    counter_to: Move | None = None,
    intended_result: str = "",
    rationale: str = "",
    idempotency_key: str = "",
) -> Move:
    """Submit a move for the team's current turn, paying its cost from the team's budget.

    Refused, with a reason the player sees, when the turn is closed or past its deadline,
    the budget is short, or the target is not valid. A refusal is logged too: nothing a player
    sends is lost silently.
    """
    text_within(intended_result, MOVE_INTENT_MAX_LENGTH, _("The result wanted"))
    text_within(rationale, MOVE_REASONS_MAX_LENGTH, _("The reasons"))
    with transaction.atomic():
        # The exercise lock orders this submission against closing the turn: a move either
        # commits before the close and is adjudicated in that turn, or finds the turn closed.
        exercise = locked(team.exercise_id)
        team = Team.objects.get(pk=team.pk)
        _require_player(exercise, team, actor)
        if idempotency_key:
            # A double click or a retried request carries the same key: one move, not two.
            earlier = Move.objects.filter(team=team, idempotency_key=idempotency_key).first()
            if earlier is not None:
                return earlier
        move_or_reason = _move_create(
            exercise, team, actor=actor, action=action, resources=resources,
            target_team=target_team, target_inject=target_inject, counter_to=counter_to,
            intended_result=intended_result, rationale=rationale,
            idempotency_key=idempotency_key,
        )  # fmt: skip
        if isinstance(move_or_reason, Move):
            return move_or_reason
        event_record(
            exercise, "move.refused", actor=actor, team=team, action=action,
            reason=str(move_or_reason),
        )  # fmt: skip
    raise MoveRefused(move_or_reason)


def _move_create(
    exercise: Exercise,
    team: Team,
    *,
    actor: AbstractBaseUser,
    action: str,
    resources: int | None,
    target_team: Team | None,
    target_inject: Inject | None,
    counter_to: Move | None,
    intended_result: str,
    rationale: str,
    idempotency_key: str,
) -> Move | str:
    if exercise.status == Status.PAUSED:
        return _("The exercise is paused; moves can be submitted when it resumes.")
    if exercise.status != Status.RUNNING:
        return _("Turn %(turn)s is closed; this move was not accepted.") % {
            "turn": exercise.current_turn
        }
    if exercise.turn_deadline and timezone.now() >= exercise.turn_deadline:
        return _("The time for turn %(turn)s has run out; this move was not accepted.") % {
            "turn": exercise.current_turn
        }
    action_type = ActionType.objects.filter(code=action, scenarios=exercise.scenario_id).first()
    if action_type is None:
        return _("%(action)s is not an action of this exercise.") % {"action": action}
    cost = action_type.cost
    resources = cost if resources is None else resources
    if resources < cost:
        return ngettext(
            "%(action)s costs %(cost)s action point.",
            "%(action)s costs %(cost)s action points.",
            cost,
        ) % {"action": action_type.local_name, "cost": cost}
    if resources > team.budget:
        return ngettext(
            "%(team)s has %(left)s action point left this turn; this move needs %(points)s.",
            "%(team)s has %(left)s action points left this turn; this move needs %(points)s.",
            team.budget,
        ) % {"team": team.name, "left": team.budget, "points": resources}
    if not action_type.targets:
        return _("%(action)s is agreed between nations, not played as a move.") % {
            "action": action_type.local_name
        }
    if target_team is not None:
        if target_team.exercise_id != exercise.pk:
            return _("That nation is not part of this exercise.")
        if target_team.pk == team.pk:
            return _("A move cannot be aimed at your own team.")
        if "nation" not in action_type.targets:
            return _("%(action)s cannot be aimed at another nation.") % {
                "action": action_type.local_name
            }
    if target_inject is not None:
        if target_inject.exercise_id != exercise.pk or target_inject.status != (
            Inject.Status.DELIVERED
        ):
            return _("That inject is not open.")
        if "inject" not in action_type.targets:
            return _("%(action)s cannot answer an inject.") % {"action": action_type.local_name}
        if target_inject.recipients and team.nation_code not in target_inject.recipients:
            return _("Your team has not received that inject.")
    turn = exercise.turn_set.get(number=exercise.current_turn)
    if counter_to is not None and (
        counter_to.turn_id != turn.pk
        or counter_to.team_id == team.pk
        or counter_to.status != Move.Status.SUBMITTED
    ):
        return _("A counter-argument must answer another team's move of this turn.")
    over = _over_limit(team, turn, action_type, countering=counter_to is not None)
    if over:
        return over

    move = Move.objects.create(
        exercise=exercise,
        turn=turn,
        team=team,
        action_type=action_type,
        target_team=target_team,
        target_inject=target_inject,
        counter_to=counter_to,
        resources=resources,
        intended_result=intended_result,
        rationale=rationale,
        submitted_by=actor,
        submitted_at=timezone.now(),
        idempotency_key=idempotency_key,
        by_bot=actor is None,
    )
    team.budget -= resources
    team.save(update_fields=["budget"])
    event_record(
        exercise, "move.submitted", actor=actor, team=team, move=move.pk, action=action,
        resources=resources,
        target_team=target_team.nation_code if target_team else None,
        target_inject=target_inject.code if target_inject else None,
        **_offer(move),
    )  # fmt: skip
    return move


def _offer(move: Move) -> dict[str, str]:
    """A move that would put forces in another nation is an offer that nation sees in its
    room, to consent to or decline: its event names the host (`offer_to`)."""
    presence = engine_rules().actions.get(move.action_type.code)
    if move.target_team is None or presence is None or not presence.presence:
        return {}
    return {"offer_to": move.target_team.nation_code}


def _over_limit(team: Team, turn: Turn, action_type: ActionType, *, countering: bool) -> str:
    """The rules' limits per team and turn (the engine refuses what goes past them too):
    how many moves a team may argue against, and how many of some actions it may make."""
    limit = engine_rules().turn_limit(action_type.code, countering=countering)
    if not limit:
        return ""
    made = Move.objects.filter(team=team, turn=turn, status=Move.Status.SUBMITTED)
    if countering:
        if made.filter(counter_to__isnull=False).count() >= limit:
            return ngettext(
                "Each team may argue against %(n)s move a turn, and yours already has.",
                "Each team may argue against %(n)s moves a turn, and yours already has.",
                limit,
            ) % {"n": limit}
    elif made.filter(action_type=action_type, counter_to__isnull=True).count() >= limit:
        return ngettext(
            "%(action)s: each team may make %(n)s a turn, and yours already has.",
            "%(action)s: each team may make %(n)s a turn, and yours already has.",
            limit,
        ) % {"n": limit, "action": action_type.local_name}
    return ""


@transaction.atomic
def move_withdraw(*, actor: AbstractBaseUser, move: Move) -> Move:
    """Take back a move before the turn closes; its action points return to the budget."""
    exercise = locked(move.exercise_id)
    move = Move.objects.select_related("team", "turn", "action_type", "target_team").get(pk=move.pk)
    _require_player(exercise, move.team, actor)
    if (
        exercise.status != Status.RUNNING
        or move.turn.number != exercise.current_turn
        or move.status != Move.Status.SUBMITTED
    ):
        raise WrongState(_("The turn is closed; the move stands."))
    move.status = Move.Status.WITHDRAWN
    move.save(update_fields=["status"])
    team = move.team
    team.budget += move.resources
    team.save(update_fields=["budget"])
    event_record(exercise, "move.withdrawn", actor=actor, team=team, move=move.pk, **_offer(move))
    return move


@transaction.atomic
def team_mark_ready(*, actor: AbstractBaseUser, team: Team, ready: bool = True) -> bool:
    """Mark the team ready (or not). When every team is ready the turn closes early.

    Returns whether every team is now ready.
    """
    exercise = locked(team.exercise_id)
    _require_player(exercise, team, actor)
    if exercise.status != Status.RUNNING:
        raise WrongState(_("The turn is not open."))
    Team.objects.filter(pk=team.pk).update(ready=ready)
    event_record(exercise, "team.ready" if ready else "team.not_ready", actor=actor, team=team)
    all_ready = not exercise.teams.filter(ready=False).exists()
    if all_ready:
        all_teams_ready.send(sender=Exercise, exercise=exercise)
    return all_ready
