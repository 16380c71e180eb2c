"""exercise_create: one run of a scenario, with its teams, trust matrix and MSEL copied."""

import pytest

from wargame.exercises.models import Event, Exercise, Participant, Role
from wargame.exercises.services import exercise_create
from wargame.scenarios.models import InjectTemplate, Scenario

pytestmark = pytest.mark.django_db


def test_teams_start_from_the_scenario_nations(exercise: Exercise) -> None:
    teams = list(
        exercise.teams.order_by("position").values_list(
            "nation_code", "stability", "capacity", "budget", "budget_per_turn"
        )
    )
    assert teams == [("HTI", 35, 20, 4, 4), ("DOM", 60, 50, 5, 5)]
    assert exercise.status == Exercise.Status.DRAFT
    assert exercise.turn_seconds == 20 * 60
    assert exercise.seed == 7
    assert len(exercise.code) == 8


def test_trust_matrix_covers_every_pair_with_the_scenario_values(
    shipped_scenarios: list[Scenario], facilitator
) -> None:
    scenario = next(s for s in shipped_scenarios if s.slug == "caribbean-storm")
    exercise = exercise_create(actor=facilitator, scenario=scenario, seed=1)
    teams = exercise.teams.count()
    links = {
        frozenset((link.team_a.nation_code, link.team_b.nation_code)): link.value
        for link in exercise.trust_links.select_related("team_a", "team_b")
    }
    assert len(links) == teams * (teams - 1) // 2
    for trust in scenario.trust.all():
        assert links[frozenset((trust.nation_a, trust.nation_b))] == trust.value
    listed = {frozenset((t.nation_a, t.nation_b)) for t in scenario.trust.all()}
    assert all(value == 50 for pair, value in links.items() if pair not in listed)


def test_the_msel_is_copied_so_later_edits_do_not_rewrite_the_exercise(exercise: Exercise) -> None:
    copies = {inject.code: inject for inject in exercise.injects.select_related("contingency_for")}
    assert set(copies) == {"M-01", "M-02"}
    assert copies["M-02"].contingency_for == copies["M-01"]
    assert copies["M-01"].private == {"HTI": "Your southern ports are closed."}
    InjectTemplate.objects.filter(code="M-01").update(title="Edited afterwards")
    assert exercise.injects.get(code="M-01").title == "Hurricane Elena makes landfall"


def test_creator_is_facilitator_and_the_creation_is_logged(exercise: Exercise, facilitator) -> None:
    participant = Participant.objects.get(exercise=exercise)
    assert (participant.user, participant.role, participant.team) == (
        facilitator,
        Role.FACILITATOR,
        None,
    )
    event = Event.objects.get(exercise=exercise)
    assert event.kind == "exercise.created"
    assert event.actor == facilitator
    assert event.payload == {"scenario": "minimal", "teams": ["DOM", "HTI"], "injects": 2}
    exercise.refresh_from_db()
    assert exercise.version == 1


def test_join_codes_differ_and_avoid_ambiguous_letters(
    minimal_scenario: Scenario, facilitator
) -> None:
    codes = {exercise_create(actor=facilitator, scenario=minimal_scenario).code for _ in range(5)}
    assert len(codes) == 5
    assert not any(set(code) & set("01ilo") for code in codes)
