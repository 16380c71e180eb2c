"""Every message of the scenario file format, each proven for its mistake.

test_fileformat.py, test_feedback_format.py and test_msel.py prove most messages; these are
the ones they leave out, and the rules for what a message may say.
"""

import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL, examples
from tests.factories.scenarios import synthetic_spec
from tests.scenarios.test_mutations import _mutate, operations
from wargame.scenarios import fileformat
from wargame.scenarios.fileformat import (
    MAX_FILE_BYTES,
    ScenarioFileError,
    parse_scenario_file,
    parse_scenario_text,
    spec_to_yaml,
)

SOURCE = "scenarios/x.yaml"
KINDS = (
    "hurricane, earthquake, flood, trafficking_surge, migration_wave, cyberattack, "
    "political_crisis, border_incident, disease_outbreak, terrorist_threat, other"
)


def problems_of(text: str) -> list[str]:
    with pytest.raises(ScenarioFileError) as caught:
        parse_scenario_text(text, SOURCE)
    return [str(problem) for problem in caught.value.problems]


def edited(old: str, new: str) -> str:
    text = MINIMAL.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must appear once in the fixture"
    return text.replace(old, new)


PRIVATE = '    private: {HTI: "Your southern ports are closed."}\n'
DOM = "  - code: DOM\n    briefing: Dominican Republic's private briefing.\n"

