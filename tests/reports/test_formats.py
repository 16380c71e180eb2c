"""Every format of the report says the same facts, in words: an exercise ended during a turn,
rendered as PDF, HTML, Word, CSV and the team debrief."""

import csv
import datetime
import html
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import docx
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx.oxml.ns import qn

from tests.conftest import SCENARIO_DIR
from tests.kept import made_once
from tests.pdf import pdf_text
from wargame.exercises.models import Exercise
from wargame.exercises.services import move_submit
from wargame.negotiation.models import AgreementStatus, ProposalStatus
from wargame.negotiation.services import proposal_answer, proposal_counter, proposal_create
from wargame.reports.files import render_format, render_formats
from wargame.reports.model import Report, report_for
from wargame.reports.models import CapabilityElement, Observation
from wargame.reports.selectors import rating_proposal
from wargame.reports.services import task_rate
from wargame.reports.services.hotwash import improvement_item_save, rating_confirm
from wargame.scenarios.models import InjectKind, Scenario
from wargame.turns.management.commands.simulate import simulate
from wargame.turns.services import exercise_end, move_rate

STRENGTH = "Haiti's port authority briefed every delegation within the turn."
GAP = "Coast guard patrol schedules were not shared with Jamaica."
COUNTER_NOTE = "Two points from us is too much this turn; one each, for two turns."
OPEN_NOTE = "A standing channel for hurricane warnings."
ENDEX_REASON = "The hall was needed for the minister's visit."
COMMENT = "Delegations did coordinate, but only after the second warning."
ACTION = "Stand up a combined Caribbean maritime coordination cell."
TASK_SEEN = "Relief offers waited two turns for Haiti's request."
# Codes the game keeps that must never reach a reader (codes that are also the word, such as
# `pending` for "Pending", are left out: the check could not tell them apart).
CODES = [
    "hadr", "intel_sharing", "maritime_patrol", "public_statement", "trafficking_surge",
    "migration_wave", "border_incident", "in_force", "very_strong", "planning",
]  # fmt: skip


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.skip = tag in ("style", "script", "title")
        if tag in ("br", "p", "li", "tr", "td", "th", "h1", "h2", "h3", "div"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.skip = False
        self.parts.append(" " if tag in ("td", "th", "p", "li") else "")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _flat(text: str) -> str:
    return " ".join(text.split())


def html_text(content: str) -> str:
    parser = _Text()
    parser.feed(content)
    return _flat(html.unescape("".join(parser.parts)))


def word_text(content: bytes) -> str:
    """Each paragraph's text (body, tables, header and footer), a paragraph to a line."""
    document = docx.Document(io.BytesIO(content))
    parts = [document.element.body]
    for section in document.sections:
        parts += [section.header._element, section.footer._element]
    lines = []
    for part in parts:
        for paragraph in part.iter(qn("w:p")):
            lines.append("".join(t.text or "" for t in paragraph.iter(qn("w:t"))))
    return _flat("\n".join(lines))


@pytest.fixture(scope="module")
def _ended_mid_turn_once(django_db_setup: None, django_db_blocker) -> Iterator[int]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield made_once("ended mid-turn", _end_mid_turn)
        transaction.set_rollback(True)


@pytest.fixture
def ended_mid_turn(_ended_mid_turn_once: int, db: None) -> Exercise:
    cache.clear()  # as `played` does
    return Exercise.objects.select_related("scenario").get(pk=_ended_mid_turn_once)


def _end_mid_turn() -> int:
    """caribbean-storm played by bots for four turns, then in turn 5: a counter-proposal
    with a note that is then rejected, a proposal left open, moves not yet adjudicated, one
    argument rated; an observation of each kind, a rating that departs from its proposal, an
    improvement plan with one row filled in and one not; ended by the facilitator."""
    call_command("load_scenario", str(SCENARIO_DIR), stdout=io.StringIO())
    scenario = Scenario.objects.get(slug="caribbean-storm")
    code = simulate(scenario, seed=4, turns=4)["exercise"]
    exercise = Exercise.objects.get(code=code)
    User = get_user_model()
    director = User.objects.get(username="simulation-director")
    bots = {code: User.objects.get(username=f"bot-{code}") for code in ("HTI", "DOM", "JAM")}
    teams = {team.nation_code: team for team in exercise.teams.all()}
    terms = {"points": 2, "terms": "Joint patrols off Cap-Haïtien."}
    refused = proposal_create(
        actor=bots["HTI"], team=teams["HTI"], parties=[teams["DOM"]], action="maritime_patrol",
        commitments={"HTI": terms, "DOM": terms}, duration=2, note="Patrols for the storm.",
    )  # fmt: skip
    one = {"points": 1, "terms": "One cutter each."}
    proposal_counter(
        actor=bots["DOM"], proposal=refused, team=teams["DOM"],
        commitments={"HTI": one, "DOM": one}, duration=2, note=COUNTER_NOTE,
    )  # fmt: skip
    refused.refresh_from_db()
    if refused.status == ProposalStatus.OPEN:
        proposal_answer(actor=bots["HTI"], proposal=refused, team=teams["HTI"], accept=False)
    proposal_create(
        actor=bots["JAM"], team=teams["JAM"], parties=[teams["HTI"]], action="intel_sharing",
        commitments={"JAM": one, "HTI": one}, duration=3, note=OPEN_NOTE,
    )  # fmt: skip
    inject = exercise.injects.filter(status="delivered").order_by("pk").first()
    assert inject is not None
    move = move_submit(
        actor=bots["HTI"], team=teams["HTI"], action="hadr", target_inject=inject,
        rationale="Relief flights from Santo Domingo.",
    )  # fmt: skip
    move_rate(actor=director, move=move, rating="very_strong")
    objectives = list(scenario.objectives.order_by("position"))
    Observation.objects.create(exercise=exercise, objective=objectives[0], turn=3,
                               kind=Observation.Kind.STRENGTH, text=STRENGTH)  # fmt: skip
    Observation.objects.create(exercise=exercise, objective=objectives[1], turn=4,
                               kind=Observation.Kind.IMPROVEMENT, text=GAP)  # fmt: skip
    task = objectives[0].tasks.order_by("position").first()
    task_rate(actor=director, exercise=exercise, task_id=task.pk, rating="M", comment=TASK_SEEN)
    exercise_end(actor=director, exercise=exercise, reason=ENDEX_REASON)
    exercise.refresh_from_db()
    proposed = rating_proposal(exercise, objectives[0])["proposed"]
    other = "U" if proposed != "U" else "P"
    rating_confirm(actor=director, exercise=exercise, objective=objectives[0], rating=other,
                   comment=COMMENT)  # fmt: skip
    improvement_item_save(
        actor=director, exercise=exercise, objective=objectives[1], issue=GAP,
        corrective_action=ACTION, element=CapabilityElement.PLANNING,
        organisation="Caribbean Community (CARICOM) IMPACS", point_of_contact="Cdr. L. Brown",
        start=datetime.date(2027, 1, 15), completion=datetime.date(2027, 6, 30),
    )  # fmt: skip
    improvement_item_save(actor=director, exercise=exercise, objective=None,
                          issue="Translate the MSEL into Haitian Creole.")  # fmt: skip
    return exercise.pk


def _facts(report: Report) -> list[str]:
    """What every format of the report must say."""
    facts = [report.title, report.handling]
    end = report.trust[-1]
    assert end.title == "At the end (after turn 4)"
    facts.append(end.title)
    # The trust at the end is the last adjudicated turn's, not an empty grid.
    assert all(
        cell.value.isdigit()
        for code, cells in end.rows
        for other, cell in zip(end.codes, cells, strict=True)
        if other != code
    )
    # Each nation's indicators from start to end, support at home included.
    assert all("→" in nation.support for nation in report.nations)
    for nation in report.nations:
        facts += [nation.name, nation.stability, nation.capacity, nation.support]
    for negotiation in report.agreements + report.proposals:
        facts += [negotiation.title, negotiation.facts]
        for round_ in negotiation.rounds:
            if round_.note:
                facts.append(round_.note)
    assert any(TASK_SEEN in t.line for a in report.analysis for t in a.tasks)
    for analysis in report.analysis:
        facts += [analysis.heading, analysis.rating, *(t.line for t in analysis.tasks)]
        if analysis.comment:
            facts.append(analysis.comment)
    effectiveness = report.effectiveness
    # The seed's indicators: trust with the pairs that moved most and why, the disputes and
    # whether they were settled, the answer to each threat, responded and resolved apart.
    facts += [effectiveness.trust_summary, effectiveness.disputes_intro]
    assert effectiveness.trust_shifts and all(t.causes for t in effectiveness.trust_shifts)
    for shift in effectiveness.trust_shifts:
        facts += [shift.pair, shift.change, *shift.causes]
    for dispute in effectiveness.disputes:
        facts += [dispute.pair, dispute.why, dispute.verdict]
    assert effectiveness.threats
    for threat in effectiveness.threats:
        facts += [threat.kind, threat.responded, threat.resolved, threat.nations]
    for row in report.plan:
        facts += [row.issue]
        filled = (row.corrective_action, row.organisation, row.point_of_contact, row.start,
                  row.completion)  # fmt: skip
        facts += [value for value in filled if value]
    return facts


@pytest.mark.django_db
def test_every_format_says_the_same_facts_in_words(ended_mid_turn: Exercise) -> None:
    exercise = ended_mid_turn
    report = report_for(exercise, charts=False)
    # The exercise as it ended: a counter-proposal that came to nothing, one still open.
    assert {p.status for p in report.proposals} >= {"Rejected", "Open"}
    assert any(n.status == str(AgreementStatus.IN_FORCE.label) for n in report.agreements)
    facts = _facts(report)
    assert COUNTER_NOTE in facts and OPEN_NOTE in facts and COMMENT in facts
    assert "Jan. 15, 2027" in facts and "June 30, 2027" in facts  # the language's own format
    assert report.plan[1].empty and not report.plan[0].empty

    files = render_formats(exercise, ["pdf", "html", "docx", "csv"])
    texts = {
        "pdf": pdf_text(files["pdf"]),
        "html": html_text(files["html"].decode()),
        "docx": word_text(files["docx"]),
    }
    for fmt, text in texts.items():
        missing = [fact for fact in facts if _flat(fact) not in text]
        assert not missing, (fmt, missing)
        assert "To be assigned" in text, fmt  # the plan row nobody has filled in
        assert "Planning" in text and "Very strong" in text, fmt
        assert str(InjectKind.TRAFFICKING_SURGE.label) in text, fmt
        # Moves of the turn that was never adjudicated are named by their team.
        assert "Turn 5: Haiti (not adjudicated)" in text, fmt
        # When and why play stopped.
        assert "ENDEX in turn 5 of 8" in text, fmt
        assert _flat(f"before the last turn: {ENDEX_REASON}") in text, fmt
    rows = list(csv.reader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    texts["csv"] = _flat(" ".join(" ".join(row) for row in rows))
    assert rows[0] == ["Time", "Turn", "Actor", "Team", "Event", "Details"]
    assert "Counter-proposal sent" in texts["csv"] and "Rating confirmed" in texts["csv"]
    assert "Maritime patrol" in texts["csv"] or "maritime" in texts["csv"].lower()

    client = Client()
    client.force_login(get_user_model().objects.get(username="simulation-director"))
    page = client.get(reverse("exercises:debrief", args=[exercise.code, "HTI"]))
    assert page.status_code == 200
    texts["debrief"] = html_text(page.content.decode())
    haiti = [n for n in report.agreements + report.proposals if "HTI" in n.parties]
    for negotiation in (n for n in haiti if n.agreed):
        assert negotiation.title in texts["debrief"]
    assert "Relief flights from Santo Domingo." in texts["debrief"]

    for fmt, text in texts.items():
        found = [code for code in CODES if re.search(rf"\b{code}\b", text)]
        assert not found, (fmt, found)


@pytest.mark.django_db
def test_dates_and_numbers_follow_the_language(ended_mid_turn: Exercise) -> None:
    with translation.override("es"):
        report = report_for(ended_mid_turn, charts=False)
    dates = {row.start for row in report.plan} | {row.completion for row in report.plan}
    assert "15 de enero de 2027" in dates and "30 de junio de 2027" in dates


@pytest.mark.django_db
def test_one_reading_serves_every_format(
    ended_mid_turn: Exercise, django_assert_max_num_queries
) -> None:
    report = report_for(ended_mid_turn, charts=False)
    with django_assert_max_num_queries(3):  # the version and the event log, nothing else
        render_formats_from(report, ended_mid_turn)


def render_formats_from(report: Report, exercise: Exercise) -> None:
    for fmt in ("html", "docx", "csv", "json"):
        render_format(exercise, fmt, report=report)
