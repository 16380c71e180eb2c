"""Nations without players: a team handed to a bot plays through the same services."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import WorkerRun
from wargame.exercises.errors import NotAllowed
from wargame.exercises.models import Exercise, Move
from wargame.exercises.services import exercise_create, move_submit
from wargame.negotiation.models import Agreement, Proposal
from wargame.negotiation.services import proposal_create
from wargame.scenarios.models import Scenario
from wargame.turns.bots import team_set_bot
from wargame.turns.clock import BOTS_ANSWER, BOTS_PLAY
from wargame.turns.services import exercise_start, turn_close
from wargame.turns.tasks import bots_play

pytestmark = pytest.mark.django_db


@pytest.fixture
def storm(shipped_scenarios: list[Scenario], facilitator) -> Exercise:
    scenario = Scenario.objects.get(slug="caribbean-storm")
    return exercise_create(actor=facilitator, scenario=scenario, seed=5)


def test_bots_play_after_a_turn_opens_and_their_moves_say_so(
    storm: Exercise, facilitator, as_worker: WorkerRun
) -> None:
    for code in ("HTI", "DOM", "JAM"):
        team_set_bot(actor=facilitator, team=storm.teams.get(nation_code=code), bot=True)
    # Bots play after the commit of the turn that opens, in a worker: never inside it.
    sent = as_worker(lambda: exercise_start(actor=facilitator, exercise=storm))
    assert sent[0] == (BOTS_PLAY, storm.pk, 1)
    moves = Move.objects.filter(exercise=storm)
    assert set(moves.values_list("team__nation_code", flat=True)) <= {"HTI", "DOM", "JAM"}
    assert moves.count() >= 3
    assert all(move.by_bot and move.submitted_by is None for move in moves)
    # Sent twice, or late, the task plays nothing more.
    assert bots_play(storm.pk, 1) == 0
    storm.refresh_from_db()
    as_worker(lambda: turn_close(exercise_id=storm.pk, turn_number=1, reason="test"))
    # The next turn opens and the bots play again; the first turn's task is now too late.
    assert Move.objects.filter(exercise=storm, turn__number=2).exists()
    assert bots_play(storm.pk, 1) == 0


def test_handing_over_mid_turn_plays_at_once_and_nobody_else_acts_for_a_bot(
    storm: Exercise, facilitator, as_worker: WorkerRun
) -> None:
    exercise_start(actor=facilitator, exercise=storm)
    usa = storm.teams.get(nation_code="USA")
    with pytest.raises(NotAllowed):
        move_submit(actor=None, team=usa, action="public_statement")
    sent = as_worker(lambda: team_set_bot(actor=facilitator, team=usa, bot=True))
    assert sent[0] == (BOTS_PLAY, storm.pk, 1, usa.pk)
    assert Move.objects.filter(team=usa, by_bot=True).exists()
    # Only that nation played: the others are people.
    assert set(Move.objects.filter(exercise=storm).values_list("team", flat=True)) == {usa.pk}


def test_a_bot_answers_a_proposal_once_it_is_made(
    storm: Exercise, facilitator, as_worker: WorkerRun
) -> None:
    from django.contrib.auth import get_user_model

    from wargame.exercises.models import Role
    from wargame.exercises.services import participant_add

    exercise_start(actor=facilitator, exercise=storm)
    # The pair that trusts each other most: the bot accepts; the least: it rejects.
    pairs = list(storm.scenario.trust.order_by("-value"))
    for index, (pair, accepted) in enumerate(((pairs[0], True), (pairs[-1], False))):
        human = storm.teams.get(nation_code=pair.nation_a)
        bot = storm.teams.get(nation_code=pair.nation_b)
        as_worker(lambda bot=bot: team_set_bot(actor=facilitator, team=bot, bot=True))
        user = get_user_model().objects.create_user(f"delegate-{index}")
        participant_add(actor=None, exercise=storm, user=user, role=Role.PLAYER, team=human)
        terms = {"points": 1, "terms": "Border health screening."}
        sent = as_worker(
            lambda human=human, bot=bot, user=user, terms=terms: proposal_create(
                actor=user, team=human, parties=[bot], action="intel_sharing",
                commitments={human.nation_code: terms, bot.nation_code: terms}, duration=2,
            )
        )  # fmt: skip
        proposal = Proposal.objects.latest("pk")
        assert (BOTS_ANSWER, proposal.pk) in sent
        proposal.refresh_from_db()
        assert proposal.status == ("accepted" if accepted else "rejected"), (pair, proposal.status)
        assert Agreement.objects.filter(proposal=proposal).exists() == accepted


def test_the_control_room_hands_a_team_to_a_bot(
    storm: Exercise, facilitator, as_worker: WorkerRun
) -> None:
    exercise_start(actor=facilitator, exercise=storm)
    client = Client()
    client.force_login(facilitator)
    url = reverse("exercises:team_bot", args=[storm.code, "MEX"])
    as_worker(lambda: client.post(url, {"bot": "1"}))
    assert storm.teams.get(nation_code="MEX").bot
    page = client.get(reverse("exercises:control", args=[storm.code])).content.decode()
    assert "Give back to people" in page and "(bot)" in page


def test_bots_mark_themselves_ready_so_people_close_the_turn_early(
    shipped_scenarios: list[Scenario], facilitator, as_worker: WorkerRun
) -> None:
    from django.contrib.auth import get_user_model

    from wargame.exercises.models import Event, Role
    from wargame.exercises.services import participant_add, team_mark_ready
    from wargame.turns.clock import CLOSE_TURN, turns_due
    from wargame.turns.tasks import close_turn

    pacific = exercise_create(
        actor=facilitator, scenario=Scenario.objects.get(slug="pacific-route"), seed=3
    )
    for code in ("PAN", "CRI", "MEX"):
        team_set_bot(actor=facilitator, team=pacific.teams.get(nation_code=code), bot=True)
    humans = {}
    for code in ("COL", "ECU", "PER"):
        user = get_user_model().objects.create_user(f"delegate-{code}")
        team = pacific.teams.get(nation_code=code)
        participant_add(actor=None, exercise=pacific, user=user, role=Role.PLAYER, team=team)
        humans[code] = (user, team)
    as_worker(lambda: exercise_start(actor=facilitator, exercise=pacific))
    bots_ready = pacific.teams.filter(bot=True, ready=True)
    assert set(bots_ready.values_list("nation_code", flat=True)) == {"PAN", "CRI", "MEX"}
    # Through the same service, so the log and the teams' pages hear it as from a player.
    ready_events = Event.objects.filter(exercise=pacific, kind="team.ready", actor=None)
    assert set(ready_events.values_list("team__nation_code", flat=True)) == {"PAN", "CRI", "MEX"}
    assert turns_due() == []
    sent = as_worker(
        lambda: [team_mark_ready(actor=user, team=team) for user, team in humans.values()]
    )
    assert sent == [(CLOSE_TURN, pacific.pk, 1, "all teams ready")]
    assert turns_due() == [(pacific.pk, 1, "all teams ready")]
    as_worker(lambda: close_turn(pacific.pk, 1, "all teams ready"))
    # The next turn opens with the bots ready again and the people not.
    ready = dict(pacific.teams.values_list("nation_code", "ready"))
    assert ready == {
        "PAN": True,
        "CRI": True,
        "MEX": True,
        "COL": False,
        "ECU": False,
        "PER": False,
    }


def test_people_who_take_a_nation_back_are_not_ready_for_it(
    storm: Exercise, facilitator, as_worker: WorkerRun
) -> None:
    exercise_start(actor=facilitator, exercise=storm)
    usa = storm.teams.get(nation_code="USA")
    as_worker(lambda: team_set_bot(actor=facilitator, team=usa, bot=True))
    usa.refresh_from_db()
    assert usa.ready
    team_set_bot(actor=facilitator, team=usa, bot=False)
    usa.refresh_from_db()
    assert not usa.ready