# (replace this, with this) in the minimal file -> every problem expected.
MISTAKES = [
    pytest.param(
        ("format: 1\n", ""),
        ["scenarios/x.yaml:1: format: required; this is format 1"],
        id="format-missing",
    ),
    pytest.param(
        ("format: 1\n", "format: '1'\n"),
        ["scenarios/x.yaml:1: format: '1' is not a known format; expected 1"],
        id="format-as-text",
    ),
    pytest.param(
        ("title: Minimal scenario", "title: 5"),
        ["scenarios/x.yaml:3: title: must be text, not a number"],
        id="title-not-text",
    ),
    pytest.param(
        ("title: Minimal scenario", "title: " + "x" * 201),
        ["scenarios/x.yaml:3: title: is 201 characters long; at most 200"],
        id="title-too-long",
    ),
    pytest.param(
        ("turns: 4\n", "turns: four\n"),
        ["scenarios/x.yaml:7: turns: must be a whole number, not text"],
        id="turns-not-a-number",
    ),
    pytest.param(
        ("    severity: 4\n", "    severity: true\n"),
        ["scenarios/x.yaml:38: injects[0].severity: must be a whole number, not true/false"],
        id="severity-true",
    ),
    pytest.param(
        ("    severity: 4\n", "    severity: 1.5\n"),
        ["scenarios/x.yaml:38: injects[0].severity: must be a whole number, not a number"],
        id="severity-fraction",
    ),
    pytest.param(
        ("    severity: 4\n", "    severity:\n"),
        ["scenarios/x.yaml:38: injects[0].severity: must be a whole number, not nothing"],
        id="severity-empty",
    ),
    pytest.param(
        ("    severity: 4\n", "    severity: 2026-01-01\n"),
        ["scenarios/x.yaml:38: injects[0].severity: must be a whole number, not date"],
        id="severity-date",
    ),
    pytest.param(
        ("  - id: M-02\n", "  - M-02\n  - id: M-03\n"),
        ["scenarios/x.yaml:41: injects[1]: must be a mapping of fields, not text"],
        id="entry-not-a-mapping",
    ),
    pytest.param(
        ("injects:\n", "injects:\n  -\n"),
        ["scenarios/x.yaml:30: injects[0]: must be a mapping of fields, not nothing"],
        id="entry-empty",
    ),
    pytest.param(
        ("  - id: M-02\n", "  - id: M 02\n"),
        ["scenarios/x.yaml:41: injects[1].id: 'M 02' must be letters, digits, '-', '_' or '.'"],
        id="inject-id-pattern",
    ),
    pytest.param(
        ("actions: [intel_sharing, hadr, public_statement]", "actions: []"),
        [
            "scenarios/x.yaml:28: actions: needs at least 1, has 0",
            "scenarios/x.yaml:39: injects[0].expected_actions[0]: hadr is not an action of "
            "this scenario",
            "scenarios/x.yaml:48: injects[1].expected_actions[0]: intel_sharing is not an "
            "action of this scenario",
        ],
        id="actions-empty",
    ),
    pytest.param(
        (DOM, ""),
        [
            "scenarios/x.yaml:16: nations: needs at least 2, has 1",
            "scenarios/x.yaml:25: trust[0][1]: DOM is not a nation of this scenario",
            "scenarios/x.yaml:42: injects[1].to[0]: DOM is not a nation of this scenario",
        ],
        id="one-nation",
    ),
    pytest.param(
        ("  - code: DOM\n", "  - code: HTI\n"),
        [
            "scenarios/x.yaml:24: nations[1].code: nation HTI appears more than once",
            "scenarios/x.yaml:27: trust[0][1]: DOM is not a nation of this scenario",
            "scenarios/x.yaml:44: injects[1].to[0]: DOM is not a nation of this scenario",
        ],
        id="duplicate-nation",
    ),
    pytest.param(
        ("    to: [DOM]\n", "    to: [DOM, DOM]\n"),
        ["scenarios/x.yaml:44: injects[1].to[1]: DOM is listed twice"],
        id="listed-twice",
    ),
    pytest.param(
        ("    to: [DOM]\n", "    to: [DOM, DOM, JAM]\n"),
        [
            "scenarios/x.yaml:44: injects[1].to[1]: DOM is listed twice",
            "scenarios/x.yaml:44: injects[1].to[2]: JAM is not a nation of this scenario",
        ],
        id="listed-twice-and-unknown",
    ),
    pytest.param(
        ("    to: [DOM]\n", "    to: [DOX]\n"),
        [
            "scenarios/x.yaml:44: injects[1].to[0]: DOX is not a nation of this scenario; "
            "did you mean DOM?"
        ],
        id="nation-suggested",
    ),
    pytest.param(
        ("    to: [DOM]\n", "    to: []\n"),
        ['scenarios/x.yaml:44: injects[1].to: must be "all" or a list of nation codes'],
        id="recipients-empty",
    ),
    pytest.param(
        ("actions: [intel_sharing, hadr, public_statement]", "actions: [intel_sharing, hadrr]"),
        [
            "scenarios/x.yaml:28: actions[1]: hadrr is not an action in the catalogue; did you "
            "mean hadr?",
            "scenarios/x.yaml:39: injects[0].expected_actions[0]: hadr is not an action of "
            "this scenario",
        ],
        id="catalogue-suggested",
    ),
    pytest.param(
        ("[HTI, DOM, 45]", "[HTI, DOM, high]"),
        ["scenarios/x.yaml:27: trust[0][2]: trust must be a whole number, not text"],
        id="trust-not-a-number",
    ),
    pytest.param(
        ("[HTI, DOM, 45]", "[1, 1, 45]"),
        [
            "scenarios/x.yaml:27: trust[0][0]: must be text, not a number",
            "scenarios/x.yaml:27: trust[0][1]: must be text, not a number",
        ],
        id="trust-numbers-for-nations",
    ),
    pytest.param(
        (
            "    objective: OBJ-1\n",
            "    objective: OBJ-1\n    trust: [[HTI, HTI, -6], [HTI, DOM, -60]]\n",
        ),
        [
            "scenarios/x.yaml:41: injects[0].trust[0]: trust is between two different nations, "
            "not HTI and itself",
            "scenarios/x.yaml:41: injects[0].trust[1][2]: -60 is outside -20..20",
        ],
        id="inject-trust-shocks",
    ),
    pytest.param(
        (
            "    objective: OBJ-1\n",
            "    objective: OBJ-1\n    trust: [[HTI, DOM, -2], [DOM, HTI, 3]]\n",
        ),
        [
            "scenarios/x.yaml:41: injects[0].trust[1]: this inject changes trust between DOM and "
            "HTI twice"
        ],
        id="inject-trust-twice",
    ),
    pytest.param(
        ("    objective: OBJ-1\n", "    objective: OBJ-1\n    trust: [[HTI, DOM]]\n"),
        [
            "scenarios/x.yaml:41: injects[0].trust[0]: must be [NATION, NATION, CHANGE], for "
            "example [DOM, HTI, -5] for trust that falls by 5"
        ],
        id="inject-trust-shape",
    ),
    pytest.param(
        (
            "    objective: OBJ-1\n",
            "    objective: OBJ-1\n    support: [[XXX, 1], [DOM, 40], [DOM]]\n",
        ),
        [
            "scenarios/x.yaml:41: injects[0].support[0][0]: XXX is not a nation of this scenario",
            "scenarios/x.yaml:41: injects[0].support[1][1]: 40 is outside -20..20",
            "scenarios/x.yaml:41: injects[0].support[2]: must be [NATION, CHANGE], for example "
            "[PER, -5] for support at home that falls by 5",
        ],
        id="inject-support-shocks",
    ),
    pytest.param(
        ("    objective: OBJ-1\n", "    objective: OBJ-1\n    support: [[HTI, -5], [HTI, 2]]\n"),
        [
            "scenarios/x.yaml:41: injects[0].support[1]: this inject changes the support of HTI "
            "twice"
        ],
        id="inject-support-twice",
    ),
    pytest.param(
        ("\nactions:", "\nno_relations: [[HTI, HTI], [HTI], [XXX, DOM]]\nactions:"),
        [
            "scenarios/x.yaml:28: no_relations[0]: a nation cannot be without relations "
            "with itself (HTI)",
            "scenarios/x.yaml:28: no_relations[1]: must be [NATION, NATION], for example "
            "[ECU, MEX]",
            "scenarios/x.yaml:28: no_relations[2][0]: XXX is not a nation of this scenario",
        ],
        id="no-relations",
    ),
    pytest.param(
        ("\nactions:", "\nno_relations: [[HTI, DOM], [DOM, HTI]]\nactions:"),
        ["scenarios/x.yaml:28: no_relations[1]: DOM and HTI are listed twice"],
        id="no-relations-twice",
    ),
    pytest.param(
        ("\ninjects:", "\nmandates: [[HTI, un_peacekeeping], [XXX, hadr], [HTI]]\ninjects:"),
        [
            "scenarios/x.yaml:29: mandates[0][1]: un_peacekeeping is not an action of this "
            "scenario",
            "scenarios/x.yaml:29: mandates[1][0]: XXX is not a nation of this scenario",
            "scenarios/x.yaml:29: mandates[2]: must be [NATION, ACTION], for example [HTI, "
            "un_peacekeeping]: the host and the action the mandate covers",
        ],
        id="mandates",
    ),
    pytest.param(
        ("\ninjects:", "\nmandates: [[HTI, hadr], [HTI, hadr]]\ninjects:"),
        ["scenarios/x.yaml:29: mandates[1]: the mandate for hadr in HTI is listed twice"],
        id="mandates-twice",
    ),
    pytest.param(
        (PRIVATE, "    private: closed\n"),
        ["scenarios/x.yaml:37: injects[0].private: must map nation codes to text, like {HTI: ...}"],
        id="private-not-a-mapping",
    ),
    pytest.param(
        (PRIVATE, "    private: {JAM: Hello}\n"),
        ["scenarios/x.yaml:37: injects[0].private.JAM: JAM is not a nation of this scenario"],
        id="private-unknown-nation",
    ),
    pytest.param(
        (PRIVATE, "    private: {HTI: ''}\n"),
        ["scenarios/x.yaml:37: injects[0].private.HTI: must be text"],
        id="private-empty",
    ),
    pytest.param(
        (PRIVATE, "    private: {HTI: 5}\n"),
        ["scenarios/x.yaml:37: injects[0].private.HTI: must be text"],
        id="private-number",
    ),
    pytest.param(
        ("    severity: 4\n", "    severity: 4\n    affects:\n"),
        ["scenarios/x.yaml:39: injects[0].affects: must be a list, not nothing"],
        id="affects-empty",
    ),
    pytest.param(
        ("    objective: OBJ-1\n", "    objective: 1\n"),
        ["scenarios/x.yaml:40: injects[0].objective: must be text, not a number"],
        id="objective-not-text",
    ),
    pytest.param(
        ("contingency_for: M-01", "contingency_for: 5"),
        [
            "scenarios/x.yaml:49: injects[1].contingency_for: must be the id of an inject, "
            "not a number"
        ],
        id="contingency-not-text",
    ),
    pytest.param(
        ("notes: Look for intelligence sharing with Haiti.", "notes: [a]"),
        ["scenarios/x.yaml:50: injects[1].notes: must be text, not a list"],
        id="notes-not-text",
    ),
    pytest.param(
        ("    severity: 4\n", "    severity: 4\n    colour: red\n"),
        ["scenarios/x.yaml:39: injects[0].colour: unknown field"],
        id="unknown-field-without-suggestion",
    ),
    pytest.param(
        ("    kind: hurricane\n", "    kind: '  '\n"),
        ["scenarios/x.yaml:32: injects[0].kind: must not be empty"],
        id="kind-blank",
    ),
    pytest.param(
        (
            "    kind: hurricane\n",
            "    kind: a storm that nobody has seen the like of in a century\n",
        ),
        [
            "scenarios/x.yaml:32: injects[0].kind: 'a storm that nobody has seen the like o…' "
            f"is not one of: {KINDS}"
        ],
        id="long-value-shortened",
    ),
    pytest.param(
        ("    turn: 3\n    kind: trafficking_surge\n", "    turn: 1\n"),
        [
            "scenarios/x.yaml:41: injects[1].kind: required",
            "scenarios/x.yaml:48: injects[1].contingency_for: M-01 is in turn 1; a contingency "
            "must follow an inject of an earlier turn than its own (1)",
        ],
        id="contingency-checked-beside-other-mistakes",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), MISTAKES)
