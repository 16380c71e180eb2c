"""/healthz, /healthz/live and `manage.py health`; the pulse and report files without a cache."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone

from wargame.exercises.models import Exercise, Heartbeat
from wargame.exercises.pulse import EVERYTHING, pulse_changes, pulse_read, pulse_state, pulse_store
from wargame.reports.files import ReportFile
from wargame.turns.clock import heartbeat_record, scheduler_running

# A Redis nobody listens on: what the app meets when Redis is down.
UNREACHABLE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def staff() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_user("operator", is_staff=True))
    return client


@pytest.mark.django_db
def test_healthz_is_503_until_beat_ticks_then_200() -> None:
    response = Client().get("/healthz")
    assert (response.status_code, response.json()) == (503, {"status": "unavailable"})
    details = staff().get("/healthz/parts")
    assert details.status_code == 503
    parts = details.json()
    assert parts["database"]["ok"] and parts["broker"]["ok"] and parts["cache"]["ok"]
    assert parts["scheduler"] == {"ok": False, "last_tick_seconds_ago": None,
                                  "interval_seconds": 2.0}  # fmt: skip
    heartbeat_record()
    response = Client().get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_only_staff_are_told_which_part_is_down_and_why() -> None:
    with override_settings(CACHES=UNREACHABLE):
        anyone = Client().get("/healthz")
        assert anyone.json() == {"status": "unavailable"}
        assert "Error" not in anyone.content.decode() and "redis" not in anyone.content.decode()
        assert Client().get("/healthz/parts").status_code == 404
        player = Client()
        player.force_login(get_user_model().objects.create_user("player"))
        assert player.get("/healthz/parts").status_code == 404
        details = staff().get("/healthz/parts").json()
    assert not details["cache"]["ok"] and "Error" in details["cache"]["error"]


@pytest.mark.django_db
def test_beat_silent_for_three_intervals_makes_the_scheduler_offline(settings) -> None:
    settings.CUMBRE_TICK_SECONDS = 2.0
    Heartbeat.objects.create(name="tick", at=timezone.now() - timedelta(seconds=6.5))
    assert scheduler_running()
    Heartbeat.objects.filter(name="tick").update(at=timezone.now() - timedelta(seconds=8))
    assert not scheduler_running()
    assert Client().get("/healthz").status_code == 503
    assert staff().get("/healthz/parts").json()["scheduler"]["last_tick_seconds_ago"] >= 8


def test_live_answers_without_the_database() -> None:
    # No django_db mark: any query would fail the test.
    response = Client().get("/healthz/live")
    assert (response.status_code, response.content) == (200, b"ok")


@pytest.mark.django_db
def test_the_health_command_fails_for_a_part_that_is_down() -> None:
    out = io.StringIO()
    call_command("health", "--part", "database", "--part", "broker", stdout=out)
    assert '"database": {' in out.getvalue()
    with pytest.raises(CommandError, match="scheduler"):
        call_command("health", "--part", "scheduler", stdout=io.StringIO())
    heartbeat_record()
    call_command("health", stdout=io.StringIO())


@pytest.mark.django_db
def test_with_redis_down_healthz_says_the_cache_is(exercise: Exercise) -> None:
    heartbeat_record()
    with override_settings(CACHES=UNREACHABLE):
        assert Client().get("/healthz").status_code == 503
        parts = staff().get("/healthz/parts").json()
    assert not parts["cache"]["ok"] and parts["database"]["ok"]


@pytest.mark.django_db
def test_with_redis_down_the_pulse_asks_the_database(exercise: Exercise) -> None:
    with override_settings(CACHES=UNREACHABLE):
        # Logged, not raised.
        assert not pulse_store(exercise.code, pulse_state(exercise.version + 1, {}))
        version = Exercise.objects.get(pk=exercise.pk).version
        assert pulse_changes(exercise.code, version - 1) == (version, list(EVERYTHING))
        assert pulse_changes(exercise.code, version) is None
        target = ReportFile(exercise.code, version, "pdf")
        target.report(10, "data")  # progress is lost, the work goes on
        assert target.progress() is None and not target.claim()


@pytest.mark.django_db
def test_a_cache_that_lost_its_state_is_reseeded_from_the_database(exercise: Exercise) -> None:
    version = Exercise.objects.get(pk=exercise.pk).version
    caches["default"].delete(f"pulse:{exercise.code}")
    assert pulse_read(exercise.code) is None
    assert pulse_changes(exercise.code, version - 1) == (version, list(EVERYTHING))
    assert pulse_read(exercise.code)["v"] == version


@pytest.mark.django_db
def test_probes_from_any_host_and_over_plain_http_are_answered(settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    client = Client(HTTP_HOST="10.0.3.7:8000")  # a load balancer probing the instance's IP
    assert client.get("/healthz/live").status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
    assert client.get("/").status_code == 400  # everything else still checks the host
