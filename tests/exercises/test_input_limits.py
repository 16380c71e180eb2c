"""Bad input in the control room and the channels gets a clear refusal, never silence."""

import pytest
from django.urls import reverse

from tests.exercises.conftest import A, People
from wargame.exercises.models import INJECT_MESSAGE_MAX_LENGTH, Exercise, Move
from wargame.exercises.services import move_submit
from wargame.negotiation.models import Message
from wargame.turns.services import exercise_end

pytestmark = pytest.mark.django_db


def test_an_inject_message_over_the_limit_is_refused_and_nothing_is_written(
    started: Exercise, people: People, client_for
) -> None:
    url = reverse("exercises:inject_new", args=[started.code])
    data = {"kind": "flood", "title": "Rain", "originator": "Control", "to": [A],
            "severity": "3"}  # fmt: skip
    client = client_for(people.facilitator)
    response = client.post(url, data | {"message": "x" * (INJECT_MESSAGE_MAX_LENGTH + 1)},
                           follow=True)  # fmt: skip
    assert "at most 4000 characters" in response.content.decode()
    assert not started.injects.filter(title="Rain").exists()
    client.post(url, data | {"message": "x" * INJECT_MESSAGE_MAX_LENGTH})
    assert started.injects.filter(title="Rain").exists()


def test_an_unknown_rating_is_refused_with_a_reason(
    started: Exercise, people: People, client_for
) -> None:
    move = move_submit(actor=people.player_a, team=people.team_a, action="public_statement")
    url = reverse("exercises:move_review", args=[started.code, move.pk, "rate"])
    response = client_for(people.facilitator).post(url, {"rating": "brilliant"}, follow=True)
    assert "Choose one of the ratings" in response.content.decode()
    assert Move.objects.get(pk=move.pk).rating == ""


def test_no_message_is_posted_after_the_exercise_has_ended(
    started: Exercise, people: People, client_for
) -> None:
    exercise_end(actor=people.facilitator, exercise=started, reason="Time is up.")
    response = client_for(people.player_a).post(
        reverse("exercises:message_new", args=[started.code]),
        {"channel": "plenary", "body": "Still here?"},
        follow=True,
    )
    assert "the channels are closed" in response.content.decode()
    assert not Message.objects.exists()
