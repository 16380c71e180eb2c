"""`manage.py simulate`: a whole exercise played by bots through the real services."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wargame.engine.simulation import play
from wargame.exercises.models import Exercise, Move
from wargame.negotiation.models import Agreement
from wargame.scenarios.catalogue import engine_rules
from wargame.scenarios.models import Scenario
from wargame.scenarios.selectors import scenario_spec
from wargame.scenarios.simulation import simulation_plan


def simulate(*args: str) -> str:
    out = io.StringIO()
    call_command("simulate", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_same_seed_gives_byte_identical_output(shipped_scenarios: list[Scenario]) -> None:
    # Three turns: bots move, negotiate and answer injects in each (the whole run is kept
    # whole in test_json_has_every_turn_team_and_pair).
    first = simulate("caribbean-storm", "--seed", "7", "--turns", "3", "--json")
    assert simulate("caribbean-storm", "--seed", "7", "--turns", "3", "--json") == first
    assert simulate("caribbean-storm", "--seed", "8", "--turns", "3", "--json") != first
    # Nothing is left behind without --keep.
    assert not Exercise.objects.exists()


@pytest.mark.django_db
def test_json_has_every_turn_team_and_pair(shipped_scenarios: list[Scenario]) -> None:
    report = json.loads(simulate("pacific-route", "--seed", "3", "--json"))
    scenario = Scenario.objects.get(slug="pacific-route")
    codes = sorted(scenario.nations.values_list("code", flat=True))
    assert (report["scenario"], report["seed"], report["exercise"]) == ("pacific-route", 3, None)
    assert [turn["number"] for turn in report["turns"]] == list(range(1, scenario.turns + 1))
    for turn in report["turns"]:
        assert sorted(turn["teams"]) == codes
        assert set(turn["teams"]["COL"]) == {"stability", "capacity", "budget", "support"}
        assert len(turn["trust"]) == len(codes) * (len(codes) - 1) // 2
        assert "COL-ECU" in turn["trust"]
        assert 0 <= turn["regional_stability"] <= 100
        assert turn["events"] > 0
    answered = [code for turn in report["turns"] for code in turn["answered_injects"]]
    assert answered and len(answered) == len(set(answered))
    # The engine's own simulation, with no database, plays the same game turn by turn.
    alone = play(simulation_plan(scenario_spec(scenario)), engine_rules(), 3)
    assert len(alone) == len(report["turns"])
    for result, turn in zip(alone, report["turns"], strict=True):
        teams = {
            code: {
                "stability": t.stability,
                "capacity": t.capacity,
                "budget": t.budget,
                "support": t.support,
            }
            for code, t in result.state.teams.items()
        }
        assert teams == turn["teams"], turn["number"]
        assert {f"{a}-{b}": value for (a, b), value in result.state.trust.items()} == turn["trust"]
        assert sorted(result.answered) == sorted(turn["answered_injects"])
        assert result.state.regional_stability == pytest.approx(turn["regional_stability"])


@pytest.mark.django_db
def test_keep_leaves_the_exercise_played_through_the_services(
    shipped_scenarios: list[Scenario],
) -> None:
    report = json.loads(simulate("dark-ports", "--seed", "5", "--turns", "3", "--keep", "--json"))
    exercise = Exercise.objects.get(code=report["exercise"])
    assert len(report["turns"]) == 3
    assert exercise.current_turn == 4 and exercise.status == Exercise.Status.RUNNING
    assert Move.objects.filter(exercise=exercise, status="adjudicated").count() > 10
    # Bots negotiate: agreements were concluded and the engine took their commitments.
    assert Agreement.objects.filter(exercise=exercise).exists()
    assert exercise.events.filter(kind="agreement.concluded").exists()
    assert exercise.events.filter(kind="turn.closed", payload__reason="simulation").count() == 3


@pytest.mark.django_db
def test_the_table_is_readable(shipped_scenarios: list[Scenario]) -> None:
    text = simulate("caribbean-storm", "--seed", "1", "--turns", "2")
    assert text.startswith("Simulation of caribbean-storm with seed 1")
    assert "Turn 2: regional stability" in text
    assert "  HTI " in text


@pytest.mark.django_db
def test_an_unknown_scenario_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="no scenario with the slug 'atlantis'"):
        simulate("atlantis", "--seed", "1")
