"""Negotiation through its services: proposals and their rounds, agreements through the turn,
and messages in every channel."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from wargame.exercises.errors import NotAllowed, WrongState
from wargame.exercises.models import Event, Exercise, Role, TrustLink
from wargame.exercises.services import exercise_create, participant_add
from wargame.negotiation.models import (
    MESSAGE_MAX_LENGTH,
    Agreement,
    Channel,
    Message,
    Proposal,
    ProposalParty,
    ProposalRound,
)
from wargame.negotiation.services import (
    MAX_DURATION,
    agreement_conclude,
    agreement_leave,
    agreement_void,
    channel_key,
    message_send,
    proposal_answer,
    proposal_counter,
    proposal_create,
    proposal_renew,
    proposal_withdraw,
)
from wargame.scenarios.catalogue import engine_rules
from wargame.turns.services import exercise_end, exercise_pause, turn_close

from .conftest import Table

pytestmark = pytest.mark.django_db
User = get_user_model()
Answer = ProposalParty.Answer


# --- Helpers ----------------------------------------------------------------------------------


def terms(**points: int) -> dict[str, dict[str, Any]]:
    return {
        code: {"points": value, "terms": f"{code} shares its tracks."}
        for code, value in points.items()
    }


def propose(
    table: Table,
    by: str,
    to: list[str],
    *,
    action: str = "intel_sharing",
    commitments: dict[str, Any] | None = None,
    duration: int = 3,
    **kwargs: Any,
) -> Proposal:
    return proposal_create(
        actor=table.players[by],
        team=table.team(by),
        parties=[table.team(code) for code in to],
        action=action,
        commitments=commitments or terms(**{code: 1 for code in [by, *to]}),
        duration=duration,
        **kwargs,
    )


def answer(table: Table, proposal: Proposal, code: str, *, accept: bool = True) -> Proposal:
    return proposal_answer(
        actor=table.players[code], proposal=proposal, team=table.team(code), accept=accept
    )


def counter(
    table: Table, proposal: Proposal, code: str, commitments: dict[str, Any], duration: int = 3
) -> ProposalRound:
    return proposal_counter(
        actor=table.players[code],
        proposal=proposal,
        team=table.team(code),
        commitments=commitments,
        duration=duration,
        note="Our counter-offer.",
    )


def close(table: Table) -> None:
    exercise = table.fresh()
    assert turn_close(exercise_id=exercise.pk, turn_number=exercise.current_turn, reason="test")
    table.fresh()


def status(proposal: Proposal) -> str:
    return Proposal.objects.get(pk=proposal.pk).status


def answers(proposal: Proposal) -> dict[str, tuple[str, int | None]]:
    return {
        party.team.nation_code: (party.answer, party.answered_round)
        for party in proposal.party_set.select_related("team")
    }


def kinds(exercise: Exercise) -> list[str]:
    return list(exercise.events.values_list("kind", flat=True))


def trust(table: Table, a: str, b: str) -> int:
    first, second = sorted((table.team(a), table.team(b)), key=lambda team: team.pk)
    return TrustLink.objects.get(exercise=table.exercise, team_a=first, team_b=second).value


def with_agreement_gain(before: int) -> int:
    """Trust after one turn of an agreement in force, by the engine's rules."""
    rules = engine_rules()
    delta = rules.agreement_trust_per_turn
    if rules.diminishing_gains:
        delta = delta * (100 - before) / 100
    return max(0, min(100, before + round(delta)))


def with_break(before: int) -> int:
    return max(0, min(100, before + round(engine_rules().broken_agreement_trust)))


# --- Making a proposal ------------------------------------------------------------------------


