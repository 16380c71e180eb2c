"""The after-action report as a Word document, filled into a template an organisation can
replace."""

import io
import shutil
from pathlib import Path

import pytest
from django.test import override_settings
from docx import Document
from docx.document import Document as WordDocument

from tests.reports.test_formats import word_text
from wargame.exercises.models import Exercise
from wargame.reports.docx import report_docx, template_path
from wargame.reports.files import render_format
from wargame.reports.model import report_for
from wargame.reports.models import Observation
from wargame.reports.templates_docx.build import Builder

PLAN_HEADERS = [
    "Objective / Core capability", "Issue / Area for improvement", "Corrective action",
    "Capability element", "Primary responsible organization", "Organization POC",
    "Start date", "Completion date",
]  # fmt: skip
GAP = "Patrol schedules were not shared with Jamaica until turn 4."


def _open(content: bytes) -> WordDocument:
    return Document(io.BytesIO(content))


def _styled(document: WordDocument, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def _table(document: WordDocument, headers: list[str]):
    return next(t for t in document.tables if [c.text for c in t.rows[0].cells] == headers)


@pytest.mark.django_db
def test_the_word_report_has_the_sections_tables_and_page_setup_of_an_aar(
    played: Exercise,
) -> None:
    objective = played.scenario.objectives.order_by("position")[1]
    Observation.objects.create(
        exercise=played, objective=objective, kind=Observation.Kind.IMPROVEMENT, text=GAP, turn=3
    )
    report = report_for(played)
    document = _open(report_docx(report))

    assert _styled(document, "Heading 1") == ["Contents"] + [t for _k, t in report.sections]
    headings = _styled(document, "Heading 2")
    for analysis in report.analysis:
        assert analysis.heading in headings
    text = word_text(report_docx(report))
    assert "After-action report and improvement plan" in text
    assert report.handling in text and report.title in text
    assert all(nation.name in text for nation in report.nations)
    assert "(proposed)" in text  # nothing was confirmed at a hotwash
    assert "Relief reached Jérémie by sea on day 2." in text  # the fixture's strength
    assert "{{" not in text and "{%" not in text

    # The improvement plan is prefilled from the area for improvement, the rest to be assigned.
    plan = _table(document, PLAN_HEADERS)
    cells = [c.text for c in plan.rows[1].cells]
    assert cells[0] == f"{objective.code}: {objective.capability}" and cells[1] == GAP
    assert cells[2:] == ["To be assigned"] * 6
    # Tables people can edit: the moves, one row each, and the injects.
    moves = next(t for t in document.tables if t.rows[0].cells[-1].text == "Argument")
    assert len(moves.rows) == 1 + sum(len(turn.moves) for turn in report.moves)
    timeline = next(t for t in document.tables if t.rows[0].cells[2].text == "Inject")
    assert len(timeline.rows) == 1 + len(report.timeline)
    # The charts, as pictures.
    assert len(document.inline_shapes) == 3
    # Wide tables on landscape pages.
    assert any(s.page_width > s.page_height for s in document.sections)


@pytest.mark.django_db
def test_an_organisation_prints_the_report_on_its_own_template(
    played: Exercise,
    tmp_path: Path,
) -> None:
    own = tmp_path / "ministry.docx"
    shutil.copy(template_path(), own)
    document = Document(str(own))
    banner = document.sections[0].header.paragraphs[0]
    banner.runs[0].text = "RESTRICTED · Ministry of Defence letterhead"
    document.save(str(own))
    with override_settings(CUMBRE_REPORT_DOCX_TEMPLATE=own):
        content = render_format(played, "docx")
    header = _open(content).sections[0].header.paragraphs[0].text
    assert header == "RESTRICTED · Ministry of Defence letterhead"


def test_the_shipped_template_is_what_its_script_builds(tmp_path: Path) -> None:
    built = tmp_path / "report.docx"
    Builder().build().save(str(built))
    shipped, again = Document(str(template_path())), Document(str(built))
    assert [p.text for p in shipped.paragraphs] == [p.text for p in again.paragraphs]
    assert len(shipped.tables) == len(again.tables)
