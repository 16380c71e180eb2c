"""Nations without players: a team handed to a bot plays through the same services."""

import pytest
from django.test import Client
from django.urls import reverse

from wargame.exercises.errors import NotAllowed
from wargame.exercises.models import Exercise, Move
from wargame.exercises.services import (
    exercise_create,
    exercise_start,
    move_submit,
    team_set_bot,
    turn_close,
)
from wargame.negotiation.models import Agreement
from wargame.negotiation.services import proposal_create
from wargame.scenarios.models import Scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def storm(shipped_scenarios: list[Scenario], facilitator) -> Exercise:
    scenario = Scenario.objects.get(slug="caribbean-storm")
    return exercise_create(actor=facilitator, scenario=scenario, seed=5)


def test_bots_play_when_a_turn_opens_and_their_moves_say_so(storm: Exercise, facilitator) -> None:
    for code in ("HTI", "DOM", "JAM"):
        team_set_bot(actor=facilitator, team=storm.teams.get(nation_code=code), bot=True)
    exercise_start(actor=facilitator, exercise=storm)
    moves = Move.objects.filter(exercise=storm)
    assert set(moves.values_list("team__nation_code", flat=True)) <= {"HTI", "DOM", "JAM"}
    assert moves.count() >= 3
    assert all(move.by_bot and move.submitted_by is None for move in moves)
    storm.refresh_from_db()
    assert turn_close(exercise_id=storm.pk, turn_number=1, reason="test")
    # The next turn opens and the bots play again.
    assert Move.objects.filter(exercise=storm, turn__number=2).exists()


def test_handing_over_mid_turn_plays_at_once_and_nobody_else_acts_for_a_bot(
    storm: Exercise, facilitator
) -> None:
    exercise_start(actor=facilitator, exercise=storm)
    usa = storm.teams.get(nation_code="USA")
    with pytest.raises(NotAllowed):
        move_submit(actor=None, team=usa, action="public_statement")
    team_set_bot(actor=facilitator, team=usa, bot=True)
    assert Move.objects.filter(team=usa, by_bot=True).exists()


def test_a_bot_answers_a_proposal_at_once(storm: Exercise, facilitator) -> None:
    from django.contrib.auth import get_user_model

    from wargame.exercises.models import Role
    from wargame.exercises.services import participant_add

    exercise_start(actor=facilitator, exercise=storm)
    # The pair that trusts each other most: the bot accepts; the least: it rejects.
    pairs = list(storm.scenario.trust.order_by("-value"))
    for index, (pair, accepted) in enumerate(((pairs[0], True), (pairs[-1], False))):
        human = storm.teams.get(nation_code=pair.nation_a)
        bot = storm.teams.get(nation_code=pair.nation_b)
        team_set_bot(actor=facilitator, team=bot, bot=True)
        user = get_user_model().objects.create_user(f"delegate-{index}")
        participant_add(actor=None, exercise=storm, user=user, role=Role.PLAYER, team=human)
        terms = {"points": 1, "terms": "Border health screening."}
        proposal = proposal_create(
            actor=user, team=human, parties=[bot], action="intel_sharing",
            commitments={human.nation_code: terms, bot.nation_code: terms}, duration=2,
        )  # fmt: skip
        proposal.refresh_from_db()
        assert proposal.status == ("accepted" if accepted else "rejected"), (pair, proposal.status)
        assert Agreement.objects.filter(proposal=proposal).exists() == accepted


def test_the_control_room_hands_a_team_to_a_bot(storm: Exercise, facilitator) -> None:
    exercise_start(actor=facilitator, exercise=storm)
    client = Client()
    client.force_login(facilitator)
    client.post(reverse("exercises:team_bot", args=[storm.code, "MEX"]), {"bot": "1"})
    assert storm.teams.get(nation_code="MEX").bot
    page = client.get(reverse("exercises:control", args=[storm.code])).content.decode()
    assert "Give back to people" in page and "(bot)" in page
