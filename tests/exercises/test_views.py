"""The exercise pages: who may open what, what each one sees, the HTMX partials, CSRF, forms
that keep the player's work, and page queries that do not grow with the exercise."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, resolve, reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from tests.conftest import MINIMAL
from tests.exercises.conftest import A, B, People
from tests.factories.exercises import synthetic_exercise
from tests.factories.scenarios import synthetic_spec
from wargame.accounts.invites import invite_token
from wargame.exercises.models import Exercise, Inject, Move, Role, Team
from wargame.exercises.pulse import pulse_key, pulse_state, pulse_store
from wargame.exercises.services import inject_deliver, inject_hold, move_submit, participant_add
from wargame.lib.markdown import render_markdown
from wargame.negotiation.models import Agreement, ChannelRead, Message, Proposal
from wargame.negotiation.services import proposal_answer, proposal_create
from wargame.reports.models import (
    ExecutiveSummary,
    FeedbackResponse,
    ImprovementItem,
    ObjectiveRating,
    Observation,
    TaskRating,
)
from wargame.reports.services.hotwash import improvement_item_save
from wargame.scenarios.fileformat import parse_scenario_file
from wargame.scenarios.models import CriticalTask, Objective, ScenarioNation
from wargame.scenarios.selectors import scenario_latest
from wargame.scenarios.services import scenario_load, simulation_request
from wargame.turns.services import (
    exercise_end,
    exercise_pause,
    exercise_start,
    turn_close,
    turn_publish,
)
from wargame.web.shared import room_regions

pytestmark = pytest.mark.django_db
User = get_user_model()

USERS = ("anon", "A", "B", "E", "S", "F")
LOGIN = "login"  # 302 to the sign-in page, with ?next= back here

# What team B keeps from team A: its move's reasons and intended result (typed below), its
# private briefing and the private part of inject M-01 (from the minimal scenario).
B_RATIONALE = "Reasoning known only to Haiti: reopen Jacmel first"
B_INTENT = "Haiti wants the southern ports reopened"
B_PRIVATE_INJECT = "Your southern ports are closed."


def htmx(target: str | None = None) -> dict[str, str]:
    headers = {"HX-Request": "true"}
    if target:
        headers["HX-Target"] = target
    return headers


# --- The exercise in the state a request needs --------------------------------------------


@dataclass
class Scene:
    exercise: Exercise
    people: People
    move_a: Move | None = None
    move_b: Move | None = None
    proposal: Proposal | None = None  # from A to B, open
    agreement: Agreement | None = None  # between A and B, in force
    item: ImprovementItem | None = None  # a row of the improvement plan, once ended
    before: dict[str, object] = field(default_factory=dict)

    def inject(self, code: str) -> Inject:
        return self.exercise.injects.get(code=code)

    def fresh(self) -> Exercise:
        return Exercise.objects.get(pk=self.exercise.pk)

    def objective(self) -> Objective:
        return Objective.objects.get(scenario=self.exercise.scenario, code="OBJ-1")

    @property
    def task(self) -> CriticalTask:
        """A critical task of OBJ-1 (the minimal scenario has none of its own)."""
        task, _created = CriticalTask.objects.get_or_create(
            objective=self.objective(), code="T1",
            defaults={"title": "Agree who delivers relief where", "prompt": "Who led?"},
        )  # fmt: skip
        return task


def build_scene(state: str, exercise: Exercise, people: People) -> Scene:
    """draft: not started; running: turn 1 open, one move by A and one by B; paused; held:
    running with M-02 held; review: review mode, turn 1 closed with the moves awaiting review;
    ended: the running exercise ended, with one row in its improvement plan."""
    scene = Scene(exercise, people)
    if state == "draft":
        return scene
    facilitator = people.facilitator
    if state == "review":
        exercise.adjudication_mode = Exercise.AdjudicationMode.REVIEW
        exercise.save(update_fields=["adjudication_mode"])
    exercise_start(actor=facilitator, exercise=exercise)
    scene.move_a = move_submit(
        actor=people.player_a, team=people.team_a, action="public_statement",
        intended_result="Calm the border", rationale="The Dominican view",
    )  # fmt: skip
    scene.move_b = move_submit(
        actor=people.player_b, team=people.team_b, action="hadr",
        target_inject=scene.inject("M-01"), intended_result=B_INTENT, rationale=B_RATIONALE,
    )  # fmt: skip
    terms = {A: {"points": 0, "terms": "Radar tracks"}, B: {"points": 0, "terms": ""}}
    agreed = proposal_create(
        actor=people.player_a, team=people.team_a, parties=[people.team_b],
        action="intel_sharing", commitments=terms, duration=2,
    )  # fmt: skip
    proposal_answer(actor=people.player_b, proposal=agreed, team=people.team_b, accept=True)
    scene.agreement = Agreement.objects.get(proposal=agreed)
    scene.proposal = proposal_create(
        actor=people.player_a, team=people.team_a, parties=[people.team_b], action="hadr",
        commitments=terms, duration=2,
    )  # fmt: skip
    if state == "paused":
        exercise_pause(actor=facilitator, exercise=exercise)
    elif state == "held":
        inject_hold(actor=facilitator, inject=scene.inject("M-02"))
    elif state == "review":
        turn_close(exercise_id=exercise.pk, turn_number=1, actor=facilitator, reason="test")
    elif state == "ended":
        exercise_end(actor=facilitator, exercise=exercise, reason="Time is up.")
        scene.item = improvement_item_save(
            actor=facilitator, exercise=exercise, objective=scene.objective(),
            issue="Radar tracks reached Haiti late",
        )  # fmt: skip
    exercise.refresh_from_db()
    scene.before = {
        "deadline": exercise.turn_deadline,
        "invite": people.team_a.invite_token,
    }
    return scene


# --- Every request, by name: (url, POST data or None for a GET) ------------------------------

Request = Callable[[Scene, str], tuple[str, dict | None]]


def _page(name: str, *args: object) -> Request:
    return lambda scene, code: (reverse(name, args=[code, *args]), None)


def _action(name: str, data: dict | None = None, *args: object) -> Request:
    return lambda scene, code: (reverse(name, args=[code, *args]), data or {})


def _inject(action: str) -> Request:
    return lambda scene, code: (
        reverse("exercises:inject", args=[code, scene.inject("M-02").pk, action]),
        {},
    )


def _review(action: str, data: dict) -> Request:
    return lambda scene, code: (
        reverse("exercises:move_review", args=[code, scene.move_b.pk, action]),
        data,
    )


class Rewound(SimpleUploadedFile):
    """A file the test client sends again for each user: read from its start each time."""

    def read(self, *args: int) -> bytes:
        self.seek(0)
        return super().read(*args)


def _studio(name: str, data: dict | None = None, *args: object) -> Request:
    """A page of the exercise's scenario."""
    return lambda scene, code: (
        reverse(name, args=[scene.exercise.scenario.slug, *args]),
        data,
    )


