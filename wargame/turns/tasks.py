"""Celery entry points for the turn cycle: load by id, call a service; each is idempotent."""

import logging

from celery import shared_task

from wargame.turns import bots
from wargame.turns.clock import (
    BOTS_ANSWER,
    BOTS_PLAY,
    CLOSE_TURN,
    heartbeat_record,
    turns_due_enqueue,
)
from wargame.turns.services import turn_close
from wargame.turns.signals import turn_closed

log = logging.getLogger(__name__)


@shared_task(name="exercises.tick", ignore_result=True)
def tick() -> list[tuple[int, int, str]]:
    """Beat's periodic look at the clock: enqueue the close of every turn that is due. Its
    heartbeat tells the health check and the control room that the scheduler is alive."""
    heartbeat_record()
    due = turns_due_enqueue()
    if due:
        log.info("turns due: %s", due)
    return due


@shared_task(
    name=CLOSE_TURN,
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=120,
    soft_time_limit=100,
)
def close_turn(exercise_id: int, turn_number: int, reason: str = "deadline") -> bool:
    """Close, adjudicate and (in automatic mode) publish one turn, then let the web layer
    render the teams' rooms ahead of their players; a no-op if already done."""
    closed = turn_close(exercise_id=exercise_id, turn_number=turn_number, reason=reason)
    log.info(
        "close_turn exercise=%s turn=%s: %s", exercise_id, turn_number,
        "closed" if closed else "nothing to do",
    )  # fmt: skip
    if closed:
        turn_closed.send(sender=close_turn, exercise_id=exercise_id)
    return closed


@shared_task(name=BOTS_PLAY, ignore_result=True, acks_late=True, time_limit=120)
def bots_play(exercise_id: int, turn_number: int, team_id: int | None = None) -> int:
    """The bot nations (or one) play turn `turn_number`, if it is still open and they have
    not played it yet; returns how many moves they made."""
    return bots.bots_play(exercise_id, turn_number, team_id=team_id)


@shared_task(name=BOTS_ANSWER, ignore_result=True, acks_late=True, time_limit=60)
def bots_answer(proposal_id: int) -> int:
    """The bot parties of a proposal answer its latest round, if it still waits for them;
    returns how many answered."""
    return bots.bots_answer(proposal_id)
