"""The engine's rules and their invariants."""

import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import examples
from wargame.engine import (
    AgreementState,
    InjectState,
    MoveInput,
    Rules,
    State,
    TeamState,
    adjudicate,
    pair,
)
from wargame.engine.bots import invited
from wargame.engine.rules import COOPERATIVE_ACTIONS

REPO = Path(__file__).resolve().parents[2]
_DATA = yaml.safe_load((REPO / "wargame/scenarios/catalogue.yaml").read_text(encoding="utf-8"))
CATALOGUE_RULES = Rules.from_data(_DATA["actions"], _DATA["rules"])
# The worked examples below use straight arithmetic; the invariants run with both settings.
RULES = replace(CATALOGUE_RULES, diminishing_gains=False)
HADR = RULES.actions["hadr"]
NATIONS = ["ARG", "BRA", "CHL", "COL", "HTI", "MEX", "PER"]
KINDS = ["hurricane", "earthquake", "trafficking_surge", "cyberattack", "migration_wave"]


def test_the_engine_imports_no_django() -> None:
    code = "import sys, wargame.engine; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0
    for path in (REPO / "wargame/engine").glob("*.py"):
        assert "django" not in path.read_text(encoding="utf-8"), path


def simple_state(**overrides) -> State:
    teams = {
        "HTI": TeamState("HTI", 35, 20, 4, 4),
        "DOM": TeamState("DOM", 60, 50, 5, 5),
        "BRA": TeamState("BRA", 70, 80, 7, 7),
    }
    injects = {"M-01": InjectState("M-01", "hurricane", ("HTI", "DOM"), ("hadr",), 80)}
    # Struck by the storm, Haiti and the Dominican Republic asked the region for help last
    # turn: relief sent to them has their consent (the consent rules have tests of their own).
    values = {
        "turn": 1, "teams": teams, "trust": {pair("HTI", "DOM"): 45},
        "injects": injects, "agreements": {},
        "consents": (("HTI", "*", "request"), ("DOM", "*", "request")),
    } | overrides  # fmt: skip
    return State(**values)


def test_a_successful_hadr_relieves_the_inject_and_builds_trust() -> None:
    move = MoveInput(
        "BRA:1", "BRA", "hadr", 2, target_team="HTI", target_inject="M-01", forced=True
    )
    result = adjudicate(simple_state(), [move], RULES, seed=1)
    assert result.outcomes["BRA:1"].status == "success"
    after = result.state
    left = 80 - HADR.relief
    assert after.injects["M-01"].pressure == left
    assert after.trust[pair("BRA", "HTI")] == 50 + HADR.trust
    # Haiti gains from the aid, then loses to the inject still open.
    harm = round(left * RULES.harm_stability_per_pressure)
    assert after.teams["HTI"].stability == 35 + HADR.target_stability - harm
    causes = {(c.subject, c.indicator, c.cause, c.ref) for c in result.changes}
    assert ("M-01", "pressure", "move", "BRA:1") in causes
    assert ("HTI", "stability", "inject", "M-01") in causes


def test_an_unanswered_inject_harms_every_nation_it_affects_each_turn() -> None:
    result = adjudicate(simple_state(), [], RULES, seed=1)
    assert result.state.teams["HTI"].stability == 35 - 3  # round(80 × 0.04)
    assert result.state.teams["DOM"].capacity == 50 - 2  # round(80 × 0.02)
    assert result.state.teams["BRA"].stability == 70
    assert result.answered == ()


def test_an_inject_with_no_pressure_left_is_answered_and_harms_no_more() -> None:
    state = simple_state()
    state.injects["M-01"] = replace(state.injects["M-01"], pressure=HADR.relief)
    move = MoveInput("DOM:1", "DOM", "hadr", 2, target_inject="M-01", forced=True)
    result = adjudicate(state, [move], RULES, seed=1)
    assert result.answered == ("M-01",)
    assert result.state.injects["M-01"].answered
    assert result.state.teams["HTI"].stability == 35


def test_relief_needs_an_expected_action() -> None:
    move = MoveInput("DOM:1", "DOM", "public_statement", 0, target_inject="M-01", forced=True)
    result = adjudicate(simple_state(), [move], RULES, seed=1)
    assert result.state.injects["M-01"].pressure == 80


def test_chance_reflects_capacity_trust_rating_resources_and_counters() -> None:
    state = simple_state()
    plain = MoveInput("BRA:1", "BRA", "joint_exercise", 2, target_team="DOM")
    boosted = replace(plain, rating="very_strong", resources=4)
    countered = MoveInput("DOM:1", "DOM", "public_statement", 1, counter_to="BRA:1")
    base = adjudicate(state, [plain], RULES, 3).outcomes["BRA:1"]
    # BRA capacity 80: +0.2 × 30/50 = 0.12; trust 50: 0.
    assert base.factors == {"base": 0.8, "capacity": 0.12, "trust": 0.0}
    assert base.chance == 0.92
    strong = adjudicate(state, [boosted], RULES, 3).outcomes["BRA:1"]
    # Two points above the cost: +0.05, then half of that.
    assert strong.factors["rating"] == 0.3 and strong.factors["resources"] == 0.075
    assert strong.chance == RULES.chance_ceiling
    argued = adjudicate(state, [plain, countered], RULES, 3).outcomes
    assert argued["DOM:1"].status == "counter"
    assert argued["BRA:1"].factors["counters"] == -0.15
    assert argued["BRA:1"].chance == round(0.92 - 0.15, 4)


