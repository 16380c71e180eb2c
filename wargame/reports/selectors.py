"""Reads for evaluation: the objectives' rating proposals and what the hotwash shows.

Each reads an exercise in a fixed number of queries, whatever its number of teams,
objectives, injects, observations or improvement plan rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats

from wargame.engine.ratings import WEIGHTS, InjectRecord, propose_from_tasks, propose_rating
from wargame.exercises.models import Exercise, Inject
from wargame.lib.languages import translated, translations_of
from wargame.reports.models import (
    ExecutiveSummary,
    ImprovementItem,
    ObjectiveRating,
    Observation,
    Rating,
    TaskRating,
)
from wargame.scenarios.models import CriticalTask, Objective, ScenarioNation


@dataclass(frozen=True)
class _Proposal:
    objective: Objective
    row: dict[str, Any]  # the report's rating row
    holders: list[str]  # the exercise's nations that hold the objective
    injects: list[InjectRecord]  # the exercise's injects that test it
    saved: ObjectiveRating | None


def _proposals(exercise: Exercise) -> list[_Proposal]:
    """Eight queries: objectives, nations, who holds what, teams, injects, saved ratings,
    critical tasks and their ratings."""
    scenario_id = exercise.scenario_id
    objectives = list(Objective.objects.filter(scenario_id=scenario_id).order_by("position"))
    starting = dict(
        ScenarioNation.objects.filter(scenario_id=scenario_id).values_list("code", "stability")
    )
    holders: dict[int, list[str]] = defaultdict(list)
    for objective_id, code in (
        ScenarioNation.objectives.through.objects.filter(scenarionation__scenario_id=scenario_id)
        .order_by("scenarionation__position", "scenarionation_id")
        .values_list("objective_id", "scenarionation__code")
    ):
        holders[objective_id].append(code)
    ending = dict(exercise.teams.values_list("nation_code", "stability"))
    records: dict[int, list[InjectRecord]] = defaultdict(list)
    for code, delivered, answered, status, objective_id in (
        Inject.objects.filter(exercise=exercise, template__objective__isnull=False)
        .order_by("turn", "pk")
        .values_list("code", "delivered_turn", "answered_turn", "status", "template__objective_id")
    ):
        records[objective_id].append(
            InjectRecord(code, delivered, answered, status == Inject.Status.SKIPPED)
        )
    saved_ratings = {
        r.objective_id: r
        for r in ObjectiveRating.objects.filter(exercise=exercise).select_related("rated_by")
    }

    tasks = _task_rows(exercise)
    proposals = []
    for objective in objectives:
        # Only nations in play count: a scenario nation no team plays has no end.
        held = [code for code in holders[objective.pk] if code in ending and code in starting]
        injects = records[objective.pk]
        proposed, reasoning = propose_rating(
            injects,
            [starting[code] for code in held],
            [ending[code] for code in held],
            last_turn=exercise.current_turn,
        )
        # Once evaluators have rated its critical tasks, the proposal follows them; the
        # record's figures stay beside it.
        own = [
            {
                "task": row.task.code,
                "title": row.task.title,
                "translations": translations_of(row.task.translations, "title"),
                "rating": row.rating.rating if row.rating else None,
                "comment": row.rating.comment if row.rating else "",
            }
            for row in tasks[objective.pk]
        ]
        rated_tasks = [task["rating"] for task in own if task["rating"]]
        reasoning["tasks"] = own
        reasoning["basis"] = "tasks" if rated_tasks else "record"
        if rated_tasks:
            proposed = propose_from_tasks(rated_tasks)
        saved = saved_ratings.get(objective.pk)
        row = {
            "objective": objective.code,
            "title": objective.title,
            "capability": objective.capability,
            "translations": translations_of(objective.translations, "title", "capability"),
            "proposed": proposed,
            "reasoning": reasoning,
            "rating": saved.rating if saved and saved.rating else None,
            "comment": saved.comment if saved else "",
        }
        proposals.append(_Proposal(objective, row, held, injects, saved))
    return proposals


def rating_proposals(exercise: Exercise) -> list[dict[str, Any]]:
    """Each objective's computed P / S / M / U proposal with its reasoning, and the rating and
    comment the facilitator confirmed at the hotwash (None and "" until then), in the order of
    the scenario's objectives. Eight queries, whatever the size of the exercise."""
    return [proposal.row for proposal in _proposals(exercise)]


def rating_proposal(exercise: Exercise, objective: Objective) -> dict[str, Any]:
    """One objective's row of `rating_proposals`."""
    return next(p.row for p in _proposals(exercise) if p.objective.pk == objective.pk)


@dataclass(frozen=True)
class Factor:
    """One term of an objective's score: its value 0..1, its weight and what it adds."""

    name: str
    value: float
    weight: float

    @property
    def contribution(self) -> float:
        return round(self.value * self.weight, 3)


