"""The production stack (docker-compose.yml's gunicorn, celery worker and celery beat commands)
on this machine, against PostgreSQL and Redis; and what it does when a part fails: Redis
stopped, the worker killed, the database cut off. The rest keeps working and says so, and
each part recovers without restarting the others."""

import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.conftest import MINIMAL, REPO
from tests.integration.stack import Stack, running_stack
from tests.integration.workers import wait_for
from wargame.exercises.models import Exercise, Move, Role
from wargame.exercises.pulse import pulse_key
from wargame.exercises.services import exercise_create, participant_add
from wargame.scenarios.fileformat import parse_scenario_file
from wargame.scenarios.services import scenario_load
from wargame.turns.services import exercise_start

pytestmark = pytest.mark.django_db(transaction=True)
User = get_user_model()
OFFLINE = "The scheduler is offline"


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: None, django_db_blocker
) -> Iterator[Stack]:
    with django_db_blocker.unblock(), running_stack(tmp_path_factory.mktemp("stack")) as running:
        yield running


@pytest.fixture(autouse=True)
def _stack_on_the_database_during_tests(stack: Stack, transactional_db: None) -> Iterator[None]:
    """The module's stack reaches the database during each test only, not while the test
    database is emptied after it (teardown runs in the reverse order of setup)."""
    stack.relay.open()
    yield
    stack.off_the_database()


def browser(stack: Stack, user) -> httpx.Client:
    """An HTTP client signed in as `user` (a session made here, signed with the same key)."""
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    return httpx.Client(base_url=stack.url, cookies={"sessionid": session}, timeout=30)


def csrf(client: httpx.Client, page: str) -> dict[str, str]:
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    return {"X-CSRFToken": client.cookies["csrftoken"]}


def health(stack: Stack) -> tuple[int, dict]:
    """What the load balancer sees (/healthz: a status, and nothing of why), and each part's
    state as operators see it, from `manage.py health` in the stack's environment."""
    response = httpx.get(f"{stack.url}/healthz", timeout=15)
    assert response.json() == {"status": "ok" if response.status_code == 200 else "unavailable"}
    command = [sys.executable, "manage.py", "health"]
    result = subprocess.run(
        command, cwd=REPO, env=stack.env(), capture_output=True, text=True, timeout=60
    )
    assert result.stdout.startswith("{"), result.stderr
    parts = json.loads(result.stdout)
    return response.status_code, {"ok": all(part["ok"] for part in parts.values()), **parts}


def healthy_now(stack: Stack) -> bool:
    response = httpx.get(f"{stack.url}/healthz", timeout=15)
    return response.status_code == 200


def healthy(stack: Stack) -> bool:
    try:
        return healthy_now(stack)
    except httpx.HTTPError:
        return False


def seated_exercise() -> tuple[Exercise, object, object, str]:
    scenario = scenario_load(parse_scenario_file(MINIMAL))
    facilitator = User.objects.create_user(f"f-{User.objects.count()}", is_staff=True)
    exercise = exercise_create(actor=facilitator, scenario=scenario, seed=5, turn_seconds=3600)
    team = exercise.teams.order_by("position").first()
    player = User.objects.create_user(f"p-{exercise.pk}")
    participant_add(actor=None, exercise=exercise, user=player, role=Role.PLAYER, team=team)
    exercise_start(actor=facilitator, exercise=exercise)
    return exercise, facilitator, player, team.nation_code


def submit_move(client: httpx.Client, code: str, nation: str, key: str) -> int:
    room = f"/x/{code}/team/{nation}/"
    data = {"action": "intel_sharing", "target_team": "", "target_inject": "", "resources": "",
            "intended_result": "", "rationale": "", "idempotency_key": key}  # fmt: skip
    response = client.post(f"{room}moves/", data=data, headers=csrf(client, room))
    return response.status_code


def test_the_containers_commands_run_the_app_and_report_healthy(stack: Stack) -> None:
    wait_for(lambda: healthy(stack), 60, stack.logs)
    status, parts = health(stack)
    assert status == 200 and parts["ok"]
    assert {"database", "broker", "cache", "scheduler"} <= parts.keys()
    assert parts["scheduler"]["last_tick_seconds_ago"] < 2
    assert httpx.get(f"{stack.url}/healthz/live").text == "ok"
    # Logs are JSON lines, for the log collector.
    line = next(line for line in stack.processes["web"].text().splitlines() if line.startswith("{"))
    assert {"time", "level", "logger", "message"} <= json.loads(line).keys()


