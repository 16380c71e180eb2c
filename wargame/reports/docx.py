"""The after-action report as a Word document, filled into a template document (docxtpl).

The layout is the template's: its cover, styles, letterhead, classification banner in the
header and footer, page setup and table styles. Cumbre ships one
(`templates_docx/report.docx`, made by `templates_docx/build.py`); an organisation points
`CUMBRE_REPORT_DOCX_TEMPLATE` at its own copy, edited in Word, to print the report on its
letterhead. The template receives `report` (the report model), `figures` (the charts as
images, each with its `title`), `labels` (the headings and column names below, in the
active language) and `nl`, a line break within a paragraph or cell (`items|join(nl)`).
"""

import io
import re
from pathlib import Path
from typing import Any

import jinja2
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from wargame.reports.model import Report

# Every heading, column and caption the template prints that is not part of the report's data.
LABELS: dict[str, Promise] = {
    "kind": _("After-action report and improvement plan"),
    "contents": _("Contents"),
    "contents_hint": _("Word fills in the table of contents when the document is opened."),
    "objectives": _("Objectives and core capabilities"),
    "id": _("ID"),
    "objective": _("Objective"),
    "core_capability": _("Core capability"),
    "holders": _("Nations holding it"),
    "nations": _("Participating nations"),
    "nation": _("Nation"),
    "stability_change": _("Stability (start → end)"),
    "capacity_change": _("Capacity (start → end)"),
    "support_change": _("Support at home (start → end)"),
    "played_by": _("Played by"),
    "control": _("Exercise control and evaluation"),
    "rating": _("Rating"),
    "comment": _("Facilitator's comment"),
    "tasks": _("Critical tasks"),
    "strengths": _("Strengths"),
    "improvements": _("Areas for improvement"),
    "none_recorded": _("None recorded."),
    "unassigned": _("Observations not tied to an objective"),
    "turn": _("Turn"),
    "number": _("#"),
    "inject": _("Inject"),
    "from": _("From"),
    "status": _("Status"),
    "delivered": _("Delivered"),
    "answered": _("Resolved"),
    "turns_to_answer": _("Turns to resolve"),
    "responses": _("Responses"),
    "kind_of_inject": _("Kind"),
    "expected": _("Expected actions"),
    "move": _("Move"),
    "team": _("Team"),
    "action": _("Action"),
    "target": _("Target"),
    "argument": _("Argument"),
    "argument_rating": _("Argument rated"),
    "chance": _("Chance"),
    "roll": _("Roll"),
    "outcome": _("Outcome"),
    "bot": _("Bot"),
    "intended": _("Intended result"),
    "moves_by_turn": _("Moves by turn"),
    "moves": _("Moves"),
    "outcomes": _("Outcomes"),
    "proposals": _("Proposals that did not lead to an agreement"),
    "commitments": _("Commitments"),
    "answers": _("Answers"),
    "round": _("Round"),
    "by": _("By"),
    "duration": _("Duration"),
    "note": _("Note"),
    "name": _("Name"),
    "role": _("Role"),
    "question": _("Question (1 = not at all, 5 = very)"),
    "mean": _("Mean"),
    "no_answer": _("No answer."),
    "page": _("Page"),
}

# Characters Word's XML does not accept.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _word_text(value: Any) -> Any:
    """Every value printed into the document: None as nothing, no control characters."""
    if value is None:
        return ""
    if isinstance(value, str | Promise):
        return _NOT_XML.sub("", str(value))
    return value


def template_path() -> Path:
    """The template document in use: CUMBRE_REPORT_DOCX_TEMPLATE, else the shipped one."""
    return Path(settings.CUMBRE_REPORT_DOCX_TEMPLATE)


def report_docx(report: Report, *, template: Path | None = None) -> bytes:
    """The report as a .docx file, filled into `template` (default: `template_path()`)."""
    document = DocxTemplate(str(template or template_path()))
    figures = [
        {
            "title": figure.title,
            "caption": figure.caption,
            "image": InlineImage(document, io.BytesIO(figure.png), width=Mm(160)),
        }
        for figure in report.figures
    ]
    environment = jinja2.Environment(autoescape=True, finalize=_word_text)
    context = {
        "report": report,
        "figures": figures,
        "labels": {key: str(value) for key, value in LABELS.items()},
        "nl": "\n",  # a line break within a paragraph or a table cell
    }
    document.render(context, jinja_env=environment, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
