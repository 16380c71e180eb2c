"""The turn cycle: start, open, close, adjudicate, publish; pause, resume, extend, end.

Every function here takes the exercise row lock first (wargame/exercises/services/base.py).
Bots play after the commit of the turn they play in, as tasks (wargame/turns/tasks.py).
"""

import math
from datetime import timedelta
from functools import partial
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wargame.exercises.errors import WrongState
from wargame.exercises.models import (
    REASON_MAX_LENGTH,
    Event,
    Exercise,
    Inject,
    Move,
    Rating,
    Turn,
)
from wargame.exercises.services.base import locked, require_facilitator, text_within
from wargame.exercises.services.setup import event_record
from wargame.lib.tasks import task_send
from wargame.negotiation.models import Proposal
from wargame.scenarios.catalogue import engine_rules
from wargame.turns import adjudication
from wargame.turns.clock import BOTS_PLAY

Status = Exercise.Status


@transaction.atomic
def exercise_start(*, actor: AbstractBaseUser | None, exercise: Exercise) -> Exercise:
    """Start the exercise: turn 1 opens and its injects are delivered."""
    exercise = locked(exercise.pk)
    require_facilitator(exercise, actor)
    if exercise.status not in (Status.DRAFT, Status.LOBBY):
        raise WrongState(_("The exercise has already started."))
    exercise.started_at = timezone.now()
    exercise.save(update_fields=["started_at"])
    event_record(exercise, "exercise.started", actor=actor, turn=0)
    _turn_open(exercise, 1, actor=actor)
    return exercise


def _turn_open(exercise: Exercise, number: int, *, actor: AbstractBaseUser | None) -> Turn:
    """Open a turn: set the clock, reset ready flags, deliver the injects due now.

    A contingency inject is delivered only if the inject it follows is still unanswered;
    otherwise it is skipped. Held injects wait for the facilitator.
    """
    now = timezone.now()
    turn = Turn.objects.create(exercise=exercise, number=number, opened_at=now)
    exercise.current_turn = number
    exercise.status = Status.RUNNING
    exercise.turn_deadline = now + timedelta(seconds=exercise.turn_seconds)
    exercise.paused_seconds_left = None
    exercise.save(update_fields=["current_turn", "status", "turn_deadline", "paused_seconds_left"])
    # Ready flags were cleared with the indicators when the last turn was published.
    # Open proposals lapse at the end of their turn unless a party renewed them.
    lapsed = Proposal.objects.filter(
        exercise=exercise, status=Proposal.Status.OPEN, expires_turn__lt=number
    ).update(status=Proposal.Status.EXPIRED, closed_at=now)

    rules = engine_rules()
    due = list(
        exercise.injects.filter(status=Inject.Status.SCHEDULED, turn__lte=number).select_related(
            "contingency_for"
        )
    )
    events = []
    for inject in due:
        if inject.contingency_for and inject.contingency_for.status == Inject.Status.ANSWERED:
            inject.status = Inject.Status.SKIPPED
            kind = "inject.skipped"
        else:
            inject.status = Inject.Status.DELIVERED
            inject.delivered_turn = number
            inject.pressure = rules.initial_pressure(inject.severity)
            kind = "inject.delivered"
        events.append(
            Event(
                exercise=exercise,
                turn=number,
                kind=kind,
                actor=actor,
                payload={"inject": inject.code, "title": inject.title},
            )
        )
    Inject.objects.bulk_update(due, ["status", "delivered_turn", "pressure"])
    Event.objects.bulk_create(events)
    if lapsed:
        event_record(exercise, "proposal.expired", actor=actor, turn=number, count=lapsed)
    event_record(
        exercise, "turn.opened", actor=actor, turn=number,
        deadline=exercise.turn_deadline.isoformat(), seconds=exercise.turn_seconds,
    )  # fmt: skip
    if exercise.teams.filter(bot=True).exists():
        transaction.on_commit(partial(task_send, BOTS_PLAY, exercise.pk, number))
    return turn


