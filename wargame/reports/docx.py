"""The after-action report as a Word document, drawn from `report_data`.

Laid out like the HSEEP after-action report / improvement plan (AAR/IP) planners write by hand:
a cover with the handling marking, one chapter per entry of `SECTIONS` (Word's built-in
"Heading 1", "Heading 2" and "Heading 3" styles, so the navigation pane and a table of contents
work), plain "Table Grid" tables and bulleted lists, so the document can be edited, restyled
and completed in Word. Wide tables (timeline, moves, improvement plan) get landscape pages.
"""

import io
import re
from collections import Counter
from copy import deepcopy
from datetime import date, datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from wargame.exercises.models import AdjudicationMode, ExerciseStatus, Inject, Move, Role
from wargame.exercises.models import Rating as MoveRating
from wargame.negotiation.models import AgreementStatus, ProposalParty, ProposalStatus
from wargame.reports.feedback import feedback_by_question
from wargame.reports.models import CapabilityElement
from wargame.reports.ratings import THRESHOLDS
from wargame.reports.sections import DRAFT_NOTE, HANDLING, RATING_NAMES, SECTIONS
from wargame.reports.summary import summary_paragraphs
from wargame.scenarios.catalogue import catalogue

PAGE_SIZE = (Cm(21), Cm(29.7))  # A4, portrait
MARGIN = Cm(2.5)
TABLE_STYLE = "Table Grid"
TABLE_TEXT = "Table Text"  # a paragraph style of the document, small and without spacing
HEADER_FILL = "D9E2F3"
# Trust bands as in the HTML report (0-19, 20-39, ... 80-100), lighter for print.
TRUST_FILLS = ("E8A09A", "F4C7B8", "F7EBC4", "CDE8D2", "9FD3A8")
LANDSCAPE = frozenset({"timeline", "moves", "plan"})
CHARTS = (
    ("stability", gettext_lazy("Stability of each nation by turn")),
    ("capacity", gettext_lazy("Capacity of each nation by turn")),
    ("regional", gettext_lazy("Regional stability index by turn")),
)
OUTCOMES = {
    "success": gettext_lazy("Success"),
    "failure": gettext_lazy("Failure"),
    "counter": gettext_lazy("Counter-argument"),
    "refused": gettext_lazy("Refused"),
}
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NONE = "—"


def report_docx(data: dict[str, Any], *, charts: dict[str, bytes] | None = None) -> bytes:
    """The report as a .docx file; `charts` are PNG images by name ("stability", "capacity",
    "regional"), as `report_charts(data, kind="png")` draws them."""
    return _Report(data, charts or {}).build()


# Formatting of values --------------------------------------------------------------------------


def _text(value: Any) -> str:
    """Text Word accepts (no control characters), "" for None."""
    if value is None:
        return ""
    return _NOT_XML.sub("", str(value))


def _or_none(value: Any) -> str:
    return NONE if value is None or value == "" else _text(value)


def _label(choices: Any, value: Any) -> str:
    """The display name of a choice, or the value itself if it is not one."""
    if value is None or value == "":
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return _text(value)


def _number(value: float | None, places: int = 1) -> str:
    if value is None:
        return NONE
    return formats.number_format(value, places)


def _signed(value: float, places: int = 1) -> str:
    return ("+" if value > 0 else "") + formats.number_format(value, places)


def _percent(value: float | None) -> str:
    if value is None:
        return ""
    return _("%(value)s%%") % {"value": formats.number_format(value * 100, 1)}


