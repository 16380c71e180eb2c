"""A scenario as the engine's simulation reads it (wargame/engine/simulation.py), and the
figures of its balance (wargame/engine/balance.py) as people read them: warnings in words and
charts of each nation's indicators."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from wargame.engine import InjectState, TeamState, pair
from wargame.engine.balance import (
    HIGH,
    INDICATORS,
    LOW,
    Balance,
    Band,
    InjectBalance,
    NationBalance,
    ObjectiveBalance,
    Warning,
)
from wargame.engine.simulation import Plan, ScheduledInject
from wargame.lib.nations import nation_name
from wargame.scenarios.fileformat import ScenarioSpec

# Trust between two nations a scenario does not pair, as an exercise starts it.
UNPAIRED_TRUST = 50


def simulation_plan(spec: ScenarioSpec) -> Plan:
    """The scenario's nations, trust and MSEL, as an exercise created from it starts."""
    codes = sorted(spec.nation_codes)
    trust = {pair(a, b): UNPAIRED_TRUST for a in codes for b in codes if a < b}
    trust |= {pair(t.a, t.b): t.value for t in spec.trust}
    return Plan(
        turns=spec.turns,
        teams={
            n.code: TeamState(n.code, n.stability, n.capacity, n.budget, n.budget, n.support)
            for n in spec.nations
        },
        trust=trust,
        injects=tuple(
            ScheduledInject(
                inject=InjectState(
                    code=i.id,
                    kind=i.kind,
                    affects=tuple(i.affects),
                    expected_actions=tuple(i.expected_actions),
                    pressure=0,
                    recipients=tuple(i.to),
                    trust=tuple(i.trust),
                    support=tuple(i.support),
                ),
                turn=i.turn,
                severity=i.severity,
                contingency_for=i.contingency_for,
            )
            for i in sorted(spec.injects, key=lambda i: i.turn)
        ),
        actions=spec.actions,
        no_relations=frozenset(spec.no_relations),
        mandates=frozenset(spec.mandates),
        objectives=tuple(
            (
                objective.id,
                tuple(i.id for i in spec.injects if i.objective == objective.id),
                tuple(n.code for n in spec.nations if objective.id in n.objectives),
            )
            for objective in spec.objectives
        ),
    )


# --- The figures of a balance, as people read them ---------------------------------------------

# What each kind of warning says (wargame/engine/balance.py).
WARNINGS = {
    "collapses": gettext_lazy(
        "%(nation)s's stability is below %(low)s from turn %(turn)s to the end in %(share)s "
        "of the plays, whatever it does."
    ),
    "falls": gettext_lazy(
        "%(nation)s's stability falls below %(low)s in turn %(turn)s in %(share)s of the "
        "plays, whatever it does."
    ),
    "tops_out": gettext_lazy(
        "%(nation)s's stability ends above %(high)s in %(share)s of the plays."
    ),
    "left_open": gettext_lazy(
        "%(inject)s is still open at the end in %(share)s of the plays that deliver it."
    ),
}
INDICATOR_LABELS = {
    "stability": gettext_lazy("Stability"),
    "capacity": gettext_lazy("Capacity"),
    "support": gettext_lazy("Support at home"),
    "trust": gettext_lazy("Trust"),
}
# The charts' drawing area, in SVG units: turns along, 0 to 100 up.
CHART_WIDTH, CHART_HEIGHT = 160, 80


def warning_text(warning: Warning) -> str:
    return str(WARNINGS[warning.kind]) % {
        "nation": nation_name(warning.nation) if warning.nation else "",
        "low": LOW,
        "high": HIGH,
        "turn": warning.turn,
        "share": f"{warning.share:.0%}",
        "inject": warning.inject,
    }


@dataclass(frozen=True)
class Chart:
    """One indicator of one nation over the turns: the band in which 8 plays in 10 lie as a
    shape, the median as a line, from the start (turn 0) to the last turn."""

    indicator: str
    start: float
    bands: tuple[Band, ...]

    @property
    def label(self) -> str:
        return str(INDICATOR_LABELS[self.indicator])

    @property
    def end(self) -> Band:
        return self.bands[-1]

    def _point(self, turn: int, value: float) -> str:
        x = CHART_WIDTH * turn / len(self.bands)
        y = CHART_HEIGHT * (1 - value / 100)
        return f"{x:.1f},{y:.1f}"

    @property
    def median_points(self) -> str:
        values = [self.start, *(band.median for band in self.bands)]
        return " ".join(self._point(turn, value) for turn, value in enumerate(values))

    @property
    def band_points(self) -> str:
        """The band's outline: along the 90th percentile, back along the 10th."""
        high = [self._point(0, self.start)] + [
            self._point(turn, band.high) for turn, band in enumerate(self.bands, 1)
        ]
        low = [self._point(turn, band.low) for turn, band in enumerate(self.bands, 1)]
        return " ".join(high + low[::-1])

    @property
    def low_line(self) -> float:
        """Where the line of a nation in trouble (stability LOW) is drawn."""
        return CHART_HEIGHT * (1 - LOW / 100)


@dataclass(frozen=True)
class NationFigures:
    code: str
    charts: tuple[Chart, ...]

    @property
    def name(self) -> str:
        return nation_name(self.code)

    @property
    def rows(self) -> list[tuple[int, list[Band]]]:
        """The charts as a table: each turn with every indicator's band (turn 0: the start)."""
        start = [Band(c.start, c.start, c.start) for c in self.charts]
        turns = zip(*(chart.bands for chart in self.charts), strict=True)
        return [(0, start), *((n, list(bands)) for n, bands in enumerate(turns, 1))]


@dataclass(frozen=True)
class Figures:
    """A balance read back from what a simulation kept (its `result`)."""

    balance: Balance

    @property
    def nations(self) -> list[NationFigures]:
        return [
            NationFigures(
                nation.code,
                tuple(
                    Chart(name, nation.start[name], tuple(turn[name] for turn in nation.turns))
                    for name in INDICATORS
                ),
            )
            for nation in self.balance.nations
        ]

    @property
    def warnings(self) -> list[str]:
        return [warning_text(warning) for warning in self.balance.warnings]

    @property
    def left_open(self) -> list[tuple[str, int]]:
        """The injects still open at the end in at least half of the plays that deliver them,
        with that percentage."""
        return [
            (i.code, round(100 * i.open_at_end))
            for i in self.balance.injects
            if i.delivered and i.open_at_end >= 0.5
        ]

    @property
    def objectives(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """Each objective with the percentage of plays for each proposed rating."""
        return [
            (o.code, [(rating, round(100 * o.ratings[rating])) for rating in "PSMU"])
            for o in self.balance.objectives
        ]


def figures_of(result: dict[str, Any]) -> Figures:
    """The figures a simulation kept as JSON, as the engine's dataclasses again."""
    nations = [
        NationBalance(
            n["code"], n["start"], [{k: Band(**b) for k, b in t.items()} for t in n["turns"]]
        )
        for n in result["nations"]
    ]
    return Figures(
        Balance(
            runs=result["runs"],
            seed=result["seed"],
            idle=tuple(result["idle"]),
            selfish=tuple(result["selfish"]),
            nations=nations,
            injects=[InjectBalance(**i) for i in result["injects"]],
            objectives=[ObjectiveBalance(**o) for o in result["objectives"]],
            warnings=[Warning(**w) for w in result["warnings"]],
        )
    )
