"""The facilitator's hand on the MSEL: deliver now, hold, release, write ad hoc."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from wargame.exercises.errors import WrongState
from wargame.exercises.models import INJECT_MESSAGE_MAX_LENGTH, Exercise, Inject
from wargame.exercises.services.base import locked, require_facilitator, text_within
from wargame.exercises.services.setup import event_record
from wargame.scenarios.catalogue import engine_rules
from wargame.scenarios.models import DeliveryMethod, InjectKind

IN_PLAY = (Exercise.Status.RUNNING, Exercise.Status.PAUSED)


def _deliver(exercise: Exercise, inject: Inject, *, actor: AbstractBaseUser | None) -> None:
    inject.status = Inject.Status.DELIVERED
    inject.delivered_turn = exercise.current_turn
    inject.pressure = engine_rules().initial_pressure(inject.severity)
    inject.save(update_fields=["status", "delivered_turn", "pressure"])
    event_record(
        exercise, "inject.delivered", actor=actor, inject=inject.code, title=inject.title,
        to=list(inject.recipients or ()),
    )  # fmt: skip


@transaction.atomic
def inject_deliver(*, actor: AbstractBaseUser, inject: Inject) -> Inject:
    """Deliver a scheduled or held inject now, ahead of its turn."""
    exercise = locked(inject.exercise_id)
    require_facilitator(exercise, actor)
    inject = Inject.objects.get(pk=inject.pk)
    if exercise.status not in IN_PLAY:
        raise WrongState(_("Injects can be delivered while the exercise is in play."))
    if inject.status not in (Inject.Status.SCHEDULED, Inject.Status.HELD):
        raise WrongState(_("That inject has already been delivered or skipped."))
    _deliver(exercise, inject, actor=actor)
    return inject


@transaction.atomic
def inject_hold(*, actor: AbstractBaseUser, inject: Inject) -> Inject:
    """Keep a scheduled inject back: it is not delivered at its turn until released."""
    exercise = locked(inject.exercise_id)
    require_facilitator(exercise, actor)
    inject = Inject.objects.get(pk=inject.pk)
    if inject.status != Inject.Status.SCHEDULED:
        raise WrongState(_("Only a scheduled inject can be held."))
    inject.status = Inject.Status.HELD
    inject.save(update_fields=["status"])
    event_record(exercise, "inject.held", actor=actor, inject=inject.code)
    return inject


@transaction.atomic
def inject_release(*, actor: AbstractBaseUser, inject: Inject) -> Inject:
    """Put a held inject back on the MSEL; if its turn has come, it is delivered now."""
    exercise = locked(inject.exercise_id)
    require_facilitator(exercise, actor)
    inject = Inject.objects.get(pk=inject.pk)
    if inject.status != Inject.Status.HELD:
        raise WrongState(_("That inject is not held."))
    if exercise.status in IN_PLAY and inject.turn <= exercise.current_turn:
        _deliver(exercise, inject, actor=actor)
    else:
        inject.status = Inject.Status.SCHEDULED
        inject.save(update_fields=["status"])
        event_record(exercise, "inject.released", actor=actor, inject=inject.code)
    return inject


@transaction.atomic
def inject_write(
    *,
    actor: AbstractBaseUser,
    exercise: Exercise,
    kind: str,
    title: str,
    message: str,
    originator: str = "Control",
    to: list[str] | None = None,
    affects: list[str] | None = None,
    severity: int = 3,
    expected_actions: list[str] | None = None,
    method: str = DeliveryMethod.BRIEFING,
) -> Inject:
    """Write an ad hoc inject and deliver it at once."""
    exercise = locked(exercise.pk)
    require_facilitator(exercise, actor)
    if exercise.status not in IN_PLAY:
        raise WrongState(_("Injects can be delivered while the exercise is in play."))
    codes = set(exercise.teams.values_list("nation_code", flat=True))
    to = list(to or [])
    affects = list(affects) if affects is not None else (to or sorted(codes))
    if kind not in InjectKind.values:
        raise WrongState(_("Unknown kind of inject."))
    if not title.strip() or not message.strip():
        raise WrongState(_("An inject needs a title and a message."))
    text_within(message, INJECT_MESSAGE_MAX_LENGTH, _("An inject's message"))
    if not 1 <= severity <= 5:
        raise WrongState(_("Severity runs from 1 to 5."))
    if not set(to) <= codes or not set(affects) <= codes:
        raise WrongState(_("Name only nations of this exercise."))
    number = exercise.injects.filter(template__isnull=True).count() + 1
    inject = Inject.objects.create(
        exercise=exercise,
        code=f"ADHOC-{number:02d}",
        turn=exercise.current_turn,
        kind=kind,
        originator=originator,
        recipients=to,
        method=method,
        title=title,
        message=message,
        affects=affects,
        severity=severity,
        expected_actions=list(expected_actions or []),
    )
    _deliver(exercise, inject, actor=actor)
    return inject
