"""The people of an exercise, one of each kind, for the tests of its pages.

Team A is the Dominican Republic and team B Haiti in the minimal scenario: Haiti has the
private briefing and the private part of inject M-01, so a leak to A is easy to see.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from wargame.exercises.models import Exercise, Role, Team
from wargame.exercises.services import exercise_create, participant_add
from wargame.scenarios.models import Scenario
from wargame.turns.services import exercise_start

User = get_user_model()

A, B = "DOM", "HTI"


@dataclass(frozen=True)
class People:
    """Everyone who may knock on an exercise's doors. `anon` is None."""

    player_a: AbstractBaseUser
    player_b: AbstractBaseUser
    evaluator: AbstractBaseUser
    other_facilitator: AbstractBaseUser  # staff, runs another exercise
    facilitator: AbstractBaseUser
    team_a: Team
    team_b: Team

    def by_key(self, key: str) -> AbstractBaseUser | None:
        return {
            "anon": None,
            "A": self.player_a,
            "B": self.player_b,
            "E": self.evaluator,
            "S": self.other_facilitator,
            "F": self.facilitator,
        }[key]


@pytest.fixture
def people(exercise: Exercise, facilitator, minimal_scenario: Scenario) -> People:
    facilitator.is_staff = True  # facilitators create exercises, so they are staff
    facilitator.save(update_fields=["is_staff"])
    team_a = exercise.teams.get(nation_code=A)
    team_b = exercise.teams.get(nation_code=B)
    player_a = User.objects.create_user("player-a", first_name="Ana")
    player_b = User.objects.create_user("player-b", first_name="Bruno")
    evaluator = User.objects.create_user("evaluator", first_name="Eva")
    participant_add(
        actor=facilitator, exercise=exercise, user=player_a, role=Role.PLAYER, team=team_a
    )
    participant_add(
        actor=facilitator, exercise=exercise, user=player_b, role=Role.PLAYER, team=team_b
    )
    participant_add(actor=facilitator, exercise=exercise, user=evaluator, role=Role.EVALUATOR)
    other = User.objects.create_user("other-facilitator", is_staff=True)
    exercise_create(actor=other, scenario=minimal_scenario, title="Another exercise")
    return People(player_a, player_b, evaluator, other, facilitator, team_a, team_b)


@pytest.fixture
def started(exercise: Exercise, people: People) -> Exercise:
    """Turn 1 is open and inject M-01 (with Haiti's private part) has been delivered."""
    exercise_start(actor=people.facilitator, exercise=exercise)
    exercise.refresh_from_db()
    return exercise


@pytest.fixture
def client_for() -> Callable[..., Client]:
    """A browser signed in as the user (anonymous for None)."""

    def make(user: AbstractBaseUser | None, **kwargs: object) -> Client:
        client = Client(**kwargs)
        if user is not None:
            client.force_login(user)
        return client

    return make
