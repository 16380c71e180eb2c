"""The MSEL as CSV: export, edit in a spreadsheet, import; errors name the row and column."""

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, SHIPPED_SCENARIOS
from tests.scenarios.test_commands import run_command, table_counts
from wargame.lib.spreadsheet import BOM
from wargame.scenarios.fileformat import ScenarioFileError, parse_scenario_file
from wargame.scenarios.models import InjectTemplate, Scenario
from wargame.scenarios.msel import COLUMNS, msel_apply_csv, msel_csv
from wargame.scenarios.selectors import scenario_latest, scenario_spec


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))


def write_rows(rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_columns_are_the_planners_columns() -> None:
    header = msel_csv(parse_scenario_file(MINIMAL)).removeprefix(BOM).splitlines()[0]
    assert (
        header == "number,turn,kind,from,to,method,title,message,expected_actions,objective,notes"
    )


def test_rows_spell_out_the_msel() -> None:
    rows = rows_of(msel_csv(parse_scenario_file(MINIMAL)))
    assert rows[0]["number"] == "M-01"
    assert rows[0]["to"] == "all"
    assert rows[0]["message"] == "Category 4 landfall near Jacmel.\n"
    assert rows[1] | {"message": ""} == {
        "number": "M-02",
        "turn": "3",
        "kind": "trafficking_surge",
        "from": "Control",
        "to": "DOM",
        "method": "email",
        "title": "Go-fast boats in the Mona Passage",
        "message": "",
        "expected_actions": "intel_sharing",
        "objective": "",
        "notes": "Look for intelligence sharing with Haiti.",
    }


@pytest.mark.parametrize("path", [MINIMAL, *SHIPPED_SCENARIOS], ids=lambda path: path.name)
def test_csv_round_trip_loses_nothing(path: Path) -> None:
    spec = parse_scenario_file(path)
    assert msel_apply_csv(spec, msel_csv(spec), "msel.csv") == spec


@pytest.mark.parametrize("text", ['=HYPERLINK("http://example.org","x")', "+1", "-2", "@A1", "'=x"])
def test_formulas_are_text_in_the_spreadsheet_and_come_back_exactly(text: str) -> None:
    spec = parse_scenario_file(MINIMAL)
    first = replace(spec.injects[0], title=text, message=text, originator=text)
    spec = replace(spec, injects=(first, *spec.injects[1:]))
    exported = msel_csv(spec)
    assert exported.startswith(BOM)
    row = rows_of(exported)[0]
    assert not any(row[column].startswith(("=", "+", "-", "@")) for column in row)
    assert msel_apply_csv(spec, exported, "msel.csv") == spec


def test_edited_rows_replace_the_injects_and_keep_what_the_csv_cannot_hold() -> None:
    spec = parse_scenario_file(MINIMAL)
    rows = rows_of(msel_csv(spec))
    rows[0]["title"] = "Elena strengthens to category 5"
    rows[0]["to"] = "HTI"
    rows.append(
        {
            "number": "M-03",
            "turn": "4",
            "kind": "cyberattack",
            "from": "CSIRT-DO",
            "to": "DOM;HTI",
            "method": "phone",
            "title": "Port systems encrypted",
            "message": "Ransomware at Caucedo.",
            "expected_actions": "intel_sharing;public_statement",
            "objective": "OBJ-2",
            "notes": "",
        }
    )
    updated = msel_apply_csv(spec, write_rows(rows), "msel.csv")
    first, second, third = updated.injects
    assert first.title == "Elena strengthens to category 5"
    assert first.to == ("HTI",)
    assert first.affects == ("HTI",)  # followed the recipients before, so follows them now
    assert first.private == spec.injects[0].private
    assert first.severity == 4
    assert second.contingency_for == "M-01"
    assert (third.id, third.to, third.severity, third.expected_actions) == (
        "M-03",
        ("DOM", "HTI"),
        3,
        ("intel_sharing", "public_statement"),
    )
    assert updated.nations == spec.nations and updated.objectives == spec.objectives


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda rows: rows[1].update(turn="9"), ["msel.csv:4: turn: 9 is after the last turn (4)"]),
        (
            lambda rows: rows[1].update(turn="three"),
            ["msel.csv:4: turn: must be a whole number, not text"],
        ),
        (
            lambda rows: rows[0].update(to="HTI;BRA"),
            ["msel.csv:2: to: BRA is not a nation of this scenario"],
        ),
        (
            lambda rows: rows[0].update(kind="volcano"),
            [
                "msel.csv:2: kind: 'volcano' is not one of: hurricane, earthquake, flood, "
                "trafficking_surge, migration_wave, cyberattack, political_crisis, "
                "border_incident, disease_outbreak, terrorist_threat, other"
            ],
        ),
        (
            lambda rows: rows[1].update(number="M-01"),
            [
                "msel.csv:4: number: inject M-01 appears more than once",
            ],
        ),
        (
            lambda rows: rows[0].update(expected_actions="hadr;nukes"),
            ["msel.csv:2: expected_actions: nukes is not an action of this scenario"],
        ),
        (lambda rows: rows[0].update(title=""), ["msel.csv:2: title: must not be empty"]),
        (
            lambda rows: rows.pop(0),
            ["msel.csv:2: contingency_for: M-01 is not an inject of this scenario"],
        ),
    ],
    ids=[
        "turn-range",
        "turn-text",
        "unknown-nation",
        "unknown-kind",
        "duplicate-number",
        "unknown-action",
        "empty-title",
        "contingency-target-removed",
    ],
)
def test_row_errors_name_the_row_and_column(edit, expected: list[str]) -> None:
    spec = parse_scenario_file(MINIMAL)
    rows = rows_of(msel_csv(spec))
    edit(rows)
    with pytest.raises(ScenarioFileError) as caught:
        msel_apply_csv(spec, write_rows(rows), "msel.csv")
    assert [str(problem) for problem in caught.value.problems] == expected