def _upload(name: str, data: dict | None = None) -> Request:
    return lambda scene, code: (reverse(name), data)


STORMIER = MINIMAL.read_text(encoding="utf-8").replace("severity: 4", "severity: 5")

REQUESTS: dict[str, Request] = {
    "home": lambda scene, code: (reverse("home"), None),
    "scenario library": lambda scene, code: (reverse("scenarios:library"), None),
    "scenario page": _studio("scenarios:detail"),
    "scenario: upload": _upload("scenarios:upload"),
    "scenario: check a file": _upload(
        "scenarios:upload", {"file": Rewound("minimal.yaml", STORMIER.encode())}
    ),
    "scenario: save a file": _upload(
        "scenarios:upload_apply",
        {"text": STORMIER, "name": "minimal.yaml", "kind": "scenario", "base": "1"},
    ),
    "scenario: YAML": _studio("scenarios:download_yaml"),
    "scenario: MSEL": _studio("scenarios:download_msel"),
    "scenario: versions": _studio("scenarios:versions"),
    "scenario: compare": _studio("scenarios:compare"),
    "scenario: restore": _studio("scenarios:restore", {}, 1),
    "scenario: editor": _studio("scenarios:edit"),
    "scenario: edit an inject": _studio(
        "scenarios:edit_save", {"code": "M-02", "base": "1", "action": "up"}, "inject"
    ),
    "scenario: copy": _studio("scenarios:duplicate", {"slug": "walked-copy", "title": "Copy"}),
    "scenario: simulate": _studio("scenarios:simulate", {"play": "bots", "runs": "5", "seed": "1"}),
    "scenario: simulation": lambda scene, code: (
        reverse(
            "scenarios:simulation",
            args=[
                scene.exercise.scenario.slug,
                simulation_request(scenario=scene.exercise.scenario, actor=None, runs=5).pk,
            ],
        ),
        None,
    ),
    "new exercise": lambda scene, code: (reverse("exercises:new"), None),
    "new exercise: create": lambda scene, code: (
        reverse("exercises:new"),
        {
            "scenario": scene.exercise.scenario_id,
            "title": "Drill",
            "minutes_per_turn": "20",
            "adjudication_mode": "automatic",
            "auto_advance": "on",
        },
    ),
    "lobby": _page("exercises:lobby"),
    "invites: revoke": _action("exercises:invite_revoke", {"team": A}),
    "control room": _page("exercises:control"),
    "projector": _page("exercises:projector"),
    "clock: start": _action("exercises:clock", {}, "start"),
    "clock: pause": _action("exercises:clock", {}, "pause"),
    "clock: resume": _action("exercises:clock", {}, "resume"),
    "clock: extend": _action("exercises:clock", {"minutes": "5"}, "extend"),
    "clock: close": _action("exercises:clock", {}, "close"),
    "clock: publish": _action("exercises:clock", {}, "publish"),
    "clock: end": _action("exercises:clock", {"reason": "The hall closes early"}, "end"),
    "inject: deliver": _inject("deliver"),
    "inject: hold": _inject("hold"),
    "inject: release": _inject("release"),
    "inject: new": _action(
        "exercises:inject_new",
        {
            "kind": "hurricane",
            "title": "Ad hoc storm",
            "message": "Rain.",
            "originator": "Control",
            "to": [A],
            "severity": "3",
        },
    ),
    "move: rate": _review("rate", {"rating": "strong"}),
    "move: override": _review("override", {"success": "1", "reason": "A strong case"}),
    "team room A": _page("exercises:team", A),
    "team room B": _page("exercises:team", B),
    "team A: submit move": _action(
        "exercises:move_new",
        {
            "action": "intel_sharing",
            "target_team": "",
            "target_inject": "",
            "resources": "",
            "intended_result": "Share radar tracks",
            "rationale": "",
            "idempotency_key": "walk",
        },
        A,
    ),
    "team A: withdraw": lambda scene, code: (
        reverse("exercises:move_withdraw", args=[code, A, scene.move_a.pk]),
        {},
    ),
    "team A: ready": _action("exercises:ready", {"ready": "1"}, A),
    "evaluate": _page("exercises:evaluate"),
    "evaluate: observe": _action(
        "exercises:evaluate", {"kind": "strength", "objective": "", "text": "Clear orders."}
    ),
    "evaluate: rate a task": lambda scene, code: (
        reverse("exercises:task_rate", args=[code, scene.task.pk]),
        {"rating": "S", "comment": "Relief was allocated late."},
    ),
    "pulse": lambda scene, code: (
        reverse("exercises:pulse", args=[code])
        + f"?v={scene.exercise.version}&k={pulse_key(scene.exercise.code)}",
        None,
    ),
    "join: team A link": lambda scene, code: (
        reverse("accounts:join", args=[invite_token(scene.exercise, scene.people.team_a)]),
        None,
    ),
    "join code: new": _action("exercises:join_code", {"action": "new"}),
    "delete: confirm": _page("exercises:delete"),
    "team A: hand to a bot": _action("exercises:team_bot", {"bot": "1"}, A),
    "team A: propose": _action(
        "exercises:proposal_new",
        {
            "proposal-action": "hadr",
            "proposal-parties": [B],
            "proposal-points_own": 0,
            "proposal-points_others": 0,
            "proposal-terms": "",
            "proposal-duration": 1,
        },
        A,
    ),
    "team B: accept": lambda scene, code: (
        reverse("exercises:proposal_act", args=[code, B, scene.proposal.pk, "accept"]),
        {},
    ),
    "team A: leave agreement": lambda scene, code: (
        reverse("exercises:agreement_leave", args=[code, A, scene.agreement.pk]),
        {},
    ),
    "agreement: void": lambda scene, code: (
        reverse("exercises:agreement_void", args=[code, scene.agreement.pk]),
        {"reason": "Outside the rules"},
    ),
    "message: plenary": _action("exercises:message_new", {"channel": "plenary", "body": "Hola"}),
    "pulse without its key": lambda scene, code: (
        reverse("exercises:pulse", args=[code]) + f"?v={scene.exercise.version}",
        None,
    ),
    "team A: read channel": _action(
        "exercises:channel_read", {"channel": f"team:{A}", "last": "1"}, A
    ),
    "join code": _page("accounts:join_code"),
    "report: JSON": _page("exercises:report", "json"),
    "report: Word, progress": _page("exercises:report_progress", "docx"),
    "report: JSON without names": lambda scene, code: (
        reverse("exercises:report", args=[code, "json"]) + "?anonymised=1",
        None,
    ),
    "report: Word without names, progress": lambda scene, code: (
        reverse("exercises:report_progress", args=[code, "docx"]) + "?anonymised=1",
        None,
    ),
    "team A: debrief": _page("exercises:debrief", A),
    "hotwash": _page("exercises:hotwash"),
    "hotwash: rate": lambda scene, code: (
        reverse("exercises:hotwash_rating", args=[code, scene.objective().pk]),
        {
            f"objective{scene.objective().pk}-rating": "S",
            f"objective{scene.objective().pk}-comment": "Slow radar tracks",
        },
    ),
    "hotwash: summary": _action("exercises:hotwash_summary", {"text": "Walked summary."}),
    "hotwash: new plan row": _action(
        "exercises:hotwash_item_new", {"new-issue": "Walked issue", "new-element": "training"}
    ),
    "hotwash: fill the plan": _action("exercises:hotwash_prefill"),
    "hotwash: edit plan row": lambda scene, code: (
        reverse("exercises:hotwash_item", args=[code, scene.item.pk]),
        {f"item{scene.item.pk}-issue": "Edited issue"},
    ),
    "hotwash: delete plan row": lambda scene, code: (
        reverse("exercises:hotwash_item_delete", args=[code, scene.item.pk]),
        {},
    ),
    "feedback": _page("exercises:feedback"),
    "feedback: answer": _action("exercises:feedback", {"q_realism": "4", "q_usefulness": "5"}),
    "sign in": lambda scene, code: (reverse("accounts:login"), None),
    "sign out": lambda scene, code: (reverse("accounts:logout"), {}),
    "language": lambda scene, code: (
        reverse("accounts:language"),
        {"language": "es", "next": reverse("home")},
    ),
}