def turn_close(
    *, exercise_id: int, turn_number: int, actor: AbstractBaseUser | None = None, reason: str
) -> bool:
    """Close a turn, adjudicate it, and in automatic mode publish it and open the next.

    Idempotent: it does nothing, and returns False, unless the exercise is still running that
    very turn. Duplicate ticks, retried tasks and two workers therefore close a turn once.
    """
    with transaction.atomic():
        # The lock makes a second close_turn for the same turn wait here, then see the
        # exercise already past that turn and do nothing.
        exercise = locked(exercise_id)
        if exercise.status != Status.RUNNING or exercise.current_turn != turn_number:
            return False
        require_facilitator(exercise, actor)
        turn = exercise.turn_set.get(number=turn_number)
        turn.closed_at = timezone.now()
        turn.save(update_fields=["closed_at"])
        exercise.status = Status.ADJUDICATING
        exercise.turn_deadline = None
        exercise.save(update_fields=["status", "turn_deadline"])
        event_record(exercise, "turn.closed", actor=actor, turn=turn_number, reason=reason)
        context = adjudication.load_context(exercise, turn)
        result = adjudication.run(context)
        if exercise.adjudication_mode == Exercise.AdjudicationMode.AUTOMATIC:
            _publish(exercise, context, result, actor=actor)
        else:
            turn.adjudication = adjudication.result_data(result)
            turn.save(update_fields=["adjudication"])
            event_record(exercise, "turn.adjudicated", actor=actor, turn=turn_number)
    return True


def turn_readjudicate(exercise: Exercise, *, actor: AbstractBaseUser | None) -> Turn:
    """Recompute the proposed outcomes after the facilitator rated or overrode a move."""
    turn = exercise.turn_set.get(number=exercise.current_turn)
    context = adjudication.load_context(exercise, turn)
    turn.adjudication = adjudication.result_data(adjudication.run(context))
    turn.save(update_fields=["adjudication"])
    return turn


@transaction.atomic
def turn_publish(*, actor: AbstractBaseUser | None, exercise: Exercise) -> Exercise:
    """Publish the adjudicated turn (review mode) and open the next one."""
    exercise = locked(exercise.pk)
    require_facilitator(exercise, actor)
    if exercise.status != Status.ADJUDICATING:
        raise WrongState(_("There is no adjudicated turn waiting to be published."))
    turn = exercise.turn_set.get(number=exercise.current_turn)
    context = adjudication.load_context(exercise, turn)
    _publish(exercise, context, adjudication.run(context), actor=actor)
    return exercise


def _publish(
    exercise: Exercise,
    context: adjudication.TurnContext,
    result: Any,
    *,
    actor: AbstractBaseUser | None,
) -> None:
    adjudication.apply(context, result, actor)
    exercise.save(update_fields=["regional_stability"])
    if exercise.current_turn >= exercise.scenario.turns:
        _finish(exercise, actor=actor, reason="last turn published")
    else:
        _turn_open(exercise, exercise.current_turn + 1, actor=actor)


@transaction.atomic
def exercise_pause(*, actor: AbstractBaseUser | None, exercise: Exercise) -> Exercise:
    """Stop the clock, keeping the time left in the turn to the second."""
    exercise = locked(exercise.pk)
    require_facilitator(exercise, actor)
    if exercise.status != Status.RUNNING:
        raise WrongState(_("Only a running exercise can be paused."))
    left = (exercise.turn_deadline - timezone.now()).total_seconds()
    exercise.status = Status.PAUSED
    exercise.paused_seconds_left = max(0, math.ceil(left))
    exercise.turn_deadline = None
    exercise.save(update_fields=["status", "paused_seconds_left", "turn_deadline"])
    event_record(
        exercise, "exercise.paused", actor=actor, seconds_left=exercise.paused_seconds_left
    )
    return exercise


@transaction.atomic
def exercise_resume(*, actor: AbstractBaseUser | None, exercise: Exercise) -> Exercise:
    """Start the clock again with the time that was left when it was paused."""
    exercise = locked(exercise.pk)
    require_facilitator(exercise, actor)
    if exercise.status != Status.PAUSED:
        raise WrongState(_("Only a paused exercise can be resumed."))
    seconds = exercise.paused_seconds_left or 0
    exercise.status = Status.RUNNING
    exercise.turn_deadline = timezone.now() + timedelta(seconds=seconds)
    exercise.paused_seconds_left = None
    exercise.save(update_fields=["status", "turn_deadline", "paused_seconds_left"])
    event_record(exercise, "exercise.resumed", actor=actor, seconds_left=seconds)
    return exercise


