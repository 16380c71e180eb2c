"""A host answers an offer of forces in its room: a Haitian player on a 390 px phone, reading
Spanish, sees the Dominican Republic's relief offer arrive while the page is open, consents with
one click, and the page says so; the page fits the phone and meets WCAG 2.2 AA.

Set CUMBRE_SCREENSHOTS=1 to save it to docs/screenshots/phone-offer-es.png.
"""

import os
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import (
    People,
    accessibility_violations,
    page_overflow,
    seat_players,
    sign_in,
)
from wargame.exercises.models import Move
from wargame.exercises.services import move_submit

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


def test_a_host_on_a_phone_consents_to_an_offer_that_arrives_live(
    storm, live_server, people: People
) -> None:
    exercise, facilitator = storm
    teams, players = seat_players(exercise, facilitator, ("HTI", "DOM"), "consent")
    page = people.open("haiti", phone=True, audit=True, locale="es-419")
    sign_in(page, live_server.url, players["HTI"])
    page.goto(live_server.url + reverse("exercises:team", args=[exercise.code, "HTI"]))
    offers = page.locator("#offers")
    expect(offers).to_be_hidden()
    page.evaluate("window.__cumbreNoReload = true")

    move_submit(actor=players["DOM"], team=teams["DOM"], action="hadr",
                target_team=teams["HTI"])  # fmt: skip
    expect(offers).to_be_visible()
    expect(offers).to_contain_text("República Dominicana")
    assert page_overflow(page) == 0
    assert accessibility_violations(page) == []
    if os.environ.get("CUMBRE_SCREENSHOTS"):
        offers.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "phone-offer-es.png"))

    offers.get_by_role("button", name="Consentir", exact=True).click()
    expect(offers).to_contain_text("Usted consintió")
    assert Move.objects.filter(
        team=teams["HTI"], action_type__code="request_assistance", target_team=teams["DOM"]
    ).exists()
    assert page.evaluate("window.__cumbreNoReload") is True  # no reload: the region changed