# Who gets what. A and B: players of teams A and B; E: the evaluator; S: a staff user who
# facilitates another exercise; F: this exercise's facilitator. Refusals change nothing, so
# the users are walked in this order and the allowed ones act last on a scene of their own.
# The pulse answers anyone who has the key its pages carry from the cache alone (no session,
# no database): 204, no change; without the key, 403 whatever the code.
# fmt: off
ACCESS = [
    # request                 state       anon   A    B    E    S    F
    ("home",                  "running",  200,   200, 200, 200, 200, 200),
    # The library and a scenario's public page are everyone's; the studio is the staff's
    # (authors and facilitators). The second save of one preview finds the version it was
    # counted from gone: it shows the changes again (409) instead of saving.
    ("scenario library",      "running",  200,   200, 200, 200, 200, 200),
    ("scenario page",         "running",  200,   200, 200, 200, 200, 200),
    ("scenario: upload",      "running",  LOGIN, 403, 403, 403, 200, 200),
    ("scenario: check a file", "running", LOGIN, 403, 403, 403, 200, 200),
    ("scenario: save a file", "running",  LOGIN, 403, 403, 403, 302, 409),
    ("scenario: YAML",        "running",  LOGIN, 403, 403, 403, 200, 200),
    ("scenario: MSEL",        "running",  LOGIN, 403, 403, 403, 200, 200),
    ("scenario: versions",    "running",  LOGIN, 403, 403, 403, 200, 200),
    ("scenario: compare",     "running",  LOGIN, 403, 403, 403, 200, 200),
    ("scenario: restore",     "running",  LOGIN, 403, 403, 403, 302, 302),
    # The second copy under one slug is refused: the slug is taken (422).
    ("scenario: editor",      "running",  LOGIN, 403, 403, 403, 200, 200),
    ("scenario: edit an inject", "running", LOGIN, 403, 403, 403, 302, 302),
    ("scenario: copy",        "running",  LOGIN, 403, 403, 403, 302, 422),
    ("scenario: simulate",    "running",  LOGIN, 403, 403, 403, 302, 302),
    ("scenario: simulation",  "running",  LOGIN, 403, 403, 403, 200, 200),
    ("new exercise",          "running",  LOGIN, 403, 403, 403, 200, 200),
    ("new exercise: create",  "running",  LOGIN, 403, 403, 403, 302, 302),
    ("lobby",                 "running",  LOGIN, 403, 403, 403, 403, 200),
    ("invites: revoke",       "running",  LOGIN, 403, 403, 403, 403, 302),
    ("control room",          "running",  LOGIN, 403, 403, 403, 403, 200),
    ("projector",             "running",  LOGIN, 403, 403, 403, 403, 200),
    ("clock: start",          "draft",    LOGIN, 403, 403, 403, 403, 302),
    ("clock: pause",          "running",  LOGIN, 403, 403, 403, 403, 302),
    ("clock: resume",         "paused",   LOGIN, 403, 403, 403, 403, 302),
    ("clock: extend",         "running",  LOGIN, 403, 403, 403, 403, 302),
    ("clock: close",          "running",  LOGIN, 403, 403, 403, 403, 302),
    ("clock: publish",        "review",   LOGIN, 403, 403, 403, 403, 302),
    ("clock: end",            "running",  LOGIN, 403, 403, 403, 403, 302),
    ("inject: deliver",       "running",  LOGIN, 403, 403, 403, 403, 302),
    ("inject: hold",          "running",  LOGIN, 403, 403, 403, 403, 302),
    ("inject: release",       "held",     LOGIN, 403, 403, 403, 403, 302),
    ("inject: new",           "running",  LOGIN, 403, 403, 403, 403, 302),
    ("move: rate",            "review",   LOGIN, 403, 403, 403, 403, 302),
    ("move: override",        "review",   LOGIN, 403, 403, 403, 403, 302),
    ("team room A",           "running",  LOGIN, 200, 403, 200, 403, 200),
    ("team room B",           "running",  LOGIN, 403, 200, 200, 403, 200),
    ("team A: submit move",   "running",  LOGIN, 302, 403, 403, 403, 403),
    ("team A: withdraw",      "running",  LOGIN, 302, 403, 403, 403, 403),
    ("team A: ready",         "running",  LOGIN, 302, 403, 403, 403, 403),
    ("evaluate",              "running",  LOGIN, 403, 403, 200, 403, 200),
    ("evaluate: observe",     "running",  LOGIN, 403, 403, 302, 403, 302),
    ("evaluate: rate a task", "running",  LOGIN, 403, 403, 302, 403, 302),
    ("pulse",                 "running",  204,   204, 204, 204, 204, 204),
    ("pulse without its key", "running",  403,   403, 403, 403, 403, 403),
    ("join code: new",        "running",  LOGIN, 403, 403, 403, 403, 302),
    ("delete: confirm",       "running",  LOGIN, 403, 403, 403, 403, 200),
    ("team A: hand to a bot", "running",  LOGIN, 403, 403, 403, 403, 302),
    ("team A: propose",       "running",  LOGIN, 302, 403, 403, 403, 403),
    ("team B: accept",        "running",  LOGIN, 403, 302, 403, 403, 403),
    ("team A: leave agreement", "running", LOGIN, 302, 403, 403, 403, 403),
    ("agreement: void",       "running",  LOGIN, 403, 403, 403, 403, 302),
    ("message: plenary",      "running",  LOGIN, 302, 302, 403, 403, 302),
    ("team A: read channel",  "running",  LOGIN, 204, 403, 403, 403, 403),
    # A seated user is sent to their own seat (B to B's room, F to the control room).
    ("join: team A link",     "running",  200,   302, 302, 302, 200, 302),
    ("join code",             "running",  200,   200, 200, 200, 200, 200),
    # The report and the hotwash are the facilitator's and the evaluators'; a team has its own
    # debrief; everyone seated answers the feedback form.
    # The copy with names, dice and the seed is the facilitator's control annex; evaluators
    # download the copy without names.
    ("report: JSON",          "ended",    LOGIN, 403, 403, 403, 403, 200),
    ("report: Word, progress", "ended",   LOGIN, 403, 403, 403, 403, 200),
    ("report: JSON without names", "ended", LOGIN, 403, 403, 200, 403, 200),
    ("report: Word without names, progress", "ended", LOGIN, 403, 403, 200, 403, 200),
    ("team A: debrief",       "ended",    LOGIN, 200, 403, 200, 403, 200),
    ("hotwash",               "ended",    LOGIN, 403, 403, 200, 403, 200),
    ("hotwash: rate",         "ended",    LOGIN, 403, 403, 403, 403, 302),
    ("hotwash: summary",      "ended",    LOGIN, 403, 403, 403, 403, 302),
    ("hotwash: new plan row", "ended",    LOGIN, 403, 403, 403, 403, 302),
    ("hotwash: fill the plan", "ended",   LOGIN, 403, 403, 403, 403, 302),
    ("hotwash: edit plan row", "ended",   LOGIN, 403, 403, 403, 403, 302),
    ("hotwash: delete plan row", "ended", LOGIN, 403, 403, 403, 403, 302),
    ("feedback",              "ended",    LOGIN, 200, 200, 200, 403, 200),
    ("feedback: answer",      "ended",    LOGIN, 302, 302, 302, 403, 302),
    ("sign in",               "running",  200,   200, 200, 200, 200, 200),
    ("sign out",              "running",  302,   302, 302, 302, 302, 302),
    ("language",              "running",  302,   302, 302, 302, 302, 302),
]
# fmt: on

