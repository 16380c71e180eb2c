"""Every admin page loads, with its search and filters, for the staff who edit scenarios; and
no admin page changes what people already see: an exercise once people have joined it, a
scenario version once an exercise uses it."""

import re
from dataclasses import dataclass
from html import unescape

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from wargame.exercises.models import Event, Exercise, Inject, Move, Participant, Role, Team, Turn
from wargame.exercises.services import exercise_create, move_submit, participant_add
from wargame.negotiation.models import Agreement, Message, Proposal
from wargame.negotiation.services import message_send, proposal_answer, proposal_create
from wargame.reports.feedback import feedback_questions
from wargame.reports.models import (
    ExecutiveSummary,
    FeedbackResponse,
    ImprovementItem,
    ObjectiveRating,
    Observation,
)
from wargame.reports.services import observation_record
from wargame.reports.services.feedback import feedback_submit
from wargame.reports.services.hotwash import improvement_item_save, rating_confirm, summary_save
from wargame.scenarios.models import ActionType, Scenario
from wargame.turns.services import exercise_end, exercise_pause, exercise_start, turn_close


@pytest.fixture
def staff_client(client: Client) -> Client:
    user = get_user_model().objects.create_superuser("admin", "", "pw-admin-1")
    client.force_login(user)
    return client


OURS = [model for model in admin.site._registry if model._meta.app_label != "auth"]


@pytest.mark.django_db
@pytest.mark.parametrize("model", OURS, ids=lambda model: model._meta.label)
def test_changelist_with_search_loads(
    staff_client: Client, exercise: Exercise, model: type
) -> None:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields and model_admin.list_filter, opts.label
    assert staff_client.get(url).status_code == 200
    assert staff_client.get(url, {"q": "HTI"}).status_code == 200


@pytest.mark.django_db
def test_scenario_change_page_shows_nations_and_objectives(
    staff_client: Client, minimal_scenario: Scenario
) -> None:
    url = reverse("admin:scenarios_scenario_change", args=[minimal_scenario.pk])
    html = staff_client.get(url).content.decode()
    assert "Haiti's private briefing." in unescape(html)
    assert "Coordinate the disaster response" in html


@pytest.mark.django_db
def test_admin_is_closed_to_anonymous_users(client: Client) -> None:
    response = client.get(reverse("admin:scenarios_scenario_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


# --- Read-only while people see it --------------------------------------------------------

User = get_user_model()


@dataclass
class Played:
    """An exercise with one row of every kind the admin shows, made through the services."""

    exercise: Exercise
    rows: dict[type, Model]


def _play(exercise: Exercise, facilitator, *, end: bool) -> Played:
    hti, dom = exercise.teams.get(nation_code="HTI"), exercise.teams.get(nation_code="DOM")
    players = {}
    for team in (hti, dom):
        players[team.nation_code] = User.objects.create_user(f"player-{team.nation_code}")
        participant_add(
            actor=facilitator, exercise=exercise, user=players[team.nation_code],
            role=Role.PLAYER, team=team,
        )  # fmt: skip
    evaluator = User.objects.create_user("evaluator")
    participant_add(actor=facilitator, exercise=exercise, user=evaluator, role=Role.EVALUATOR)
    exercise_start(actor=facilitator, exercise=exercise)
    move = move_submit(
        actor=players["HTI"], team=hti, action="public_statement", rationale="Calm the ports."
    )
    commitments = {code: {"points": 1, "terms": "Share radar tracks."} for code in players}
    proposal = proposal_create(
        actor=players["HTI"], team=hti, parties=[dom], action="intel_sharing",
        commitments=commitments, duration=2,
    )  # fmt: skip
    proposal_answer(actor=players["DOM"], proposal=proposal, team=dom, accept=True)
    message = message_send(
        actor=players["DOM"], exercise=exercise, channel="plenary", body="Ports open.", team=dom
    )
    objective = exercise.scenario.objectives.get(code="OBJ-1")
    observation = observation_record(
        actor=evaluator, exercise=exercise, kind="strength", objective_id=objective.pk,
        text="Haiti spoke first.",
    )  # fmt: skip
    rating = rating_confirm(
        actor=facilitator, exercise=exercise, objective=objective, rating="S",
        comment="Coordination came late.",
    )  # fmt: skip
    item = improvement_item_save(
        actor=facilitator, exercise=exercise, objective=None, issue="Radar feeds arrive late."
    )
    summary = summary_save(actor=facilitator, exercise=exercise, text="A useful first day.")
    rows: dict[type, Model] = {}
    if end:
        exercise_end(actor=facilitator, exercise=exercise, reason="Time is up.")
        answers = {
            q.id: 4 if q.kind == "scale" else "Useful."
            for q in feedback_questions(exercise.scenario)
        }
        rows[FeedbackResponse] = feedback_submit(
            actor=players["HTI"], exercise=exercise, answers=answers, named=False,
            participant=Participant.objects.get(user=players["HTI"]),
        )  # fmt: skip
    exercise.refresh_from_db()
    rows |= {
        Exercise: exercise,
        Team: hti,
        Participant: Participant.objects.get(user=players["DOM"]),
        Turn: exercise.turn_set.get(number=1),
        Inject: exercise.injects.get(code="M-01"),
        Move: move,
        Event: exercise.events.first(),
        Proposal: proposal,
        Agreement: Agreement.objects.get(exercise=exercise),
        Message: message,
        Observation: observation,
        ObjectiveRating: rating,
        ImprovementItem: item,
        ExecutiveSummary: summary,
    }
    return Played(exercise, rows)


EXERCISE_MODELS = [
    Exercise, Team, Participant, Turn, Inject, Move, Event, Proposal, Agreement, Message,
    Observation, ObjectiveRating, ImprovementItem, ExecutiveSummary, FeedbackResponse,
]  # fmt: skip


def test_every_exercise_model_in_the_admin_is_guarded() -> None:
    owned = {m for m in OURS if any(f.related_model is Exercise for f in m._meta.fields)}
    assert owned | {Exercise} <= set(EXERCISE_MODELS)


def admin_url(obj: Model, view: str) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])


