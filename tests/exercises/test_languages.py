"""Each person reads Cumbre in their own language, at the same moment as others in theirs.

The choice is made on any page, kept with the person's account and brought to every device
they sign in on; before any choice the browser's language decides. The rooms' regions, kept
and shared between the players of a team, are kept apart by language.
"""

import subprocess
import sys
from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.exercises.conftest import People
from tests.exercises.test_views import share_rooms
from wargame.accounts.language import language_of
from wargame.exercises.forms import ExerciseForm
from wargame.exercises.models import Exercise, Role
from wargame.exercises.services import participant_add
from wargame.reports.model import report_for
from wargame.scenarios.catalogue import catalogue
from wargame.scenarios.models import ActionType
from wargame.web.templatetags.cumbre import game_time

pytestmark = pytest.mark.django_db

# Words of the team room, in its shared regions (indicators, move form) and in the page.
ROOM_WORDS = ["Your indicators", "Submit a move", "Sign out"]


def in_language(language: str, words: list[str]) -> list[str]:
    with translation.override(language):
        translated = [translation.gettext(word) for word in words]
    if language != "en":
        assert not set(translated) & set(words), f"{language}: the catalogue is not compiled"
    return translated


def choose(client: Client, language: str, back: str = "/") -> None:
    response = client.post(reverse("accounts:language"), {"language": language, "next": back})
    assert response.status_code == 302 and response["Location"] == back


def html_lang(html: str) -> str:
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("shared", [False, True], ids=["rendered-each-time", "shared"])
def test_three_players_read_the_room_each_in_their_own_language(
    shared: bool, started: Exercise, people: People, client_for: Callable[..., Client]
) -> None:
    """A and a teammate of A read the same team's room in Spanish and Portuguese, B in
    English, one after the other and again: nobody gets a region kept for another language."""
    teammate = get_user_model().objects.create_user("player-a2", first_name="Paula")
    participant_add(actor=people.facilitator, exercise=started, user=teammate,
                    role=Role.PLAYER, team=people.team_a)  # fmt: skip
    seats = [(people.player_a, people.team_a, "es"), (teammate, people.team_a, "pt-br"),
             (people.player_b, people.team_b, "en")]  # fmt: skip
    clients = []
    for user, team, language in seats:
        client = client_for(user)
        choose(client, language)
        clients.append((client, team, language))
    if shared:
        share_rooms(started)
    for _round in range(2):
        for client, team, language in clients:
            html = client.get(reverse("exercises:team", args=[started.code, team.nation_code]))
            html = html.content.decode()
            assert html_lang(html) == language
            for word in in_language(language, ROOM_WORDS):
                assert word in html, f"{language}: {word!r} is missing"
            others = {"es", "pt-br", "en"} - {language}
            for other in others - {"en"}:
                for word in in_language(other, ROOM_WORDS[:2]):
                    assert word not in html, f"{language} room shows {other}: {word!r}"


def test_the_choice_follows_the_person_to_another_device(
    people: People, client_for: Callable[..., Client]
) -> None:
    choose(client_for(people.player_a), "pt-br")
    assert language_of(people.player_a) == "pt-br"
    phone = client_for(people.player_a)  # signs in afresh, with no cookie
    assert html_lang(phone.get(reverse("home")).content.decode()) == "pt-br"
    choose(phone, "es")
    assert language_of(people.player_a) == "es"


@pytest.mark.parametrize(
    ("accept", "language"),
    [("es-419,es;q=0.9", "es"), ("pt-BR,pt;q=0.9", "pt-br"), ("pt-PT", "pt-br"),
     ("de-DE,de;q=0.9", "en"), ("", "en")],
)  # fmt: skip
def test_before_any_choice_the_browser_language_decides(accept: str, language: str) -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE=accept).get(reverse("home")).content.decode()
    assert html_lang(html) == language


def test_a_choice_without_an_account_is_kept_by_the_browser() -> None:
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    choose(browser, "es")
    cookie = browser.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es" and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert html_lang(browser.get(reverse("home")).content.decode()) == "es"


