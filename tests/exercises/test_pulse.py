"""The pulse: pages poll it every two seconds, so it answers from the cache alone."""

import json
import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from tests.exercises.conftest import A, B, People
from wargame.exercises import pulse
from wargame.exercises.models import Exercise
from wargame.exercises.pulse import pulse_key, pulse_read
from wargame.exercises.services import move_submit
from wargame.negotiation.models import Channel
from wargame.negotiation.services import message_send
from wargame.turns.services import exercise_start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    # The cache is a folder that outlives the test database; start from nothing, and read it
    # on every poll rather than keep what it said for a moment.
    cache.clear()
    monkeypatch.setattr(pulse, "MEMO_SECONDS", 0)


def pulse_url(exercise: Exercise, version: int) -> str:
    key = pulse_key(exercise.code)
    return reverse("exercises:pulse", args=[exercise.code]) + f"?v={version}&k={key}"


def version_of(exercise: Exercise) -> int:
    return Exercise.objects.values_list("version", flat=True).get(pk=exercise.pk)


def triggered(response) -> set[str]:
    return set(json.loads(response["HX-Trigger"]))


def test_no_change_is_204_without_a_query(
    exercise: Exercise, people: People, client_for, django_assert_num_queries
) -> None:
    seen = version_of(exercise)
    # The cache has no state for the exercise (as after a Redis restart): the first poll asks
    # the database once and puts the state back.
    with django_assert_num_queries(1):
        assert client_for(None).get(pulse_url(exercise, seen)).status_code == 204
    # A signed-in player polls with a session cookie: the session must not be loaded either.
    for client in (client_for(None), client_for(people.player_a)):
        with django_assert_num_queries(0):
            response = client.get(pulse_url(exercise, seen))
        assert response.status_code == 204
        assert response.content == b""


