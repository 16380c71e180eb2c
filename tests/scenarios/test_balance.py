"""A scenario's balance over many seeds (wargame/engine/balance.py, `manage.py balance`): the
same seed gives the same figures, empty seats play worse than bots, and a scenario that decides
a nation's fate before anyone plays says so."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.scenarios.test_simulation import plan_of
from wargame.engine.balance import balance
from wargame.scenarios.catalogue import engine_rules


def test_the_same_seed_gives_the_same_figures_and_the_bands_are_ordered() -> None:
    plan = plan_of("caribbean-storm")
    first = balance(plan, engine_rules(), runs=12, seed=5)
    assert first == balance(plan, engine_rules(), runs=12, seed=5)
    assert first != balance(plan, engine_rules(), runs=12, seed=6)
    assert [n.code for n in first.nations] == sorted(plan.teams)
    for nation in first.nations:
        assert len(nation.turns) == plan.turns
        for turn in nation.turns:
            for band in turn.values():
                assert 0 <= band.low <= band.median <= band.high <= 100
    assert {i.code for i in first.injects} == {s.inject.code for s in plan.injects}
    # Each objective's proposed rating over the runs, as the hotwash proposes it.
    assert [o.code for o in first.objectives] == [code for code, _i, _n in plan.objectives]
    for objective in first.objectives:
        assert set(objective.ratings) == set("PSMU")
        assert sum(objective.ratings.values()) == pytest.approx(1.0)
    assert all(0 <= i.delivered <= 1 and 0 <= i.open_at_end <= 1 for i in first.injects)


def test_seats_nobody_plays_do_worse_and_the_warnings_say_what_is_decided() -> None:
    """With every seat empty Haiti, which starts at 32 in caribbean-storm, is below 20 from
    turn 2 to the end whatever the dice; the bots keep it above in most plays."""
    plan = plan_of("caribbean-storm")
    played = balance(plan, engine_rules(), runs=12, seed=1)
    empty = balance(plan, engine_rules(), runs=12, seed=1, idle=frozenset(plan.teams))
    assert empty.idle == tuple(sorted(plan.teams))
    for bots, nobody in zip(played.nations, empty.nations, strict=True):
        assert nobody.turns[-1]["stability"].median <= bots.turns[-1]["stability"].median
    collapses = {(w.nation, w.turn) for w in empty.warnings if w.kind == "collapses"}
    assert ("HTI", 2) in collapses
    assert not [w for w in played.warnings if w.nation == "HTI"]
    assert {w.inject for w in empty.warnings if w.kind == "left_open"} >= {"M-01", "M-04"}
    # Nations that look after themselves only: the region ends worse off than with the bots,
    # and Haiti, which nobody helps, collapses.
    selfish = balance(plan, engine_rules(), runs=12, seed=1, selfish=frozenset(plan.teams))
    assert selfish.selfish == tuple(sorted(plan.teams)) and selfish.idle == ()

    def total(figures) -> float:
        return sum(n.turns[-1]["stability"].median for n in figures.nations)

    assert total(empty) <= total(selfish) < total(played)
    assert ("collapses", "HTI") in {(w.kind, w.nation) for w in selfish.warnings}

    def good(figures) -> float:
        return sum(o.ratings["P"] + o.ratings["S"] for o in figures.objectives)

    assert good(empty) <= good(played)
    # One empty seat: that nation makes no move, the others still play.
    haiti_alone = balance(plan, engine_rules(), runs=12, seed=1, idle=frozenset({"HTI"}))
    hti = next(n for n in haiti_alone.nations if n.code == "HTI")
    bots_hti = next(n for n in played.nations if n.code == "HTI")
    assert hti.turns[-1]["stability"].median <= bots_hti.turns[-1]["stability"].median


@pytest.mark.django_db
def test_the_command_prints_the_same_json_for_the_same_seed_and_words_otherwise(
    shipped_scenarios,
) -> None:
    def run(*args: str) -> str:
        out = io.StringIO()
        call_command("balance", "caribbean-storm", *args, stdout=out)
        return out.getvalue()

    first = run("--runs", "8", "--seed", "3", "--json")
    assert first == run("--runs", "8", "--seed", "3", "--json")
    data = json.loads(first)
    assert (data["scenario"], data["runs"], data["seed"]) == ("caribbean-storm", 8, 3)
    assert [n["code"] for n in data["nations"]][:2] == ["BRA", "COL"]
    text = run("--runs", "8", "--empty", "all")
    assert "8 plays (seeds 1 to 8)" in text and "which nobody plays" in text
    assert "each looking after itself only" in run("--runs", "2", "--selfish")
    assert "OBJ-1" in text and "proposed rating, as a share of the plays" in text
    assert "Haiti's stability is below 20 from turn 2 to the end in 100% of the plays" in text
    with pytest.raises(CommandError, match="XYZ is not a nation of the scenario"):
        run("--runs", "2", "--empty", "HTI,XYZ")
    with pytest.raises(CommandError, match="--runs must be from 1 to 5000"):
        run("--runs", "0")
    with pytest.raises(CommandError, match="no scenario with the slug 'no-such-scenario'"):
        call_command("balance", "no-such-scenario", stdout=io.StringIO())


@pytest.mark.parametrize("slug", ["caribbean-storm", "dark-ports", "pacific-route"])
def test_a_shipped_scenario_is_balanced_as_docs_scenario_format_says(slug: str) -> None:
    """Played well (the bots on every seat), no nation's fate is decided before anyone plays;
    played for oneself, the nation that ends lowest with the bots ends lower still: what the
    players do decides."""
    plan = plan_of(slug)
    played = balance(plan, engine_rules(), runs=30, seed=1)
    assert not [w for w in played.warnings if w.kind != "left_open"], played.warnings
    selfish = balance(plan, engine_rules(), runs=30, seed=1, selfish=frozenset(plan.teams))
    end = {n.code: n.turns[-1]["stability"].median for n in played.nations}
    exposed = min(end, key=end.get)
    alone = next(n for n in selfish.nations if n.code == exposed).turns[-1]["stability"].median
    assert alone <= end[exposed] - 10, (exposed, end[exposed], alone)
