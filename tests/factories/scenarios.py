"""Synthetic scenarios of any size, for benchmarks and tests of scale.

`synthetic_spec` writes a valid scenario with as many nations as asked, the same one every
time; `tests.factories.exercises` plays it up to a busy turn.
"""

import pycountry

from wargame.lib.nations import nation_name
from wargame.scenarios.catalogue import catalogue, catalogue_codes
from wargame.scenarios.fileformat import (
    InjectSpec,
    NationSpec,
    ObjectiveSpec,
    ScenarioSpec,
    TrustSpec,
)
from wargame.scenarios.models import MAX_NATIONS, MAX_TURNS, DeliveryMethod, InjectKind

# The 35 member states of the OAS, by ISO 3166-1 alpha-3 code, in alphabetical order of code:
# a synthetic exercise of up to 35 nations is a hemispheric one, like the real scenarios.
OAS_MEMBERS = (
    "ARG", "ATG", "BHS", "BLZ", "BOL", "BRA", "BRB", "CAN", "CHL", "COL", "CRI", "CUB", "DMA",
    "DOM", "ECU", "GRD", "GTM", "GUY", "HND", "HTI", "JAM", "KNA", "LCA", "MEX", "NIC", "PAN",
    "PER", "PRY", "SLV", "SUR", "TTO", "URY", "USA", "VCT", "VEN",
)  # fmt: skip

_OBJECTIVES = (
    ("OBJ-1", "Coordinate the regional disaster response", "Operational coordination"),
    ("OBJ-2", "Share information on transnational threats", "Intelligence and information sharing"),
    ("OBJ-3", "Keep borders open and secure", "Border management"),
    ("OBJ-4", "Build confidence between neighbours", "Confidence-building measures"),
    ("OBJ-5", "Protect critical infrastructure", "Cyber defence"),
)

# Per kind of inject: who reports it, its title and its message ({nation} is the first
# nation it affects).
_INJECT_TEXTS = {
    InjectKind.HURRICANE: (
        "National Hurricane Center",
        "Hurricane heads for {nation}",
        "A category 4 hurricane is forecast to make landfall within 48 hours.",
    ),
    InjectKind.EARTHQUAKE: (
        "Seismological service",
        "Earthquake strikes {nation}",
        "A magnitude 7.1 earthquake has struck near the capital; hospitals are overwhelmed.",
    ),
    InjectKind.FLOOD: (
        "Civil protection",
        "Floods cut roads in {nation}",
        "Heavy rains have flooded the river valleys; thousands are displaced.",
    ),
    InjectKind.TRAFFICKING_SURGE: (
        "Joint interagency task force",
        "Trafficking surge through {nation}",
        "Seizures and radar tracks show a surge of cocaine shipments on the northern route.",
    ),
    InjectKind.MIGRATION_WAVE: (
        "UNHCR liaison office",
        "Thousands cross the border of {nation}",
        "A wave of migrants is arriving at the border crossings; shelters are full.",
    ),
    InjectKind.CYBERATTACK: (
        "National CSIRT",
        "Ransomware hits the ports of {nation}",
        "Ransomware has stopped the port community system; container traffic is frozen.",
    ),
    InjectKind.POLITICAL_CRISIS: (
        "Embassy cable",
        "Political crisis in {nation}",
        "Congress has been suspended and protesters fill the main square.",
    ),
    InjectKind.BORDER_INCIDENT: (
        "Border command",
        "Shots exchanged on the border of {nation}",
        "Patrols of two armies exchanged fire at a disputed crossing; one soldier is wounded.",
    ),
    InjectKind.DISEASE_OUTBREAK: (
        "Pan American Health Organization",
        "Outbreak of dengue in {nation}",
        "Cases of severe dengue have tripled in a week; the health ministry asks for help.",
    ),
    InjectKind.TERRORIST_THREAT: (
        "Intelligence directorate",
        "Threat against an airport in {nation}",
        "A credible threat names the international airport; flights are being diverted.",
    ),
}


def synthetic_nation_codes(nations: int) -> tuple[str, ...]:
    """The first `nations` codes: the OAS members, then other countries in pycountry, sorted
    by code, up to the most a scenario may have."""
    others = sorted(c.alpha_3 for c in pycountry.countries if c.alpha_3 not in OAS_MEMBERS)
    codes = (OAS_MEMBERS + tuple(others))[:MAX_NATIONS]
    if not 2 <= nations <= len(codes):
        raise ValueError(f"a synthetic scenario has 2 to {len(codes)} nations, not {nations}")
    return codes[:nations]