def test_a_bilateral_proposal_opens_round_1_accepted_by_its_proposer(duo: Table) -> None:
    version = duo.exercise.version
    proposal = propose(
        duo,
        "DOM",
        ["HTI"],
        commitments={
            "DOM": {"points": "2", "terms": "  Daily maritime tracks.  "},
            "HTI": {"points": 1, "terms": "x" * 500},  # the most terms may hold
        },
        duration=2,
        note="An opening offer.",
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.OPEN
    assert (proposal.opened_turn, proposal.expires_turn) == (1, 1)
    assert proposal.proposer == duo.team("DOM")
    assert proposal.action_type.code == "intel_sharing"
    assert proposal.closed_at is None
    [round_1] = proposal.rounds.all()
    assert (round_1.number, round_1.author, round_1.author_user) == (
        1,
        duo.team("DOM"),
        duo.players["DOM"],
    )
    assert round_1.commitments == {
        "DOM": {"points": 2, "terms": "Daily maritime tracks."},
        "HTI": {"points": 1, "terms": "x" * 500},
    }
    assert (round_1.duration_turns, round_1.note) == (2, "An opening offer.")
    assert answers(proposal) == {"DOM": (Answer.ACCEPTED, 1), "HTI": (Answer.PENDING, None)}
    event = duo.exercise.events.get(kind="proposal.made")
    assert event.team == duo.team("DOM") and event.actor == duo.players["DOM"]
    assert event.payload == {
        "proposal": proposal.pk,
        "action": "intel_sharing",
        "parties": ["DOM", "HTI"],
        "duration": 2,
    }
    assert duo.fresh().version > version
    assert not Agreement.objects.exists()


def test_a_multilateral_proposal_waits_for_every_other_party(trio: Table) -> None:
    proposal = propose(trio, "ARG", ["ATG", "BHS"], action="maritime_patrol")
    assert answers(proposal) == {
        "ARG": (Answer.ACCEPTED, 1),
        "ATG": (Answer.PENDING, None),
        "BHS": (Answer.PENDING, None),
    }
    assert set(proposal.parties.values_list("nation_code", flat=True)) == {"ARG", "ATG", "BHS"}


def test_naming_the_proposer_among_the_parties_is_harmless(duo: Table) -> None:
    proposal = propose(duo, "DOM", ["DOM", "HTI"])
    assert answers(proposal) == {"DOM": (Answer.ACCEPTED, 1), "HTI": (Answer.PENDING, None)}


def test_naming_a_party_twice_makes_it_a_party_once(duo: Table) -> None:
    proposal = propose(duo, "DOM", ["HTI", "HTI"])
    assert answers(proposal) == {"DOM": (Answer.ACCEPTED, 1), "HTI": (Answer.PENDING, None)}


@pytest.mark.parametrize("duration", [1, MAX_DURATION])
def test_an_agreement_may_last_from_one_to_eight_turns(duo: Table, duration: int) -> None:
    proposal = propose(duo, "DOM", ["HTI"], duration=duration)
    assert proposal.rounds.get().duration_turns == duration


@pytest.mark.parametrize("points", [0, 4])
def test_a_party_may_commit_up_to_its_action_points_per_turn(duo: Table, points: int) -> None:
    # Haiti has 4 action points a turn in the minimal scenario.
    proposal = propose(duo, "DOM", ["HTI"], commitments=terms(DOM=points, HTI=points))
    assert proposal.rounds.get().commitments["HTI"]["points"] == points


def test_a_commitment_a_party_could_never_pay_is_refused(duo: Table) -> None:
    with pytest.raises(WrongState, match=r"Haiti has only 4 action points a turn to commit\."):
        propose(duo, "DOM", ["HTI"], commitments=terms(DOM=1, HTI=5))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"to": []}, "Propose to one or more other nations"),
        ({"to": ["DOM"]}, "Propose to one or more other nations"),
        ({"action": "public_statement"}, "That action cannot be agreed."),
        ({"action": "border_security"}, "That action cannot be agreed."),
        ({"action": "cyber_cooperation"}, "That action is not part of this exercise."),
        ({"duration": 0}, "An agreement lasts from 1 to 8 turns."),
        ({"duration": MAX_DURATION + 1}, "An agreement lasts from 1 to 8 turns."),
        ({"commitments": terms(DOM=1)}, "Say what each party commits"),
        ({"commitments": terms(DOM=1, HTI=1, JAM=1)}, "Say what each party commits"),
        ({"commitments": terms(DOM=-1, HTI=1)}, "from 0 to 10 action points"),
        ({"commitments": terms(DOM=1, HTI=11)}, "from 0 to 10 action points"),
        ({"commitments": {"DOM": {"points": "two"}, "HTI": {}}}, "a whole number"),
    ],
    ids=[
        "no-party",
        "only-itself",
        "not-negotiable",
        "not-negotiable-2",
        "not-in-scenario",
        "duration-0",
        "duration-9",
        "missing-party",
        "extra-party",
        "points-below-0",
        "points-above-10",
        "points-not-a-number",
    ],
)
def test_bad_proposals_are_refused_with_a_reason(
    duo: Table, change: dict[str, Any], message: str
) -> None:
    kwargs: dict[str, Any] = {"to": ["HTI"]} | change
    to = kwargs.pop("to")
    with pytest.raises(WrongState, match=message):
        propose(duo, "DOM", to, **kwargs)
    assert not Proposal.objects.exists()
    assert not ProposalRound.objects.exists()
    assert "proposal.made" not in kinds(duo.exercise)


def test_a_party_of_another_exercise_is_refused(duo: Table, minimal_scenario, facilitator) -> None:
    other = exercise_create(actor=facilitator, scenario=minimal_scenario, title="Elsewhere")
    with pytest.raises(WrongState, match="nations of this exercise"):
        proposal_create(
            actor=duo.players["DOM"],
            team=duo.team("DOM"),
            parties=[other.teams.get(nation_code="HTI")],
            action="intel_sharing",
            commitments=terms(DOM=1, HTI=1),
            duration=2,
        )
    assert not Proposal.objects.exists()


def test_only_a_player_of_the_proposing_team_proposes(duo: Table) -> None:
    for actor in (duo.players["HTI"], duo.facilitator, duo.evaluator, None):
        with pytest.raises(NotAllowed, match="Only the players of Dominican Republic"):
            proposal_create(
                actor=actor,
                team=duo.team("DOM"),
                parties=[duo.team("HTI")],
                action="intel_sharing",
                commitments=terms(DOM=1, HTI=1),
                duration=2,
            )
    assert not Proposal.objects.exists()


def test_a_bot_team_proposes_through_the_system(duo: Table) -> None:
    bot = duo.team("DOM")
    bot.bot = True
    bot.save(update_fields=["bot"])
    proposal = proposal_create(
        actor=None,
        team=bot,
        parties=[duo.team("HTI")],
        action="intel_sharing",
        commitments=terms(DOM=1, HTI=1),
        duration=2,
    )
    assert proposal.rounds.get().author_user is None


def test_nothing_is_proposed_before_the_start(seated: Table) -> None:
    with pytest.raises(WrongState, match="while the exercise is in play"):
        propose(seated, "DOM", ["HTI"])


