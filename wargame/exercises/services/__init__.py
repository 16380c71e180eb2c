"""Writes for exercises: the only way anything changes an exercise's state.

Views, Celery tasks and management commands all call these. Every change records an Event and
bumps the exercise's version. The turn cycle's writes (start, close, publish, the bots) are in
wargame/turns.
"""

from wargame.exercises.services.injects import (
    inject_deliver,
    inject_hold,
    inject_release,
    inject_write,
)
from wargame.exercises.services.moves import move_submit, move_withdraw, team_mark_ready
from wargame.exercises.services.setup import (
    event_record,
    exercise_create,
    exercise_delete,
    participant_add,
)

__all__ = [
    "event_record",
    "exercise_create",
    "exercise_delete",
    "inject_deliver",
    "inject_hold",
    "inject_release",
    "inject_write",
    "move_submit",
    "move_withdraw",
    "participant_add",
    "team_mark_ready",
]
