"""Revoking closes every door to a team or to evaluators, link and join code alike, until the
facilitator reopens it; the join code can be replaced or turned off."""

import secrets

import pytest
from django.test import Client
from django.urls import reverse

from wargame.accounts.invites import invite_reopen, invite_revoke, invite_token, join_code_change
from wargame.exercises.models import Exercise, Participant, Role

pytestmark = pytest.mark.django_db


def named(name: str) -> dict[str, str]:
    return {"name": name, "once": secrets.token_urlsafe(16)}


def join_url(exercise: Exercise, team) -> str:
    return reverse("accounts:join", args=[invite_token(exercise, team)])


def code_page(exercise: Exercise, code: str | None = None) -> str:
    return reverse("accounts:join_code", args=[code or exercise.join_code])


def test_a_revoked_team_stays_closed_by_link_and_by_join_code(exercise, facilitator) -> None:
    dominicans = exercise.teams.get(nation_code="DOM")
    old = join_url(exercise, dominicans)
    invite_revoke(actor=facilitator, exercise=exercise, team=dominicans)
    dominicans.refresh_from_db()
    # The old link, and a link made now with the new secret, both say it is closed.
    for url in (old, join_url(exercise, dominicans)):
        for response in (Client().get(url), Client().post(url, named("Ana"))):
            assert response.status_code == 410, url
    # The join code no longer hands out a link for that team; the other teams' still work.
    page = Client().get(code_page(exercise)).content.decode()
    assert "Dominican Republic" not in page and "Haiti" in page
    assert not Participant.objects.filter(exercise=exercise, role=Role.PLAYER).exists()
    # Reopened: a new link works; the revoked one stays dead.
    invite_reopen(actor=facilitator, exercise=exercise, team=dominicans)
    dominicans.refresh_from_db()
    assert Client().get(old).status_code == 410
    assert Client().post(join_url(exercise, dominicans), named("Ana")).status_code == 302
    assert "Dominican Republic" in Client().get(code_page(exercise)).content.decode()


def test_revoked_evaluators_stay_closed_until_reopened(exercise, facilitator) -> None:
    invite_revoke(actor=facilitator, exercise=exercise, team=None)
    exercise.refresh_from_db()
    assert Client().get(join_url(exercise, None)).status_code == 410
    invite_reopen(actor=facilitator, exercise=exercise, team=None)
    exercise.refresh_from_db()
    assert Client().post(join_url(exercise, None), named("Eva")).status_code == 302


def test_the_join_code_is_replaced_or_turned_off(exercise, facilitator) -> None:
    old = exercise.join_code
    exercise = join_code_change(actor=facilitator, exercise=exercise, on=True)
    assert exercise.join_code != old
    home = reverse("home")
    assert Client().post(home, {"code": old}).status_code == 200  # "no open exercise"
    assert Client().get(code_page(exercise, old)).status_code == 404
    assert Client().post(home, {"code": exercise.join_code}).status_code == 302
    # Off: no code finds it; the team links still work.
    exercise = join_code_change(actor=facilitator, exercise=exercise, on=False)
    assert exercise.join_code is None
    refused = Client().post(home, {"code": exercise.code})
    assert "No open exercise has this code." in refused.content.decode()
    team = exercise.teams.get(nation_code="HTI")
    assert Client().post(join_url(exercise, team), named("Jean")).status_code == 302


def test_the_lobby_closes_reopens_and_changes_the_doors(exercise, facilitator) -> None:
    client = Client()
    client.force_login(facilitator)
    lobby = reverse("exercises:lobby", args=[exercise.code])
    revoke = reverse("exercises:invite_revoke", args=[exercise.code])
    client.post(revoke, {"team": "DOM"})
    page = client.get(lobby).content.decode()
    assert "Closed: nobody can join this team." in page
    client.post(revoke, {"team": "DOM", "action": "reopen"})
    assert "Closed: nobody can join this team." not in client.get(lobby).content.decode()
    join_code = reverse("exercises:join_code", args=[exercise.code])
    assert client.post(join_code, {"action": "sideways"}).status_code == 400
    client.post(join_code, {"action": "off"})
    assert "The join code is off" in client.get(lobby).content.decode()
    client.post(join_code, {"action": "new"})
    exercise.refresh_from_db()
    assert exercise.join_code and exercise.join_code in client.get(lobby).content.decode()
