"""The event log cannot be rewritten: no query, model method or admin page changes or removes
an event, and on PostgreSQL a trigger refuses it even to raw SQL; deleting an exercise takes
its log with it, and removing a user's account only forgets who acted."""

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from wargame.exercises.errors import NotAllowed
from wargame.exercises.models import Event, EventLogIsAppendOnly, Exercise
from wargame.exercises.services import exercise_delete

pytestmark = pytest.mark.django_db
User = get_user_model()
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's (CI runs it there)"
)


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


@on_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE exercises_event SET kind = 'exercise.rewritten' WHERE exercise_id = %s",
        "UPDATE exercises_event SET payload = '{}' WHERE exercise_id = %s",
        "DELETE FROM exercises_event WHERE exercise_id = %s",
    ],
)
def test_on_postgresql_raw_sql_cannot_rewrite_the_log(exercise: Exercise, sql: str) -> None:
    before = list(Event.objects.filter(exercise=exercise).values_list("pk", "kind", "payload"))
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [exercise.pk])
    after = list(Event.objects.filter(exercise=exercise).values_list("pk", "kind", "payload"))
    assert after == before


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
