"""Consent in a live exercise: a host's request stands into the next turn through the turn's
record; relief sent unasked reads as a sovereignty incident in both nations' reports; a host
that declines turns the forces back; standing instruments are agreed, never played."""

from collections.abc import Callable

import pytest

from tests.exercises.conftest import A, B, People
from tests.exercises.test_sitrep import close, situation_text
from wargame.exercises.errors import MoveRefused
from wargame.exercises.models import Exercise
from wargame.exercises.services import move_submit
from wargame.negotiation.services import proposal_answer, proposal_create
from wargame.scenarios.models import ActionType

pytestmark = pytest.mark.django_db

# A is the Dominican Republic, B Haiti: the Dominican Republic sends relief to Haiti.


@pytest.fixture
def hosts(started: Exercise) -> Exercise:
    """The minimal scenario with the hosts' answers and a standing instrument among its
    actions."""
    codes = ["request_assistance", "consent_with_conditions", "decline_assistance",
             "status_of_forces", "shiprider", "maritime_patrol"]  # fmt: skip
    started.scenario.actions.add(*ActionType.objects.filter(code__in=codes))
    return started


def relief(exercise: Exercise, people: People) -> None:
    move_submit(
        actor=people.player_a, team=people.team_a, action="hadr", target_team=people.team_b,
        resources=4,
    )  # fmt: skip


def test_relief_sent_unasked_is_a_sovereignty_incident_in_both_reports(
    hosts: Exercise, people: People, client_for: Callable
) -> None:
    relief(hosts, people)
    close(hosts)
    turn = hosts.turn_set.get(number=1)
    (outcome,) = [o for o in turn.adjudication["outcomes"].values() if o["key"] == f"{A}:1"]
    assert outcome["reason"] == "without_consent" and outcome["about"] == {"host": B}
    sender = situation_text(client_for(people.player_a), hosts, A)
    host = situation_text(client_for(people.player_b), hosts, B)
    assert "It went in without Haiti's consent: a sovereignty incident." in sender
    assert "Dominican Republic's Humanitarian assistance and disaster response to Haiti, " \
        "without Haiti's consent" in host  # fmt: skip
    assert "sovereignty" not in turn.adjudication.get("outcomes", {}).get(f"{B}:1", {})


def test_a_request_of_the_last_turn_still_stands_and_then_lapses(
    hosts: Exercise, people: People, client_for: Callable
) -> None:
    move_submit(actor=people.player_b, team=people.team_b, action="request_assistance")
    close(hosts)
    assert hosts.turn_set.get(number=1).snapshot["consents"] == [[B, "*", "request"]]
    relief(hosts, people)  # turn 2: Haiti's request of turn 1 stands
    close(hosts)
    turn = hosts.turn_set.get(number=2)
    assert {o["reason"] for o in turn.adjudication["outcomes"].values()} == {""}
    assert not [c for c in turn.adjudication["changes"] if c["cause"] == "sovereignty"]
    assert turn.snapshot["consents"] == []  # no new answer: it lapses
    text = situation_text(client_for(people.player_b), hosts, B)
    assert "Humanitarian assistance and disaster response to Haiti" in text
    assert "without Haiti's consent" not in text


def test_a_host_that_declines_turns_the_relief_back(
    hosts: Exercise, people: People, client_for: Callable
) -> None:
    move_submit(
        actor=people.player_b, team=people.team_b, action="decline_assistance",
        target_team=people.team_a,
    )  # fmt: skip
    relief(hosts, people)
    close(hosts)
    turn = hosts.turn_set.get(number=1)
    outcomes = {o["key"]: o for o in turn.adjudication["outcomes"].values()}
    assert outcomes[f"{A}:1"]["status"] == "declined"
    assert not [c for c in turn.adjudication["changes"] if c["ref"] == f"{A}:1"]
    sender = situation_text(client_for(people.player_a), hosts, A)
    assert "was turned back: Haiti declined it." in sender
    host = situation_text(client_for(people.player_b), hosts, B)
    assert "such forces are turned back this turn and the next." in host


