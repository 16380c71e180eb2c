"""The report as HTML and PDF: every section, objective and team, and the same twice."""

import io
from pathlib import Path

import docx
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from pypdf import PdfReader

from tests.reports.test_builder import played  # noqa: F401 - the fixture
from wargame.exercises.models import Exercise, Role
from wargame.exercises.services import participant_add
from wargame.reports import render
from wargame.reports.builder import report_data
from wargame.reports.docx import report_docx
from wargame.reports.render import report_html, report_pdf
from wargame.reports.sections import RATING_NAMES, SECTIONS
from wargame.reports.services.feedback import feedback_submit


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_the_pdf_holds_every_section_objective_rating_and_team(played: Exercise) -> None:  # noqa: F811
    data = report_data(played)
    text = " ".join(pdf_text(report_pdf(data)).split())
    for _key, title in SECTIONS:
        assert str(title) in text, title
    for rating in data["ratings"]:
        assert f"{rating['objective']}: {rating['title']}" in text
        assert str(RATING_NAMES[rating["rating"] or rating["proposed"]]) in text
    for team in data["teams"]:
        assert team["name"] in text
    assert "For training use. Unclassified." in text


@pytest.mark.django_db
def test_letter_paper_and_the_same_html_twice(played: Exercise, tmp_path: Path) -> None:  # noqa: F811
    data = report_data(played)
    assert report_html(data) == report_html(data)
    target = tmp_path / "report.pdf"
    call_command("export_report", played.code, "--format", "pdf", "--paper", "Letter",
                 "-o", str(target), stdout=io.StringIO())  # fmt: skip
    page = PdfReader(target).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


@pytest.mark.django_db
def test_the_same_exercise_gives_the_same_report_twice(played: Exercise) -> None:  # noqa: F811
    first, second = report_data(played), report_data(played)
    assert first == second
    assert pdf_text(report_pdf(first)) == pdf_text(report_pdf(second))


@pytest.mark.django_db
def test_many_moves_print_as_one_line_each_turn_by_turn(
    played: Exercise,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(render, "MOVES_AS_TABLE", 0)
    data = report_data(played)
    html = report_html(data)
    assert '<div class="move">' in html and "<th>Argument</th>" not in html
    text = " ".join(pdf_text(report_pdf(data)).split())
    adjudicated = [m for m in data["moves"] if m["chance"] is not None]
    for move in (adjudicated[0], adjudicated[-1]):
        line = f"{move['key']} · {move['action_name']}"
        assert line in text, line
    for turn in {m["turn"] for m in data["moves"]}:
        assert f"Turn {turn}" in text


@pytest.mark.django_db
def test_feedback_is_in_the_report_named_only_when_asked(played: Exercise) -> None:  # noqa: F811
    User = get_user_model()
    seats = []
    for name, code in (("Capt. Ana Ruiz", "HTI"), ("Maj. Luis Paz", "DOM")):
        user = User.objects.create_user(name.split()[-1].lower(), first_name=name)
        team = played.teams.get(nation_code=code)
        seats.append(participant_add(actor=None, exercise=played, user=user, role=Role.PLAYER,
                                     team=team))  # fmt: skip
    answers = {"realism": 4, "usefulness": 5, "regional-mechanisms": 3,
               "strengths": "Port opening drill was realistic."}  # fmt: skip
    feedback_submit(actor=seats[0].user, exercise=played, participant=seats[0], named=True,
                    answers=answers)  # fmt: skip
    feedback_submit(actor=seats[1].user, exercise=played, participant=seats[1], named=False,
                    answers={**answers, "realism": 2, "strengths": "Clear injects."})  # fmt: skip

    data = report_data(played)
    text = " ".join(pdf_text(report_pdf(data)).split())
    assert "Appendix C: Participant feedback" in text
    assert "Port opening drill was realistic." in text and "Capt. Ana Ruiz (HTI)" in text
    assert "Clear injects." in text and "Maj. Luis Paz" not in text.split("Appendix C")[-1]
    word = report_docx(data)
    document = docx.Document(io.BytesIO(word))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Appendix C: Participant feedback" in paragraphs
    assert any("Clear injects." in p and "Paz" not in p for p in paragraphs)