def test_mistake_gets_its_message(edit: tuple[str, str], expected: list[str]) -> None:
    assert problems_of(edited(*edit)) == expected


def test_every_mistake_of_one_entry_is_reported_at_once() -> None:
    text = edited(
        "    turn: 3\n    kind: trafficking_surge\n    to: [DOM]\n    method: email\n"
        "    title: Go-fast boats in the Mona Passage\n",
        "    turn: 0\n    kind: smuggling\n    to: DOM\n    method: email\n",
    )
    assert problems_of(text) == [
        "scenarios/x.yaml:41: injects[1].title: required",
        "scenarios/x.yaml:42: injects[1].turn: 0 is below 1",
        f"scenarios/x.yaml:43: injects[1].kind: 'smuggling' is not one of: {KINDS}",
        'scenarios/x.yaml:44: injects[1].to: must be "all" or a list of nation codes',
    ]


def test_without_a_valid_number_of_turns_only_turn_0_is_refused() -> None:
    text = edited("turns: 4\n", "turns: four\n").replace("turn: 3\n", "turn: 0\n")
    assert problems_of(text) == [
        "scenarios/x.yaml:7: turns: must be a whole number, not text",
        "scenarios/x.yaml:42: injects[1].turn: 0 is below 1",
    ]


def test_a_nation_short_of_the_minimum_is_reported_with_its_own_mistakes() -> None:
    text = edited(DOM, "").replace("    briefing: |\n      Haiti's private briefing.\n", "")
    assert problems_of(text) == [
        "scenarios/x.yaml:16: nations: needs at least 2, has 1",
        "scenarios/x.yaml:17: nations[0].briefing: required",
        "scenarios/x.yaml:23: trust[0][1]: DOM is not a nation of this scenario",
        "scenarios/x.yaml:40: injects[1].to[0]: DOM is not a nation of this scenario",
    ]


