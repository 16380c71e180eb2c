"""How a scenario plays over many seeds: the game of simulation.py, summed up for its author.

One play of a scenario by the scripted bots says little: the dice decide much of it. Played over
a few hundred seeds, it shows what the scenario itself decides, whatever the dice: for each
nation and turn the median of its stability, capacity, support at home and trust (its mean
trust with the other nations) and the band in which eight runs in ten end (10th to 90th
percentile), how often each inject is still open when the exercise ends, and warnings where the
scenario decides a nation's fate before anyone plays.

Scripted bots answer every inject they can and cooperate with everyone; people rarely play so
well. To compare, nations may play selfishly (`selfish`: they answer what harms them and ask
for help, but help and cooperate with nobody), and seats may be left empty (`idle`: no move,
no agreement): with every seat empty the scenario plays itself, the worst its nations can
expect.

Plain Python like the rest of the engine: the same plan, seed and seats give the same figures.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from wargame.engine.ratings import InjectRecord, propose_rating
from wargame.engine.rules import Rules
from wargame.engine.simulation import Plan, play

INDICATORS = ("stability", "capacity", "support", "trust")
# A nation is in trouble below this stability, and has nowhere left to rise above this one.
LOW, HIGH = 20, 85
# "Most runs": the share of runs that makes a warning.
MOST = 0.9
# An inject is "left open" when it is still open at the end of at least this share of the
# runs in which it was delivered.
LEFT_OPEN = 0.8


@dataclass(frozen=True)
class Band:
    """The 10th percentile, the median and the 90th percentile of a figure over the runs."""

    low: float
    median: float
    high: float


@dataclass(frozen=True)
class NationBalance:
    code: str
    start: dict[str, float]
    turns: list[dict[str, Band]]  # after each turn, by indicator


@dataclass(frozen=True)
class InjectBalance:
    code: str
    delivered: float  # share of runs in which it was delivered (a contingency may not be)
    open_at_end: float  # share of those in which it was still open at the end


@dataclass(frozen=True)
class Warning:
    """What a scenario decides before anyone plays. `kind`: "collapses" (the nation's stability
    is below LOW after `turn` in `share` of the runs, and stays there), "falls" (below LOW after
    `turn`, the first such turn, though it may recover), "tops_out" (above HIGH at the end),
    "left_open" (the inject `inject` is still open at the end)."""

    kind: str
    share: float
    nation: str = ""
    turn: int = 0
    inject: str = ""


@dataclass(frozen=True)
class ObjectiveBalance:
    """The share of the runs in which the objective's proposed rating, read from its injects and
    its nations as the hotwash reads it before evaluators rate tasks, would be P, S, M or U."""

    code: str
    ratings: dict[str, float]


@dataclass(frozen=True)
class Balance:
    runs: int
    seed: int
    idle: tuple[str, ...]
    selfish: tuple[str, ...]
    nations: list[NationBalance]
    injects: list[InjectBalance]
    objectives: list[ObjectiveBalance]
    warnings: list[Warning]


def balance(
    plan: Plan,
    rules: Rules,
    *,
    runs: int,
    seed: int,
    idle: frozenset[str] = frozenset(),
    selfish: frozenset[str] = frozenset(),
    progress: Callable[[int], None] | None = None,
) -> Balance:
    """The plan played `runs` times, with the seeds seed, seed + 1, …, by bots on every seat
    but the idle ones, the selfish ones playing for themselves. `progress` is told how many
    plays are done after each one."""
    selfish = selfish - idle
    plays = []
    for run in range(runs):
        plays.append(play(plan, rules, seed + run, idle=idle, selfish=selfish))
        if progress is not None:
            progress(run + 1)
    nations = [
        NationBalance(
            code=code,
            start={name: _figure(plan.teams[code], plan.trust, code, name) for name in INDICATORS},
            turns=[
                {
                    name: _band(
                        [
                            _figure(
                                results[turn].state.teams[code],
                                results[turn].state.trust,
                                code,
                                name,
                            )
                            for results in plays
                        ]
                    )
                    for name in INDICATORS
                }
                for turn in range(plan.turns)
            ],
        )
        for code in sorted(plan.teams)
    ]
    delivered: Counter[str] = Counter()
    still_open: Counter[str] = Counter()
    for results in plays:
        seen = {code for result in results for code in result.state.injects}
        seen |= {code for result in results for code in result.answered}
        answered = {code for result in results for code in result.answered}
        delivered.update(seen)
        still_open.update(seen - answered)
    codes = [scheduled.inject.code for scheduled in plan.injects]
    injects = [
        InjectBalance(
            code,
            delivered[code] / runs,
            still_open[code] / delivered[code] if delivered[code] else 0.0,
        )
        for code in codes
    ]
    return Balance(
        runs,
        seed,
        tuple(sorted(idle)),
        tuple(sorted(selfish)),
        nations,
        injects,
        _objectives(plan, plays),
        _warnings(plays, injects),
    )


def _objectives(plan: Plan, plays: list[list]) -> list[ObjectiveBalance]:
    found = []
    for code, tested_by, holders in plan.objectives:
        counts: Counter[str] = Counter()
        for results in plays:
            delivered: dict[str, int] = {}
            answered: dict[str, int] = {}
            for number, result in enumerate(results, 1):
                for inject in result.state.injects:
                    delivered.setdefault(inject, number)
                for inject in result.answered:
                    answered.setdefault(inject, number)
            records = [
                InjectRecord(inject, delivered.get(inject), answered.get(inject))
                for inject in tested_by
            ]
            start = [plan.teams[n].stability for n in holders if n in plan.teams]
            end = [results[-1].state.teams[n].stability for n in holders if n in plan.teams]
            rating, _reasons = propose_rating(records, start, end, last_turn=len(results))
            counts[rating] += 1
        runs = len(plays)
        found.append(ObjectiveBalance(code, {r: counts[r] / runs for r in ("P", "S", "M", "U")}))
    return found


def _figure(team: object, trust: dict[tuple[str, str], int], code: str, name: str) -> float:
    """An indicator of a nation; its trust is the mean of its trust with every other one."""
    if name != "trust":
        return getattr(team, name)
    values = [value for pair, value in trust.items() if code in pair]
    return round(sum(values) / len(values), 1) if values else 0.0


def _band(values: list[float]) -> Band:
    ordered = sorted(values)
    return Band(_percentile(ordered, 0.1), _percentile(ordered, 0.5), _percentile(ordered, 0.9))


def _percentile(ordered: list[float], share: float) -> float:
    """The value below which `share` of the runs fall, interpolated between two runs."""
    at = share * (len(ordered) - 1)
    below = int(at)
    above = min(below + 1, len(ordered) - 1)
    return round(ordered[below] + (ordered[above] - ordered[below]) * (at - below), 1)


def _warnings(plays: list[list], injects: list[InjectBalance]) -> list[Warning]:
    warnings: list[Warning] = []
    runs = len(plays)
    codes = sorted(plays[0][0].state.teams)
    for code in codes:
        for turn in range(len(plays[0])):
            # Below LOW from this turn to the end in most runs; or after this turn at least.
            stays = sum(
                all(result.state.teams[code].stability < LOW for result in results[turn:])
                for results in plays
            )
            below = sum(results[turn].state.teams[code].stability < LOW for results in plays)
            if stays / runs >= MOST:
                warnings.append(Warning("collapses", stays / runs, nation=code, turn=turn + 1))
                break
            if below / runs >= MOST:
                warnings.append(Warning("falls", below / runs, nation=code, turn=turn + 1))
                break
        share = sum(results[-1].state.teams[code].stability > HIGH for results in plays) / runs
        if share >= MOST:
            warnings.append(Warning("tops_out", share, nation=code, turn=len(plays[0])))
    for inject in injects:
        if inject.delivered >= 0.5 and inject.open_at_end >= LEFT_OPEN:
            warnings.append(Warning("left_open", inject.open_at_end, inject=inject.code))
    return warnings