def test_invalid_moves_are_refused_with_a_reason() -> None:
    moves = [
        MoveInput("HTI:1", "HTI", "hadr", 1, target_inject="M-01"),
        MoveInput("HTI:2", "HTI", "hadr", 2, target_team="HTI"),
        MoveInput("HTI:3", "HTI", "teleport", 2),
        MoveInput("HTI:4", "HTI", "joint_exercise", 2, target_inject="M-01"),
        MoveInput("HTI:5", "HTI", "public_statement", 1, counter_to="HTI:6"),
    ]
    outcomes = adjudicate(simple_state(), moves, RULES, 1).outcomes
    assert {key: o.status for key, o in outcomes.items()} == dict.fromkeys(outcomes, "refused")
    reasons = {key: (o.reason, o.about) for key, o in outcomes.items()}
    assert reasons == {
        "HTI:1": ("cost", {"action": "hadr", "cost": 2, "committed": 1}),
        "HTI:2": ("own_team", {}),
        "HTI:3": ("unknown_action", {"action": "teleport"}),
        "HTI:4": ("not_an_answer", {"action": "joint_exercise"}),
        "HTI:5": ("counters_nothing", {}),
    }


def test_agreements_build_trust_charge_commitments_and_break_when_unpaid() -> None:
    agreements = {
        "A1": AgreementState("A1", "intel_sharing", ("DOM", "HTI"), {"DOM": 1, "HTI": 1}, 5),
        "A2": AgreementState("A2", "joint_exercise", ("BRA", "HTI"), {"BRA": 2, "HTI": 4}, 5),
    }
    result = adjudicate(simple_state(agreements=agreements), [], RULES, 1)
    # HTI owes 1 to A1 and cannot also pay 4 to A2 from a budget of 4: A2 breaks.
    assert result.broken == {"A2": "HTI"}
    assert set(result.state.agreements) == {"A1"}
    assert result.state.teams["HTI"].budget == 3
    assert result.state.teams["BRA"].budget == 7
    gain, loss = RULES.agreement_trust_per_turn, RULES.broken_agreement_trust
    assert result.state.trust[pair("DOM", "HTI")] == 45 + gain
    assert result.state.trust[pair("BRA", "HTI")] == 50 + gain + loss


def test_leaving_an_agreement_costs_trust_and_expiry_does_not() -> None:
    agreements = {
        "A1": AgreementState("A1", "intel_sharing", ("DOM", "HTI"), {}, 5, leaving=("DOM",)),
        "A2": AgreementState("A2", "hadr", ("BRA", "DOM"), {"BRA": 1, "DOM": 1}, 1),
    }
    result = adjudicate(simple_state(agreements=agreements), [], RULES, 1)
    assert result.broken == {"A1": "DOM"}
    assert result.expired == ("A2",)
    assert result.state.trust[pair("BRA", "DOM")] == 50 + RULES.agreement_trust_per_turn


# --- No cheap wins: each exploit a reviewer found in the first turn, played again ----------


def test_twenty_five_statements_are_one_statement() -> None:
    """25 public statements at one inject cleared a severity-4 cholera inject and lifted
    Haiti 40 -> 63. A team now makes one statement a turn, and it costs an action point."""
    cholera = InjectState("M-01", "disease_outbreak", ("HTI",), ("public_statement",), 100)
    rich = simple_state(teams={"HTI": TeamState("HTI", 40, 20, 30, 30)}, injects={"M-01": cholera})
    moves = [
        MoveInput(f"HTI:{n}", "HTI", "public_statement", 1, target_inject="M-01", forced=True)
        for n in range(1, 26)
    ]
    result = adjudicate(rich, moves, RULES, 1)
    statuses = [result.outcomes[m.key].status for m in moves]
    assert statuses == ["success"] + ["refused"] * 24
    assert (result.outcomes["HTI:2"].reason, result.outcomes["HTI:2"].about) == (
        "action_limit",
        {"team": "HTI", "limit": 1, "action": "public_statement"},
    )
    statement = RULES.actions["public_statement"]
    assert result.state.injects["M-01"].pressure == 100 - statement.relief
    assert result.state.teams["HTI"].stability <= 40 + statement.stability
    free = MoveInput("HTI:1", "HTI", "public_statement", 0, target_inject="M-01")
    assert adjudicate(rich, [free], RULES, 1).outcomes["HTI:1"].status == "refused"


def test_six_counter_arguments_do_not_push_a_move_to_the_floor() -> None:
    """Six free counter-arguments pushed any move to the 5% floor. Now each team argues
    against one move a turn, a counter costs its action's points, and all the counters
    together take at most 0.3 from a move's chance."""
    nations = ["ARG", "BRA", "CHL", "COL", "DOM", "MEX", "PER"]
    state = State(1, {n: TeamState(n, 50, 50, 5, 5) for n in [*nations, "HTI"]}, {}, {}, {})
    plain = MoveInput("HTI:1", "HTI", "joint_exercise", 2, target_team="DOM")
    counters = [MoveInput(f"{n}:1", n, "public_statement", 1, counter_to="HTI:1") for n in nations]
    alone = adjudicate(state, [plain], RULES, 1).outcomes["HTI:1"].chance
    argued = adjudicate(state, [plain, *counters], RULES, 1).outcomes
    assert argued["HTI:1"].factors["counters"] == -RULES.max_counter_penalty
    assert argued["HTI:1"].chance == round(alone - RULES.max_counter_penalty, 4)
    assert argued["HTI:1"].chance > RULES.chance_floor + 0.2
    # A second counter by the same team in the turn is refused.
    second = MoveInput("ARG:2", "ARG", "public_statement", 1, counter_to="HTI:1")
    outcome = adjudicate(state, [plain, counters[0], second], RULES, 1).outcomes["ARG:2"]
    assert outcome.status == "refused"
    assert (outcome.reason, outcome.about) == ("counter_limit", {"team": "ARG", "limit": 1})