def test_an_empty_objective_is_no_objective() -> None:
    spec = parse_scenario_text(edited("    objective: OBJ-1\n", "    objective:\n"), SOURCE)
    assert spec.injects[0].objective is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "title: Minimal\x07scenario\n",
            "scenarios/x.yaml:1: yaml: the control character U+0007 is not allowed in YAML",
        ),
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{name}: &{name} [{', '.join(['*' + alias] * 10)}]\n"
                for alias, name in zip("abcdef", "bcdefg", strict=True)
            ),
            "scenarios/x.yaml:1: yaml: the document is too large",
        ),
        ("? [a, b]\n: x\n", "scenarios/x.yaml:1: yaml: a key must be a name"),
        ("a: " + "[" * 3000 + "]" * 3000 + "\n", "scenarios/x.yaml:1: yaml: nested too deeply"),
    ],
    ids=["control-character", "alias-bomb", "key-not-a-name", "nested-too-deeply"],
)
def test_a_document_yaml_cannot_read_safely_is_refused(text: str, expected: str) -> None:
    assert problems_of(text) == [expected]


def test_a_file_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "missing.yaml"
    with pytest.raises(ScenarioFileError) as caught:
        parse_scenario_file(path)
    assert [str(p) for p in caught.value.problems] == [f"{path}:1: file: No such file or directory"]


def test_a_file_too_large_is_refused_before_it_is_read_as_yaml(tmp_path: Path) -> None:
    path = tmp_path / "large.yaml"
    path.write_text("a: " + "x" * MAX_FILE_BYTES, encoding="utf-8")
    with pytest.raises(ScenarioFileError) as caught:
        parse_scenario_file(path)
    assert [str(p) for p in caught.value.problems] == [f"{path}:1: file: larger than 2 MB"]


