"""Celery entry points for the turn cycle."""

import logging

from celery import shared_task

from wargame.exercises.selectors import exercises_due

log = logging.getLogger(__name__)


@shared_task(name="exercises.tick", ignore_result=True)
def tick() -> list[tuple[int, int]]:
    """Beat's periodic look at the clock: which running exercises are past their deadline.

    Returns (exercise id, turn number) pairs. Closing those turns belongs to the turn cycle,
    which locks the exercise row and closes each turn exactly once.
    """
    due = [(exercise.pk, exercise.current_turn) for exercise in exercises_due()]
    if due:
        log.info("turns past their deadline: %s", due)
    return due
