"""The anonymised report names nobody: in every format, in the event log and in the file's
name people are their nation or role and a number, and the named report is unchanged."""

import csv
import io
import json

import jsonschema
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.pdf import pdf_text
from tests.reports.test_builder import SCHEMA
from tests.reports.test_formats import html_text, word_text
from wargame.exercises.models import Event, Exercise, Participant, Role
from wargame.exercises.services import move_submit, participant_add
from wargame.reports.feedback import feedback_questions
from wargame.reports.files import render_formats
from wargame.reports.models import Observation
from wargame.reports.services.feedback import feedback_submit
from wargame.turns.services import exercise_end, exercise_start, turn_close

User = get_user_model()
# Display name and account name of each person: neither may appear in an anonymised report.
PEOPLE = {
    "DOM": [("Ana Pérez", "ana-perez-0001"), ("Luis Gómez", "luis-gomez-0002")],
    "HTI": [("Jean Baptiste", "jean-baptiste-0003")],
    "evaluator": [("Coronel Ruiz", "coronel-ruiz-0004")],
}
OBSERVATION = "The delegations shared their radar pictures within the hour."


@pytest.fixture
def played(exercise: Exercise, facilitator) -> Exercise:
    """Two Dominican players and one Haitian, an evaluator who wrote an observation, moves of
    both teams, the exercise ended and a named feedback response."""
    facilitator.first_name, facilitator.username = "Marta Suárez", "marta-suarez-0005"
    facilitator.save()
    teams = {team.nation_code: team for team in exercise.teams.all()}
    seats = {}
    for group, people in PEOPLE.items():
        for name, username in people:
            user = User.objects.create_user(username, first_name=name)
            team = teams.get(group)
            role = Role.PLAYER if team else Role.EVALUATOR
            seats[username] = participant_add(
                actor=facilitator, exercise=exercise, user=user, role=role, team=team
            )
    exercise_start(actor=facilitator, exercise=exercise)
    for username in ("ana-perez-0001", "jean-baptiste-0003"):
        seat = seats[username]
        move_submit(actor=seat.user, team=seat.team, action="public_statement")
    evaluator = seats["coronel-ruiz-0004"].user
    Observation.objects.create(
        exercise=exercise, evaluator=evaluator, turn=1, kind=Observation.Kind.STRENGTH,
        text=OBSERVATION,
    )  # fmt: skip
    assert turn_close(exercise_id=exercise.pk, turn_number=1, reason="test")  # dice are rolled
    exercise_end(actor=facilitator, exercise=exercise, reason="Time is up.")
    exercise.refresh_from_db()
    answers = {
        question.id: 4 if question.is_scale else "Useful."
        for question in feedback_questions(exercise.scenario)
    }
    seat = seats["luis-gomez-0002"]
    feedback_submit(actor=seat.user, exercise=exercise, participant=seat, answers=answers,
                    named=True)  # fmt: skip
    return exercise


def names_and_accounts(exercise: Exercise) -> list[str]:
    found = []
    for participant in Participant.objects.filter(exercise=exercise).select_related("user"):
        found += [participant.user.first_name, participant.user.get_username()]
    return [text for text in found if text]


def texts(files: dict[str, bytes]) -> dict[str, str]:
    return {
        "pdf": pdf_text(files["pdf"]),
        "html": html_text(files["html"].decode()),
        "docx": word_text(files["docx"]),
        "csv": files["csv"].decode("utf-8-sig"),
        "json": files["json"].decode(),
    }


@pytest.mark.django_db
def test_the_anonymised_report_names_nobody_in_any_format(played: Exercise) -> None:
    named = render_formats(played, ["html", "json"])
    unnamed = texts(render_formats(played, ["pdf", "html", "docx", "csv", "json"], anonymous=True))
    people = names_and_accounts(played)
    assert len(people) == 10
    for fmt, text in unnamed.items():
        for person in people:
            assert person not in text, (fmt, person)
    # The participants' appendix and the cover, in the formats people read.
    for fmt in ("pdf", "html", "docx"):
        for pseudonym in ("Dominican Republic 1", "Dominican Republic 2", "Haiti 1",
                          "Evaluator 1", "Facilitator 1"):  # fmt: skip
            assert pseudonym in unnamed[fmt], (fmt, pseudonym)
        assert "Anonymised" in unnamed[fmt]
        # What people wrote is kept as written.
        assert OBSERVATION in unnamed[fmt]

    record = json.loads(unnamed["json"])
    assert record["exercise"]["anonymised"] is True
    assert [p["name"] for p in record["participants"]] == [
        "Facilitator 1", "Dominican Republic 1", "Dominican Republic 2", "Haiti 1",
        "Evaluator 1",
    ]  # fmt: skip
    # Observations, like feedback, are attributed to nobody in the copy to distribute.
    assert [o["by"] for o in record["observations"]] == [None]
    # A participant who asked to be named is named in the control annex only: the copy to
    # distribute attributes no feedback, not even to a pseudonym.
    assert [(r["name"], r["team"]) for r in record["feedback"]["responses"]] == [(None, None)]
    joined = [e for e in record["events"] if e["kind"] == "participant.added"]
    assert [e["details"]["user"] for e in joined] == [
        "Dominican Republic 1", "Dominican Republic 2", "Haiti 1", "Evaluator 1",
    ]  # fmt: skip
    assert {e["actor"] for e in record["events"] if e["actor"]} <= {
        "Facilitator 1", "Dominican Republic 1", "Haiti 1", "Dominican Republic 2",
    }  # fmt: skip
    rows = list(csv.reader(io.StringIO(unnamed["csv"])))
    assert any("Haiti 1" in row for row in rows)
    named_html = html_text(named["html"].decode())
    assert "Ana Pérez" in named_html and "Anonymised" not in named_html
    named_record = json.loads(named["json"])
    assert named_record["exercise"]["anonymised"] is False
    assert [r["team"] for r in named_record["feedback"]["responses"]] == ["DOM"]