def test_an_agreement_without_action_points_builds_no_trust() -> None:
    """Agreements with zero points built trust. Only one in which every party commits
    action points does; one party's points are not enough."""

    def trust_after(commitments: dict[str, int]) -> int:
        agreement = AgreementState("A1", "intel_sharing", ("DOM", "HTI"), commitments, 5)
        state = simple_state(agreements={"A1": agreement})
        return adjudicate(state, [], RULES, 1).state.trust[pair("DOM", "HTI")]

    assert trust_after({"DOM": 0, "HTI": 0}) == 45
    assert trust_after({"DOM": 1, "HTI": 0}) == 45
    assert trust_after({"DOM": 1, "HTI": 1}) == 45 + RULES.agreement_trust_per_turn


def test_extra_action_points_have_diminishing_returns() -> None:
    """Extra action points bought about 95% odds for the richest team. Each point above the
    cost now adds half of what the one before added, and all of them at most 0.1."""
    assert [RULES.resource_bonus(n) for n in range(4)] == [0, 0.05, 0.075, 0.0875]
    assert RULES.resource_bonus(30) == RULES.max_extra_resource_bonus == 0.1
    rich = simple_state(teams={
        "BRA": TeamState("BRA", 70, 50, 40, 40), "DOM": TeamState("DOM", 60, 50, 5, 5),
    })  # fmt: skip
    plain = MoveInput("BRA:1", "BRA", "defense_industry", 3, target_team="DOM")
    bought = replace(plain, resources=40)
    chances = [adjudicate(rich, [m], RULES, 1).outcomes["BRA:1"].chance for m in (plain, bought)]
    assert chances == [0.6, 0.7]


def test_trust_between_two_nations_rises_at_most_eight_a_turn() -> None:
    """However many cooperative moves two nations make in one turn, their trust rises by at
    most `max_trust_gain_per_turn`; the note says it was capped. Losses are not capped."""
    moves = [
        MoveInput(f"BRA:{n}", "BRA", "joint_exercise", 2, target_team="DOM", forced=True)
        for n in range(1, 4)
    ]
    result = adjudicate(simple_state(), moves, RULES, 1)
    assert result.state.trust[pair("BRA", "DOM")] == 50 + RULES.max_trust_gain_per_turn
    gains = [(c.before, c.after, c.note) for c in result.changes if c.subject == "BRA-DOM"]
    assert [(before, after) for before, after, _note in gains] == [(50, 55), (55, 58)]
    assert "capped" in gains[-1][2]
    border = MoveInput("DOM:1", "DOM", "border_security", 1, forced=True)
    fallen = adjudicate(simple_state(), [*moves, border], RULES, 1).state.trust
    assert fallen[pair("BRA", "DOM")] < 50 + RULES.max_trust_gain_per_turn


def test_an_inject_strikes_as_it_arrives_however_well_it_is_answered() -> None:
    """A storm's landfall costs the nations it hits something even when its pressure is
    relieved at once: half a turn's harm at its starting pressure, once."""
    arriving = InjectState("M-01", "hurricane", ("HTI", "DOM"), ("hadr",), 100, arrived=True)
    relief = [
        MoveInput(f"BRA:{n}", "BRA", "hadr", 2, target_team="HTI", target_inject="M-01",
                  forced=True)
        for n in range(1, 5)
    ]  # fmt: skip
    result = adjudicate(simple_state(injects={"M-01": arriving}), relief, RULES, seed=1)
    assert result.answered == ("M-01",)
    blow = 100 * RULES.arrival_harm
    dom = result.state.teams["DOM"]
    assert dom.stability == 60 - round(blow * RULES.harm_stability_per_pressure)
    assert dom.capacity == 50 - round(blow * RULES.harm_capacity_per_pressure)
    struck = {(c.subject, c.indicator) for c in result.changes if c.cause == "shock"}
    assert struck == {(nation, indicator) for nation in ("HTI", "DOM")
                      for indicator in ("stability", "capacity", "support")}  # fmt: skip
    # The next turn it is no longer news: nothing strikes again.
    later = adjudicate(result.state, [], RULES, seed=1)
    assert not [c for c in later.changes if c.cause == "shock"]
    assert not result.state.injects["M-01"].arrived


def test_the_news_moves_trust_both_ways_once() -> None:
    """Warning shots at a border lower trust between the two nations; a joint rescue raises
    it, within the cap on trust gained in a turn."""
    news = InjectState(
        "M-01", "border_incident", ("HTI", "DOM"), ("public_statement",), 25,
        trust=(("DOM", "HTI", -6), ("BRA", "HTI", 8)), arrived=True,
    )  # fmt: skip
    cooperation = MoveInput("BRA:1", "BRA", "joint_exercise", 2, target_team="HTI", forced=True)
    result = adjudicate(simple_state(injects={"M-01": news}), [cooperation], RULES, seed=1)
    trust = result.state.trust
    assert trust[pair("DOM", "HTI")] == 45 - 6
    assert trust[pair("BRA", "HTI")] == 50 + RULES.max_trust_gain_per_turn
    shocks = [(c.subject, c.before, c.after) for c in result.changes
              if c.cause == "shock" and c.indicator == "trust"]  # fmt: skip
    assert ("DOM-HTI", 45, 39) in shocks
    later = adjudicate(result.state, [], RULES, seed=1).state.trust
    assert later[pair("DOM", "HTI")] == 39
    # A nation the exercise does not have is left out of the news.
    absent = replace(news, trust=(("HTI", "VEN", -10),))
    quiet = adjudicate(simple_state(injects={"M-01": absent}), [], RULES, seed=1)
    assert not [c for c in quiet.changes if c.indicator == "trust"]


