"""Who may download the report, and the players' debrief of their own team."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.reports.test_builder import played  # noqa: F401 - the fixture
from wargame.exercises.models import Exercise, Move, Role
from wargame.exercises.services import participant_add

User = get_user_model()
FORMATS = ("pdf", "docx", "html", "csv", "json")


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def seats(played: Exercise) -> dict:  # noqa: F811
    people = {}
    for name, role, code in (("evaluator", Role.EVALUATOR, None), ("hti", Role.PLAYER, "HTI"),
                             ("dom", Role.PLAYER, "DOM")):  # fmt: skip
        user = User.objects.create_user(f"report-{name}")
        team = played.teams.get(nation_code=code) if code else None
        participant_add(actor=None, exercise=played, user=user, role=role, team=team)
        people[name] = user
    people["facilitator"] = played.participants.get(role=Role.FACILITATOR).user
    people["stranger"] = User.objects.create_user("report-stranger", is_staff=True)
    return people


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_facilitator_and_evaluators_download_players_may_not(
    played: Exercise,  # noqa: F811
    seats: dict,
    fmt: str,
) -> None:
    url = reverse("exercises:report", args=[played.code, fmt])
    for who, status in (("facilitator", 200), ("evaluator", 200), ("hti", 403),
                        ("stranger", 403)):  # fmt: skip
        response = client_for(seats[who]).get(url)
        assert response.status_code == status, (who, fmt)
        if status == 200:
            assert "attachment;" in response["Content-Disposition"]
    assert client_for().get(url).status_code == 302
    if fmt == "json":
        data = json.loads(client_for(seats["facilitator"]).get(url).content)
        assert data["exercise"]["code"] == played.code


@pytest.mark.django_db
def test_an_unknown_format_is_not_found(played: Exercise, seats: dict) -> None:  # noqa: F811
    url = reverse("exercises:report", args=[played.code, "xls"])
    assert client_for(seats["facilitator"]).get(url).status_code == 404


@pytest.mark.django_db
def test_a_debrief_shows_a_team_its_own_moves_only(played: Exercise, seats: dict) -> None:  # noqa: F811
    Move.objects.filter(team__nation_code="HTI").update(rationale="Haiti's private reasoning.")
    Move.objects.filter(team__nation_code="DOM").update(rationale="Dominican private reasoning.")
    url = reverse("exercises:debrief", args=[played.code, "HTI"])
    page = client_for(seats["hti"]).get(url).content.decode()
    assert "Haiti&#x27;s private reasoning." in page or "Haiti's private reasoning." in page
    assert "Dominican private reasoning." not in page
    assert client_for(seats["dom"]).get(url).status_code == 403
    assert client_for(seats["facilitator"]).get(url).status_code == 200
