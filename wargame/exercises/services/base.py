"""What every write to an exercise starts with: the row lock, the facilitator check, the limits.

Every function that changes an exercise takes the exercise row lock first
(`select_for_update`), so that the clock (Celery), the facilitator and players' requests that
arrive at the same moment are applied one after the other, each seeing the result of the last.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from wargame.exercises.errors import NotAllowed, WrongState
from wargame.exercises.models import Exercise, Participant, Role
from wargame.lib.text import control_character


def locked(exercise_id: int) -> Exercise:
    """The exercise, with its row locked until the end of the transaction.

    Only the exercise row: the scenario is read along with it but not locked, or every
    exercise of the same scenario would wait for the others."""
    return (
        Exercise.objects.select_for_update(of=("self",))
        .select_related("scenario")
        .get(pk=exercise_id)
    )


def require_facilitator(exercise: Exercise, actor: AbstractBaseUser | None) -> None:
    """Only the exercise's facilitators (and the system, actor None) may run the clock."""
    if actor is None:
        return
    is_facilitator = Participant.objects.filter(
        exercise=exercise, user=actor, role=Role.FACILITATOR
    ).exists()
    if not is_facilitator:
        raise NotAllowed(_("Only the exercise's facilitator can do this."))


def text_within(text: str, limit: int, what: str) -> str:
    """`text`, if it is at most `limit` characters and holds no control character but tabs
    and line breaks; otherwise a refusal that says so (nothing is cut off or stripped behind
    the writer's back). `what` names the text for the writer."""
    if len(text) > limit:
        raise WrongState(
            _("%(what)s is at most %(max)s characters; this one has %(n)s.")
            % {"what": what, "max": limit, "n": len(text)}
        )
    if (character := control_character(text)) is not None:
        raise WrongState(
            _("%(what)s contains the control character %(character)s; remove it.")
            % {"what": what, "character": character}
        )
    return text
