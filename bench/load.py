"""The web tier under load: a full exercise room against the production web server.

    .venv/bin/python bench/load.py                          # 35 teams × 5 players, 3 minutes
    .venv/bin/python bench/load.py --teams 7 --duration 60  # a quick look

It runs what production runs, on this machine: `gunicorn --config python:wargame.gunicorn
wargame.wsgi` with WEB_CONCURRENCY=2, and `celery -A wargame worker --beat --concurrency 1`,
on a PostgreSQL database and a Redis database of their own (created, migrated and flushed at
the start; dropped and flushed at the end; nothing is left running). It seeds an exercise of a
synthetic scenario (one team per nation, five players each, and the facilitator) and logs
everyone in by writing their sessions directly. Then, from this one asyncio process:

1. the ceiling: the same connections in a closed loop ask the bare view (`/healthz/live`, a
   constant) and the pulse with the current version (a 204 from the cache), in alternating
   rounds, over a minimal HTTP/1.1 client (httpx costs more CPU per request than the server
   spends on the bare view); the pulse should reach 90% of the bare view's throughput;
2. each page once at a time, right after the facilitator starts the exercise: what a request
   costs when it waits for no other;
3. the room: each browser (one httpx client each) polls the pulse every two seconds and loads
   its team room at the start and when the pulse reports a change the page listens to, at most
   once every few seconds (a turn change after a random wait up to the room's
   `data-turn-spread`, as cumbre.js waits); once a turn one player of each team (they take
   turns) submits a move and then a message to the nation the move is aimed at; the
   facilitator's page polls the pulse too and loads the control room on a change, and each
   move is timed from its POST's answer until the control room shows it (a chip in its team's
   row of the Teams table, in its turn). Turns close at their deadline (beat's tick and the
   worker), or with --no-worker by the facilitator's "Close turn now".

The load generator shares the machine's cores with the server, the database and the worker,
so the figures are a floor for a server of its own; the CPU time each part used is printed
with the figures, to show who had the cores.
"""

import argparse
import asyncio
import contextlib
import json
import logging
import math
import os
import platform
import random
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
from machine import cpu_model

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SERVER_COMMAND = ["gunicorn", "--config", "python:wargame.gunicorn", "wargame.wsgi"]
WORKER_COMMAND = ["celery", "-A", "wargame", "worker", "--beat", "--concurrency", "1"]

# What reloads each page, as its regions' hx-trigger attributes say (templates/exercises/
# team.html and control.html): a player's page ignores teams, people and log; the control
# room ignores messages.
ROOM_TOPICS = {"turn", "moves", "injects", "agreements", "messages", "changed"}
CONTROL_TOPICS = {"turn", "moves", "injects", "teams", "people", "agreements", "log", "changed"}
# A turn change wakes every page at once; the team room's figures are also given apart for
# the requests sent this long after one.
TURN_HERD_SECONDS = 15
# The control room's scheduler notice reloads itself this often (control.html).
SCHEDULER_SECONDS = 15
# The move each team submits: cheap, aimed at another nation, allowed by every synthetic
# scenario; the budget (20 to 28 points a turn) never runs short.
MOVE_ACTION = "intel_sharing"

ENDPOINTS = (
    "pulse",
    "team room",
    "move POST",
    "message POST",
    "control room",
    "control room, scheduler region",
    "close now POST",
    "bare view (probe)",
)


# --- Options ---------------------------------------------------------------------------------


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n", 1)[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--teams", type=int, default=35, help="nations (default 35)")
    parser.add_argument("--players-per-team", type=int, default=5, help="default 5")
    parser.add_argument(
        "--duration", type=float, default=180, help="seconds of the room phase (default 180)"
    )
    parser.add_argument(
        "--poll-seconds", type=float, default=2, help="pulse interval of every page (default 2)"
    )
    parser.add_argument(
        "--room-seconds",
        type=float,
        default=5,
        help="a page reloads its room at most this often (default 5)",
    )
    parser.add_argument(
        "--turn-seconds", type=int, default=60, help="real seconds per turn (default 60)"
    )
    parser.add_argument(
        "--ramp-seconds",
        type=float,
        default=10,
        help="players open their pages over this many seconds (default 10)",
    )
    parser.add_argument(
        "--ceiling-clients",
        type=int,
        default=16,
        help="concurrent clients of the ceiling phase (default 16)",
    )
    parser.add_argument(
        "--ceiling-seconds",
        type=float,
        default=5,
        help="seconds per endpoint per round of the ceiling phase (default 5)",
    )
    parser.add_argument(
        "--ceiling-rounds",
        type=int,
        default=4,
        help="rounds of the ceiling phase, bare view then pulse in each (default 4)",
    )
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="no Celery worker or beat: the facilitator closes each turn with “Close turn now”",
    )
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/cumbre_load",
        help="a PostgreSQL database that does not exist yet; created, then dropped\n"
        "(default postgres://postgres@127.0.0.1:5432/cumbre_load)",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/12",
        help="a Redis database of its own, flushed at the start and the end; broker and cache\n"
        "(default redis://127.0.0.1:6379/12)",
    )
    parser.add_argument(
        "--web-concurrency",
        type=int,
        default=2,
        help="gunicorn's worker processes, WEB_CONCURRENCY (default 2, as production)",
    )
    parser.add_argument(
        "--web-threads",
        type=int,
        help="threads per worker process, WEB_THREADS (default: wargame/gunicorn.py's)",
    )
    parser.add_argument(
        "--regions",
        action="store_true",
        help="pages reload as htmx does: each region listening to an event the pulse fires\n"
        "asks for itself, at once (HX-Target), instead of the whole page at most every\n"
        "--room-seconds",
    )
    parser.add_argument(
        "--timeline", action="store_true", help="the team room's figures per 10 s as well"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed of the players")
    args = parser.parse_args()
    if args.teams < 2 or args.players_per_team < 1:
        parser.error("at least 2 teams of 1 player")
    if urlsplit(args.database_url).scheme not in ("postgres", "postgresql"):
        parser.error("--database-url must be a PostgreSQL URL")
    if not urlsplit(args.redis_url).path.strip("/").isdigit():
        parser.error("--redis-url must name a database number, e.g. redis://127.0.0.1:6379/12")
    return args


# --- The machine and its processes -----------------------------------------------------------


def _app_version() -> str:
    """The commit measured, and whether the app's files differ from it."""
    try:
        commit = subprocess.run(
            ["git", "log", "-1", "--format=%h %cd", "--date=format:%Y-%m-%d %H:%M"],
            cwd=REPO, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "wargame", "templates", "static"],
            cwd=REPO, capture_output=True, text=True, check=True,
        ).stdout.splitlines()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return commit + (f", with {len(changed)} files changed since" if changed else "")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Service:
    """A server process in a process group of its own, so that stopping it stops its
    children (gunicorn's workers, the worker's beat) too."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.args, self.env, self.log = name, args, env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                self.args,
                cwd=REPO,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is None:
            return
        for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        # The group may outlive its leader for a moment (a worker finishing its request).
        deadline = time.monotonic() + 10
        while _group_alive(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _group_alive(self.process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _proc_stats() -> list[tuple[int, str, int, float]]:
    """(pid, command, process group, CPU seconds) of every process that can be read."""
    tick = os.sysconf("SC_CLK_TCK")
    rows = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            text = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        command = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        # After the command: state ppid pgrp session tty tpgid flags minflt cminflt majflt
        # cmajflt utime stime.
        seconds = (int(fields[11]) + int(fields[12])) / tick
        rows.append((int(entry.name), command, int(fields[2]), seconds))
    return rows


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]  # idle, iowait
    total = sum(values[:8])  # without guest time, which is already in user
    return (total - idle) / tick, total / tick


CPU_GROUPS = ("load generator", "web (gunicorn)", "worker (celery)", "PostgreSQL", "Redis")


def _cpu_snapshot(web: Service, worker: Service | None) -> dict[str, float]:
    """CPU seconds used so far by each part, and by the whole machine."""
    used = dict.fromkeys(CPU_GROUPS, 0.0)
    me = os.getpid()
    for pid, command, group, seconds in _proc_stats():
        if pid == me:
            used["load generator"] += seconds
        elif group == web.pid:
            used["web (gunicorn)"] += seconds
            if pid != web.pid:  # each worker process, to see how the work was shared
                used[f"web worker {pid}"] = seconds
        elif worker is not None and group == worker.pid:
            used["worker (celery)"] += seconds
        elif command == "postgres":
            used["PostgreSQL"] += seconds
        elif command.startswith("redis-server"):
            used["Redis"] += seconds
    used["machine busy"], used["machine total"] = _machine_cpu()
    return used


def _cpu_between(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {key: after[key] - before.get(key, 0.0) for key in after}


# --- Database, Redis, Django -----------------------------------------------------------------


def _maintenance_url(database_url: str) -> tuple[str, str]:
    """The server's maintenance database URL (to create and drop ours) and our name."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise SystemExit(f"the database name {name!r} must be a plain identifier")
    return urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, "")), name