def snapshot(obj: Model) -> dict:
    return type(obj).objects.filter(pk=obj.pk).values().get()


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["running", "finished"])
def test_a_played_exercise_is_read_only_in_the_admin(
    staff_client: Client, exercise: Exercise, facilitator, state: str
) -> None:
    played = _play(exercise, facilitator, end=state == "finished")
    assert played.exercise.status == state
    expected = set(EXERCISE_MODELS) - ({FeedbackResponse} if state == "running" else set())
    assert set(played.rows) == expected
    for model, obj in played.rows.items():
        before = snapshot(obj)

        page = staff_client.get(admin_url(obj, "change"))

        assert page.status_code == 200, model
        html = page.content.decode()
        assert 'name="_save"' not in html and "deletelink" not in html, model
        if model is not Event:  # the log is read-only by nature, whatever the exercise's state
            assert "Read-only: the exercise" in html and "has started" in html, model

        changed = {
            field.name: "Changed in the admin"
            for field in model._meta.fields
            if field.get_internal_type() in ("CharField", "TextField") and not field.choices
        }
        assert staff_client.post(admin_url(obj, "change"), changed).status_code == 403, model
        assert staff_client.get(admin_url(obj, "delete")).status_code == 403, model
        response = staff_client.post(admin_url(obj, "delete"), {"post": "yes"})
        assert response.status_code == 403, model
        assert snapshot(obj) == before, model


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["paused", "adjudicating"])
def test_a_paused_or_adjudicating_exercise_is_read_only(
    staff_client: Client, exercise: Exercise, facilitator, status: str
) -> None:
    played = _play(exercise, facilitator, end=False)
    if status == "paused":
        exercise_pause(actor=facilitator, exercise=exercise)
    else:  # a turn waiting for the facilitator's review
        Exercise.objects.filter(pk=exercise.pk).update(
            adjudication_mode=Exercise.AdjudicationMode.REVIEW
        )
        turn_close(exercise_id=exercise.pk, turn_number=1, reason="test")
    exercise.refresh_from_db()
    assert exercise.status == status
    team = played.rows[Team]
    page = staff_client.get(admin_url(team, "change")).content.decode()
    assert "Read-only: the exercise" in page and 'name="_save"' not in page
    before = snapshot(team)
    response = staff_client.post(admin_url(team, "change"), {"stability": "99"})
    assert response.status_code == 403
    assert snapshot(team) == before


@pytest.mark.django_db
def test_a_draft_exercise_is_read_only_once_a_player_joined(
    staff_client: Client, exercise: Exercise, facilitator
) -> None:
    team = exercise.teams.get(nation_code="HTI")
    url = admin_url(team, "change")
    assert 'name="_save"' in staff_client.get(url).content.decode()

    player = User.objects.create_user("early-player")
    participant_add(actor=facilitator, exercise=exercise, user=player, role=Role.PLAYER, team=team)

    page = staff_client.get(url).content.decode()
    assert "Read-only: people have joined the exercise" in page
    assert 'name="_save"' not in page
    assert staff_client.post(url, {"stability": "99"}).status_code == 403
    team.refresh_from_db()
    assert team.stability == 35


def team_form(team: Team, **values: object) -> dict:
    return {
        "exercise": team.exercise_id, "nation_code": team.nation_code,
        "stability": team.stability, "capacity": team.capacity, "budget": team.budget,
        "support": team.support,
        "budget_per_turn": team.budget_per_turn, "invite_token": team.invite_token,
        "position": team.position,
    } | values  # fmt: skip


