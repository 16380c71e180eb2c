"""Exercises in play with a player for every nation, for the tests of negotiation.

`duo` is the minimal scenario (Dominican Republic and Haiti); `trio` a synthetic scenario of
three nations (Argentina, Antigua and Barbuda, the Bahamas) for multilateral agreements.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from tests.factories.scenarios import synthetic_spec
from wargame.exercises.models import Exercise, Role, Team
from wargame.exercises.services import exercise_create, participant_add
from wargame.scenarios.models import Scenario
from wargame.scenarios.services import scenario_load
from wargame.turns.services import exercise_start

User = get_user_model()


@dataclass(frozen=True)
class Table:
    """An exercise and everyone seated at it: one player per nation, an evaluator."""

    exercise: Exercise
    facilitator: AbstractBaseUser
    evaluator: AbstractBaseUser
    players: dict[str, AbstractBaseUser]

    def team(self, code: str) -> Team:
        return self.exercise.teams.get(nation_code=code)

    def fresh(self) -> Exercise:
        self.exercise.refresh_from_db()
        return self.exercise


def seat(exercise: Exercise, facilitator: AbstractBaseUser) -> Table:
    prefix = exercise.code.lower()
    players = {}
    for team in exercise.teams.all():
        user = User.objects.create_user(f"{prefix}-{team.nation_code.lower()}")
        participant_add(
            actor=facilitator, exercise=exercise, user=user, role=Role.PLAYER, team=team
        )
        players[team.nation_code] = user
    evaluator = User.objects.create_user(f"{prefix}-evaluator")
    participant_add(actor=facilitator, exercise=exercise, user=evaluator, role=Role.EVALUATOR)
    return Table(exercise, facilitator, evaluator, players)


@pytest.fixture
def seated(exercise: Exercise, facilitator: AbstractBaseUser) -> Table:
    """The minimal exercise with its people, not started yet."""
    return seat(exercise, facilitator)


@pytest.fixture
def duo(seated: Table) -> Table:
    """The minimal exercise in turn 1."""
    exercise_start(actor=seated.facilitator, exercise=seated.exercise)
    seated.fresh()
    return seated


@pytest.fixture
def trio_scenario(db: None) -> Scenario:
    return scenario_load(synthetic_spec(3, injects=3, turns=4))


@pytest.fixture
def trio(trio_scenario: Scenario, facilitator: AbstractBaseUser) -> Table:
    """A synthetic exercise of three nations (ARG, ATG, BHS) in turn 1."""
    exercise = exercise_create(actor=facilitator, scenario=trio_scenario, seed=11)
    table = seat(exercise, facilitator)
    exercise_start(actor=facilitator, exercise=exercise)
    table.fresh()
    return table
