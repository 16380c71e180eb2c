"""The turn cycle driven by a real Celery worker and beat, on the real broker and database."""

import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import MINIMAL
from tests.integration.workers import Worker, celery_worker, wait_for
from wargame.exercises.errors import MoveRefused
from wargame.exercises.models import Event, Exercise, Heartbeat, Move, Role, Team
from wargame.exercises.services import exercise_create, move_submit, participant_add
from wargame.scenarios.fileformat import parse_scenario_file
from wargame.scenarios.services import scenario_load
from wargame.turns.bots import team_set_bot
from wargame.turns.clock import TICK
from wargame.turns.services import exercise_pause, exercise_resume, exercise_start
from wargame.turns.tasks import close_turn
from wargame.web.shared import room_regions

pytestmark = pytest.mark.django_db(transaction=True)
User = get_user_model()


@pytest.fixture(scope="module")
def worker(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: None, django_db_blocker
) -> Iterator[Worker]:
    with django_db_blocker.unblock():
        connection.ensure_connection()
        with celery_worker(tmp_path_factory.mktemp("worker") / "worker.log") as running:
            yield running


@pytest.fixture(autouse=True)
def _still_worker_between_tests(worker: Worker, transactional_db: None) -> Iterator[None]:
    """The module's worker takes tasks during the test only, and is still when the test
    database is emptied after it (teardown runs in the reverse order of setup)."""
    worker.resume()
    yield
    worker.hold()


def new_exercise(turn_seconds: int) -> tuple[Exercise, object, dict[str, object]]:
    scenario = scenario_load(parse_scenario_file(MINIMAL))
    facilitator, _ = User.objects.get_or_create(username="facilitator")
    exercise = exercise_create(
        actor=facilitator, scenario=scenario, seed=11, turn_seconds=turn_seconds
    )
    players = {}
    for team in exercise.teams.all():
        user = User.objects.create(username=f"p-{exercise.pk}-{team.nation_code}")
        participant_add(actor=None, exercise=exercise, user=user, role=Role.PLAYER, team=team)
        players[team.nation_code] = user
    return exercise, facilitator, players


def current(exercise: Exercise) -> Exercise:
    return Exercise.objects.get(pk=exercise.pk)


def closes(exercise: Exercise, turn: int) -> int:
    return Event.objects.filter(exercise=exercise, kind="turn.closed", turn=turn).count()


def test_three_second_turns_advance_by_themselves(worker: Worker) -> None:
    exercise, facilitator, _players = new_exercise(turn_seconds=3)
    exercise_start(actor=facilitator, exercise=exercise)
    started = time.monotonic()
    wait_for(lambda: current(exercise).current_turn >= 4, 40, worker.text)
    elapsed = time.monotonic() - started
    assert elapsed >= 3 * 3 - 1, elapsed
    assert [closes(exercise, turn) for turn in (1, 2, 3)] == [1, 1, 1]
    assert list(exercise.turn_set.values_list("number", flat=True)) == [1, 2, 3, 4]

    # After each close the worker renders every team's room ahead of its players.
    def rooms_ready() -> bool:
        now = current(exercise)
        kept = [room_regions(now, team, can_act=True) for team in now.teams.all()]
        return all(regions and all(html for _key, html in regions.values()) for regions in kept)

    wait_for(rooms_ready, 10, worker.text)
    assert "regions rendered ahead" in worker.text()


def test_a_move_made_in_the_page_is_rendered_for_the_team_by_the_worker(worker: Worker) -> None:
    exercise, facilitator, players = new_exercise(turn_seconds=3600)
    exercise_start(actor=facilitator, exercise=exercise)
    browser = Client()
    browser.force_login(players["DOM"])
    room = browser.get(reverse("exercises:team", args=[exercise.code, "DOM"])).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', room).group(1)
    answer = browser.post(
        reverse("exercises:move_new", args=[exercise.code, "DOM"]),
        {"action": "public_statement", "idempotency_key": key},
        headers={"HX-Request": "true", "HX-Target": "move-form"},
    )
    assert answer.status_code == 200
    team = exercise.teams.get(nation_code="DOM")

    def rendered() -> bool:
        regions = room_regions(current(exercise), team, can_act=True)
        kept = {name: html for name, (_key, html) in regions.items()}
        return bool(kept) and all(kept.values()) and "Public statement" in kept["moves"]

    wait_for(rendered, 10, worker.text)


def test_close_turn_sent_ten_times_at_once_closes_the_turn_once(worker: Worker) -> None:
    exercise, facilitator, players = new_exercise(turn_seconds=3600)
    exercise_start(actor=facilitator, exercise=exercise)
    hti = exercise.teams.get(nation_code="HTI")
    move_submit(actor=players["HTI"], team=hti, action="public_statement")
    with ThreadPoolExecutor(10) as pool:
        list(pool.map(lambda _: close_turn.delay(exercise.pk, 1, "test"), range(10)))
    wait_for(lambda: current(exercise).current_turn == 2, 30, worker.text)
    handled = f"close_turn exercise={exercise.pk} turn=1"
    wait_for(lambda: worker.text().count(handled) >= 10, 30, worker.text)
    assert closes(exercise, 1) == 1
    assert Event.objects.filter(exercise=exercise, kind="move.adjudicated").count() == 1
    assert Event.objects.filter(exercise=exercise, kind="turn.published").count() == 1
    assert exercise.turn_set.count() == 2
    assert worker.text().count(f"close_turn exercise={exercise.pk} turn=1: closed") == 1