# --- Invariants -----------------------------------------------------------------------------

indicator = st.integers(0, 100)
shock = st.integers(-20, 20)
ACTIONS = tuple(sorted(RULES.actions))


def pick(draw: st.DrawFn, options: tuple | list) -> object:
    """One of `options`. Drawing an index keeps Hypothesis's strategies cached: a strategy
    built from each drawn list would be built, validated and labelled anew in every example."""
    return options[draw(st.integers(0, len(options) - 1))]


def some(draw: st.DrawFn, options: tuple | list, min_size: int = 0, max_size: int = 3) -> tuple:
    """Up to `max_size` distinct items of `options`, in the order drawn."""
    indices = draw(st.lists(st.integers(0, len(options) - 1), min_size=min_size,
                            max_size=max_size, unique=True))  # fmt: skip
    return tuple(options[index] for index in indices)


def maybe(draw: st.DrawFn, options: tuple | list) -> object | None:
    return pick(draw, options) if draw(st.booleans()) else None


@st.composite
def states(draw: st.DrawFn) -> State:
    codes = some(draw, NATIONS, min_size=2, max_size=6)
    teams = {}
    for code in codes:
        per_turn = draw(st.integers(0, 8))
        teams[code] = TeamState(
            code, draw(indicator), draw(indicator), draw(st.integers(0, per_turn)), per_turn
        )
    trust = {pair(a, b): draw(indicator) for a in codes for b in codes if a < b}
    pairs = [(a, b) for a in codes for b in codes if a < b]
    injects = {}
    for number in range(draw(st.integers(0, 5))):
        code = f"M-{number:02d}"
        injects[code] = InjectState(
            code,
            pick(draw, KINDS),
            some(draw, codes),
            some(draw, ACTIONS),
            draw(indicator),
            draw(st.booleans()),
            trust=tuple((a, b, draw(shock)) for a, b in some(draw, pairs, max_size=2)),
            arrived=draw(st.booleans()),
        )
    agreements = {}
    for number in range(draw(st.integers(0, 3))):
        parties = some(draw, codes, min_size=2, max_size=3)
        agreements[f"A{number}"] = AgreementState(
            f"A{number}",
            pick(draw, ACTIONS),
            parties,
            {p: draw(st.integers(0, 4)) for p in parties},
            draw(st.integers(1, 6)),
            some(draw, parties, max_size=1),
        )
    return State(draw(st.integers(1, 5)), teams, trust, injects, agreements, 50.0)


@st.composite
def turns(draw: st.DrawFn) -> tuple[State, list[MoveInput]]:
    state = draw(states())
    codes = sorted(state.teams)
    moves: list[MoveInput] = []
    for index in range(draw(st.integers(0, 12))):
        team = pick(draw, codes)
        moves.append(
            MoveInput(
                f"{team}:{index}",
                team,
                pick(draw, ACTIONS),
                draw(st.integers(0, 5)),
                target_team=maybe(draw, codes),
                target_inject=maybe(draw, sorted(state.injects) or ["M-99"]),
                counter_to=maybe(draw, [m.key for m in moves] or ["X"]),
                rating=maybe(draw, sorted(RULES.ratings)),
                forced=draw(st.none() | st.booleans()),
            )
        )
    return state, moves


both_rule_sets = st.sampled_from([RULES, CATALOGUE_RULES])


@settings(max_examples=examples(100), deadline=None)
@given(turn=turns(), seed=st.integers(0, 2**48), rules=both_rule_sets)
def test_indicators_stay_in_range_and_budgets_never_go_negative(turn, seed: int, rules) -> None:
    state, moves = turn
    after = adjudicate(state, moves, rules, seed).state
    for team in after.teams.values():
        assert 0 <= team.stability <= 100 and 0 <= team.capacity <= 100
        assert 0 <= team.budget <= team.budget_per_turn
    assert all(0 <= value <= 100 for value in after.trust.values())
    assert all(0 <= inject.pressure <= 100 for inject in after.injects.values())
    assert 0 <= after.regional_stability <= 100


@settings(max_examples=examples(100), deadline=None)
@given(turn=turns(), seed=st.integers(0, 2**48), rules=both_rule_sets)
def test_every_change_is_explained(turn, seed: int, rules) -> None:
    state, moves = turn
    result = adjudicate(state, moves, rules, seed)
    values: dict[tuple[str, str], float] = {}
    for code, team in state.teams.items():
        for name in ("stability", "capacity", "budget", "support"):
            values[(code, name)] = getattr(team, name)
    for a, b in [(a, b) for a in state.teams for b in state.teams if a < b]:
        values[(f"{a}-{b}", "trust")] = state.trust_between(a, b)
    for code, inject in state.injects.items():
        values[(code, "pressure")] = inject.pressure
    values[("region", "regional_stability")] = state.regional_stability
    for change in result.changes:
        key = (change.subject, change.indicator)
        assert values[key] == change.before, change
        assert change.cause and change.ref and change.note
        values[key] = change.after
    after = result.state
    for code, team in after.teams.items():
        for name in ("stability", "capacity", "budget", "support"):
            assert values[(code, name)] == getattr(team, name)
    for (a, b), value in after.trust.items():
        assert values[(f"{a}-{b}", "trust")] == value
    for code, inject in after.injects.items():
        assert values[(code, "pressure")] == inject.pressure
    assert values[("region", "regional_stability")] == after.regional_stability
    assert set(result.outcomes) == {move.key for move in moves}


