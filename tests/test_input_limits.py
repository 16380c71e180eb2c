"""Limits on every input: a scenario file, an MSEL spreadsheet and a form refuse the same
control characters with a message that says where, and what a scenario may hold has limits that
its file, its MSEL and the exercises made from it share."""

import importlib
import inspect
import re
from dataclasses import replace
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError

from tests.conftest import MINIMAL
from tests.factories.scenarios import synthetic_spec
from tests.scenarios.test_commands import run_command, table_counts
from tests.scenarios.test_msel import rows_of, write_rows
from wargame.exercises.errors import WrongState
from wargame.exercises.services.base import text_within
from wargame.lib.forms import TextField, refuse_control_characters
from wargame.reports.feedback import DEFAULT_QUESTIONS, FeedbackForm
from wargame.scenarios.fileformat import (
    MAX_FILE_BYTES,
    ScenarioFileError,
    parse_scenario_file,
    parse_scenario_text,
    spec_to_yaml,
)
from wargame.scenarios.models import (
    BRIEFING_MAX_LENGTH,
    INJECT_MESSAGE_MAX_LENGTH,
    MAX_INJECTS,
    MAX_NATIONS,
    MAX_TURNS,
)
from wargame.scenarios.msel import msel_apply_csv, msel_csv

FORM_MODULES = (
    "wargame.accounts.views",
    "wargame.exercises.forms",
    "wargame.negotiation.forms",
    "wargame.reports.feedback",
    "wargame.reports.forms",
)
# NUL, a bell, an escape, DEL and a C1 control (NEL): each refused, wherever it comes from.
CONTROLS = {"\x00": "U+0000", "\x07": "U+0007", "\x1b": "U+001B", "\x7f": "U+007F",
            "\x85": "U+0085"}  # fmt: skip


def problems(caught: pytest.ExceptionInfo[ScenarioFileError]) -> list[str]:
    return [str(problem) for problem in caught.value.problems]


def yaml_with_title(title: str) -> str:
    """The minimal scenario with its first inject's title in a double-quoted YAML string,
    where escapes such as \\x07 write characters the YAML reader would refuse as they are."""
    escaped = "".join(f"\\x{ord(c):02x}" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F else c
                      for c in title)  # fmt: skip
    text = MINIMAL.read_text(encoding="utf-8")
    return text.replace("title: Hurricane Elena makes landfall", f'title: "{escaped}"')


@pytest.mark.parametrize("control", CONTROLS, ids=CONTROLS.values())
def test_a_control_character_is_refused_alike_by_a_file_a_spreadsheet_and_a_form(
    control: str,
) -> None:
    code = CONTROLS[control]
    title = f"Hurricane{control} Elena"

    with pytest.raises(ScenarioFileError) as caught:
        parse_scenario_text(yaml_with_title(title), "storm.yaml")
    assert problems(caught) == [
        f"storm.yaml:34: injects[0].title: contains the control character {code}"
    ]

    spec = parse_scenario_file(MINIMAL)
    rows = rows_of(msel_csv(spec))
    rows[0]["title"] = title
    with pytest.raises(ScenarioFileError) as caught:
        msel_apply_csv(spec, write_rows(rows), "msel.csv")
    assert problems(caught) == [f"msel.csv:2: title: contains the control character {code}"]

    with pytest.raises(ValidationError) as refused:
        TextField(max_length=100).clean(title)
    # Django refuses NUL with its own message before ours is asked.
    assert code in str(refused.value) or control == "\x00"

    with pytest.raises(WrongState, match=re.escape(f"contains the control character {code}")):
        text_within(title, 100, "The note")


def test_tabs_and_line_breaks_are_text() -> None:
    text = "Radar tracks:\tthree\r\nboats"
    rows = rows_of(msel_csv(parse_scenario_file(MINIMAL)))
    rows[0]["message"] = text
    spec = msel_apply_csv(parse_scenario_file(MINIMAL), write_rows(rows), "msel.csv")
    assert spec.injects[0].message == text
    assert TextField(strip=False).clean(text) == text
    assert text_within(text, 100, "The note") == text


def form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        found += [
            value
            for value in vars(module).values()
            if inspect.isclass(value)
            and issubclass(value, forms.BaseForm)
            and value.__module__ == name
        ]
    return found


# Fields that drop control characters instead of refusing them, with the test that shows it.
CLEANED = {"NameForm.name": "tests/accounts/test_join.py::test_display_names_lose_invisible_"}


