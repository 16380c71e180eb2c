"""Personal data can be removed: a facilitator deletes an ended exercise with everything in
it, after its report is offered; a setting deletes exercises that ended long ago."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.exercises.conftest import People
from wargame.exercises.models import Event, Exercise, Move, Participant
from wargame.exercises.services import exercise_create, move_submit
from wargame.exercises.services.setup import exercises_expire
from wargame.exercises.tasks import expire_ended
from wargame.turns.services import exercise_end

pytestmark = pytest.mark.django_db


def test_the_facilitator_deletes_an_ended_exercise_after_its_report_is_offered(
    started: Exercise, people: People, client_for
) -> None:
    move_submit(actor=people.player_a, team=people.team_a, action="public_statement")
    url = reverse("exercises:delete", args=[started.code])
    client = client_for(people.facilitator)
    # While people play, it cannot go.
    refused = client.post(url, {"title": started.title})
    assert refused.status_code == 400 and "End the exercise first" in refused.content.decode()
    exercise_end(actor=people.facilitator, exercise=started, reason="Time is up.")
    control = client.get(reverse("exercises:control", args=[started.code])).content.decode()
    assert url in control
    page = client.get(url).content.decode()
    assert reverse("exercises:report", args=[started.code, "pdf"]) in page
    wrong = client.post(url, {"title": "Another title"})
    assert wrong.status_code == 400 and "title exactly" in wrong.content.decode()
    assert Exercise.objects.filter(pk=started.pk).exists()
    done = client.post(url, {"title": started.title})
    assert done.status_code == 302 and done["Location"] == reverse("home")
    assert not Exercise.objects.filter(pk=started.pk).exists()
    for model in (Event, Move, Participant):
        assert not model.objects.filter(exercise_id=started.pk).exists(), model


def test_only_its_facilitator_deletes_an_exercise(
    started: Exercise, people: People, client_for
) -> None:
    exercise_end(actor=people.facilitator, exercise=started, reason="Time is up.")
    url = reverse("exercises:delete", args=[started.code])
    for user in (people.player_a, people.evaluator):
        assert client_for(user).post(url, {"title": started.title}).status_code == 403
    assert Exercise.objects.filter(pk=started.pk).exists()


def test_exercises_that_ended_long_ago_are_deleted_when_the_setting_is_on(
    minimal_scenario, facilitator, settings
) -> None:
    def ended(days_ago: int | None) -> Exercise:
        exercise = exercise_create(actor=facilitator, scenario=minimal_scenario, seed=days_ago or 0)
        if days_ago is not None:
            exercise_end(actor=facilitator, exercise=exercise, reason="Time is up.")
            finished_at = timezone.now() - timedelta(days=days_ago)
            Exercise.objects.filter(pk=exercise.pk).update(finished_at=finished_at)
        return exercise

    old, recent, open_one = ended(40), ended(5), ended(None)
    settings.CUMBRE_DELETE_ENDED_AFTER_DAYS = 0
    assert expire_ended() == []  # off by default: nothing goes
    assert exercises_expire(30) == [old.code]
    assert set(Exercise.objects.values_list("code", flat=True)) == {recent.code, open_one.code}
    settings.CUMBRE_DELETE_ENDED_AFTER_DAYS = 3
    assert expire_ended() == [recent.code]
    assert expire_ended() == []  # sent again, nothing more
