"""Writes for evaluation."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from wargame.exercises.models import Exercise
from wargame.exercises.services import event_record
from wargame.reports.models import Observation


@transaction.atomic
def observation_record(
    *,
    actor: AbstractBaseUser,
    exercise: Exercise,
    kind: str,
    objective_id: int | None,
    text: str,
) -> Observation:
    """An evaluator's note: a strength or an area for improvement, against an objective."""
    objective_id = (
        exercise.scenario.objectives.filter(pk=objective_id).values_list("pk", flat=True).first()
        if objective_id
        else None
    )
    observation = Observation.objects.create(
        exercise=exercise, evaluator=actor, objective_id=objective_id, kind=kind, text=text,
        turn=exercise.current_turn or None,
    )  # fmt: skip
    event_record(exercise, "observation.recorded", actor=actor, observation=observation.pk)
    return observation
