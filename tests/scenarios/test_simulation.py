"""The shipped scenarios played by the scripted bots on every seat, on the engine alone
(wargame/engine/simulation.py): the indicators move both ways whatever the dice."""

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SHIPPED_SCENARIOS, examples
from wargame.engine.simulation import Plan, play
from wargame.scenarios.catalogue import engine_rules
from wargame.scenarios.fileformat import parse_scenario_file
from wargame.scenarios.simulation import simulation_plan

SLUGS = sorted(path.stem for path in SHIPPED_SCENARIOS)


@cache
def plan_of(slug: str) -> Plan:
    return simulation_plan(parse_scenario_file(SHIPPED_SCENARIOS[0].with_stem(slug)))


@pytest.mark.parametrize("slug", SLUGS)
@settings(max_examples=examples(20), deadline=None)
@given(seed=st.integers(0, 2**32))
def test_with_bots_on_every_seat_some_trust_and_some_stability_fall(slug: str, seed: int) -> None:
    """Even the scripted bots, who answer every inject they can and cooperate with everyone,
    see some trust between two nations and some nation's stability end a turn lower than
    they began it; and some rise: no scenario plays itself to the top or to the bottom."""
    plan = plan_of(slug)
    teams, trust = plan.teams, plan.trust
    fell = {"trust": False, "stability": False}
    rose = {"trust": False, "stability": False}
    for result in play(plan, engine_rules(), seed):
        after = result.state
        for code, team in teams.items():
            fell["stability"] |= after.teams[code].stability < team.stability
            rose["stability"] |= after.teams[code].stability > team.stability
        for key, value in trust.items():
            fell["trust"] |= after.trust[key] < value
            rose["trust"] |= after.trust[key] > value
        teams, trust = after.teams, after.trust
    assert fell == {"trust": True, "stability": True}, (slug, seed, fell)
    assert rose == {"trust": True, "stability": True}, (slug, seed, rose)


def test_the_same_seed_plays_the_same_game() -> None:
    plan = plan_of(SLUGS[0])
    assert play(plan, engine_rules(), 11) == play(plan, engine_rules(), 11)
    assert play(plan, engine_rules(), 11) != play(plan, engine_rules(), 12)
