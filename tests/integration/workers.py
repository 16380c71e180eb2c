"""Real Celery workers, with beat, as subprocesses on the test database and the real broker."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.conftest import REPO


def database_url() -> str:
    """The URL of the database the tests are using now (the test database)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path) -> None:
        self.process = process
        self.log = log

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the worker and its pool, as a crash or an out-of-memory kill would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def celery_worker(log: Path, *, beat: bool = True, tick: float = 0.5) -> Iterator[Worker]:
    """Start `celery worker` (with beat) and wait until it is ready; stop it afterwards.

    The queue is purged first: messages left by an earlier run name exercises that no longer
    exist, or worse, ones that now have the same id."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        CUMBRE_VAR_DIR=str(settings.VAR_DIR),
        CUMBRE_REPORT_DIR=str(settings.CUMBRE_REPORT_DIR),
        CUMBRE_TICK_SECONDS=str(tick),
        PYTHONUNBUFFERED="1",
    )
    args = [
        sys.executable, "-m", "celery", "-A", "wargame", "worker", "--loglevel", "INFO",
        "--concurrency", "2", "--purge", "--without-gossip", "--without-mingle",
        "--without-heartbeat",
    ]  # fmt: skip
    if beat:
        args += ["--beat", "--schedule", str(log.with_suffix(".beat"))]
    with open(log, "w") as out:
        process = subprocess.Popen(
            args, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    worker = Worker(process, log)
    try:
        wait_for(lambda: " ready." in worker.text(), 60, worker.text)
        yield worker
    finally:
        worker.stop()


def wait_for(condition: Callable[[], object], seconds: float, describe: Callable[[], str]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"not true within {seconds} s:\n{describe()}")