def test_every_page_offers_the_languages_in_their_own_names(
    started: Exercise, people: People, client_for: Callable[..., Client]
) -> None:
    html = client_for(people.facilitator).get(reverse("exercises:control", args=[started.code]))
    html = html.content.decode()
    assert 'action="/accounts/language/"' in html
    assert 'lang="es">Español</button>' in html
    assert 'lang="pt-br">Português Brasileiro</button>' in html
    assert '<strong lang="en" aria-current="true">English</strong>' in html


@pytest.mark.parametrize(
    "data",
    [{"language": "fr"}, {"language": ""}, {}, {"language": "es", "next": "x" * 2001}],
    ids=["unknown", "empty", "missing", "long-next"],
)
def test_a_bad_choice_is_refused_with_the_reason_and_changes_nothing(
    data: dict, people: People, client_for: Callable[..., Client]
) -> None:
    client = client_for(people.player_a)
    response = client.post(reverse("accounts:language"), data)
    assert response.status_code == 400
    assert "language" in response.content.decode()
    assert language_of(people.player_a) is None
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.parametrize(
    "back", ["https://elsewhere.example/", "//elsewhere.example/x", "", "-1", "home", "x/y"]
)
def test_after_choosing_one_stays_on_this_site(back: str) -> None:
    response = Client().post(reverse("accounts:language"), {"language": "es", "next": back})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_choosing_asks_for_a_post(people: People, client_for: Callable[..., Client]) -> None:
    assert client_for(people.player_a).get(reverse("accounts:language")).status_code == 405


@pytest.mark.parametrize(
    ("language", "per_turn", "expected"),
    [
        ("en", "3 days", "Turn 2 of 3 · days 4–6"),
        ("es", "3 days", "Turno 2 de 3 · días 4–6"),
        ("pt-br", "1 week", "Turno 2 de 3 · semana 2"),
        ("es", "2 fortnights", "Turno 2 de 3"),
    ],
)
def test_game_time_is_said_in_the_readers_language(
    language: str, per_turn: str, expected: str, started: Exercise
) -> None:
    scenario = started.scenario
    scenario.turns, scenario.game_time_per_turn = 3, per_turn
    started.current_turn = 2
    with translation.override(language):
        assert game_time(started) == expected


def test_an_empty_choice_reads_in_the_readers_language() -> None:
    form = ExerciseForm()
    with translation.override("es"):
        assert "Elegir…" in str(form["scenario"])


def test_every_action_of_the_catalogue_is_named_and_described_in_every_language() -> None:
    for spec in catalogue():
        assert set(spec.translations) == {"es", "pt-br"}, spec.code
        for texts in spec.translations.values():
            assert texts["name"] and texts["description"], spec.code
            assert texts["name"] != spec.name or spec.code == "public_statement", spec.code


def test_the_room_names_actions_in_the_readers_language(
    started: Exercise, people: People, client_for: Callable[..., Client]
) -> None:
    action = ActionType.objects.get(code="hadr")
    client = client_for(people.player_b)
    choose(client, "es")
    html = client.get(reverse("exercises:team", args=[started.code, people.team_b.nation_code]))
    html = html.content.decode()
    assert action.translations["es"]["name"] in html and action.name not in html
    with translation.override("pt-br"):
        assert str(action) == "Assistência humanitária e socorro em desastres"


def test_the_commands_speak_the_language_they_run_in(tmp_path) -> None:
    with translation.override("es"), pytest.raises(CommandError) as refused:
        call_command("export_report", "no-such-code", "--format", "json")
    assert str(refused.value) == "no hay ningún ejercicio con el código 'no-such-code'"
    with pytest.raises(CommandError) as refused:
        call_command("export_report", "no-such-code", "--format", "json")
    assert str(refused.value) == "no exercise with the code 'no-such-code'"


