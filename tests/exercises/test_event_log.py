"""The event log cannot be rewritten: no query, model method or admin page changes or removes
an event, and on PostgreSQL a trigger refuses it even to raw SQL; deleting an exercise takes
its log with it, and removing a user's account only forgets who acted."""

import os
from collections.abc import Iterator
from importlib import import_module

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.environment import RUN
from wargame.exercises.errors import NotAllowed
from wargame.exercises.models import Event, EventLogIsAppendOnly, Exercise
from wargame.exercises.services import exercise_delete

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_the_orm_refuses_to_change_or_remove_an_event(exercise: Exercise) -> None:
    event = Event.objects.filter(exercise=exercise).first()
    assert event is not None
    event.kind = "exercise.rewritten"
    with pytest.raises(EventLogIsAppendOnly):
        event.save()
    with pytest.raises(EventLogIsAppendOnly):
        event.delete()
    with pytest.raises(EventLogIsAppendOnly):
        Event.objects.filter(exercise=exercise).update(kind="x")
    with pytest.raises(EventLogIsAppendOnly):
        Event.objects.filter(exercise=exercise).delete()
    assert not Event.objects.filter(kind="exercise.rewritten").exists()


def test_the_admin_neither_changes_nor_deletes_an_event(exercise: Exercise) -> None:
    admin = User.objects.create_superuser("root", password="x-long-passphrase")
    client = Client()
    client.force_login(admin)
    event = Event.objects.filter(exercise=exercise).first()
    change = reverse("admin:exercises_event_change", args=[event.pk])
    delete = reverse("admin:exercises_event_delete", args=[event.pk])
    assert client.post(change, {"kind": "x"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=event.pk, kind=event.kind).exists()


@pytest.fixture(scope="module")
def postgres_log() -> Iterator[psycopg.Connection]:
    """The event log's table on PostgreSQL with the migration's trigger, in a database of this
    run's own: on the server of the test settings, or on the local one that CI and make test
    require beside SQLite. Raw SQL is what the trigger must refuse, whatever the ORM does."""
    server = settings.DATABASES["default"]
    if server["ENGINE"].endswith("postgresql"):
        dsn = {k: server[v] for k, v in (("host", "HOST"), ("port", "PORT"), ("user", "USER"))}
        dsn = {k: v for k, v in dsn.items() if v} | {"password": server.get("PASSWORD") or None}
    else:
        dsn = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "password": None}
    name = f"cumbre_log_{os.environ[RUN]}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = psycopg.connect(dbname="postgres", autocommit=True, **dsn)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(dbname=name, autocommit=True, **dsn) as log:
            log.execute(TABLE)
            log.execute(import_module(MIGRATION).CREATE, ())
            yield log
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


MIGRATION = "wargame.exercises.migrations.0008_event_log_append_only"
TABLE = """
CREATE TABLE exercises_event (
    id serial PRIMARY KEY, exercise_id integer NOT NULL, turn smallint, kind varchar(60),
    actor_id integer, team_id integer, payload jsonb NOT NULL, created_at timestamptz NOT NULL
)
"""


def logged(log: psycopg.Connection, exercise: int) -> list[tuple]:
    with log.transaction():
        log.execute("SELECT set_config('cumbre.deleting_exercise', %s, true)", [str(exercise)])
        log.execute("DELETE FROM exercises_event WHERE exercise_id = %s", [exercise])
    log.execute(
        "INSERT INTO exercises_event (exercise_id, turn, kind, actor_id, payload, created_at) "
        "VALUES (%s, 1, 'move.submitted', 7, '{\"move\": 1}', now()), "
        "(%s, 1, 'turn.closed', NULL, '{}', now())",
        [exercise, exercise],
    )
    return rows(log, exercise)


def rows(log: psycopg.Connection, exercise: int) -> list[tuple]:
    return log.execute(
        "SELECT id, kind, actor_id, payload::text FROM exercises_event "
        "WHERE exercise_id = %s ORDER BY id",
        [exercise],
    ).fetchall()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE exercises_event SET kind = 'exercise.rewritten' WHERE exercise_id = %s",
        "UPDATE exercises_event SET payload = '{}' WHERE exercise_id = %s",
        "UPDATE exercises_event SET actor_id = 8 WHERE exercise_id = %s",
        "DELETE FROM exercises_event WHERE exercise_id = %s",
    ],
)
def test_on_postgresql_raw_sql_cannot_rewrite_the_log(
    postgres_log: psycopg.Connection, sql: str
) -> None:
    before = logged(postgres_log, 1)
    with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="append-only"):
        postgres_log.execute(sql, [1])
    assert rows(postgres_log, 1) == before


def test_on_postgresql_only_deleting_its_exercise_or_forgetting_an_actor_passes(
    postgres_log: psycopg.Connection,
) -> None:
    kept = logged(postgres_log, 2)
    logged(postgres_log, 3)
    # A user account removed: who acted is forgotten, what happened stays.
    postgres_log.execute("UPDATE exercises_event SET actor_id = NULL WHERE exercise_id = 3")
    assert [row[2] for row in rows(postgres_log, 3)] == [None, None]
    # Deleting exercise 3 (as exercise_delete does) takes its log, and only its log.
    with postgres_log.transaction():
        postgres_log.execute("SELECT set_config('cumbre.deleting_exercise', '3', true)")
        postgres_log.execute("DELETE FROM exercises_event WHERE exercise_id = 3")
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation), postgres_log.transaction():
            postgres_log.execute("DELETE FROM exercises_event WHERE exercise_id = 2")
    assert rows(postgres_log, 3) == []
    assert rows(postgres_log, 2) == kept
    # The permission ended with its transaction.
    with pytest.raises(psycopg.errors.IntegrityConstraintViolation):
        postgres_log.execute("DELETE FROM exercises_event WHERE exercise_id = 2")


def test_deleting_an_exercise_takes_its_log_and_only_its_log(
    exercise: Exercise, minimal_scenario, facilitator
) -> None:
    from wargame.exercises.services import exercise_create

    other = exercise_create(actor=facilitator, scenario=minimal_scenario, seed=2)
    kept = Event.objects.filter(exercise=other).count()
    stranger = User.objects.create_user("stranger")
    with pytest.raises(NotAllowed):
        exercise_delete(actor=stranger, exercise=exercise)
    exercise_delete(actor=facilitator, exercise=exercise)
    assert not Exercise.objects.filter(pk=exercise.pk).exists()
    assert not Event.objects.filter(exercise_id=exercise.pk).exists()
    assert Event.objects.filter(exercise=other).count() == kept


def test_removing_an_account_forgets_who_acted_and_keeps_what_happened(
    exercise: Exercise, facilitator
) -> None:
    events = Event.objects.filter(exercise=exercise, actor=facilitator)
    kinds = sorted(events.values_list("kind", flat=True))
    assert kinds
    facilitator.delete()
    assert (
        sorted(Event.objects.filter(exercise=exercise, actor=None).values_list("kind", flat=True))
        >= kinds
    )
