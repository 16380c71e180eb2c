"""The exercise most report tests read: Caribbean Storm played to its end by bots.

Playing it takes over a second of CPU (eight turns, two hundred moves), and more than a hundred
tests read it, most without changing it. It is played once for a module's tests, inside a
transaction that each test's own transaction nests in as a savepoint: every test starts from
the exercise as played and its changes are rolled back; the module's transaction is rolled back
after its last test. These modules hold no transactional tests (which empty the database).
The next module in the same process writes the rows of that play again instead of playing.
"""

import io
import json
from collections.abc import Callable, Iterator

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.db.models import Model

from tests.conftest import SCENARIO_DIR
from wargame.exercises.models import Exercise
from wargame.reports.models import Observation
from wargame.turns.services import exercise_start

OBSERVATION = "Relief reached Jérémie by sea on day 2."


@pytest.fixture(scope="module")
def _played_once(django_db_setup: None, django_db_blocker) -> Iterator[int]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield played_once("played", _play)
        transaction.set_rollback(True)


def _play() -> int:
    call_command("load_scenario", str(SCENARIO_DIR), stdout=io.StringIO())
    out = io.StringIO()
    call_command("simulate", "caribbean-storm", "--seed", "4", "--keep", "--json", stdout=out)
    exercise = Exercise.objects.get(code=json.loads(out.getvalue())["exercise"])
    Observation.objects.create(
        exercise=exercise, objective=exercise.scenario.objectives.first(),
        kind=Observation.Kind.STRENGTH, text=OBSERVATION, turn=2,
    )  # fmt: skip
    return exercise.pk


# What `play` found and wrote the first time in this process, by name: the keys of the rows
# already there, the rows it added (kept to be written again) and the exercise's key.
KEPT: dict[str, tuple[dict[type[Model], set], dict[type[Model], list[Model]], int]] = {}


def played_once(name: str, play: Callable[[], int]) -> int:
    """The exercise `play` makes, in the current transaction: played the first time in this
    process, and after that its rows written again, with their own keys and timestamps (the
    same exercise in a fraction of the time). The database's sequences have already passed
    those keys: sequences are not rolled back. Played again when the database does not hold
    what it held then (a transactional test empties it, migrated rows included)."""
    before = _rows()
    if name in KEPT and KEPT[name][0] == before:
        _restore(KEPT[name][1])
        return KEPT[name][2]
    exercise = play()
    KEPT[name] = (before, _added_since(before), exercise)
    return exercise


def _models() -> list[type[Model]]:
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]


def _rows() -> dict[type[Model], set]:
    return {model: set(model._base_manager.values_list("pk", flat=True)) for model in _models()}


def _added_since(before: dict[type[Model], set]) -> dict[type[Model], list[Model]]:
    return {
        model: [row for row in model._base_manager.all() if row.pk not in before[model]]
        for model in _models()
    }


def _restore(rows: dict[type[Model], list[Model]]) -> None:
    """Write the kept rows again as they were, timestamps included."""
    stamped = [
        field
        for model in rows
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in stamped]
    try:
        for field in stamped:
            field.auto_now = field.auto_now_add = False
        for model, kept in rows.items():
            model._base_manager.bulk_create(kept)
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


@pytest.fixture
def played(_played_once: int, db: None) -> Exercise:
    """The played exercise, read afresh. The cache is emptied: each test changes the exercise
    from the same version, and a copy or a claim kept under a version by an earlier test (whose
    changes were rolled back) must not be taken for this test's."""
    cache.clear()
    return Exercise.objects.select_related("scenario").get(pk=_played_once)


@pytest.fixture
def brief(exercise: Exercise, facilitator) -> Exercise:
    """The minimal scenario in its first turn, for tests of who gets a file, when, on what
    paper or in which language, rather than of all it says: its PDF takes a third of the
    played exercise's time."""
    exercise_start(actor=facilitator, exercise=exercise)
    return Exercise.objects.select_related("scenario").get(pk=exercise.pk)
