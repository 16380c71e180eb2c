"""Two players agree a joint exercise in real Chromium and see it in force after the turn."""

import io
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import BrowserErrors, People
from wargame.accounts.invites import invite_token
from wargame.exercises.models import Exercise
from wargame.exercises.services import exercise_create
from wargame.negotiation.models import Agreement
from wargame.scenarios.models import Scenario
from wargame.turns.services import exercise_start, turn_close


def test_two_players_agree_a_joint_exercise(
    live_server, transactional_db: None, people: People, browser_errors: BrowserErrors
) -> None:
    call_command("load_scenario", str(Path(settings.BASE_DIR) / "scenarios"), stdout=io.StringIO())
    facilitator = get_user_model().objects.create_user("control", is_staff=True)
    exercise = exercise_create(
        actor=facilitator, scenario=Scenario.objects.get(slug="caribbean-storm"), seed=9
    )
    exercise_start(actor=facilitator, exercise=exercise)
    base = live_server.url

    pages = {}
    for nation, name in (("HTI", "Marie Joseph"), ("DOM", "Luis Peña")):
        page = people.open(nation)
        token = invite_token(exercise, exercise.teams.get(nation_code=nation))
        page.goto(base + reverse("accounts:join", args=[token]))
        page.get_by_label("Your name as others will see it").fill(name)
        page.get_by_role("button", name="Take my seat").click()
        expect(page).to_have_url(f"{base}/x/{exercise.code}/team/{nation}/")
        pages[nation] = page
    hti, dom = pages["HTI"], pages["DOM"]

    # Haiti proposes a joint exercise to the Dominican Republic.
    panel = hti.locator("#negotiation")
    panel.get_by_text("Propose an agreement").click()
    panel.get_by_label("Agreement on").select_option(label="Joint exercise")
    panel.get_by_label("Dominican Republic").check()
    panel.get_by_label("Terms").fill("Combined engineering exercise at Jimaní.")
    panel.get_by_role("button", name="Propose").click()

    # The Dominican delegation sees it arrive without reloading, and accepts.
    offer = dom.locator("#negotiation")
    expect(offer).to_contain_text("Awaiting your answer", timeout=6_000)
    expect(offer).to_contain_text("Combined engineering exercise at Jimaní.")
    offer.get_by_role("button", name="Accept").click()
    expect(hti.locator("#negotiation")).to_contain_text("Agreements in force", timeout=6_000)
    expect(hti.locator("#negotiation li", has_text="Joint exercise")).to_be_visible(timeout=6_000)
    assert Agreement.objects.filter(exercise=exercise, status="in_force").count() == 1

    # The turn closes; the agreement is still in force in both rooms, in turn 2.
    exercise.refresh_from_db()
    assert turn_close(exercise_id=exercise.pk, turn_number=1, reason="browser test")
    for page in (hti, dom):
        expect(page.locator("#clock")).to_contain_text("Turn 2 of 8", timeout=6_000)
        expect(page.locator("#negotiation li", has_text="Joint exercise")).to_be_visible()
        expect(page.locator("#situation")).to_contain_text(
            "Your agreement on Joint exercise, in force", timeout=6_000
        )
    assert Exercise.objects.get(pk=exercise.pk).current_turn == 2
    assert not browser_errors.seen, browser_errors.report()