# Wording of the validation library, which a user must never see: our own is shorter and says
# what to write instead.
FOREIGN_WORDING = re.compile(
    r"Input should|Field required|Extra inputs|validation error|Value error|Assertion failed"
    r"|pydantic|errors\.pydantic\.dev|_type\b|\bis not valid\b",
    re.IGNORECASE,
)


@settings(max_examples=examples(100), deadline=None)
@given(operations=operations)
def test_problems_are_in_our_words_and_in_line_order(operations) -> None:
    text = _mutate(MINIMAL.read_text(encoding="utf-8"), operations)
    try:
        parse_scenario_text(text, "x.yaml")
    except ScenarioFileError as exc:
        lines = [problem.line for problem in exc.problems]
        assert lines == sorted(lines)
        for problem in exc.problems:
            assert not FOREIGN_WORDING.search(problem.message), str(problem)


def _lines_of(text: str, key: str) -> list[int]:
    """The line of each `key:` in a written file, in order."""
    return [number for number, line in enumerate(text.split("\n"), 1) if line.startswith(key)]


@settings(max_examples=examples(60), deadline=None)
@given(
    mistakes=st.dictionaries(
        st.integers(0, 29),
        st.one_of(st.integers(max_value=0), st.integers(min_value=6)),
        min_size=1,
        max_size=5,
    ),
    stability=st.one_of(st.none(), st.integers(max_value=-1), st.integers(min_value=101)),
)
def test_each_mistake_is_reported_at_its_field_and_line(
    mistakes: dict[int, int], stability: int | None
) -> None:
    """However many entries are wrong, each is reported, at the line of its own field."""
    spec = synthetic_spec(5)
    injects = list(spec.injects)
    for index, severity in mistakes.items():
        injects[index] = replace(injects[index], severity=severity)
    nations = list(spec.nations)
    if stability is not None:
        nations[3] = replace(nations[3], stability=stability)
    text = spec_to_yaml(replace(spec, injects=tuple(injects), nations=tuple(nations)))

    severity_lines = _lines_of(text, "    severity:")
    expected = [
        f"x.yaml:{severity_lines[index]}: injects[{index}].severity: {severity} is outside 1..5"
        for index, severity in sorted(mistakes.items())
    ]
    if stability is not None:
        line = _lines_of(text, "    stability:")[3]
        expected.insert(0, f"x.yaml:{line}: nations[3].stability: {stability} is outside 0..100")
    with pytest.raises(ScenarioFileError) as caught:
        parse_scenario_text(text, "x.yaml")
    assert [str(problem) for problem in caught.value.problems] == expected


def test_messages_are_given_in_the_language_of_the_translation_catalogue(monkeypatch) -> None:
    spanish = {
        "required": "obligatorio",
        "{value} is outside {low}..{high}": "{value} no está en {low}..{high}",
    }
    monkeypatch.setattr(fileformat, "gettext", lambda message: spanish.get(message, message))
    text = edited("title: Minimal scenario\n", "").replace("    severity: 4\n", "    severity: 9\n")
    assert problems_of(text) == [
        "scenarios/x.yaml:1: title: obligatorio",
        "scenarios/x.yaml:37: injects[0].severity: 9 no está en 1..5",
    ]


def test_a_nation_with_a_wrong_objective_or_an_unknown_field_is_still_a_nation() -> None:
    text = edited(
        "    objectives: [OBJ-2, OBJ-1]\n", "    objectives: [OBJ-2, OBJ-9]\n    flag: blue\n"
    )
    text = text.replace("    notes: Look", "    private: {HTI: Hello}\n    notes: Look")
    assert problems_of(text) == [
        "scenarios/x.yaml:20: nations[0].objectives[1]: OBJ-9 is not an objective of this "
        "scenario; did you mean OBJ-2?",
        "scenarios/x.yaml:21: nations[0].flag: unknown field",
        "scenarios/x.yaml:51: injects[1].private.HTI: HTI does not receive this inject (see 'to')",
    ]


def test_an_objective_with_an_unknown_field_is_still_an_objective() -> None:
    text = edited(
        "    capability: Operational coordination\n",
        "    capability: Operational coordination\n    owner: J5\n",
    )
    text = text.replace("    objective: OBJ-1\n", "    objective: OBJ_1\n")
    assert problems_of(text) == [
        "scenarios/x.yaml:13: objectives[0].owner: unknown field",
        "scenarios/x.yaml:41: injects[0].objective: OBJ_1 is not an objective of this "
        "scenario; did you mean OBJ-1?",
    ]
