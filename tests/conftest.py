import fcntl
import io
import math
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.commands import flush
from django.db import connections
from django.test import override_settings
from django.test.utils import setup_databases, teardown_databases
from django.utils import translation

from tests.environment import RUN, RUN_DIR
from tests.kept import made_once
from wargame.exercises.models import Exercise
from wargame.exercises.services import exercise_create
from wargame.lib.tasks import task_send
from wargame.scenarios.fileformat import parse_scenario_file
from wargame.scenarios.models import ActionType, Scenario
from wargame.scenarios.services import scenario_load
from wargame.turns import tasks
from wargame.turns.clock import BOTS_ANSWER, BOTS_PLAY

REPO = Path(__file__).resolve().parent.parent
SCENARIO_DIR = REPO / "scenarios"
SHIPPED_SCENARIOS = sorted(SCENARIO_DIR.glob("*.yaml"))
FILES = Path(__file__).resolve().parent / "scenarios" / "files"
MINIMAL = FILES / "minimal.yaml"


# How many cases each property test tries: the count it names in an ordinary run, enough to
# find what a change breaks; CUMBRE_EXAMPLES times as many for a deeper search (before a
# release, after a change to the rules or the file format: `CUMBRE_EXAMPLES=10 make test`).
EXAMPLES = os.environ.get("CUMBRE_EXAMPLES", "1")


def _positive(text: str) -> float:
    """The number `text` says, or 0 when it says no positive, finite number."""
    try:
        number = float(text)
    except ValueError:
        return 0.0
    return number if math.isfinite(number) and number > 0 else 0.0


EXAMPLES_SCALE = _positive(EXAMPLES)


def pytest_configure(config: pytest.Config) -> None:
    """A CUMBRE_EXAMPLES that is not a positive number stops the run with one line saying so."""
    if EXAMPLES_SCALE == 0:
        raise pytest.UsageError(f"CUMBRE_EXAMPLES must be a positive number, not {EXAMPLES!r}")