def test_a_standing_instrument_is_agreed_never_played(
    hosts: Exercise, people: People, client_for: Callable
) -> None:
    with pytest.raises(MoveRefused, match="agreed between nations, not played as a move"):
        move_submit(
            actor=people.player_a, team=people.team_a, action="status_of_forces",
            target_team=people.team_b,
        )  # fmt: skip
    room = client_for(people.player_a).get(f"/x/{hosts.code}/team/{A}/").content.decode()
    form = room.split('id="move-form"')[-1].split("</form>")[0]
    assert 'value="request_assistance"' in form and 'value="status_of_forces"' not in form


def test_a_shiprider_agreement_lets_combined_patrols_into_each_others_waters(
    hosts: Exercise, people: People
) -> None:
    terms = {A: {"points": 1, "terms": "Riders on board."}, B: {"points": 1, "terms": ""}}
    proposal = proposal_create(
        actor=people.player_a, team=people.team_a, parties=[people.team_b], action="shiprider",
        commitments=terms, duration=4, note="Combined patrols in the Windward Passage.",
    )  # fmt: skip
    proposal_answer(actor=people.player_b, proposal=proposal, team=people.team_b, accept=True)
    move_submit(
        actor=people.player_a, team=people.team_a, action="maritime_patrol",
        target_team=people.team_b,
    )  # fmt: skip
    close(hosts)
    turn = hosts.turn_set.get(number=1)
    assert {o["reason"] for o in turn.adjudication["outcomes"].values()} == {""}
    assert not [c for c in turn.adjudication["changes"] if c["cause"] == "sovereignty"]


def offers_in(client, exercise: Exercise, nation: str) -> str:
    """The offers region of the nation's room, as its player sees it."""
    room = client.get(f"/x/{exercise.code}/team/{nation}/").content.decode()
    return room.split('id="offers"')[1].split("</section>")[0]


def answer_offer(host, exercise: Exercise, people: People, action: str) -> str:
    """The host answers the Dominican Republic's offer with its room's button for `action`;
    the offers region after it."""
    key = offers_in(host, exercise, B).split('name="idempotency_key" value="')[1].split('"')[0]
    answer = {"action": action, "target_team": people.team_a.pk, "resources": 0,
              "idempotency_key": key}  # fmt: skip
    assert host.post(f"/x/{exercise.code}/team/{B}/moves/", answer).status_code == 302
    return offers_in(host, exercise, B)


def test_the_host_sees_each_offer_and_consents_or_declines_in_its_room(
    hosts: Exercise, people: People, client_for: Callable
) -> None:
    relief(hosts, people)
    host = client_for(people.player_b)
    offers = offers_in(host, hosts, B)
    assert "Dominican Republic: Humanitarian assistance and disaster response" in offers
    assert 'value="request_assistance"' in offers and 'value="decline_assistance"' in offers
    # The sender's room shows no offer: only the host answers.
    assert "Humanitarian" not in offers_in(client_for(people.player_a), hosts, A)
    assert "You consented" in answer_offer(host, hosts, people, "request_assistance")
    close(hosts)
    outcomes = hosts.turn_set.get(number=1).adjudication["outcomes"]
    assert {o["reason"] for o in outcomes.values()} == {"", "request"}


def test_a_host_consents_on_its_conditions_and_both_reports_say_so(
    hosts: Exercise, people: People, client_for: Callable
) -> None:
    relief(hosts, people)
    host = client_for(people.player_b)
    offers = offers_in(host, hosts, B)
    assert 'value="consent_with_conditions"' in offers and "Consent with conditions" in offers
    offers = answer_offer(host, hosts, people, "consent_with_conditions")
    assert "You consented with conditions" in offers and "<button" not in offers
    close(hosts)
    turn = hosts.turn_set.get(number=1)
    outcomes = {o["key"]: o for o in turn.adjudication["outcomes"].values()}
    assert outcomes[f"{B}:1"]["reason"] == "condition"
    assert outcomes[f"{A}:1"]["reason"] == "" and "conditions" in outcomes[f"{A}:1"]["factors"]
    assert not [c for c in turn.adjudication["changes"] if c["cause"] == "sovereignty"]
    assert turn.snapshot["consents"] == [[B, A, "condition"]]
    text = situation_text(host, hosts, B)
    assert "your consent, on your conditions, stands this turn and the next." in text
    sender = situation_text(client_for(people.player_a), hosts, A)
    assert "It went in on Haiti's conditions, with less freedom of action." in sender
    assert "without Haiti's consent" not in sender
