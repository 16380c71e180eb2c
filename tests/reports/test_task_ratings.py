"""Evaluators rate the critical tasks of each objective; the objective's P / S / M / U is
proposed from those ratings, never from a number averaged out of them; the report carries each
task with its rating and what the evaluator saw."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from wargame.engine.ratings import ORDER, propose_from_tasks
from wargame.exercises.errors import ExerciseError
from wargame.exercises.models import Exercise, Role
from wargame.exercises.services import participant_add
from wargame.reports.model import report_for
from wargame.reports.models import TaskRating
from wargame.reports.selectors import rating_proposal
from wargame.reports.services import task_rate
from wargame.scenarios.models import CriticalTask

User = get_user_model()


@given(st.lists(st.sampled_from(ORDER), min_size=1, max_size=4))
def test_the_proposal_is_a_rating_at_least_half_the_tasks_reach(ratings: list[str]) -> None:
    proposed = propose_from_tasks(ratings)
    assert proposed in ratings  # one of the evaluators' own letters
    rank = ORDER.index(proposed)
    assert sum(ORDER.index(r) <= rank for r in ratings) * 2 >= len(ratings)
    assert sum(ORDER.index(r) >= rank for r in ratings) * 2 > len(ratings) - 1


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [("PPS", "P"), ("PS", "S"), ("PSMU", "M"), ("UUP", "U"), ("S", "S")],
)
def test_the_proposal_of_some_ratings(ratings: str, expected: str) -> None:
    assert propose_from_tasks(list(ratings)) == expected


@pytest.fixture
def evaluator(played: Exercise):
    user = User.objects.create_user("task-evaluator", first_name="Evaluator")
    participant_add(actor=None, exercise=played, user=user, role=Role.EVALUATOR)
    return user


def _tasks(played: Exercise) -> list[CriticalTask]:
    objective = played.scenario.objectives.order_by("position").first()
    return list(objective.tasks.order_by("position"))


@pytest.mark.django_db
def test_the_objectives_proposal_follows_its_rated_tasks(played: Exercise, evaluator) -> None:
    tasks = _tasks(played)
    objective = tasks[0].objective
    before = rating_proposal(played, objective)
    assert before["reasoning"]["basis"] == "record"
    for task, rating in zip(tasks, "PUUU", strict=False):
        task_rate(actor=evaluator, exercise=played, task_id=task.pk, rating=rating,
                  comment=f"Seen on {task.code}.")  # fmt: skip
    after = rating_proposal(played, objective)
    assert after["reasoning"]["basis"] == "tasks"
    assert after["proposed"] == propose_from_tasks(list("PUUU"[: len(tasks)]))
    # Rating a task again replaces its rating.
    task_rate(actor=evaluator, exercise=played, task_id=tasks[1].pk, rating="P")
    assert TaskRating.objects.get(exercise=played, task=tasks[1]).rating == "P"

    analysis = report_for(played, charts=False).analysis[0]
    assert [t.code for t in analysis.tasks] == [t.code for t in tasks]
    assert analysis.tasks[0].line.endswith(": P: Performed without challenges. Seen on T1.")
    assert "Proposed from its critical tasks" in analysis.reasoning


@pytest.mark.django_db
def test_only_evaluators_and_the_facilitator_rate_and_only_the_exercises_tasks(
    played: Exercise, evaluator
) -> None:
    task = _tasks(played)[0]
    player = played.participants.filter(role=Role.PLAYER).first()
    if player is None:
        player_user = User.objects.create_user("task-player")
        participant_add(actor=None, exercise=played, user=player_user, role=Role.PLAYER,
                        team=played.teams.first())  # fmt: skip
    else:
        player_user = player.user
    with pytest.raises(ExerciseError, match="evaluators and facilitator"):
        task_rate(actor=player_user, exercise=played, task_id=task.pk, rating="P")
    other = CriticalTask.objects.exclude(objective__scenario=played.scenario).first()
    assert other is not None
    with pytest.raises(ExerciseError, match="not one of the exercise's"):
        task_rate(actor=evaluator, exercise=played, task_id=other.pk, rating="P")
    with pytest.raises(ExerciseError, match="Choose P, S, M or U"):
        task_rate(actor=evaluator, exercise=played, task_id=task.pk, rating="X")
    with pytest.raises(ExerciseError, match="at most 2000"):
        task_rate(actor=evaluator, exercise=played, task_id=task.pk, rating="S",
                  comment="x" * 2001)  # fmt: skip
    assert not TaskRating.objects.filter(exercise=played).exists()


@pytest.mark.django_db
def test_the_evaluator_rates_a_task_on_the_page_and_a_refusal_keeps_nothing(
    played: Exercise, evaluator, client
) -> None:
    task = _tasks(played)[0]
    client.force_login(evaluator)
    page = client.get(reverse("exercises:evaluate", args=[played.code]))
    assert page.status_code == 200
    assert task.title in page.content.decode()
    url = reverse("exercises:task_rate", args=[played.code, task.pk])
    refused = client.post(url, {"rating": "", "comment": "Late."}, headers={"HX-Request": "true"})
    assert refused.status_code == 204 and "cumbre:error" in refused["HX-Trigger"]
    control = client.post(
        url, {"rating": "S", "comment": "Late.\x07"}, headers={"HX-Request": "true"}
    )
    assert control.status_code == 204 and "cumbre:error" in control["HX-Trigger"]
    assert not TaskRating.objects.filter(exercise=played).exists()
    saved = client.post(url, {"rating": "M", "comment": "Late."})
    assert saved.status_code == 302
    assert TaskRating.objects.get(exercise=played, task=task).comment == "Late."
    # Each objective's tasks fold under it, which says how many of them are rated.
    page = client.get(reverse("exercises:evaluate", args=[played.code])).content.decode()
    folded = page.split(f'id="objective-tasks-{task.objective_id}"')[1].split("</summary>")[0]
    count = task.objective.tasks.count()
    assert f"1 of {count} task" in folded and "open" not in folded.split(">")[0]
    assert client.post(reverse("exercises:task_rate", args=[played.code, 999_999]),
                       {"rating": "M"}).status_code == 302  # fmt: skip