def synthetic_spec(
    nations: int, *, injects: int = 30, turns: int = 8, slug: str | None = None
) -> ScenarioSpec:
    """A valid scenario with `nations` nations and `injects` injects spread over `turns` turns.

    The same arguments always give the same scenario. Every action of the catalogue is
    allowed; each inject expects the actions that answer its kind. Budgets are far above a
    real scenario's (20 to 28 action points a turn) so that a benchmark can submit several
    moves per team and still keep agreements.
    """
    if not 1 <= turns <= MAX_TURNS:
        raise ValueError(f"a scenario has 1 to {MAX_TURNS} turns, not {turns}")
    if injects < 1:
        raise ValueError("a scenario needs at least one inject")
    codes = synthetic_nation_codes(nations)
    objective_ids = [oid for oid, _title, _capability in _OBJECTIVES]
    nation_specs = tuple(
        NationSpec(
            code=code,
            briefing=f"Briefing for {nation_name(code)}: protect your people, keep your "
            f"neighbours close and your commitments kept.",
            objectives=tuple(sorted({objective_ids[index % 5], objective_ids[(index + 2) % 5]})),
            stability=45 + (index * 7) % 40,
            capacity=30 + (index * 11) % 50,
            budget=20 + (index % 5) * 2,
        )
        for index, code in enumerate(codes)
    )
    trust = []
    for index, code in enumerate(codes):
        # Each nation with the next one, and every third with the one after: some pairs,
        # not all, as a scenario author writes them.
        for step in (1, 2) if index % 3 == 0 else (1,):
            if index + step < len(codes):
                other = codes[index + step]
                value = 30 + (index * 17 + step * 5) % 55
                trust.append(TrustSpec(a=min(code, other), b=max(code, other), value=value))
    actions = catalogue_codes()
    return ScenarioSpec(
        slug=slug or f"synthetic-{nations}",
        title=f"Synthetic exercise with {nations} nations",
        summary=f"{nations} nations face {injects} crises over {turns} turns; generated for "
        f"benchmarks and tests of scale.",
        briefing="A season of storms, trafficking and unrest tests the region's cooperation.\n",
        turns=turns,
        game_time_per_turn="1 week",
        minutes_per_turn=20,
        objectives=tuple(ObjectiveSpec(*objective) for objective in _OBJECTIVES),
        nations=nation_specs,
        trust=tuple(trust),
        actions=actions,
        injects=_injects(codes, injects, turns),
    )


def _injects(codes: tuple[str, ...], count: int, turns: int) -> tuple[InjectSpec, ...]:
    kinds = list(_INJECT_TEXTS)
    answering = {
        kind: tuple(action.code for action in catalogue() if kind in action.answers)
        for kind in kinds
    }
    methods = DeliveryMethod.values
    width = max(2, len(str(count)))
    result: list[InjectSpec] = []
    for index in range(count):
        kind = kinds[index % len(kinds)]
        turn = 1 + index * turns // count
        first = (index * 3) % len(codes)
        reach = min(1 + index % 3, len(codes))
        affects = tuple(codes[(first + step) % len(codes)] for step in range(reach))
        # Every third inject goes only to the nations it affects, with a private part.
        to = affects if index % 3 == 2 else ()
        private = {affects[0]: "Your ministry of defence asks for options by the end of the turn."}
        earlier = [spec for spec in result if spec.turn < turn]
        originator, title, message = _INJECT_TEXTS[kind]
        result.append(
            InjectSpec(
                id=f"M-{index + 1:0{width}d}",
                turn=turn,
                kind=kind.value,
                originator=originator,
                to=to,
                method=methods[index % len(methods)],
                private=private if to else {},
                title=title.format(nation=nation_name(affects[0])),
                message=message,
                affects=affects,
                severity=2 + index % 4,
                expected_actions=answering[kind][:2],
                objective=_OBJECTIVES[index % len(_OBJECTIVES)][0],
                # Every tenth inject follows up an unanswered one of an earlier turn.
                contingency_for=earlier[-1].id if index % 10 == 9 and earlier else None,
            )
        )
    return tuple(result)
