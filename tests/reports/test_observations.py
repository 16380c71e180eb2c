"""Observations tied to an objective, a turn, and optionally an inject or a move."""

import pytest
from django.urls import reverse

from tests.reports.test_views import client_for, seats  # noqa: F401 - the fixtures
from wargame.exercises.models import Exercise, Move
from wargame.reports.builder import report_data
from wargame.reports.models import Observation
from wargame.reports.services import observation_record


@pytest.mark.django_db
def test_an_evaluator_ties_an_observation_to_an_inject_and_a_move(
    played: Exercise,
    seats: dict,  # noqa: F811
) -> None:
    inject = played.injects.filter(delivered_turn__isnull=False).order_by("code").first()
    move = (
        Move.objects.filter(exercise=played, turn__number=played.current_turn)
        .exclude(status=Move.Status.WITHDRAWN)
        .first()
    )
    objective = played.scenario.objectives.first()
    page = client_for(seats["evaluator"]).get(reverse("exercises:evaluate", args=[played.code]))
    assert f'value="{inject.pk}"' in page.content.decode()
    assert f'value="{move.pk}"' in page.content.decode()

    response = client_for(seats["evaluator"]).post(
        reverse("exercises:evaluate", args=[played.code]),
        {"kind": "improvement", "objective": objective.pk, "turn": 2, "inject": inject.pk,
         "move": move.pk, "text": "Liaison officers arrived a day late."},
    )  # fmt: skip
    assert response.status_code == 302
    observation = Observation.objects.get(text="Liaison officers arrived a day late.")
    assert (observation.inject, observation.move, observation.turn) == (inject, move, 2)

    row = next(o for o in report_data(played)["observations"] if o["text"] == observation.text)
    assert row["inject"] == inject.code
    assert row["move"] == {
        "turn": played.current_turn,
        "team": move.team.nation_code,
        "key": move.outcome.get("key"),
    }


@pytest.mark.django_db
def test_an_inject_or_move_of_another_exercise_is_not_linked(
    played: Exercise,
    seats: dict,  # noqa: F811
    exercise: Exercise,
) -> None:
    foreign = exercise.injects.first()
    assert foreign is not None
    observation = observation_record(
        actor=seats["evaluator"], exercise=played, kind="strength", objective_id=None,
        text="Good coordination.", inject_id=foreign.pk, move_id=10**9, turn=99,
    )  # fmt: skip
    assert observation.inject is None and observation.move is None
    assert observation.turn == played.current_turn  # a turn not yet played falls back
