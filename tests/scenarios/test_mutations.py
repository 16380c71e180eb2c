"""Mutated scenario files never crash the loader and never leave a partial scenario behind."""

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL, SHIPPED_SCENARIOS, examples
from tests.scenarios.test_commands import run_command, table_counts
from wargame.scenarios.fileformat import ScenarioFileError, parse_scenario_text
from wargame.scenarios.models import Scenario
from wargame.scenarios.selectors import scenario_latest, scenario_spec

PROBLEM_LINE = re.compile(r"^\S+:\d+: \S.*?: .+$")
# What YAML (and an editor) counts as a line break: a lone carriage return is one too.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
NASTY_VALUES = [
    "", "-1", "0", "101", "9999999999", "1.5", "true", "no", "null", "~", "[]", "{}", "[1, 2]",
    "{a: 1}", "'x'", '"\\u0000"', "HTI", "XXX", "M-01", "OBJ-1", "all", "hadr", "&anchor 3",
    "*anchor", "!!python/object:os.system ls", "!!binary aGVsbG8=", "2026-01-01",
    "'" + "x" * 400 + "'",
    "|\n  text", ">-", "- a", "::", "@", "`", "%", "\t",
]  # fmt: skip


def _mutate(text: str, operations: list[tuple[str, int, int, str]]) -> str:
    lines = text.split("\n")
    for operation, i, j, value in operations:
        if not lines:
            break
        i %= len(lines)
        j %= len(lines)
        if operation == "delete":
            del lines[i]
        elif operation == "duplicate":
            lines.insert(j, lines[i])
        elif operation == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif operation == "value" and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {value}"
        elif operation == "insert":
            lines.insert(i, value)
        elif operation == "indent":
            lines[i] = "  " + lines[i]
        elif operation == "dedent":
            lines[i] = lines[i][2:]
        elif operation == "truncate":
            lines = lines[: max(i, 1)]
    return "\n".join(lines)


operations = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "delete",
                "duplicate",
                "swap",
                "value",
                "value",
                "value",
                "insert",
                "indent",
                "dedent",
                "truncate",
            ]
        ),
        st.integers(0, 10_000),
        st.integers(0, 10_000),
        st.one_of(st.sampled_from(NASTY_VALUES), st.text(max_size=20)),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=examples(100), deadline=None)
@given(operations=operations)
# Deleting a nation's `code:` line once made a message quote the whole briefing, line breaks
# and all.
@example(operations=[("delete", 124, 0, "")])
# A carriage return alone starts a line: a problem after it is on the line YAML counts.
@example(operations=[("truncate", 1, 0, ""), ("value", 0, 0, "\r0")])
def test_mutated_files_give_a_spec_or_problems_never_a_crash(operations) -> None:
    for path in (MINIMAL, SHIPPED_SCENARIOS[0]):
        text = _mutate(path.read_text(encoding="utf-8"), operations)
        try:
            parse_scenario_text(text, "x.yaml")
        except ScenarioFileError as exc:
            assert exc.problems
            for problem in exc.problems:
                assert PROBLEM_LINE.match(str(problem)), str(problem)
                assert 1 <= problem.line <= len(LINE_BREAK.split(text))


@pytest.mark.django_db
@settings(
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=operations)
def test_a_failed_load_writes_nothing_and_a_good_one_is_complete(
    tmp_path_factory, operations
) -> None:
    path = tmp_path_factory.mktemp("mutated") / "minimal.yaml"
    path.write_text(_mutate(MINIMAL.read_text(encoding="utf-8"), operations), encoding="utf-8")
    # An existing scenario of the same slug must survive a failed reload untouched.
    run_command("load_scenario", str(MINIMAL))
    before = table_counts()
    original = scenario_spec(scenario_latest("minimal"))

    status, _out, err = run_command("load_scenario", str(path))
    if status == 0:
        spec = parse_scenario_text(path.read_text(encoding="utf-8"), str(path))
        assert scenario_spec(scenario_latest(spec.slug)) == spec
    else:
        assert status == 1
        assert err and all(PROBLEM_LINE.match(line) for line in err.splitlines())
        assert table_counts() == before
        assert scenario_spec(scenario_latest("minimal")) == original
    Scenario.objects.all().delete()