def _when(value: str | None) -> str:
    if not value:
        return NONE
    moment = datetime.fromisoformat(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATETIME_FORMAT")


def _day(value: str | None) -> str:
    if not value:
        return ""
    return formats.date_format(date.fromisoformat(value[:10]), "DATE_FORMAT")


def _effective(rating: dict[str, Any]) -> str:
    return rating["rating"] or rating["proposed"]


# Word XML the python-docx API does not cover ----------------------------------------------------


def _set_text(p: Any, text: str) -> None:
    """Put `text` in the paragraph's one run: straight into its w:t, unless it holds line
    breaks or tabs, which python-docx turns into their own elements."""
    run = p.r_lst[0]
    if "\n" in text or "\t" in text or "\r" in text:
        Run(run, None).text = text
        return
    t = run.find(qn("w:t"))
    if t is None:
        t = OxmlElement("w:t")
        run.append(t)
    t.text = text
    if text != text.strip():
        t.set(qn("xml:space"), "preserve")


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_as_header(table: Table) -> None:
    row = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row.append(header)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A simple field (PAGE, NUMPAGES) Word computes when it lays the page out."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


# The document ----------------------------------------------------------------------------------


class _Report:
    def __init__(self, data: dict[str, Any], charts: dict[str, bytes]) -> None:
        self.data = data
        self.charts = charts
        self.doc = Document()
        self.landscape = False
        self.figures = 0
        self.names = {team["code"]: team["name"] for team in data["teams"]}
        self.actions = {action.code: action.name for action in catalogue()}

    # Building blocks ---------------------------------------------------------------------------

    @property
    def width(self) -> int:
        section = self.doc.sections[-1]
        return section.page_width - section.left_margin - section.right_margin

    def nation(self, code: str | None) -> str:
        return self.names.get(code, _text(code)) if code else ""

    def action(self, code: str | None) -> str:
        return _text(self.actions.get(code, code)) if code else ""

    def paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        return self.doc.add_paragraph(_text(text), style=style)

    def note(self, text: str) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        run = paragraph.add_run(_text(text))
        run.italic = True
        run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
        return paragraph

    def bullets(self, items: list[str], empty: str) -> None:
        if not items:
            self.note(empty)
        for item in items:
            self.paragraph(item, style="List Bullet")

    def heading(self, text: str, level: int) -> Paragraph:
        return self.doc.add_heading(_text(text), level=level)

    def chapter(self, key: str, title: str) -> None:
        """A Heading 1 on a new page, in a landscape section for the wide tables."""
        landscape = key in LANDSCAPE
        if landscape != self.landscape:
            self.new_section(landscape)
            self.heading(title, 1)
        else:
            self.heading(title, 1).paragraph_format.page_break_before = True

    def new_section(self, landscape: bool) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        width, height = PAGE_SIZE
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (height, width) if landscape else PAGE_SIZE
        section.different_first_page_header_footer = False
        self.landscape = landscape

    def table(
        self,
        headers: list[str],
        rows: list[list[Any]],
        *,
        widths: list[float] | None = None,
        fills: list[list[str | None]] | None = None,
    ) -> Table:
        """A table with a shaded header row repeated on every page; `widths` are relative."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = TABLE_STYLE
        # Set the style id straight on each paragraph: by name, python-docx looks the style up
        # anew for every cell, which takes seconds for the moves of a long exercise.
        small = self.doc.styles[TABLE_TEXT].style_id
        if widths:
            total = sum(widths)
            for column, weight in zip(table.columns, widths, strict=True):
                column.width = int(self.width * weight / total)
        for cell, column, header in zip(table.rows[0].cells, table.columns, headers, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph._p.style = small
            paragraph.add_run(_text(header)).bold = True
            _shade(cell, HEADER_FILL)
            if widths:
                cell.width = column.width
        _repeat_as_header(table)
        # Each row is a copy of one prototype row (cells already styled, one empty run each):
        # building every cell through python-docx takes tens of seconds for the moves of a
        # 35-nation exercise, copying the XML a fraction of that.
        prototype = table.add_row()
        for cell in prototype.cells:
            cell.paragraphs[0]._p.style = small
            cell.paragraphs[0].add_run("")
        proto_tr = prototype._tr
        proto_tr.getparent().remove(proto_tr)
        for index, values in enumerate(rows):
            tr = deepcopy(proto_tr)
            table._tbl.append(tr)
            for column, (tc, value) in enumerate(zip(tr.tc_lst, values, strict=True)):
                lines = [_text(line) for line in (value if isinstance(value, list) else [value])]
                first = tc.p_lst[0]
                for line in lines[1:]:
                    extra = deepcopy(first)
                    tc.append(extra)
                    _set_text(extra, line)
                _set_text(first, lines[0] if lines else "")
                fill = fills[index][column] if fills else None
                if fill:
                    _shade(_Cell(tc, table), fill)
        self.doc.add_paragraph()  # room after the table, and somewhere to type below it
        return table

    # The whole ----------------------------------------------------------------------------------

    def build(self) -> bytes:
        self.setup()
        self.cover()
        for key, title in SECTIONS:
            self.chapter(key, str(title))
            getattr(self, f"section_{key}")()
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def setup(self) -> None:
        exercise = self.data["exercise"]
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_SIZE
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, MARGIN)
        section.different_first_page_header_footer = True  # nothing above or below the cover

        styles = self.doc.styles
        styles["Normal"].font.size = Pt(10.5)
        small = styles.add_style(TABLE_TEXT, 1)  # 1: a paragraph style
        small.base_style = styles["Normal"]
        small.font.size = Pt(8.5)
        small.paragraph_format.space_before = Pt(0)
        small.paragraph_format.space_after = Pt(0)

        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        header.add_run(str(HANDLING)).bold = True
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run(_text(exercise["title"]) + " · ")
        # "Page {page} of {pages}" with the numbers as fields, wherever the language puts them.
        for part in re.split(r"(\{page\}|\{pages\})", _("Page {page} of {pages}")):
            if part == "{page}":
                _field(footer, "PAGE")
            elif part == "{pages}":
                _field(footer, "NUMPAGES")
            elif part:
                footer.add_run(part)

        properties = self.doc.core_properties
        properties.title = _text(
            _("After-action report and improvement plan: %(exercise)s")
            % {"exercise": exercise["title"]}
        )
        properties.subject = _text(self.data["scenario"]["title"])
        properties.author = "Cumbre"
        properties.last_modified_by = "Cumbre"
        properties.category = _("After-action report")
        properties.comments = str(HANDLING)
        properties.keywords = _text(exercise["code"])
        properties.language = get_language() or ""
        properties.revision = 1
        stamp = exercise.get("finished") or exercise.get("started") or exercise.get("created")
        if stamp:
            properties.created = properties.modified = datetime.fromisoformat(stamp)

    def cover(self) -> None:
        exercise, scenario = self.data["exercise"], self.data["scenario"]
        marking = self.doc.add_paragraph()
        marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
        marking.add_run(str(HANDLING)).bold = True

        title = self.paragraph(_("After-action report and improvement plan"), style="Title")
        title.paragraph_format.space_before = Cm(5)
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        name = self.paragraph(exercise["title"], style="Subtitle")
        name.alignment = WD_ALIGN_PARAGRAPH.CENTER
        lines = [
            _("Scenario: %(title)s") % {"title": scenario["title"]},
            _("Exercise code: %(code)s") % {"code": exercise["code"]},
            _("Started: %(when)s") % {"when": _when(exercise.get("started"))},
            _("Finished: %(when)s") % {"when": _when(exercise.get("finished"))},
        ]
        for line in lines:
            self.paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER

        bottom = self.doc.add_paragraph()
        bottom.paragraph_format.space_before = Cm(6)
        bottom.alignment = WD_ALIGN_PARAGRAPH.CENTER
        bottom.add_run(str(HANDLING)).bold = True

    # The sections, in the order of SECTIONS ----------------------------------------------------

    def section_overview(self) -> None:
        data, exercise, scenario = self.data, self.data["exercise"], self.data["scenario"]
        self.heading(_("Scope"), 2)
        if scenario.get("summary"):
            self.paragraph(scenario["summary"])
        self.paragraph(
            _(
                "%(played)s of %(turns)s turns played, each %(per)s of game time. "
                "Exercise code %(code)s, seed %(seed)s; adjudication: %(mode)s; "
                "status: %(status)s."
            )
            % {
                "played": exercise["turns_played"],
                "turns": scenario["turns"],
                "per": _or_none(scenario.get("game_time_per_turn")),
                "code": exercise["code"],
                "seed": exercise["seed"],
                "mode": _label(AdjudicationMode, exercise.get("adjudication_mode")).lower(),
                "status": _label(ExerciseStatus, exercise["status"]).lower(),
            }
        )
        self.paragraph(self.conducted())

        self.heading(_("Objectives and capabilities"), 2)
        holders: dict[str, list[str]] = {}
        for team in data["teams"]:
            for code in team["objectives"]:
                holders.setdefault(code, []).append(team["name"])
        self.table(
            [_("ID"), _("Objective"), _("Capability"), _("Nations holding it")],
            [
                [o["id"], o["title"], o["capability"], ", ".join(holders.get(o["id"], []))]
                for o in scenario["objectives"]
            ],
            widths=[1.2, 4, 2.6, 3],
        )

        self.heading(_("Participating nations"), 2)
        self.table(
            [
                _("Nation"),
                _("Stability (start → end)"),
                _("Capacity (start → end)"),
                _("Objectives"),
                _("Played by"),
            ],
            [
                [
                    f"{team['name']} ({team['code']})",
                    self.change(team, "stability"),
                    self.change(team, "capacity"),
                    ", ".join(team["objectives"]),
                    _("Bot") if team["bot"] else _("People"),
                ]
                for team in data["teams"]
            ],
            widths=[3.2, 2, 2, 3, 1.6],
        )

        self.heading(_("Participants by team"), 2)
        people: dict[str | None, list[str]] = {}
        for person in data["participants"]:
            people.setdefault(person["team"], []).append(person)
        items = [
            _("%(team)s: %(people)s")
            % {
                "team": team["name"],
                "people": ", ".join(p["name"] for p in people.get(team["code"], []))
                or _("no participant"),
            }
            for team in data["teams"]
        ]
        control = people.get(None, [])
        if control:
            items.append(
                _("Exercise control and evaluation: %(people)s")
                % {
                    "people": ", ".join(
                        f"{p['name']} ({_label(Role, p['role']).lower()})" for p in control
                    )
                }
            )
        self.bullets(items, _("No participant was recorded."))

    def conducted(self) -> str:
        exercise = self.data["exercise"]
        started, finished = _day(exercise.get("started")), _day(exercise.get("finished"))
        if not started:
            return _("The exercise has not started.")
        if not finished:
            return _("Conducted from %(started)s; not finished.") % {"started": started}
        if started == finished:
            return _("Conducted on %(day)s.") % {"day": started}
        return _("Conducted from %(started)s to %(finished)s.") % {
            "started": started,
            "finished": finished,
        }

    def change(self, team: dict[str, Any], indicator: str) -> str:
        start, end = team["start"].get(indicator), team["end"].get(indicator)
        return f"{_or_none(start)} → {_or_none(end)}"

    def section_summary(self) -> None:
        paragraphs, edited = summary_paragraphs(self.data)
        if not edited:
            self.note(DRAFT_NOTE)
        for text in paragraphs:
            self.paragraph(text)

    def objective(self, rating: dict[str, Any]) -> str:
        return f"{rating['objective']} ({rating['title']})"

    def section_analysis(self) -> None:
        self.note(
            _(
                "Each objective is rated P (performed without challenges), S (with some "
                "challenges), M (with major challenges) or U (unable to be performed). A "
                "rating marked “proposed” was computed from the injects that test the objective "
                "and the stability of the nations holding it, and has not yet been confirmed."
            )
        )
        observations = self.data["observations"]
        known = {r["objective"] for r in self.data["ratings"]}
        for rating in self.data["ratings"]:
            self.heading(f"{rating['objective']}: {rating['title']}", 2)
            self.paragraph(_("Capability: %(capability)s") % {"capability": rating["capability"]})
            letter = _effective(rating)
            paragraph = self.doc.add_paragraph()
            paragraph.add_run(_("Rating: "))
            paragraph.add_run(f"{letter} · {RATING_NAMES[letter]}").bold = True
            if not rating["rating"]:
                paragraph.add_run(" " + _("(proposed)"))
            elif rating["rating"] != rating["proposed"]:
                paragraph.add_run(
                    " "
                    + _("(confirmed; the computed proposal was %(proposed)s)")
                    % {"proposed": rating["proposed"]}
                )
            self.paragraph(self.reasoning(rating["reasoning"]))
            if rating.get("comment"):
                self.paragraph(_("Comment: %(comment)s") % {"comment": rating["comment"]})
            mine = [o for o in observations if o["objective"] == rating["objective"]]
            self.observations(mine)
        general = [o for o in observations if o["objective"] not in known]
        if general:
            self.heading(_("Observations not tied to an objective"), 2)
            self.observations(general)

    def reasoning(self, reasoning: dict[str, Any]) -> str:
        delivered = reasoning.get("injects_delivered", 0)
        if delivered:
            injects = _(
                "Injects testing it: %(answered)s answered of %(delivered)s delivered, with a "
                "timeliness of %(timeliness)s (1 when each is answered in the turn it is "
                "delivered)."
            ) % {
                "answered": reasoning.get("injects_answered", 0),
                "delivered": delivered,
                "timeliness": _number(reasoning.get("timeliness"), 2),
            }
        else:
            injects = _("No inject testing it was delivered.")
        thresholds = ", ".join(
            _("%(rating)s from %(floor)s") % {"rating": letter, "floor": _number(floor, 2)}
            for letter, floor in THRESHOLDS
        )
        return " ".join(
            [
                injects,
                _("The mean stability of the nations holding it changed by %(change)s points.")
                % {"change": _signed(reasoning.get("stability_change", 0))},
                _("Score %(score)s of 1 (%(thresholds)s).")
                % {"score": _number(reasoning.get("score"), 2), "thresholds": thresholds},
            ]
        )

    def observations(self, observations: list[dict[str, Any]]) -> None:
        for kind, title in (
            ("strength", _("Strengths")),
            ("improvement", _("Areas for improvement")),
        ):
            self.heading(title, 3)
            self.bullets(
                [self.observation(o) for o in observations if o["kind"] == kind],
                _("None recorded."),
            )

    def observation(self, observation: dict[str, Any]) -> str:
        where = []
        if observation.get("turn") is not None:
            where.append(_("turn %(turn)s") % {"turn": observation["turn"]})
        if observation.get("by"):
            where.append(observation["by"])
        return observation["text"] + (f" ({', '.join(where)})" if where else "")

    def section_timeline(self) -> None:
        injects = self.data["injects"]
        status = Counter(i["status"] for i in injects)
        self.paragraph(
            _(
                "%(total)s injects were scheduled: %(delivered)s delivered, %(answered)s "
                "answered and %(skipped)s skipped because their condition was not met. "
                "Delivered and answered give the turn; responses are the moves aimed at each "
                "inject, by turn."
            )
            % {
                "total": len(injects),
                "delivered": sum(1 for i in injects if i["delivered_turn"] is not None),
                "answered": sum(1 for i in injects if i["answered_turn"] is not None),
                "skipped": status[Inject.Status.SKIPPED],
            }
        )
        by_inject: dict[str, dict[int, list[str]]] = {}
        for move in self.data["moves"]:
            if move["target_inject"]:
                turns = by_inject.setdefault(move["target_inject"], {})
                turns.setdefault(move["turn"], []).append(move["key"] or move["team"])
        rows = []
        for inject in injects:
            title = [inject["title"]]
            if inject["contingency_for"]:
                title.append(
                    _("Contingency for %(inject)s") % {"inject": inject["contingency_for"]}
                )
            turns = by_inject.get(inject["code"])
            if turns:
                responses = [
                    _("Turn %(turn)s: %(moves)s") % {"turn": turn, "moves": ", ".join(keys)}
                    for turn, keys in sorted(turns.items())
                ]
            else:
                responses = ""
            rows.append(
                [
                    _or_none(inject["turn"]),
                    inject["code"],
                    title,
                    inject.get("from") or "",
                    _label(Inject.Status, inject["status"]),
                    _or_none(inject["delivered_turn"]),
                    _or_none(inject["answered_turn"]),
                    _or_none(inject["turns_to_answer"]),
                    responses,
                ]
            )
        self.table(
            [
                _("Turn"),
                _("#"),
                _("Inject"),
                _("From"),
                _("Status"),
                _("Delivered"),
                _("Answered"),
                _("Turns to answer"),
                _("Responses"),
            ],
            rows,
            widths=[1.3, 1.5, 5.3, 3.3, 2.2, 2, 2, 1.6, 5.3],
        )

    def section_moves(self) -> None:
        moves = self.data["moves"]
        outcomes = Counter(m["outcome"] or m["status"] for m in moves)
        self.paragraph(
            ngettext(
                "%(count)s move was submitted. Outcomes: %(outcomes)s.",
                "%(count)s moves were submitted. Outcomes: %(outcomes)s.",
                len(moves),
            )
            % {
                "count": len(moves),
                "outcomes": "; ".join(
                    f"{self.outcome(name)} {count}"
                    for name, count in sorted(outcomes.items(), key=lambda i: (-i[1], str(i[0])))
                )
                or NONE,
            }
        )
        self.note(
            _(
                "Chance is the probability of success the adjudication computed; a move "
                "succeeds when its roll is below its chance, unless the facilitator set the "
                "outcome."
            )
        )
        rows = []
        for move in moves:
            target = self.nation(move["target_team"]) or move["target_inject"] or NONE
            outcome = self.outcome(move["outcome"] or move["status"])
            if move.get("overridden"):
                outcome = [outcome, _("set by the facilitator")]
                if move.get("override_reason"):
                    outcome.append(move["override_reason"])
            argument = [move["rationale"]]
            if move.get("intended_result"):
                argument.append(
                    _("Intended result: %(result)s") % {"result": move["intended_result"]}
                )
            rows.append(
                [
                    move["turn"],
                    move["key"] or "",
                    self.nation(move["team"]),
                    self.action(move["action"]),
                    target,
                    _label(MoveRating, move.get("rating")),
                    _percent(move["chance"]),
                    _percent(move["roll"]),
                    outcome,
                    _("Bot") if move["by_bot"] else "",
                    argument,
                ]
            )
        self.table(
            [
                _("Turn"),
                _("#"),
                _("Team"),
                _("Action"),
                _("Target"),
                _("Rating"),
                _("Chance"),
                _("Roll"),
                _("Outcome"),
                _("Bot"),
                _("Rationale"),
            ],
            rows,
            widths=[1.3, 1.6, 2.4, 3.4, 2.4, 1.6, 1.6, 1.5, 2, 1.1, 5],
        )

    def outcome(self, name: str | None) -> str:
        if name in OUTCOMES:
            return str(OUTCOMES[name])
        return _label(Move.Status, name)

    def section_agreements(self) -> None:
        agreements, proposals = self.data["agreements"], self.data["proposals"]
        by_id = {p["id"]: p for p in proposals if p.get("id") is not None}
        statuses = Counter(a["status"] for a in agreements)
        if not agreements:
            self.paragraph(_("No agreement was concluded."))
        else:
            self.paragraph(
                ngettext(
                    "%(count)s agreement was concluded: %(statuses)s.",
                    "%(count)s agreements were concluded: %(statuses)s.",
                    len(agreements),
                )
                % {
                    "count": len(agreements),
                    "statuses": ", ".join(
                        f"{statuses[s]} {str(s.label).lower()}"
                        for s in AgreementStatus
                        if statuses[s]
                    ),
                }
            )
        for number, agreement in enumerate(agreements, start=1):
            parties = ", ".join(self.nation(code) for code in agreement["parties"])
            self.heading(
                _("Agreement %(number)s: %(action)s (%(parties)s)")
                % {
                    "number": number,
                    "action": self.action(agreement["action"]),
                    "parties": parties,
                },
                2,
            )
            text = _("Agreed for turns %(start)s to %(end)s. Status: %(status)s.") % {
                "start": _or_none(agreement["from_turn"]),
                "end": _or_none(agreement["to_turn"]),
                "status": _label(AgreementStatus, agreement["status"]).lower(),
            }
            if agreement.get("ended_turn") not in (None, agreement["to_turn"]):
                text += " " + _("Ended in turn %(turn)s.") % {"turn": agreement["ended_turn"]}
            if agreement.get("end_reason"):
                text += " " + _text(agreement["end_reason"])
            self.paragraph(text)
            self.paragraph(
                _("Commitments: %(commitments)s")
                % {"commitments": "; ".join(self.commitments(agreement["commitments"])) or NONE}
            )
            proposal = by_id.get(agreement.get("proposal"))
            if proposal is None:
                self.note(_("Recorded by the facilitator, not negotiated through a proposal."))
            else:
                self.rounds(proposal)
        others = [
            p for p in proposals if p.get("id") not in {a.get("proposal") for a in agreements}
        ]
        if others:
            self.heading(_("Proposals that did not lead to an agreement"), 2)
            self.table(
                [
                    _("Action"),
                    _("Proposed by"),
                    _("Parties and answers"),
                    _("Status"),
                    _("Rounds"),
                ],
                [
                    [
                        self.action(p["action"]),
                        self.nation(p["proposer"]),
                        [
                            f"{self.nation(party['team'])}: "
                            f"{_label(ProposalParty.Answer, party['answer']).lower()}"
                            for party in p["parties"]
                        ],
                        _label(ProposalStatus, p["status"]),
                        len(p["rounds"]),
                    ]
                    for p in others
                ],
                widths=[3, 2.5, 4, 2, 1.2],
            )

    def commitments(self, commitments: dict[str, Any]) -> list[str]:
        lines = []
        for code, commitment in commitments.items():
            if isinstance(commitment, dict):
                points = commitment.get("points") or 0
                text = ngettext("%(points)s point", "%(points)s points", points) % {
                    "points": points
                }
                if commitment.get("terms"):
                    text += f" ({_text(commitment['terms'])})"
            else:
                text = _text(commitment)
            lines.append(f"{self.nation(code)}: {text}")
        return lines

    def rounds(self, proposal: dict[str, Any]) -> None:
        self.table(
            [_("Round"), _("Author"), _("Commitments"), _("Duration"), _("Note")],
            [
                [
                    r["number"],
                    self.nation(r["author"]),
                    self.commitments(r["commitments"]),
                    ngettext("%(turns)s turn", "%(turns)s turns", r["duration"] or 0)
                    % {"turns": r["duration"]}
                    if r.get("duration") is not None
                    else NONE,
                    r.get("note") or "",
                ]
                for r in proposal["rounds"]
            ],
            widths=[1.4, 2.4, 6.3, 1.8, 3.2],
        )

    def section_indicators(self) -> None:
        for name, caption in CHARTS:
            if not self.charts.get(name):
                continue
            self.doc.add_picture(io.BytesIO(self.charts[name]), width=min(Cm(16), self.width))
            self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.figures += 1
            self.paragraph(
                _("Figure %(number)s: %(caption)s") % {"number": self.figures, "caption": caption},
                style="Caption",
            )
        turns = [t for t in self.data["turns"] if t["indicators"]]
        if not turns:
            self.paragraph(_("No turn was played."))
            return
        headers = [_("Nation"), _("Start")] + [
            _("T%(number)s") % {"number": t["number"]} for t in turns
        ]
        for indicator, title in (
            ("stability", _("Stability by turn")),
            ("capacity", _("Capacity by turn")),
        ):
            self.heading(title, 2)
            rows = [
                [team["name"], _or_none(team["start"].get(indicator))]
                + [_or_none(t["indicators"].get(team["code"], {}).get(indicator)) for t in turns]
                for team in self.data["teams"]
            ]
            if indicator == "stability":
                rows.append(
                    [_("Regional index"), NONE] + [_number(t["regional_stability"]) for t in turns]
                )
            self.table(headers, rows, widths=[3.5, 1.3] + [1.1] * len(turns))
        self.note(_("Stability and capacity run from 0 to 100; T1 is the end of turn 1."))

    def section_trust(self) -> None:
        turns = [t for t in self.data["turns"] if t["trust"]]
        if not turns:
            self.paragraph(_("No trust was recorded: no turn was played."))
            return
        first, last = turns[0], turns[-1]
        self.paragraph(
            _(
                "Trust between each pair of nations runs from 0 (none) to 100 (full). The "
                "exercise keeps no record before the first turn, so the first table shows trust "
                "after turn %(first)s; the second, at the end of turn %(last)s."
            )
            % {"first": first["number"], "last": last["number"]}
        )
        self.heading(_("After turn %(turn)s") % {"turn": first["number"]}, 2)
        self.matrix(first["trust"])
        self.heading(_("At the end (after turn %(turn)s)") % {"turn": last["number"]}, 2)
        self.matrix(last["trust"])
        changes = []
        for pair, value in last["trust"].items():
            before = first["trust"].get(pair)
            if before is not None and value != before:
                changes.append((value - before, pair))
        if changes and first is not last:
            changes.sort(key=lambda c: (c[0], c[1]))
            texts = []
            rise, fall = changes[-1], changes[0]
            if rise[0] > 0:
                texts.append(
                    _("Trust rose most between %(pair)s (%(change)s).")
                    % {"pair": self.pair(rise[1]), "change": _signed(rise[0], 0)}
                )
            if fall[0] < 0:
                texts.append(
                    _("It fell most between %(pair)s (%(change)s).")
                    % {"pair": self.pair(fall[1]), "change": _signed(fall[0], 0)}
                )
            if texts:
                self.paragraph(" ".join(texts))

    def pair(self, key: str) -> str:
        first, _dash, second = key.partition("-")
        return _("%(first)s and %(second)s") % {
            "first": self.nation(first),
            "second": self.nation(second),
        }

    def matrix(self, trust: dict[str, int]) -> None:
        codes = [team["code"] for team in self.data["teams"]]

        def value(a: str, b: str) -> int | None:
            return trust.get(f"{a}-{b}", trust.get(f"{b}-{a}"))

        rows, fills = [], []
        for a in codes:
            values = [None if a == b else value(a, b) for b in codes]
            rows.append([f"{self.nation(a)} ({a})"] + [NONE if v is None else v for v in values])
            fills.append(
                [None]
                + [None if v is None else TRUST_FILLS[min(4, max(0, v // 20))] for v in values]
            )
        self.table(["", *codes], rows, widths=[3.6] + [1] * len(codes), fills=fills)

    def section_plan(self) -> None:
        exercise = self.data["exercise"]
        self.paragraph(
            _(
                "This improvement plan was developed for %(exercise)s. %(conducted)s It lists "
                "the corrective actions for the areas for improvement identified, with the "
                "organisations responsible for them and their dates."
            )
            % {"exercise": exercise["title"], "conducted": self.conducted()}
        )
        plan = self.data["improvement_plan"]
        if plan:
            rows = [
                [
                    self.issue(item["objective"], item["issue"]),
                    item.get("corrective_action") or "",
                    _label(CapabilityElement, item.get("element")),
                    item.get("organisation") or "",
                    item.get("point_of_contact") or "",
                    _day(item.get("start")),
                    _day(item.get("completion")),
                ]
                for item in plan
            ]
        else:
            rows = [
                [self.issue(o["objective"], o["text"]), "", "", "", "", "", ""]
                for o in self.data["observations"]
                if o["kind"] == "improvement"
            ]
            if rows:
                self.note(
                    _(
                        "Prefilled with the areas for improvement the evaluators recorded; "
                        "complete the other columns."
                    )
                )
            else:
                self.note(_("No area for improvement was recorded; add rows as needed."))
                rows = [[""] * 7 for _row in range(3)]
        table = self.table(
            [
                _("Area for improvement"),
                _("Corrective action"),
                _("Capability element"),
                _("Responsible organisation"),
                _("Point of contact"),
                _("Start"),
                _("Completion"),
            ],
            rows,
            widths=[5.5, 5.5, 2.4, 3.2, 2.6, 2.2, 2.4],
        )
        for row in table.rows[1:]:
            if not any(cell.text for cell in row.cells):
                row.height = Cm(1)  # room to write in

    def issue(self, objective: str | None, text: str) -> str:
        return f"{objective}: {text}" if objective else text

    def section_participants(self) -> None:
        participants = self.data["participants"]
        if not participants:
            self.paragraph(_("No participant was recorded."))
            return
        self.table(
            [_("Name"), _("Role"), _("Team")],
            [
                [p["name"], _label(Role, p["role"]), self.nation(p["team"]) or NONE]
                for p in participants
            ],
            widths=[5, 3, 5],
        )

    def section_feedback(self) -> None:
        feedback = self.data["feedback"]
        count = len(feedback["responses"])
        if not count:
            self.note(_("No participant has answered the feedback form yet."))
            return
        self.paragraph(
            ngettext(
                "%(count)s participant answered the feedback form. Answers are anonymous "
                "unless the participant asked to be named.",
                "%(count)s participants answered the feedback form. Answers are anonymous "
                "unless the participant asked to be named.",
                count,
            )
            % {"count": count}
        )
        questions = feedback_by_question(feedback)
        scales = [q for q in questions if q["kind"] == "scale"]
        if scales:
            self.table(
                [_("Question (1 = not at all, 5 = very)"), _("Answers"), _("Mean"),
                 "1", "2", "3", "4", "5"],
                [
                    [q["prompt"], q["summary"]["count"], _number(q["summary"]["mean"])]
                    + [q["summary"]["distribution"][str(point)] for point in range(1, 6)]
                    for q in scales
                ],
                widths=[8, 2, 2, 1, 1, 1, 1, 1],
            )  # fmt: skip
        for question in questions:
            if question["kind"] != "text":
                continue
            self.heading(question["prompt"], 2)
            self.bullets(
                [
                    f"“{a['text']}”" + (f" — {a['by']}" if a["by"] else "")
                    for a in question["answers"]
                ],
                _("No answer."),
            )
