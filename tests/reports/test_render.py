"""The report as HTML and PDF: every section, objective and team, and the same twice."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.pdf import pdf_page_sizes, pdf_text
from tests.reports.test_formats import html_text, word_text
from wargame.exercises.models import Exercise, Role
from wargame.exercises.services import participant_add
from wargame.reports import model
from wargame.reports.docx import report_docx
from wargame.reports.model import report_for
from wargame.reports.render import report_html, report_pdf
from wargame.reports.services.feedback import feedback_submit


@pytest.mark.django_db
def test_the_pdf_holds_every_section_objective_rating_and_team(played: Exercise) -> None:
    report = report_for(played)
    text = pdf_text(report_pdf(report))
    for _key, title in report.sections:
        assert title in text, title
    for analysis in report.analysis:
        assert analysis.heading in text and analysis.rating in text
    for nation in report.nations:
        assert nation.name in text
    assert "EXERCISE EXERCISE EXERCISE · For training use. Unclassified." in text
    assert "Figure 1: Stability of each nation by turn" in text


@pytest.mark.django_db
def test_letter_paper_and_the_same_html_twice(
    played: Exercise, brief: Exercise, tmp_path: Path
) -> None:
    report = report_for(played)
    assert report_html(report) == report_html(report)
    target = tmp_path / "report.pdf"
    call_command("export_report", brief.code, "--format", "pdf", "--paper", "Letter",
                 "-o", str(target), stdout=io.StringIO())  # fmt: skip
    sizes = pdf_page_sizes(target)
    assert tuple(map(round, sizes[0])) == (612, 792)
    # The wide tables (timeline, trust, plan) are on landscape pages.
    assert any(width > height for width, height in sizes)


@pytest.mark.django_db
def test_the_same_exercise_gives_the_same_report_twice(played: Exercise) -> None:
    first, second = report_for(played, charts=False), report_for(played, charts=False)
    assert first == second
    # The PDF is this page laid out (test_the_pdf_holds_every_section_objective_rating_and_team).
    assert report_html(first) == report_html(second)


@pytest.mark.django_db
def test_many_moves_print_as_one_line_each_turn_by_turn(
    played: Exercise,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(model, "MOVES_AS_TABLE", 0)
    report = report_for(played, charts=False)
    html = report_html(report)
    assert '<div class="moves">' in html and "<th>Argument</th>" not in html
    text = html_text(html)
    moves = [m for turn in report.moves for m in turn.moves]
    for move in (moves[0], moves[-1]):
        assert f"{move.key} · {move.action}" in text
    for turn in report.moves:
        assert f"Turn {turn.number}" in text


@pytest.mark.django_db
def test_feedback_is_in_the_report_named_only_when_asked(played: Exercise) -> None:
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

    report = report_for(played, charts=False)
    # HTML (which the PDF lays out) and Word: the two renderings of the report model.
    for text in (html_text(report_html(report)), word_text(report_docx(report))):
        assert "Appendix C: Participant feedback" in text
        assert "Port opening drill was realistic." in text and "Capt. Ana Ruiz (HTI)" in text
        assert "Clear injects." in text and "Maj. Luis Paz" not in text.split("Appendix C")[-1]