@settings(max_examples=examples(75), deadline=None)
@given(turn=turns(), seed=st.integers(0, 2**48))
def test_same_state_moves_and_seed_give_the_same_result(turn, seed: int) -> None:
    state, moves = turn
    assert adjudicate(state, moves, RULES, seed) == adjudicate(state, moves, RULES, seed)


@settings(max_examples=examples(100), deadline=None)
@given(turn=turns(), seed=st.integers(0, 2**48), rules=both_rule_sets, data=st.data())
def test_more_cooperation_never_lowers_trust(turn, seed: int, rules, data: st.DataObject) -> None:
    state, moves = turn
    codes = sorted(state.teams)
    team = data.draw(st.sampled_from(codes))
    partner = data.draw(st.sampled_from([code for code in codes if code != team]))
    action = data.draw(st.sampled_from(COOPERATIVE_ACTIONS))
    # Cooperation the partner consented to: its request of the last turn stands, and it gives
    # no other answer this turn (cooperation forced on a host is the subject of other tests).
    moves = [m for m in moves if not (m.team == partner and rules.actions[m.action].consent)]
    state = replace(state, consents=((partner, team, "request"),))
    extra = MoveInput(f"{team}:coop", team, action, rules.actions[action].cost, target_team=partner)
    without = adjudicate(state, moves, rules, seed).state.trust
    result = adjudicate(state, [*moves, extra], rules, seed)
    # A cooperative move that ends in a setback ("no, and") costs trust with the partner it
    # was aimed at, and nothing else.
    setback = result.outcomes[extra.key].status == "setback"
    for key, value in without.items():
        floor = value - rules.setback_trust if setback and key == pair(team, partner) else value
        assert result.state.trust[key] >= floor, (key, result.outcomes[extra.key])


def test_an_inject_hurts_only_the_affected_nations_it_was_delivered_to() -> None:
    # Delivered to Haiti and Brazil, affecting Haiti and the Dominican Republic: the Dominican
    # team never read it and may not answer it, so its pressure does not hurt the Dominicans.
    hidden = InjectState("M-01", "trafficking_surge", ("HTI", "DOM"), ("hadr",), 80,
                         recipients=("HTI", "BRA"))  # fmt: skip
    result = adjudicate(simple_state(injects={"M-01": hidden}), [], RULES, seed=1)
    assert result.state.teams["HTI"].stability == 35 - 3
    assert result.state.teams["DOM"] == TeamState("DOM", 60, 50, 5, 5)
    hurt = {c.subject for c in result.changes if c.cause == "inject"}
    assert hurt == {"HTI"}
    # Every loss from an inject falls on a nation that received it.
    assert all(hidden.received_by(c.subject) for c in result.changes if c.cause == "inject")
    # Delivered to everyone (no recipients named), it hurts both.
    open_to_all = replace(hidden, recipients=())
    result = adjudicate(simple_state(injects={"M-01": open_to_all}), [], RULES, seed=1)
    assert {c.subject for c in result.changes if c.cause == "inject"} == {"HTI", "DOM"}


# --- Consent and sovereignty --------------------------------------------------------------------


def consent_state(**overrides) -> State:
    """Brazil, Haiti and the Dominican Republic, nobody having asked anyone for anything; the
    Dominican Republic is close to Haiti (trust 70), Brazil is not."""
    return simple_state(**({"trust": {pair("HTI", "DOM"): 70}, "consents": ()} | overrides))


def relief(key: str = "BRA:1", to: str = "HTI", action: str = "hadr") -> MoveInput:
    """A move of presence the facilitator has made succeed (its reason says "forced" unless
    it was a sovereignty incident)."""
    return MoveInput(key, key.split(":")[0], action, RULES.actions[action].cost,
                     target_team=to, forced=True)  # fmt: skip


def trust_changes(result, cause: str) -> dict[str, float]:
    return {c.subject: c.after - c.before for c in result.changes if c.cause == cause}


def test_relief_sent_unasked_is_a_sovereignty_incident_with_the_host_and_its_friends() -> None:
    result = adjudicate(consent_state(), [relief()], RULES, 1)
    outcome = result.outcomes["BRA:1"]
    assert (outcome.status, outcome.reason, outcome.about) == (
        "success",
        "without_consent",
        {"host": "HTI"},
    )
    assert trust_changes(result, "sovereignty") == {
        "BRA-HTI": RULES.sovereignty_host_trust,
        "BRA-DOM": RULES.sovereignty_watcher_trust,  # close to Haiti: it cares
    }
    # The relief's own goodwill does not make up for it.
    assert result.state.trust_between("BRA", "HTI") < 50
    assert result.state.trust_between("BRA", "DOM") < 50


def test_a_request_this_turn_or_the_last_gives_consent_and_carries_to_the_next_turn() -> None:
    asked = MoveInput("HTI:1", "HTI", "request_assistance", 0)  # of the whole region
    result = adjudicate(consent_state(), [asked, relief()], RULES, 1)
    assert result.outcomes["HTI:1"].status == "success"
    assert result.outcomes["BRA:1"].reason == "forced"
    assert trust_changes(result, "sovereignty") == {}
    assert result.state.trust_between("BRA", "HTI") == 50 + HADR.trust
    assert result.state.consents == (("HTI", "*", "request"),)
    # The next turn the request still stands, without a new one.
    later = adjudicate(result.state, [relief()], RULES, 1)
    assert later.outcomes["BRA:1"].reason == "forced"
    assert later.state.consents == ()  # and lapses after it


