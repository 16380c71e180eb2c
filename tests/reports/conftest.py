"""The exercise most report tests read: Caribbean Storm played to its end by bots.

Playing it takes over a second of CPU (eight turns, two hundred moves), and more than a hundred
tests read it, most without changing it. It is played once for a module's tests, inside a
transaction that each test's own transaction nests in as a savepoint: every test starts from
the exercise as played and its changes are rolled back; the module's transaction is rolled back
after its last test. These modules hold no transactional tests (which empty the database).
"""

import io
import json
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from tests.conftest import SCENARIO_DIR
from wargame.exercises.models import Exercise
from wargame.reports.models import Observation

OBSERVATION = "Relief reached Jérémie by sea on day 2."


@pytest.fixture(scope="module")
def _played_once(django_db_setup: None, django_db_blocker) -> Iterator[int]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_scenario", str(SCENARIO_DIR), stdout=io.StringIO())
        out = io.StringIO()
        call_command("simulate", "caribbean-storm", "--seed", "4", "--keep", "--json", stdout=out)
        exercise = Exercise.objects.get(code=json.loads(out.getvalue())["exercise"])
        Observation.objects.create(
            exercise=exercise, objective=exercise.scenario.objectives.first(),
            kind=Observation.Kind.STRENGTH, text=OBSERVATION, turn=2,
        )  # fmt: skip
        yield exercise.pk
        transaction.set_rollback(True)


@pytest.fixture
def played(_played_once: int, db: None) -> Exercise:
    """The played exercise, read afresh. The cache is emptied: each test changes the exercise
    from the same version, and a copy or a claim kept under a version by an earlier test (whose
    changes were rolled back) must not be taken for this test's."""
    cache.clear()
    return Exercise.objects.select_related("scenario").get(pk=_played_once)