@dataclass
class ObjectiveReview:
    """An objective as the hotwash weighs it."""

    objective: Objective
    proposal: dict[str, Any]
    holders: list[str]
    injects: list[InjectRecord]
    saved: ObjectiveRating | None
    factors: list[Factor]
    strengths: list[Observation] = field(default_factory=list)
    improvements: list[Observation] = field(default_factory=list)

    @property
    def final(self) -> str:
        """The rating the report carries: the confirmed one, else the proposal."""
        return self.proposal["rating"] or self.proposal["proposed"]

    @property
    def final_label(self) -> str:
        return Rating(self.final).label

    @property
    def proposed_label(self) -> str:
        return Rating(self.proposal["proposed"]).label

    @property
    def stability_change(self) -> str:
        """The change in mean stability with its sign, as figures are written: "+3.5", "−2.0"."""
        change = self.proposal["reasoning"]["stability_change"]
        sign = "+" if change > 0 else "−" if change < 0 else "±"
        return sign + formats.number_format(abs(change), 1)

    @property
    def confirmed(self) -> bool:
        return bool(self.proposal["rating"])

    @property
    def from_tasks(self) -> bool:
        """Whether the proposal follows the evaluators' ratings of the critical tasks."""
        return self.proposal["reasoning"].get("basis") == "tasks"

    @property
    def tasks(self) -> list[dict[str, str]]:
        """The critical tasks in the reader's language, with their ratings."""
        return [
            {
                "code": task["task"],
                "title": translated(task["title"], task["translations"], "title"),
                "rating": task["rating"] or "",
                "label": Rating(task["rating"]).label if task["rating"] else "",
                "comment": task["comment"],
            }
            for task in self.proposal["reasoning"].get("tasks", [])
        ]


@dataclass
class Hotwash:
    """Everything the hotwash page shows, but the generated summary draft."""

    objectives: list[ObjectiveReview]
    unassigned: list[Observation]  # observations against no objective
    plan: list[ImprovementItem]
    summary: ExecutiveSummary | None
    improvements_unplanned: int  # areas for improvement that have no plan row yet


def hotwash(exercise: Exercise) -> Hotwash:
    """The objectives with their proposals, reasoning and observations; the improvement plan;
    the facilitator's executive summary if any. Twelve queries, whatever the size."""
    reviews = {
        proposal.objective.pk: ObjectiveReview(
            objective=proposal.objective,
            proposal=proposal.row,
            holders=proposal.holders,
            injects=proposal.injects,
            saved=proposal.saved,
            factors=_factors(proposal.row["reasoning"]),
        )
        for proposal in _proposals(exercise)
    }
    unassigned = []
    linked = set(
        ImprovementItem.objects.filter(exercise=exercise, observation__isnull=False).values_list(
            "observation_id", flat=True
        )
    )
    unplanned = 0
    for observation in (
        Observation.objects.filter(exercise=exercise)
        .select_related("evaluator")
        .order_by("created_at", "pk")
    ):
        review = reviews.get(observation.objective_id)
        if review is None:
            unassigned.append(observation)
        elif observation.kind == Observation.Kind.STRENGTH:
            review.strengths.append(observation)
        else:
            review.improvements.append(observation)
        if observation.kind == Observation.Kind.IMPROVEMENT and observation.pk not in linked:
            unplanned += 1
    plan = list(
        ImprovementItem.objects.filter(exercise=exercise)
        .select_related("objective")
        .order_by("position", "pk")
    )
    summary = ExecutiveSummary.objects.filter(exercise=exercise).select_related("edited_by").first()
    return Hotwash(list(reviews.values()), unassigned, plan, summary, unplanned)


def _factors(reasoning: dict[str, Any]) -> list[Factor]:
    return [
        Factor("answered", reasoning["answered_share"], WEIGHTS["answered"]),
        Factor("timeliness", reasoning["timeliness"], WEIGHTS["timeliness"]),
        Factor("outcome", reasoning["outcome"], WEIGHTS["outcome"]),
    ]


@dataclass(frozen=True)
class TaskRow:
    """A critical task with the rating it has in the exercise (None until it is rated)."""

    task: CriticalTask
    rating: TaskRating | None


@dataclass(frozen=True)
class ObjectiveTasks:
    objective: Objective
    tasks: list[TaskRow]

    @property
    def rated(self) -> int:
        return sum(row.rating is not None for row in self.tasks)


def critical_tasks(exercise: Exercise) -> list[ObjectiveTasks]:
    """Each objective of the exercise's scenario with its critical tasks and their ratings in
    this exercise, in the scenario's order. Three queries, whatever the size."""
    objectives = list(Objective.objects.filter(scenario_id=exercise.scenario_id))
    tasks = _task_rows(exercise)
    return [ObjectiveTasks(objective, tasks[objective.pk]) for objective in objectives]


def _task_rows(exercise: Exercise) -> dict[int, list[TaskRow]]:
    """The critical tasks of the exercise's scenario with their ratings, by objective, in
    order. Two queries."""
    ratings = {rating.task_id: rating for rating in TaskRating.objects.filter(exercise=exercise)}
    tasks: dict[int, list[TaskRow]] = defaultdict(list)
    for task in CriticalTask.objects.filter(objective__scenario_id=exercise.scenario_id):
        tasks[task.objective_id].append(TaskRow(task, ratings.get(task.pk)))
    return tasks