def test_a_host_that_declines_turns_the_forces_back_even_over_its_own_request() -> None:
    no = MoveInput("HTI:1", "HTI", "decline_assistance", 0, target_team="BRA")
    yes = MoveInput("HTI:2", "HTI", "request_assistance", 0)
    result = adjudicate(consent_state(), [no, yes, relief(), relief("DOM:1")], RULES, 1)
    declined = result.outcomes["BRA:1"]
    assert (declined.status, declined.reason, declined.about) == (
        "declined",
        "declined",
        {"host": "HTI"},
    )
    assert result.outcomes["DOM:1"].status == "success"  # the request stands for the others
    assert not [c for c in result.changes if c.ref == "BRA:1"]
    # A decline of the last turn stands until the host answers again.
    again = adjudicate(result.state, [relief()], RULES, 1)
    assert again.outcomes["BRA:1"].status == "declined"
    answered = adjudicate(
        result.state, [MoveInput("HTI:1", "HTI", "request_assistance", 0, target_team="BRA"),
                       relief()], RULES, 1,
    )  # fmt: skip
    assert answered.outcomes["BRA:1"].status == "success"
    # Both answers to the same nation in one turn: the decline prevails, then and next turn.
    both = [MoveInput("HTI:1", "HTI", "decline_assistance", 0, target_team="BRA"),
            MoveInput("HTI:2", "HTI", "request_assistance", 0, target_team="BRA")]  # fmt: skip
    first = adjudicate(consent_state(), [*both, relief()], RULES, 1)
    assert first.outcomes["BRA:1"].status == "declined"
    assert adjudicate(first.state, [relief()], RULES, 1).outcomes["BRA:1"].status == "declined"


def test_a_host_may_consent_on_its_conditions_at_a_lower_cost_at_home() -> None:
    """Consent with conditions lets the forces in, without an incident, with less freedom of
    action for the guest (its chance lower by `conditions_penalty`); it costs the host less
    support than an open request, stands the next turn, and a decline still prevails."""
    terms = MoveInput("HTI:1", "HTI", "consent_with_conditions", 0, target_team="BRA")
    unforced = MoveInput("BRA:1", "BRA", "hadr", RULES.actions["hadr"].cost, target_team="HTI")
    result = adjudicate(consent_state(), [terms, unforced, relief("DOM:1")], RULES, 1)
    assert (result.outcomes["HTI:1"].status, result.outcomes["HTI:1"].reason) == (
        "success",
        "condition",
    )
    guest = result.outcomes["BRA:1"]
    assert guest.reason == "" and guest.factors["conditions"] == -RULES.conditions_penalty
    assert RULES.conditions_penalty > 0
    assert trust_changes(result, "sovereignty") == {"DOM-HTI": RULES.sovereignty_host_trust}
    # Consent on the host's terms costs less at home than an open request.
    request = RULES.actions["request_assistance"].domestic
    conditions = RULES.actions["consent_with_conditions"].domestic
    assert 0 < conditions < request
    (cost,) = [c for c in result.changes if c.ref == "HTI:1" and c.indicator == "support"]
    assert cost.before - cost.after == conditions
    # It stands the next turn, with its conditions; without it the same move is unhindered.
    later = adjudicate(result.state, [unforced], RULES, 1)
    assert later.outcomes["BRA:1"].factors["conditions"] == -RULES.conditions_penalty
    asked = MoveInput("HTI:1", "HTI", "request_assistance", 0, target_team="BRA")
    plain = adjudicate(consent_state(), [asked, unforced], RULES, 1).outcomes["BRA:1"]
    assert "conditions" not in plain.factors
    assert plain.chance - guest.chance == pytest.approx(RULES.conditions_penalty)
    # A decline in the same turn prevails over consent on conditions.
    no = MoveInput("HTI:2", "HTI", "decline_assistance", 0, target_team="BRA")
    both = adjudicate(consent_state(), [terms, no, unforced], RULES, 1)
    assert both.outcomes["BRA:1"].status == "declined"
    # Bots send forces where a host consented on its terms.
    conditioned = replace(consent_state(), consents=(("HTI", "BRA", "condition"),))
    assert invited(conditioned, RULES, "BRA", "HTI", "hadr")


def test_a_standing_instrument_gives_consent_in_advance_for_what_it_covers_only() -> None:
    shiprider = AgreementState("A00000001", "shiprider", ("BRA", "HTI"), {"BRA": 1, "HTI": 1}, 5)
    state = consent_state(agreements={"A00000001": shiprider})
    patrol = relief("BRA:1", action="maritime_patrol")
    result = adjudicate(state, [patrol, relief("BRA:2")], RULES, 1)
    assert result.outcomes["BRA:1"].reason == "forced"  # a combined patrol in Haitian waters
    assert result.outcomes["BRA:2"].reason == "without_consent"  # relief is not covered
    status_of_forces = replace(shiprider, action="status_of_forces")
    covered = adjudicate(
        consent_state(agreements={"A00000001": status_of_forces}), [relief()], RULES, 1
    )
    assert covered.outcomes["BRA:1"].reason == "forced"
    assert RULES.actions["shiprider"].targets == ()  # agreed, never played as a move


