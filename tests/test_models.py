"""Database constraints hold whatever code writes the rows."""

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from wargame.exercises.models import (
    Event,
    EventLogIsAppendOnly,
    Exercise,
    Inject,
    Move,
    Participant,
    Role,
    Team,
    TrustLink,
)
from wargame.negotiation.models import Agreement, Channel, Message, Proposal, ProposalRound
from wargame.scenarios.models import (
    ActionType,
    InjectTemplate,
    Objective,
    ScenarioNation,
    ScenarioTrust,
)

pytestmark = pytest.mark.django_db


def refused(write: Callable[[], object]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_scenario_children_are_unique_per_scenario(minimal_scenario) -> None:
    refused(
        lambda: Objective.objects.create(
            scenario=minimal_scenario, code="OBJ-1", title="t", capability="c"
        )
    )
    refused(
        lambda: ScenarioNation.objects.create(scenario=minimal_scenario, code="HTI", briefing="b")
    )
    refused(
        lambda: InjectTemplate.objects.create(
            scenario=minimal_scenario, code="M-01", turn=1, kind="flood", title="t", message="m"
        )
    )


@pytest.mark.parametrize(
    "values",
    [{"stability": 101}, {"capacity": 150}, {"budget": 101}],
    ids=["stability", "capacity", "budget"],
)
def test_scenario_nation_indicators_stay_in_range(minimal_scenario, values) -> None:
    refused(
        lambda: ScenarioNation.objects.create(
            scenario=minimal_scenario, code="JAM", briefing="b", **values
        )
    )


def test_nation_codes_are_validated_against_iso_3166(minimal_scenario) -> None:
    nation = ScenarioNation(scenario=minimal_scenario, code="XYZ", briefing="b")
    with pytest.raises(ValidationError, match="XYZ is not an ISO 3166-1 alpha-3"):
        nation.full_clean()
    assert ScenarioNation(scenario=minimal_scenario, code="JAM", briefing="b").name == "Jamaica"
    assert ScenarioNation(code="BOL").name == "Bolivia"
    assert ScenarioNation(code="VEN").name == "Venezuela"


def test_scenario_trust_is_stored_once_per_pair_in_order(minimal_scenario) -> None:
    refused(
        lambda: ScenarioTrust.objects.create(
            scenario=minimal_scenario, nation_a="HTI", nation_b="DOM", value=50
        )
    )
    refused(
        lambda: ScenarioTrust.objects.create(
            scenario=minimal_scenario, nation_a="DOM", nation_b="HTI", value=50
        )
    )
    refused(
        lambda: ScenarioTrust.objects.create(
            scenario=minimal_scenario, nation_a="BRA", nation_b="COL", value=101
        )
    )


@pytest.mark.parametrize(
    "values",
    [{"severity": 0}, {"severity": 6}, {"turn": 0}, {"kind": "volcano"}, {"method": "fax"}],
    ids=["severity-low", "severity-high", "turn-zero", "kind", "method"],
)
def test_inject_template_checks(minimal_scenario, values) -> None:
    fields = {"turn": 1, "kind": "flood", "title": "t", "message": "m"} | values
    refused(lambda: InjectTemplate.objects.create(scenario=minimal_scenario, code="M-99", **fields))


@pytest.mark.parametrize(
    "values",
    [{"stability": 101}, {"capacity": 101}, {"budget": 101}],
    ids=["stability", "capacity", "budget"],
)
def test_team_indicators_stay_in_range(exercise: Exercise, values: dict[str, int]) -> None:
    team = exercise.teams.first()
    refused(lambda: Team.objects.filter(pk=team.pk).update(**values))


def test_one_team_per_nation_per_exercise(exercise: Exercise) -> None:
    refused(
        lambda: Team.objects.create(
            exercise=exercise,
            nation_code="HTI",
            stability=1,
            capacity=1,
            budget=1,
            budget_per_turn=1,
            invite_token="other",
        )
    )


def test_trust_links_are_ordered_and_in_range(exercise: Exercise) -> None:
    link = exercise.trust_links.get()
    refused(lambda: TrustLink.objects.filter(pk=link.pk).update(value=101))
    refused(
        lambda: TrustLink.objects.create(
            exercise=exercise, team_a=link.team_b, team_b=link.team_a, value=5
        )
    )


def test_exercise_status_and_regional_stability_are_checked(exercise: Exercise) -> None:
    refused(lambda: Exercise.objects.filter(pk=exercise.pk).update(status="exploded"))
    refused(lambda: Exercise.objects.filter(pk=exercise.pk).update(regional_stability=100.5))
    refused(lambda: Exercise.objects.filter(pk=exercise.pk).update(turn_seconds=0))


def test_join_codes_are_unique(exercise: Exercise) -> None:
    refused(
        lambda: Exercise.objects.create(
            scenario=exercise.scenario, title="t", code=exercise.code, turn_seconds=60, seed=1
        )
    )


def test_participants_play_for_a_team_only_as_players(exercise: Exercise) -> None:
    User = get_user_model()
    team = exercise.teams.first()
    refused(
        lambda: Participant.objects.create(
            exercise=exercise, user=User.objects.create(username="p1"), role=Role.PLAYER
        )
    )
    refused(
        lambda: Participant.objects.create(
            exercise=exercise,
            user=User.objects.create(username="e1"),
            role=Role.EVALUATOR,
            team=team,
        )
    )
    # The facilitator created the exercise and is already a participant: one role per person.
    refused(
        lambda: Participant.objects.create(
            exercise=exercise, user=exercise.created_by, role=Role.EVALUATOR
        )
    )
    player = Participant.objects.create(
        exercise=exercise, user=User.objects.create(username="p2"), role=Role.PLAYER, team=team
    )
    assert player.team == team


def test_exercise_injects_keep_pressure_and_severity_in_range(exercise: Exercise) -> None:
    inject = exercise.injects.first()
    refused(lambda: Inject.objects.filter(pk=inject.pk).update(pressure=101))
    refused(lambda: Inject.objects.filter(pk=inject.pk).update(severity=0))


def test_a_team_cannot_target_itself(exercise: Exercise) -> None:
    from wargame.exercises.models import Turn

    team = exercise.teams.first()
    turn = Turn.objects.create(exercise=exercise, number=1, opened_at=timezone.now())
    refused(
        lambda: Move.objects.create(
            exercise=exercise,
            turn=turn,
            team=team,
            target_team=team,
            action_type=ActionType.objects.get(code="hadr"),
            resources=2,
            submitted_at=timezone.now(),
        )
    )
    refused(lambda: Turn.objects.create(exercise=exercise, number=1, opened_at=timezone.now()))


def test_messages_name_exactly_the_teams_of_their_channel(exercise: Exercise) -> None:
    first, second = sorted(exercise.teams.all(), key=lambda team: team.pk)

    def message(channel: str, a: Team | None = None, b: Team | None = None) -> Message:
        return Message.objects.create(
            exercise=exercise, channel=channel, team_a=a, team_b=b, body="hola"
        )

    message(Channel.TEAM, first)
    message(Channel.BILATERAL, first, second)
    message(Channel.PLENARY)
    refused(lambda: message(Channel.TEAM))
    refused(lambda: message(Channel.TEAM, first, second))
    refused(lambda: message(Channel.BILATERAL, first))
    refused(lambda: message(Channel.BILATERAL, second, first))
    refused(lambda: message(Channel.PLENARY, first))
    refused(lambda: message(Channel.BROADCAST, None, second))


def test_proposals_and_agreements_keep_their_turns_in_order(exercise: Exercise) -> None:
    team = exercise.teams.first()
    hadr = ActionType.objects.get(code="hadr")
    refused(
        lambda: Proposal.objects.create(
            exercise=exercise, proposer=team, action_type=hadr, opened_turn=3, expires_turn=2
        )
    )
    proposal = Proposal.objects.create(
        exercise=exercise, proposer=team, action_type=hadr, opened_turn=1, expires_turn=1
    )
    ProposalRound.objects.create(proposal=proposal, number=1, author=team, duration_turns=2)
    refused(
        lambda: ProposalRound.objects.create(
            proposal=proposal, number=1, author=team, duration_turns=2
        )
    )
    refused(
        lambda: ProposalRound.objects.create(
            proposal=proposal, number=2, author=team, duration_turns=0
        )
    )
    refused(
        lambda: Agreement.objects.create(
            exercise=exercise, action_type=hadr, starts_turn=4, ends_turn=3
        )
    )


def test_events_are_append_only(exercise: Exercise) -> None:
    event = Event.objects.filter(exercise=exercise).first()
    event.kind = "rewritten"
    with pytest.raises(EventLogIsAppendOnly, match="append-only"):
        event.save()
