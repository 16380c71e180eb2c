"""Getting in: invite links, the join code on the home page, and signing in."""

import re
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import signing
from django.db import connections
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from tests.conftest import MINIMAL
from wargame.accounts import invites
from wargame.accounts.invites import invite_read, invite_reopen, invite_revoke, invite_token
from wargame.exercises.models import Exercise, Participant, Role, Team
from wargame.exercises.services import exercise_create
from wargame.scenarios.fileformat import parse_scenario_file
from wargame.scenarios.models import Scenario
from wargame.scenarios.services import scenario_load
from wargame.turns.services import exercise_end

pytestmark = pytest.mark.django_db
User = get_user_model()


def team(exercise: Exercise, code: str = "DOM") -> Team:
    return exercise.teams.get(nation_code=code)


def join_url(exercise: Exercise, team: Team | None) -> str:
    return reverse("accounts:join", args=[invite_token(exercise, team)])


def named(name: str, once: str | None = None) -> dict[str, str]:
    """The join form as a browser sends it: the name, and the form's own one-time key."""
    return {"name": name, "once": once or secrets.token_urlsafe(16)}


def room_url(exercise: Exercise, code: str = "DOM") -> str:
    return reverse("exercises:team", args=[exercise.code, code])


def test_a_team_link_and_a_name_seat_a_signed_in_player(client: Client, exercise) -> None:
    url = join_url(exercise, team(exercise))
    page = client.get(url)
    assert page.status_code == 200
    assert "Dominican Republic" in page.content.decode()

    response = client.post(url, named("María José Pérez"))
    assert response.status_code == 302
    assert response["Location"] == room_url(exercise)
    seat = Participant.objects.select_related("user").get(exercise=exercise, role=Role.PLAYER)
    assert seat.team == team(exercise)
    assert seat.user.first_name == "María José Pérez"
    assert client.session[SESSION_KEY] == str(seat.user.pk)
    room = client.get(response["Location"])
    assert room.status_code == 200
    assert "María José Pérez" in room.content.decode()


def test_the_seat_survives_closing_the_browser(client: Client, exercise) -> None:
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is False
    response = client.post(join_url(exercise, team(exercise)), named("Ana"))
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE >= 7 * 24 * 3600
    assert cookie["expires"]


def test_a_seated_player_goes_straight_to_their_room(client: Client, exercise) -> None:
    url = join_url(exercise, team(exercise))
    form = named("Ana")
    client.post(url, form)
    assert client.get(url).status_code == 302
    assert client.get(url)["Location"] == room_url(exercise)
    # A double click on "Take my seat" seats them once.
    again = client.post(url, form)
    assert again["Location"] == room_url(exercise)
    assert Participant.objects.filter(exercise=exercise, role=Role.PLAYER).count() == 1
    # Another team's link does not move them to that team.
    other = client.get(join_url(exercise, team(exercise, "HTI")))
    assert other["Location"] == room_url(exercise)


def test_a_name_is_required(client: Client, exercise) -> None:
    response = client.post(join_url(exercise, team(exercise)), named("  "))
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Participant.objects.filter(exercise=exercise, role=Role.PLAYER).exists()
    assert SESSION_KEY not in client.session


def test_a_revoked_link_is_410_with_a_reason(client: Client, exercise, facilitator) -> None:
    dominicans = team(exercise)
    old = join_url(exercise, dominicans)
    invite_revoke(actor=facilitator, exercise=exercise, team=dominicans)
    for response in (client.get(old), client.post(old, named("Ana"))):
        assert response.status_code == 410
        assert "revoked" in response.content.decode()
    assert not Participant.objects.filter(exercise=exercise, role=Role.PLAYER).exists()
    # Reopened, the new link works; Haiti's link was never touched.
    invite_reopen(actor=facilitator, exercise=exercise, team=dominicans)
    assert client.get(join_url(exercise, team(exercise))).status_code == 200
    assert client.get(join_url(exercise, team(exercise, "HTI"))).status_code == 200


def test_a_revoked_evaluator_link_is_410(client: Client, exercise, facilitator) -> None:
    old = join_url(exercise, None)
    invite_revoke(actor=facilitator, exercise=exercise, team=None)
    response = client.get(old)
    assert response.status_code == 410
    assert "revoked" in response.content.decode()


