"""Closing a turn takes a fixed number of queries, however many teams, moves and agreements.

The benchmark (bench/turns.py) times the same situation; docs/performance.md has its figures.
"""

import pytest

from tests.factories.exercises import SyntheticTurn, synthetic_exercise
from tests.factories.scenarios import synthetic_spec
from wargame.exercises.models import Event, Exercise, Move
from wargame.scenarios.services import scenario_load
from wargame.turns.services import turn_close

pytestmark = pytest.mark.django_db

# Closing, adjudicating and publishing turn 1 and opening turn 2, measured: 26 queries with
# the savepoint around the close, on SQLite and on PostgreSQL. A little room for a new
# constant query; none for one per team, move, inject or agreement.
CLOSE_QUERIES = 31


def _close(situation: SyntheticTurn, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(CLOSE_QUERIES) as captured:
        assert turn_close(exercise_id=situation.exercise.pk, turn_number=1, reason="test")
    exercise = Exercise.objects.get(pk=situation.exercise.pk)
    assert (exercise.status, exercise.current_turn) == (Exercise.Status.RUNNING, 2)
    assert not exercise.moves.filter(status=Move.Status.SUBMITTED).exists()
    adjudicated = Event.objects.filter(exercise=exercise, kind="move.adjudicated").count()
    assert adjudicated == situation.moves
    return len(captured)


def test_closing_a_turn_takes_as_many_queries_for_12_nations_as_for_5(
    facilitator, django_assert_max_num_queries
) -> None:
    counts = {}
    for nations in (5, 12):
        situation = synthetic_exercise(
            scenario_load(synthetic_spec(nations)), facilitator=facilitator
        )
        assert (situation.moves, situation.agreements, situation.open_injects) == (
            6 * nations, 20, 30
        )  # fmt: skip
        counts[nations] = _close(situation, django_assert_max_num_queries)
    assert counts[12] == counts[5]


def test_queries_do_not_grow_with_moves_or_agreements(
    facilitator, django_assert_max_num_queries
) -> None:
    scenario = scenario_load(synthetic_spec(5))
    quiet = synthetic_exercise(scenario, facilitator=facilitator, moves_per_team=1, agreements=1)
    busy = synthetic_exercise(scenario, facilitator=facilitator, moves_per_team=6, agreements=20)
    assert _close(busy, django_assert_max_num_queries) == _close(
        quiet, django_assert_max_num_queries
    )


def test_the_same_seed_builds_the_same_turn(facilitator) -> None:
    scenario = scenario_load(synthetic_spec(5, injects=10, turns=2))
    first, second = (
        synthetic_exercise(scenario, facilitator=facilitator, seed=3, agreements=4)
        for _ in range(2)
    )

    def moves(situation: SyntheticTurn) -> list[tuple]:
        return list(
            situation.exercise.moves.order_by("pk").values_list(
                "team__nation_code",
                "action_type__code",
                "target_team__nation_code",
                "target_inject__code",
                "resources",
                "counter_to__team__nation_code",
            )
        )

    assert len(moves(first)) == 30
    assert moves(first) == moves(second)
