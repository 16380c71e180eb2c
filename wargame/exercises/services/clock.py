"""What the clock does: find turns that are due and have them closed by a worker."""

from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from wargame.exercises.models import Exercise, Team


def close_turn_later(exercise: Exercise, *, reason: str) -> None:
    """Have a worker close the exercise's current turn once this transaction commits."""
    from wargame.exercises.tasks import close_turn

    transaction.on_commit(partial(close_turn.delay, exercise.pk, exercise.current_turn, reason))


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
    from wargame.exercises.tasks import close_turn

    due = turns_due()
    for exercise_id, turn, reason in due:
        close_turn.delay(exercise_id, turn, reason)
    return due
