"""A team's players share one rendering of their room's regions (wargame/web/shared.py): what
each of them must hold alone stays theirs, and a change reaches every one of them."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.exercises.conftest import A, B, People
from tests.exercises.test_views import body_csrf_token, htmx, share_rooms
from tests.web.test_health import UNREACHABLE
from wargame.exercises import pulse
from wargame.exercises.models import Exercise, Role
from wargame.exercises.services import inject_write, move_submit, participant_add
from wargame.negotiation.models import Channel
from wargame.negotiation.services import message_send, proposal_create
from wargame.scenarios.models import Scenario, ScenarioNation
from wargame.turns.tasks import close_turn
from wargame.web import rooms
from wargame.web.regions import PAGES
from wargame.web.shared import (
    ONCE,
    PLACEHOLDER,
    control_regions,
    room_regions,
    templates_fingerprint,
)
from wargame.web.tasks import rooms_render_ahead

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture(autouse=True)
def fresh_pulse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pulse, "MEMO_SECONDS", 0)


@pytest.fixture
def teammate(started: Exercise, people: People) -> User:
    """A second player of team A."""
    user = User.objects.create_user("player-a2", first_name="Alba")
    participant_add(
        actor=people.facilitator, exercise=started, user=user, role=Role.PLAYER, team=people.team_a
    )
    share_rooms(started)
    return user


def room_url(exercise: Exercise, nation: str = A) -> str:
    return reverse("exercises:team", args=[exercise.code, nation])


def form_values(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]*)"', html)


def one_page_twice(client_for, url: str, users: tuple[User, User], tables: set[str]):
    """Two people who see the same page ask for it in turn: the first renders the regions,
    the second is served the copies and reads none of `tables`. Apart from what each answer
    holds alone (tokens, keys, the name of who is signed in) the two pages are the same.
    Returns their browsers and pages."""
    first, second = (client_for(user, enforce_csrf_checks=True) for user in users)
    with CaptureQueriesContext(connection) as rendered:
        page_1 = first.get(url).content.decode()
    with CaptureQueriesContext(connection) as shared:
        page_2 = second.get(url).content.decode()
    for table in tables:
        assert [q for q in rendered if table in q["sql"]], table
        assert not [q for q in shared if table in q["sql"]], table
    assert PLACEHOLDER not in page_1 + page_2 and ONCE not in page_1 + page_2
    strip = re.compile(r'(csrfmiddlewaretoken" value="|idempotency_key" value=")[^"]*"')
    body = re.compile(r"<body[^>]*>|<span class=\"who\">[^<]*</span>")
    assert body.sub("", strip.sub(r"\1", page_1)) == body.sub("", strip.sub(r"\1", page_2))
    return (first, second), (page_1, page_2)


def test_teammates_share_the_rendering_each_with_their_own_tokens(
    started: Exercise, people: People, teammate: User, client_for
) -> None:
    # The second player's page asks nothing about injects, moves, reports or agreements.
    (first, second), (page_1, page_2) = one_page_twice(
        client_for, room_url(started), (people.player_a, teammate),
        {"exercises_inject", "exercises_move", "negotiation_agreement"},
    )  # fmt: skip
    key_1, key_2 = form_values(page_1, "idempotency_key"), form_values(page_2, "idempotency_key")
    assert len(key_1) == len(key_2) == 1 and key_1 != key_2
    assert re.fullmatch(r"[0-9a-f]{32}", key_1[0])
    # The two players' forms each hold their own CSRF token: both moves are accepted, and
    # neither is taken for a double click of the other.
    url = reverse("exercises:move_new", args=[started.code, A])
    moves = ((first, page_1, key_1, "public_statement"), (second, page_2, key_2, "hadr"))
    for client, page, key, action in moves:
        token = form_values(page, "csrfmiddlewaretoken")[0]
        assert token == body_csrf_token(page)
        response = client.post(
            url,
            {"action": action, "idempotency_key": key[0], "csrfmiddlewaretoken": token},
            headers=htmx("move-form"),
        )
        assert response.status_code == 200, response.content.decode()[:300]
    assert people.team_a.moves.count() == 2


def test_a_change_reaches_every_teammate_and_leaves_other_rooms_alone(
    started: Exercise,
    people: People,
    teammate: User,
    client_for,
    django_capture_on_commit_callbacks,
) -> None:
    others = client_for(teammate)
    before = others.get(room_url(started)).content.decode()
    assert "No moves yet this turn." in before
    exercise = Exercise.objects.get(pk=started.pk)
    keys_a, keys_b = (keys_of(exercise, team) for team in (people.team_a, people.team_b))
    with django_capture_on_commit_callbacks(execute=True):
        move_submit(actor=people.player_a, team=people.team_a, action="public_statement")
    exercise.refresh_from_db()
    assert keys_of(exercise, people.team_b) == keys_b  # B's copies still good
    changed = {
        name for name, key in keys_of(exercise, people.team_a).items() if key != keys_a[name]
    }
    assert changed == {"indicators", "moves", "offers", "situation"}
    for target in (None, "moves", "indicators"):
        html = others.get(room_url(started), headers=htmx(target) if target else {}).content
        assert "No moves yet this turn." not in html.decode(), target
    assert "Public statement" in others.get(room_url(started)).content.decode()


def keys_of(exercise: Exercise, team) -> dict[str, str]:
    return {name: key for name, (key, _html) in room_regions(exercise, team, can_act=True).items()}


def test_a_message_re_renders_no_shared_region(
    started: Exercise, people: People, teammate: User, django_capture_on_commit_callbacks
) -> None:
    exercise = Exercise.objects.get(pk=started.pk)
    before = keys_of(exercise, people.team_a)
    with django_capture_on_commit_callbacks(execute=True):
        message_send(
            actor=people.player_a, exercise=exercise, channel=Channel.BILATERAL, body="Hola",
            other=people.team_b,
        )  # fmt: skip
    exercise.refresh_from_db()
    assert exercise.version > int(before["clock"].rsplit(":", 1)[1])
    assert keys_of(exercise, people.team_a) == before


def test_the_facilitator_and_the_players_have_copies_of_their_own(
    started: Exercise, people: People, teammate: User, client_for
) -> None:
    move_form = reverse("exercises:move_new", args=[started.code, A])
    watching = client_for(people.facilitator).get(room_url(started)).content.decode()
    playing = client_for(teammate).get(room_url(started)).content.decode()
    assert "You cannot act here" in watching and move_form not in watching
    assert move_form in playing
    # Team B's player, whose room is kept now too, sees B's room, never A's copy.
    room_b = client_for(people.player_b).get(room_url(started, B)).content.decode()
    assert reverse("exercises:move_new", args=[started.code, B]) in room_b
    assert move_form not in room_b


def test_a_regions_key_follows_the_exercises_row_not_the_cache(
    started: Exercise, people: People, django_capture_on_commit_callbacks
) -> None:
    # The cache has lost the exercise's versions (a restarted Redis), or holds an old copy:
    # the keys still name the versions the row holds, so a change is never hidden behind a
    # copy made before it.
    exercise = Exercise.objects.get(pk=started.pk)
    before = keys_of(exercise, people.team_a)
    cache.delete(f"pulse:{exercise.code}")
    with django_capture_on_commit_callbacks(execute=False):  # the copy is never put
        move_submit(actor=people.player_a, team=people.team_a, action="public_statement")
    exercise.refresh_from_db()
    after = keys_of(exercise, people.team_a)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"indicators", "moves", "offers", "situation"}
    assert all(after[name].endswith(f":{exercise.version}") for name in changed)
    assert control_keys(exercise)["review"].endswith(f":{exercise.version}")


def test_a_release_with_other_templates_never_serves_the_copies_of_another(
    started: Exercise, people: People, settings, tmp_path
) -> None:
    # Web processes of two releases share the cache during a deploy: a copy rendered by one is
    # not served in the other's pages, whose other parts come from other templates.
    exercise = Exercise.objects.get(pk=started.pk)
    before = keys_of(exercise, people.team_a)
    (tmp_path / "extra.html").write_text("<p>A template of the next release.</p>")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [engine | {"DIRS": [*engine["DIRS"], tmp_path]}]
    templates_fingerprint.cache_clear()
    try:
        after = keys_of(exercise, people.team_a)
    finally:
        templates_fingerprint.cache_clear()
    assert before.keys() == after.keys()
    assert all(before[name] != after[name] for name in before)


def test_without_the_cache_each_room_is_rendered_for_its_viewer(
    started: Exercise, people: People, teammate: User, client_for
) -> None:
    with override_settings(CACHES=UNREACHABLE):
        page = client_for(teammate).get(room_url(started))
    html = page.content.decode()
    assert page.status_code == 200
    assert PLACEHOLDER not in html and ONCE not in html
    assert re.fullmatch(r"[0-9a-f]{32}", form_values(html, "idempotency_key")[0])


@pytest.mark.django_db(transaction=True)  # commits, and the pulse is told, as in a worker
def test_after_a_turn_closes_the_rooms_are_rendered_ahead_of_the_players(
    started: Exercise, people: People, teammate: User, client_for
) -> None:
    assert close_turn(started.pk, 1)  # the worker's task, run here
    exercise = Exercise.objects.get(pk=started.pk)
    assert exercise.current_turn == 2
    for team in exercise.teams.all():
        regions = room_regions(exercise, team, can_act=True)
        assert set(regions) == {n for n, r in PAGES["team"].regions.items() if r.shared}
        assert all(html for _key, html in regions.values()), team
    assert rooms.rooms_render_ahead(exercise.pk) == 0  # nothing left to render

    # The player's room comes from those copies, as it would have been rendered for them.
    with CaptureQueriesContext(connection) as asked:
        page = client_for(teammate).get(room_url(exercise)).content.decode()
    assert not [q for q in asked if "exercises_inject" in q["sql"]]
    assert "Situation report, turn 1" in page and "Turn 2 of" in page
    cache.clear()
    fresh = client_for(teammate).get(room_url(exercise)).content.decode()
    strip = re.compile(
        r'(csrfmiddlewaretoken" value="|idempotency_key" value="|X-CSRFToken": ")[^"]*"'
    )
    assert strip.sub(r"\1", page) == strip.sub(r"\1", fresh)
    assert PLACEHOLDER not in page and ONCE not in page


@pytest.mark.django_db(transaction=True)  # commits, and the pulse is told, as in production
def test_a_players_move_is_rendered_once_for_the_whole_team(
    started: Exercise, people: People, teammate: User, client_for
) -> None:
    mover = client_for(people.player_a)
    key = form_values(mover.get(room_url(started)).content.decode(), "idempotency_key")[0]
    url = reverse("exercises:move_new", args=[started.code, A])
    data = {"action": "public_statement", "idempotency_key": key}
    answer = mover.post(url, data, headers=htmx("move-form"))
    assert answer.status_code == 200
    # The empty form that comes back is the team's copy, with a key of its own.
    fresh = form_values(answer.content.decode(), "idempotency_key")
    assert len(fresh) == 1 and re.fullmatch(r"[0-9a-f]{32}", fresh[0]) and fresh[0] != key
    assert PLACEHOLDER not in answer.content.decode() and ONCE not in answer.content.decode()
    # What the view sent a worker to do (tests/integration/test_turn_clock.py has a real
    # worker do it): render what the move changed, in A's room only.
    assert rooms_render_ahead(started.pk, people.team_a.pk) == 4
    assert rooms_render_ahead(started.pk, people.team_a.pk) == 0
    assert rooms_render_ahead(started.pk, people.team_b.pk + 1000) == 0

    exercise = Exercise.objects.get(pk=started.pk)
    regions = room_regions(exercise, people.team_a, can_act=True)
    assert regions and all(html for _key, html in regions.values())
    with CaptureQueriesContext(connection) as asked:
        html = client_for(teammate).get(room_url(started)).content.decode()
    assert "Public statement" in html and "No moves yet this turn." not in html
    assert not [q for q in asked if "exercises_move" in q["sql"]]


# --- The control room ---------------------------------------------------------------------


@pytest.fixture
def co_facilitator(started: Exercise, people: People) -> User:
    """A second facilitator of the exercise, as at a college where two run the room."""
    user = User.objects.create_user("co-facilitator", first_name="Carmen", is_staff=True)
    participant_add(actor=people.facilitator, exercise=started, user=user, role=Role.FACILITATOR)
    share_rooms(started)
    return user


def control_url(exercise: Exercise) -> str:
    return reverse("exercises:control", args=[exercise.code])


def control_keys(exercise: Exercise) -> dict[str, str]:
    return {name: key for name, (key, _html) in control_regions(exercise).items()}


def test_facilitators_share_the_control_room_each_with_their_own_tokens(
    started: Exercise, people: People, co_facilitator: User, client_for
) -> None:
    (_first, second), (_page_1, page_2) = one_page_twice(
        client_for, control_url(started), (people.facilitator, co_facilitator),
        {"exercises_inject", "exercises_trustlink", "exercises_event", "negotiation_proposal"},
    )  # fmt: skip
    # Each form of the second page holds the second facilitator's token: "Deliver now" works.
    tokens = set(form_values(page_2, "csrfmiddlewaretoken"))
    assert tokens == {body_csrf_token(page_2)}
    inject = started.injects.filter(status="scheduled").first()
    deliver = reverse("exercises:inject", args=[started.code, inject.pk, "deliver"])
    answer = second.post(deliver, {"csrfmiddlewaretoken": tokens.pop()}, headers=htmx())
    assert answer.status_code == 204
    inject.refresh_from_db()
    assert inject.status == "delivered"


def test_a_move_re_renders_the_control_rooms_teams_review_and_log_only(
    started: Exercise,
    people: People,
    co_facilitator: User,
    client_for,
    django_capture_on_commit_callbacks,
) -> None:
    control = client_for(co_facilitator)
    before = control.get(control_url(started)).content.decode()
    assert "Public statement" not in before
    exercise = Exercise.objects.get(pk=started.pk)
    keys = control_keys(exercise)
    with django_capture_on_commit_callbacks(execute=True):
        move_submit(actor=people.player_b, team=people.team_b, action="public_statement")
    exercise.refresh_from_db()
    changed = {name for name, key in control_keys(exercise).items() if key != keys[name]}
    assert changed == {"teams-status", "review", "log"}
    with CaptureQueriesContext(connection) as asked:
        after = control.get(control_url(started)).content.decode()
    assert '<span class="chip">Public statement</span>' in after
    assert "Move submitted" in after  # the log
    assert not [q for q in asked if "exercises_trustlink" in q["sql"]]
    # A region asked for alone, as htmx asks when the pulse says "moves", is the new one too.
    for target, shown in (("teams-status", "Public statement"), ("log", "Move submitted")):
        html = control.get(control_url(started), headers=htmx(target)).content.decode().strip()
        assert html.startswith(f'<section id="{target}"') and shown in html


def test_without_the_cache_the_control_room_is_rendered_for_its_viewer(
    started: Exercise, people: People, co_facilitator: User, client_for
) -> None:
    with override_settings(CACHES=UNREACHABLE):
        page = client_for(co_facilitator).get(control_url(started))
    html = page.content.decode()
    assert page.status_code == 200 and "Trust between nations" in html
    assert PLACEHOLDER not in html


def test_no_text_written_by_people_is_given_the_viewers_csrf_token(
    started: Exercise, people: People, teammate: User, client_for
) -> None:
    """The marker that once stood for the token, written in every text that shared regions
    show, comes out as written: the token goes only where the template puts it."""
    link = f"[the plan](https://example.org/?t={PLACEHOLDER})"
    ScenarioNation.objects.filter(scenario=started.scenario, code=A).update(
        briefing=f"Our plan: {link}"
    )
    Scenario.objects.filter(pk=started.scenario_id).update(briefing=f"Region: {link}")
    User.objects.filter(pk=teammate.pk).update(first_name=PLACEHOLDER)
    inject_write(
        actor=people.facilitator, exercise=started, kind="flood", title=f"Flash {PLACEHOLDER}",
        message=f"Read {link}", to=[A],
    )  # fmt: skip
    move_submit(
        actor=people.player_a, team=people.team_a, action="public_statement",
        rationale=f"See {PLACEHOLDER}",
    )  # fmt: skip
    proposal_create(
        actor=people.player_a, team=people.team_a, parties=[people.team_b], action="hadr",
        commitments={A: {"points": 0, "terms": f"Terms {PLACEHOLDER}"},
                     B: {"points": 0, "terms": ""}},
        duration=2, note=f"Note {PLACEHOLDER}",
    )  # fmt: skip
    share_rooms(started)
    pages = (
        (room_url(started), (people.player_a, teammate), 5),
        (reverse("exercises:control", args=[started.code]), (people.facilitator,) * 2, 2),
    )
    for url, users, texts in pages:
        for user in users:  # the first renders the copies, the second is served them
            client = client_for(user)
            page = client.get(url).content.decode()
            token = body_csrf_token(page)
            written = page.count(PLACEHOLDER)
            assert written >= texts, url  # the texts are there, as written
            assert f"t={token}" not in page and f"Flash {token}" not in page
            assert f"See {token}" not in page and f"Terms {token}" not in page
