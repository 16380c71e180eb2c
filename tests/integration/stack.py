"""The production stack as its containers run it, on this machine: the commands of
docker-compose.yml's web, worker and beat services (gunicorn, celery worker, celery beat) as
subprocesses, on the test database and a Redis server of the test's own, which a test may stop
and start again. The app reaches the database through something a test may cut, as a database
restart would: a TCP relay to PostgreSQL, a folder link to an SQLite file."""

import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import yaml
from django.conf import settings
from django.db import connection

from tests.conftest import REPO
from tests.integration.workers import database_url, wait_for


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def compose_command(service: str) -> list[str]:
    """The command a service of docker-compose.yml runs, as a list of arguments."""
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    command = compose["services"][service]["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


class RedisServer:
    """A Redis server of the test's own, on a free port, keeping nothing on disk."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self.answers, 10, lambda: f"redis-server on {self.port} does not answer")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class Relay:
    """A TCP relay from a free port to the database server. Cutting it closes every
    connection and refuses new ones, as a database restart does; opening it again lets new
    connections through."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()

    def open(self) -> None:
        if self.listener:
            return
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        if self.listener:
            # shutdown() wakes the thread blocked in accept(); close() alone would leave the
            # port listening until that call returns.
            with suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        with self.lock:
            for sock in self.sockets:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        # Either side closing (or the relay being cut) ends the copy: OSError is the end.
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for sock in (source, sink):
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class FolderLink:
    """The app reaches an SQLite database through a link to the folder that holds it (the
    database's -wal and -shm files are found through it too). Cutting removes the link, so
    every new connection fails to open the file, as a database that is away does; opening
    puts it back."""

    def __init__(self, database: Path, directory: Path) -> None:
        self.target = database.parent
        self.link = directory / "database"
        self.path = self.link / database.name

    def open(self) -> None:
        if not self.link.is_symlink():
            self.link.symlink_to(self.target, target_is_directory=True)

    def cut(self) -> None:
        self.link.unlink(missing_ok=True)


class Process:
    def __init__(self, name: str, args: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.args, self.env, self.log = name, args, env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "a") as out:
            self.process = subprocess.Popen(
                self.args, cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class Stack:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.redis = RedisServer(directory)
        db = connection.settings_dict
        self.postgres = not db["ENGINE"].endswith("sqlite3")
        # What stands between the app and its database, for a test to cut.
        self.relay: Relay | FolderLink = (
            Relay(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
            if self.postgres
            else FolderLink(Path(db["NAME"]), directory)
        )
        self.port = free_port()
        self.processes: dict[str, Process] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        url = database_url()
        if isinstance(self.relay, Relay):
            db = connection.settings_dict
            url = url.replace(f":{db['PORT'] or 5432}/", f":{self.relay.port}/")
        else:
            url = f"sqlite:///{self.relay.path}"
        env = dict(os.environ)
        env.update(
            DATABASE_URL=url,
            CELERY_BROKER_URL=f"{self.redis.url}/0",
            CACHE_URL=f"{self.redis.url}/1",
            # The test logs users in with sessions it makes itself: the same key signs them.
            SECRET_KEY=settings.SECRET_KEY,
            DEBUG="false",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            CUMBRE_VAR_DIR=str(self.directory / "var"),
            CUMBRE_REPORT_DIR=str(settings.CUMBRE_REPORT_DIR),
            CUMBRE_TICK_SECONDS="0.5",
            LOG_FORMAT="json",
            PORT=str(self.port),
            WEB_CONCURRENCY="2",
            PYTHONUNBUFFERED="1",
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        )
        return env

    def process(self, service: str, extra: list[str] | None = None) -> Process:
        args = compose_command(service) + (extra or [])
        return Process(service, args, self.env(), self.directory / f"{service}.log")

    def start(self) -> None:
        (self.directory / "var").mkdir(exist_ok=True)
        self.redis.start()
        self.relay.open()
        self.processes = {
            "web": self.process("web"),
            "worker": self.process("worker", ["--without-gossip", "--without-mingle"]),
            "beat": self.process("beat", ["--schedule", str(self.directory / "beat-schedule")]),
        }
        for process in self.processes.values():
            process.start()
        wait_for(self.live, 60, self.logs)

    def stop(self) -> None:
        for process in self.processes.values():
            process.stop()
        self.redis.stop()
        self.relay.cut()

    def off_the_database(self) -> None:
        """Cut the stack off the database and wait until none of its connections is left.

        A stack kept between tests must not touch the test database while it is emptied: a
        task running during the flush takes locks in another order than the flush, and one of
        the two is aborted as a deadlock. `relay.open()` lets it back in."""
        self.relay.cut()
        if self.postgres:

            def alone() -> bool:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "select count(*) from pg_stat_activity"
                        " where datname = current_database() and pid <> pg_backend_pid()"
                    )
                    return cursor.fetchone()[0] == 0

            wait_for(alone, 30, self.logs)

    def live(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def logs(self) -> str:
        return "\n".join(f"--- {name}\n{p.text()[-4000:]}" for name, p in self.processes.items())


@contextmanager
def running_stack(directory: Path) -> Iterator[Stack]:
    stack = Stack(directory)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
