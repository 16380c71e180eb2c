"""The after-action report as typed data with its labels resolved: what every format prints.

`report_for(exercise)` reads the exercise record once (`builder.report_data`, the JSON
download's schema) and turns it into a `Report`: every code the game keeps (`hadr`,
`in_force`, `very_strong`, `planning`) is replaced by the words people read, every number and
date is formatted for the active language, and every sentence the report makes of the record
(the executive summary draft, the reasoning of a rating, the trust at the end) is made here,
once. PDF, HTML, Word, the CSV's readers and the team debrief render this data and nothing else,
so they say the same thing.
"""

import base64
import datetime
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from wargame.engine.ratings import THRESHOLDS
from wargame.exercises.labels import (
    DETAIL_LABELS,
    FACTOR_LABELS,
    OUTCOME_LABELS,
    event_label,
    marking,
    phase_label,
    reason_text,
)
from wargame.exercises.models import (
    AdjudicationMode,
    Exercise,
    ExerciseStatus,
    Inject,
    Move,
    Role,
)
from wargame.exercises.models import Rating as ArgumentRating
from wargame.lib.languages import translated
from wargame.lib.nations import nation_name
from wargame.negotiation.models import AgreementStatus, Channel, ProposalParty, ProposalStatus
from wargame.reports.builder import report_data
from wargame.reports.charts import report_charts, trust_chart
from wargame.reports.feedback import feedback_by_question
from wargame.reports.models import CapabilityElement, Rating
from wargame.reports.names import delegation
from wargame.scenarios.models import InjectKind

NONE = "—"
RATING_ORDER = "PSMU"
# Up to this many moves the report shows them as a table; past it, one plain line per move:
# WeasyPrint lays out a table cell about ten times slower than a line of text, and a
# 35-nation exercise of 12 turns has some 5,000 moves.
MOVES_AS_TABLE = 600
# Past this many nations the PDF and HTML show the trust matrix as a chart (a heat map with
# its numbers): a table of 35 × 35 cells takes WeasyPrint longer than 60 pages of text.
TRUST_AS_TABLE = 15

SECTIONS = (
    ("overview", gettext_lazy("Exercise overview")),
    ("summary", gettext_lazy("Executive summary")),
    ("analysis", gettext_lazy("Analysis of objectives")),
    ("timeline", gettext_lazy("Timeline of injects and responses")),
    ("moves", gettext_lazy("Moves")),
    ("agreements", gettext_lazy("Agreements and negotiations")),
    ("indicators", gettext_lazy("Indicators by turn")),
    ("trust", gettext_lazy("Trust between nations")),
    ("effectiveness", gettext_lazy("Indicators of effective defence diplomacy")),
    ("plan", gettext_lazy("Appendix A: Improvement plan")),
    ("participants", gettext_lazy("Appendix B: Participants")),
    ("feedback", gettext_lazy("Appendix C: Participant feedback")),
)
PAPERS = ("A4", "Letter")
# The handling marking on the cover and every page of the report, in every format.
HANDLING = gettext_lazy("For training use. Unclassified.")
# Above a generated executive summary, until the facilitator writes their own at the hotwash.
DRAFT_NOTE = gettext_lazy(
    "Generated from the exercise record as a first draft: the facilitator should review, "
    "complete or replace it at the hotwash before the report is distributed."
)
# How many agreements ended each way, with the plural each language needs.
AGREEMENTS_BY_STATUS = {
    AgreementStatus.IN_FORCE: lambda n: ngettext("%(n)s in force", "%(n)s in force", n),
    AgreementStatus.EXPIRED: lambda n: ngettext("%(n)s expired", "%(n)s expired", n),
    AgreementStatus.BROKEN: lambda n: ngettext("%(n)s broken", "%(n)s broken", n),
    AgreementStatus.VOIDED: lambda n: ngettext(
        "%(n)s voided by the facilitator", "%(n)s voided by the facilitator", n
    ),
}

# Shown in a column of an improvement plan row nobody has filled in yet.
TO_BE_ASSIGNED = gettext_lazy("To be assigned")
# A relation is strained, and counts as a dispute, when its trust starts below this.
STRAINED = 40
# The trust section names this many pairs whose trust moved most, each with this many causes.
SHIFTS = 5
CAUSES = 3
# Trust bands (0-19, 20-39, ... 80-100): a CSS class and a Word shading each.
TRUST_BANDS = ("t0", "t1", "t2", "t3", "t4")
TRUST_FILLS = ("E8A09A", "F4C7B8", "F7EBC4", "CDE8D2", "9FD3A8")


# --- Values as people read them ----------------------------------------------------------------


def label(choices: Any, value: Any) -> str:
    """The display name of a choice; an unknown value reads as "—", never as its code."""
    if value is None or value == "":
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return NONE


def number(value: float | None, places: int = 1) -> str:
    return NONE if value is None else formats.number_format(value, places, use_l10n=True)


def signed(value: float, places: int = 1) -> str:
    """A change with its sign, as figures are written: "+3.5", "−2.0", "±0"."""
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return sign + formats.number_format(abs(value), places, use_l10n=True)


def percent(value: float | None) -> str:
    if value is None:
        return ""
    return _("%(value)s%%") % {"value": formats.number_format(value * 100, 0, use_l10n=True)}


def day(value: datetime.date | str | None) -> str:
    """A date in the active language's format ("5 de diciembre de 2026", "Dec. 5, 2026")."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return formats.date_format(value, "DATE_FORMAT", use_l10n=True)


def moment(value: str | None) -> str:
    if not value:
        return NONE
    when = datetime.datetime.fromisoformat(value)
    if timezone.is_aware(when):
        when = timezone.localtime(when)
    return formats.date_format(when, "DATETIME_FORMAT", use_l10n=True)


def outcome_name(code: str | None) -> str:
    """A move's outcome, or its status while it has none (submitted, refused, withdrawn)."""
    if code in OUTCOME_LABELS:
        return str(OUTCOME_LABELS[code])
    if code == Move.Status.SUBMITTED:
        return _("Not adjudicated")
    return label(Move.Status, code) or NONE


# --- The report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveRow:
    code: str
    title: str
    capability: str
    holders: str  # the nations holding it, by name


@dataclass(frozen=True)
class NationRow:
    code: str
    name: str
    label: str  # "Haiti (HTI)"; "Delegation C" where delegations are named
    stability: str  # "62 → 70"
    capacity: str
    support: str
    objectives: str
    played_by: str


@dataclass(frozen=True)
class ParticipantRow:
    name: str
    role: str
    team: str


@dataclass(frozen=True)
class ObservationLine:
    kind: str  # "strength" or "improvement": the report's grouping, never printed
    text: str
    where: str  # "turn 2, Maj. Paz"

    @property
    def full(self) -> str:
        return f"{self.text} ({self.where})" if self.where else self.text


@dataclass(frozen=True)
class TaskLine:
    """A critical task as the evaluators rated it."""

    code: str
    title: str
    rating: str  # "S: Performed with some challenges", or "Not rated"
    comment: str

    @property
    def line(self) -> str:
        text = f"{self.code} {self.title}: {self.rating}"
        return f"{text}. {self.comment}" if self.comment else text


@dataclass(frozen=True)
class ObjectiveAnalysis:
    code: str
    title: str
    capability: str
    letter: str  # P, S, M or U: the rating the report carries
    rating: str  # its name
    confirmed: bool
    status: str  # "proposed", "confirmed", "confirmed; the computed proposal was U"
    reasoning: str
    comment: str
    strengths: list[ObservationLine]
    improvements: list[ObservationLine]
    tasks: list[TaskLine] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.code}: {self.title}"


