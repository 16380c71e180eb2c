"""The scenario file format: every mistake is named by file, line and field, all at once."""

import pytest

from tests.conftest import MINIMAL, SHIPPED_SCENARIOS
from wargame.scenarios.catalogue import catalogue_codes
from wargame.scenarios.fileformat import (
    ScenarioFileError,
    parse_scenario_file,
    parse_scenario_text,
    spec_to_yaml,
)

SOURCE = "scenarios/x.yaml"


def minimal_text() -> str:
    return MINIMAL.read_text(encoding="utf-8")


def problems_of(text: str) -> list[str]:
    with pytest.raises(ScenarioFileError) as caught:
        parse_scenario_text(text, SOURCE)
    return [str(problem) for problem in caught.value.problems]


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must appear once in the fixture"
    return text.replace(old, new)


def test_minimal_file_loads_with_defaults_applied() -> None:
    spec = parse_scenario_file(MINIMAL)
    assert spec.slug == "minimal"
    assert spec.minutes_per_turn == 20
    assert spec.nation_codes == ("HTI", "DOM")
    dom = spec.nations[1]
    assert (dom.stability, dom.capacity, dom.budget, dom.objectives) == (60, 50, 5, ())
    # Sets are normalised: a nation's objectives in declaration order, actions in catalogue
    # order, trust pairs alphabetically.
    assert spec.nations[0].objectives == ("OBJ-1", "OBJ-2")
    assert spec.actions == ("hadr", "intel_sharing", "public_statement")
    assert (spec.trust[0].a, spec.trust[0].b, spec.trust[0].value) == ("DOM", "HTI", 45)
    first, second = spec.injects
    assert first.originator == "National Hurricane Center"
    assert first.to == () and first.affects == ("HTI", "DOM")
    assert first.method == "briefing"
    assert second.originator == "Control"
    assert second.to == ("DOM",) and second.affects == ("DOM",)
    assert second.severity == 3
    assert second.contingency_for == "M-01"


def test_omitted_actions_mean_the_whole_catalogue() -> None:
    text = replace_once(minimal_text(), "actions: [intel_sharing, hadr, public_statement]\n", "")
    assert parse_scenario_text(text, SOURCE).actions == catalogue_codes()


@pytest.mark.parametrize("path", SHIPPED_SCENARIOS, ids=lambda path: path.name)
def test_shipped_scenario_is_valid_and_substantial(path) -> None:
    spec = parse_scenario_file(path)
    assert spec.slug == path.stem
    assert 6 <= spec.turns <= 10
    assert len(spec.nations) >= 5
    assert len(spec.objectives) >= 3
    assert all(objective.capability for objective in spec.objectives)
    assert len(spec.injects) >= 12
    assert len({inject.kind for inject in spec.injects}) >= 4
    assert any(inject.contingency_for for inject in spec.injects)
    assert {inject.turn for inject in spec.injects} == set(range(1, spec.turns + 1))
    originators = " ".join(inject.originator for inject in spec.injects)
    assert "OAS" in originators
    assert "UN" in originators
    expected = {code for inject in spec.injects for code in inject.expected_actions}
    assert "oas_mediation" in expected


def test_there_are_three_shipped_scenarios() -> None:
    assert len(SHIPPED_SCENARIOS) >= 3


def test_regional_bodies_originate_injects_and_are_invoked_by_moves() -> None:
    """The OAS, the IADB, the Conference of Defense Ministers of the Americas, CDEMA and the UN
    speak in the MSEL and are the mechanisms that expected moves call on; none is a team."""
    specs = [parse_scenario_file(path) for path in SHIPPED_SCENARIOS]
    originators = " ".join(i.originator for spec in specs for i in spec.injects)
    bodies = ("OAS", "Inter-American Defense Board", "Defense Ministers", "CDEMA", "UN")
    for body in bodies:
        assert body in originators, body
    expected = {code for spec in specs for i in spec.injects for code in i.expected_actions}
    assert {"oas_mediation", "un_peacekeeping", "training_exchange"} <= expected


@pytest.mark.parametrize("path", [MINIMAL, *SHIPPED_SCENARIOS], ids=lambda path: path.name)
def test_written_yaml_reads_back_to_an_equal_scenario(path) -> None:
    spec = parse_scenario_file(path)
    assert parse_scenario_text(spec_to_yaml(spec), SOURCE) == spec