# What the allowed requests did, seen in the database afterwards.
EFFECTS: dict[str, Callable[[Scene], bool]] = {
    "new exercise: create": lambda s: Exercise.objects.filter(title="Drill").count() == 2,
    "scenario: copy": lambda s: scenario_latest("walked-copy") is not None,
    "scenario: edit an inject": lambda s: (
        next(i.code for i in scenario_latest("minimal").injects.order_by("position")) == "M-02"
    ),
    "scenario: save a file": lambda s: (
        scenario_latest("minimal").injects.get(code="M-01").severity == 5
    ),
    "invites: revoke": lambda s: (
        Team.objects.get(pk=s.people.team_a.pk).invite_token != s.before["invite"]
    ),
    "clock: start": lambda s: s.fresh().status == Exercise.Status.RUNNING,
    "clock: pause": lambda s: s.fresh().status == Exercise.Status.PAUSED,
    "clock: resume": lambda s: s.fresh().status == Exercise.Status.RUNNING,
    "clock: extend": lambda s: s.fresh().turn_deadline > s.before["deadline"],
    "clock: close": lambda s: s.fresh().current_turn == 2,
    "clock: publish": lambda s: s.fresh().current_turn == 2,
    "clock: end": lambda s: s.fresh().status == Exercise.Status.FINISHED,
    "inject: deliver": lambda s: s.inject("M-02").status == Inject.Status.DELIVERED,
    "inject: hold": lambda s: s.inject("M-02").status == Inject.Status.HELD,
    "inject: release": lambda s: s.inject("M-02").status == Inject.Status.SCHEDULED,
    "inject: new": lambda s: s.exercise.injects.filter(title="Ad hoc storm").exists(),
    "move: rate": lambda s: Move.objects.get(pk=s.move_b.pk).rating == "strong",
    "move: override": lambda s: Move.objects.get(pk=s.move_b.pk).forced_success is True,
    "team A: submit move": lambda s: s.people.team_a.moves.filter(idempotency_key="walk").exists(),
    "team A: withdraw": lambda s: Move.objects.get(pk=s.move_a.pk).status == "withdrawn",
    "team A: ready": lambda s: Team.objects.get(pk=s.people.team_a.pk).ready,
    "evaluate: observe": lambda s: Observation.objects.filter(text="Clear orders.").count() == 2,
    "evaluate: rate a task": lambda s: TaskRating.objects.filter(
        exercise=s.exercise, task=s.task, rating="S"
    ).exists(),
    "team A: read channel": lambda s: ChannelRead.objects.filter(channel=f"team:{A}").exists(),
    "team A: hand to a bot": lambda s: Team.objects.get(pk=s.people.team_a.pk).bot,
    "join code: new": lambda s: s.fresh().join_code not in (None, s.exercise.code),
    "team A: propose": lambda s: Proposal.objects.filter(exercise=s.exercise).count() == 3,
    "team B: accept": lambda s: Proposal.objects.get(pk=s.proposal.pk).status == "accepted",
    "team A: leave agreement": lambda s: A in Agreement.objects.get(pk=s.agreement.pk).leaving,
    "agreement: void": lambda s: Agreement.objects.get(pk=s.agreement.pk).status == "voided",
    "message: plenary": lambda s: Message.objects.filter(body="Hola").exists(),
    "hotwash: rate": lambda s: ObjectiveRating.objects.get(exercise=s.exercise).rating == "S",
    "hotwash: summary": lambda s: (
        ExecutiveSummary.objects.get(exercise=s.exercise).text == "Walked summary."
    ),
    "hotwash: new plan row": lambda s: s.exercise.improvement_items.filter(
        issue="Walked issue"
    ).exists(),
    "hotwash: edit plan row": lambda s: (
        ImprovementItem.objects.get(pk=s.item.pk).issue == "Edited issue"
    ),
    "hotwash: delete plan row": lambda s: not ImprovementItem.objects.filter(pk=s.item.pk).exists(),
    "feedback: answer": lambda s: FeedbackResponse.objects.filter(exercise=s.exercise).count() == 4,
}