def test_nothing_is_proposed_after_the_end(duo: Table) -> None:
    exercise_end(actor=duo.facilitator, exercise=duo.exercise, reason="Time is up.")
    with pytest.raises(WrongState, match="while the exercise is in play"):
        propose(duo, "DOM", ["HTI"])


def test_nothing_is_proposed_while_the_turn_is_adjudicated(duo: Table) -> None:
    Exercise.objects.filter(pk=duo.exercise.pk).update(adjudication_mode="review")
    close(duo)
    assert duo.exercise.status == Exercise.Status.ADJUDICATING
    with pytest.raises(WrongState, match="while the exercise is in play"):
        propose(duo, "DOM", ["HTI"])


def test_negotiation_goes_on_while_the_clock_is_paused(duo: Table) -> None:
    exercise_pause(actor=duo.facilitator, exercise=duo.exercise)
    proposal = propose(duo, "DOM", ["HTI"])
    answer(duo, proposal, "HTI")
    assert status(proposal) == Proposal.Status.ACCEPTED


# --- Answering --------------------------------------------------------------------------------


def test_accepting_a_bilateral_proposal_brings_the_agreement_into_force(duo: Table) -> None:
    close(duo)  # turn 2, so that the turns are not all 1
    proposal = propose(duo, "DOM", ["HTI"], commitments=terms(DOM=2, HTI=1), duration=3)
    version = duo.fresh().version
    answer(duo, proposal, "HTI")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED and proposal.closed_at is not None
    assert answers(proposal) == {"DOM": (Answer.ACCEPTED, 1), "HTI": (Answer.ACCEPTED, 1)}
    agreement = Agreement.objects.get()
    assert agreement.proposal == proposal
    assert agreement.exercise == duo.exercise
    assert agreement.action_type.code == "intel_sharing"
    assert agreement.status == Agreement.Status.IN_FORCE
    assert agreement.commitments == proposal.rounds.get().commitments
    assert set(agreement.parties.values_list("nation_code", flat=True)) == {"DOM", "HTI"}
    assert (agreement.starts_turn, agreement.ends_turn) == (2, 4)
    assert agreement.leaving == []
    assert kinds(duo.exercise)[-2:] == ["proposal.accepted", "agreement.concluded"]
    concluded = duo.exercise.events.get(kind="agreement.concluded")
    assert concluded.payload == {
        "agreement": agreement.pk,
        "proposal": proposal.pk,
        "action": "intel_sharing",
        "parties": ["DOM", "HTI"],
        "turns": 3,
    }
    assert duo.fresh().version >= version + 2


def test_rejecting_ends_the_negotiation(trio: Table) -> None:
    proposal = propose(trio, "ARG", ["ATG", "BHS"])
    answer(trio, proposal, "ATG")
    answer(trio, proposal, "BHS", accept=False)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED and proposal.closed_at is not None
    assert answers(proposal)["BHS"] == (Answer.REJECTED, 1)
    assert not Agreement.objects.exists()
    rejected = trio.exercise.events.get(kind="proposal.rejected")
    assert rejected.team == trio.team("BHS")
    assert rejected.payload == {"proposal": proposal.pk, "round": 1}


def test_a_player_answers_only_for_their_own_team(duo: Table) -> None:
    proposal = propose(duo, "DOM", ["HTI"])
    for actor in (duo.players["DOM"], duo.facilitator, duo.evaluator, None):
        with pytest.raises(NotAllowed):
            proposal_answer(actor=actor, proposal=proposal, team=duo.team("HTI"), accept=True)
    assert answers(proposal)["HTI"] == (Answer.PENDING, None)


def test_a_nation_that_is_not_a_party_cannot_answer_counter_or_renew(trio: Table) -> None:
    proposal = propose(trio, "ARG", ["ATG"])
    with pytest.raises(NotAllowed, match="not a party"):
        answer(trio, proposal, "BHS")
    with pytest.raises(NotAllowed, match="not a party"):
        counter(trio, proposal, "BHS", terms(ARG=1, ATG=1))
    with pytest.raises(NotAllowed, match="not a party"):
        proposal_renew(actor=trio.players["BHS"], proposal=proposal, team=trio.team("BHS"))
    assert status(proposal) == Proposal.Status.OPEN
    assert proposal.rounds.count() == 1
    assert answers(proposal) == {"ARG": (Answer.ACCEPTED, 1), "ATG": (Answer.PENDING, None)}


# --- Counter-proposals ------------------------------------------------------------------------


def test_a_counter_is_a_new_round_that_every_other_party_answers_again(trio: Table) -> None:
    proposal = propose(trio, "ARG", ["ATG", "BHS"])
    answer(trio, proposal, "ATG")
    round_2 = counter(trio, proposal, "BHS", terms(ARG=2, ATG=2, BHS=1), duration=4)
    assert (round_2.number, round_2.author, round_2.author_user) == (
        2,
        trio.team("BHS"),
        trio.players["BHS"],
    )
    assert round_2.duration_turns == 4 and round_2.note == "Our counter-offer."
    assert status(proposal) == Proposal.Status.OPEN
    assert answers(proposal) == {
        "ARG": (Answer.PENDING, None),
        "ATG": (Answer.PENDING, None),
        "BHS": (Answer.ACCEPTED, 2),
    }
    event = trio.exercise.events.get(kind="proposal.countered")
    assert event.team == trio.team("BHS")
    assert event.payload == {"proposal": proposal.pk, "round": 2}


