"""The exercise most report tests read: Caribbean Storm played to its end by bots.

Playing it takes over a second of CPU (eight turns, two hundred moves), and more than a hundred
tests read it, most without changing it. It is played once for a module's tests, inside a
transaction that each test's own transaction nests in as a savepoint: every test starts from
the exercise as played and its changes are rolled back; the module's transaction is rolled back
after its last test. These modules hold no transactional tests (which empty the database).
The next module in the same process writes the rows of that play again instead of playing
(tests/kept.py).
"""

import io
import json
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from tests.conftest import SCENARIO_DIR
from tests.kept import made_once
from wargame.exercises.models import Exercise
from wargame.reports.models import Observation
from wargame.turns.services import exercise_start

OBSERVATION = "Relief reached Jérémie by sea on day 2."


@pytest.fixture(scope="module")
def _played_once(django_db_setup: None, django_db_blocker) -> Iterator[int]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield made_once("played", _play)
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
