"""A worker killed in the middle of closing a turn leaves no half-closed turn behind, and the
turn closes once when a new worker runs."""

import sqlite3
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from tests.integration.test_turn_clock import closes, current, new_exercise
from tests.integration.workers import celery_worker, wait_for
from wargame.exercises.models import Event, Exercise
from wargame.exercises.services import move_submit
from wargame.turns.services import exercise_start

pytestmark = pytest.mark.django_db(transaction=True)


class TeamRowLock:
    """Holds a lock from a connection of its own, so that a worker closing the turn has to
    wait in the middle of its transaction, where it can be killed."""

    def __init__(self, team_id: int) -> None:
        db = connection.settings_dict
        self.sqlite = db["ENGINE"].endswith("sqlite3")
        if self.sqlite:
            # SQLite locks the whole database: the worker waits at its first write.
            self.conn = sqlite3.connect(db["NAME"], isolation_level=None, timeout=5)
            self.conn.execute("begin immediate")
        else:
            # PostgreSQL locks the row: the worker has already locked the exercise, closed
            # the turn and written events when it reaches the teams and waits.
            self.conn = psycopg.connect(
                host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                user=db["USER"], password=db["PASSWORD"] or None, dbname=db["NAME"],
            )  # fmt: skip
            self.conn.execute("select 1 from exercises_team where id = %s for update", [team_id])

    def someone_waits(self) -> bool:
        if self.sqlite:
            return True
        row = psycopg.connect(
            host=self.conn.info.host, port=self.conn.info.port, user=self.conn.info.user,
            dbname=self.conn.info.dbname, autocommit=True,
        ).execute(
            "select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
            "and datname = current_database()"
        ).fetchone()  # fmt: skip
        return row[0] > 0

    def release(self) -> None:
        self.conn.rollback() if not self.sqlite else self.conn.execute("rollback")
        self.conn.close()


def test_a_killed_worker_leaves_no_half_closed_turn(tmp_path: Path) -> None:
    exercise, facilitator, players = new_exercise(turn_seconds=3600)
    exercise_start(actor=facilitator, exercise=exercise)
    hti = exercise.teams.get(nation_code="HTI")
    move_submit(actor=players["HTI"], team=hti, action="public_statement")
    events_before = Event.objects.filter(exercise=exercise).count()

    Exercise.objects.filter(pk=exercise.pk).update(
        turn_deadline=timezone.now() - timedelta(seconds=1)
    )
    lock = TeamRowLock(hti.pk)
    try:
        with celery_worker(tmp_path / "first.log") as first:
            wait_for(lambda: "exercises.close_turn" in first.text(), 30, first.text)
            wait_for(lock.someone_waits, 30, first.text)
            first.kill()
    finally:
        lock.release()

    after_kill = current(exercise)
    assert (after_kill.status, after_kill.current_turn) == (Exercise.Status.RUNNING, 1)
    assert exercise.turn_set.get(number=1).closed_at is None
    assert closes(exercise, 1) == 0
    assert Event.objects.filter(exercise=exercise).count() == events_before
    assert exercise.moves.get().status == "submitted"

    with celery_worker(tmp_path / "second.log") as second:
        wait_for(lambda: current(exercise).current_turn == 2, 30, second.text)
    assert closes(exercise, 1) == 1
    assert exercise.moves.get().status == "adjudicated"