def b_secrets(exercise: Exercise) -> list[str]:
    """Team B's private things as they would appear in a page."""
    briefing = ScenarioNation.objects.get(scenario=exercise.scenario, code=B).briefing
    return [str(render_markdown(briefing)), B_PRIVATE_INJECT, B_RATIONALE, B_INTENT]


def assert_no_secrets_of_b(html: str, exercise: Exercise, where: str) -> None:
    for secret in b_secrets(exercise):
        assert secret not in html, f"{where} shows team B's {secret!r} to player A"


def status_is(response, expected: int | str) -> bool:
    if expected == LOGIN:
        login = reverse(settings.LOGIN_URL)
        return response.status_code == 302 and response["Location"].startswith(f"{login}?next=")
    return response.status_code == expected


def assert_status(response, expected: int | str, where: str) -> None:
    assert status_is(response, expected), f"{where}: {response.status_code}, not {expected}"


@pytest.mark.parametrize("row", ACCESS, ids=[row[0] for row in ACCESS])
def test_every_url_answers_each_user_as_the_access_rules_say(
    row: tuple, exercise: Exercise, people: People, client_for
) -> None:
    what, state, *codes = row
    scene = build_scene(state, exercise, people)
    url, data = REQUESTS[what](scene, exercise.code)
    for who, expected in zip(USERS, codes, strict=True):
        client = client_for(people.by_key(who))
        response = client.get(url) if data is None else client.post(url, data)
        assert_status(response, expected, f"{what} as {who}")
        if who == "A":
            assert_no_secrets_of_b(response.content.decode(), exercise, what)
    if what in EFFECTS:
        assert EFFECTS[what](scene), f"{what} did not take effect"


def test_sign_out_goes_back_to_the_home_page(people: People, client_for) -> None:
    response = client_for(people.player_a).post(reverse("accounts:logout"))
    # Without LOGOUT_REDIRECT_URL Django renders the admin's "Logged out" page instead.
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


STATE_OF = {row[0]: row[1] for row in ACCESS}
# Every request whose URL names the exercise by its code, except the pulse: it answers from
# the cache alone, so for a code it does not know it says "no change" (204).
BY_CODE = [
    what
    for what in STATE_OF
    if what
    not in {"home", "new exercise", "new exercise: create", "pulse", "pulse without its key",
            "join: team A link", "sign in", "sign out", "language"}
    and not what.startswith("scenario")
]  # fmt: skip


def test_an_unknown_exercise_code_is_404(exercise: Exercise, people: People, client_for) -> None:
    """Every request by code, for a code no exercise has. The exercise is looked up before
    anything else, so the state of the real one does not matter: one scene, the ended one,
    names every object any request names."""
    scene = build_scene("ended", exercise, people)
    clients = {who: client_for(people.by_key(who)) for who in ("anon", "A", "E", "S", "F")}
    wrong = []
    for what in BY_CODE:
        url, data = REQUESTS[what](scene, "nosuchcode")
        for who, client in clients.items():
            response = client.get(url) if data is None else client.post(url, data)
            expected = 404 if who != "anon" or what == "join code" else LOGIN
            if not status_is(response, expected):
                wrong.append(f"{what} as {who}: {response.status_code}, not {expected}")
    assert not wrong, "\n".join(wrong)


def test_objects_of_another_exercise_or_team_are_404(
    started: Exercise, people: People, client_for
) -> None:
    code = started.code
    facilitator, player_a = client_for(people.facilitator), client_for(people.player_a)
    other = Exercise.objects.exclude(pk=started.pk).get(title="Another exercise")
    foreign = other.injects.get(code="M-02")
    url = reverse("exercises:inject", args=[code, foreign.pk, "hold"])
    assert facilitator.post(url).status_code == 404
    assert Inject.objects.get(pk=foreign.pk).status == Inject.Status.SCHEDULED

    move_b = move_submit(actor=people.player_b, team=people.team_b, action="public_statement")
    url = reverse("exercises:move_withdraw", args=[code, A, move_b.pk])
    assert player_a.post(url).status_code == 404
    assert Move.objects.get(pk=move_b.pk).status == Move.Status.SUBMITTED

    assert facilitator.get(reverse("exercises:team", args=[code, "ARG"])).status_code == 404
    assert player_a.get(reverse("exercises:team", args=[code, "ARG"])).status_code == 404


@pytest.mark.parametrize(
    "url_name",
    ["exercises:clock", "exercises:inject", "exercises:move_review"],
)
def test_an_unknown_action_is_404(
    url_name: str, started: Exercise, people: People, client_for
) -> None:
    move = move_submit(actor=people.player_a, team=people.team_a, action="public_statement")
    ids = {
        "exercises:clock": [],
        "exercises:inject": [started.injects.get(code="M-02").pk],
        "exercises:move_review": [move.pk],
    }[url_name]
    url = reverse(url_name, args=[started.code, *ids, "frobnicate"])
    # An action that does not exist is not a refusal of the facilitator's right: 404, not 403.
    assert client_for(people.facilitator).post(url).status_code == 404