def test_a_scenario_may_set_its_own_marking_in_each_language() -> None:
    text = (
        MINIMAL.read_text(encoding="utf-8").replace(
            "turns: 4\n", "turns: 4\nmarking: EXERCISE TRADEWINDS\n"
        )
        + "translations:\n  es:\n    marking: EJERCICIO TRADEWINDS\n"
    )
    spec = parse_scenario_text(text, SOURCE)
    assert spec.marking == "EXERCISE TRADEWINDS"
    assert spec.translations["es"]["marking"] == "EJERCICIO TRADEWINDS"
    assert parse_scenario_text(spec_to_yaml(spec), SOURCE) == spec
    assert parse_scenario_file(MINIMAL).marking == ""  # the default marking


# (replace this, with this) in the minimal file -> the one problem expected.
MISTAKES = [
    pytest.param(
        ("turn: 3\n", "turn: 12\n"),
        "scenarios/x.yaml:42: injects[1].turn: 12 is after the last turn (4)",
        id="turn-after-last",
    ),
    pytest.param(
        ("turn: 1\n", "turn: 0\n"),
        "scenarios/x.yaml:31: injects[0].turn: 0 is below 1",
        id="turn-zero",
    ),
    pytest.param(
        ("    title: Go-fast", "    titel: Go-fast"),
        [
            "scenarios/x.yaml:41: injects[1].title: required",
            "scenarios/x.yaml:46: injects[1].titel: unknown field; did you mean 'title'?",
        ],
        id="unknown-key",
    ),
    pytest.param(
        ("game_time_per_turn: 1 week\n", "game_time_per_turn: 1 week\nregion: Caribbean\n"),
        "scenarios/x.yaml:9: region: unknown field",
        id="unknown-top-level-key",
    ),
    pytest.param(
        ("  - code: DOM\n", "  - code: DOX\n"),
        [
            "scenarios/x.yaml:24: nations[1].code: DOX is not an ISO 3166-1 alpha-3 country code",
            "scenarios/x.yaml:27: trust[0][1]: DOM is not a nation of this scenario",
            "scenarios/x.yaml:44: injects[1].to[0]: DOM is not a nation of this scenario",
        ],
        id="not-a-country",
    ),
    pytest.param(
        ("  - code: DOM\n", "  - code: dom\n"),
        [
            "scenarios/x.yaml:24: nations[1].code: dom is not an ISO 3166-1 alpha-3 country code",
            "scenarios/x.yaml:27: trust[0][1]: DOM is not a nation of this scenario",
            "scenarios/x.yaml:44: injects[1].to[0]: DOM is not a nation of this scenario",
        ],
        id="lower-case-country",
    ),
    pytest.param(
        ("    stability: 35\n", "    stability: 135\n"),
        "scenarios/x.yaml:21: nations[0].stability: 135 is outside 0..100",
        id="stability-range",
    ),
    pytest.param(
        ("    budget: 4\n", "    budget: -1\n"),
        "scenarios/x.yaml:23: nations[0].budget: -1 is outside 0..100",
        id="budget-negative",
    ),
    pytest.param(
        ("    capacity: 20\n", "    capacity: twenty\n"),
        "scenarios/x.yaml:22: nations[0].capacity: must be a whole number, not text",
        id="capacity-type",
    ),
    pytest.param(
        ("    severity: 4\n", "    severity: 6\n"),
        "scenarios/x.yaml:38: injects[0].severity: 6 is outside 1..5",
        id="severity-range",
    ),
    pytest.param(
        ("turns: 4\n", "turns: 53\n"),
        "scenarios/x.yaml:7: turns: 53 is outside 1..52",
        id="turns-range",
    ),
    pytest.param(
        ("turns: 4\n", "turns: 4\nminutes_per_turn: 0\n"),
        "scenarios/x.yaml:8: minutes_per_turn: 0 is outside 1..240",
        id="minutes-range",
    ),
    pytest.param(
        ("slug: minimal\n", "slug: Minimal Scenario\n"),
        "scenarios/x.yaml:2: slug: 'Minimal Scenario' must be lower-case letters, digits and "
        "single hyphens",
        id="slug-pattern",
    ),
    pytest.param(
        ("title: Minimal scenario\n", ""),
        "scenarios/x.yaml:1: title: required",
        id="missing-title",
    ),
    pytest.param(
        ("format: 1\n", "format: 2\n"),
        "scenarios/x.yaml:1: format: 2 is not a known format; expected 1",
        id="format-version",
    ),
    pytest.param(
        ("  - id: M-02\n", "  - id: M-01\n"),
        [
            "scenarios/x.yaml:41: injects[1].id: inject M-01 appears more than once",
            "scenarios/x.yaml:49: injects[1].contingency_for: an inject cannot be a contingency "
            "for itself",
        ],
        id="duplicate-inject-id",
    ),
    pytest.param(
        ("  - id: OBJ-2\n", "  - id: OBJ-1\n"),
        [
            "scenarios/x.yaml:13: objectives[1].id: objective OBJ-1 appears more than once",
            "scenarios/x.yaml:20: nations[0].objectives[0]: OBJ-2 is not an objective of this "
            "scenario; did you mean OBJ-1?",
        ],
        id="duplicate-objective-id",
    ),
    pytest.param(
        ("    objective: OBJ-1\n", "    objective: OBJ-9\n"),
        "scenarios/x.yaml:40: injects[0].objective: OBJ-9 is not an objective of this "
        "scenario; did you mean OBJ-2?",
        id="unknown-objective",
    ),
    pytest.param(
        ("    objectives: [OBJ-2, OBJ-1]\n", "    objectives: [OBJ-2, OBJ-7]\n"),
        "scenarios/x.yaml:20: nations[0].objectives[1]: OBJ-7 is not an objective of this "
        "scenario; did you mean OBJ-2?",
        id="nation-unknown-objective",
    ),
    pytest.param(
        ("    to: [DOM]\n", "    to: [DOM, JAM]\n"),
        "scenarios/x.yaml:44: injects[1].to[1]: JAM is not a nation of this scenario",
        id="recipient-not-in-scenario",
    ),
    pytest.param(
        ("    to: [DOM]\n", "    to: everyone\n"),
        'scenarios/x.yaml:44: injects[1].to: must be "all" or a list of nation codes',
        id="recipients-type",
    ),
    pytest.param(
        ("    expected_actions: [hadr]\n", "    expected_actions: [hadr, cyber_cooperation]\n"),
        "scenarios/x.yaml:39: injects[0].expected_actions[1]: cyber_cooperation is not an "
        "action of this scenario",
        id="action-not-in-scenario",
    ),
    pytest.param(
        ("actions: [intel_sharing, hadr, public_statement]", "actions: [intel_sharing, hadr, spy]"),
        "scenarios/x.yaml:28: actions[2]: spy is not an action in the catalogue",
        id="action-not-in-catalogue",
    ),
    pytest.param(
        ("    kind: hurricane\n", "    kind: tsunami\n"),
        "scenarios/x.yaml:32: injects[0].kind: 'tsunami' is not one of: hurricane, earthquake, "
        "flood, trafficking_surge, migration_wave, cyberattack, political_crisis, "
        "border_incident, disease_outbreak, terrorist_threat, other",
        id="unknown-kind",
    ),
    pytest.param(
        ("    method: email\n", "    method: fax\n"),
        "scenarios/x.yaml:45: injects[1].method: 'fax' is not one of: briefing, email, phone, "
        "media",
        id="unknown-method",
    ),
    pytest.param(
        ("    contingency_for: M-01\n", "    contingency_for: M-09\n"),
        "scenarios/x.yaml:49: injects[1].contingency_for: M-09 is not an inject of this scenario",
        id="contingency-unknown",
    ),
    pytest.param(
        ("    turn: 3\n", "    turn: 1\n"),
        "scenarios/x.yaml:49: injects[1].contingency_for: M-01 is in turn 1; a contingency must "
        "follow an inject of an earlier turn than its own (1)",
        id="contingency-same-turn",
    ),
    pytest.param(
        ("  - [HTI, DOM, 45]\n", "  - [HTI, DOM, 45]\n  - [DOM, HTI, 60]\n"),
        "scenarios/x.yaml:28: trust[1]: trust between DOM and HTI is given twice",
        id="trust-duplicate-pair",
    ),
    pytest.param(
        ("  - [HTI, DOM, 45]\n", "  - [HTI, HTI, 45]\n"),
        "scenarios/x.yaml:27: trust[0]: trust is between two different nations, not HTI and itself",
        id="trust-self",
    ),
    pytest.param(
        ("  - [HTI, DOM, 45]\n", "  - [HTI, DOM, 145]\n"),
        "scenarios/x.yaml:27: trust[0][2]: 145 is outside 0..100",
        id="trust-range",
    ),
    pytest.param(
        ("  - [HTI, DOM, 45]\n", "  - [HTI, 45]\n"),
        "scenarios/x.yaml:27: trust[0]: must be [NATION, NATION, VALUE], for example "
        "[BRA, ARG, 70]",
        id="trust-shape",
    ),
    pytest.param(
        ("    notes: Look", "    private: {HTI: Hello}\n    notes: Look"),
        "scenarios/x.yaml:50: injects[1].private.HTI: HTI does not receive this inject (see 'to')",
        id="private-to-non-recipient",
    ),
    pytest.param(
        ("    severity: 4\n", "    severity: 4\n    severity: 5\n"),
        "scenarios/x.yaml:39: yaml: injects[0].severity appears twice",
        id="duplicate-key",
    ),
    pytest.param(
        ("    title: Hurricane Elena makes landfall\n", "    title: [Hurricane\n"),
        None,
        id="yaml-syntax",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), MISTAKES)