def examples(count: int) -> int:
    """`count` cases in an ordinary run, scaled by CUMBRE_EXAMPLES."""
    return max(1, round(count * EXAMPLES_SCALE))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order the run so that the cores stay busy to its end.

    pytest-xdist's worksteal gives each of N workers a share of the list (a quarter for
    four), in order, and an idle worker takes the second half of the longest queue left. The
    tests that mostly wait (on browsers, servers, workers and the clock of a turn) and take
    many seconds each are dealt to the shares evenly and spread through the first half of
    each, between the others, the longest first: a wait then overlaps other work, and the
    second half of every share, where the last tests of the run come from, holds only short
    ones. pytest-django would put them all at the end. The order inside each module is kept,
    and so are module fixtures."""
    runs: list[list[pytest.Item]] = []
    for item in items:
        if runs and runs[-1][0].path == item.path:
            runs[-1].append(item)
        else:
            runs.append([item])
    waiting = [run for run in runs if any(_waits(item) for item in run)]
    others = [run for run in runs if not any(_waits(item) for item in run)]
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    shares: list[tuple[list, list]] = [([], []) for _ in range(count)]
    for run in sorted(waiting, key=len, reverse=True):
        min(shares, key=lambda share: sum(map(len, share[0])))[0].append(run)
    # Each share is filled at least to where worksteal's first split ends it (the rest
    # divided by the workers left), so that every worker's share begins with its slow tests.
    end, left, others = 0, len(items), list(others)
    for number, (_slow, quick) in enumerate(shares):
        share = left // (count - number)
        left -= share
        end += share
        filled = sum(len(run) for q in shares[: number + 1] for part in q for run in part)
        while others and filled < end:
            # The next module that fits, else the shortest: a share ends close to its end.
            fits = [run for run in others if len(run) <= end - filled]
            run = fits[0] if fits else min(others, key=len)
            others.remove(run)
            quick.append(run)
            filled += len(run)
    shares[-1][1].extend(others)
    ordered: list[pytest.Item] = []
    for slow, quick in shares:
        ordered += _spread(slow, quick)
    items[:] = ordered


def _spread(slow: list[list[pytest.Item]], quick: list[list[pytest.Item]]) -> list[pytest.Item]:
    """The runs of `slow`, longest first, spread evenly between the runs of the first half of
    `quick` (by tests)."""
    half, tests = 0, 0
    while half < len(quick) and tests < sum(map(len, quick)) / 2:
        tests += len(quick[half])
        half += 1
    slow = sorted(slow, key=len, reverse=True)
    at = [number * half // len(slow) for number in range(len(slow))]  # before which quick run
    spread: list[pytest.Item] = []
    for position, run in enumerate([*quick, []]):
        for number, placed in enumerate(slow):
            if at[number] == position:
                spread += placed
        spread += run
    return spread


def _waits(item: pytest.Item) -> bool:
    """A test that mostly waits: on a live server and its browser, or on processes of its own
    (real transactions: another process reads what it writes; or marked `waits`)."""
    fixtures = getattr(item, "fixturenames", ())
    database = item.get_closest_marker("django_db")
    return (
        "live_server" in fixtures
        or "transactional_db" in fixtures
        or bool(database and database.kwargs.get("transaction"))
        or item.get_closest_marker("waits") is not None
    )


@pytest.fixture(scope="session")
def django_db_modify_db_settings() -> None:
    """Test databases on a server carry the run's name: two runs against one PostgreSQL server
    (two checkouts, or CI beside a developer) never create, use or drop each other's databases.
    SQLite's file lies in the run's own folder, shared by the run's workers."""
    for database in settings.DATABASES.values():
        test = database.setdefault("TEST", {})
        if database["ENGINE"] == "django.db.backends.sqlite3":
            test["NAME"] = str(RUN_DIR / "test-cumbre.sqlite3")
        else:
            test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{os.environ[RUN]}"


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """The run's database is migrated once, by the first worker that needs it, and each
    pytest-xdist worker takes a copy of its own (PostgreSQL copies a template database in a
    fraction of a second; migrating costs each worker seconds of CPU while the others wait
    for the cores). The last worker to finish drops the migrated original."""
    verbosity = request.config.option.verbose
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    with django_db_blocker.unblock():
        if worker is None:
            databases = setup_databases(
                verbosity=verbosity, interactive=False, serialized_aliases=set()
            )
            for alias in connections:
                _commit_without_waiting(alias)
            yield
            teardown_databases(databases, verbosity=verbosity)
            return
        with _run_lock():
            _workers(+1)
            migrated = MIGRATED.exists()
            originals = {}
            for alias in connections:
                creation = connections[alias].creation
                originals[alias] = connections[alias].settings_dict["NAME"]
                if not migrated:
                    creation.create_test_db(verbosity=verbosity, autoclobber=True)
                else:
                    _use_database(alias, creation._get_test_db_name())
                connections[alias].close()  # SQLite writes its journal into the file it copies
                creation.clone_test_db(suffix=worker, verbosity=verbosity, autoclobber=True)
            MIGRATED.touch()
            for alias in connections:
                clone = connections[alias].creation.get_test_db_clone_settings(worker)["NAME"]
                _use_database(alias, clone)
                _commit_without_waiting(alias)
        yield
        with _run_lock():
            last = _workers(-1) == 0
            for alias in connections:
                creation = connections[alias].creation
                creation.destroy_test_db(verbosity=verbosity)
                if last:
                    _use_database(alias, creation._get_test_db_name())
                    creation.destroy_test_db(originals[alias], verbosity=verbosity)
            if last:
                MIGRATED.unlink(missing_ok=True)


MIGRATED = RUN_DIR / "migrated"