def test_moves_racing_the_close_are_adjudicated_or_refused_never_lost(worker: Worker) -> None:
    exercise, facilitator, players = new_exercise(turn_seconds=3600)
    exercise_start(actor=facilitator, exercise=exercise)
    teams = {team.nation_code: team for team in exercise.teams.all()}
    # Relief at home (no limit a turn), from the most points a team may hold: when a team has
    # spent them it tries again until the next turn gives it more.
    Team.objects.filter(exercise=exercise).update(budget=100, budget_per_turn=100)
    results: list[tuple[str, object]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def submit(code: str) -> None:
        from django.db import connections

        try:
            while not stop.is_set():
                team = Team.objects.get(pk=teams[code].pk)
                if team.budget < 2:
                    continue
                try:
                    move = move_submit(actor=players[code], team=team, action="hadr")
                    outcome: tuple[str, object] = ("accepted", move.pk)
                except MoveRefused as refused:
                    if Team.objects.get(pk=team.pk).budget < 2:
                        continue  # the other thread of the team spent the last points
                    outcome = ("refused", str(refused.message))
                with lock:
                    results.append(outcome)
                if outcome[0] == "refused":
                    return
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(code,)) for code in ("HTI", "DOM") * 2]
    for thread in threads:
        thread.start()
    wait_for(lambda: len(results) >= 4, 30, lambda: f"results: {results}")
    Exercise.objects.filter(pk=exercise.pk).update(turn_deadline=timezone.now())
    wait_for(lambda: current(exercise).current_turn == 2, 30, worker.text)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)

    accepted = [value for kind, value in results if kind == "accepted"]
    refused = [value for kind, value in results if kind == "refused"]
    assert accepted and refused
    assert all("turn 1" in reason.lower() or "turn 2" in reason.lower() for reason in refused)
    moves = Move.objects.filter(exercise=exercise)
    assert sorted(moves.values_list("pk", flat=True)) == sorted(accepted)
    turn1 = [pk for pk in accepted if Move.objects.get(pk=pk).turn.number == 1]
    # Every move accepted in turn 1 was adjudicated exactly once; none is lost or doubled.
    assert set(moves.filter(turn__number=1).values_list("status", flat=True)) == {"adjudicated"}
    adjudicated = Event.objects.filter(exercise=exercise, kind="move.adjudicated")
    assert adjudicated.count() == len(turn1)
    assert len({event.payload["key"] for event in adjudicated}) == len(turn1)


def ticks_after(moment: datetime, count: int) -> Callable[[], bool]:
    """Beat's tick has run `count` times since `moment` (it runs every 0.5 s here)."""
    seen: set[datetime] = set()

    def ran() -> bool:
        at = Heartbeat.objects.filter(name=TICK).values_list("at", flat=True).first()
        if at is not None and at > moment:
            seen.add(at)
        return len(seen) >= count

    return ran


def test_pause_stops_the_clock_and_resume_keeps_the_time_left(worker: Worker) -> None:
    exercise, facilitator, _players = new_exercise(turn_seconds=4)
    exercise_start(actor=facilitator, exercise=exercise)
    exercise_pause(actor=facilitator, exercise=exercise)
    paused = timezone.now()
    left = current(exercise).paused_seconds_left
    assert left in (3, 4)
    # Beat looks at the clock three times while the turn is paused (its ticks are waited for,
    # not the time), and leaves the turn open.
    wait_for(ticks_after(paused, 3), 20, worker.text)
    assert current(exercise).current_turn == 1
    assert closes(exercise, 1) == 0
    exercise_resume(actor=facilitator, exercise=exercise)
    resumed = timezone.now()
    deadline = current(exercise).turn_deadline
    assert abs((deadline - resumed) - timedelta(seconds=left)) < timedelta(seconds=1)
    wait_for(lambda: current(exercise).current_turn == 2, 20, worker.text)
    closed_at = exercise.turn_set.get(number=1).closed_at
    assert deadline <= closed_at < deadline + timedelta(seconds=5)


def test_the_worker_log_shows_the_tick(worker: Worker, tmp_path: Path) -> None:
    assert "exercises.tick" in worker.text()


def test_bot_nations_play_in_the_worker_after_each_turn_opens(worker: Worker) -> None:
    """Every nation handed to a bot: the worker plays each turn once it is committed, the bots
    say they are ready, and the turn closes early, long before its ten minutes are up."""
    exercise, facilitator, _players = new_exercise(turn_seconds=600)
    for team in exercise.teams.all():
        team_set_bot(actor=facilitator, team=team, bot=True)
    exercise_start(actor=facilitator, exercise=exercise)
    wait_for(lambda: current(exercise).current_turn >= 3, 60, worker.text)
    for turn in (1, 2):
        played = Move.objects.filter(exercise=exercise, turn__number=turn)
        assert played.exists() and all(move.by_bot for move in played), turn
        assert closes(exercise, turn) == 1
        reasons = Event.objects.filter(exercise=exercise, kind="turn.closed", turn=turn)
        assert reasons.get().payload["reason"] == "all teams ready"
