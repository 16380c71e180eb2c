"""No traceback for any input: every management command ends bad input with a message and exit
status 1, a mutated MSEL spreadsheet gives problems or a scenario and never half of one, and a
form posted with anything in it is answered with a 4xx and the reason, never a 500.

Mutated scenario files are fed to the loader by tests/scenarios/test_mutations.py."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL, examples
from tests.exercises.conftest import People
from tests.exercises.test_views import ACCESS, REQUESTS, USERS, build_scene
from tests.scenarios.test_commands import table_counts
from tests.scenarios.test_msel import rows_of, write_rows
from tests.scenarios.test_mutations import NASTY_VALUES, PROBLEM_LINE
from wargame.exercises.models import Exercise
from wargame.scenarios.msel import COLUMNS
from wargame.scenarios.selectors import scenario_latest, scenario_spec


def run(*args: str) -> tuple[int, str, str]:
    """A command as `manage.py` runs it: a CommandError is its message on stderr and exit
    status 1; anything else escaping is a traceback, and fails the test."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as error:
        return 1, out.getvalue(), f"{err.getvalue()}CommandError: {error}\n"
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


BAD_COMMANDS = [
    ("load_scenario", "/nowhere/storm.yaml"),
    ("load_scenario", "{empty}"),
    ("import_msel", "minimal", "/nowhere/msel.csv"),
    ("import_msel", "minimal", "{empty}"),
    ("import_msel", "no-such-scenario", "/nowhere/msel.csv"),
    ("export_msel", "no-such-scenario"),
    ("export_scenario", "minimal", "--scenario-version", "9"),
    ("export_report", "no-such-code"),
    ("export_report", "{code}", "--format", "pdf"),
    ("export_report", "{code}", "--format", "json", "-o", "/nowhere/report.json"),
    ("export_report", "{code}", "--format", "csv", "-o", "{empty}"),
    ("simulate", "no-such-scenario", "--seed", "1"),
    ("simulate", "minimal", "--seed", "1", "--turns", "0"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("args", BAD_COMMANDS, ids=" ".join)
def test_every_command_ends_bad_input_with_a_message_and_status_1(
    args: tuple[str, ...], tmp_path, exercise: Exercise
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    names = {"{empty}": str(empty), "{code}": exercise.code}
    argv = [names.get(arg, arg) for arg in args]
    before = table_counts()
    status, _out, err = run(*argv)
    assert status == 1, err
    assert err.strip() and "Traceback" not in err
    assert table_counts() == before


def _mutated_rows(rows: list[dict[str, str]], edits: list[tuple[int, str, str | None]]) -> str:
    for index, column, value in edits:
        if not rows:
            break
        row = rows[index % len(rows)]
        if value is None:
            rows.remove(row)
        else:
            row[column] = value
    return write_rows(rows)


cell_values = st.one_of(
    st.none(),  # the row goes
    st.sampled_from(NASTY_VALUES),
    st.text(max_size=30),
    st.text(alphabet=st.characters(max_codepoint=0x9F), max_size=10),
)
edits = st.lists(
    st.tuples(st.integers(0, 10), st.sampled_from(COLUMNS), cell_values), min_size=1, max_size=5
)


@pytest.mark.django_db
@settings(
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=edits)
def test_a_mutated_msel_gives_problems_or_injects_never_a_crash_or_half(
    tmp_path_factory, edits
) -> None:
    with transaction.atomic():
        run("load_scenario", str(MINIMAL))
        before, original = table_counts(), scenario_spec(scenario_latest("minimal"))
        rows = rows_of(run("export_msel", "minimal")[1])
        path = tmp_path_factory.mktemp("msel") / "msel.csv"
        path.write_text(_mutated_rows(rows, edits), encoding="utf-8")

        status, _out, err = run("import_msel", "minimal", str(path))
        if status == 0:
            assert len(scenario_spec(scenario_latest("minimal")).injects) >= 1
        else:
            assert status == 1
            assert err and all(PROBLEM_LINE.match(line) for line in err.splitlines()), err
            assert table_counts() == before
            assert scenario_spec(scenario_latest("minimal")) == original
        transaction.set_rollback(True)


# Every form of the exercise's pages, posted by someone allowed to post it.
def _post_names() -> list[tuple[str, str, str]]:
    """(request, state, who): each request that posts a form, with a user allowed to post it."""
    found = []
    for what, state, *codes in ACCESS:
        allowed = [who for who, code in zip(USERS, codes, strict=True) if code in (204, 302)]
        if allowed and what not in ("sign out",):
            found.append((what, state, allowed[-1]))
    return found


values = st.one_of(
    st.sampled_from(NASTY_VALUES),
    st.text(max_size=40),
    st.sampled_from(["x" * 5000, "-99999999999999999999", "1e400", "NaN", "\x00", "0" * 30]),
    st.lists(st.text(max_size=8), max_size=3),
)


@pytest.mark.django_db
@settings(
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    post=st.sampled_from(_post_names()),
    changes=st.dictionaries(st.text(min_size=1, max_size=24), values, max_size=3),
    replaced=st.dictionaries(st.integers(0, 20), st.one_of(st.none(), values), max_size=4),
    htmx=st.booleans(),
)
def test_a_form_posted_with_anything_in_it_is_answered_never_with_a_500(
    post, changes, replaced, htmx, exercise: Exercise, people: People, client_for
) -> None:
    what, state, who = post
    with transaction.atomic():
        exercise.refresh_from_db()
        scene = build_scene(state, exercise, people)
        url, data = REQUESTS[what](scene, exercise.code)
        assume(data is not None)  # a page that answers its GET with 204, such as the pulse
        data = dict(data)
        keys = sorted(data)
        for index, value in replaced.items():
            if keys:
                key = keys[index % len(keys)]
                if value is None:
                    data.pop(key, None)
                else:
                    data[key] = value
        data |= changes
        headers = {"HX-Request": "true"} if htmx else {}
        response = client_for(people.by_key(who)).post(url, data, headers=headers)
        assert response.status_code < 500, (what, data)
        if response.status_code >= 400:
            assert response.content.strip(), (what, data)  # the reason, not an empty page
        transaction.set_rollback(True)


def test_a_control_character_in_any_part_of_an_address_is_answered_never_with_a_500(
    exercise: Exercise, people: People, client_for
) -> None:
    """Each part of every address of the access matrix, with a NUL in it (PostgreSQL refuses
    such text), asked for by the facilitator and by a player: no page, never a 500."""
    clients = [client_for(people.facilitator), client_for(people.player_a)]
    asked = set()
    for state in sorted({state for _what, state, *_expected in ACCESS}):
        with transaction.atomic():
            exercise.refresh_from_db()
            scene = build_scene(state, exercise, people)
            for what, _state, *_expected in (row for row in ACCESS if row[1] == state):
                url, data = REQUESTS[what](scene, exercise.code)
                path, _, query = url.partition("?")
                parts = path.strip("/").split("/")
                for at, part in enumerate(parts):
                    broken = [*parts[:at], part[:1] + "%00" + part[1:], *parts[at + 1 :]]
                    address = "/" + "/".join(broken) + "/" + (f"?{query}" if query else "")
                    if (address, data is None) in asked:
                        continue
                    asked.add((address, data is None))
                    for client in clients:
                        response = (
                            client.get(address) if data is None else client.post(address, data)
                        )
                        assert response.status_code < 500, (what, address)
            transaction.set_rollback(True)
    assert len(asked) > 100