@contextmanager
def _run_lock() -> Iterator[None]:
    """One worker at a time migrates, copies or drops the run's databases."""
    with open(RUN_DIR / "databases.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _workers(change: int) -> int:
    """Count the workers using the run's databases (under the lock) and return the count."""
    counter = RUN_DIR / "database-users"
    count = int(counter.read_text() or 0) if counter.exists() else 0
    counter.write_text(str(count + change))
    return count + change


def _commit_without_waiting(alias: str) -> None:
    """A commit to a test database on PostgreSQL is confirmed without waiting for the disk:
    the tests that commit (servers, workers, browsers) commit thousands of times, and a test
    database lost in a crash is only made again. Every connection to it from now on, the
    servers' and workers' included, takes the setting."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        cursor.execute(f"ALTER DATABASE {name} SET synchronous_commit = off")
    connection.close()


def _use_database(alias: str, name: str) -> None:
    connections[alias].close()
    connections[alias].settings_dict["NAME"] = name
    settings.DATABASES[alias]["NAME"] = name


# What migrating writes and every flush writes again (post_migrate): content types, their
# permissions and the catalogue of actions. A flush keeps their rows instead.
WRITTEN_BY_MIGRATE = ("django_content_type", "auth_permission", ActionType._meta.db_table)


@pytest.fixture(scope="session", autouse=True)
def _flush_keeps_what_migrate_wrote() -> Iterator[None]:
    """A test that commits (servers, workers, browsers) is followed by a flush of every table.
    Django's flush then writes content types, permissions and actions again under new keys,
    and the rows tests/kept.py keeps would no longer match the database: the played exercise
    would be played again after each one. Those rows stay as migrating wrote them, under the
    same keys all run long; post_migrate finds them in place and writes nothing."""

    def sql_flush(style, connection, reset_sequences=True, allow_cascade=False) -> list[str]:
        tables = [
            table
            for table in connection.introspection.django_table_names(
                only_existing=True, include_views=False
            )
            if table not in WRITTEN_BY_MIGRATE
        ]
        return connection.ops.sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush, "sql_flush", sql_flush)
        yield


@pytest.fixture(scope="session", autouse=True)
def _fast_passwords() -> Iterator[None]:
    """The default hasher spends a third of a second of CPU on each password, and the suite
    makes and checks a great many: MD5 for the tests (never in production)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language: Django activates the language of each
    request in the thread and leaves it there, so a page asked for in Spanish would leave the
    next test's messages in Spanish."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def _static_files_looked_up_on_request() -> Iterator[None]:
    """Each test client builds the middleware anew, and WhiteNoise lists every static file
    when it is built (about 40 ms): in the tests it looks a file up when one is asked for.
    Servers and workers started by tests keep the settings they are run with."""
    with override_settings(WHITENOISE_AUTOREFRESH=True):
        yield


@pytest.fixture
def minimal_scenario(db: None) -> Scenario:
    """tests/scenarios/files/minimal.yaml, loaded (its rows written again after the first
    test of a process that loads it: tests/kept.py)."""
    return Scenario.objects.get(pk=made_once("minimal scenario", _load_minimal))


def _load_minimal() -> int:
    return scenario_load(parse_scenario_file(MINIMAL), source_path=str(MINIMAL)).pk


@pytest.fixture
def shipped_scenarios(db: None) -> list[Scenario]:
    """Every file of scenarios/, loaded by `load_scenario` (written again after the first
    test of a process that loads them: tests/kept.py)."""
    made_once("shipped scenarios", _load_shipped)
    return list(Scenario.objects.order_by("slug"))


def _load_shipped() -> None:
    call_command("load_scenario", str(SCENARIO_DIR), stdout=io.StringIO())


@pytest.fixture
def facilitator(db: None):
    return get_user_model().objects.create_user("facilitator", password="pw-facilitator-1")


@pytest.fixture
def exercise(minimal_scenario: Scenario, facilitator) -> Exercise:
    return exercise_create(actor=facilitator, scenario=minimal_scenario, seed=7)


@pytest.fixture(autouse=True)
def _report_dir(settings, tmp_path: Path) -> None:
    """Rendered report files of each test in a directory of its own: exercise codes and
    versions repeat between runs, files from an earlier run must not be taken for new ones."""
    settings.CUMBRE_REPORT_DIR = tmp_path / "reports"


WorkerRun = Callable[[Callable[[], object]], list[tuple[object, ...]]]


@pytest.fixture
def as_worker(django_capture_on_commit_callbacks) -> WorkerRun:
    """Run a block, then, as a worker would once it commits, the bots' tasks it sent (and
    what those sent in turn). Returns every task sent, as (name, *args); others are not run."""
    runs = {BOTS_PLAY: tasks.bots_play, BOTS_ANSWER: tasks.bots_answer}

    def run(block: Callable[[], object]) -> list[tuple[object, ...]]:
        sent: list[tuple[object, ...]] = []
        pending = [block]
        while pending:
            with django_capture_on_commit_callbacks() as callbacks:
                pending.pop(0)()
            for callback in callbacks:
                if getattr(callback, "func", None) is task_send:
                    sent.append(callback.args)
                    name, *args = callback.args
                    if name in runs:
                        pending.append(partial(runs[name], *args))
        return sent

    return run
