"""Writes of the hotwash: objective ratings, the executive summary, the improvement plan.

Only the exercise's facilitator may make them. Each takes the exercise row lock first, so two
saves arriving together (a double click, two facilitators at the table) apply one after the
other, and records an event, which bumps the exercise's version: report files are drawn
again and open pages refresh.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from wargame.exercises.errors import ExerciseError
from wargame.exercises.models import Exercise
from wargame.exercises.services import event_record
from wargame.exercises.services.base import locked, require_facilitator
from wargame.reports.models import (
    CapabilityElement,
    ExecutiveSummary,
    ImprovementItem,
    ObjectiveRating,
    Observation,
    Rating,
)
from wargame.reports.selectors import rating_proposal
from wargame.scenarios.models import Objective

DATES_OUT_OF_ORDER = _("The completion date cannot be before the start date.")


def departure_reason(proposed: str, rating: str) -> str:
    """Why a rating that departs from the computed proposal is refused without a comment."""
    return _(
        "The proposal is %(proposed)s: say why you rate it %(rating)s. A rating that departs "
        "from the proposal needs a comment."
    ) % {"proposed": proposed, "rating": rating}


def _locked(exercise: Exercise, actor: AbstractBaseUser) -> Exercise:
    exercise = locked(exercise.pk)
    require_facilitator(exercise, actor)
    return exercise


def _next_position(exercise: Exercise) -> int:
    last = ImprovementItem.objects.filter(exercise=exercise).aggregate(last=Max("position"))
    return (last["last"] or 0) + 1


@transaction.atomic
def rating_confirm(
    *,
    actor: AbstractBaseUser,
    exercise: Exercise,
    objective: Objective,
    rating: str,
    comment: str = "",
) -> ObjectiveRating:
    """The facilitator's final P / S / M / U rating of an objective, with a comment, which is
    required when the rating departs from the computed proposal. The proposal and its
    reasoning are kept beside it as they stood at that moment, so the record shows where the
    facilitator departed from the figures."""
    exercise = _locked(exercise, actor)
    if objective.scenario_id != exercise.scenario_id:
        raise ExerciseError(_("This objective is not one of the exercise's."))
    if rating not in Rating.values:
        raise ExerciseError(_("Choose P, S, M or U."))
    proposal = rating_proposal(exercise, objective)
    if rating != proposal["proposed"] and not comment.strip():
        raise ExerciseError(departure_reason(proposal["proposed"], rating))
    saved, _created = ObjectiveRating.objects.update_or_create(
        exercise=exercise,
        objective=objective,
        defaults={
            "proposed": proposal["proposed"],
            "reasoning": proposal["reasoning"],
            "rating": rating,
            "comment": comment.strip(),
            "rated_by": actor,
        },
    )
    event_record(
        exercise, "hotwash.rating_confirmed", actor=actor, objective=objective.pk, rating=rating
    )
    return saved


@transaction.atomic
def summary_save(
    *, actor: AbstractBaseUser, exercise: Exercise, text: str
) -> ExecutiveSummary | None:
    """The executive summary as the facilitator wrote it. An empty text removes it, and the
    report goes back to the generated draft."""
    exercise = _locked(exercise, actor)
    text = text.replace("\r\n", "\n").strip()
    if not text:
        deleted, _rows = ExecutiveSummary.objects.filter(exercise=exercise).delete()
        if deleted:
            event_record(exercise, "hotwash.summary_cleared", actor=actor)
        return None
    summary, _created = ExecutiveSummary.objects.update_or_create(
        exercise=exercise, defaults={"text": text, "edited_by": actor}
    )
    event_record(exercise, "hotwash.summary_saved", actor=actor, summary=summary.pk)
    return summary


@transaction.atomic
def improvement_item_save(
    *,
    actor: AbstractBaseUser,
    exercise: Exercise,
    item: ImprovementItem | None = None,
    objective: Objective | None,
    issue: str,
    core_capability: str = "",
    corrective_action: str = "",
    element: str = "",
    organisation: str = "",
    point_of_contact: str = "",
    start: datetime.date | None = None,
    completion: datetime.date | None = None,
) -> ImprovementItem:
    """Add a row to the improvement plan (no `item`), or change one. A corrective action
    cannot be due before it starts."""
    exercise = _locked(exercise, actor)
    if item is not None and item.exercise_id != exercise.pk:
        raise ExerciseError(_("This row is not in the exercise's improvement plan."))
    if objective is not None and objective.scenario_id != exercise.scenario_id:
        raise ExerciseError(_("This objective is not one of the exercise's."))
    if element and element not in CapabilityElement.values:
        raise ExerciseError(_("Choose a capability element from the list."))
    if not issue.strip():
        raise ExerciseError(_("Say what needs to improve."))
    if start and completion and completion < start:
        raise ExerciseError(DATES_OUT_OF_ORDER)
    values = {
        "objective": objective,
        "core_capability": core_capability.strip(),
        "issue": issue.strip(),
        "corrective_action": corrective_action.strip(),
        "element": element,
        "organisation": organisation.strip(),
        "point_of_contact": point_of_contact.strip(),
        "start": start,
        "completion": completion,
    }
    if item is None:
        item = ImprovementItem.objects.create(
            exercise=exercise, position=_next_position(exercise), **values
        )
        event_record(exercise, "hotwash.item_added", actor=actor, item=item.pk)
        return item
    for name, value in values.items():
        setattr(item, name, value)
    item.save(update_fields=list(values))
    event_record(exercise, "hotwash.item_saved", actor=actor, item=item.pk)
    return item


@transaction.atomic
def improvement_item_delete(
    *, actor: AbstractBaseUser, exercise: Exercise, item: ImprovementItem
) -> None:
    """Remove a row from the improvement plan. An area for improvement it came from goes back
    to those the plan does not cover yet."""
    exercise = _locked(exercise, actor)
    if item.exercise_id != exercise.pk:
        raise ExerciseError(_("This row is not in the exercise's improvement plan."))
    pk = item.pk
    item.delete()
    event_record(exercise, "hotwash.item_deleted", actor=actor, item=pk)


@transaction.atomic
def improvement_plan_prefill(
    *, actor: AbstractBaseUser, exercise: Exercise
) -> list[ImprovementItem]:
    """One plan row for each area for improvement the evaluators recorded that no row covers
    yet, with its objective and its text as the issue. Running it again adds nothing."""
    # Under the lock: two prefills at once would otherwise both find the same areas for
    # improvement uncovered and add each twice.
    exercise = _locked(exercise, actor)
    covered = ImprovementItem.objects.filter(
        exercise=exercise, observation__isnull=False
    ).values_list("observation_id", flat=True)
    observations = list(
        Observation.objects.filter(exercise=exercise, kind=Observation.Kind.IMPROVEMENT)
        .exclude(pk__in=covered)
        .order_by("created_at", "pk")
    )
    if not observations:
        return []
    position = _next_position(exercise)
    objective_ids = set(
        Objective.objects.filter(scenario_id=exercise.scenario_id).values_list("pk", flat=True)
    )
    items = ImprovementItem.objects.bulk_create(
        ImprovementItem(
            exercise=exercise,
            observation=observation,
            objective_id=(
                observation.objective_id if observation.objective_id in objective_ids else None
            ),
            issue=observation.text,
            position=position + index,
        )
        for index, observation in enumerate(observations)
    )
    event_record(exercise, "hotwash.plan_prefilled", actor=actor, added=len(items))
    return items