def test_mistake_is_reported_with_line_and_field(
    edit: tuple[str, str], expected: str | list[str] | None
) -> None:
    problems = problems_of(replace_once(minimal_text(), *edit))
    if expected is None:
        assert len(problems) == 1
        assert problems[0].startswith("scenarios/x.yaml:")
        assert ": yaml: " in problems[0]
    else:
        assert problems == (expected if isinstance(expected, list) else [expected])


def test_every_problem_of_a_file_is_reported_at_once_in_line_order() -> None:
    text = minimal_text()
    for old, new in [
        ("turn: 3\n", "turn: 12\n"),
        ("  - code: DOM\n", "  - code: XXX\n"),
        ("    severity: 4\n", "    severity: 0\n"),
        ("slug: minimal\n", "slug: 'no spaces allowed'\n"),
    ]:
        text = replace_once(text, old, new)
    problems = problems_of(text)
    lines = [int(problem.split(":")[1]) for problem in problems]
    assert lines == sorted(lines)
    assert [problem.split(": ")[1] for problem in problems] == [
        "slug",
        "nations[1].code",
        "trust[0][1]",
        "injects[0].severity",
        "injects[1].turn",
        "injects[1].to[0]",
    ]


def test_a_broken_entry_does_not_cause_false_reference_errors() -> None:
    # OBJ-1 is broken (no capability) but exists: references to it are not reported again.
    text = replace_once(minimal_text(), "    capability: Operational coordination\n", "")
    assert problems_of(text) == ["scenarios/x.yaml:10: objectives[0].capability: required"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "scenarios/x.yaml:1: yaml: the file is empty"),
        ("- a\n- b\n", "scenarios/x.yaml:1: document: must be a mapping of fields, not a list"),
        ("a: &x [*x]\n", "scenarios/x.yaml:1: yaml: an alias refers to itself"),
        ("a: 1\n---\nb: 2\n", None),
        ("a: !!python/object:os.system ls\n", None),
    ],
    ids=["empty", "list", "recursive-alias", "two-documents", "python-tag"],
)
def test_malformed_documents_are_refused_cleanly(text: str, expected: str | None) -> None:
    problems = problems_of(text)
    if expected is not None:
        assert problems == [expected]
    else:
        assert problems and all(problem.startswith("scenarios/x.yaml:") for problem in problems)


def test_file_that_is_not_utf8_is_refused(tmp_path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(minimal_text().encode("utf-8") + "notes: Perú\n".encode("latin-1"))
    with pytest.raises(ScenarioFileError) as caught:
        parse_scenario_file(path)
    assert [str(p) for p in caught.value.problems] == [f"{path}:51: file: is not UTF-8 text"]