@pytest.mark.django_db
def test_a_draft_exercise_nobody_joined_can_be_set_up_in_the_admin(
    staff_client: Client, exercise: Exercise
) -> None:
    team = exercise.teams.get(nation_code="HTI")
    response = staff_client.post(admin_url(team, "change"), team_form(team, stability=40))
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.stability == 40
    page = staff_client.get(admin_url(exercise, "change")).content.decode()
    assert 'name="_save"' in page and "Read-only" not in page


@pytest.mark.django_db
def test_no_row_is_added_to_an_exercise_in_play(
    staff_client: Client, exercise: Exercise, facilitator
) -> None:
    _play(exercise, facilitator, end=False)
    draft = exercise_create(actor=facilitator, scenario=exercise.scenario, title="Next week")
    add = reverse("admin:exercises_participant_add")
    form = staff_client.get(add).content.decode()
    choices = re.search(r'<select name="exercise".*?</select>', form, re.S).group()
    assert f'value="{draft.pk}"' in choices and f'value="{exercise.pk}"' not in choices
    outsider = User.objects.create_user("outsider")
    count = Participant.objects.count()

    # Straight into the exercise in play: not a choice.
    response = staff_client.post(
        add, {"exercise": exercise.pk, "user": outsider.pk, "role": "evaluator"}
    )
    assert response.status_code == 200
    # Into the draft, but on a team of the exercise in play: refused with the reason.
    response = staff_client.post(
        add,
        {
            "exercise": draft.pk, "user": outsider.pk, "role": "player",
            "team": exercise.teams.get(nation_code="HTI").pk,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "Read-only: the exercise" in response.content.decode()
    assert Participant.objects.count() == count


@pytest.mark.django_db
def test_delete_selected_refuses_rows_of_an_exercise_in_play(
    staff_client: Client, exercise: Exercise, facilitator
) -> None:
    message = _play(exercise, facilitator, end=False).rows[Message]
    response = staff_client.post(
        reverse("admin:negotiation_message_changelist"),
        {"action": "delete_selected", "_selected_action": [message.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert Message.objects.filter(pk=message.pk).exists()


# --- Scenario versions that exercises use -------------------------------------------------


@pytest.mark.django_db
def test_a_scenario_version_an_exercise_uses_is_read_only(
    staff_client: Client, exercise: Exercise
) -> None:
    scenario = exercise.scenario
    parts = [
        scenario,
        scenario.injects.get(code="M-01"),
        scenario.nations.get(code="HTI"),
        scenario.objectives.get(code="OBJ-1"),
    ]
    for obj in parts:
        before = snapshot(obj)
        html = staff_client.get(admin_url(obj, "change")).content.decode()
        assert "Read-only: exercises use version 1 of" in html, obj
        assert 'name="_save"' not in html
        response = staff_client.post(admin_url(obj, "change"), {"title": "Changed"})
        assert response.status_code == 403
        assert staff_client.post(admin_url(obj, "delete"), {"post": "yes"}).status_code == 403
        assert snapshot(obj) == before
    action = ActionType.objects.get(code="hadr")
    html = staff_client.get(admin_url(action, "change")).content.decode()
    assert "Read-only: exercises offer this action" in html
    assert staff_client.post(admin_url(action, "change"), {"cost": "0"}).status_code == 403


@pytest.mark.django_db
def test_a_scenario_no_exercise_uses_is_read_only_too(
    staff_client: Client, minimal_scenario: Scenario
) -> None:
    """Every change is a version with its author in the history: the admin changes none in
    place, and points to the scenario's page."""
    url = admin_url(minimal_scenario, "change")
    html = staff_client.get(url).content.decode()
    assert 'name="_save"' not in html and "is never changed. Edit the scenario on its page" in html
    objective = minimal_scenario.objectives.get(code="OBJ-1")
    data = {
        "title": "Coordinate the whole response",
        "code": "OBJ-1",
        "capability": objective.capability,
        "position": objective.position,
        "scenario": minimal_scenario.pk,
    }
    assert staff_client.post(admin_url(objective, "change"), data).status_code == 403
    objective.refresh_from_db()
    assert objective.title == "Coordinate the disaster response"


@pytest.mark.django_db
def test_a_new_scenario_in_the_admin_cannot_take_a_used_slug(
    staff_client: Client, minimal_scenario: Scenario
) -> None:
    response = staff_client.post(
        reverse("admin:scenarios_scenario_add"),
        {
            "slug": "minimal", "title": "Another", "summary": "s", "briefing": "b",
            "turns": 2, "game_time_per_turn": "1 day", "minutes_per_turn": 10,
            "feedback": "[]", "actions": [ActionType.objects.get(code="hadr").pk],
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "A scenario with this slug exists" in response.content.decode()
    assert Scenario.objects.filter(slug="minimal").count() == 1