@transaction.atomic
def turn_extend(*, actor: AbstractBaseUser | None, exercise: Exercise, seconds: int) -> Exercise:
    """Give the current turn more time (or less, with a negative number, down to zero)."""
    exercise = locked(exercise.pk)
    require_facilitator(exercise, actor)
    if exercise.status == Status.RUNNING:
        exercise.turn_deadline = max(
            timezone.now(), exercise.turn_deadline + timedelta(seconds=seconds)
        )
        exercise.save(update_fields=["turn_deadline"])
    elif exercise.status == Status.PAUSED:
        exercise.paused_seconds_left = max(0, (exercise.paused_seconds_left or 0) + seconds)
        exercise.save(update_fields=["paused_seconds_left"])
    else:
        raise WrongState(_("Only the clock of a running or paused turn can be changed."))
    event_record(exercise, "turn.extended", actor=actor, seconds=seconds)
    return exercise


@transaction.atomic
def exercise_end(*, actor: AbstractBaseUser | None, exercise: Exercise, reason: str) -> Exercise:
    """End the exercise now (ENDEX); nothing more can be submitted. An exercise ends by
    itself when its last turn is published, so one ended by hand stops early: the
    facilitator says why, and the log and the report say when and why play stopped."""
    exercise = locked(exercise.pk)
    require_facilitator(exercise, actor)
    if exercise.status == Status.FINISHED:
        raise WrongState(_("The exercise has already ended."))
    if not reason.strip():
        raise WrongState(
            _("Say why the exercise ends before its last turn: the report gives the reason.")
        )
    text_within(reason, REASON_MAX_LENGTH, _("The reason"))
    _finish(exercise, actor=actor, reason="ended by the facilitator", why=reason.strip())
    return exercise


def _finish(
    exercise: Exercise, *, actor: AbstractBaseUser | None, reason: str, why: str = ""
) -> None:
    exercise.status = Status.FINISHED
    exercise.finished_at = timezone.now()
    exercise.turn_deadline = None
    exercise.paused_seconds_left = None
    exercise.end_reason = why
    exercise.save(
        update_fields=[
            "status", "finished_at", "turn_deadline", "paused_seconds_left", "end_reason"
        ]
    )  # fmt: skip
    event_record(exercise, "exercise.finished", actor=actor, reason=reason, why=why)


@transaction.atomic
def move_rate(*, actor: AbstractBaseUser, move: Move, rating: str) -> Move:
    """The facilitator rates a move's argument (very strong … absurd) before the die is cast."""
    exercise = locked(move.exercise_id)
    require_facilitator(exercise, actor)
    move = Move.objects.select_related("turn").get(pk=move.pk)
    if rating not in Rating.values and rating != "":
        raise WrongState(_("Unknown rating."))
    _require_undecided(exercise, move)
    move.rating = rating
    move.save(update_fields=["rating"])
    event_record(exercise, "move.rated", actor=actor, move=move.pk, rating=rating)
    if exercise.status == Status.ADJUDICATING:
        turn_readjudicate(exercise, actor=actor)
    return move


@transaction.atomic
def move_override(*, actor: AbstractBaseUser, move: Move, success: bool, reason: str) -> Move:
    """The facilitator decides a move's outcome in review, with a reason that is logged."""
    exercise = locked(move.exercise_id)
    require_facilitator(exercise, actor)
    move = Move.objects.select_related("turn").get(pk=move.pk)
    if exercise.status != Status.ADJUDICATING:
        raise WrongState(_("Outcomes can be changed only while the turn is under review."))
    if not reason.strip():
        raise WrongState(_("Give a reason for changing the outcome; it goes in the log."))
    text_within(reason, REASON_MAX_LENGTH, _("The reason"))
    _require_undecided(exercise, move)
    move.forced_success = success
    move.override_reason = reason
    move.save(update_fields=["forced_success", "override_reason"])
    event_record(
        exercise, "move.overridden", actor=actor, move=move.pk, success=success, reason=reason
    )
    turn_readjudicate(exercise, actor=actor)
    return move


def _require_undecided(exercise: Exercise, move: Move) -> None:
    if move.turn.number != exercise.current_turn or move.status != Move.Status.SUBMITTED:
        raise WrongState(_("That move has already been adjudicated."))
    if exercise.status not in (Status.RUNNING, Status.PAUSED, Status.ADJUDICATING):
        raise WrongState(_("The exercise is not in play."))
