"""Writes for evaluation."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from wargame.exercises.errors import ExerciseError
from wargame.exercises.models import Exercise, Role
from wargame.exercises.services import event_record
from wargame.exercises.services.base import locked
from wargame.reports.models import Observation, Rating, TaskRating
from wargame.scenarios.models import CriticalTask

COMMENT_MAX_LENGTH = 2_000


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


@transaction.atomic
def task_rate(
    *, actor: AbstractBaseUser, exercise: Exercise, task_id: int, rating: str, comment: str = ""
) -> TaskRating:
    """An evaluator's (or the facilitator's) P / S / M / U rating of one critical task of the
    exercise's scenario, with what they saw; rating it again replaces the rating."""
    exercise = locked(exercise.pk)
    if not exercise.participants.filter(
        user=actor, role__in=(Role.EVALUATOR, Role.FACILITATOR)
    ).exists():
        raise ExerciseError(_("Only the exercise's evaluators and facilitator rate its tasks."))
    task = CriticalTask.objects.filter(pk=task_id, objective__scenario_id=exercise.scenario_id)
    task = task.select_related("objective").first()
    if task is None:
        raise ExerciseError(_("This critical task is not one of the exercise's."))
    if rating not in Rating.values:
        raise ExerciseError(_("Choose P, S, M or U."))
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ExerciseError(
            _("The comment is %(length)s characters long; at most %(limit)s.")
            % {"length": len(comment), "limit": COMMENT_MAX_LENGTH}
        )
    saved, _created = TaskRating.objects.update_or_create(
        exercise=exercise,
        task=task,
        defaults={"rating": rating, "comment": comment, "rated_by": actor},
    )
    event_record(
        exercise, "task.rated", actor=actor, objective=task.objective.code, task=task.code,
        rating=rating,
    )  # fmt: skip
    return saved