@dataclass(frozen=True)
class InjectRow:
    turn: str
    code: str
    title: str
    kind: str
    source: str
    status: str
    delivered: str
    answered: str
    delay: str
    contingency: str  # "Contingency for M-02", or ""
    expected: str  # the expected actions, by name
    responses: list[str]  # "Turn 3: HTI:2, Jamaica (not adjudicated)"


@dataclass(frozen=True)
class MoveRow:
    turn: int
    key: str
    team_code: str
    team: str
    bot: bool
    action: str
    target: str
    rating: str
    chance: str
    roll: str
    outcome: str
    argument: str
    intended: str

    @property
    def line(self) -> str:
        """The move as one line of text, for exercises with too many moves for a table."""
        facts = [self.key, self.action + (f" → {self.target}" if self.target else "")]
        if self.rating:
            facts.append(_("argument %(rating)s") % {"rating": self.rating.lower()})
        if self.chance and self.roll:
            facts.append(
                _("chance %(chance)s, roll %(roll)s") % {"chance": self.chance, "roll": self.roll}
            )
        elif self.chance:
            facts.append(_("chance %(chance)s") % {"chance": self.chance})
        text = " · ".join(facts) + f": {self.outcome}."
        return f"{text} {self.argument}" if self.argument else text


@dataclass(frozen=True)
class TurnMoves:
    number: int
    summary: str  # "40 success, 12 failure"
    moves: list[MoveRow]

    @property
    def lines(self) -> str:
        """The turn's moves, one line each (at most 400 characters), as one text: the PDF
        prints it as a single block, which WeasyPrint lays out faster than a paragraph or a
        table row per move."""
        return "\n".join(
            line if len(line) <= 400 else line[:399] + "…" for line in (m.line for m in self.moves)
        )


@dataclass(frozen=True)
class RoundRow:
    number: int
    author: str
    commitments: list[str]
    duration: str
    note: str
    kind: str  # "Proposal" or "Counter-proposal"


@dataclass(frozen=True)
class Negotiation:
    """An agreement with the rounds that led to it, or a proposal that led to none."""

    title: str  # "Intelligence sharing: Argentina, Venezuela"
    proposer: str
    status: str
    facts: str  # when, status, how it ended
    commitments: list[str]
    answers: list[str]  # "Venezuela: rejected"
    rounds: list[RoundRow]
    agreed: bool
    parties: list[str]  # nation codes, to pick a team's own


@dataclass(frozen=True)
class IndicatorTable:
    indicator: str  # "stability", "capacity" or "support": which one, never printed
    title: str
    headers: list[str]
    rows: list[list[str]]
    codes: list[str]  # each row's nation, "" for the regional index

    def row_of(self, code: str) -> list[str]:
        """The nation's values, start first, without its name."""
        return self.rows[self.codes.index(code)][1:]


@dataclass(frozen=True)
class TrustCell:
    value: str
    band: str  # CSS class
    fill: str  # Word shading


@dataclass(frozen=True)
class TrustMatrix:
    title: str
    codes: list[str]
    rows: list[tuple[str, list[TrustCell]]]
    png: bytes = field(default=b"", repr=False)  # drawn as a chart for many nations

    @property
    def uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode()


@dataclass(frozen=True)
class TrustShift:
    """A pair of nations whose trust moved most over the exercise, and what moved it."""

    pair: str  # "Colombia and Panama"
    start: str
    end: str
    change: str  # "−6"
    causes: list[str]  # "The news of “Hot pursuit” (−6)", largest first


@dataclass(frozen=True)
class DisputeRow:
    """A strained relation (low trust at the start, or struck by news or an incident in play)
    and whether the two nations settled it through diplomatic channels."""

    pair: str
    trust: str  # "20 → 31"
    why: str  # why it counts as a dispute
    negotiated: str  # the agreements they concluded, or the proposals between them
    settled: bool
    verdict: str


@dataclass(frozen=True)
class ThreatRow:
    """How the nations answered one kind of threat: responded (a move aimed at an inject)
    and resolved (its pressure brought to zero) are told apart."""

    kind: str
    delivered: str
    responded: str
    resolved: str
    turns: str  # mean turns from delivery to resolution
    nations: str  # the nations whose moves answered it


@dataclass(frozen=True)
class Effectiveness:
    """The seed's indicators of effective defence diplomacy, measured on the exercise: trust
    between states, disputes settled through diplomatic channels, and the answer to each
    threat."""

    intro: str
    trust_summary: str
    trust_shifts: list[TrustShift]
    disputes_intro: str
    disputes: list[DisputeRow]
    threats_intro: str
    threats: list[ThreatRow]

    @property
    def headings(self) -> dict[str, str]:
        """The subsections' titles and the tables' column names, for every format."""
        return {
            "trust": _("Trust between states"),
            "disputes": _("Disputes settled through diplomatic channels"),
            "threats": _("The answer to each threat"),
            "pair": _("Nations"),
            "start": _("Start"),
            "end": _("End"),
            "change": _("Change"),
            "causes": _("What moved it"),
            "trust_range": _("Trust"),
            "why": _("Why a dispute"),
            "negotiated": _("Negotiated"),
            "verdict": _("Outcome"),
            "kind": _("Threat"),
            "delivered": _("Injects delivered"),
            "responded": _("Responded to"),
            "resolved": _("Resolved"),
            "turns": _("Turns to resolve"),
            "nations": _("Nations that responded"),
        }


@dataclass(frozen=True)
class PlanRow:
    objective: str
    capability: str
    issue: str
    corrective_action: str
    element: str
    organisation: str
    point_of_contact: str
    start: str
    completion: str
    empty: bool  # nothing decided yet: no action, organisation, contact or date

    @property
    def cells(self) -> list[str]:
        """The eight HSEEP columns, as printed; an empty column reads "To be assigned"."""
        objective = f"{self.objective}: {self.capability}" if self.capability else self.objective
        rest = [
            self.corrective_action,
            self.element,
            self.organisation,
            self.point_of_contact,
            self.start,
            self.completion,
        ]
        return [objective or NONE, self.issue] + [v or str(TO_BE_ASSIGNED) for v in rest]


@dataclass(frozen=True)
class FeedbackAnswer:
    text: str
    by: str


@dataclass(frozen=True)
class FeedbackQuestion:
    prompt: str
    scale: bool
    count: int = 0
    mean: str = ""
    distribution: list[int] = field(default_factory=list)
    answers: list[FeedbackAnswer] = field(default_factory=list)


@dataclass(frozen=True)
class Figure:
    name: str
    caption: str
    title: str  # "Figure 1: Stability of each nation by turn"
    png: bytes = field(repr=False)

    @property
    def uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode()


@dataclass
class Report:
    """Everything the after-action report and improvement plan say, ready to print."""

    code: str
    title: str
    scenario: str
    scenario_summary: str
    handling: str
    sections: list[tuple[str, str]]
    cover_lines: list[str]
    scope: str
    conducted: str
    objectives: list[ObjectiveRow]
    nations: list[NationRow]
    participants: list[ParticipantRow]
    control: list[ParticipantRow]  # facilitators and evaluators
    summary: list[str]
    summary_edited: bool
    draft: list[str]  # the generated draft, from the record as it is now
    draft_note: str
    rating_note: str
    analysis: list[ObjectiveAnalysis]
    unassigned: list[ObservationLine]
    timeline_intro: str
    timeline: list[InjectRow]
    moves_intro: str
    moves_note: str
    moves_as_table: bool
    moves: list[TurnMoves]
    agreements_intro: str
    agreements: list[Negotiation]
    proposals: list[Negotiation]  # those that never became an agreement
    indicator_tables: list[IndicatorTable]
    indicator_note: str
    trust_intro: str
    trust: list[TrustMatrix]  # at the start, at the end
    trust_changes: str
    effectiveness: Effectiveness
    plan_intro: str
    plan_note: str
    plan: list[PlanRow]
    feedback_intro: str
    feedback: list[FeedbackQuestion]
    # The raw record, as the JSON download's schema has it (no event log).
    record: dict[str, Any] = field(repr=False)
    actions: dict[str, str] = field(default_factory=dict, repr=False)  # names by code
    charts: dict[str, bytes] = field(default_factory=dict, repr=False)  # PNG by name
    language: str = ""

    @property
    def figures(self) -> list["Figure"]:
        """The charts there are, numbered, with their captions."""
        captions = (
            ("stability", _("Stability of each nation by turn")),
            ("capacity", _("Capacity of each nation by turn")),
            ("regional", _("Regional stability index by turn")),
        )
        present = [(name, caption) for name, caption in captions if self.charts.get(name)]
        return [
            Figure(name, caption, _("Figure %(number)s: %(caption)s")
                   % {"number": index, "caption": caption}, self.charts[name])
            for index, (name, caption) in enumerate(present, start=1)
        ]  # fmt: skip

    @property
    def plan_headers(self) -> list[str]:
        return plan_headers()