def test_a_counter_with_bad_terms_changes_nothing(duo: Table) -> None:
    proposal = propose(duo, "DOM", ["HTI"])
    with pytest.raises(WrongState):
        counter(duo, proposal, "HTI", terms(DOM=1, HTI=1), duration=0)
    with pytest.raises(WrongState):
        counter(duo, proposal, "HTI", terms(HTI=1))
    assert proposal.rounds.count() == 1
    assert answers(proposal) == {"DOM": (Answer.ACCEPTED, 1), "HTI": (Answer.PENDING, None)}


def test_a_player_counters_only_for_their_own_team(duo: Table) -> None:
    proposal = propose(duo, "DOM", ["HTI"])
    with pytest.raises(NotAllowed):
        proposal_counter(
            actor=duo.players["DOM"],
            proposal=proposal,
            team=duo.team("HTI"),
            commitments=terms(DOM=0, HTI=0),
            duration=1,
        )
    assert proposal.rounds.count() == 1


def test_a_three_way_agreement_needs_all_three_to_accept_the_last_round(trio: Table) -> None:
    close(trio)  # turn 2
    proposal = propose(
        trio, "ARG", ["ATG", "BHS"], commitments=terms(ARG=1, ATG=1, BHS=1), duration=2
    )
    answer(trio, proposal, "ATG")  # round 1: does not count once BHS counters
    counter(trio, proposal, "BHS", terms(ARG=3, ATG=2, BHS=4), duration=5)
    answer(trio, proposal, "ARG")
    assert status(proposal) == Proposal.Status.OPEN
    assert not Agreement.objects.exists()
    answer(trio, proposal, "ATG")
    assert status(proposal) == Proposal.Status.ACCEPTED
    agreement = Agreement.objects.get(proposal=proposal)
    round_2 = proposal.rounds.get(number=2)
    assert agreement.commitments == round_2.commitments
    assert agreement.commitments == {
        "ARG": {"points": 3, "terms": "ARG shares its tracks."},
        "ATG": {"points": 2, "terms": "ATG shares its tracks."},
        "BHS": {"points": 4, "terms": "BHS shares its tracks."},
    }
    assert set(agreement.parties.values_list("nation_code", flat=True)) == {"ARG", "ATG", "BHS"}
    assert (agreement.starts_turn, agreement.ends_turn) == (2, 2 + 5 - 1)
    # The thread is kept whole for the report.
    thread = list(proposal.rounds.order_by("number"))
    assert [(r.number, r.author.nation_code, r.duration_turns) for r in thread] == [
        (1, "ARG", 2),
        (2, "BHS", 5),
    ]
    assert thread[0].commitments["ARG"]["points"] == 1
    assert answers(proposal) == {
        "ARG": (Answer.ACCEPTED, 2),
        "ATG": (Answer.ACCEPTED, 2),
        "BHS": (Answer.ACCEPTED, 2),
    }
    assert kinds(trio.exercise).count("agreement.concluded") == 1


def test_every_counter_resets_the_answers_including_the_last_authors(trio: Table) -> None:
    proposal = propose(trio, "ARG", ["ATG", "BHS"])
    counter(trio, proposal, "BHS", terms(ARG=2, ATG=2, BHS=2))
    counter(trio, proposal, "ATG", terms(ARG=1, ATG=3, BHS=2))
    assert proposal.rounds.count() == 3
    assert answers(proposal) == {
        "ARG": (Answer.PENDING, None),
        "ATG": (Answer.ACCEPTED, 3),
        "BHS": (Answer.PENDING, None),
    }
    answer(trio, proposal, "ARG")
    answer(trio, proposal, "BHS")
    agreement = Agreement.objects.get()
    assert agreement.commitments["ATG"]["points"] == 3


# --- Withdrawal, renewal, expiry --------------------------------------------------------------


