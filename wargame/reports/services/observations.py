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
    turn: int | None = None,
    inject_id: int | None = None,
    move_id: int | None = None,
) -> Observation:
    """An evaluator's note: a strength or an area for improvement, against an objective, in a
    turn (the current one unless given), optionally about one inject or one move of this
    exercise. Objects of another exercise or scenario are not linked."""
    objective_id = (
        exercise.scenario.objectives.filter(pk=objective_id).values_list("pk", flat=True).first()
        if objective_id
        else None
    )
    inject_id = (
        exercise.injects.filter(pk=inject_id).values_list("pk", flat=True).first()
        if inject_id
        else None
    )
    move = exercise.moves.filter(pk=move_id).select_related("turn").first() if move_id else None
    if turn is None or not 1 <= turn <= max(exercise.current_turn, 1):
        turn = move.turn.number if move else exercise.current_turn or None
    observation = Observation.objects.create(
        exercise=exercise, evaluator=actor, objective_id=objective_id, kind=kind, text=text,
        turn=turn, inject_id=inject_id, move=move,
    )  # fmt: skip
    event_record(exercise, "observation.recorded", actor=actor, observation=observation.pk)
    return observation
