"""The background process as `make run` starts it: a real Celery worker with beat.

The worker, beat and the demo set-up run as separate processes on a database of their own, once
on the embedded filesystem broker (no server) and once on Redis (production and CI).
"""

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.waits  # servers and workers of their own

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def _env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CELERY_")}
    env.update(
        CUMBRE_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'cumbre.sqlite3'}",
        CUMBRE_TICK_SECONDS="0.5",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def demo_var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A var/ folder after `make run`'s set-up steps, run twice as a user would."""
    var_dir = tmp_path_factory.mktemp("var")
    env = _env(var_dir)
    _manage(env, "migrate", "--noinput")
    first = _manage(env, "setup_demo")
    second = _manage(env, "setup_demo")
    assert "Sign in as:  facilitator / " in first
    # Running again reuses the account, its password and the exercise.
    assert first.split("Sign in as:")[1] == second.split("Sign in as:")[1]
    return var_dir


def test_setup_demo_creates_one_exercise_with_every_nation(demo_var_dir: Path) -> None:
    with sqlite3.connect(demo_var_dir / "cumbre.sqlite3") as db:
        assert db.execute("select count(*) from scenarios_scenario").fetchone()[0] >= 3
        assert db.execute("select code from exercises_exercise").fetchall() == [("demo",)]
        teams = db.execute("select count(*) from exercises_team").fetchone()[0]
        nations = db.execute(
            "select count(*) from scenarios_scenarionation n join scenarios_scenario s "
            "on s.id = n.scenario_id where s.slug = 'caribbean-storm'"
        ).fetchone()[0]
        assert teams == nations >= 5
        users = db.execute("select username, is_superuser from auth_user").fetchall()
        assert users == [("facilitator", 1)]


def _redis_answers() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.mark.parametrize("broker", ["filesystem", "redis"])
def test_worker_and_beat_run_the_tick_on_the_demo_database(
    demo_var_dir: Path, tmp_path: Path, broker: str
) -> None:
    var_dir = tmp_path / "var"
    shutil.copytree(demo_var_dir, var_dir)
    extra = {}
    if broker == "redis":
        if not _redis_answers():
            pytest.fail(
                f"Redis does not answer on {REDIS_HOST}:{REDIS_PORT}; start it (see README)"
            )
        extra["CELERY_BROKER_URL"] = f"redis://{REDIS_HOST}:{REDIS_PORT}/15"
    log = var_dir / "worker.log"
    with open(log, "w") as out:
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "wargame", "worker", "--beat",
                "--concurrency", "1", "--loglevel", "INFO", "--without-gossip",
                "--without-mingle", "--without-heartbeat",
                "--schedule", str(var_dir / "beat-schedule"),
            ],
            cwd=REPO, env=_env(var_dir, **extra), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    expected = "Task exercises.tick["
    # Two ticks received, and one of them done: "received" lines come before "succeeded".
    done = re.compile(r"Task exercises\.tick\[[^\]]+\] succeeded")
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            text = log.read_text()
            if (text.count(expected) >= 2 and done.search(text)) or worker.poll() is not None:
                break
            time.sleep(0.25)
        text = log.read_text()
        assert worker.poll() is None, text
        assert text.count(expected) >= 2, text
        assert done.search(text), text
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