def test_a_legislative_authorisation_gives_consent_at_a_cost_at_home() -> None:
    vote = MoveInput("HTI:1", "HTI", "legislative_authorisation", 1, target_team="BRA")
    result = adjudicate(consent_state(), [vote, relief("BRA:1", action="joint_exercise")],
                        RULES, 1)  # fmt: skip
    assert result.outcomes["BRA:1"].reason == "forced"
    cost = RULES.actions["legislative_authorisation"].domestic
    assert cost > 0
    assert ("HTI", "support", "move", "HTI:1") in {
        (c.subject, c.indicator, c.cause, c.ref) for c in result.changes
    }
    (vote_cost,) = [c for c in result.changes if c.ref == "HTI:1" and c.indicator == "support"]
    assert vote_cost.before - vote_cost.after == cost


def test_moves_that_enter_no_other_nation_need_no_consent() -> None:
    moves = [
        MoveInput("BRA:1", "BRA", "intel_sharing", 1, target_team="HTI", forced=True),
        MoveInput("BRA:2", "BRA", "hadr", 2, target_inject="M-01", forced=True),  # at home
    ]
    result = adjudicate(consent_state(), moves, RULES, 1)
    assert {o.reason for o in result.outcomes.values()} == {"forced"}
    assert trust_changes(result, "sovereignty") == {}


@settings(max_examples=examples(50), deadline=None)
@given(turn=turns(), seed=st.integers(0, 2**48), data=st.data())
def test_forces_sent_unasked_never_raise_trust_with_the_host(turn, seed: int, data) -> None:
    state, moves = turn
    # Nobody asked, and no standing instrument is in force.
    plain = {k: a for k, a in state.agreements.items() if not RULES.actions[a.action].covers}
    state = replace(state, consents=(), agreements=plain)
    codes = sorted(state.teams)
    team = data.draw(st.sampled_from(codes))
    host = data.draw(st.sampled_from([code for code in codes if code != team]))
    action = data.draw(st.sampled_from([code for code, a in RULES.actions.items() if a.presence]))
    moves = [m for m in moves if m.team != host and m.team != team]
    extra = MoveInput(f"{team}:in", team, action, RULES.actions[action].cost, target_team=host)
    without = adjudicate(state, moves, RULES, seed).state.trust_between(team, host)
    after = adjudicate(state, [*moves, extra], RULES, seed)
    assert after.outcomes[extra.key].reason == "without_consent"
    assert after.state.trust_between(team, host) <= without


# --- Graded outcomes ---------------------------------------------------------------------------


@given(chance=st.floats(0.05, 0.95), roll=st.floats(0, 1, exclude_max=True))
def test_grades_keep_the_chance_of_success(chance: float, roll: float) -> None:
    """A partial success is a success and a setback a failure: grading changes what an outcome
    does, never how likely a move is to succeed."""
    grade = CATALOGUE_RULES.grade(chance, roll)
    assert (grade in ("success", "partial")) == (roll < chance)
    # The partial ones are the successes nearest the chance, the setbacks the worst failures.
    assert (grade == "partial") == (chance * (1 - CATALOGUE_RULES.partial_share) <= roll < chance)
    assert (grade == "setback") == (roll >= 1 - (1 - chance) * CATALOGUE_RULES.setback_share)


def test_the_grades_at_a_chance_of_seventy_per_cent() -> None:
    grade = CATALOGUE_RULES.grade
    assert [grade(0.7, roll) for roll in (0.2, 0.48, 0.5, 0.69, 0.71, 0.9, 0.92)] == [
        "success", "success", "partial", "partial", "failure", "failure", "setback",
    ]  # fmt: skip
    # The facilitator's decision is plain.
    assert grade(0.7, 0.6, forced=True) == "success"
    assert grade(0.7, 0.95, forced=False) == "failure"


def _seed_rolling(key: str, low: float, high: float) -> int:
    """A seed whose die for `key` in turn 1 falls in [low, high)."""
    return next(s for s in range(100_000) if low <= random.Random(f"{s}:1:{key}").random() < high)


def test_a_partial_success_works_at_a_cost_to_capacity() -> None:
    # Brazil's relief to Haiti (consent given): chance 0.75 + 0.12 (capacity 80) = 0.87; the
    # partial rolls lie from 0.87 × 0.7 = 0.609 up to 0.87.
    move = MoveInput("BRA:1", "BRA", "hadr", 2, target_team="HTI", target_inject="M-01")
    result = adjudicate(simple_state(), [move], RULES, seed=_seed_rolling("BRA:1", 0.62, 0.86))
    assert result.outcomes["BRA:1"].status == "partial"
    assert result.state.injects["M-01"].pressure == 80 - HADR.relief
    assert result.state.trust[pair("BRA", "HTI")] == 50 + HADR.trust
    assert result.state.teams["BRA"].capacity == 80 + HADR.capacity - RULES.partial_capacity
    assert "hadr succeeded at a cost" in {c.note for c in result.changes if c.ref == "BRA:1"}


def test_a_setback_costs_trust_with_the_nation_aimed_at_or_stability_at_home() -> None:
    # Brazil's joint exercise with the Dominican Republic: chance 0.8 + 0.12 = 0.92; setbacks
    # are the rolls from 1 - 0.08 × 0.3 = 0.976.
    aimed = MoveInput("BRA:1", "BRA", "joint_exercise", 2, target_team="DOM")
    result = adjudicate(simple_state(), [aimed], RULES, seed=_seed_rolling("BRA:1", 0.977, 1))
    assert result.outcomes["BRA:1"].status == "setback"
    assert result.state.trust[pair("BRA", "DOM")] == 50 - RULES.setback_trust
    assert result.state.teams["BRA"].stability == 70
    # A statement at home that goes badly costs the team's own stability (no storm here).
    calm = simple_state(injects={})
    statement = MoveInput("DOM:1", "DOM", "public_statement", 1)
    chance = adjudicate(calm, [statement], RULES, seed=1).outcomes["DOM:1"].chance
    worst = 1 - (1 - chance) * RULES.setback_share
    result = adjudicate(calm, [statement], RULES, seed=_seed_rolling("DOM:1", worst + 0.001, 1))
    assert result.outcomes["DOM:1"].status == "setback"
    assert result.state.teams["DOM"].stability == 60 - RULES.setback_stability
    assert result.state.trust == adjudicate(calm, [], RULES, seed=1).state.trust


