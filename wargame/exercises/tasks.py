"""Celery entry points for the turn cycle: load by id, call a service."""

import logging

from celery import shared_task

from wargame.exercises import rooms
from wargame.exercises.models import Team
from wargame.exercises.services.clock import heartbeat_record, turns_due_enqueue
from wargame.exercises.services.turns import turn_close

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
    name="exercises.close_turn",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=120,
    soft_time_limit=100,
)
def close_turn(exercise_id: int, turn_number: int, reason: str = "deadline") -> bool:
    """Close, adjudicate and (in automatic mode) publish one turn, then render the teams'
    rooms ahead of their players; a no-op if already done."""
    closed = turn_close(exercise_id=exercise_id, turn_number=turn_number, reason=reason)
    log.info(
        "close_turn exercise=%s turn=%s: %s", exercise_id, turn_number,
        "closed" if closed else "nothing to do",
    )  # fmt: skip
    if closed:
        rooms.rooms_render_ahead(exercise_id)
    return closed


@shared_task(name="exercises.rooms_render_ahead", ignore_result=True, time_limit=120)
def rooms_render_ahead(exercise_id: int, team_id: int | None = None) -> int:
    """Render the teams' rooms (or one team's) ahead of their players after a change made in
    a request: the facilitator started the exercise, closed or published a turn; a player
    moved or said the team is ready. Only what is missing: sent twice, it renders once."""
    only = Team.objects.filter(pk=team_id, exercise_id=exercise_id).first() if team_id else None
    if team_id and only is None:
        return 0
    return rooms.rooms_render_ahead(exercise_id, only=only)