@pytest.mark.parametrize("what", ["clock: pause", "inject: hold", "team A: ready"])
def test_actions_refuse_get(what: str, exercise: Exercise, people: People, client_for) -> None:
    scene = build_scene("running", exercise, people)
    url, _data = REQUESTS[what](scene, exercise.code)
    user = people.player_a if what.startswith("team A") else people.facilitator
    assert client_for(user).get(url).status_code == 405
    assert scene.fresh().status == Exercise.Status.RUNNING


# --- What each one sees -----------------------------------------------------------------------


def share_rooms(exercise: Exercise) -> None:
    """Put the exercise's versions in the cache as event_record does after a commit; team
    rooms are rendered once per team and version and shared (wargame/web/shared.py)."""
    exercise.refresh_from_db()
    pulse_store(exercise.code, pulse_state(exercise.version, exercise.pulse))
    for team in exercise.teams.all():
        assert room_regions(exercise, team, can_act=True), "the rooms are not shared"


@pytest.mark.parametrize("shared", [False, True], ids=["rendered-each-time", "shared"])
def test_player_a_never_sees_what_is_private_to_team_b(
    shared: bool, exercise: Exercise, people: People, client_for
) -> None:
    build_scene("review", exercise, people)
    if shared:
        share_rooms(exercise)
    code = exercise.code
    player_a, player_b = client_for(people.player_a), client_for(people.player_b)
    facilitator = client_for(people.facilitator)
    briefing, private_inject, rationale, intent = b_secrets(exercise)

    # The secrets are there to be seen by those who may: B's room and the control room.
    seen_by_b = player_b.get(reverse("exercises:team", args=[code, B])).content.decode()
    seen_by_f = facilitator.get(reverse("exercises:control", args=[code])).content.decode()
    assert briefing in seen_by_b
    assert private_inject in seen_by_b
    assert intent in seen_by_b
    assert rationale in seen_by_f

    def everything_a_asks() -> None:
        pages = [
            reverse("home"),
            reverse("exercises:team", args=[code, A]),
            reverse("exercises:team", args=[code, B]),
            reverse("exercises:control", args=[code]),
            reverse("exercises:evaluate", args=[code]),
            reverse("exercises:lobby", args=[code]),
            reverse("accounts:join_code", args=[code]),
        ]
        for url in pages:
            assert_no_secrets_of_b(player_a.get(url).content.decode(), exercise, url)
        for target in TEAM_PARTIALS:
            url = reverse("exercises:team", args=[code, A])
            html = player_a.get(url, headers=htmx(target)).content.decode()
            assert_no_secrets_of_b(html, exercise, f"{url} #{target}")

    everything_a_asks()  # the turn under review
    turn_publish(actor=people.facilitator, exercise=exercise)
    if shared:
        share_rooms(exercise)
        player_b.get(reverse("exercises:team", args=[code, B]))  # B's copy, kept first
    everything_a_asks()  # the situation reports of turn 1


def test_an_inject_sent_to_one_team_stays_out_of_the_others_rooms(
    started: Exercise, people: People, client_for
) -> None:
    m02 = started.injects.get(code="M-02")  # to team A only
    assert m02.recipients == [A]
    inject_deliver(actor=people.facilitator, inject=m02)
    room_a = client_for(people.player_a).get(reverse("exercises:team", args=[started.code, A]))
    room_b = client_for(people.player_b).get(reverse("exercises:team", args=[started.code, B]))
    assert m02.title in room_a.content.decode()  # in the situation and as a move's target
    assert m02.title not in room_b.content.decode()
    assert m02.message not in room_b.content.decode()


def test_the_facilitator_sees_a_team_room_read_only(
    started: Exercise, people: People, client_for
) -> None:
    move_submit(actor=people.player_a, team=people.team_a, action="public_statement")
    client = client_for(people.facilitator)
    url = reverse("exercises:team", args=[started.code, A])
    for response in (client.get(url), client.get(url, headers=htmx("move-form"))):
        assert response.status_code == 200
        html = response.content.decode()
        assert reverse("exercises:move_new", args=[started.code, A]) not in html
        assert 'name="idempotency_key"' not in html
        assert "/withdraw/" not in html
        assert reverse("exercises:ready", args=[started.code, A]) not in html
    # The player of the room does get the form, so its absence above means something.
    html = client_for(people.player_a).get(url).content.decode()
    assert reverse("exercises:move_new", args=[started.code, A]) in html
    assert 'name="idempotency_key"' in html


# --- HTMX: each region alone ------------------------------------------------------------------

CONTROL_PARTIALS = ("clock", "teams-status", "review", "injects", "indicators", "log")
TEAM_PARTIALS = (
    "room",
    "clock",
    "indicators",
    "move-form",
    "moves",
    "negotiation",
    "messages",
    "news",
    "situation",
)
LOBBY_PARTIALS = ("invites",)
EVALUATE_PARTIALS = ("clock", "observations", "tasks", "teams-status", "log")
PROJECTOR_PARTIALS = ("clock", "map", "standing", "ticker")
PARTIALS = (
    [("control", "F", p) for p in CONTROL_PARTIALS]
    + [("team", "A", p) for p in TEAM_PARTIALS]
    + [("lobby", "F", p) for p in LOBBY_PARTIALS]
    + [("evaluate", "E", p) for p in EVALUATE_PARTIALS]
    + [("projector", "F", p) for p in PROJECTOR_PARTIALS]
)


def page_url(page: str, code: str) -> str:
    if page == "team":
        return reverse("exercises:team", args=[code, A])
    return reverse(f"exercises:{page}", args=[code])


@pytest.mark.parametrize(("page", "who", "partial"), PARTIALS)
def test_an_htmx_request_gets_only_its_partial(
    page: str, who: str, partial: str, started: Exercise, people: People, client_for
) -> None:
    response = client_for(people.by_key(who)).get(
        page_url(page, started.code), headers=htmx(partial)
    )
    assert response.status_code == 200
    html = response.content.decode().strip()
    if partial == "room":  # every region of the team room, in one
        assert html.startswith(f'<div id="{partial}"') and html.endswith("</div>")
        for region in TEAM_PARTIALS[1:]:
            assert html.count(f'<section id="{region}"') == 1, region
    else:
        assert html.startswith(f'<section id="{partial}"')
        assert html.endswith("</section>")
        assert html.count("<section") == 1
    assert "<body" not in html
    assert "HX-Request" in response["Vary"]


