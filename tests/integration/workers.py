"""Real Celery workers, with beat, as subprocesses on the test database and the real broker."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.conftest import REPO
from wargame.celery import app


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
    def __init__(self, process: subprocess.Popen, log: Path, node: str) -> None:
        self.process = process
        self.log = log
        self.node = node

    def hold(self, seconds: float = 30) -> None:
        """Stop taking tasks and wait until the ones already taken are done.

        A worker kept between tests must be still while the test database is emptied: a task
        running during the flush takes locks in another order and one of the two is aborted as
        a deadlock. Beat goes on sending its ticks; they wait in the queue until `resume`."""
        queue = settings.CELERY_TASK_DEFAULT_QUEUE
        app.control.cancel_consumer(queue, destination=[self.node], reply=True, limit=1)

        def idle() -> bool:
            inspect = app.control.inspect(destination=[self.node], limit=1, timeout=5)
            running = (inspect.active() or {}).get(self.node)
            taken = (inspect.reserved() or {}).get(self.node)
            return running == [] and taken == []

        wait_for(idle, seconds, self.text)

    def resume(self) -> None:
        queue = settings.CELERY_TASK_DEFAULT_QUEUE
        app.control.add_consumer(queue, destination=[self.node], reply=True, limit=1)

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
    node = f"{settings.CELERY_TASK_DEFAULT_QUEUE}@{socket.gethostname()}"
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
        "--without-heartbeat", "--hostname", node,
    ]  # fmt: skip
    if beat:
        args += ["--beat", "--schedule", str(log.with_suffix(".beat"))]
    with open(log, "w") as out:
        process = subprocess.Popen(
            args, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    worker = Worker(process, log, node)
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
