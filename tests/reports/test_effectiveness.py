"""The report's indicators of effective defence diplomacy: trust between states and what moved
it, disputes settled through diplomatic channels, and the answer to each threat, where a
response and a resolution are told apart."""

import copy
from collections import Counter
from typing import Any

import pytest

from wargame.exercises.models import Exercise
from wargame.reports.builder import report_data
from wargame.reports.model import STRAINED, _Builder, report_build
from wargame.scenarios.models import InjectKind


def _actions(exercise: Exercise) -> dict[str, str]:
    return {a.code: a.local_name for a in exercise.scenario.actions.all()}


def _end(record: dict[str, Any]) -> dict[str, int]:
    return [t for t in record["turns"] if t["trust"]][-1]["trust"]


@pytest.mark.django_db
def test_what_moved_trust_adds_up_to_how_far_it_moved(played: Exercise) -> None:
    """Every change of trust is accounted for by its causes, pair by pair, and the pairs the
    report names are those that moved most."""
    record = report_data(played, events=False)
    start, end = record["scenario"]["trust"], _end(record)
    builder = _Builder(record, _actions(played))
    causes = builder.trust_causes()
    for pair in start:
        assert sum(causes.get(pair, Counter()).values()) == end[pair] - start[pair], pair
    shifts = builder.effectiveness().trust_shifts
    largest = max(abs(end[p] - start[p]) for p in start)
    assert shifts and shifts[0].change.lstrip("+−") == str(largest)
    assert all(shift.causes for shift in shifts)
    # Causes are words, never the codes the record keeps.
    assert not any(
        code in text
        for shift in shifts
        for text in shift.causes
        for code in ("hadr", "intel_sharing", "A0000")
    )


@pytest.mark.django_db
def test_an_answered_threat_is_not_a_resolved_one(played: Exercise) -> None:
    record = copy.deepcopy(report_data(played, events=False))
    inject = next(i for i in record["injects"] if i["answered_turn"] is not None and i["responses"])
    inject["answered_turn"] = inject["turns_to_answer"] = None  # responded to, still open
    name = str(InjectKind(inject["kind"]).label)
    threats = report_build(record, actions=_actions(played)).effectiveness.threats
    kind = next(row for row in threats if row.kind == name)
    responded, resolved = kind.responded.split(" of "), kind.resolved.split(" of ")
    assert responded[1] == resolved[1] == kind.delivered
    assert int(resolved[0]) == int(responded[0]) - 1


@pytest.mark.django_db
def test_a_dispute_is_settled_when_the_two_conclude_an_agreement(played: Exercise) -> None:
    record = copy.deepcopy(report_data(played, events=False))
    agreement = record["agreements"][0]
    a, b = sorted(agreement["parties"])[:2]
    pair = f"{a}-{b}"
    record["scenario"]["trust"][pair] = STRAINED - 10
    others = [p for p in record["scenario"]["trust"] if p != pair]
    for other in others:
        record["scenario"]["trust"][other] = max(record["scenario"]["trust"][other], STRAINED)
    for turn in record["turns"]:
        turn["trust_changes"] = [c for c in turn["trust_changes"] if c["pair"] == pair]
    effectiveness = report_build(record, actions=_actions(played)).effectiveness
    [row] = [d for d in effectiveness.disputes if d.settled]
    assert row.trust.startswith(f"{STRAINED - 10} → ")
    assert row.verdict == "Settled through an agreement"
    assert f"trust of {STRAINED - 10} at the start" in row.why
    assert effectiveness.disputes_intro.endswith(f": 1 of {len(effectiveness.disputes)}.")

    # Without the agreement the same dispute is open.
    record["agreements"] = [x for x in record["agreements"] if {a, b} - set(x["parties"])]
    effectiveness = report_build(record, actions=_actions(played)).effectiveness
    assert not any(d.settled for d in effectiveness.disputes)
