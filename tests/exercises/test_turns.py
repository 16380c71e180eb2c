"""The turn cycle through its services: the only way anything changes an exercise."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from wargame.exercises.errors import MoveRefused, NotAllowed, WrongState
from wargame.exercises.models import Event, Exercise, Inject, Move, Role, Team
from wargame.exercises.services import (
    exercise_create,
    inject_deliver,
    inject_hold,
    inject_release,
    inject_write,
    move_submit,
    move_withdraw,
    participant_add,
    team_mark_ready,
)
from wargame.lib.tasks import task_send
from wargame.scenarios.catalogue import engine_rules
from wargame.turns.clock import CLOSE_TURN
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

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def players(exercise: Exercise) -> dict[str, object]:
    """One player per team, by nation code."""
    result = {}
    for team in exercise.teams.all():
        user = User.objects.create_user(f"player-{team.nation_code}", password="pw-player-1")
        participant_add(actor=None, exercise=exercise, user=user, role=Role.PLAYER, team=team)
        result[team.nation_code] = user
    return result


@pytest.fixture
def started(exercise: Exercise, facilitator, players) -> Exercise:
    exercise_start(actor=facilitator, exercise=exercise)
    exercise.refresh_from_db()
    return exercise


def team(exercise: Exercise, code: str) -> Team:
    return exercise.teams.get(nation_code=code)


def close(exercise: Exercise, **kwargs) -> bool:
    exercise.refresh_from_db()
    return turn_close(
        exercise_id=exercise.pk, turn_number=exercise.current_turn, reason="test", **kwargs
    )


def test_start_opens_turn_1_and_delivers_its_injects(started: Exercise) -> None:
    assert (started.status, started.current_turn) == (Exercise.Status.RUNNING, 1)
    assert started.turn_deadline > timezone.now() + timedelta(seconds=20 * 60 - 5)
    m01 = started.injects.get(code="M-01")
    pressure = engine_rules().initial_pressure(4)
    assert (m01.status, m01.pressure, m01.delivered_turn) == (Inject.Status.DELIVERED, pressure, 1)
    assert started.injects.get(code="M-02").status == Inject.Status.SCHEDULED
    kinds = list(started.events.values_list("kind", flat=True))
    assert kinds[-3:] == ["exercise.started", "inject.delivered", "turn.opened"]


def test_only_the_facilitator_starts_and_only_once(
    exercise: Exercise, players, facilitator
) -> None:
    with pytest.raises(NotAllowed):
        exercise_start(actor=players["HTI"], exercise=exercise)
    exercise_start(actor=facilitator, exercise=exercise)
    with pytest.raises(WrongState):
        exercise_start(actor=facilitator, exercise=exercise)


def test_a_move_is_paid_from_the_budget_and_withdrawing_gives_it_back(
    started: Exercise, players
) -> None:
    hti = team(started, "HTI")
    move = move_submit(
        actor=players["HTI"],
        team=hti,
        action="hadr",
        target_inject=started.injects.get(code="M-01"),
    )
    assert team(started, "HTI").budget == 4 - 2
    move_withdraw(actor=players["HTI"], move=move)
    assert team(started, "HTI").budget == 4
    assert Move.objects.get(pk=move.pk).status == Move.Status.WITHDRAWN


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"action": "hadr", "resources": 5},
            "Haiti has 4 action points left this turn; this move needs 5.",
        ),
        ({"action": "hadr", "resources": 1}, "costs 2 action points"),
        ({"action": "cyber_cooperation"}, "cyber_cooperation is not an action of this exercise."),
        ({"action": "hadr", "target_team": "HTI"}, "A move cannot be aimed at your own team."),
        ({"action": "intel_sharing", "target_inject": "M-02"}, "That inject is not open."),
    ],
    ids=["over-budget", "under-cost", "not-in-scenario", "own-team", "inject-not-open"],
)
def test_bad_moves_are_refused_with_a_reason_and_logged(
    started: Exercise, players, kwargs: dict, message: str
) -> None:
    if "target_team" in kwargs:
        kwargs["target_team"] = team(started, kwargs["target_team"])
    if "target_inject" in kwargs:
        kwargs["target_inject"] = started.injects.get(code=kwargs["target_inject"])
    with pytest.raises(MoveRefused) as refused:
        move_submit(actor=players["HTI"], team=team(started, "HTI"), **kwargs)
    assert message in str(refused.value)
    event = started.events.filter(kind="move.refused").get()
    assert message in event.payload["reason"]
    assert team(started, "HTI").budget == 4
    assert not Move.objects.exists()


def test_the_limits_per_turn_refuse_a_second_statement_and_a_second_counter(
    started: Exercise, players
) -> None:
    """One public statement and one counter-argument per team a turn (the catalogue's rules),
    refused at submission with the reason; a withdrawn statement leaves room for another, and
    the next turn starts afresh."""
    hti, dom = team(started, "HTI"), team(started, "DOM")
    first = move_submit(actor=players["HTI"], team=hti, action="public_statement")
    with pytest.raises(MoveRefused) as refused:
        move_submit(actor=players["HTI"], team=hti, action="public_statement")
    assert str(refused.value) == (
        "Public statement: each team may make 1 a turn, and yours already has."
    )
    move_withdraw(actor=players["HTI"], move=first)
    move_submit(actor=players["HTI"], team=hti, action="public_statement")

    argued = move_submit(actor=players["DOM"], team=dom, action="hadr")
    move_submit(actor=players["HTI"], team=hti, action="intel_sharing", counter_to=argued)
    with pytest.raises(MoveRefused) as refused:
        move_submit(actor=players["HTI"], team=hti, action="intel_sharing", counter_to=argued)
    assert str(refused.value) == (
        "Each team may argue against 1 move a turn, and yours already has."
    )
    assert close(started)
    move_submit(actor=players["HTI"], team=team(started, "HTI"), action="public_statement")


def test_a_player_cannot_act_for_another_team(started: Exercise, players) -> None:
    with pytest.raises(NotAllowed):
        move_submit(actor=players["DOM"], team=team(started, "HTI"), action="public_statement")


def test_moves_after_the_close_or_the_deadline_or_while_paused_are_refused(
    started: Exercise, players, facilitator
) -> None:
    hti = team(started, "HTI")
    Exercise.objects.filter(pk=started.pk).update(turn_deadline=timezone.now())
    with pytest.raises(MoveRefused, match="The time for turn 1 has run out"):
        move_submit(actor=players["HTI"], team=hti, action="public_statement")
    Exercise.objects.filter(pk=started.pk).update(
        turn_deadline=timezone.now() + timedelta(minutes=5)
    )
    exercise_pause(actor=facilitator, exercise=started)
    with pytest.raises(MoveRefused, match="paused"):
        move_submit(actor=players["HTI"], team=hti, action="public_statement")
    exercise_resume(actor=facilitator, exercise=started)
    started.adjudication_mode = Exercise.AdjudicationMode.REVIEW
    started.save(update_fields=["adjudication_mode"])
    assert close(started)
    with pytest.raises(MoveRefused, match=r"Turn 1 is closed; this move was not accepted\."):
        move_submit(actor=players["HTI"], team=hti, action="public_statement")


def test_closing_adjudicates_publishes_and_opens_the_next_turn(started: Exercise, players) -> None:
    m01 = started.injects.get(code="M-01")
    move = move_submit(
        actor=players["DOM"],
        team=team(started, "DOM"),
        action="hadr",
        target_team=team(started, "HTI"),
        target_inject=m01,
        rationale="Airlift from Santo Domingo.",
    )
    assert close(started)
    started.refresh_from_db()
    assert (started.status, started.current_turn) == (Exercise.Status.RUNNING, 2)
    move.refresh_from_db()
    assert move.status == Move.Status.ADJUDICATED
    assert move.outcome["key"] == "DOM:1"
    assert move.outcome["status"] in ("success", "partial", "failure", "setback")
    assert 0 < move.outcome["chance"] < 1
    turn1 = started.turn_set.get(number=1)
    assert turn1.closed_at and turn1.published_at
    assert set(turn1.snapshot["teams"]) == {"HTI", "DOM"}
    assert turn1.snapshot["trust"].keys() == {"DOM-HTI"}
    assert started.regional_stability == turn1.snapshot["regional_stability"]
    # Budgets are renewed for the new turn.
    assert team(started, "DOM").budget == 5
    kinds = list(started.events.filter(turn=1).values_list("kind", flat=True))
    assert "turn.closed" in kinds and "move.adjudicated" in kinds and "turn.published" in kinds


def test_closing_twice_closes_once(started: Exercise) -> None:
    assert close(started)
    events = Event.objects.count()
    assert not turn_close(exercise_id=started.pk, turn_number=1, reason="duplicate")
    assert Event.objects.count() == events
    assert started.turn_set.count() == 2


def test_review_mode_waits_for_the_facilitator_who_can_rate_and_override(
    started: Exercise, players, facilitator
) -> None:
    Exercise.objects.filter(pk=started.pk).update(adjudication_mode="review")
    move = move_submit(
        actor=players["DOM"],
        team=team(started, "DOM"),
        action="hadr",
        target_inject=started.injects.get(code="M-01"),
    )
    move_rate(actor=facilitator, move=move, rating="weak")
    assert close(started)
    started.refresh_from_db()
    assert started.status == Exercise.Status.ADJUDICATING
    turn = started.turn_set.get(number=1)
    proposed = turn.adjudication["outcomes"]["DOM:1"]
    assert proposed["factors"]["rating"] == -0.15
    with pytest.raises(WrongState, match="Give a reason"):
        move_override(actor=facilitator, move=move, success=True, reason=" ")
    move_override(actor=facilitator, move=move, success=True, reason="Airlift was pre-positioned.")
    turn.refresh_from_db()
    assert turn.adjudication["outcomes"]["DOM:1"]["status"] == "success"
    assert turn.adjudication["outcomes"]["DOM:1"]["reason"] == "forced"
    with pytest.raises(NotAllowed):
        turn_publish(actor=players["DOM"], exercise=started)
    turn_publish(actor=facilitator, exercise=started)
    started.refresh_from_db()
    assert (started.status, started.current_turn) == (Exercise.Status.RUNNING, 2)
    rules = engine_rules()
    expected = rules.initial_pressure(4) - rules.actions["hadr"].relief
    assert started.injects.get(code="M-01").pressure == expected
    assert started.events.filter(kind="move.overridden", payload__reason__isnull=False).exists()


def test_a_contingency_is_skipped_when_its_inject_was_answered(started: Exercise, players) -> None:
    m01 = started.injects.get(code="M-01")
    Inject.objects.filter(pk=m01.pk).update(pressure=engine_rules().actions["hadr"].relief)
    move = move_submit(
        actor=players["DOM"],
        team=team(started, "DOM"),
        action="hadr",
        target_inject=m01,
    )
    Move.objects.filter(pk=move.pk).update(forced_success=True)
    close(started)  # turn 1: M-01 answered
    close(started)  # turn 2
    started.refresh_from_db()
    assert started.current_turn == 3
    assert started.injects.get(code="M-01").status == Inject.Status.ANSWERED
    assert started.injects.get(code="M-02").status == Inject.Status.SKIPPED


def test_a_contingency_is_delivered_when_its_inject_is_still_open(started: Exercise) -> None:
    close(started)
    close(started)
    assert started.injects.get(code="M-02").status == Inject.Status.DELIVERED


def test_the_last_turn_finishes_the_exercise(started: Exercise) -> None:
    for _ in range(started.scenario.turns):
        assert close(started)
    started.refresh_from_db()
    assert started.status == Exercise.Status.FINISHED
    assert started.finished_at is not None
    assert started.turn_set.count() == started.scenario.turns


def test_pause_and_resume_keep_the_time_left(started: Exercise, facilitator) -> None:
    deadline = timezone.now() + timedelta(seconds=100)
    Exercise.objects.filter(pk=started.pk).update(turn_deadline=deadline)
    exercise_pause(actor=facilitator, exercise=started)
    started.refresh_from_db()
    assert started.turn_deadline is None
    assert started.paused_seconds_left in (99, 100)
    left = started.paused_seconds_left
    exercise_resume(actor=facilitator, exercise=started)
    started.refresh_from_db()
    remaining = (started.turn_deadline - timezone.now()).total_seconds()
    assert left - 1 <= remaining <= left
    with pytest.raises(WrongState):
        exercise_resume(actor=facilitator, exercise=started)


def test_extend_moves_the_deadline(started: Exercise, facilitator) -> None:
    before = started.turn_deadline
    turn_extend(actor=facilitator, exercise=started, seconds=300)
    started.refresh_from_db()
    assert started.turn_deadline == before + timedelta(seconds=300)


def test_all_teams_ready_closes_the_turn(
    started: Exercise, players, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        assert not team_mark_ready(actor=players["HTI"], team=team(started, "HTI"))
        assert team_mark_ready(actor=players["DOM"], team=team(started, "DOM"))
    # The close is enqueued once the ready flag is committed.
    closes = [c for c in callbacks if getattr(c, "func", None) is task_send]
    assert [c.args for c in closes] == [(CLOSE_TURN, started.pk, 1, "all teams ready")]


def test_the_facilitator_holds_releases_and_delivers_injects(
    started: Exercise, facilitator, players
) -> None:
    m02 = started.injects.get(code="M-02")
    inject_hold(actor=facilitator, inject=m02)
    close(started)
    close(started)
    m02.refresh_from_db()
    assert m02.status == Inject.Status.HELD
    inject_release(actor=facilitator, inject=m02)
    m02.refresh_from_db()
    assert (m02.status, m02.delivered_turn) == (Inject.Status.DELIVERED, 3)
    with pytest.raises(WrongState):
        inject_deliver(actor=facilitator, inject=m02)
    with pytest.raises(NotAllowed):
        inject_hold(actor=players["HTI"], inject=m02)


def test_an_ad_hoc_inject_is_delivered_at_once(started: Exercise, facilitator) -> None:
    inject = inject_write(
        actor=facilitator,
        exercise=started,
        kind="cyberattack",
        title="Ransomware at Rio Haina port",
        message="Terminal systems are encrypted.",
        to=["DOM"],
        severity=4,
        expected_actions=["intel_sharing"],
        originator="CSIRT-RD",
    )
    pressure = engine_rules().initial_pressure(4)
    assert (inject.code, inject.status, inject.pressure) == ("ADHOC-01", "delivered", pressure)
    assert inject.affects == ["DOM"]
    with pytest.raises(WrongState, match="Name only nations"):
        inject_write(actor=facilitator, exercise=started, kind="flood", title="t", message="m",
                     to=["BRA"])  # fmt: skip


def test_end_stops_everything(started: Exercise, facilitator, players) -> None:
    exercise_end(actor=facilitator, exercise=started, reason="  Time is up.  ")
    started.refresh_from_db()
    assert started.status == Exercise.Status.FINISHED
    # ENDEX: why play stopped before the last turn, for the log and the report.
    assert started.end_reason == "Time is up."
    ended = Event.objects.get(exercise=started, kind="exercise.finished")
    assert ended.payload["why"] == "Time is up." and ended.turn == 1
    with pytest.raises(MoveRefused):
        move_submit(actor=players["HTI"], team=team(started, "HTI"), action="public_statement")
    assert not close(started)


def test_an_exercise_ended_early_says_why(started: Exercise, facilitator, client) -> None:
    for reason in ("", "   "):
        with pytest.raises(WrongState, match="Say why the exercise ends"):
            exercise_end(actor=facilitator, exercise=started, reason=reason)
    with pytest.raises(WrongState, match="at most 1000 characters"):
        exercise_end(actor=facilitator, exercise=started, reason="x" * 1001)
    started.refresh_from_db()
    assert started.status == Exercise.Status.RUNNING and not started.end_reason
    # From the control room: refused with the reason, the clock still runs.
    facilitator.is_staff = True
    facilitator.save()
    client.force_login(facilitator)
    url = reverse("exercises:clock", args=[started.code, "end"])
    page = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "Say why the exercise ends before its last turn" in page
    assert Exercise.objects.get(pk=started.pk).status == Exercise.Status.RUNNING
    client.post(url, {"reason": "The hall closes at noon."})
    assert Exercise.objects.get(pk=started.pk).end_reason == "The hall closes at noon."


def test_every_change_bumps_the_version(started: Exercise, players) -> None:
    before = started.version
    move_submit(actor=players["HTI"], team=team(started, "HTI"), action="public_statement")
    started.refresh_from_db()
    assert started.version > before


def test_an_exercise_keeps_the_scenarios_nations_without_relations_and_plays_by_them(
    shipped_scenarios, facilitator
) -> None:
    """Pacific Route's Mexico has no relations with Ecuador or Peru: an exercise of it takes
    the pairs when it is created, and Mexico's intelligence shared directly with Ecuador pays
    for the missing channel when the turn closes."""
    scenario = next(s for s in shipped_scenarios if s.slug == "pacific-route")
    exercise = exercise_create(actor=facilitator, scenario=scenario, seed=5)
    assert sorted(map(sorted, exercise.no_relations)) == [["ECU", "MEX"], ["MEX", "PER"]]
    exercise_start(actor=facilitator, exercise=exercise)
    mexico, ecuador = (exercise.teams.get(nation_code=code) for code in ("MEX", "ECU"))
    player = User.objects.create_user("player-mex")
    participant_add(actor=facilitator, exercise=exercise, user=player, role=Role.PLAYER,
                    team=mexico)  # fmt: skip
    move = move_submit(actor=player, team=mexico, action="intel_sharing", target_team=ecuador)
    exercise.refresh_from_db()
    assert turn_close(exercise_id=exercise.pk, turn_number=1, reason="test")
    move.refresh_from_db()
    assert move.outcome["factors"]["no_relations"] == -0.2
