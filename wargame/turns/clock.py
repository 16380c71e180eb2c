"""What the clock does: find turns that are due and have them closed by a worker.

Tasks are sent by name (wargame/lib/tasks.py), so that what sends them never imports the
worker's entry points (wargame/turns/tasks.py), which import what they call.
"""

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from wargame.exercises.models import Exercise, Heartbeat, Team
from wargame.lib.tasks import task_send

log = logging.getLogger(__name__)
TICK = "tick"
# The names of the turn cycle's tasks (wargame/turns/tasks.py).
CLOSE_TURN = "exercises.close_turn"
BOTS_PLAY = "turns.bots_play"
BOTS_ANSWER = "turns.bots_answer"


def close_turn_later(exercise: Exercise, *, reason: str) -> None:
    """Have a worker close the exercise's current turn once this transaction commits."""
    turn = exercise.current_turn
    transaction.on_commit(partial(task_send, CLOSE_TURN, exercise.pk, turn, reason))


def heartbeat_record(name: str = TICK) -> None:
    """Note that a periodic job ran now."""
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})


def scheduler_age() -> float | None:
    """Seconds since beat's tick last ran (on a worker), or None if it never has."""
    at = Heartbeat.objects.filter(name=TICK).values_list("at", flat=True).first()
    return None if at is None else (timezone.now() - at).total_seconds()


def scheduler_running(age: float | None = None, *, missed: int = 3) -> bool:
    """The tick ran within the last `missed` intervals: turns close by themselves and
    reports render in the background. (A second more for the time the tick takes.)"""
    age = scheduler_age() if age is None else age
    return age is not None and age <= missed * settings.CUMBRE_TICK_SECONDS + 1


def turns_due() -> list[tuple[int, int, str]]:
    """Running exercises whose deadline has passed or whose teams are all ready, as
    (exercise id, turn number, reason). The turn is a row with a due time, not a timed
    message, so a lost or duplicated message never loses or doubles a close."""
    not_ready = Team.objects.filter(exercise=OuterRef("pk"), ready=False)
    rows = (
        Exercise.objects.filter(status=Exercise.Status.RUNNING)
        # With auto-advance off the deadline only informs; the facilitator closes the turn.
        .filter(Q(turn_deadline__lte=timezone.now(), auto_advance=True) | ~Exists(not_ready))
        .values_list("pk", "current_turn", "turn_deadline")
    )
    now = timezone.now()
    return [
        (pk, turn, "deadline" if deadline and deadline <= now else "all teams ready")
        for pk, turn, deadline in rows
    ]


def turns_due_enqueue() -> list[tuple[int, int, str]]:
    """Enqueue close_turn for every due turn; closing is idempotent, so a turn enqueued twice
    (by two ticks, or by a tick and the last team to mark itself ready) still closes once."""
    due = turns_due()
    for exercise_id, turn, reason in due:
        task_send(CLOSE_TURN, exercise_id, turn, reason)
    return due
