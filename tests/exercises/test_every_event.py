"""Every change reaches every page that shows it, and only those.

For every kind of event the services record, performed through its service: every region of
every page is rendered for every role before and after (the control room as its facilitator,
each team's room as its player, the evaluator's page, the lobby). Each region whose HTML
changed must listen to a topic the event published (wargame/web/regions.py), its kept copy
must not hide the change, and the pulse must wake each page that shows a change with a topic
its region reloads on, and no player whose room did not change.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.exercises.conftest import A, B, People
from wargame.exercises import pulse
from wargame.exercises.models import Event, Exercise, Inject, Role
from wargame.exercises.pulse import EVERYTHING, pulse_changes, topic_of
from wargame.exercises.services import (
    inject_deliver,
    inject_hold,
    inject_release,
    inject_write,
    move_submit,
    move_withdraw,
    participant_add,
    team_mark_ready,
)
from wargame.negotiation.models import Agreement, Channel, Proposal
from wargame.negotiation.services import (
    agreement_leave,
    agreement_void,
    message_send,
    proposal_answer,
    proposal_counter,
    proposal_create,
    proposal_renew,
    proposal_withdraw,
)
from wargame.reports.services.observations import observation_record, task_rate
from wargame.scenarios.models import CriticalTask
from wargame.turns.bots import team_set_bot
from wargame.turns.services import (
    exercise_end,
    exercise_pause,
    exercise_resume,
    exercise_start,
    move_override,
    move_rate,
    turn_close,
    turn_extend,
    turn_publish,
)
from wargame.turns.tasks import bots_play
from wargame.web.regions import PAGES, listens_to

pytestmark = pytest.mark.django_db


@dataclass
class Play:
    exercise: Exercise
    people: People
    kept: dict[str, Any] = field(default_factory=dict)

    def inject(self, code: str) -> Inject:
        return self.exercise.injects.get(code=code)

    def fresh(self) -> Exercise:
        return Exercise.objects.get(pk=self.exercise.pk)


TERMS = {A: {"points": 0, "terms": "Shared radar picture."}, B: {"points": 0, "terms": ""}}


def _propose(play: Play) -> Proposal:
    return proposal_create(
        actor=play.people.player_a, team=play.people.team_a, parties=[play.people.team_b],
        action="intel_sharing", commitments=TERMS, duration=2, note="Radar.",
    )  # fmt: skip


def _agree(play: Play) -> Agreement:
    proposal = _propose(play)
    proposal_answer(actor=play.people.player_b, proposal=proposal, team=play.people.team_b,
                    accept=True)  # fmt: skip
    return Agreement.objects.get(proposal=proposal)


def _move(play: Play, team: str = A):
    people = play.people
    player, seat = (
        (people.player_a, people.team_a) if team == A else (people.player_b, people.team_b)
    )
    return move_submit(actor=player, team=seat, action="public_statement", rationale="Calm.")


def _review(play: Play) -> None:
    exercise = play.exercise
    exercise.adjudication_mode = Exercise.AdjudicationMode.REVIEW
    exercise.save(update_fields=["adjudication_mode"])
    play.kept["move"] = _move(play)
    turn_close(exercise_id=exercise.pk, turn_number=1, actor=play.people.facilitator, reason="t")


def _rate_task(play: Play) -> object:
    objective = play.exercise.scenario.objectives.order_by("position").first()
    task = CriticalTask.objects.create(objective=objective, code="T1", title="Agree who leads",
                                       prompt="Who led?")  # fmt: skip
    return task_rate(actor=play.people.evaluator, exercise=play.exercise, task_id=task.pk,
                     rating="S", comment="Late.")  # fmt: skip


def _send(channel: str, by: str = A) -> Callable[[Play], object]:
    def act(play: Play) -> object:
        people = play.people
        if by == "F":
            return message_send(actor=people.facilitator, exercise=play.exercise,
                                channel=channel, body="From control.")  # fmt: skip
        return message_send(
            actor=people.player_a, exercise=play.exercise, channel=channel, body="Hola",
            other=people.team_b if channel == Channel.BILATERAL else None,
        )  # fmt: skip

    return act


# Each kind of event: what must be true before ("draft": not started; None: running in turn 1,
# inject M-01 delivered; or what to do then), and the service that records it.
Setup = Callable[[Play], object] | str | None
CASES: dict[str, tuple[Setup, Callable[[Play], object]]] = {
    "exercise.started": (
        "draft",
        lambda p: exercise_start(actor=p.people.facilitator, exercise=p.exercise),
    ),
    "participant.added": (
        None,
        lambda p: participant_add(
            actor=p.people.facilitator,
            exercise=p.exercise,
            role=Role.PLAYER,
            user=get_user_model().objects.create_user("late", first_name="Tardío"),
            team=p.people.team_a,
        ),
    ),
    "move.submitted": (None, _move),
    # Forces offered to another nation: its room shows the offer, to consent to or decline.
    "move.submitted (offer)": (
        None,
        lambda p: move_submit(
            actor=p.people.player_a,
            team=p.people.team_a,
            action="hadr",
            target_team=p.people.team_b,
        ),
    ),
    "move.withdrawn": (
        lambda p: p.kept.update(move=_move(p)),
        lambda p: move_withdraw(actor=p.people.player_a, move=p.kept["move"]),
    ),
    "team.ready": (None, lambda p: team_mark_ready(actor=p.people.player_a, team=p.people.team_a)),
    "team.not_ready": (
        lambda p: team_mark_ready(actor=p.people.player_a, team=p.people.team_a),
        lambda p: team_mark_ready(actor=p.people.player_a, team=p.people.team_a, ready=False),
    ),
    # The bot plays in a worker after the commit: here, at once, in the same block.
    "team.bot": (
        None,
        lambda p: (
            team_set_bot(actor=p.people.facilitator, team=p.people.team_b, bot=True),
            bots_play(p.exercise.pk, p.fresh().current_turn, p.people.team_b.pk),
        ),
    ),
    "team.people": (
        lambda p: (
            team_set_bot(actor=p.people.facilitator, team=p.people.team_b, bot=True),
            bots_play(p.exercise.pk, p.fresh().current_turn, p.people.team_b.pk),
        ),
        lambda p: team_set_bot(actor=p.people.facilitator, team=p.people.team_b, bot=False),
    ),
    "inject.delivered": (
        None,
        lambda p: inject_deliver(actor=p.people.facilitator, inject=p.inject("M-02")),
    ),
    "inject.delivered (ad hoc)": (
        None,
        lambda p: inject_write(
            actor=p.people.facilitator,
            exercise=p.exercise,
            kind="flood",
            title="Rain in Jimaní",
            message="The river rises.",
            to=[A],
        ),
    ),
    "inject.held": (
        None,
        lambda p: inject_hold(actor=p.people.facilitator, inject=p.inject("M-02")),
    ),
    "inject.released": (
        lambda p: inject_hold(actor=p.people.facilitator, inject=p.inject("M-02")),
        lambda p: inject_release(actor=p.people.facilitator, inject=p.inject("M-02")),
    ),
    "exercise.paused": (
        None,
        lambda p: exercise_pause(actor=p.people.facilitator, exercise=p.exercise),
    ),
    "exercise.resumed": (
        lambda p: exercise_pause(actor=p.people.facilitator, exercise=p.exercise),
        lambda p: exercise_resume(actor=p.people.facilitator, exercise=p.fresh()),
    ),
    "turn.extended": (
        None,
        lambda p: turn_extend(actor=p.people.facilitator, exercise=p.exercise, seconds=300),
    ),
    "turn.closed (published)": (
        lambda p: p.kept.update(move=_move(p)),
        lambda p: turn_close(
            exercise_id=p.exercise.pk, turn_number=1, actor=p.people.facilitator, reason="t"
        ),
    ),
    "turn.closed (for review)": (
        lambda p: (
            setattr(p.exercise, "adjudication_mode", "review"),
            p.exercise.save(update_fields=["adjudication_mode"]),
            _move(p),
        ),
        lambda p: turn_close(
            exercise_id=p.exercise.pk, turn_number=1, actor=p.people.facilitator, reason="t"
        ),
    ),
    "move.rated": (
        _review,
        lambda p: move_rate(actor=p.people.facilitator, move=p.kept["move"], rating="strong"),
    ),
    "move.overridden": (
        _review,
        lambda p: move_override(
            actor=p.people.facilitator, move=p.kept["move"], success=True, reason="Seen."
        ),
    ),
    "turn.published": (
        _review,
        lambda p: turn_publish(actor=p.people.facilitator, exercise=p.fresh()),
    ),
    "proposal.made": (None, _propose),
    "proposal.rejected": (
        lambda p: p.kept.update(proposal=_propose(p)),
        lambda p: proposal_answer(
            actor=p.people.player_b, proposal=p.kept["proposal"], team=p.people.team_b, accept=False
        ),
    ),
    "proposal.accepted (agreement.concluded)": (None, _agree),
    "proposal.countered": (
        lambda p: p.kept.update(proposal=_propose(p)),
        lambda p: proposal_counter(
            actor=p.people.player_b,
            proposal=p.kept["proposal"],
            team=p.people.team_b,
            commitments=TERMS,
            duration=3,
            note="Three turns.",
        ),
    ),
    "proposal.withdrawn": (
        lambda p: p.kept.update(proposal=_propose(p)),
        lambda p: proposal_withdraw(actor=p.people.player_a, proposal=p.kept["proposal"]),
    ),
    "proposal.renewed": (
        lambda p: p.kept.update(proposal=_propose(p)),
        lambda p: proposal_renew(
            actor=p.people.player_a, proposal=p.kept["proposal"], team=p.people.team_a
        ),
    ),
    "agreement.leaving": (
        lambda p: p.kept.update(agreement=_agree(p)),
        lambda p: agreement_leave(
            actor=p.people.player_a, agreement=p.kept["agreement"], team=p.people.team_a
        ),
    ),
    "agreement.voided": (
        lambda p: p.kept.update(agreement=_agree(p)),
        lambda p: agreement_void(
            actor=p.people.facilitator, agreement=p.kept["agreement"], reason="Broken."
        ),
    ),
    "message.sent (team)": (None, _send(Channel.TEAM)),
    "message.sent (bilateral)": (None, _send(Channel.BILATERAL)),
    "message.sent (plenary)": (None, _send(Channel.PLENARY)),
    "message.sent (broadcast)": (None, _send(Channel.BROADCAST, by="F")),
    "observation.recorded": (
        None,
        lambda p: observation_record(
            actor=p.people.evaluator,
            exercise=p.exercise,
            kind="strength",
            objective_id=None,
            text="Good coordination.",
            turn=1,
        ),
    ),
    "task.rated": (None, lambda p: _rate_task(p)),
    "exercise.finished": (
        None,
        lambda p: exercise_end(
            actor=p.people.facilitator, exercise=p.fresh(), reason="Time is up."
        ),
    ),
}


@dataclass(frozen=True)
class Viewer:
    page: str
    who: str  # a key of People.by_key
    nation: str | None = None  # a team room's nation

    @property
    def pulse_team(self) -> str | None:
        """What the page's pulse is asked about: a player's own nation; watchers, all."""
        return self.nation if self.page == "team" else None

    def url(self, code: str) -> str:
        if self.page == "team":
            return reverse("exercises:team", args=[code, self.nation])
        return reverse(f"exercises:{self.page}", args=[code])


VIEWERS = (
    Viewer("control", "F"),
    Viewer("team", "A", A),
    Viewer("team", "B", B),
    Viewer("evaluate", "E"),
    Viewer("lobby", "F"),
    Viewer("projector", "F"),
)
# What differs between two answers of the same page without any change.
NOISE = [
    (re.compile(r'(csrfmiddlewaretoken" value=")[^"]*"'), r'\1"'),
    (re.compile(r'(idempotency_key" value=")[^"]*"'), r'\1"'),
    (re.compile(r'datetime="[^"]*"'), 'datetime=""'),
    (re.compile(r"\b\d\d:\d\d\b"), "00:00"),
    # The lobby's invite links are signed anew each hour, and their QR codes with them.
    (re.compile(r"/accounts/join/[^\"<\s]+"), "/accounts/join/"),
    (re.compile(r'<div class="qr">.*?</div>', re.S), ""),
]


def regions_of(html: str, page: str) -> dict[str, str]:
    """Each region of the page, as its element's HTML, normalised."""
    for pattern, replacement in NOISE:
        html = pattern.sub(replacement, html)
    found = {}
    for name in PAGES[page].regions:
        start = re.search(rf'<(\w+) id="{re.escape(name)}"', html)
        if start is None:
            found[name] = ""  # not shown in this state
            continue
        tag, depth, at = start.group(1), 0, start.start()
        for mark in re.finditer(rf"<(/?){tag}\b", html[at:]):
            depth += -1 if mark.group(1) else 1
            if depth == 0:
                found[name] = html[at : at + html.index(">", at + mark.start()) + 1 - at]
                break
    return found