# --- Support at home ---------------------------------------------------------------------------


def test_support_at_home_moves_with_the_news_and_with_what_a_government_does() -> None:
    """A censure motion in the news costs support once, on arrival; asking for foreign forces
    costs it whatever comes of the request; a firm border control that succeeds raises it."""
    scandal = InjectState("M-02", "political_crisis", ("DOM",), ("public_statement",), 0,
                          support=(("DOM", -8),), arrived=True)  # fmt: skip
    moves = [
        MoveInput("HTI:1", "HTI", "request_assistance", 0),
        MoveInput("BRA:1", "BRA", "border_security", 1, forced=True),
    ]
    result = adjudicate(simple_state(injects={"M-02": scandal}), moves, RULES, seed=1)
    after = result.state.teams
    assert after["DOM"].support == 50 - 8
    assert after["HTI"].support == 50 - RULES.actions["request_assistance"].domestic
    assert after["BRA"].support == 50 + RULES.actions["border_security"].support
    shocks = {(c.subject, c.cause, c.ref) for c in result.changes if c.indicator == "support"}
    assert ("DOM", "shock", "M-02") in shocks
    # It is news once: the next turn the scandal costs nothing more.
    later = adjudicate(result.state, [], RULES, seed=1)
    assert later.state.teams["DOM"].support == 50 - 8


def test_a_government_its_people_back_acts_more_surely() -> None:
    move = MoveInput("BRA:1", "BRA", "joint_exercise", 2, target_team="DOM")
    state = simple_state()
    backed = replace(state, teams=state.teams | {"BRA": replace(state.teams["BRA"], support=90)})
    doubted = replace(state, teams=state.teams | {"BRA": replace(state.teams["BRA"], support=10)})
    neutral = adjudicate(state, [move], RULES, 3).outcomes["BRA:1"]
    assert "support" not in neutral.factors
    assert adjudicate(backed, [move], RULES, 3).outcomes["BRA:1"].factors["support"] == 0.08
    assert adjudicate(doubted, [move], RULES, 3).outcomes["BRA:1"].factors["support"] == -0.08


@settings(max_examples=examples(75), deadline=None)
@given(turn=turns(), seed=st.integers(0, 2**48), rules=both_rule_sets)
def test_support_stays_between_0_and_100(turn, seed: int, rules) -> None:
    state, moves = turn
    for team in adjudicate(state, moves, rules, seed).state.teams.values():
        assert 0 <= team.support <= 100


# --- Nations without diplomatic relations ------------------------------------------------------


def test_nations_without_relations_pay_for_acting_directly_not_through_a_body() -> None:
    """Haiti and the Dominican Republic, here without relations: intelligence shared directly
    loses the missing channel's chance; OAS mediation, which goes through a body, does not."""
    state = replace(simple_state(), no_relations=frozenset({pair("HTI", "DOM")}))
    direct = MoveInput("DOM:1", "DOM", "intel_sharing", 1, target_team="HTI")
    mediated = MoveInput("DOM:2", "DOM", "oas_mediation", 2, target_team="HTI")
    result = adjudicate(state, [direct, mediated], RULES, seed=1)
    assert result.outcomes["DOM:1"].factors["no_relations"] == -RULES.no_relations_penalty
    assert "no_relations" not in result.outcomes["DOM:2"].factors
    # With relations, nothing is taken; and the pairs carry over to the next turn.
    assert (
        "no_relations"
        not in adjudicate(simple_state(), [direct], RULES, 1).outcomes["DOM:1"].factors
    )
    assert result.state.no_relations == state.no_relations


def test_a_security_council_mandate_gives_the_hosts_consent_in_advance() -> None:
    """Contributions to a force the Council authorized for Haiti enter with Haiti's consent;
    the mandate covers that action only, and a decline by Haiti still prevails."""
    state = replace(consent_state(), mandates=frozenset({("HTI", "un_peacekeeping")}))
    force = MoveInput("BRA:1", "BRA", "un_peacekeeping", 3, target_team="HTI", forced=True)
    result = adjudicate(state, [force, relief("DOM:1")], RULES, 1)
    assert result.outcomes["BRA:1"].reason == "forced"
    assert result.outcomes["DOM:1"].reason == "without_consent"
    declined = MoveInput("HTI:1", "HTI", "decline_assistance", 0, target_team="BRA")
    assert adjudicate(state, [force, declined], RULES, 1).outcomes["BRA:1"].status == "declined"
    assert result.state.mandates == state.mandates


def test_bots_judge_consent_as_the_adjudication_does() -> None:
    """A bot sends forces where the adjudication would find consent: a mandate counts, for
    its action only, and a standing decline prevails over it."""
    mandated = replace(consent_state(), mandates=frozenset({("HTI", "un_peacekeeping")}))
    assert invited(mandated, RULES, "BRA", "HTI", "un_peacekeeping")
    assert not invited(consent_state(), RULES, "BRA", "HTI", "un_peacekeeping")
    assert not invited(mandated, RULES, "BRA", "HTI", "hadr")
    declined = replace(mandated, consents=(("HTI", "BRA", "decline"),))
    assert not invited(declined, RULES, "BRA", "HTI", "un_peacekeeping")