def _database_create(database_url: str) -> None:
    import psycopg

    url, name = _maintenance_url(database_url)
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            raise SystemExit(
                f"the database {name} already exists; this benchmark drops its database at the "
                f"end, so it wants one of its own: drop it (dropdb {name}) or name another with "
                "--database-url"
            )
        conn.execute(f'CREATE DATABASE "{name}"')


def _database_drop(database_url: str) -> None:
    import psycopg

    url, name = _maintenance_url(database_url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _redis_flush(redis_url: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        client.flushdb()
    finally:
        client.close()


def _server_env(args: argparse.Namespace, var_dir: Path, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=args.database_url,
        CELERY_BROKER_URL=args.redis_url,
        CACHE_URL=args.redis_url,
        DEBUG="false",
        SECRET_KEY=f"load-benchmark-{uuid.uuid4().hex}{uuid.uuid4().hex}",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CUMBRE_VAR_DIR=str(var_dir),
        LOG_FORMAT="json",
        PORT=str(port),
        WEB_CONCURRENCY=str(args.web_concurrency),
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="wargame.settings",
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    if args.web_threads:
        env["WEB_THREADS"] = str(args.web_threads)
    return env


@dataclass
class Seat:
    """A simulated browser: whose session, and for a player which team and which place."""

    username: str
    session: str
    nation: str = ""
    team_pk: int = 0
    index: int = 0


@dataclass
class Seeded:
    code: str
    facilitator: Seat
    players: list[Seat]
    team_pks: dict[str, int]
    turns: int


def _seed(args: argparse.Namespace, scenario_turns: int, turn_seconds: int) -> Seeded:
    """The exercise, its people and their sessions, through the real services (in draft: the
    facilitator starts it over HTTP when the room phase begins)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.db import connections, transaction

    from tests.factories.scenarios import synthetic_spec
    from wargame.exercises.models import Role
    from wargame.exercises.services import exercise_create, participant_add
    from wargame.scenarios.services import scenario_load

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    users = get_user_model()

    def session_for(user) -> str:
        store = store_class()
        store[SESSION_KEY] = user._meta.pk.value_to_string(user)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    scenario = scenario_load(synthetic_spec(args.teams, turns=scenario_turns))
    # No passwords: nobody signs in through the form, and hashing 176 of them would be slow.
    host = users.objects.create_user("load-facilitator", is_staff=True)
    exercise = exercise_create(
        actor=host,
        scenario=scenario,
        title=f"Load test, {args.teams} nations",
        seed=args.seed,
        turn_seconds=turn_seconds,
    )
    players = []
    team_pks = {}
    with transaction.atomic():
        for team in exercise.teams.order_by("position"):
            team_pks[team.nation_code] = team.pk
            for index in range(args.players_per_team):
                user = users.objects.create_user(
                    f"load-{team.nation_code.lower()}-{index + 1}",
                    first_name=f"{team.nation_code} {index + 1}",
                )
                participant_add(
                    actor=host, exercise=exercise, user=user, role=Role.PLAYER, team=team
                )
                players.append(
                    Seat(user.username, session_for(user), team.nation_code, team.pk, index)
                )
    facilitator = Seat(host.username, session_for(host))
    code = exercise.code
    connections.close_all()
    return Seeded(code, facilitator, players, team_pks, scenario_turns)


# --- Measuring -------------------------------------------------------------------------------


def _percentile(sorted_values: list[float], percent: float) -> float:
    """Nearest rank: the smallest value with at least `percent` % of the values at or below."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(percent / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass
class Endpoint:
    latencies: list[float] = field(default_factory=list)  # ms, every request that ended
    ends: list[float] = field(default_factory=list)  # time.monotonic() when each one ended
    errors: Counter = field(default_factory=Counter)  # reason -> count
    error_count: int = 0

    def row(self, name: str, seconds: float) -> tuple[str, ...]:
        values = sorted(self.latencies)
        reasons = "; ".join(f"{n}× {reason}" for reason, n in self.errors.most_common(3))
        return (
            name,
            str(len(values)),
            f"{len(values) / seconds:.1f}" if seconds else "-",
            *(f"{_percentile(values, p):.0f}" if values else "-" for p in (50, 95, 99)),
            f"{max(values):.0f}" if values else "-",
            str(self.error_count) + (f" ({reasons})" if reasons else ""),
        )


class Recorder:
    def __init__(self) -> None:
        self.endpoints: dict[str, Endpoint] = {}
        self.active = True

    def add(self, name: str, ms: float, error: str | None) -> None:
        if not self.active:
            return
        endpoint = self.endpoints.setdefault(name, Endpoint())
        endpoint.latencies.append(ms)
        endpoint.ends.append(time.monotonic())
        if error:
            endpoint.error_count += 1
            endpoint.errors[error[:160]] += 1


def _arrivals(endpoint: Endpoint) -> tuple[float, int, float]:
    """Requests per second asked of an endpoint: the mean, the most in one second, and the
    mean of the busiest ten seconds (a request is counted when it was sent)."""
    pairs = zip(endpoint.ends, endpoint.latencies, strict=True)
    sent = sorted(end - ms / 1000 for end, ms in pairs)
    if not sent:
        return 0.0, 0, 0.0
    seconds = Counter(int(t - sent[0]) for t in sent)
    span = max(seconds) + 1
    per_second = [seconds.get(i, 0) for i in range(span)]
    busiest = max(sum(per_second[i : i + 10]) for i in range(max(1, span - 9))) / min(10, span)
    return len(sent) / span, max(per_second), busiest


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    lines = [" | ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in
                        enumerate(zip(header, widths, strict=True)))]  # fmt: skip
    lines.append("-|-".join("-" * w for w in widths))
    for row in rows:
        lines.append(
            " | ".join(
                v.ljust(w) if i == 0 or i == len(row) - 1 else v.rjust(w)
                for i, (v, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
    return "\n".join(lines)


ROOM_REGIONS = "team room, every region"
ENDPOINT_HEADER = (
    "endpoint", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"
)  # fmt: skip


# --- The simulated browsers ------------------------------------------------------------------

_VERSION = re.compile(r'data-version="(\d+)"')
_POLLER = re.compile(r'<div id="pulse" hx-get="([^"]+)"')
# A region of a page that reloads itself on the pulse's events: its id, URL and trigger.
_REGION = re.compile(
    r'<(?:section|div) id="([^"]+)"[^>]*? hx-get="([^"]+)" hx-trigger="([^"]*cumbre:[^"]*)"'
)
_EVENT = re.compile(r"cumbre:(\w+) from:body")
_SPREAD = re.compile(r'data-turn-spread="([\d.]+)"')
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_TURN = re.compile(r"Turn (\d+) of \d+")
_DEADLINE = re.compile(r'data-deadline="([^"]+)"')
_ERROR = re.compile(r'<p class="error" role="alert">(.*?)</p>', re.S)
_TEAM_ROW = re.compile(
    r'<th scope="row"><a href="/x/[^/]+/team/([A-Z0-9]+)/"[^>]*>.*?</th>(.*?)</tr>', re.S
)


class Clients:
    """One httpx client per simulated browser, as each browser has its own connections.

    A single client shared by 176 browsers spends its time in its connection pool, which
    looks through every connection and every waiting request on each change: with the
    server busy and many requests waiting, the load generator used half a core for that and
    its event loop fell a second behind."""

    def __init__(self, base_url: str) -> None:
        import ssl

        self.base_url = base_url
        # Never used over plain HTTP, but each client would otherwise build its own.
        self.ssl = ssl.create_default_context()
        self.open: list[httpx.AsyncClient] = []

    def new(self, connections: int = 4) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            base_url=self.base_url,
            limits=httpx.Limits(
                max_connections=connections,
                max_keepalive_connections=connections,
                keepalive_expiry=4,  # under gunicorn's keepalive (5 s): never reuse a closed one
            ),
            timeout=httpx.Timeout(60),
            verify=self.ssl,
            # Cookies are kept per browser by Browser, never by the client.
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
            follow_redirects=False,
        )
        self.open.append(client)
        return client

    async def close(self) -> None:
        await asyncio.gather(*(client.aclose() for client in self.open), return_exceptions=True)
        self.open.clear()


class Browser:
    """One person's browser: its own cookies, the pages it has, the requests it makes."""

    def __init__(
        self, client: httpx.AsyncClient, recorder: "Recorder", code: str, seat: Seat | None = None
    ) -> None:
        self.client, self.recorder, self.code, self.seat = client, recorder, code, seat
        self.cookies = {"sessionid": seat.session} if seat else {}
        self.csrf = ""
        self.version = 0
        from wargame.exercises.pulse import pulse_key  # Django is set up by then

        self.pulse_url = f"/x/{code}/pulse/?v=0&k={pulse_key(code)}"  # until a page gives one
        # The page's regions, as htmx sees them: id -> (URL, the events that reload it).
        self.regions: dict[str, tuple[str, frozenset[str]]] = {}
        self._loading: set[str] = set()
        self._again: set[str] = set()
        # How long the page may wait, at random, before it reloads on a turn change
        # (data-turn-spread, as cumbre.js reads it); 0 for pages that do not wait.
        self.turn_spread = 0.0

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if extra:
            headers.update(extra)
        return headers

    def _keep_cookies(self, response: httpx.Response) -> None:
        for line in response.headers.get_list("set-cookie"):
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            if value and "max-age=0" not in line.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)

    async def request(
        self,
        endpoint: str,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        data: dict[str, str] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> httpx.Response | None:
        """The answer, or None when it failed; either way timed and recorded."""
        start = time.perf_counter()
        try:
            response = await self.client.request(
                method, url, headers=self._headers(headers), data=data
            )
        except Exception as error:  # every failure of a request is a figure to report
            self.recorder.add(
                endpoint, (time.perf_counter() - start) * 1000, f"{type(error).__name__}: {error}"
            )
            return None
        ms = (time.perf_counter() - start) * 1000
        self._keep_cookies(response)
        error = None
        if response.status_code not in expect:
            error = f"{response.status_code}"
            if response.is_redirect:
                error += f" to {response.headers.get('location', '?')}"
            refusal = _ERROR.search(response.text)
            if refusal:
                error += f": {refusal.group(1).strip()}"
        else:
            trigger = response.headers.get("hx-trigger", "")
            if "cumbre:error" in trigger:
                error = f"refused: {json.loads(trigger).get('cumbre:error', {}).get('message')}"
        self.recorder.add(endpoint, ms, error)
        return None if error else response

    async def poll(self) -> set[str] | None:
        """The pulse: None if nothing changed, else the topics that did."""
        response = await self.request(
            "pulse",
            "GET",
            self.pulse_url,
            headers={"HX-Request": "true", "HX-Target": "pulse", "HX-Trigger": "pulse"},
            expect=(200, 204),
        )
        if response is None or response.status_code == 204:
            return None
        self._poller(response.text)
        trigger = response.headers.get("hx-trigger", "")
        try:
            return {name.removeprefix("cumbre:") for name in json.loads(trigger)}
        except ValueError:
            return {"turn"}

    def _poller(self, html: str) -> None:
        """Poll as the page's poller says: its URL carries the version the page shows (and
        the page's nation, which narrows what wakes it)."""
        found = _POLLER.search(html)
        if found:
            self.pulse_url = unescape(found.group(1))
        found = _VERSION.search(html)
        if found:
            self.version = int(found.group(1))

    def page_loaded(self, html: str) -> None:
        self._poller(html)
        self._regions(html)
        token = _CSRF.search(html)
        if token:
            self.csrf = token.group(1)

    def _regions(self, html: str) -> None:
        spread = _SPREAD.search(html)
        if spread:
            self.turn_spread = float(spread.group(1))
        for region, url, trigger in _REGION.findall(html):
            self.regions[region] = (unescape(url), frozenset(_EVENT.findall(trigger)))

    def reload_regions(self, events: set[str], page: str, referer: str) -> None:
        """What htmx does on the page's events: each region listening to one of them asks
        for itself (one request in flight per region; one more after it if asked again)."""
        for region, (_url, listens) in self.regions.items():
            if listens & events:
                if region in self._loading:
                    self._again.add(region)
                else:
                    self._loading.add(region)
                    self.run.tasks.append(
                        asyncio.create_task(self._load_region(region, page, referer))
                    )

    async def _load_region(self, region: str, page: str, referer: str) -> None:
        try:
            while True:
                self._again.discard(region)
                response = await self.request(
                    f"{page}, {region} region",
                    "GET",
                    self.regions[region][0],
                    headers={
                        "HX-Request": "true",
                        "HX-Target": region,
                        "HX-Trigger": region,
                        "HX-Current-URL": referer,
                    },
                )
                if response is not None:
                    self._regions(response.text)
                    self.region_loaded(region, response.text)
                if region not in self._again:
                    break
        finally:
            self._loading.discard(region)

    def region_loaded(self, region: str, html: str) -> None:
        """A region came back: what the page learns from it."""


class Player(Browser):
    def __init__(self, run: "RoomRun", seat: Seat) -> None:
        super().__init__(run.clients.new(), run.recorder, run.code, seat)
        self.run = run
        self.room_url = f"/x/{run.code}/team/{seat.nation}/"
        self.room_wanted = asyncio.Event()
        self.last_room = -math.inf
        self._spreading = False

    async def live(self, delay: float) -> None:
        await asyncio.sleep(delay)
        await self.load_room()
        loader = asyncio.create_task(self._room_loader())
        try:
            while True:
                await asyncio.sleep(self.run.args.poll_seconds)
                topics = await self.poll()
                if topics:
                    self.changed(topics)
        finally:
            loader.cancel()

    def changed(self, events: set[str]) -> None:
        """The pulse (or the answer to one of our own forms) fired these events. As cumbre.js
        does, a turn change waits a moment at random, up to the room's spread, and turn
        changes that come meanwhile wait with it; other events act at once."""
        if "turn" in events and self.turn_spread > 0:
            events = events - {"turn"}
            if not self._spreading:
                self._spreading = True
                self.run.tasks.append(asyncio.create_task(self._after_spread()))
        if events:
            self._react(events)

    async def _after_spread(self) -> None:
        await asyncio.sleep(self.run.rng.uniform(0, self.turn_spread))
        self._spreading = False
        self._react({"turn"})

    def _react(self, events: set[str]) -> None:
        if self.run.args.regions:
            self.reload_regions(events, "team room", f"{self.run.base_url}{self.room_url}")
        elif events & ROOM_TOPICS:
            self.room_wanted.set()

    def region_loaded(self, region: str, html: str) -> None:
        self._room_shown(html)

    async def _room_loader(self) -> None:
        # Changes that come while the room is loading, or sooner than room_seconds after the
        # last load, are taken together in one load.
        while True:
            await self.room_wanted.wait()
            wait = self.last_room + self.run.args.room_seconds - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self.room_wanted.clear()
            await self.load_room()

    async def load_room(self) -> None:
        self.last_room = time.monotonic()
        response = await self.request("team room", "GET", self.room_url)
        if response is None:
            return
        self.page_loaded(response.text)
        self._room_shown(response.text)

    def _room_shown(self, html: str) -> None:
        """The clock (on the page or in its region) says which turn is open."""
        turn = _TURN.search(html)
        if turn and "status-running" in html:
            self.run.turn_seen(self, int(turn.group(1)), _DEADLINE.search(html))

    async def submit(self, turn: int, delay: float) -> None:
        """This turn's move of the team, then a message to the nation it is aimed at."""
        await asyncio.sleep(delay)
        run, nation = self.run, self.seat.nation
        other = run.partner[nation]
        key = uuid.uuid4().hex
        htmx = {
            "HX-Request": "true",
            "HX-Target": "move-form",
            "HX-Current-URL": f"{run.base_url}{self.room_url}",
            "X-CSRFToken": self.csrf,
        }
        response = await self.request(
            "move POST",
            "POST",
            f"/x/{run.code}/team/{nation}/moves/",
            headers=htmx,
            data={
                "csrfmiddlewaretoken": self.csrf,
                "action": MOVE_ACTION,
                "target_team": str(run.team_pks[other]),
                "target_inject": "",
                "resources": "",
                "intended_result": f"Share what we know with {other} (turn {turn}).",
                "rationale": f"Load test move {nation}-{turn}-{key[:8]}.",
                "idempotency_key": key,
            },
        )
        if response is not None:
            run.move_posted(nation, turn, time.monotonic())
            self.changed({"changed"})
        await asyncio.sleep(run.rng.uniform(1, 5))
        channel = "bi:" + "-".join(sorted((nation, other)))
        response = await self.request(
            "message POST",
            "POST",
            f"/x/{run.code}/messages/",
            headers={k: v for k, v in htmx.items() if k != "HX-Target"},
            data={
                "csrfmiddlewaretoken": self.csrf,
                "channel": channel,
                "body": f"{nation} to {other}: we shared what we know this turn ({turn}).",
            },
            expect=(204,),
        )
        if response is not None:
            self.changed({"changed"})


class Facilitator(Browser):
    def __init__(self, run: "RoomRun", seat: Seat) -> None:
        super().__init__(run.clients.new(), run.recorder, run.code, seat)
        self.run = run
        self.control_url = f"/x/{run.code}/control/"
        self.control_wanted = asyncio.Event()
        self.turn = 0

    async def load_control(self, target: str = "") -> str | None:
        """The control room, or (for an HTMX request) one region of it."""
        headers = {"HX-Request": "true", "HX-Target": target} if target else None
        endpoint = f"control room, {target} region" if target else "control room"
        response = await self.request(endpoint, "GET", self.control_url, headers=headers)
        if response is None:
            return None
        html = response.text
        if not target:
            self.page_loaded(html)
        turn = _TURN.search(html)
        if turn:
            self.turn = int(turn.group(1))
            self.run.control_seen(self.turn, html, time.monotonic())
        return html

    async def start_exercise(self) -> None:
        await self.load_control()
        await self.request(
            "start POST",
            "POST",
            f"/x/{self.run.code}/clock/start/",
            headers={"HX-Request": "true", "X-CSRFToken": self.csrf},
            data={"csrfmiddlewaretoken": self.csrf},
            expect=(204,),
        )

    async def live(self) -> None:
        await self.load_control()
        tasks = [
            asyncio.create_task(self._control_loader()),
            asyncio.create_task(self._scheduler_notice()),
        ]
        if self.run.args.no_worker:
            tasks.append(asyncio.create_task(self._close_turns()))
        try:
            while True:
                await asyncio.sleep(self.run.args.poll_seconds)
                topics = await self.poll()
                if topics and "turn" in topics:
                    self.run.turn_changes.append(time.monotonic())
                if topics and self.run.args.regions:
                    self.reload_regions(
                        topics, "control room", f"{self.run.base_url}{self.control_url}"
                    )
                elif topics and topics & CONTROL_TOPICS:
                    self.control_wanted.set()
        finally:
            for task in tasks:
                task.cancel()

    def region_loaded(self, region: str, html: str) -> None:
        turn = _TURN.search(html)
        if turn:
            self.turn = int(turn.group(1))
        if region == "teams-status":
            self.run.control_seen(self.turn, html, time.monotonic())

    async def _control_loader(self) -> None:
        while True:
            await self.control_wanted.wait()
            self.control_wanted.clear()
            await self.load_control()

    async def _scheduler_notice(self) -> None:
        while True:
            await asyncio.sleep(SCHEDULER_SECONDS)
            await self.load_control(target="scheduler")

    async def _close_turns(self) -> None:
        while True:
            await asyncio.sleep(self.run.args.turn_seconds)
            await self.request(
                "close now POST",
                "POST",
                f"/x/{self.run.code}/clock/close/",
                headers={"HX-Request": "true", "X-CSRFToken": self.csrf},
                data={"csrfmiddlewaretoken": self.csrf},
                expect=(204,),
            )
            if self.run.args.regions:
                self.reload_regions(
                    {"changed"}, "control room", f"{self.run.base_url}{self.control_url}"
                )
            else:
                self.control_wanted.set()


class RoomRun:
    """The state shared by every simulated browser of the room phase."""

    def __init__(
        self, args: argparse.Namespace, clients: Clients, base_url: str, seeded: Seeded
    ) -> None:
        self.args, self.clients, self.base_url = args, clients, base_url
        self.code = seeded.code
        self.team_pks = seeded.team_pks
        nations = list(seeded.team_pks)
        # Each team's moves and messages go to the next nation, the last to the first.
        self.partner = {n: nations[(i + 1) % len(nations)] for i, n in enumerate(nations)}
        self.rng = random.Random(args.seed)
        self.recorder = Recorder()
        self.claimed: set[tuple[str, int]] = set()
        self.pending: dict[tuple[str, int], float] = {}  # (nation, turn) -> POST answered at
        self.visible_ms: list[float] = []
        self.closed_unseen = 0
        self.skipped_late = 0
        self.turns_shown: set[int] = set()
        self.turn_changes: list[float] = []  # when the facilitator's pulse said "turn"
        self.started = 0.0
        self.tasks: list[asyncio.Task] = []

    def turn_seen(self, player: Player, turn: int, deadline: re.Match | None) -> None:
        """A player's page shows the turn open: its team's player for this turn (they take
        turns) submits the team's move after a pause to think, before the deadline."""
        nation = player.seat.nation
        if (nation, turn) in self.claimed or (turn - 1) % self.args.players_per_team != (
            player.seat.index
        ):
            return
        self.claimed.add((nation, turn))
        delay = self.rng.uniform(1, max(2.0, self.args.turn_seconds * 0.5))
        if deadline:
            left = (datetime.fromisoformat(deadline.group(1)) - datetime.now(UTC)).total_seconds()
            delay = min(delay, left - 10)
        if delay < 0:
            self.skipped_late += 1
            return
        self.tasks.append(asyncio.create_task(player.submit(turn, delay)))

    def move_posted(self, nation: str, turn: int, at: float) -> None:
        if self.recorder.active:
            self.pending[(nation, turn)] = at

    def control_seen(self, turn: int, html: str, at: float) -> None:
        if turn:
            self.turns_shown.add(turn)
        if not self.pending:
            return
        chips = {}
        for nation, cells in _TEAM_ROW.findall(html):
            # The chips before the "Played by" column are this turn's moves.
            chips[nation] = cells.split("<td><form", 1)[0].count('class="chip"')
        for key, posted in list(self.pending.items()):
            nation, move_turn = key
            if move_turn == turn and chips.get(nation, 0) >= 1:
                if self.recorder.active:
                    self.visible_ms.append(max(0.0, (at - posted) * 1000))
                del self.pending[key]
            elif move_turn < turn:
                self.closed_unseen += 1
                del self.pending[key]


async def _event_loop_lag(samples: list[float], stop: asyncio.Event) -> None:
    """How late the load generator's own event loop runs: if it were busy, the latencies it
    measures would include its own delay."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        start = loop.time()
        await asyncio.sleep(0.1)
        samples.append((loop.time() - start - 0.1) * 1000)


# --- The phases ------------------------------------------------------------------------------


class RawConnection:
    """A keep-alive HTTP/1.1 connection that sends a GET and reads the answer, with next to
    no work of its own: httpx spends more CPU on a request than the server does on a bare
    view, so a closed loop of httpx clients would measure httpx."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    def request(self, path: str) -> bytes:
        # The headers htmx sends with the pulse; the same for the bare view, so that the two
        # differ only in what the server does with them.
        return (
            f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: */*\r\n"
            "HX-Request: true\r\nHX-Target: pulse\r\nHX-Trigger: pulse\r\n"
            "User-Agent: cumbre-load\r\n\r\n"
        ).encode()

    async def get(self, request: bytes) -> int:
        """The answer's status; raises on a broken connection (and drops it)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        try:
            self.writer.write(request)
            head = (await self.reader.readuntil(b"\r\n\r\n")).lower()
            status = int(head[9:12])
            found = re.search(rb"\r\ncontent-length: *(\d+)", head)
            if found and int(found.group(1)):
                await self.reader.readexactly(int(found.group(1)))
            elif b"\r\ntransfer-encoding: chunked" in head:
                while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                    await self.reader.readexactly(size + 2)
                await self.reader.readuntil(b"\r\n")  # no trailers
            elif not found and status != 204:
                raise ValueError("an answer without Content-Length or chunks")
            if b"\r\nconnection: close" in head:
                self.close()
            return status
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _ceiling(
    args: argparse.Namespace, clients: Clients, base_url: str, seeded: Seeded, cpu_probe
) -> tuple[dict[str, Endpoint], dict[str, float], dict[str, dict[str, float]]]:
    """The bare view and the pulse (204 from the cache), in alternating rounds, by the same
    number of clients in a closed loop: (endpoints, seconds measured and CPU seconds used per
    endpoint)."""
    recorder = Recorder()
    # The pulse as a player's page polls it, with the version it has: "no change".
    seat = seeded.players[0]
    probe = Browser(clients.new(), recorder, seeded.code, seat)
    page = await probe.request("team room", "GET", f"/x/{seeded.code}/team/{seat.nation}/")
    if page is None:
        raise SystemExit(f"the team room did not load: {recorder.endpoints['team room'].errors}")
    probe.page_loaded(page.text)
    while await probe.poll():
        pass
    recorder.endpoints.clear()
    paths = {"bare view": "/healthz/live", "pulse (204)": probe.pulse_url}
    expect = {"bare view": 200, "pulse (204)": 204}
    address = urlsplit(base_url)
    seconds = dict.fromkeys(paths, 0.0)
    cpu: dict[str, dict[str, float]] = {}

    # The same connections for both: gunicorn gives each connection to one worker process
    # for as long as it lives, so new connections would share the work out differently.
    connections = [
        RawConnection(address.hostname, address.port) for _ in range(args.ceiling_clients)
    ]

    async def hammer(name: str, duration: float, record: bool) -> None:
        recorder.active = record
        loop = asyncio.get_running_loop()
        until = loop.time() + duration

        async def one(connection: RawConnection) -> None:
            request = connection.request(paths[name])
            while loop.time() < until:
                start = time.perf_counter()
                try:
                    status = await connection.get(request)
                except (OSError, ValueError, asyncio.IncompleteReadError) as error:
                    error_text = f"{type(error).__name__}: {error}"
                else:
                    error_text = None if status == expect[name] else str(status)
                recorder.add(name, (time.perf_counter() - start) * 1000, error_text)

        await asyncio.gather(*(one(connection) for connection in connections))

    for name in paths:  # warm up: connections, imports, the first pages of memory
        await hammer(name, 2, record=False)
    for _round in range(args.ceiling_rounds):
        for name in paths:
            before = cpu_probe()
            start = time.monotonic()
            await hammer(name, args.ceiling_seconds, record=True)
            seconds[name] += time.monotonic() - start
            used = _cpu_between(before, cpu_probe())
            total = cpu.setdefault(name, {})
            for key, value in used.items():
                total[key] = total.get(key, 0.0) + value
    for connection in connections:
        connection.close()
    return recorder.endpoints, seconds, cpu


async def _until_quiet(cpu_probe, seconds: float = 15.0) -> None:
    """Wait until the web processes and the worker use under 5% of a core for a quarter of
    a second (at most `seconds`)."""
    deadline = time.monotonic() + seconds
    before = cpu_probe()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.25)
        after = cpu_probe()
        used = _cpu_between(before, after)
        if used["web (gunicorn)"] + used["worker (celery)"] < 0.05 * 0.25:
            return
        before = after


async def _baseline(run: "RoomRun", host: "Facilitator", seeded: Seeded) -> Recorder:
    """Each page once at a time on the quiet server, after the start: what a request costs
    when it does not wait for others."""
    recorder = Recorder()
    host.recorder = recorder
    for _ in range(5):
        await host.load_control()
    rng = random.Random(0)
    for seat in rng.sample(seeded.players, min(20, len(seeded.players))):
        player = Player(run, seat)
        player.recorder = recorder
        await player.request("team room", "GET", player.room_url)
        await player.poll()
    host.recorder = run.recorder
    await asyncio.sleep(0)
    return recorder


async def _room(
    args: argparse.Namespace, clients: Clients, base_url: str, seeded: Seeded, cpu_probe
):
    run = RoomRun(args, clients, base_url, seeded)
    host = Facilitator(run, seeded.facilitator)
    run.recorder.active = False
    await host.start_exercise()  # not measured: it happens once, before anyone plays
    # The worker renders the 35 rooms after the start: the quiet server is the one after it.
    await _until_quiet(cpu_probe)
    baseline = await _baseline(run, host, seeded)
    run.recorder.active = True
    lag: list[float] = []
    stop_lag = asyncio.Event()
    cpu_before = cpu_probe()
    started = time.monotonic()
    run.started = started
    # Every page opens now, as every page reloads when a turn changes.
    run.turn_changes.append(started)
    run.tasks.append(asyncio.create_task(_event_loop_lag(lag, stop_lag)))
    run.tasks.append(asyncio.create_task(host.live()))
    for seat in seeded.players:
        player = Player(run, seat)
        run.tasks.append(asyncio.create_task(player.live(run.rng.uniform(0, args.ramp_seconds))))

    async def bare_probe() -> None:
        probe = Browser(clients.new(), run.recorder, run.code)
        while True:
            await probe.request("bare view (probe)", "GET", "/healthz/live")
            await asyncio.sleep(1)

    run.tasks.append(asyncio.create_task(bare_probe()))
    await asyncio.sleep(args.duration)
    run.recorder.active = False
    elapsed = time.monotonic() - started
    cpu = _cpu_between(cpu_before, cpu_probe())
    stop_lag.set()
    for task in run.tasks:
        task.cancel()
    await asyncio.gather(*run.tasks, return_exceptions=True)
    return run, elapsed, lag, baseline, cpu


# --- The whole run ---------------------------------------------------------------------------


def _wait_until(check, seconds: float, what: str, services: list[Service]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for service in services:
            if not service.running():
                raise SystemExit(f"{service.name} stopped:\n{service.tail()}")
        if check():
            return
        time.sleep(0.5)
    logs = "\n".join(f"--- {s.name}\n{s.tail()}" for s in services)
    raise SystemExit(f"{what} within {seconds:.0f} s\n{logs}")


def _healthy(base_url: str, *, scheduler: bool) -> bool:
    try:
        if not scheduler:
            return httpx.get(f"{base_url}/healthz/live", timeout=2).status_code == 200
        return httpx.get(f"{base_url}/healthz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def _server_errors(log: Path, start: int) -> tuple[Counter, list[str]]:
    """Statuses of 500 and above in the access log, and the app's ERROR lines, from the
    offset `start` on."""
    statuses: Counter = Counter()
    errors = []
    try:
        with open(log, "rb") as file:
            file.seek(start)
            text = file.read().decode(errors="replace")
    except OSError:
        return statuses, errors
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            record = {"message": line, "level": ""}
        message = str(record.get("message", ""))
        found = re.search(r'" (5\d\d) ', message)
        if found:
            statuses[found.group(1)] += 1
        if record.get("level") in ("ERROR", "CRITICAL") or "Traceback" in message:
            errors.append(message[:300])
    return statuses, errors


def main() -> None:
    args = _options()
    scenario_turns = min(52, max(8, math.ceil(args.duration / args.turn_seconds) + 2))
    # Without the worker nothing closes a turn at its deadline, and a move after the deadline
    # is refused: the deadline is set later than the facilitator's own closing.
    exercise_turn_seconds = args.turn_seconds * 2 if args.no_worker else args.turn_seconds
    var_dir = Path(tempfile.mkdtemp(prefix="cumbre-load-"))
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = _server_env(args, var_dir, port)
    web = Service(
        "web", [str(BIN / SERVER_COMMAND[0]), *SERVER_COMMAND[1:]], env, var_dir / "web.log"
    )
    worker = (
        None
        if args.no_worker
        else Service("worker", [str(BIN / WORKER_COMMAND[0]), *WORKER_COMMAND[1:]], env,
                     var_dir / "worker.log")
    )  # fmt: skip
    services = [web] + ([worker] if worker else [])
    created = False

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        # The script's own Django talks to the same database and Redis as the server.
        os.environ.update({k: env[k] for k in (
            "DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "DEBUG", "SECRET_KEY",
            "ALLOWED_HOSTS", "CUMBRE_VAR_DIR", "DJANGO_SETTINGS_MODULE",
        )})  # fmt: skip
        sys.path.insert(0, str(REPO))
        _redis_flush(args.redis_url)
        _database_create(args.database_url)
        created = True
        import django

        django.setup()
        # The client's own log lines (one per request) would cost the load generator CPU.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        from django.core.management import call_command
        from django.db import connection, connections

        print(f"Migrating {connection.settings_dict['NAME']} ...", flush=True)
        call_command("migrate", verbosity=0, interactive=False)
        pg_version = connection.pg_version
        connections.close_all()
        for service in services:
            service.start()
        print("Seeding the exercise while the servers start ...", flush=True)
        seeded = _seed(args, scenario_turns, exercise_turn_seconds)
        _wait_until(
            lambda: _healthy(base_url, scheduler=worker is not None),
            90,
            "the server (and the scheduler) did not answer /healthz",
            services,
        )
        log_start = web.log.stat().st_size  # the server's log from here on
        results = asyncio.run(_measure(args, base_url, seeded, web, worker))
        _report(args, results, seeded, pg_version, web, log_start)
    except KeyboardInterrupt:
        print("\nInterrupted; stopping the servers.", file=sys.stderr)
        raise SystemExit(130) from None
    finally:
        for service in reversed(services):
            service.stop()
        if created:
            try:
                from django.db import connections

                connections.close_all()
            except Exception:  # Django may not have started
                pass
            _database_drop(args.database_url)
        try:
            _redis_flush(args.redis_url)
        except Exception as error:  # Redis gone: nothing left to clean there
            print(f"could not flush {args.redis_url}: {error}", file=sys.stderr)
        shutil.rmtree(var_dir, ignore_errors=True)


@dataclass
class Results:
    ceiling: dict[str, Endpoint]
    ceiling_seconds: dict[str, float]
    ceiling_cpu: dict[str, dict[str, float]]
    run: RoomRun
    room_seconds: float
    room_cpu: dict[str, float]
    lag: list[float]
    baseline: Recorder
    app_version: str


async def _measure(args, base_url: str, seeded: Seeded, web: Service, worker) -> Results:
    players = len(seeded.players)
    clients = Clients(base_url)
    version = _app_version()

    def cpu_probe() -> dict[str, float]:
        return _cpu_snapshot(web, worker)

    try:
        print(
            f"Ceiling: {args.ceiling_clients} clients, {args.ceiling_rounds} rounds of "
            f"{args.ceiling_seconds:.0f} s per endpoint ...",
            flush=True,
        )
        ceiling, ceiling_seconds, ceiling_cpu = await _ceiling(
            args, clients, base_url, seeded, cpu_probe
        )
        print(
            f"Room: {players} players and the facilitator for {args.duration:.0f} s ...",
            flush=True,
        )
        run, elapsed, lag, baseline, room_cpu = await _room(
            args, clients, base_url, seeded, cpu_probe
        )
    finally:
        await clients.close()
    return Results(
        ceiling, ceiling_seconds, ceiling_cpu, run, elapsed, room_cpu, lag, baseline, version
    )


def _cpu_line(used: dict[str, float], seconds: float) -> str:
    cores = used["machine total"] / seconds if seconds else 0
    parts = [f"{name} {used[name] / seconds * 100:.0f}%" for name in CPU_GROUPS]
    known = sum(used[name] for name in CPU_GROUPS)
    parts.append(f"other {max(0.0, used['machine busy'] - known) / seconds * 100:.0f}%")
    idle = (used["machine total"] - used["machine busy"]) / seconds * 100
    workers = sorted(
        (value for key, value in used.items() if key.startswith("web worker ")), reverse=True
    )
    if len(workers) > 1:
        shares = " + ".join(f"{value / seconds * 100:.0f}%" for value in workers)
        parts[1] += f" (worker processes {shares})"
    return f"CPU (100% = one core, {cores:.0f} cores): " + ", ".join(parts) + f"; idle {idle:.0f}%"


def _report(
    args, results: Results, seeded: Seeded, pg_version: int, web: Service, log_start: int
) -> None:
    import django
    import redis

    run = results.run
    command = " ".join(shlex.quote(a) for a in ["bench/load.py", *sys.argv[1:]])
    redis_client = redis.Redis.from_url(args.redis_url)
    redis_version = redis_client.info("server").get("redis_version", "?")
    redis_client.close()
    print()
    print(f"Command: .venv/bin/python {command}")
    print(f"App: commit {results.app_version}")
    print(f"Machine: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}, "
          f"Django {django.get_version()}, PostgreSQL {pg_version // 10000}.{pg_version % 10000}, "
          f"Redis {redis_version}, httpx {httpx.__version__}")  # fmt: skip
    print(
        f"Server: {' '.join(SERVER_COMMAND)} (WEB_CONCURRENCY={args.web_concurrency}, "
        f"WEB_THREADS={args.web_threads or os.environ.get('WEB_THREADS', '4')})"
        + ("; no Celery worker (the facilitator closes turns)" if args.no_worker else
           f"; {' '.join(WORKER_COMMAND)}")
    )  # fmt: skip
    print(
        "The load generator (one asyncio process) runs on the same machine and shares its "
        "cores with the server, PostgreSQL, Redis and the worker."
    )
    print()

    bare = results.ceiling.get("bare view", Endpoint())
    pulse = results.ceiling.get("pulse (204)", Endpoint())
    rows = []
    rates = {}
    for name, endpoint in (("bare view", bare), ("pulse (204)", pulse)):
        seconds = results.ceiling_seconds[name]
        rates[name] = len(endpoint.latencies) / seconds if seconds else 0
        rows.append(endpoint.row(name, seconds))
    print(
        f"Ceiling: {args.ceiling_clients} clients in a closed loop, {args.ceiling_rounds} "
        f"rounds of {args.ceiling_seconds:.0f} s per endpoint, alternating"
    )
    print(_table(ENDPOINT_HEADER, rows))
    ratio = rates["pulse (204)"] / rates["bare view"] if rates["bare view"] else math.nan
    print(f"Pulse / bare view throughput: {ratio:.2f} (target ≥ 0.90)")
    for name in ("bare view", "pulse (204)"):
        used = results.ceiling_cpu[name]
        count = len(results.ceiling[name].latencies) if name in results.ceiling else 0
        server = used["web (gunicorn)"] + used["Redis"]
        print(
            f"  {name}: web and Redis {server / count * 1000:.2f} ms CPU per request, "
            f"load generator {used['load generator'] / count * 1000:.2f} ms; "
            + _cpu_line(used, results.ceiling_seconds[name])
        )
    print()

    print("One request at a time on the quiet server, after the start and its rooms rendered:")
    quiet = results.baseline.endpoints
    print(_table(ENDPOINT_HEADER, [quiet[n].row(n, 0) for n in ENDPOINTS if n in quiet]))
    print()

    seconds = results.room_seconds
    reloads = (
        "regions reload as htmx does"
        if args.regions
        else f"a room reload at most every {args.room_seconds:g} s"
    )
    print(
        f"Room: {len(seeded.players)} players ({args.teams} teams × {args.players_per_team}) and "
        f"the facilitator, {seconds:.0f} s, pulse every {args.poll_seconds:g} s, {reloads}, "
        f"turns of {args.turn_seconds} s"
    )
    endpoints = dict(run.recorder.endpoints)
    regions = sorted(n for n in endpoints if n.startswith("team room, "))
    if regions:
        # With --regions a room reloads region by region: every region's requests together.
        merged = Endpoint()
        for name in regions:
            merged.latencies += endpoints[name].latencies
            merged.ends += endpoints[name].ends
            merged.errors += endpoints[name].errors
            merged.error_count += endpoints[name].error_count
        endpoints[ROOM_REGIONS] = merged
    order = [n for n in ENDPOINTS if n in endpoints]
    order += sorted(n for n in endpoints if n not in order and n != ROOM_REGIONS)
    if ROOM_REGIONS in endpoints:
        order.insert(order.index("team room") + 1 if "team room" in order else 1, ROOM_REGIONS)
    print(_table(ENDPOINT_HEADER, [endpoints[n].row(n, seconds) for n in order]))
    room_name = ROOM_REGIONS if ROOM_REGIONS in endpoints else "team room"
    if room_name in endpoints:
        mean, peak, busiest = _arrivals(endpoints[room_name])
        print(
            f"{room_name.capitalize()}, asked for: {mean:.1f}/s on average, "
            f"{busiest:.1f}/s in the busiest 10 s, {peak} in the busiest second"
        )
    after: list[float] = []
    if run.turn_changes and room_name in endpoints:
        endpoint = endpoints[room_name]
        calm: list[float] = []
        for end, ms in zip(endpoint.ends, endpoint.latencies, strict=True):
            sent = end - ms / 1000
            near = any(0 <= sent - t < TURN_HERD_SECONDS for t in run.turn_changes)
            (after if near else calm).append(ms)
        for label, values in (
            (
                f"in the {TURN_HERD_SECONDS} s after the pages opened or a turn changed",
                sorted(after),
            ),
            ("at other times", sorted(calm)),
        ):
            if values:
                print(
                    f"  {room_name} {label}: {len(values)} requests, p50 "
                    f"{_percentile(values, 50):.0f} ms, p95 {_percentile(values, 95):.0f} ms, "
                    f"p99 {_percentile(values, 99):.0f} ms"
                )
    if args.timeline and room_name in endpoints:
        endpoint = endpoints[room_name]
        windows: dict[int, list[float]] = {}
        for end, ms in zip(endpoint.ends, endpoint.latencies, strict=True):
            windows.setdefault(int((end - ms / 1000 - run.started) // 10), []).append(ms)
        turns = sorted({int((t - run.started) // 10) for t in run.turn_changes})
        print(f"  {room_name} per 10 s (from the opening; * a turn changed):")
        for window in sorted(windows):
            values = sorted(windows[window])
            mark = "*" if window in turns else " "
            print(
                f"    {window * 10:4d} s{mark} {len(values):4d} requests, "
                f"p50 {_percentile(values, 50):5.0f} ms, p95 {_percentile(values, 95):5.0f} ms"
            )
    shown = sorted(run.turns_shown)
    if shown:
        print(f"Turns seen by the facilitator: {shown[0]} to {shown[-1]}")
    visible = sorted(run.visible_ms)
    if visible:
        print(
            f"A move visible in the control room (from its POST's answer): {len(visible)} moves, "
            f"p50 {_percentile(visible, 50):.0f} ms, p95 {_percentile(visible, 95):.0f} ms, "
            f"p99 {_percentile(visible, 99):.0f} ms, max {visible[-1]:.0f} ms (target p99 < 3 s)"
        )
    else:
        print("A move visible in the control room: no move was measured")
    if run.closed_unseen or run.pending or run.skipped_late:
        print(
            f"  not measured: {run.closed_unseen} moves whose turn closed before the control room "
            f"showed them, {len(run.pending)} still unseen at the end, "
            f"{run.skipped_late} team-turns seen too late to move"
        )
    lag = sorted(results.lag)
    if lag:
        print(
            f"Load generator's event loop lag: p50 {_percentile(lag, 50):.0f} ms, "
            f"p99 {_percentile(lag, 99):.0f} ms, max {lag[-1]:.0f} ms"
        )
    print(_cpu_line(results.room_cpu, seconds))

    statuses, errors = _server_errors(web.log, log_start)
    if statuses or errors:
        print(
            f"Server log: {sum(statuses.values())} answers of 500 or above, "
            f"{len(errors)} error lines"
        )
        for line in errors[:5]:
            print(f"  {line}")
    print()

    team_room = endpoints.get(room_name, Endpoint())
    room_p95 = _percentile(sorted(team_room.latencies), 95)
    probe = endpoints.get("bare view (probe)", Endpoint())
    probe_p99 = _percentile(sorted(probe.latencies), 99)
    error_total = sum(e.error_count for e in run.recorder.endpoints.values()) + sum(
        e.error_count for e in results.ceiling.values()
    )
    checks = [
        ("zero errors", error_total == 0, f"{error_total} errors"),
        ("pulse ≥ 90% of the bare view's throughput", ratio >= 0.9, f"{ratio:.2f}"),
        (f"{room_name} p95 < 100 ms", room_p95 < 100, f"{room_p95:.0f} ms"),
        (
            f"{room_name} p95 < 250 ms in the {TURN_HERD_SECONDS} s after a turn change",
            bool(after) and _percentile(sorted(after), 95) < 250,
            f"{_percentile(sorted(after), 95):.0f} ms" if after else "no turn change",
        ),
        (
            "the bare-view probe's p99 < 50 ms during the room",
            bool(probe.latencies) and probe_p99 < 50,
            f"{probe_p99:.0f} ms" if probe.latencies else "not measured",
        ),
        (
            "a move visible in the control room in < 3 s at p99",
            bool(visible) and _percentile(visible, 99) < 3000,
            f"{_percentile(visible, 99):.0f} ms" if visible else "not measured",
        ),
    ]
    print("Targets:")
    for name, met, value in checks:
        print(f"  {'met    ' if met else 'NOT met'}  {name}: {value}")


if __name__ == "__main__":
    main()