def test_header_problems_are_reported_on_row_1() -> None:
    spec = parse_scenario_file(MINIMAL)
    columns = (*(c for c in COLUMNS if c != "kind"), "priority")
    rows = [{c: "" for c in columns}]
    with pytest.raises(ScenarioFileError) as caught:
        msel_apply_csv(spec, write_rows(rows, columns), "msel.csv")
    assert [str(problem) for problem in caught.value.problems] == [
        "msel.csv:1: priority: unknown column",
        "msel.csv:1: kind: missing column",
    ]


def test_a_row_with_the_wrong_number_of_cells_is_reported() -> None:
    spec = parse_scenario_file(MINIMAL)
    text = msel_csv(spec) + "M-09,2,flood\n"
    with pytest.raises(ScenarioFileError) as caught:
        msel_apply_csv(spec, text, "msel.csv")
    # The message of M-01 spans two lines, so M-09 starts on line 5.
    assert [str(p) for p in caught.value.problems] == ["msel.csv:5: row: has 3 cells; expected 11"]


@pytest.mark.django_db
def test_commands_round_trip_through_a_file(tmp_path: Path) -> None:
    run_command("load_scenario", str(MINIMAL))
    before = scenario_spec(Scenario.objects.get())
    status, exported, _err = run_command("export_msel", "minimal")
    assert status == 0
    path = tmp_path / "msel.csv"
    # Spreadsheets save UTF-8 with a byte order mark; that must not matter.
    path.write_bytes(b"\xef\xbb\xbf" + exported.encode("utf-8"))
    status, out, err = run_command("import_msel", "minimal", str(path))
    assert (status, err) == (0, "")
    assert "imported 2 injects into minimal" in out
    assert scenario_spec(Scenario.objects.get()) == before


@pytest.mark.django_db
def test_import_with_an_error_changes_nothing(tmp_path: Path) -> None:
    run_command("load_scenario", str(MINIMAL))
    rows = rows_of(run_command("export_msel", "minimal")[1])
    rows[0]["title"] = "Changed"
    rows[1]["turn"] = "0"
    path = tmp_path / "msel.csv"
    path.write_text(write_rows(rows), encoding="utf-8")
    before = table_counts()
    status, _out, err = run_command("import_msel", "minimal", str(path))
    assert status == 1
    assert err.splitlines() == [f"{path}:4: turn: 0 is below 1"]
    assert table_counts() == before
    assert InjectTemplate.objects.get(code="M-01").title == "Hurricane Elena makes landfall"


@pytest.mark.django_db
def test_an_expected_action_that_does_not_fit_is_warned_at_its_row(tmp_path: Path) -> None:
    run_command("load_scenario", str(MINIMAL))
    rows = rows_of(run_command("export_msel", "minimal")[1])
    rows[0]["kind"] = "disease_outbreak"
    rows[0]["expected_actions"] = "hadr;intel_sharing"
    path = tmp_path / "msel.csv"
    path.write_text(write_rows(rows), encoding="utf-8")
    status, out, err = run_command("import_msel", "minimal", str(path))
    assert status == 0 and "imported 2 injects into minimal" in out
    assert err.splitlines() == [
        f"warning: {path}:2: expected_actions: intel_sharing does not answer a disease_outbreak "
        "inject; actions that do: hadr, public_statement"
    ]
    assert scenario_latest("minimal").injects.get(code="M-01").kind == "disease_outbreak"
