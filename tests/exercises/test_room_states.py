"""What the rooms offer and say before the start, under review and after the end."""

from collections.abc import Callable

import pytest
from django.urls import reverse

from tests.exercises.conftest import A, B, People
from wargame.exercises.models import Exercise
from wargame.exercises.services import move_submit
from wargame.negotiation.services import proposal_counter, proposal_create
from wargame.turns.services import exercise_end, exercise_start, move_override, turn_close

pytestmark = pytest.mark.django_db


def room(client: object, exercise: Exercise, nation: str) -> str:
    return client.get(reverse("exercises:team", args=[exercise.code, nation])).content.decode()


def test_before_the_start_players_read_that_it_has_not_started(
    exercise: Exercise, people: People, client_for: Callable
) -> None:
    page = room(client_for(people.player_a), exercise, A)
    assert "Not started yet" in page
    assert "has not started yet" in page
    assert "Draft" not in page and "DRAFT" not in page and ">draft<" not in page
    home = client_for(people.player_a).get(reverse("home")).content.decode()
    assert "Not started yet" in home and "Draft" not in home


def test_after_the_end_the_room_offers_nothing_to_do(
    started: Exercise, people: People, client_for: Callable
) -> None:
    proposal = proposal_create(
        actor=people.player_a, team=people.team_a, parties=[people.team_b],
        action="intel_sharing", duration=2,
        commitments={A: {"points": 1, "terms": ""}, B: {"points": 1, "terms": ""}},
    )  # fmt: skip
    move_submit(actor=people.player_b, team=people.team_b, action="public_statement")
    before = room(client_for(people.player_b), started, B)
    assert ">Accept<" in before and "Counter with other terms" in before
    exercise_end(actor=people.facilitator, exercise=started, reason="Time is up.")
    player_b = room(client_for(people.player_b), started, B)
    player_a = room(client_for(people.player_a), started, A)
    for page in (player_a, player_b):
        for offer in (">Accept<", ">Reject<", "Counter with other terms", "Propose an agreement",
                      ">Withdraw<", ">Leave<", "We are ready"):  # fmt: skip
            assert offer not in page, offer
        assert "Moves can be submitted while the turn is open" not in page
        assert "The exercise has ended; no more moves can be submitted." in page
    assert proposal.pk  # the proposal is still listed, as a record


def test_an_overridden_outcome_is_marked_with_its_reason(
    exercise: Exercise, people: People, client_for: Callable
) -> None:
    exercise.adjudication_mode = Exercise.AdjudicationMode.REVIEW
    exercise.save(update_fields=["adjudication_mode"])
    exercise_start(actor=people.facilitator, exercise=exercise)
    forced = move_submit(actor=people.player_a, team=people.team_a, action="public_statement")
    move_submit(actor=people.player_b, team=people.team_b, action="public_statement")
    turn_close(exercise_id=exercise.pk, turn_number=1, actor=people.facilitator, reason="test")
    page = client_for(people.facilitator).get(reverse("exercises:control", args=[exercise.code]))
    assert "Overridden" not in page.content.decode()
    move_override(
        actor=people.facilitator, move=forced, success=False, reason="The statement came late"
    )
    html = client_for(people.facilitator).get(reverse("exercises:control", args=[exercise.code]))
    html = html.content.decode()
    review = html[html.index('id="review"') : html.index("</section>", html.index('id="review"'))]
    assert review.count("Overridden") == 1
    assert "The statement came late" in review
    # Proposed outcomes are named, not coded.
    assert "Failure" in review and ">failure<" not in review and ">success<" not in review


def test_a_counter_note_reaches_the_other_team_with_its_round(
    started: Exercise, people: People, client_for: Callable
) -> None:
    terms = {A: {"points": 1, "terms": ""}, B: {"points": 1, "terms": ""}}
    proposal = proposal_create(
        actor=people.player_a, team=people.team_a, parties=[people.team_b],
        action="intel_sharing", duration=2, commitments=terms, note="Shared watch lists",
    )  # fmt: skip
    proposal_counter(
        actor=people.player_b, proposal=proposal, team=people.team_b, commitments=terms,
        duration=1, note="One turn first, then we see",
    )  # fmt: skip
    page = room(client_for(people.player_a), started, A)
    assert "Note from Haiti, round 2" in page and "One turn first, then we see" in page
    assert "Note from Dominican Republic, round 1" in page


def test_one_point_is_one_point(started: Exercise, people: People, client_for: Callable) -> None:
    proposal_create(
        actor=people.player_a, team=people.team_a, parties=[people.team_b],
        action="intel_sharing", duration=2,
        commitments={A: {"points": 1, "terms": ""}, B: {"points": 2, "terms": ""}},
    )  # fmt: skip
    move_submit(
        actor=people.player_b, team=people.team_b, action="intel_sharing", target_team=people.team_a
    )
    page = room(client_for(people.player_b), started, B)
    assert "1 point ·" in page  # the move's cost
    assert "(1 point)" in page  # the action's cost in the move form
    assert "1 point per turn" in page and "2 points per turn" in page
    assert "1 points" not in page


def test_each_invite_link_has_a_copy_button_and_revoking_asks_first(
    exercise: Exercise, people: People, client_for: Callable
) -> None:
    page = client_for(people.facilitator).get(reverse("exercises:lobby", args=[exercise.code]))
    html = page.content.decode()
    for field in (f"link-{A}", f"link-{B}", "link-evaluators"):
        assert f'id="{field}"' in html and f'data-copy-target="{field}"' in html
    # Revoking is a second step behind a disclosure: works the same without JavaScript.
    revoke = reverse("exercises:invite_revoke", args=[exercise.code])
    forms = html.split(f'action="{revoke}"')
    assert len(forms) == 4  # two teams and the evaluators
    for before in forms[:-1]:
        assert before.rfind("<details") > before.rfind("</details>")
        assert before.rstrip().endswith('<form method="post"')
    assert "Yes, revoke it" in html