def test_with_redis_stopped_pages_render_and_the_facilitator_closes_turns_by_hand(
    stack: Stack,
) -> None:
    wait_for(lambda: healthy(stack), 60, stack.logs)
    exercise, facilitator, player, nation = seated_exercise()
    control, room = browser(stack, facilitator), browser(stack, player)
    pulse = f"/x/{exercise.code}/pulse/"

    stack.redis.stop()
    try:
        assert room.get(f"/x/{exercise.code}/team/{nation}/").status_code == 200
        # The pulse answers from the database: the version, then "no change".
        key = pulse_key(exercise.code)
        changed = room.get(pulse, params={"v": 0, "k": key})
        assert changed.status_code == 200
        version = int(re.search(r"[?&]v=(\d+)", changed.text).group(1))
        assert version == Exercise.objects.get(pk=exercise.pk).version
        assert room.get(pulse, params={"v": version, "k": key}).status_code == 204
        # A move goes in, and the pulse sees it.
        assert submit_move(room, exercise.code, nation, "redis-down") == 302
        assert Move.objects.filter(exercise=exercise, idempotency_key="redis-down").exists()
        assert room.get(pulse, params={"v": version, "k": key}).status_code == 200
        # Health says what is down; the control room says the scheduler is.
        status, parts = health(stack)
        assert status == 503 and not parts["broker"]["ok"] and not parts["cache"]["ok"]
        assert parts["database"]["ok"]
        wait_for(lambda: OFFLINE in control.get(f"/x/{exercise.code}/control/").text, 15,
                 stack.logs)  # fmt: skip
        headers = csrf(control, f"/x/{exercise.code}/control/")
        closed = control.post(f"/x/{exercise.code}/clock/close/", headers=headers)
        assert closed.status_code == 302
        assert Exercise.objects.get(pk=exercise.pk).current_turn == 2
    finally:
        stack.redis.start()
    # Beat, the worker and the web app find Redis again by themselves.
    wait_for(lambda: healthy(stack), 90, stack.logs)
    assert OFFLINE not in control.get(f"/x/{exercise.code}/control/").text


def test_with_the_worker_killed_turns_close_by_hand_and_reports_render_in_the_request(
    stack: Stack,
) -> None:
    wait_for(lambda: healthy(stack), 60, stack.logs)
    exercise, facilitator, _player, _nation = seated_exercise()
    control = browser(stack, facilitator)
    worker = stack.processes["worker"]

    worker.stop(signal.SIGKILL)
    try:
        wait_for(lambda: not healthy(stack), 15, stack.logs)
        assert not health(stack)[1]["scheduler"]["ok"]
        assert OFFLINE in control.get(f"/x/{exercise.code}/control/").text
        headers = csrf(control, f"/x/{exercise.code}/control/")
        assert control.post(f"/x/{exercise.code}/clock/close/", headers=headers).status_code == 302
        assert Exercise.objects.get(pk=exercise.pk).current_turn == 2
        report = control.get(f"/x/{exercise.code}/report/docx/")
        assert report.status_code == 200 and report.content.startswith(b"PK")
    finally:
        worker.start()
    wait_for(lambda: healthy(stack), 90, stack.logs)


def test_while_the_database_is_cut_off_requests_get_a_clean_503_and_then_recover(
    stack: Stack,
) -> None:
    wait_for(lambda: healthy(stack), 60, stack.logs)
    exercise, _facilitator, player, nation = seated_exercise()
    room = browser(stack, player)
    url = f"/x/{exercise.code}/team/{nation}/"
    assert room.get(url).status_code == 200

    stack.relay.cut()
    try:
        down = room.get(url)
        assert down.status_code == 503
        assert "Back in a moment" in down.text and "Traceback" not in down.text
        assert down.headers["Retry-After"]
        status, parts = health(stack)
        assert status == 503 and not parts["database"]["ok"] and parts["cache"]["ok"]
    finally:
        stack.relay.open()
    # The same processes, not restarted, serve again.
    wait_for(lambda: room.get(url).status_code == 200, 30, stack.logs)
    wait_for(lambda: healthy(stack), 60, stack.logs)
    assert all(p.process.poll() is None for p in stack.processes.values())