def test_a_move_is_announced_on_commit_with_its_topic(
    exercise: Exercise,
    people: People,
    client_for,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        exercise_start(actor=people.facilitator, exercise=exercise)
    seen = version_of(exercise)
    client = client_for(people.player_a)
    with django_assert_num_queries(0):
        assert client.get(pulse_url(exercise, seen)).status_code == 204

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        move_submit(actor=people.player_b, team=people.team_b, action="public_statement")
    # Not before the commit: a page must not reload to find the move not there yet.
    assert client.get(pulse_url(exercise, seen)).status_code == 204
    for callback in callbacks:
        callback()

    with django_assert_num_queries(0):
        response = client.get(pulse_url(exercise, seen))
    assert response.status_code == 200
    assert triggered(response) == {"cumbre:moves"}
    new = version_of(exercise)
    assert new > seen
    html = response.content.decode()
    assert html.strip().startswith('<div id="pulse"')
    assert f'hx-get="{pulse_url(exercise, new).replace("&", "&amp;")}"' in html
    assert f'data-version="{new}"' in html

    # The new poller, asking with the new version, hears nothing more.
    with django_assert_num_queries(0):
        assert client.get(pulse_url(exercise, new)).status_code == 204


def test_an_old_version_is_told_a_turn_changed_which_reloads_everything(
    exercise: Exercise, people: People, client_for, django_capture_on_commit_callbacks
) -> None:
    seen = version_of(exercise)
    with django_capture_on_commit_callbacks(execute=True):
        exercise_start(actor=people.facilitator, exercise=exercise)
        move_submit(actor=people.player_a, team=people.team_a, action="public_statement")
    response = client_for(people.player_a).get(pulse_url(exercise, seen))
    assert response.status_code == 200
    assert triggered(response) == {"cumbre:turn"}
    assert f'data-version="{version_of(exercise)}"' in response.content.decode()


def test_a_page_carries_the_poller_with_its_version(
    exercise: Exercise, people: People, client_for
) -> None:
    page = client_for(people.facilitator).get(reverse("exercises:control", args=[exercise.code]))
    version = version_of(exercise)
    assert f'hx-get="{pulse_url(exercise, version).replace("&", "&amp;")}"' in page.content.decode()


def test_a_version_that_is_not_a_number_counts_as_zero(
    exercise: Exercise, client_for, django_assert_num_queries
) -> None:
    url = reverse("exercises:pulse", args=[exercise.code]) + f"?v=abc&k={pulse_key(exercise.code)}"
    client_for(None).get(url)  # the state back in the cache
    with django_assert_num_queries(0):
        response = client_for(None).get(url)
    assert response.status_code == 200  # everything is news to a page at version 0
    assert f"?v={version_of(exercise)}" in response.content.decode()
    assert triggered(response) == {"cumbre:turn"}


# --- Two changes at the same moment -----------------------------------------------------------

ROUNDS = 50


@pytest.mark.django_db(transaction=True)  # each thread commits on its own connection
def test_two_players_posting_at_the_same_moment_lose_no_topic_and_no_version(
    exercise: Exercise, people: People
) -> None:
    """Two players of two nations post in their team channels at the same moment, 50 times.
    Each post is a new version of its nation's "messages": none is lost, in the database or
    in the cache's copy, and the copy's version never goes down (on SQLite and, when
    DATABASE_URL is set, on PostgreSQL)."""
    exercise_start(actor=people.facilitator, exercise=exercise)
    # The two players and this thread start each round together, and end it together once
    # both posts are committed and their copies stored.
    rounds = threading.Barrier(3, timeout=120)
    failures: list[BaseException] = []

    def post(player) -> None:
        try:
            for n in range(ROUNDS):
                rounds.wait()
                message_send(actor=player, exercise=exercise, channel=Channel.TEAM, body=str(n))
                rounds.wait()
        except BaseException as error:  # reported by the test's thread
            failures.append(error)
            rounds.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(p,)) for p in (people.player_a, people.player_b)]
    for thread in threads:
        thread.start()
    lost, backwards, copy_behind = [], [], []
    last = version_of(exercise)
    try:
        for n in range(ROUNDS):
            rounds.wait()
            rounds.wait()
            version, topics = Exercise.objects.values_list("version", "pulse").get(pk=exercise.pk)
            copy = pulse_read(exercise.code)
            assert version == last + 2
            for where, state in (("database", topics), ("cache", copy)):
                posts = {state["teams"][nation]["messages"] for nation in (A, B)}
                if posts != {last + 1, last + 2}:
                    lost.append((n, where, posts))
            if copy["v"] < last:
                backwards.append((n, copy["v"], last))
            if copy["v"] != version:
                copy_behind.append((n, copy["v"], version))
            last = version
    except BaseException:
        rounds.abort()  # a failed check here frees the players' threads at once
        raise
    finally:
        for thread in threads:
            thread.join(timeout=120)
    assert not failures, failures
    assert not lost, f"{len(lost)} of {ROUNDS} rounds lost a post: {lost[:5]}"
    assert not backwards and not copy_behind, (backwards[:5], copy_behind[:5])


SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


def test_the_pulse_answers_with_the_security_headers_of_pages(
    exercise: Exercise, client_for
) -> None:
    page = client_for(None).get(reverse("home"))
    for answer in (
        client_for(None).get(pulse_url(exercise, 0)),  # news
        client_for(None).get(pulse_url(exercise, version_of(exercise))),  # no change (204)
        client_for(None).get(reverse("exercises:pulse", args=[exercise.code])),  # refused
    ):
        for header in SECURITY_HEADERS:
            assert answer.headers.get(header) == page.headers[header], (answer, header)


def test_without_its_key_the_pulse_says_nothing_of_which_codes_exist(
    exercise: Exercise, client_for
) -> None:
    answers = []
    for code, key in (
        (exercise.code, ""),
        (exercise.code, pulse_key("another")),
        ("nosuchcode", ""),
        ("nosuchcode", pulse_key(exercise.code)),
    ):
        url = reverse("exercises:pulse", args=[code])
        response = client_for(None).get(url, {"v": 0, "k": key})
        answers.append((response.status_code, response.content))
    assert answers == [(403, b"")] * 4
    # A page of the exercise carries the key, and with it the pulse answers.
    assert client_for(None).get(pulse_url(exercise, 0)).status_code == 200