def test_a_link_stays_the_same_for_the_hour_and_lives_its_days_from_that_hour(
    client: Client, exercise, monkeypatch
) -> None:
    """The lobby draws a team's link and its QR code on every answer: the same link within an
    hour, so the drawn code is kept; a link of an earlier hour still seats its player."""
    hour = 1_800_000_000 // 3600 * 3600
    monkeypatch.setattr(invites, "time", SimpleNamespace(time=lambda: hour + 59))
    first = invite_token(exercise, team(exercise))
    monkeypatch.setattr(invites, "time", SimpleNamespace(time=lambda: hour + 3599))
    assert invite_token(exercise, team(exercise)) == first
    monkeypatch.setattr(invites, "time", SimpleNamespace(time=lambda: hour + 3600))
    assert invite_token(exercise, team(exercise)) != first
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: hour + 3600 * 5))
    assert client.get(reverse("accounts:join", args=[first])).status_code == 200
    days = timedelta(days=settings.CUMBRE_INVITE_DAYS).total_seconds()
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: hour + days + 1))
    assert client.get(reverse("accounts:join", args=[first])).status_code == 410


def test_a_tampered_link_is_410(client: Client, exercise) -> None:
    token = invite_token(exercise, team(exercise))
    forged = signing.dumps(
        {"e": exercise.pk, "r": Role.PLAYER, "t": team(exercise).pk, "s": "guess"},
        salt="another.salt",
        compress=True,
    )
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "nonsense"):
        response = client.get(reverse("accounts:join", args=[bad]))
        assert response.status_code == 410
        assert "not valid" in response.content.decode()


def test_an_expired_link_is_410(client: Client, exercise, monkeypatch) -> None:
    url = join_url(exercise, team(exercise))
    later = time.time() + timedelta(days=settings.CUMBRE_INVITE_DAYS, hours=1).total_seconds()
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))
    response = client.get(url)
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_a_link_of_a_finished_exercise_is_410(client: Client, exercise, facilitator) -> None:
    url = join_url(exercise, team(exercise))
    exercise_end(actor=facilitator, exercise=exercise, reason="Time is up.")
    assert client.get(url).status_code == 410


def test_the_evaluator_link_seats_an_evaluator(client: Client, exercise) -> None:
    response = client.post(join_url(exercise, None), named("Eva Evaluadora"))
    assert response.status_code == 302
    assert response["Location"] == reverse("exercises:evaluate", args=[exercise.code])
    seat = Participant.objects.get(exercise=exercise, role=Role.EVALUATOR)
    assert seat.team is None
    assert client.get(response["Location"]).status_code == 200


