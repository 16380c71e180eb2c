"""Guessing is slow and visible: sign-ins per account and per address, join codes and invite
links per address; the limits live in the database and the cache, shared by every process."""

import time
import uuid
from datetime import timedelta
from types import SimpleNamespace

import django_ratelimit.core
import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wargame.accounts.invites import invite_token

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "a-long-passphrase-for-control"


@pytest.fixture
def control() -> User:
    return User.objects.create_user("control", password=PASSWORD, is_staff=True)


def browser(address: str | None = None) -> Client:
    """A browser at an address of its own: counters of one test never meet another's."""
    return Client(REMOTE_ADDR=address or f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7")


@pytest.fixture
def still_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """django-ratelimit counts in windows of the wall clock (a minute, from an edge of its
    own): a test whose requests straddle an edge would start counting again. Its clock stands
    still for the test."""
    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))


def sign_in(client: Client, username: str, password: str, url: str | None = None):
    url = url or reverse("accounts:login")
    return client.post(url, {"username": username, "password": password})


def test_wrong_passwords_pause_the_account_then_the_pause_expires(control, settings) -> None:
    client = browser()
    answers = [sign_in(client, "control", "guess").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the form again, then the pause
    # The right password no longer opens it, and the page says why and for how long.
    locked = sign_in(client, "control", PASSWORD)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Signing in is paused for 15 minutes" in page and "administrator" in page
    # From another address too: the account itself is paused.
    assert sign_in(browser(), "control", PASSWORD).status_code == 429
    # Time passes (the attempts are moved back rather than waited for): the pause is over.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(browser(), "control", PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_paused(control, settings) -> None:
    client = browser()
    for index in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"someone-{index}", "guess")
    assert sign_in(client, "control", PASSWORD).status_code == 429
    assert sign_in(browser(), "control", PASSWORD).status_code == 302  # elsewhere: fine


def test_an_administrator_lifts_a_pause(control, settings) -> None:
    client = browser("10.9.9.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "control", "guess")
    assert sign_in(client, "control", PASSWORD).status_code == 429
    call_command("axes_reset_username", "control")
    call_command("axes_reset_ip", "10.9.9.9")
    assert sign_in(client, "control", PASSWORD).status_code == 302


def test_the_admins_sign_in_is_limited_the_same_way(control, settings) -> None:
    client = browser()
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "control", "guess", url)
    assert sign_in(client, "control", PASSWORD, url).status_code == 429


def test_behind_the_load_balancer_the_address_is_the_one_it_adds(control, settings) -> None:
    settings.CUMBRE_BEHIND_PROXY = True
    balancer = "10.0.0.2"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        # A client that forges X-Forwarded-For still gets the balancer's last entry.
        Client(REMOTE_ADDR=balancer, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9").post(
            reverse("accounts:login"), {"username": f"x-{uuid.uuid4().hex}", "password": "g"}
        )
    assert AccessAttempt.objects.filter(ip_address="203.0.113.9").count() >= 1
    other = Client(REMOTE_ADDR=balancer, HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert sign_in(other, "control", PASSWORD).status_code == 302


def test_join_codes_tried_too_fast_from_one_address_are_refused(
    exercise, settings, still_clock
) -> None:
    settings.CUMBRE_JOIN_RATE = "5/m"
    client, home = browser(), reverse("home")
    answers = [client.post(home, {"code": f"guess{n}"}).status_code for n in range(7)]
    assert answers[:5] == [200] * 5 and answers[5:] == [429, 429]
    refused = client.post(home, {"code": exercise.code})
    assert refused.status_code == 429 and "Wait a minute" in refused.content.decode()
    assert refused["Retry-After"] == "60"
    assert browser().post(home, {"code": exercise.code}).status_code == 302


def test_invite_links_tried_too_fast_from_one_address_are_refused(
    exercise, settings, still_clock
) -> None:
    settings.CUMBRE_JOIN_RATE = "5/m"
    client = browser()
    for n in range(5):
        assert client.get(reverse("accounts:join", args=[f"forged-{n}"])).status_code == 410
    good = reverse("accounts:join", args=[invite_token(exercise, exercise.teams.first())])
    assert client.get(good).status_code == 429
    assert browser().get(good).status_code == 200
