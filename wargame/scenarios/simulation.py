"""A scenario as the engine's simulation reads it (wargame/engine/simulation.py)."""

from wargame.engine import InjectState, TeamState, pair
from wargame.engine.simulation import Plan, ScheduledInject
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