def test_the_join_code_leads_to_the_team_links(client: Client, exercise) -> None:
    response = client.post(reverse("home"), {"code": f"  {exercise.code.upper()} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:join_code", args=[exercise.code])
    page = client.get(response["Location"])
    assert page.status_code == 200
    # Each team's link, read as the join page reads it (a link carries the second it was
    # signed, so it is compared by what it names, not by its text).
    links = re.findall(r'href="(/accounts/join/[^"/]+/)"', page.content.decode())
    tokens = [resolve(link).kwargs["token"] for link in links]
    assert sorted(invite_read(token).team.pk for token in tokens) == sorted(
        exercise.teams.values_list("pk", flat=True)
    )
    # A link from that page seats the player like the one the facilitator shares.
    haiti = next(
        link
        for link, t in zip(links, tokens, strict=True)
        if invite_read(t).team.nation_code == "HTI"
    )
    joined = client.post(haiti, named("Bruno"))
    assert joined["Location"] == room_url(exercise, "HTI")


def test_an_unknown_or_finished_join_code_is_refused(client: Client, exercise, facilitator):
    response = client.post(reverse("home"), {"code": "nosuchcode"})
    assert response.status_code == 200
    assert "No open exercise has this code." in response.content.decode()
    exercise_end(actor=facilitator, exercise=exercise, reason="Time is up.")
    response = client.post(reverse("home"), {"code": exercise.code})
    assert response.status_code == 200
    assert client.get(reverse("accounts:join_code", args=[exercise.code])).status_code == 404


def test_a_participant_can_take_part_in_several_exercises(
    client: Client, exercise, facilitator, minimal_scenario: Scenario
) -> None:
    second = exercise_create(actor=facilitator, scenario=minimal_scenario, title="Second round")
    client.post(join_url(exercise, team(exercise)), named("Ana"))
    response = client.post(join_url(second, team(second, "HTI")), named("Ana"))
    assert response["Location"] == room_url(second, "HTI")
    user = User.objects.get(first_name="Ana")  # one person, not two
    seats = Participant.objects.filter(user=user).order_by("exercise__created_at")
    assert [(s.exercise, s.team.nation_code) for s in seats] == [(exercise, "DOM"), (second, "HTI")]
    home = client.get(reverse("home")).content.decode()
    assert room_url(exercise) in home
    assert room_url(second, "HTI") in home
    assert client.get(room_url(exercise)).status_code == 200
    assert client.get(room_url(second, "HTI")).status_code == 200


def test_a_facilitator_signs_in_with_a_password(client: Client, exercise, facilitator) -> None:
    login = reverse("accounts:login")
    assert client.get(login).status_code == 200
    wrong = client.post(login, {"username": "facilitator", "password": "wrong"})
    assert wrong.status_code == 200
    assert SESSION_KEY not in client.session

    control = reverse("exercises:control", args=[exercise.code])
    response = client.post(
        f"{login}?next={control}",
        {"username": "facilitator", "password": "pw-facilitator-1", "next": control},
    )
    assert response.status_code == 302
    assert response["Location"] == control
    assert client.get(control).status_code == 200
    assert control in client.get(reverse("home")).content.decode()


def test_signing_in_without_next_goes_home(client: Client, facilitator) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": "facilitator", "password": "pw-facilitator-1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


def test_a_double_click_by_someone_not_signed_in_makes_one_account_and_one_seat(
    exercise,
) -> None:
    url = join_url(exercise, team(exercise))
    form = named("Ana")
    first, second = Client(), Client()  # the second request carries no cookie of the first
    assert first.post(url, form)["Location"] == room_url(exercise)
    again = second.post(url, form)
    assert again["Location"] == room_url(exercise)
    assert Participant.objects.filter(exercise=exercise, role=Role.PLAYER).count() == 1
    assert User.objects.filter(first_name="Ana").count() == 1
    assert second.session[SESSION_KEY] == first.session[SESSION_KEY]
    # Long after, the same form makes nothing and says so.
    User.objects.filter(first_name="Ana").update(date_joined=timezone.now() - timedelta(hours=1))
    late = Client().post(url, form)
    assert late.status_code == 409 and "already used" in late.content.decode()
    assert User.objects.filter(first_name="Ana").count() == 1


def test_a_join_that_fails_makes_no_account(exercise, facilitator) -> None:
    url = join_url(exercise, team(exercise))
    exercise_end(actor=facilitator, exercise=exercise, reason="Time is up.")
    response = Client().post(url, named("Ana"))
    assert response.status_code == 410
    assert not User.objects.filter(first_name="Ana").exists()


@pytest.mark.parametrize(
    ("typed", "seen"),
    [
        ("Ana\u202eatsoc", "Anaatsoc"),  # a right-to-left override
        ("\u200bAna\u200d María\ufeff", "Ana María"),  # zero-width characters
        ("Ana\u2066 \u2069Pérez", "Ana Pérez"),  # isolates
        ("  Ana\t\nPérez  ", "Ana Pérez"),
        ("Ana\x07", "Ana"),  # a control character
    ],
)
def test_display_names_lose_invisible_and_direction_changing_characters(
    exercise, typed: str, seen: str
) -> None:
    client = Client()
    client.post(join_url(exercise, team(exercise)), named(typed))
    assert Participant.objects.get(exercise=exercise, role=Role.PLAYER).user.first_name == seen


def test_a_name_of_invisible_characters_only_is_refused(exercise) -> None:
    response = Client().post(join_url(exercise, team(exercise)), named("\u200b\u202e\u2066"))
    assert response.status_code == 200
    assert "Write a name that others can read." in response.content.decode()
    assert not Participant.objects.filter(exercise=exercise, role=Role.PLAYER).exists()


@pytest.mark.django_db(transaction=True)
def test_four_joins_at_once_take_one_seat_and_never_fail(exercise_for_threads) -> None:
    exercise = exercise_for_threads
    url = join_url(exercise, team(exercise))
    signed_in = User.objects.create_user("delegate")
    form = named("Ana")

    def join(signed: bool) -> int:
        try:
            client = Client()
            if signed:
                client.force_login(signed_in)
                return client.post(url, {}).status_code
            return client.post(url, form).status_code
        finally:
            connections.close_all()

    for signed in (True, False):
        with ThreadPoolExecutor(4) as pool:
            codes = list(pool.map(join, [signed] * 4))
        assert codes == [302] * 4, (signed, codes)
    seats = Participant.objects.filter(exercise=exercise, role=Role.PLAYER)
    assert seats.count() == 2  # the signed-in delegate, and Ana
    assert User.objects.filter(first_name="Ana").count() == 1


@pytest.fixture
def exercise_for_threads(transactional_db: None) -> Exercise:
    scenario = scenario_load(parse_scenario_file(MINIMAL))
    facilitator = User.objects.create_user("facilitator", is_staff=True)
    return exercise_create(actor=facilitator, scenario=scenario, seed=1)
