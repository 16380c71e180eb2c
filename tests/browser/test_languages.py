"""Two players of one exercise, one in Spanish and one in Portuguese, at the same moment.

Haiti's player has a browser set to Latin American Spanish and never chooses: the room comes
in Spanish. The Dominican player's browser is in English; she chooses Portuguese in the page's
switcher. The facilitator delivers an inject mid-turn and closes the turn: each room shows the
inject, then the situation report, through the pulse and in its reader's language. After the
exercise each opens the debrief in their own language.

Set CUMBRE_SCREENSHOTS=1 to save the Spanish team room to docs/screenshots/.
"""

import os
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.browser.conftest import People
from wargame.accounts.invites import invite_token
from wargame.exercises.models import Exercise
from wargame.exercises.services import inject_write
from wargame.turns.services import exercise_end, turn_close

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


def words(language: str, *messages: str) -> list[str]:
    with translation.override(language):
        return [translation.gettext(message) for message in messages]


def in_language(language: str, message: str, **values: object) -> str:
    return words(language, message)[0] % values if values else words(language, message)[0]


def take_seat(page: Page, live_server, exercise: Exercise, nation: str, name: str) -> None:
    token = invite_token(exercise, exercise.teams.get(nation_code=nation))
    page.goto(live_server.url + reverse("accounts:join", args=[token]))
    page.locator("input[name=name]").fill(name)
    page.locator("main form button.primary").click()
    expect(page).to_have_url(f"{live_server.url}/x/{exercise.code}/team/{nation}/")


def test_a_spanish_and_a_portuguese_player_each_read_their_own_language(
    storm, live_server, people: People
) -> None:
    exercise, facilitator = storm
    haiti = people.open("HTI in Spanish", locale="es-419")
    take_seat(haiti, live_server, exercise, "HTI", "Jean")
    dominican = people.open("DOM in Portuguese", locale="en-US")
    take_seat(dominican, live_server, exercise, "DOM", "Ana")
    expect(dominican.locator("html")).to_have_attribute("lang", "en")
    dominican.get_by_role("button", name="Português Brasileiro").click()

    rooms = {"es": haiti, "pt-br": dominican}
    for language, page in rooms.items():
        expect(page.locator("html")).to_have_attribute("lang", language)
        heading, submit, indicators = words(language, "Situation", "Submit move", "Your indicators")
        expect(page.locator("#situation h2").first).to_have_text(heading)
        expect(page.locator("#indicators")).to_contain_text(indicators)
        expect(page.locator("#move-form").get_by_role("button", name=submit)).to_be_visible()

    # Mid-turn, the facilitator writes an inject to both: each room shows it through the
    # pulse, under its own language's words.
    inject_write(actor=facilitator, exercise=exercise, kind="flood", title="Crecida en Jimaní",
                 message="El río Blanco se desborda.", to=["HTI", "DOM"])  # fmt: skip
    for language, page in rooms.items():
        expect(page.locator("main")).to_contain_text("Crecida en Jimaní")
        expect(page.locator("html")).to_have_attribute("lang", language)

    turn_close(exercise_id=exercise.pk, turn_number=1, actor=facilitator, reason="test")
    for language, page in rooms.items():
        title = in_language(language, "Situation report, turn %(n)s", n=1)
        expect(page.locator("#situation")).to_contain_text(title, timeout=20_000)
    if os.environ.get("CUMBRE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        haiti.evaluate("window.scrollTo(0, 0)")
        haiti.screenshot(path=SCREENSHOTS / "team-room-es.png", caret="initial")

    exercise_end(
        actor=facilitator, exercise=Exercise.objects.get(pk=exercise.pk), reason="Time is up."
    )
    for language, (page, nation) in {"es": (haiti, "HTI"), "pt-br": (dominican, "DOM")}.items():
        page.goto(live_server.url + reverse("exercises:debrief", args=[exercise.code, nation]))
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=2).first).to_have_text(
            words(language, "Your indicators by turn")[0]
        )
