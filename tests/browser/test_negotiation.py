"""Two players agree a joint exercise in real Chromium and see it in force after the turn."""

import io
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import BrowserErrors, People
from tests.integration.workers import wait_for
from wargame.accounts.invites import invite_token
from wargame.exercises.models import Exercise, Role
from wargame.exercises.services import exercise_create, participant_add
from wargame.negotiation.models import Agreement, Channel, ChannelRead
from wargame.negotiation.services import message_send
from wargame.scenarios.models import Scenario
from wargame.turns.services import exercise_start, turn_close


def storm_started() -> tuple[Exercise, object]:
    """Caribbean Storm in turn 1, and its facilitator."""
    call_command("load_scenario", str(Path(settings.BASE_DIR) / "scenarios"), stdout=io.StringIO())
    facilitator = get_user_model().objects.create_user("control", is_staff=True)
    exercise = exercise_create(
        actor=facilitator, scenario=Scenario.objects.get(slug="caribbean-storm"), seed=9
    )
    exercise_start(actor=facilitator, exercise=exercise)
    return exercise, facilitator


def take_seat(people: People, base: str, exercise: Exercise, nation: str, name: str) -> Page:
    """A delegate opens their team's link in a browser of their own and gives a name."""
    page = people.open(nation)
    token = invite_token(exercise, exercise.teams.get(nation_code=nation))
    page.goto(base + reverse("accounts:join", args=[token]))
    page.get_by_label("Your name as others will see it").fill(name)
    page.get_by_role("button", name="Take my seat").click()
    expect(page).to_have_url(f"{base}/x/{exercise.code}/team/{nation}/")
    return page


def test_two_players_agree_a_joint_exercise(
    live_server, transactional_db: None, people: People, browser_errors: BrowserErrors
) -> None:
    exercise, _facilitator = storm_started()
    hti = take_seat(people, live_server.url, exercise, "HTI", "Marie Joseph")
    dom = take_seat(people, live_server.url, exercise, "DOM", "Luis Peña")

    # Haiti proposes a joint exercise to the Dominican Republic.
    panel = hti.locator("#negotiation")
    panel.get_by_text("Propose an agreement").click()
    panel.get_by_label("Agreement on").select_option(label="Joint exercise")
    panel.get_by_label("Dominican Republic").check()
    panel.get_by_label("Terms").fill("Combined engineering exercise at Jimaní.")
    panel.get_by_role("button", name="Propose").click()

    # The Dominican delegation sees it arrive without reloading, and accepts.
    offer = dom.locator("#negotiation")
    expect(offer).to_contain_text("Awaiting your answer", timeout=30_000)
    expect(offer).to_contain_text("Combined engineering exercise at Jimaní.")
    offer.get_by_role("button", name="Accept").click()
    expect(hti.locator("#negotiation")).to_contain_text("Agreements in force", timeout=30_000)
    expect(hti.locator("#negotiation li", has_text="Joint exercise")).to_be_visible(timeout=30_000)
    assert Agreement.objects.filter(exercise=exercise, status="in_force").count() == 1

    # The turn closes; the agreement is still in force in both rooms, in turn 2.
    exercise.refresh_from_db()
    assert turn_close(exercise_id=exercise.pk, turn_number=1, reason="browser test")
    for page in (hti, dom):
        expect(page.locator("#clock")).to_contain_text("Turn 2 of 8", timeout=30_000)
        expect(page.locator("#negotiation li", has_text="Joint exercise")).to_be_visible()
        expect(page.locator("#situation")).to_contain_text(
            "Your agreement on Joint exercise, in force", timeout=30_000
        )
    assert Exercise.objects.get(pk=exercise.pk).current_turn == 2
    assert not browser_errors.seen, browser_errors.report()


def test_the_page_says_how_far_a_player_has_read_and_reading_writes_nothing(
    live_server, transactional_db: None, people: People, browser_errors: BrowserErrors
) -> None:
    exercise, _facilitator = storm_started()
    dom = take_seat(people, live_server.url, exercise, "DOM", "Luis Peña")
    hti = exercise.teams.get(nation_code="HTI")
    haitian = get_user_model().objects.create_user("haiti-delegate")
    participant_add(actor=None, exercise=exercise, user=haitian, role=Role.PLAYER, team=hti)

    def say(body: str) -> int:
        return message_send(
            actor=haitian, exercise=exercise, channel=Channel.BILATERAL, body=body, team=hti,
            other=exercise.teams.get(nation_code="DOM"),
        ).pk  # fmt: skip

    say("Jimaní crossing open at 06:00.")
    second = say("Convoy of 12 trucks.")
    expect(dom.locator("#messages .badge")).to_have_text("2", timeout=30_000)
    dom.locator("#messages nav a", has_text="Haiti").click()
    expect(dom.locator("#messages")).to_contain_text("Convoy of 12 trucks.")

    def read_up_to() -> int | None:
        return (
            ChannelRead.objects.filter(channel="bi:DOM-HTI")
            .values_list("last_read", flat=True)
            .first()
        )

    wait_for(lambda: read_up_to() == second, 10, lambda: f"read up to {read_up_to()}")
    # A message that arrives while the channel is open is read as it appears.
    third = say("Second convoy at noon.")
    expect(dom.locator("#messages")).to_contain_text("Second convoy at noon.", timeout=30_000)
    wait_for(lambda: read_up_to() == third, 10, lambda: f"read up to {read_up_to()}")
    assert not browser_errors.seen, browser_errors.report()
