"""Writes for exercises: the only way anything changes an exercise.

Views, Celery tasks and management commands all call these. Every change records an Event and
bumps the exercise's version.
"""

from wargame.exercises.services.bots import bots_play, team_set_bot
from wargame.exercises.services.injects import (
    inject_deliver,
    inject_hold,
    inject_release,
    inject_write,
)
from wargame.exercises.services.moves import (
    move_override,
    move_rate,
    move_submit,
    move_withdraw,
    team_mark_ready,
)
from wargame.exercises.services.setup import event_record, exercise_create, participant_add
from wargame.exercises.services.turns import (
    exercise_end,
    exercise_pause,
    exercise_resume,
    exercise_start,
    turn_close,
    turn_extend,
    turn_publish,
)

__all__ = [
    "bots_play",
    "event_record",
    "exercise_create",
    "exercise_end",
    "exercise_pause",
    "exercise_resume",
    "exercise_start",
    "inject_deliver",
    "inject_hold",
    "inject_release",
    "inject_write",
    "move_override",
    "move_rate",
    "move_submit",
    "move_withdraw",
    "participant_add",
    "team_mark_ready",
    "team_set_bot",
    "turn_close",
    "turn_extend",
    "turn_publish",
]
