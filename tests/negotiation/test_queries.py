"""The negotiations panel and the channels cost the same queries for 5 teams as for 12, each
with 60 proposals and as many bilateral messages: a query per team, proposal or message
would show as a difference between the two."""

import random

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.exercises import synthetic_exercise
from tests.factories.scenarios import synthetic_spec
from wargame.negotiation.models import Proposal
from wargame.negotiation.services import message_send, proposal_answer, proposal_create
from wargame.scenarios.services import scenario_load

pytestmark = pytest.mark.django_db
PROPOSALS = 60


def busy_negotiation(nations: int, facilitator) -> tuple:
    exercise = synthetic_exercise(
        scenario_load(synthetic_spec(nations)), facilitator=facilitator, moves_per_team=1,
        agreements=0,
    ).exercise  # fmt: skip
    teams = list(exercise.teams.order_by("position"))
    players = {p.team_id: p.user for p in exercise.participants.filter(role="player")}
    rng = random.Random(nations)
    for number in range(PROPOSALS):
        a, b = rng.sample(teams, 2)
        terms = {"points": 0, "terms": f"Proposal {number}."}
        proposal = proposal_create(
            actor=players[a.pk], team=a, parties=[b], action="intel_sharing",
            commitments={a.nation_code: terms, b.nation_code: terms}, duration=2,
        )  # fmt: skip
        if number % 3 == 0:
            proposal_answer(actor=players[b.pk], proposal=proposal, team=b, accept=True)
        message_send(
            actor=players[a.pk], exercise=exercise, channel="bilateral", team=a, other=b,
            body=f"About proposal {number}.",
        )  # fmt: skip
    assert Proposal.objects.filter(exercise=exercise).count() == PROPOSALS
    return exercise, teams[0], players[teams[0].pk]


def pages_queries(exercise, team, player, facilitator) -> list[int]:
    """Queries for the team room of a player and for the control room."""
    counts = []
    player_client, control = Client(), Client()
    player_client.force_login(player)
    control.force_login(facilitator)
    for client, url in (
        (player_client, reverse("exercises:team", args=[exercise.code, team.nation_code])),
        (control, reverse("exercises:control", args=[exercise.code])),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


def test_pages_with_12_teams_and_60_proposals_cost_what_5_teams_cost(facilitator) -> None:
    get_user_model().objects.filter(pk=facilitator.pk).update(is_staff=True)
    small = pages_queries(*busy_negotiation(5, facilitator), facilitator)
    large = pages_queries(*busy_negotiation(12, facilitator), facilitator)
    assert small == large, (small, large)
    assert max(large) <= 30, large
