"""The after-action report as a Word document."""

import io
from typing import Any

import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from matplotlib.figure import Figure

from tests.reports.test_builder import played  # noqa: F401  (the fixture)
from wargame.exercises.models import Exercise
from wargame.reports.builder import report_data
from wargame.reports.docx import HANDLING, report_docx
from wargame.reports.models import Observation
from wargame.reports.sections import SECTIONS

PLAN_HEADERS = [
    "Area for improvement", "Corrective action", "Capability element",
    "Responsible organisation", "Point of contact", "Start", "Completion",
]  # fmt: skip
GAP = "Patrol schedules were not shared with Jamaica until turn 4."


def _open(content: bytes) -> WordDocument:
    return Document(io.BytesIO(content))


def _styled(document: WordDocument, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def _text(document: WordDocument) -> str:
    """Every piece of text of the body, paragraphs and tables alike, in order."""
    return "\n".join(t.text or "" for t in document.element.body.iter(qn("w:t")))


def _table(document: WordDocument, headers: list[str]):
    return next(t for t in document.tables if [c.text for c in t.rows[0].cells] == headers)


def _png() -> bytes:
    figure = Figure(figsize=(1, 1), dpi=20)
    figure.add_subplot().plot([0, 1], [0, 1])
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


@pytest.mark.django_db
def test_the_word_report_has_the_sections_tables_and_page_setup_of_an_aar(
    played: Exercise,  # noqa: F811
) -> None:
    objective = played.scenario.objectives.order_by("position")[1]
    Observation.objects.create(
        exercise=played, objective=objective, kind=Observation.Kind.IMPROVEMENT, text=GAP, turn=3
    )
    data = report_data(played)
    document = _open(report_docx(data))

    assert _styled(document, "Heading 1") == [str(title) for _key, title in SECTIONS]
    headings = _styled(document, "Heading 2")
    for rating in data["ratings"]:
        assert any(h.startswith(f"{rating['objective']}: ") for h in headings)
    text = _text(document)
    assert "After-action report and improvement plan" in text
    assert str(HANDLING) in text and data["exercise"]["title"] in text
    assert all(team["name"] in text for team in data["teams"])
    assert "(proposed)" in text  # nothing was confirmed at a hotwash
    assert "Relief reached Jérémie by sea on day 2." in text  # the fixture's strength

    # The improvement plan is prefilled from the area for improvement, the rest left blank.
    plan = _table(document, PLAN_HEADERS)
    assert [c.text for c in plan.rows[1].cells] == [f"{objective.code}: {GAP}"] + [""] * 6
    # Tables people can edit: the moves, one row each, and the injects.
    moves = next(t for t in document.tables if t.rows[0].cells[-1].text == "Rationale")
    assert len(moves.rows) == 1 + len(data["moves"])
    timeline = next(t for t in document.tables if t.rows[0].cells[2].text == "Inject")
    assert len(timeline.rows) == 1 + len(data["injects"])
    assert any("Contingency for" in c.text for row in timeline.rows for c in row.cells)

    for section in document.sections:
        size = sorted(round(length.mm) for length in (section.page_width, section.page_height))
        assert size == [210, 297]  # A4, portrait or landscape
    footer = document.sections[0].footer._element
    assert [f.get(qn("w:instr")) for f in footer.iter(qn("w:fldSimple"))] == ["PAGE", "NUMPAGES"]
    assert len(document.inline_shapes) == 0  # no charts given


@pytest.mark.django_db
def test_charts_are_embedded_and_the_same_data_gives_the_same_document(
    played: Exercise,  # noqa: F811
) -> None:
    data = report_data(played)
    charts = {name: _png() for name in ("stability", "capacity", "regional")}
    first = _open(report_docx(data, charts=charts))
    second = _open(report_docx(data, charts=charts))
    assert len(first.inline_shapes) == 3
    assert _styled(first, "Caption")[0].startswith("Figure 1: ")
    assert _text(first) == _text(second)
    assert len(_open(report_docx(data, charts={"regional": charts["regional"]})).inline_shapes) == 1


def _unplayed() -> dict[str, Any]:
    """The report of an exercise that never started, with a confirmed rating and a plan row."""
    return {
        "format": 1,
        "exercise": {
            "title": "Andes Shield", "code": "abc123", "status": "draft", "seed": 1,
            "adjudication_mode": "review", "turns_played": 0, "created": None,
            "started": None, "finished": None, "regional_stability": None,
        },
        "scenario": {
            "slug": "andes", "title": "Andes", "summary": "", "turns": 4,
            "game_time_per_turn": "1 week",
            "objectives": [{"id": "OBJ-1", "title": "Coordinate", "capability": "Planning"}],
        },
        "teams": [
            {"code": "PER", "name": "Peru", "bot": True, "start": {}, "end": {"stability": 50,
             "capacity": 40}, "objectives": ["OBJ-1"]},
        ],
        "participants": [], "turns": [], "injects": [], "moves": [], "proposals": [],
        "agreements": [],
        "observations": [
            {"objective": None, "kind": "strength", "text": "Good \x0bbriefs.", "turn": None,
             "by": "Ana"},
        ],
        "ratings": [
            {"objective": "OBJ-1", "title": "Coordinate", "capability": "Planning",
             "proposed": "U", "reasoning": {"injects_delivered": 0, "score": 0.2},
             "rating": "S", "comment": "Slow but sound."},
        ],
        "improvement_plan": [
            {"objective": "OBJ-1", "issue": "Liaison officers", "corrective_action": "Train",
             "element": "training", "organisation": "Joint staff", "point_of_contact": "Col. R",
             "start": "2027-01-10", "completion": "2027-03-01"},
        ],
        "feedback": {"questions": [], "responses": [], "summary": {}}, "events": [],
    }  # fmt: skip


def test_an_exercise_that_never_started_still_gives_every_section() -> None:
    document = _open(report_docx(_unplayed()))
    assert _styled(document, "Heading 1") == [str(title) for _key, title in SECTIONS]
    text = _text(document)
    assert "Performed with some challenges" in text and "(proposed)" not in text
    assert "Good briefs. (Ana)" in text  # control characters Word refuses are dropped
    plan = _table(document, PLAN_HEADERS)
    row = [c.text for c in plan.rows[1].cells]
    assert row[:5] == ["OBJ-1: Liaison officers", "Train", "Training", "Joint staff", "Col. R"]
    assert "2027" in row[5] and "2027" in row[6]
    assert "No turn was played." in text