def test_the_proposer_withdraws(duo: Table) -> None:
    proposal = propose(duo, "DOM", ["HTI"])
    proposal_withdraw(actor=duo.players["DOM"], proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN and proposal.closed_at is not None
    event = duo.exercise.events.get(kind="proposal.withdrawn")
    assert (event.team, event.payload) == (duo.team("DOM"), {"proposal": proposal.pk})


def test_only_the_proposer_withdraws(duo: Table) -> None:
    proposal = propose(duo, "DOM", ["HTI"])
    for actor in (duo.players["HTI"], duo.facilitator, duo.evaluator, None):
        with pytest.raises(NotAllowed):
            proposal_withdraw(actor=actor, proposal=proposal)
    assert status(proposal) == Proposal.Status.OPEN


def test_renewing_keeps_a_proposal_through_the_next_turn(duo: Table) -> None:
    proposal = propose(duo, "DOM", ["HTI"])
    renewed = proposal_renew(actor=duo.players["HTI"], proposal=proposal, team=duo.team("HTI"))
    assert renewed.expires_turn == 2
    assert Proposal.objects.get(pk=proposal.pk).expires_turn == 2
    event = duo.exercise.events.get(kind="proposal.renewed")
    assert (event.team, event.payload) == (duo.team("HTI"), {"proposal": proposal.pk})
    close(duo)  # turn 2 opens: the proposal is still on the table
    assert status(proposal) == Proposal.Status.OPEN
    assert not duo.exercise.events.filter(kind="proposal.expired").exists()
    renewed = proposal_renew(actor=duo.players["DOM"], proposal=proposal, team=duo.team("DOM"))
    assert renewed.expires_turn == 3
    close(duo)  # turn 3
    assert status(proposal) == Proposal.Status.OPEN
    close(duo)  # turn 4: it lapses
    assert status(proposal) == Proposal.Status.EXPIRED


def test_a_player_renews_only_for_their_own_team(duo: Table) -> None:
    proposal = propose(duo, "DOM", ["HTI"])
    with pytest.raises(NotAllowed):
        proposal_renew(actor=duo.players["DOM"], proposal=proposal, team=duo.team("HTI"))
    assert Proposal.objects.get(pk=proposal.pk).expires_turn == 1


def test_an_open_proposal_lapses_when_the_next_turn_opens(duo: Table) -> None:
    lapsing = propose(duo, "DOM", ["HTI"])
    renewed = propose(duo, "HTI", ["DOM"])
    proposal_renew(actor=duo.players["HTI"], proposal=renewed, team=duo.team("HTI"))
    accepted = propose(duo, "DOM", ["HTI"], action="hadr")
    answer(duo, accepted, "HTI")
    close(duo)
    lapsed = Proposal.objects.get(pk=lapsing.pk)
    assert lapsed.status == Proposal.Status.EXPIRED and lapsed.closed_at is not None
    assert status(renewed) == Proposal.Status.OPEN
    assert status(accepted) == Proposal.Status.ACCEPTED
    expired = duo.exercise.events.get(kind="proposal.expired")
    assert (expired.turn, expired.payload) == (2, {"count": 1})
    made_now = propose(duo, "DOM", ["HTI"], action="hadr")
    assert (made_now.opened_turn, made_now.expires_turn) == (2, 2)
    close(duo)  # turn 3: the renewed one and the one made in turn 2 lapse
    assert status(renewed) == Proposal.Status.EXPIRED
    assert status(made_now) == Proposal.Status.EXPIRED
    assert duo.exercise.events.get(kind="proposal.expired", turn=3).payload == {"count": 2}


def close_by(table: Table, proposal: Proposal, how: str) -> None:
    if how == "accepted":
        answer(table, proposal, "HTI")
    elif how == "rejected":
        answer(table, proposal, "HTI", accept=False)
    elif how == "withdrawn":
        proposal_withdraw(actor=table.players["DOM"], proposal=proposal)
    else:
        close(table)
    assert status(proposal) == how


@pytest.mark.parametrize("how", ["accepted", "rejected", "withdrawn", "expired"])
def test_a_closed_proposal_takes_no_more_answers(duo: Table, how: str) -> None:
    proposal = propose(duo, "DOM", ["HTI"])
    close_by(duo, proposal, how)
    events = Event.objects.count()
    attempts = [
        lambda: answer(duo, proposal, "HTI"),
        lambda: answer(duo, proposal, "HTI", accept=False),
        lambda: counter(duo, proposal, "HTI", terms(DOM=1, HTI=1)),
        lambda: proposal_withdraw(actor=duo.players["DOM"], proposal=proposal),
        lambda: proposal_renew(actor=duo.players["HTI"], proposal=proposal, team=duo.team("HTI")),
    ]
    for attempt in attempts:
        with pytest.raises(WrongState, match="no longer open"):
            attempt()
    assert status(proposal) == how
    assert proposal.rounds.count() == 1
    assert Agreement.objects.count() == (1 if how == "accepted" else 0)
    assert Event.objects.count() == events


# --- Agreements through the turn --------------------------------------------------------------


def three_way_agreement(table: Table, duration: int = 3) -> Agreement:
    proposal = propose(
        table, "ARG", ["ATG", "BHS"], commitments=terms(ARG=3, ATG=2, BHS=1), duration=duration
    )
    answer(table, proposal, "ATG")
    answer(table, proposal, "BHS")
    return Agreement.objects.get(proposal=proposal)


PAIRS = [("ARG", "ATG"), ("ARG", "BHS"), ("ATG", "BHS")]


def test_an_agreement_builds_trust_and_costs_its_commitments(trio: Table) -> None:
    rules = engine_rules()
    assert rules.agreement_trust_per_turn > 0
    before = {pair: trust(trio, *pair) for pair in PAIRS}
    per_turn = {code: trio.team(code).budget_per_turn for code in ("ARG", "ATG", "BHS")}
    three_way_agreement(trio)
    close(trio)
    for pair in PAIRS:
        assert trust(trio, *pair) == with_agreement_gain(before[pair]) > before[pair], pair
    committed = {"ARG": 3, "ATG": 2, "BHS": 1}
    for code, points in committed.items():
        assert trio.team(code).budget == per_turn[code] - points, code
    assert Agreement.objects.get().status == Agreement.Status.IN_FORCE


def test_an_agreement_ends_after_its_last_turn(trio: Table) -> None:
    per_turn = trio.team("ARG").budget_per_turn
    agreement = three_way_agreement(trio, duration=2)
    close(trio)
    assert trio.team("ARG").budget == per_turn - 3
    close(trio)  # turn 2 was its last
    agreement.refresh_from_db()
    assert (agreement.status, agreement.ended_turn) == (Agreement.Status.EXPIRED, 2)
    assert trio.team("ARG").budget == per_turn


def test_a_party_that_leaves_breaks_the_agreement_and_loses_trust(trio: Table) -> None:
    rules = engine_rules()
    assert rules.broken_agreement_trust < 0
    agreement = three_way_agreement(trio)
    close(trio)  # turn 2
    before = {pair: trust(trio, *pair) for pair in PAIRS}
    version = trio.exercise.version
    agreement_leave(actor=trio.players["ATG"], agreement=agreement, team=trio.team("ATG"))
    agreement.refresh_from_db()
    assert agreement.leaving == ["ATG"]
    assert agreement.status == Agreement.Status.IN_FORCE  # until the adjudication
    leaving = trio.exercise.events.get(kind="agreement.leaving")
    assert (leaving.team, leaving.payload) == (trio.team("ATG"), {"agreement": agreement.pk})
    assert trio.fresh().version > version
    close(trio)  # turn 3
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.BROKEN
    assert (agreement.broken_by, agreement.ended_turn) == (trio.team("ATG"), 2)
    for pair in [("ARG", "ATG"), ("ATG", "BHS")]:
        expected = with_break(with_agreement_gain(before[pair]))
        assert trust(trio, *pair) == expected < before[pair], pair
    assert trust(trio, "ARG", "BHS") == with_agreement_gain(before[("ARG", "BHS")])
    broken = trio.exercise.events.get(kind="agreement.broken")
    assert broken.team == trio.team("ATG")
    # Nobody pays for a broken agreement any more.
    for code in ("ARG", "ATG", "BHS"):
        team = trio.team(code)
        assert team.budget == team.budget_per_turn, code


def test_leaving_twice_counts_once(trio: Table) -> None:
    agreement = three_way_agreement(trio)
    for _ in range(2):
        agreement_leave(actor=trio.players["BHS"], agreement=agreement, team=trio.team("BHS"))
    agreement.refresh_from_db()
    assert agreement.leaving == ["BHS"]


def test_only_a_party_leaves_and_only_by_its_own_players(trio: Table) -> None:
    proposal = propose(trio, "ARG", ["ATG"])
    answer(trio, proposal, "ATG")
    agreement = Agreement.objects.get()
    with pytest.raises(NotAllowed, match="not a party"):
        agreement_leave(actor=trio.players["BHS"], agreement=agreement, team=trio.team("BHS"))
    for actor in (trio.players["ARG"], trio.facilitator, trio.evaluator, None):
        with pytest.raises(NotAllowed):
            agreement_leave(actor=actor, agreement=agreement, team=trio.team("ATG"))
    agreement.refresh_from_db()
    assert agreement.leaving == []


def test_an_agreement_that_has_ended_cannot_be_left(trio: Table) -> None:
    agreement = three_way_agreement(trio)
    agreement_void(actor=trio.facilitator, agreement=agreement, reason="Scenario reset.")
    with pytest.raises(WrongState, match="no longer in force"):
        agreement_leave(actor=trio.players["ARG"], agreement=agreement, team=trio.team("ARG"))


def test_the_facilitator_voids_an_agreement_with_a_reason(trio: Table) -> None:
    before = {pair: trust(trio, *pair) for pair in PAIRS}
    agreement = three_way_agreement(trio)
    with pytest.raises(WrongState, match="Give a reason"):
        agreement_void(actor=trio.facilitator, agreement=agreement, reason="  ")
    assert Agreement.objects.get().status == Agreement.Status.IN_FORCE
    agreement_void(actor=trio.facilitator, agreement=agreement, reason="Signed under duress.")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.VOIDED
    assert (agreement.end_reason, agreement.ended_turn) == ("Signed under duress.", 1)
    voided = trio.exercise.events.get(kind="agreement.voided")
    assert (voided.actor, voided.payload) == (
        trio.facilitator,
        {"agreement": agreement.pk, "reason": "Signed under duress."},
    )
    with pytest.raises(WrongState, match="no longer in force"):
        agreement_void(actor=trio.facilitator, agreement=agreement, reason="Again.")
    # A voided agreement has no effect at the adjudication, and nobody loses trust.
    close(trio)
    assert {pair: trust(trio, *pair) for pair in PAIRS} == before
    for code in ("ARG", "ATG", "BHS"):
        team = trio.team(code)
        assert team.budget == team.budget_per_turn, code


def test_only_the_facilitator_voids(trio: Table, minimal_scenario) -> None:
    agreement = three_way_agreement(trio)
    stranger = User.objects.create_user("other-facilitator")
    exercise_create(actor=stranger, scenario=minimal_scenario)
    for actor in (trio.players["ARG"], trio.players["ATG"], trio.evaluator, stranger):
        with pytest.raises(NotAllowed):
            agreement_void(actor=actor, agreement=agreement, reason="Because.")
    assert Agreement.objects.get().status == Agreement.Status.IN_FORCE


# --- Agreements recorded by the facilitator ---------------------------------------------------


def test_the_facilitator_records_an_agreement_made_in_the_room(trio: Table) -> None:
    agreement = agreement_conclude(
        actor=trio.facilitator,
        exercise=trio.exercise,
        action="joint_exercise",
        commitments=terms(ARG=2, BHS=1),
        turns=2,
    )
    assert agreement.proposal is None
    assert set(agreement.parties.values_list("nation_code", flat=True)) == {"ARG", "BHS"}
    assert agreement.commitments["ARG"] == {"points": 2, "terms": "ARG shares its tracks."}
    assert (agreement.starts_turn, agreement.ends_turn) == (1, 2)
    event = trio.exercise.events.get(kind="agreement.concluded")
    assert event.payload["parties"] == ["ARG", "BHS"]


@pytest.mark.parametrize(
    "commitments",
    [terms(ARG=1), terms(ARG=1, HTI=1), {}],
    ids=["one-nation", "foreign-nation", "nobody"],
)
def test_a_recorded_agreement_needs_two_nations_of_the_exercise(
    trio: Table, commitments: dict[str, Any]
) -> None:
    with pytest.raises(WrongState, match="two or more nations"):
        agreement_conclude(
            actor=trio.facilitator,
            exercise=trio.exercise,
            action="joint_exercise",
            commitments=commitments,
            turns=2,
        )
    assert not Agreement.objects.exists()


def test_only_the_facilitator_records_an_agreement(trio: Table) -> None:
    for actor in (trio.players["ARG"], trio.evaluator):
        with pytest.raises(NotAllowed):
            agreement_conclude(
                actor=actor,
                exercise=trio.exercise,
                action="joint_exercise",
                commitments=terms(ARG=0, ATG=0),
                turns=2,
            )
    assert not Agreement.objects.exists()


def test_a_recorded_agreement_of_an_action_outside_the_exercise_is_refused(duo: Table) -> None:
    with pytest.raises(WrongState):
        agreement_conclude(
            actor=duo.facilitator,
            exercise=duo.exercise,
            action="cyber_cooperation",
            commitments=terms(DOM=1, HTI=1),
            turns=2,
        )
    assert not Agreement.objects.exists()


# --- Messages ---------------------------------------------------------------------------------


def send(table: Table, who: str, channel: str, body: str = "Hello.", **kwargs: Any) -> Message:
    actor = {"F": table.facilitator, "E": table.evaluator}.get(who) or table.players[who]
    return message_send(actor=actor, exercise=table.exercise, channel=channel, body=body, **kwargs)


def test_a_player_posts_in_their_own_team_channel(duo: Table) -> None:
    message = send(duo, "HTI", Channel.TEAM, "  Hold the port.  ")
    assert (message.channel, message.team_a, message.team_b) == (
        Channel.TEAM,
        duo.team("HTI"),
        None,
    )
    assert (message.author, message.author_team) == (duo.players["HTI"], duo.team("HTI"))
    assert (message.body, message.turn, message.speaks_as) == ("Hold the port.", 1, "")


def test_a_player_cannot_post_in_another_teams_channel(duo: Table) -> None:
    # The service puts a player's message in their own team's channel whatever team is asked
    # for: nothing reaches the other team's room.
    message = send(duo, "DOM", Channel.TEAM, "Our red lines.", team=duo.team("HTI"))
    assert message.team_a == duo.team("DOM")
    assert not Message.objects.filter(channel=Channel.TEAM, team_a=duo.team("HTI")).exists()
    event = duo.exercise.events.get(kind="message.sent")
    assert event.payload["channel"] == "team:DOM"


def test_the_facilitator_posts_in_any_team_channel_of_the_exercise(
    duo: Table, minimal_scenario
) -> None:
    message = send(duo, "F", Channel.TEAM, "A word from control.", team=duo.team("HTI"))
    assert (message.team_a, message.author_team) == (duo.team("HTI"), None)
    with pytest.raises(WrongState, match="Which team"):
        send(duo, "F", Channel.TEAM)
    elsewhere = exercise_create(actor=duo.facilitator, scenario=minimal_scenario)
    with pytest.raises((WrongState, NotAllowed)):
        send(duo, "F", Channel.TEAM, team=elsewhere.teams.get(nation_code="HTI"))
    assert Message.objects.count() == 1


def test_a_bilateral_channel_is_between_two_different_teams(duo: Table) -> None:
    message = send(duo, "HTI", Channel.BILATERAL, "Shall we talk?", other=duo.team("DOM"))
    low, high = sorted((duo.team("DOM"), duo.team("HTI")), key=lambda team: team.pk)
    assert (message.team_a, message.team_b, message.author_team) == (low, high, duo.team("HTI"))
    event = duo.exercise.events.get(kind="message.sent")
    assert event.payload == {"channel": "bi:DOM-HTI", "message": message.pk}
    assert event.team == duo.team("HTI")
    reply = send(duo, "DOM", Channel.BILATERAL, "Yes.", other=duo.team("HTI"))
    assert (reply.team_a, reply.team_b) == (low, high)
    with pytest.raises(WrongState, match="two different nations"):
        send(duo, "HTI", Channel.BILATERAL, other=duo.team("HTI"))
    with pytest.raises(WrongState, match="two different nations"):
        send(duo, "HTI", Channel.BILATERAL)
    # A player cannot open a bilateral channel between two other nations.
    with pytest.raises(WrongState, match="two different nations"):
        send(duo, "HTI", Channel.BILATERAL, team=duo.team("DOM"), other=duo.team("HTI"))
    assert Message.objects.count() == 2


def test_a_bilateral_channel_is_with_a_nation_of_the_same_exercise(
    duo: Table, minimal_scenario
) -> None:
    elsewhere = exercise_create(actor=duo.facilitator, scenario=minimal_scenario)
    with pytest.raises((WrongState, NotAllowed)):
        send(duo, "HTI", Channel.BILATERAL, other=elsewhere.teams.get(nation_code="DOM"))
    assert not Message.objects.exists()


def test_the_plenary_is_open_to_players_and_the_facilitator(duo: Table) -> None:
    first = send(duo, "DOM", Channel.PLENARY, "Good morning.", speaks_as="OAS Secretary General")
    second = send(duo, "F", Channel.PLENARY, "Welcome.")
    for message in (first, second):
        assert (message.channel, message.team_a, message.team_b) == (Channel.PLENARY, None, None)
    assert first.speaks_as == ""  # a player speaks for their nation only
    assert (first.author_team, second.author_team) == (duo.team("DOM"), None)


def test_only_the_facilitator_broadcasts_and_may_speak_as_someone_else(duo: Table) -> None:
    message = send(duo, "F", Channel.BROADCAST, "Ceasefire declared.", speaks_as="UN envoy")
    assert (message.channel, message.team_a, message.team_b) == (Channel.BROADCAST, None, None)
    assert (message.speaks_as, message.author_team) == ("UN envoy", None)
    assert send(duo, "F", Channel.BROADCAST, speaks_as="x" * 200).speaks_as == "x" * 120
    with pytest.raises(NotAllowed, match="Only the facilitator broadcasts"):
        send(duo, "HTI", Channel.BROADCAST, speaks_as="UN envoy")
    assert Message.objects.count() == 2


def test_evaluators_and_strangers_do_not_send_messages(duo: Table, minimal_scenario) -> None:
    stranger = User.objects.create_user("stranger")
    other_facilitator = User.objects.create_user("other-facilitator")
    exercise_create(actor=other_facilitator, scenario=minimal_scenario)
    for actor in (duo.evaluator, stranger, other_facilitator):
        for channel in Channel.values:
            with pytest.raises(NotAllowed, match="Only players and the facilitator"):
                message_send(
                    actor=actor,
                    exercise=duo.exercise,
                    channel=channel,
                    body="Psst.",
                    team=duo.team("HTI"),
                    other=duo.team("DOM"),
                )
    assert not Message.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n\t "])
def test_an_empty_message_is_refused(duo: Table, body: str) -> None:
    with pytest.raises(WrongState, match="Write something first"):
        send(duo, "HTI", Channel.PLENARY, body)
    assert not Message.objects.exists()


def test_a_message_is_at_most_2000_characters(duo: Table) -> None:
    assert MESSAGE_MAX_LENGTH == 2000
    with pytest.raises(WrongState) as refused:
        send(duo, "HTI", Channel.PLENARY, "x" * 2001)
    assert str(refused.value) == "A message is at most 2000 characters; this one has 2001."
    assert not Message.objects.exists()
    message = send(duo, "HTI", Channel.PLENARY, "x" * 2000)
    assert len(Message.objects.get(pk=message.pk).body) == 2000
    # Surrounding blanks do not count.
    assert len(send(duo, "HTI", Channel.PLENARY, f"  {'y' * 2000}\n").body) == 2000


def test_an_unknown_channel_is_refused(duo: Table) -> None:
    with pytest.raises(WrongState, match="Unknown channel"):
        send(duo, "F", "whisper")
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("who", "channel", "key"),
    [
        ("HTI", Channel.TEAM, "team:HTI"),
        ("DOM", Channel.BILATERAL, "bi:DOM-HTI"),
        ("DOM", Channel.PLENARY, "plenary"),
        ("F", Channel.BROADCAST, "broadcast"),
    ],
)
def test_every_message_is_logged_and_bumps_the_version(
    duo: Table, who: str, channel: str, key: str
) -> None:
    version = duo.fresh().version
    events = Event.objects.count()
    other = duo.team("HTI") if channel == Channel.BILATERAL else None
    message = send(duo, who, channel, "Noted.", other=other)
    assert duo.fresh().version == version + 1
    assert Event.objects.count() == events + 1
    event = duo.exercise.events.latest("id")
    assert event.kind == "message.sent"
    assert event.payload == {"channel": key, "message": message.pk}
    assert event.actor == message.author
    assert event.team == message.author_team
    assert event.turn == 1


def test_channel_keys_name_the_room(duo: Table) -> None:
    dom, hti = duo.team("DOM"), duo.team("HTI")
    assert channel_key(Channel.TEAM, hti) == "team:HTI"
    assert channel_key(Channel.BILATERAL, hti, dom) == channel_key(Channel.BILATERAL, dom, hti)
    assert channel_key(Channel.BILATERAL, hti, dom) == "bi:DOM-HTI"
    assert channel_key(Channel.PLENARY) == "plenary"
    assert channel_key(Channel.BROADCAST) == "broadcast"


def test_a_player_of_another_team_cannot_speak_through_a_seat_they_lack(
    duo: Table, minimal_scenario
) -> None:
    # A player of another exercise has no seat here.
    elsewhere = exercise_create(actor=duo.facilitator, scenario=minimal_scenario)
    player = User.objects.create_user("elsewhere-player")
    participant_add(
        actor=duo.facilitator,
        exercise=elsewhere,
        user=player,
        role=Role.PLAYER,
        team=elsewhere.teams.get(nation_code="HTI"),
    )
    with pytest.raises(NotAllowed):
        message_send(actor=player, exercise=duo.exercise, channel=Channel.PLENARY, body="Hi.")
    assert not Message.objects.exists()
