"""A team's debrief: only what reached the team, in words."""

from collections.abc import Callable

import pytest
from django.urls import reverse

from tests.exercises.conftest import (  # noqa: F401 - the fixtures
    A,
    People,
    client_for,
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


def test_the_debrief_tells_each_turn_in_the_words_of_the_team_room(
    started: Exercise,  # noqa: F811
    people: People,  # noqa: F811
    client_for: Callable,  # noqa: F811
) -> None:
    from wargame.exercises.services import move_submit
    from wargame.turns.selectors import team_room
    from wargame.turns.services import turn_close

    move_submit(
        actor=people.player_a, team=people.team_a, action="intel_sharing",
        target_team=people.team_b,
    )  # fmt: skip
    assert turn_close(exercise_id=started.pk, turn_number=1, reason="test")
    started.refresh_from_db()
    (report,) = team_room(started, people.team_a).reports
    page = debrief(client_for(people.player_a), started, A).replace("&#x27;", "'")
    assert "Situation report, turn 1" in page
    for line in (*report.outcomes, *report.summary):
        assert line.text in page
    # The moves table names the action, the target and the outcome.
    assert "Intelligence sharing → Haiti" in page
    assert "intel_sharing" not in page and ">success<" not in page and ">failure<" not in page