def plan_headers() -> list[str]:
    """HSEEP's improvement plan columns."""
    return [
        _("Objective / Core capability"),
        _("Issue / Area for improvement"),
        _("Corrective action"),
        _("Capability element"),
        _("Primary responsible organization"),
        _("Organization POC"),
        _("Start date"),
        _("Completion date"),
    ]


def report_for(
    exercise: Exercise, *, charts: bool = True, anonymous: bool = False, delegations: bool = False
) -> Report:
    """The report of `exercise` as it stands now (about twenty queries, whatever its size);
    anonymised, it names people by their nation or role and a number, and with `delegations`
    nations by their delegation's letter."""
    record = report_data(exercise, events=False, anonymous=anonymous, delegations=delegations)
    actions = {action.code: action.local_name for action in exercise.scenario.actions.all()}
    report = report_build(record, actions=actions)
    if charts:
        report.charts = report_charts(record, kind="png")
        report.trust = [
            replace(matrix, png=trust_chart(matrix))
            if len(matrix.codes) > TRUST_AS_TABLE
            else matrix
            for matrix in report.trust
        ]
    return report


def _local(entry: dict[str, Any], key: str, field: str | None = None) -> str:
    """A text of the scenario that the record quotes, in the reader's language: from the
    translations the record keeps beside it, or as the scenario writes it."""
    return translated(entry.get(key) or "", entry.get("translations") or {}, field or key)


def report_build(record: dict[str, Any], *, actions: dict[str, str]) -> Report:
    """The report from the exercise record (`report_data`) and the names of its actions."""
    return _Builder(record, actions).build()