@pytest.mark.django_db
def test_the_copy_to_distribute_has_no_roll_seed_or_bot(played: Exercise) -> None:
    """The dice, the seed and which nations bots played are for control: the named copy has
    them, the anonymised one, which is the copy to distribute, says it leaves them out."""
    haiti = played.teams.get(nation_code="HTI")
    Event.objects.create(exercise=played, kind="team.bot", team=haiti, turn=1, payload={})
    named = json.loads(render_formats(played, ["json"])["json"])
    assert named["exercise"]["seed"] == played.seed
    assert "team.bot" in {e["kind"] for e in named["events"]}
    assert [m["roll"] is not None for m in named["moves"]] == [True, True]
    assert {t["bot"] for t in named["teams"]} == {False}
    assert any("roll" in e["details"] for e in named["events"])
    unnamed = texts(render_formats(played, ["pdf", "html", "docx", "csv", "json"], anonymous=True))
    record = json.loads(unnamed["json"])
    assert record["exercise"]["seed"] is None
    assert all(m["roll"] is None and m["by_bot"] is None for m in record["moves"])
    assert all(t["bot"] is None for t in record["teams"])
    assert not any("roll" in e["details"] or "factors" in e["details"] for e in record["events"])
    assert "team.bot" not in {e["kind"] for e in record["events"]}
    for fmt in ("pdf", "html", "docx"):
        assert "leaves out the rolls, the random seed" in unnamed[fmt], fmt
        assert "Bot" not in unnamed[fmt] and "People" not in unnamed[fmt], fmt


@pytest.mark.django_db
def test_the_download_and_the_command_give_the_anonymised_copy(
    played: Exercise, facilitator, tmp_path
) -> None:
    browser = Client()
    browser.force_login(facilitator)
    url = reverse("exercises:report", args=[played.code, "csv"])
    response = browser.get(url, {"anonymised": "1"})
    assert response.status_code == 200
    assert "-anonymised" in response["Content-Disposition"]
    assert "Ana Pérez" not in response.content.decode("utf-8-sig")
    assert "Ana Pérez" in browser.get(url).content.decode("utf-8-sig")
    control = browser.get(reverse("exercises:control", args=[played.code])).content.decode()
    assert f"{url}?anonymised=1" in control

    out = tmp_path / "report.docx"
    call_command("export_report", played.code, "--format", "docx", "--anonymised", "-o",
                 str(out), stdout=io.StringIO())  # fmt: skip
    text = word_text(out.read_bytes())
    assert "Ana Pérez" not in text and "Dominican Republic 1" in text


@pytest.mark.django_db
def test_the_copy_with_delegations_names_no_nation_where_it_reports_play(
    played: Exercise, facilitator, client
) -> None:
    """Nations become "Delegation A, B…" wherever the report says who did what: the nations
    table, the people, the trust tables, moves and the event log; in the data too, where no
    nation's code is left outside what people and the scenario wrote."""
    teams = list(played.teams.order_by("position"))
    codes = [team.nation_code for team in teams]
    files = render_formats(played, ["pdf", "html", "docx", "csv", "json"], anonymous=True,
                           delegations=True)  # fmt: skip
    unnamed = texts(files)
    record = json.loads(unnamed["json"])
    letters = [team["code"] for team in record["teams"]]
    assert letters == [chr(ord("A") + n) for n in range(len(codes))]
    assert [team["name"] for team in record["teams"]] == [f"Delegation {x}" for x in letters]
    assert record["exercise"]["delegations"] is True
    jsonschema.validate(record, SCHEMA)

    def loose(value: object, where: str) -> None:
        """A nation's code where the record names a nation (a key or a whole value)."""
        if isinstance(value, dict):
            for key, item in value.items():
                assert key not in codes, where
                loose(item, f"{where}.{key}")
        elif isinstance(value, list):
            for item in value:
                loose(item, f"{where}[]")
        elif isinstance(value, str):
            assert not any(value == c or value.startswith((f"{c}-", f"{c}:")) for c in codes), (
                where,
                value,
            )

    loose(record, "$")
    pseudonyms = sorted(p["name"] for p in record["participants"])
    assert sum(name.startswith("Delegation ") for name in pseudonyms) == 3
    for fmt, text in unnamed.items():
        for team in teams:
            assert f"{team.name} {1}" not in text, (fmt, team.name)  # "Haiti 1"
            assert f"({team.nation_code})" not in text, (fmt, team.nation_code)
        for person in names_and_accounts(played):
            assert person not in text, (fmt, person)
    for fmt in ("pdf", "html", "docx"):
        assert "nations are named by their delegation's letter" in unnamed[fmt], fmt
        for letter in letters:
            assert f"Delegation {letter}" in unnamed[fmt], (fmt, letter)
    assert "Delegation " in unnamed["csv"]

    # The download: only as a copy without names; the file says which copy it is.
    client.force_login(facilitator)
    url = reverse("exercises:report", args=[played.code, "json"])
    response = client.get(url, {"anonymised": "1", "delegations": "1"})
    assert "-delegations" in response["Content-Disposition"]
    assert json.loads(response.content)["teams"] == record["teams"]
    named = json.loads(client.get(url, {"delegations": "1"}).content)
    assert named["exercise"]["anonymised"] is False and named["teams"][0]["code"] in codes
    control = client.get(reverse("exercises:control", args=[played.code])).content.decode()
    assert f"{url}?anonymised=1&amp;delegations=1" in control