def test_an_unknown_default_language_stops_the_settings(monkeypatch) -> None:
    monkeypatch.setenv("CUMBRE_LANGUAGE", "fr")
    result = subprocess.run(
        [sys.executable, "-c", "import wargame.settings"], capture_output=True, text=True,
        cwd=settings.BASE_DIR, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "CUMBRE_LANGUAGE must be one of en, es, pt-br, not 'fr'" in result.stderr


@pytest.mark.parametrize("shared", [False, True], ids=["rendered-each-time", "shared"])
def test_the_scenarios_texts_are_read_in_each_players_language(
    shared: bool, started: Exercise, people: People, client_for: Callable[..., Client]
) -> None:
    """The scenario file's translations reach the room: the inject delivered, its private
    part and the briefings, in Spanish for one player and Portuguese for a teammate; where a
    text has no translation, the original."""
    inject = started.injects.get(code="M-01")
    inject.translations = {
        "es": {"title": "El huracán Elena toca tierra", "private": {"HTI": "Puertos cerrados."}},
        "pt-br": {"title": "O furacão Elena toca a terra"},
    }
    inject.save(update_fields=["translations"])
    started.scenario.translations = {"es": {"briefing": "Exposición pública breve."}}
    started.scenario.save(update_fields=["translations"])
    teammate = get_user_model().objects.create_user("player-a2", first_name="Paulo")
    participant_add(actor=people.facilitator, exercise=started, user=teammate,
                    role=Role.PLAYER, team=people.team_b)  # fmt: skip
    if shared:
        share_rooms(started)
    room = reverse("exercises:team", args=[started.code, people.team_b.nation_code])  # Haiti
    expected = {
        "es": ["El huracán Elena toca tierra", "Puertos cerrados.", "Exposición pública breve."],
        "pt-br": ["O furacão Elena toca a terra", "Your southern ports are closed."],
        "en": ["Hurricane Elena makes landfall", "Your southern ports are closed."],
    }
    for user, language in [(people.player_b, "es"), (teammate, "pt-br"), (people.player_b, "en")]:
        client = client_for(user)
        choose(client, language)
        html = client.get(room).content.decode()
        for text in expected[language]:
            assert text in html, f"{language}: {text!r} is missing"
        for other, texts in expected.items():
            if other != language:
                assert texts[0] not in html, f"{language} room shows the {other} title"


def test_every_inject_carries_the_exercise_marking_in_the_readers_language(
    started: Exercise, people: People, client_for: Callable[..., Client]
) -> None:
    """Above and below each inject, as real exercise traffic is marked, in each language."""
    room = reverse("exercises:team", args=[started.code, people.team_a.nation_code])
    markings = {
        "en": "EXERCISE EXERCISE EXERCISE",
        "es": "EJERCICIO EJERCICIO EJERCICIO",
        "pt-br": "EXERCÍCIO EXERCÍCIO EXERCÍCIO",
    }
    for language, marking in markings.items():
        client = client_for(people.player_a)
        choose(client, language)
        html = client.get(room).content.decode()
        injects = html.count('<article class="inject">')
        assert injects >= 1
        assert html.count(f'<p class="marking">{marking}</p>') == 2 * injects, language


def test_a_scenario_sets_its_own_marking_for_injects_and_report(
    started: Exercise, people: People, client_for: Callable[..., Client]
) -> None:
    scenario = started.scenario
    scenario.marking = "EXERCISE TRADEWINDS"
    scenario.translations = scenario.translations | {
        "es": scenario.translations.get("es", {}) | {"marking": "EJERCICIO TRADEWINDS"}
    }
    scenario.save(update_fields=["marking", "translations"])
    room = reverse("exercises:team", args=[started.code, people.team_a.nation_code])
    for language, marking in (("en", "EXERCISE TRADEWINDS"), ("es", "EJERCICIO TRADEWINDS"),
                              ("pt-br", "EXERCISE TRADEWINDS")):  # fmt: skip
        client = client_for(people.player_a)
        choose(client, language)
        html = client.get(room).content.decode()
        assert html.count(f'<p class="marking">{marking}</p>') >= 2, language
        assert "EXERCISE EXERCISE EXERCISE" not in html
    with translation.override("es"):
        report = report_for(Exercise.objects.get(pk=started.pk), charts=False)
    assert report.handling.startswith("EJERCICIO TRADEWINDS · ")
