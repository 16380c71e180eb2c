"""A team's debrief: only what reached the team, in words."""

from collections.abc import Callable

import pytest
from django.urls import reverse

from tests.exercises.conftest import (  # noqa: F401 - the fixtures
    A,
    People,
    client_for,
    fast_passwords,
    people,
    started,
)
from wargame.exercises.models import Exercise

pytestmark = pytest.mark.django_db


def debrief(client: object, exercise: Exercise, nation: str) -> str:
    url = reverse("exercises:debrief", args=[exercise.code, nation])
    return client.get(url).content.decode()


def test_injects_received_are_only_those_delivered(
    started: Exercise,  # noqa: F811
    people: People,  # noqa: F811
    client_for: Callable,  # noqa: F811
) -> None:
    m01, m02 = started.injects.get(code="M-01"), started.injects.get(code="M-02")
    assert m01.delivered_turn == 1 and m02.delivered_turn is None  # M-02 is for turn 3
    page = debrief(client_for(people.player_a), started, A)
    section = page[page.index("Injects you received") :]
    assert m01.title in section
    assert m02.title not in page