def render_all(play: Play, clients: dict[Viewer, Client]) -> dict[Viewer, dict[str, str]]:
    pages = {}
    for viewer, client in clients.items():
        response = client.get(viewer.url(play.exercise.code))
        assert response.status_code == 200, (viewer, response.status_code)
        html = response.content.decode()
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), (viewer, sorted({i for i in ids if ids.count(i) > 1}))
        pages[viewer] = regions_of(html, viewer.page)
    return pages


@pytest.fixture(autouse=True)
def fresh_pulse(monkeypatch: pytest.MonkeyPatch) -> None:
    cache.clear()
    monkeypatch.setattr(pulse, "MEMO_SECONDS", 0)


@pytest.mark.parametrize("kind", list(CASES))
def test_every_event_reaches_every_page_that_shows_it(
    kind: str,
    exercise: Exercise,
    people: People,
    client_for,
    django_capture_on_commit_callbacks,
) -> None:
    setup, act = CASES[kind]
    play = Play(exercise, people)
    with django_capture_on_commit_callbacks(execute=True):
        if setup != "draft":
            exercise_start(actor=people.facilitator, exercise=exercise)
            if setup is not None:
                setup(play)  # type: ignore[operator]
    clients = {viewer: client_for(people.by_key(viewer.who)) for viewer in VIEWERS}
    before = render_all(play, clients)
    seen = play.fresh().version
    last_event = Event.objects.order_by("-pk").values_list("pk", flat=True).first()

    with django_capture_on_commit_callbacks(execute=True):
        act(play)

    kinds = list(Event.objects.filter(pk__gt=last_event).values_list("kind", flat=True))
    assert kinds, "the service recorded no event"
    published = {topic_of(k) for k in kinds}
    woken = {viewer: pulse_changes(exercise.code, seen, viewer.pulse_team) for viewer in VIEWERS}
    served = render_all(play, clients)
    cache.clear()  # no copy: every region rendered from the database
    after = render_all(play, clients)

    for viewer in VIEWERS:
        page = PAGES[viewer.page]
        changed = [
            name
            for name in page.regions
            if name != page.whole and before[viewer][name] != after[viewer][name]
        ]
        for name in page.regions:
            # A kept copy never hides a change.
            assert served[viewer][name] == after[viewer][name], (viewer, name, "stale copy")
        answer = woken[viewer]
        for name in changed:
            listens = set(listens_to(viewer.page, name)) | (
                set(listens_to(viewer.page, page.whole)) if page.whole else set()
            )
            assert listens & published, (kinds, viewer, name, "does not listen", published)
            assert answer is not None, (kinds, viewer, name, "the page is not woken")
            assert listens & set(answer[1]), (kinds, viewer, name, answer)
        if viewer.page == "team" and not changed:
            # A player whose room did not change is not woken by another nation's change.
            assert answer is None or answer[1] == list(EVERYTHING), (kinds, viewer, answer)
