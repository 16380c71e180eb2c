"""The projector view on a 1920×1080 screen, live: the facilitator opens it, then writes a
public inject, two nations conclude an agreement and a turn is published. Each reaches the
screen through the pulse, without a reload; the page meets WCAG 2.2 AA and fits the screen.

Set CUMBRE_SCREENSHOTS=1 to save it to docs/screenshots/projector.png.
"""

import os
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import People, accessibility_violations, seat_players, sign_in
from wargame.exercises.services import inject_write
from wargame.negotiation.services import proposal_answer, proposal_create
from wargame.turns.services import turn_close

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
SCREEN = {"width": 1920, "height": 1080}


def test_the_projector_follows_the_exercise_live_on_a_big_screen(
    storm, live_server, people: People
) -> None:
    exercise, facilitator = storm
    page = people.open("projector", audit=True)
    page.set_viewport_size(SCREEN)
    sign_in(page, live_server.url, facilitator)
    page.goto(live_server.url + reverse("exercises:projector", args=[exercise.code]))
    expect(page.locator("#map svg .nations path").first).to_be_visible()
    page.evaluate("window.__cumbreNoReload = true")
    assert accessibility_violations(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SCREEN["width"], width

    inject_write(actor=facilitator, exercise=exercise, kind="flood",
                 title="Heavy rain over the whole region", message="Rivers rise.",
                 to=[])  # fmt: skip
    expect(page.locator("#ticker")).to_contain_text("Heavy rain over the whole region")

    teams, players = seat_players(exercise, facilitator, ("HTI", "DOM"), "projector")
    proposal = proposal_create(
        actor=players["DOM"], team=teams["DOM"], parties=[teams["HTI"]], action="hadr",
        commitments={"DOM": {"points": 0, "terms": "Airlift"}, "HTI": {"points": 0, "terms": ""}},
        duration=2,
    )  # fmt: skip
    proposal_answer(actor=players["HTI"], proposal=proposal, team=teams["HTI"], accept=True)
    expect(page.locator("#map .agreements line")).to_have_count(1)

    before = page.locator("#standing .index").text_content()
    turn_close(exercise_id=exercise.pk, turn_number=1, actor=facilitator, reason="test")
    expect(page.locator("#clock")).to_contain_text("Turn 2 of", timeout=20_000)
    expect(page.locator("#standing .index")).not_to_have_text(before or "", timeout=20_000)
    assert page.evaluate("window.__cumbreNoReload === true"), "the projector reloaded"
    assert accessibility_violations(page) == []

    if os.environ.get("CUMBRE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "projector.png", caret="initial")