PAGES = [("control", "F"), ("team", "A"), ("lobby", "F"), ("evaluate", "E"), ("projector", "F")]


@pytest.mark.parametrize(("page", "who"), PAGES)
def test_the_whole_page_varies_on_hx_request_too(
    page: str, who: str, started: Exercise, people: People, client_for
) -> None:
    response = client_for(people.by_key(who)).get(page_url(page, started.code))
    assert response.status_code == 200
    assert "<body" in response.content.decode()
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(("page", "who"), [("control", "F"), ("team", "A")])
def test_an_htmx_target_that_is_no_partial_gets_the_whole_page(
    page: str, who: str, started: Exercise, people: People, client_for
) -> None:
    # "refusal" is an element of every page without a partial; "nothing" is no element.
    client = client_for(people.by_key(who), raise_request_exception=False)
    for target in ("refusal", "nothing"):
        response = client.get(page_url(page, started.code), headers=htmx(target))
        assert response.status_code == 200, f"HX-Target {target}: {response.status_code}"
        assert "<body" in response.content.decode()


HTMX_ACTIONS = [
    ("clock: pause", "running"),
    ("clock: resume", "paused"),
    ("clock: extend", "running"),
    ("clock: close", "running"),
    ("clock: publish", "review"),
    ("clock: end", "running"),
    ("clock: start", "draft"),
    ("inject: deliver", "running"),
    ("inject: hold", "running"),
    ("inject: release", "held"),
    ("inject: new", "running"),
    ("move: rate", "review"),
    ("move: override", "review"),
    ("team A: withdraw", "running"),
    ("team A: ready", "running"),
]


@pytest.mark.parametrize(("what", "state"), HTMX_ACTIONS, ids=[a[0] for a in HTMX_ACTIONS])
def test_an_htmx_action_answers_204_and_fires_changed(
    what: str, state: str, exercise: Exercise, people: People, client_for
) -> None:
    scene = build_scene(state, exercise, people)
    url, data = REQUESTS[what](scene, exercise.code)
    user = people.player_a if what.startswith("team A") else people.facilitator
    response = client_for(user).post(url, data, headers=htmx())
    assert response.status_code == 204
    assert "cumbre:changed" in json.loads(response["HX-Trigger"])
    assert EFFECTS[what](scene)


# --- CSRF with HTMX ---------------------------------------------------------------------------


def body_csrf_token(html: str) -> str:
    match = re.search(r"<body[^>]*\bhx-headers='([^']*)'", html)
    assert match, "no hx-headers on <body>"
    return json.loads(match.group(1))["X-CSRFToken"]


def test_htmx_posts_carry_the_csrf_token_from_the_body(
    started: Exercise, people: People, client_for
) -> None:
    client = client_for(people.facilitator, enforce_csrf_checks=True)
    page = client.get(reverse("exercises:control", args=[started.code]))
    token = body_csrf_token(page.content.decode())
    url = reverse("exercises:clock", args=[started.code, "pause"])

    refused = client.post(url, headers=htmx())
    assert refused.status_code == 403
    assert Exercise.objects.get(pk=started.pk).status == Exercise.Status.RUNNING

    accepted = client.post(url, headers=htmx() | {"X-CSRFToken": token})
    assert accepted.status_code == 204
    assert Exercise.objects.get(pk=started.pk).status == Exercise.Status.PAUSED


def test_a_players_htmx_move_needs_the_csrf_token_too(
    started: Exercise, people: People, client_for
) -> None:
    client = client_for(people.player_a, enforce_csrf_checks=True)
    room = reverse("exercises:team", args=[started.code, A])
    token = body_csrf_token(client.get(room).content.decode())
    url = reverse("exercises:move_new", args=[started.code, A])
    data = {"action": "public_statement", "idempotency_key": "csrf"}
    assert client.post(url, data, headers=htmx("move-form")).status_code == 403
    response = client.post(url, data, headers=htmx("move-form") | {"X-CSRFToken": token})
    assert response.status_code == 200
    assert people.team_a.moves.count() == 1


# --- Forms never lose work --------------------------------------------------------------------


def move_data(team: Team, **fields: str) -> dict[str, str]:
    return {
        "action": "intel_sharing",
        "target_team": "",
        "target_inject": "",
        "resources": "",
        "intended_result": "Radar tracks shared within the hour",
        "rationale": "Our coast guard sees what theirs cannot, typed with care",
        "idempotency_key": "key-1",
    } | fields


def test_a_refused_move_comes_back_as_typed_with_the_reason(
    started: Exercise, people: People, client_for
) -> None:
    team = Team.objects.get(pk=people.team_a.pk)
    client = client_for(people.player_a)
    url = reverse("exercises:move_new", args=[started.code, A])
    data = move_data(team, resources=str(team.budget + 1))

    for headers in (htmx("move-form"), {}):
        response = client.post(url, data, headers=headers)
        assert response.status_code == 422
        html = response.content.decode()
        if headers:
            assert html.strip().startswith('<section id="move-form"')
        assert data["rationale"] in html
        assert data["intended_result"] in html
        assert f'value="{team.budget + 1}"' in html
        assert f"has {team.budget} action points left this turn" in html  # the reason
        assert 'value="key-1"' in html  # the same key, so a corrected retry counts once
    assert not team.moves.exists()
    assert started.events.filter(kind="move.refused", team=team).count() == 2

    # Corrected and sent again with the same form key: the move is made.
    response = client.post(url, data | {"resources": "1"}, headers=htmx("move-form"))
    assert response.status_code == 200
    assert team.moves.get().idempotency_key == "key-1"


def test_an_invalid_move_form_comes_back_as_typed(
    started: Exercise, people: People, client_for
) -> None:
    client = client_for(people.player_a)
    url = reverse("exercises:move_new", args=[started.code, A])
    data = move_data(people.team_a, action="no_such_action")
    response = client.post(url, data, headers=htmx("move-form"))
    assert response.status_code == 422
    html = response.content.decode()
    assert html.strip().startswith('<section id="move-form"')
    assert data["rationale"] in html
    assert 'class="errorlist' in html