class _Builder:
    def __init__(self, record: dict[str, Any], actions: dict[str, str]) -> None:
        self.r = record
        self.actions = actions
        # In the reader's language (the record's are English); a copy that names delegations
        # has their letters for codes (names.py).
        name = delegation if record["exercise"].get("delegations") else nation_name
        self.names = {team["code"]: name(team["code"]) for team in record["teams"]}

    def nation(self, code: str | None) -> str:
        return self.names.get(code, code or "") if code else ""

    def action(self, code: str | None) -> str:
        return self.actions.get(code, NONE) if code else ""

    def build(self) -> Report:
        r = self.r
        exercise, scenario = r["exercise"], r["scenario"]
        analysis = self.analysis()
        draft = self.draft(analysis)
        edited = exercise.get("executive_summary")
        summary = (
            [p.strip() for p in edited.replace("\r\n", "\n").split("\n\n") if p.strip()]
            if edited
            else draft
        )
        participants = [
            ParticipantRow(p["name"], label(Role, p["role"]), self.nation(p["team"]) or NONE)
            for p in r["participants"]
        ]
        timeline_intro, timeline = self.timeline()
        moves_intro, moves = self.moves()
        agreements, proposals = self.negotiations()
        trust_intro, trust, changes = self.trust()
        plan_intro, plan_note, plan = self.plan()
        feedback_intro, feedback = self.feedback()
        return Report(
            code=exercise["code"],
            # An exercise named after its scenario takes the scenario's title as translated.
            title=_local(scenario, "title")
            if exercise["title"] == scenario["title"]
            else exercise["title"],
            scenario=_local(scenario, "title"),
            scenario_summary=_local(scenario, "summary"),
            handling=f"{marking(_local(scenario, 'marking'))} · {HANDLING}",
            sections=[(key, str(title)) for key, title in SECTIONS],
            cover_lines=[
                _("Scenario: %(title)s") % {"title": _local(scenario, "title")},
                _("Exercise code: %(code)s") % {"code": exercise["code"]},
                self.conducted(),
                *(
                    [_("Anonymised: participants are named by their nation or role and a number.")]
                    if exercise.get("anonymised") and not exercise.get("delegations")
                    else []
                ),
                *(
                    [
                        _(
                            "Anonymised: nations are named by their delegation's letter and "
                            "participants by their delegation or role and a number. The "
                            "scenario's own texts still name the nations it is set in."
                        )
                    ]
                    if exercise.get("delegations")
                    else []
                ),
            ],
            scope=self.scope(),
            conducted=self.conducted(),
            objectives=self.objectives(),
            nations=self.nations(),
            participants=participants,
            control=[
                p
                for p, raw in zip(participants, r["participants"], strict=True)
                if raw["role"] != Role.PLAYER
            ],
            summary=summary,
            summary_edited=bool(edited),
            draft=draft,
            draft_note=str(DRAFT_NOTE),
            rating_note=_(
                "Each objective is rated P (performed without challenges), S (performed with "
                "some challenges), M (performed with major challenges) or U (unable to be "
                "performed). A rating marked “proposed” follows the evaluators' ratings of the "
                "objective's critical tasks or, where none was rated, was computed from the "
                "injects that test the objective and the stability of the nations holding it; "
                "the facilitator has not yet confirmed it."
            ),
            analysis=analysis,
            unassigned=[
                self.observation(o)
                for o in r["observations"]
                if o["objective"] not in {a.code for a in analysis}
            ],
            timeline_intro=timeline_intro,
            timeline=timeline,
            moves_intro=moves_intro,
            moves_note=_(
                "Chance is the probability of success the adjudication computed; a move "
                "succeeds when its roll is below its chance, unless the facilitator set the "
                "outcome. Of the rolls below the chance, the nearest to it are partial "
                "successes (the move worked, at a cost to the team's capacity); of the "
                "others, the worst are setbacks, failures that cost trust with the nation "
                "aimed at or stability at home."
            )
            + (
                " "
                + _(
                    "This copy, to be distributed, leaves out the rolls, the random seed and "
                    "which nations bots played; the facilitator's named copy has them."
                )
                if exercise.get("anonymised")
                else ""
            ),
            moves_as_table=len(r["moves"]) <= MOVES_AS_TABLE,
            moves=moves,
            agreements_intro=self.agreements_intro(len(proposals)),
            agreements=agreements,
            proposals=proposals,
            indicator_tables=self.indicators(),
            indicator_note=_(
                "Stability, capacity and support at home run from 0 to 100; “T1” is the end "
                "of turn 1. The regional stability index is the mean stability of the "
                "region's nations."
            ),
            trust_intro=trust_intro,
            trust=trust,
            trust_changes=changes,
            effectiveness=self.effectiveness(),
            plan_intro=plan_intro,
            plan_note=plan_note,
            plan=plan,
            feedback_intro=feedback_intro,
            feedback=feedback,
            record=r,
            actions=self.actions,
            language=get_language() or "",
        )

    # Overview ----------------------------------------------------------------------------------

    def conducted(self) -> str:
        exercise = self.r["exercise"]
        started, finished = day(exercise.get("started")), day(exercise.get("finished"))
        if not started:
            return _("The exercise has not started.")
        if not finished:
            return _("Conducted from %(started)s; not finished.") % {"started": started}
        if started == finished:
            text = _("Conducted on %(day)s.") % {"day": started}
        else:
            text = _("Conducted from %(started)s to %(finished)s.") % {
                "started": started,
                "finished": finished,
            }
        return f"{text} {self.endex()}"

    def endex(self) -> str:
        """When and why play stopped (ENDEX): after the last turn, or earlier with the
        facilitator's reason."""
        exercise, scenario = self.r["exercise"], self.r["scenario"]
        when = moment(exercise.get("finished"))
        if exercise["turns_played"] >= scenario["turns"]:
            text = _("ENDEX after the last turn, %(when)s.") % {"when": when}
            # A time that ends in an abbreviation ("4:57 p.m.") ends the sentence too.
            return text.removesuffix(".") if text.endswith("..") else text
        numbers = {"turn": exercise.get("ended_in_turn") or 0, "turns": scenario["turns"],
                   "when": when}  # fmt: skip
        if exercise.get("end_reason"):
            return _(
                "ENDEX in turn %(turn)s of %(turns)s, %(when)s, before the last turn: %(reason)s"
            ) % (numbers | {"reason": exercise["end_reason"]})
        return (
            _(
                "ENDEX in turn %(turn)s of %(turns)s, %(when)s, before the last turn; no reason "
                "was recorded."
            )
            % numbers
        )

    def scope(self) -> str:
        exercise, scenario = self.r["exercise"], self.r["scenario"]
        return _(
            "%(played)s of %(turns)s turns played, each %(per)s of scenario time. "
            "Adjudication: %(mode)s. Status: %(status)s."
        ) % {
            "played": exercise["turns_played"],
            "turns": scenario["turns"],
            "per": scenario.get("game_time_per_turn") or NONE,
            "mode": label(AdjudicationMode, exercise.get("adjudication_mode")).lower() or NONE,
            "status": phase_label(exercise["status"]).lower(),
        }

    def objectives(self) -> list[ObjectiveRow]:
        holders: dict[str, list[str]] = {}
        for team in self.r["teams"]:
            for code in team["objectives"]:
                holders.setdefault(code, []).append(team["name"])
        return [
            ObjectiveRow(
                o["id"],
                _local(o, "title"),
                _local(o, "capability"),
                ", ".join(holders.get(o["id"], [])),
            )
            for o in self.r["scenario"]["objectives"]
        ]

    def nations(self) -> list[NationRow]:
        def change(team: dict[str, Any], indicator: str) -> str:
            start, end = team["start"].get(indicator), team["end"].get(indicator)
            return f"{NONE if start is None else start} → {NONE if end is None else end}"

        return [
            NationRow(
                code=team["code"],
                name=self.nation(team["code"]),
                label=self.nation(team["code"])
                if self.r["exercise"].get("delegations")
                else f"{self.nation(team['code'])} ({team['code']})",
                stability=change(team, "stability"),
                capacity=change(team, "capacity"),
                support=change(team, "support"),
                objectives=", ".join(team["objectives"]),
                played_by=NONE if team["bot"] is None else _("Bot") if team["bot"] else _("People"),
            )
            for team in self.r["teams"]
        ]

    # Objectives and the summary ----------------------------------------------------------------

    def observation(self, o: dict[str, Any]) -> ObservationLine:
        where = []
        if o.get("turn") is not None:
            where.append(_("turn %(turn)s") % {"turn": o["turn"]})
        if o.get("by"):
            where.append(o["by"])
        return ObservationLine(o["kind"], o["text"], ", ".join(where))

    def analysis(self) -> list[ObjectiveAnalysis]:
        out = []
        for rating in self.r["ratings"]:
            letter = rating["rating"] or rating["proposed"]
            if not rating["rating"]:
                status = _("proposed")
            elif rating["rating"] != rating["proposed"]:
                status = _("confirmed; the computed proposal was %(proposed)s") % {
                    "proposed": rating["proposed"]
                }
            else:
                status = _("confirmed")
            mine = [
                self.observation(o)
                for o in self.r["observations"]
                if o["objective"] == rating["objective"]
            ]
            out.append(
                ObjectiveAnalysis(
                    code=rating["objective"],
                    title=_local(rating, "title"),
                    capability=_local(rating, "capability"),
                    letter=letter,
                    rating=label(Rating, letter),
                    confirmed=bool(rating["rating"]),
                    status=status,
                    reasoning=self.reasoning(rating["reasoning"]),
                    comment=rating.get("comment") or "",
                    strengths=[o for o in mine if o.kind == "strength"],
                    improvements=[o for o in mine if o.kind == "improvement"],
                    tasks=[
                        TaskLine(
                            code=task["task"],
                            title=_local(task, "title"),
                            rating=f"{task['rating']}: {label(Rating, task['rating'])}"
                            if task["rating"]
                            else _("Not rated"),
                            comment=task["comment"],
                        )
                        for task in rating["reasoning"].get("tasks", [])
                    ],
                )
            )
        return out

    def reasoning(self, reasoning: dict[str, Any]) -> str:
        rated = [task["rating"] for task in reasoning.get("tasks", []) if task["rating"]]
        if rated:
            return ngettext(
                "Proposed from its critical tasks as the evaluators rated them (%(rated)s of "
                "%(count)s rated): the rating at least half of the rated tasks reach.",
                "Proposed from its critical tasks as the evaluators rated them (%(rated)s of "
                "%(count)s rated): the rating at least half of the rated tasks reach.",
                len(reasoning["tasks"]),
            ) % {"rated": len(rated), "count": len(reasoning["tasks"])}
        delivered = reasoning.get("injects_delivered", 0)
        if delivered:
            injects = _(
                "Injects testing it: %(answered)s answered of %(delivered)s delivered, with a "
                "timeliness of %(timeliness)s (1 when each is answered in the turn it is "
                "delivered)."
            ) % {
                "answered": reasoning.get("injects_answered", 0),
                "delivered": delivered,
                "timeliness": number(reasoning.get("timeliness"), 2),
            }
        else:
            injects = _("No inject testing it was delivered.")
        thresholds = ", ".join(
            _("%(rating)s from %(floor)s") % {"rating": letter, "floor": number(floor, 2)}
            for letter, floor in THRESHOLDS
        )
        return " ".join(
            [
                injects,
                _("The mean stability of the nations holding it changed by %(change)s points.")
                % {"change": signed(reasoning.get("stability_change", 0))},
                _("Score %(score)s of 1 (%(thresholds)s).")
                % {"score": number(reasoning.get("score"), 2), "thresholds": thresholds},
            ]
        )

    def draft(self, analysis: list[ObjectiveAnalysis]) -> list[str]:
        """A first draft from the record: what was played, answered and agreed, where regional
        stability ended, and the strongest and weakest objectives as they are rated now."""
        r = self.r
        exercise, scenario = r["exercise"], r["scenario"]
        delivered = [i for i in r["injects"] if i["delivered_turn"] is not None]
        answered = [i for i in delivered if i["answered_turn"] is not None]
        agreements = Counter(a["status"] for a in r["agreements"])
        texts = [
            _(
                "%(nations)s delegations played %(played)s of the %(turns)s turns of "
                "%(scenario)s, each %(per)s of game time."
            )
            % {
                "nations": len(r["teams"]),
                "played": exercise["turns_played"],
                "turns": scenario["turns"],
                "scenario": _local(scenario, "title"),
                "per": _local(scenario, "game_time_per_turn") or NONE,
            }
        ]
        sentence = ngettext(
            "They answered %(answered)s of the %(delivered)s inject delivered.",
            "They answered %(answered)s of the %(delivered)s injects delivered.",
            len(delivered),
        ) % {"answered": len(answered), "delivered": len(delivered)}
        delays = [i["turns_to_answer"] for i in answered if i["turns_to_answer"] is not None]
        if delays:
            sentence += " " + _(
                "On average an inject was answered %(delay)s turns after it was delivered."
            ) % {"delay": number(sum(delays) / len(delays), 1)}
        texts.append(sentence)
        texts.append(
            ngettext(
                "%(count)s agreement was concluded; %(broken)s broken, %(in_force)s still in "
                "force at the end.",
                "%(count)s agreements were concluded; %(broken)s broken, %(in_force)s still in "
                "force at the end.",
                len(r["agreements"]),
            )
            % {
                "count": len(r["agreements"]),
                "broken": agreements[AgreementStatus.BROKEN],
                "in_force": agreements[AgreementStatus.IN_FORCE],
            }
        )
        if exercise.get("regional_stability") is not None:
            texts.append(
                _("Regional stability stood at %(value)s (of 100) at the end of the exercise.")
                % {"value": number(exercise["regional_stability"], 1)}
            )
        scores = {row["objective"]: row["reasoning"].get("score", 0) for row in r["ratings"]}
        if len(analysis) == 1:
            texts.append(
                _("Its one objective, %(objective)s, was rated %(rating)s.")
                % {"objective": _objective(analysis[0]), "rating": _rated(analysis[0])}
            )
        elif analysis:
            ranked = sorted(
                analysis, key=lambda a: (RATING_ORDER.index(a.letter), -scores.get(a.code, 0))
            )
            strongest, weakest = ranked[0], ranked[-1]
            texts.append(
                _(
                    "The strongest objective was %(strongest)s, rated %(strong)s; "
                    "the weakest was %(weakest)s, rated %(weak)s."
                )
                % {
                    "strongest": _objective(strongest),
                    "strong": _rated(strongest),
                    "weakest": _objective(weakest),
                    "weak": _rated(weakest),
                }
            )
        return [text for text in (" ".join(texts[:2]), " ".join(texts[2:])) if text]

    # The record of play ------------------------------------------------------------------------

    def move_ref(self, move: dict[str, Any]) -> str:
        """How the report names a move: its key ("HTI:2"), or its team's name until it has one."""
        return move["key"] or self.nation(move["team"])

    def timeline(self) -> tuple[str, list[InjectRow]]:
        injects = self.r["injects"]
        responses: dict[str, dict[int, list[str]]] = {}
        for move in self.r["moves"]:
            if move["target_inject"]:
                ref = self.move_ref(move)
                if not move["outcome"]:
                    ref += " (" + outcome_name(move["status"]).lower() + ")"
                turns = responses.setdefault(move["target_inject"], {})
                turns.setdefault(move["turn"], []).append(ref)
        statuses = Counter(i["status"] for i in injects)
        intro = _(
            "%(total)s injects were scheduled: %(delivered)s delivered, %(responded)s "
            "responded to with at least one move, %(answered)s resolved (their pressure "
            "brought to zero) and %(skipped)s skipped because their condition was not met. "
            "Delivered and resolved give the turn; responses are the moves aimed at each "
            "inject, by turn."
        ) % {
            "total": len(injects),
            "delivered": sum(1 for i in injects if i["delivered_turn"] is not None),
            "responded": sum(1 for i in injects if i["responses"]),
            "answered": sum(1 for i in injects if i["answered_turn"] is not None),
            "skipped": statuses[Inject.Status.SKIPPED],
        }
        rows = []
        for i in injects:
            by_turn = responses.get(i["code"], {})
            rows.append(
                InjectRow(
                    turn=str(i["turn"]),
                    code=i["code"],
                    title=_local(i, "title"),
                    kind=label(InjectKind, i["kind"]),
                    source=_local(i, "from", "originator"),
                    status=label(Inject.Status, i["status"]),
                    delivered=_dash(i["delivered_turn"]),
                    answered=_dash(i["answered_turn"]),
                    delay=_dash(i["turns_to_answer"]),
                    contingency=_("Contingency for %(inject)s") % {"inject": i["contingency_for"]}
                    if i["contingency_for"]
                    else "",
                    expected=", ".join(self.action(code) for code in i["expected_actions"]),
                    responses=[
                        _("Turn %(turn)s: %(moves)s") % {"turn": turn, "moves": ", ".join(refs)}
                        for turn, refs in sorted(by_turn.items())
                    ],
                )
            )
        return intro, rows

    def moves(self) -> tuple[str, list[TurnMoves]]:
        moves = self.r["moves"]
        outcomes = Counter(m["outcome"] or m["status"] for m in moves)
        intro = ngettext(
            "%(count)s move was submitted. Outcomes: %(outcomes)s.",
            "%(count)s moves were submitted. Outcomes: %(outcomes)s.",
            len(moves),
        ) % {"count": len(moves), "outcomes": _counts(outcomes) or NONE}
        turns: dict[int, list[MoveRow]] = {}
        counts: dict[int, Counter] = {}
        for m in moves:
            code = m["outcome"] or m["status"]
            counts.setdefault(m["turn"], Counter())[code] += 1
            outcome = outcome_name(code)
            if m["overridden"]:
                outcome += " (" + _("set by the facilitator")
                outcome += f": {m['override_reason']})" if m["override_reason"] else ")"
            target = self.nation(m["target_team"])
            if m["target_inject"]:
                target = f"{target} {m['target_inject']}".strip()
            turns.setdefault(m["turn"], []).append(
                MoveRow(
                    turn=m["turn"],
                    key=self.move_ref(m),
                    team_code=m["team"],
                    team=self.nation(m["team"]),
                    bot=m["by_bot"],
                    action=self.actions.get(m["action"]) or m.get("action_name") or NONE,
                    target=target,
                    rating=label(ArgumentRating, m["rating"]),
                    chance=percent(m["chance"]),
                    roll=percent(m["roll"]),
                    outcome=outcome,
                    argument=m["rationale"] or "",
                    intended=m["intended_result"] or "",
                )
            )
        return intro, [
            TurnMoves(number, _counts(counts[number]), turns[number]) for number in sorted(turns)
        ]

    def commitments(self, commitments: dict[str, Any]) -> list[str]:
        lines = []
        for code, commitment in commitments.items():
            if isinstance(commitment, dict):
                points = commitment.get("points") or 0
                text = ngettext(
                    "%(points)s action point a turn", "%(points)s action points a turn", points
                ) % {"points": points}
                if commitment.get("terms"):
                    text += f" ({commitment['terms']})"
            else:
                text = str(commitment)
            lines.append(f"{self.nation(code)}: {text}")
        return lines

    def rounds(self, proposal: dict[str, Any] | None) -> list[RoundRow]:
        if proposal is None:
            return []
        return [
            RoundRow(
                number=r["number"],
                author=self.nation(r["author"]),
                commitments=self.commitments(r["commitments"]),
                duration=ngettext("%(turns)s turn", "%(turns)s turns", r["duration"] or 0)
                % {"turns": r["duration"]}
                if r.get("duration") is not None
                else NONE,
                note=r.get("note") or "",
                kind=_("Proposal") if r["number"] == 1 else _("Counter-proposal"),
            )
            for r in proposal["rounds"]
        ]

    def answers(self, proposal: dict[str, Any] | None) -> list[str]:
        if proposal is None:
            return []
        return [
            f"{self.nation(p['team'])}: {label(ProposalParty.Answer, p['answer']).lower()}"
            for p in proposal["parties"]
        ]

    def negotiations(self) -> tuple[list[Negotiation], list[Negotiation]]:
        proposals = {p["id"]: p for p in self.r["proposals"]}
        agreements = []
        for a in self.r["agreements"]:
            proposal = proposals.get(a["proposal"])
            status = label(AgreementStatus, a["status"])
            facts = _("In force from turn %(start)s to turn %(end)s. Status: %(status)s.") % {
                "start": _dash(a["from_turn"]),
                "end": _dash(a["to_turn"]),
                "status": status.lower(),
            }
            if a.get("ended_turn") not in (None, a["to_turn"]):
                facts += " " + _("Ended in turn %(turn)s.") % {"turn": a["ended_turn"]}
            if a.get("end_reason"):
                facts += " " + a["end_reason"]
            if proposal is None:
                facts += " " + _("Recorded by the facilitator, not negotiated through a proposal.")
            agreements.append(
                Negotiation(
                    title=f"{self.action(a['action'])}: "
                    + ", ".join(self.nation(c) for c in a["parties"]),
                    proposer=self.nation(proposal["proposer"]) if proposal else "",
                    status=status,
                    facts=facts,
                    commitments=self.commitments(a["commitments"]),
                    answers=self.answers(proposal),
                    rounds=self.rounds(proposal),
                    agreed=True,
                    parties=list(a["parties"]),
                )
            )
        agreed = {a["proposal"] for a in self.r["agreements"]}
        others = []
        for p in self.r["proposals"]:
            if p["id"] in agreed:
                continue
            status = label(ProposalStatus, p["status"])
            parties = [self.nation(party["team"]) for party in p["parties"]]
            others.append(
                Negotiation(
                    title=f"{self.action(p['action'])}: " + ", ".join(parties),
                    proposer=self.nation(p["proposer"]),
                    status=status,
                    facts=_("Proposed by %(proposer)s. Status: %(status)s.")
                    % {"proposer": self.nation(p["proposer"]), "status": status.lower()},
                    commitments=self.commitments(p["rounds"][-1]["commitments"])
                    if p["rounds"]
                    else [],
                    answers=self.answers(p),
                    rounds=self.rounds(p),
                    agreed=False,
                    parties=[party["team"] for party in p["parties"]],
                )
            )
        return agreements, others

    def agreements_intro(self, unconcluded: int) -> str:
        agreements = self.r["agreements"]
        statuses = Counter(a["status"] for a in agreements)
        if agreements:
            text = ngettext(
                "%(count)s agreement was concluded: %(statuses)s.",
                "%(count)s agreements were concluded: %(statuses)s.",
                len(agreements),
            ) % {
                "count": len(agreements),
                "statuses": ", ".join(
                    AGREEMENTS_BY_STATUS[s](statuses[s]) % {"n": statuses[s]}
                    for s in AgreementStatus
                    if statuses[s]
                ),
            }
        else:
            text = _("No agreement was concluded.")
        if unconcluded:
            text += " " + ngettext(
                "%(count)s proposal did not lead to an agreement.",
                "%(count)s proposals did not lead to an agreement.",
                unconcluded,
            ) % {"count": unconcluded}
        return text

    # Indicators and trust ----------------------------------------------------------------------

    def indicators(self) -> list[IndicatorTable]:
        turns = [t for t in self.r["turns"] if t["indicators"]]
        headers = [_("Nation"), _("Start")] + [
            _("T%(number)s") % {"number": t["number"]} for t in turns
        ]
        tables = []
        for indicator, title in (
            ("stability", _("Stability by turn")),
            ("capacity", _("Capacity by turn")),
            ("support", _("Support at home by turn")),
        ):
            rows = [
                [team["name"], _dash(team["start"].get(indicator))]
                + [_dash(t["indicators"].get(team["code"], {}).get(indicator)) for t in turns]
                for team in self.r["teams"]
            ]
            codes = [team["code"] for team in self.r["teams"]]
            if indicator == "stability":
                rows.append(
                    [_("Regional index"), NONE] + [number(t["regional_stability"]) for t in turns]
                )
                codes.append("")
            tables.append(IndicatorTable(indicator, title, headers, rows, codes))
        return tables

    def trust_at_end(self) -> tuple[dict[str, int], str]:
        """Trust after the last turn that was adjudicated, whatever turn the exercise ended
        in, with the title that says which."""
        recorded = [t for t in self.r["turns"] if t["trust"]]
        if recorded:
            last = recorded[-1]
            return last["trust"], _("At the end (after turn %(turn)s)") % {"turn": last["number"]}
        return self.r["scenario"]["trust"], _("At the end (no turn was adjudicated)")

    def trust(self) -> tuple[str, list[TrustMatrix], str]:
        """Trust at the start (the scenario's) and at the end."""
        start = self.r["scenario"]["trust"]
        end, end_title = self.trust_at_end()
        intro = _(
            "Trust between each pair of nations runs from 0 (none) to 100 (full). The first "
            "table gives it before the first turn, as the scenario sets it; the second, after "
            "the last turn adjudicated."
        )
        codes = [team["code"] for team in self.r["teams"]]
        matrices = [
            self.matrix(_("At the start (before turn 1)"), codes, start),
            self.matrix(end_title, codes, end),
        ]
        changes = []
        for pair, value in end.items():
            before = start.get(pair)
            if before is not None and value != before:
                changes.append((value - before, pair))
        texts = []
        if changes:
            changes.sort()
            rise, fall = changes[-1], changes[0]
            if rise[0] > 0:
                texts.append(
                    _("Trust rose most between %(pair)s (%(change)s).")
                    % {"pair": self.pair(rise[1]), "change": signed(rise[0], 0)}
                )
            if fall[0] < 0:
                texts.append(
                    _("It fell most between %(pair)s (%(change)s).")
                    % {"pair": self.pair(fall[1]), "change": signed(fall[0], 0)}
                )
        return intro, matrices, " ".join(texts)

    # The indicators of effective defence diplomacy -------------------------------------------

    @cached_property
    def moves_by_key(self) -> dict[tuple[int, str], dict[str, Any]]:
        """The adjudicated moves by turn and engine key, as the turns' records name them."""
        return {(m["turn"], m["key"]): m for m in self.r["moves"] if m["key"]}

    def effectiveness(self) -> Effectiveness:
        start = self.r["scenario"]["trust"]
        end, _title = self.trust_at_end()
        disputes_intro, disputes = self.disputes(start, end)
        threats_intro, threats = self.threats()
        return Effectiveness(
            intro=_(
                "Defence diplomacy is effective when it builds trust between states, settles "
                "disputes through diplomatic channels and brings states to answer together the "
                "threats none can meet alone. This section measures each on the exercise."
            ),
            trust_summary=self.trust_summary(start, end),
            trust_shifts=self.trust_shifts(start, end),
            disputes_intro=disputes_intro,
            disputes=disputes,
            threats_intro=threats_intro,
            threats=threats,
        )

    def trust_summary(self, start: dict[str, int], end: dict[str, int]) -> str:
        pairs = [pair for pair in start if pair in end]
        if not pairs:
            return _("No two nations of the exercise have a trust to measure.")
        rose = sum(1 for pair in pairs if end[pair] > start[pair])
        fell = sum(1 for pair in pairs if end[pair] < start[pair])
        return _(
            "Mean trust between the %(pairs)s pairs of nations went from %(start)s at the start "
            "to %(end)s at the end: it rose between %(rose)s pairs, fell between %(fell)s and "
            "did not move between %(same)s."
        ) % {
            "pairs": len(pairs),
            "start": number(sum(start[p] for p in pairs) / len(pairs)),
            "end": number(sum(end[p] for p in pairs) / len(pairs)),
            "rose": rose,
            "fell": fell,
            "same": len(pairs) - rose - fell,
        }

    def trust_causes(self, pairs: set[str] | None = None) -> dict[str, Counter]:
        """The net change of trust of each pair (of `pairs`, or all) by cause, in words, over
        every turn adjudicated."""
        moves = self.moves_by_key
        agreements = {a["key"]: a for a in self.r["agreements"]}
        injects = {i["code"]: i for i in self.r["injects"]}
        causes: dict[str, Counter] = {}
        for turn in self.r["turns"]:
            for change in turn.get("trust_changes", []):
                if pairs is not None and change["pair"] not in pairs:
                    continue
                words = self.trust_cause(
                    change, moves.get((turn["number"], change["ref"])),
                    agreements.get(change["ref"]), injects.get(change["ref"]),
                )  # fmt: skip
                causes.setdefault(change["pair"], Counter())[words] += change["change"]
        return causes

    def trust_cause(
        self,
        change: dict[str, Any],
        move: dict[str, Any] | None,
        agreement: dict[str, Any] | None,
        inject: dict[str, Any] | None,
    ) -> str:
        cause = change["cause"]
        if cause in ("move", "sovereignty") and move is not None:
            numbers = {"nation": self.nation(move["team"]), "what": self.action(move["action"])}
            if cause == "sovereignty":
                return _("%(nation)s: %(what)s without the consent of %(host)s") % (
                    numbers | {"host": self.nation(move["target_team"])}
                )
            return _("%(nation)s: %(what)s") % numbers
        if cause == "agreement":
            action = self.action(agreement["action"]) if agreement else _("cooperation")
            if change["change"] < 0:
                return _("A broken agreement on %(action)s") % {"action": action}
            return _("The agreement on %(action)s, in force") % {"action": action}
        if cause == "shock" and inject is not None:
            return _("The news of “%(inject)s”") % {"inject": _local(inject, "title")}
        return _("Other causes")

    def trust_shifts(self, start: dict[str, int], end: dict[str, int]) -> list[TrustShift]:
        moved = sorted(
            (pair for pair in start if pair in end and end[pair] != start[pair]),
            key=lambda pair: (-abs(end[pair] - start[pair]), pair),
        )[:SHIFTS]
        causes = self.trust_causes(set(moved))
        shifts = []
        for pair in moved:
            found = causes.get(pair, Counter())
            ranked = sorted(
                ((words, change) for words, change in found.items() if change),
                key=lambda item: (-abs(item[1]), item[0]),
            )
            listed = [f"{words} ({signed(change, 0)})" for words, change in ranked[:CAUSES]]
            rest = sum(change for _words, change in ranked[CAUSES:])
            if rest:
                listed.append(_("other causes (%(change)s)") % {"change": signed(rest, 0)})
            shifts.append(
                TrustShift(
                    pair=self.pair(pair),
                    start=str(start[pair]),
                    end=str(end[pair]),
                    change=signed(end[pair] - start[pair], 0),
                    causes=listed,
                )
            )
        return shifts

    def disputes(self, start: dict[str, int], end: dict[str, int]) -> tuple[str, list[DisputeRow]]:
        struck: dict[str, list[str]] = {}
        injects = {i["code"]: i for i in self.r["injects"]}
        moves = self.moves_by_key
        for turn in self.r["turns"]:
            for change in turn.get("trust_changes", []):
                if change["change"] >= 0:
                    continue
                if change["cause"] == "shock" and change["ref"] in injects:
                    why = _("the news of “%(inject)s”") % {
                        "inject": _local(injects[change["ref"]], "title")
                    }
                elif change["cause"] == "sovereignty":
                    move = moves.get((turn["number"], change["ref"]))
                    host = move and move["target_team"]
                    if not host or "-".join(sorted((move["team"], host))) != change["pair"]:
                        continue  # a third party's disapproval, not a dispute between the two
                    why = _("a sovereignty incident in turn %(turn)s") % {"turn": turn["number"]}
                else:
                    continue
                reasons = struck.setdefault(change["pair"], [])
                if why not in reasons:
                    reasons.append(why)
        rows = []
        settled = 0
        for pair in sorted(start, key=lambda p: (start[p], p)):
            reasons = []
            if start[pair] < STRAINED:
                reasons.append(_("trust of %(value)s at the start") % {"value": start[pair]})
            reasons += struck.get(pair, [])
            if not reasons:
                continue
            nations = set(pair.split("-"))
            concluded = [a for a in self.r["agreements"] if nations <= set(a["parties"])]
            agreed = {a["proposal"] for a in concluded}
            talks = [
                p
                for p in self.r["proposals"]
                if p["id"] not in agreed
                and nations <= {p["proposer"], *(party["team"] for party in p["parties"])}
            ]
            if concluded:
                negotiated = ", ".join(sorted({self.action(a["action"]) for a in concluded}))
                verdict = _("Settled through an agreement")
                settled += 1
            elif talks:
                negotiated = ngettext(
                    "%(count)s proposal, no agreement", "%(count)s proposals, no agreement",
                    len(talks),
                ) % {"count": len(talks)}  # fmt: skip
                verdict = _("Negotiated, not settled")
            else:
                negotiated = NONE
                verdict = _("Not negotiated")
            rows.append(
                DisputeRow(
                    pair=self.pair(pair),
                    trust=f"{start[pair]} → {end.get(pair, start[pair])}",
                    why="; ".join(reasons),
                    negotiated=negotiated,
                    settled=bool(concluded),
                    verdict=verdict,
                )
            )
        definition = _(
            "A relation counts as a dispute when its trust starts below %(floor)s, or when news "
            "or a sovereignty incident strikes it during play."
        ) % {"floor": STRAINED}
        if rows:
            intro = (
                definition
                + " "
                + _(
                    "Settled through diplomatic channels, with an agreement between the two "
                    "nations: %(settled)s of %(count)s."
                )
                % {"settled": settled, "count": len(rows)}
            )
        else:
            intro = definition + " " + _("No relation of this exercise was one.")
        return intro, rows

    def threats(self) -> tuple[str, list[ThreatRow]]:
        delivered = [
            i
            for i in self.r["injects"]
            if i["delivered_turn"] is not None and i["status"] != Inject.Status.SKIPPED
        ]
        answering: dict[str, set[str]] = {}
        for move in self.r["moves"]:
            if move["target_inject"]:
                answering.setdefault(move["target_inject"], set()).add(move["team"])
        rows = []
        for kind in InjectKind:
            injects = [i for i in delivered if i["kind"] == kind]
            if not injects:
                continue
            responded = [i for i in injects if i["responses"]]
            resolved = [i for i in injects if i["answered_turn"] is not None]
            delays = [i["turns_to_answer"] for i in resolved if i["turns_to_answer"] is not None]
            nations = set().union(*(answering.get(i["code"], set()) for i in injects))
            numbers = {"total": len(injects)}
            rows.append(
                ThreatRow(
                    kind=str(kind.label),
                    delivered=str(len(injects)),
                    responded=_("%(count)s of %(total)s") % (numbers | {"count": len(responded)}),
                    resolved=_("%(count)s of %(total)s") % (numbers | {"count": len(resolved)}),
                    turns=number(sum(delays) / len(delays)) if delays else NONE,
                    nations=", ".join(sorted(self.nation(code) for code in nations)) or NONE,
                )
            )
        intro = _(
            "For each kind of threat delivered: how many injects at least one nation responded "
            "to with a move, and how many were resolved, their pressure brought to zero. A "
            "threat can be answered and still not resolved; the turns are counted from delivery "
            "to resolution."
        )
        return intro, rows

    def pair(self, key: str) -> str:
        first, _sep, second = key.partition("-")
        return _("%(first)s and %(second)s") % {
            "first": self.nation(first),
            "second": self.nation(second),
        }

    def matrix(self, title: str, codes: list[str], values: dict[str, int]) -> TrustMatrix:
        def cell(a: str, b: str) -> TrustCell:
            if a == b:
                return TrustCell("", "t-none", "D9D9D9")
            value = values.get(f"{min(a, b)}-{max(a, b)}")
            if value is None:
                return TrustCell(NONE, "t-none", "F3F4F6")
            band = min(4, max(0, value // 20))
            return TrustCell(str(value), TRUST_BANDS[band], TRUST_FILLS[band])

        return TrustMatrix(title, codes, [(a, [cell(a, b) for b in codes]) for a in codes])

    # The improvement plan, participants and feedback -------------------------------------------

    def plan(self) -> tuple[str, str, list[PlanRow]]:
        exercise = self.r["exercise"]
        intro = _(
            "This improvement plan was developed for %(exercise)s. %(conducted)s It lists the "
            "corrective actions for the areas for improvement identified, with the "
            "organizations responsible for them and their dates."
        ) % {"exercise": exercise["title"], "conducted": self.conducted()}
        capabilities = {o["id"]: _local(o, "capability") for o in self.r["scenario"]["objectives"]}
        items = self.r["improvement_plan"]
        note = ""
        if not items:
            items = [
                {"objective": o["objective"], "issue": o["text"]}
                for o in self.r["observations"]
                if o["kind"] == "improvement"
            ]
            note = (
                _(
                    "Prefilled with the areas for improvement the evaluators recorded: the "
                    "facilitator has not yet agreed the plan at the hotwash."
                )
                if items
                else _("No area for improvement was recorded.")
            )
        rows = []
        for item in items:
            values = {
                "corrective_action": item.get("corrective_action") or "",
                "element": label(CapabilityElement, item.get("element")),
                "organisation": item.get("organisation") or "",
                "point_of_contact": item.get("point_of_contact") or "",
                "start": day(item.get("start")),
                "completion": day(item.get("completion")),
            }
            rows.append(
                PlanRow(
                    objective=item.get("objective") or "",
                    capability=item.get("core_capability")
                    or capabilities.get(item.get("objective"), ""),
                    issue=item["issue"],
                    empty=not any(values.values()),
                    **values,
                )
            )
        if any(row.empty for row in rows):
            note = " ".join(
                filter(
                    None,
                    [
                        note,
                        _(
                            "Rows marked “To be assigned” have no corrective action, "
                            "organization or dates yet."
                        ),
                    ],
                )
            )
        return intro, note, rows

    def feedback(self) -> tuple[str, list[FeedbackQuestion]]:
        feedback = self.r["feedback"]
        count = len(feedback["responses"])
        if not count:
            return _("No participant has answered the feedback form yet."), []
        intro = ngettext(
            "%(count)s participant answered the feedback form. Answers are anonymous unless "
            "the participant asked to be named.",
            "%(count)s participants answered the feedback form. Answers are anonymous unless "
            "the participant asked to be named.",
            count,
        ) % {"count": count}
        questions = []
        for q in feedback_by_question(feedback):
            if q["kind"] == "scale":
                summary = q["summary"] or {}
                questions.append(
                    FeedbackQuestion(
                        prompt=q["prompt"],
                        scale=True,
                        count=summary.get("count", 0),
                        mean=number(summary.get("mean")),
                        distribution=[
                            summary.get("distribution", {}).get(str(p), 0) for p in range(1, 6)
                        ],
                    )
                )
            else:
                questions.append(
                    FeedbackQuestion(
                        prompt=q["prompt"],
                        scale=False,
                        answers=[FeedbackAnswer(a["text"], a["by"] or "") for a in q["answers"]],
                    )
                )
        return intro, questions


def _dash(value: Any) -> str:
    return NONE if value is None or value == "" else str(value)


def _counts(counter: Counter) -> str:
    return ", ".join(
        f"{count} {outcome_name(code).lower()}"
        for code, count in sorted(counter.items(), key=lambda i: (-i[1], str(i[0])))
    )


def _objective(analysis: ObjectiveAnalysis) -> str:
    return f"{analysis.code} ({analysis.title})"


def _rated(analysis: ObjectiveAnalysis) -> str:
    text = f"{analysis.letter}, {analysis.rating.lower()}"
    return text if analysis.confirmed else _("%(rating)s (proposed)") % {"rating": text}


# --- The event log, as the CSV gives it ----------------------------------------------------------


def _code_labels(report: Report, actions: dict[str, str]) -> dict[str, str]:
    """Every code an event's details may hold, with the words people read for it."""
    names: dict[str, str] = {}
    for choices in (InjectKind, Inject.Status, Move.Status, ArgumentRating, AgreementStatus,
                    ProposalStatus, ProposalParty.Answer, CapabilityElement, Role,
                    ExerciseStatus, AdjudicationMode, Channel):  # fmt: skip
        names.update({value: str(name) for value, name in choices.choices})
    names.update({code: str(name) for code, name in OUTCOME_LABELS.items()})
    names.update(actions)
    names.update({nation.code: nation.name for nation in report.nations})
    return names


def event_headers() -> list[str]:
    return [_("Time"), _("Turn"), _("Actor"), _("Team"), _("Event"), _("Details")]


def event_rows(report: Report, events: list[dict[str, Any]]) -> list[list[str]]:
    """The event log in words: one row per event, its kind, and its details named and given
    in the reader's language (codes by their names, an inject's title as translated, times
    and figures as the language writes them); the JSON download keeps them as recorded."""
    details = _EventDetails(report)
    return [
        [
            event["time"] or "",
            "" if event["turn"] is None else str(event["turn"]),
            event["actor"] or "",
            details.name(event["team"]) if event["team"] else "",
            event_label(event["kind"]),
            details.words(event["details"] or {}),
        ]
        for event in events
    ]


class _EventDetails:
    """An event's details (the payload the log keeps) in words."""

    def __init__(self, report: Report) -> None:
        self.names = _code_labels(report, report.actions)
        self.titles = {i["code"]: _local(i, "title") for i in report.record["injects"]}
        scenario = report.record["scenario"]
        self.names[scenario["slug"]] = _local(scenario, "title")

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    def words(self, details: dict[str, Any]) -> str:
        # In the order of the details' names: PostgreSQL keeps a JSON object's keys in an
        # order of its own, SQLite as written, and the log reads the same on both.
        return "; ".join(
            f"{DETAIL_LABELS.get(key, key.replace('_', ' '))}: {self.value(key, value, details)}"
            for key, value in sorted(details.items())
            if key != "about"  # the reason's parameters, worded with it
        )

    def value(self, key: str, value: Any, details: dict[str, Any]) -> str:
        if key == "title" and details.get("inject") in self.titles:
            return self.titles[details["inject"]]
        if key == "reason" and isinstance(value, str):
            return reason_text(value, details.get("about"), self.name) if value else NONE
        if key == "factors" and isinstance(value, dict):
            return ", ".join(
                f"{FACTOR_LABELS.get(name, name)} {signed(share, 3)}"
                for name, share in value.items()
            )
        if key in ("roll", "chance") and isinstance(value, int | float):
            return number(value, 3)
        if key in ("seconds", "seconds_left") and isinstance(value, int | float):
            minutes = round(value / 60)
            return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
        if key == "deadline" and isinstance(value, str):
            return moment(value)
        if key == "regional_stability" and isinstance(value, int | float):
            return number(value)
        return self.plain(value)

    def plain(self, value: Any) -> str:
        if isinstance(value, dict):
            return ", ".join(f"{self.plain(k)} {self.plain(v)}" for k, v in value.items()) or NONE
        if isinstance(value, list):
            return ", ".join(self.plain(item) for item in value) or NONE
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if value is None or value == "":
            return NONE
        return self.name(value) if isinstance(value, str) else str(value)