@pytest.mark.parametrize("form", form_classes(), ids=lambda form: form.__name__)
def test_every_text_field_of_every_form_refuses_control_characters(form) -> None:
    fields = dict(form.base_fields)
    if form is FeedbackForm:  # its questions' fields are made for each scenario
        fields |= FeedbackForm(list(DEFAULT_QUESTIONS)).fields
    texts = {name: field for name, field in fields.items() if isinstance(field, forms.CharField)}
    for name, field in texts.items():
        if f"{form.__name__}.{name}" in CLEANED:
            continue
        assert refuse_control_characters in field.validators, f"{form.__name__}.{name}"


def test_the_forms_are_all_found() -> None:
    names = {form.__name__ for form in form_classes()}
    assert {"MoveForm", "MessageForm", "FeedbackForm", "SummaryForm", "NameForm"} <= names


# --- What a scenario may hold ---------------------------------------------------------------


def test_the_largest_scenario_the_limits_admit_is_a_valid_file() -> None:
    spec = synthetic_spec(MAX_NATIONS, injects=MAX_INJECTS, turns=MAX_TURNS, slug="largest")
    assert parse_scenario_text(spec_to_yaml(spec), "largest.yaml") == spec


def test_one_more_nation_or_inject_than_a_scenario_may_hold_is_refused() -> None:
    spec = synthetic_spec(MAX_NATIONS, injects=MAX_INJECTS, turns=MAX_TURNS, slug="largest")
    extra = replace(spec.injects[0], id="EXTRA")
    text = spec_to_yaml(replace(spec, injects=(*spec.injects, extra)))
    with pytest.raises(ScenarioFileError) as caught:
        parse_scenario_text(text, "large.yaml")
    line = text.split("\n").index("injects:") + 1
    assert problems(caught) == [f"large.yaml:{line}: injects: has 501; at most 500"]


def test_an_inject_message_fits_the_exercise_it_is_copied_into() -> None:
    """A scenario's inject message has the limit of an exercise's inject: a scenario that loads
    always makes an exercise (the database would refuse a longer copy)."""
    spec = parse_scenario_file(MINIMAL)
    long = "x" * (INJECT_MESSAGE_MAX_LENGTH + 1)
    injects = (replace(spec.injects[0], message=long, private={"HTI": long}), *spec.injects[1:])
    nations = (spec.nations[0], replace(spec.nations[1], briefing="y" * (BRIEFING_MAX_LENGTH + 1)))
    text = spec_to_yaml(replace(spec, injects=injects, nations=nations))
    with pytest.raises(ScenarioFileError) as caught:
        parse_scenario_text(text, "long.yaml")
    found = [problem.split(": ", 1)[1] for problem in problems(caught)]
    assert found == [
        "nations[1].briefing: is 20001 characters long; at most 20000",
        "injects[0].message: is 4001 characters long; at most 4000",
        "injects[0].private.HTI: is 4001 characters long; at most 4000",
    ]


def test_an_msel_with_more_rows_than_a_scenario_may_hold_is_refused_as_it_is_read() -> None:
    spec = parse_scenario_file(MINIMAL)
    row = rows_of(msel_csv(spec))[1]
    rows = [row | {"number": f"M-{n:04}"} for n in range(MAX_INJECTS + 5)]
    with pytest.raises(ScenarioFileError) as caught:
        msel_apply_csv(spec, write_rows(rows), "msel.csv")
    assert problems(caught) == [f"msel.csv:{MAX_INJECTS + 2}: row: has 501+; at most 500"]


@pytest.mark.django_db
def test_import_msel_refuses_a_file_too_large_or_not_utf8_and_changes_nothing(
    tmp_path: Path,
) -> None:
    run_command("load_scenario", str(MINIMAL))
    before = table_counts()
    large = tmp_path / "large.csv"
    large.write_bytes(b"number," + b"x" * MAX_FILE_BYTES)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("number\nAcción\n".encode("latin-1"))
    nul = tmp_path / "nul.csv"
    rows = rows_of(run_command("export_msel", "minimal")[1])
    rows[1]["notes"] = "before\x00after"
    nul.write_text(write_rows(rows), encoding="utf-8")
    for path, expected in (
        (large, f"{large}:1: file: larger than 2 MB"),
        (latin, f"{latin}:2: file: is not UTF-8 text"),
        (nul, f"{nul}:4: notes: contains the control character U+0000"),
    ):
        status, _out, err = run_command("import_msel", "minimal", str(path))
        assert (status, err.splitlines()) == (1, [expected])
    assert table_counts() == before