def test_a_refused_ad_hoc_inject_comes_back_as_typed(
    exercise: Exercise, people: People, client_for
) -> None:
    # While the facilitator reviews a turn, injects cannot be delivered; what they typed stays.
    scene = build_scene("review", exercise, people)
    url, data = REQUESTS["inject: new"](scene, exercise.code)
    data = data | {"message": "Landslides block the road to Jacmel, typed at length."}
    response = client_for(people.facilitator).post(url, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert data["message"] in html
    assert "while the exercise is in play" in html  # the reason
    assert not exercise.injects.filter(title=data["title"]).exists()


@pytest.mark.parametrize("headers", [{}, htmx("move-form")], ids=["form", "htmx"])
def test_a_double_submission_makes_one_move(
    headers: dict, started: Exercise, people: People, client_for
) -> None:
    team = Team.objects.get(pk=people.team_a.pk)
    budget = team.budget
    client = client_for(people.player_a)
    url = reverse("exercises:move_new", args=[started.code, A])
    data = move_data(team, idempotency_key="double-click")
    first = client.post(url, data, headers=headers)
    second = client.post(url, data, headers=headers)
    assert first.status_code == second.status_code == (200 if headers else 302)
    assert team.moves.filter(idempotency_key="double-click").count() == 1
    team.refresh_from_db()
    assert team.budget == budget - 1  # intel_sharing costs 1, paid once
    if headers:
        # The fresh form after a success carries a new key, for the next move.
        assert 'value="double-click"' not in second.content.decode()
        assert "cumbre:changed" in json.loads(second["HX-Trigger"])


# --- Queries --------------------------------------------------------------------------------

# Measured on SQLite with negotiation and channels: control room 14 (15 with the review table),
# team room 24 (21 in review), lobby 8, evaluator view 16 (17 in review), for 5 and for 12 teams
# alike. A little room for a new constant query; none for one per team, move, inject or report.
PAGE_QUERIES = 26


def test_page_queries_do_not_grow_with_teams_moves_or_turns(
    facilitator, django_assert_max_num_queries
) -> None:
    evaluator = User.objects.create_user("synthetic-evaluator")
    counts: dict[int, dict[tuple[str, str], int]] = {}
    for nations in (5, 12):
        scenario = scenario_load(synthetic_spec(nations))
        situation = synthetic_exercise(scenario, facilitator=facilitator)
        exercise = situation.exercise
        assert situation.moves == 6 * nations
        Exercise.objects.filter(pk=exercise.pk).update(
            adjudication_mode=Exercise.AdjudicationMode.REVIEW
        )
        participant_add(actor=facilitator, exercise=exercise, user=evaluator, role=Role.EVALUATOR)
        team = exercise.teams.order_by("position").first()
        player = User.objects.get(username=f"synthetic-{team.nation_code.lower()}")
        browsers = {who: Client() for who in ("facilitator", "player", "evaluator")}
        browsers["facilitator"].force_login(facilitator)
        browsers["player"].force_login(player)
        browsers["evaluator"].force_login(evaluator)
        pages = {
            "control": ("facilitator", reverse("exercises:control", args=[exercise.code])),
            "team": ("player", reverse("exercises:team", args=[exercise.code, team.nation_code])),
            "lobby": ("facilitator", reverse("exercises:lobby", args=[exercise.code])),
            "evaluate": ("evaluator", reverse("exercises:evaluate", args=[exercise.code])),
            "projector": ("facilitator", reverse("exercises:projector", args=[exercise.code])),
        }
        counts[nations] = {}
        for phase in ("busy turn", "review", "published"):
            if phase == "review":
                turn_close(exercise_id=exercise.pk, turn_number=1, reason="test")
            elif phase == "published":
                turn_publish(actor=facilitator, exercise=exercise)
            for page, (who, url) in pages.items():
                with django_assert_max_num_queries(PAGE_QUERIES) as captured:
                    response = browsers[who].get(url)
                assert response.status_code == 200, (nations, phase, page)
                counts[nations][(page, phase)] = len(captured)
    assert counts[12] == counts[5], counts


# --- A newer version of the scenario --------------------------------------------------------

NEWER_NOTICE = re.compile(
    r"This exercise uses version 1 of Minimal scenario; version 2 was loaded on (.+?)\. "
    r"A new exercise would use it\."
)


def test_the_facilitator_sees_that_a_newer_scenario_version_was_loaded(
    started: Exercise, people: People, client_for
) -> None:
    facilitator, player = client_for(people.facilitator), client_for(people.player_b)
    pages = {
        "control": reverse("exercises:control", args=[started.code]),
        "lobby": reverse("exercises:lobby", args=[started.code]),
    }
    team_room = reverse("exercises:team", args=[started.code, B])
    for url in pages.values():
        assert "newer-scenario" not in facilitator.get(url).content.decode()

    spec = parse_scenario_file(MINIMAL)
    newer = scenario_load(replace(spec, briefing="A rewritten briefing."))

    assert newer.version == 2
    loaded = date_format(localtime(newer.updated_at), "DATE_FORMAT")
    for page, url in pages.items():
        html = " ".join(facilitator.get(url).content.decode().split())
        found = NEWER_NOTICE.search(html)
        assert found, page
        assert found.group(1) == loaded
    room = player.get(team_room).content.decode()
    assert "newer-scenario" not in room
    assert "A short public briefing." in room and "A rewritten briefing." not in room
    # The notice is part of the page, not of a live region: a region swapped in carries none.
    region = facilitator.get(pages["control"], headers=htmx("clock")).content.decode()
    assert "newer-scenario" not in region


def test_the_access_rules_name_every_address_of_an_exercise(
    exercise: Exercise, people: People
) -> None:
    """Every route of an exercise's pages (and of joining and signing in) has a row above: a
    new address cannot be added without saying who may use it."""
    scene = build_scene("ended", exercise, people)  # every object any request names
    covered = {resolve(urlsplit(REQUESTS[what](scene, exercise.code)[0]).path).view_name
               for what in STATE_OF}  # fmt: skip
    routes = {
        f"{app}:{pattern.name}"
        for app, module in (
            ("exercises", "wargame.web.urls"),
            ("accounts", "wargame.accounts.urls"),
            ("scenarios", "wargame.scenarios.urls"),
        )
        for pattern in get_resolver(module).url_patterns
    }
    assert routes - covered == set()
