"""One turn played in real Chromium: a facilitator and two players, each in their own browser.

The facilitator signs in, creates an exercise of Caribbean Storm, hands out two invite links
and starts it; two players join by their links and each submit a move. The control room shows
both moves through the pulse alone, the facilitator closes the turn, and both team rooms show
the situation report without a reload. A player cannot open another team's room, and no page
logs a console error (a CSP violation or an HTMX error response would).

Set CUMBRE_SCREENSHOTS=1 to save the README's screenshots to docs/screenshots/.
"""

import io
import os
import re
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.conftest import BrowserErrors, People
from tests.integration.workers import wait_for
from wargame.exercises.models import Exercise
from wargame.exercises.pulse import pulse_state, region_versions

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
PASSWORD = "a-facilitator-password-1"
NO_RELOAD = "window.__cumbreNoReload"

HADR = "Humanitarian assistance and disaster response"
STATEMENT = "Public statement"


def _mark_loaded(page: Page) -> None:
    """Mark the page's window; a reload or navigation would lose the mark."""
    page.evaluate(f"{NO_RELOAD} = true")


def _assert_not_reloaded(page: Page) -> None:
    assert page.evaluate(f"{NO_RELOAD} === true"), f"{page.url} was reloaded"


def _screenshot(page: Page, name: str) -> None:
    if os.environ.get("CUMBRE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")  # filling the move form scrolled it down
        # caret="initial": hiding the caret injects a <style>, which the app's CSP blocks.
        page.screenshot(path=SCREENSHOTS / name, caret="initial")


def _take_seat(page: Page, link: str, name: str, team: str, room: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Join {team}")
    page.get_by_label("Your name as others will see it").fill(name)
    page.get_by_role("button", name="Take my seat").click()
    expect(page).to_have_url(room)
    expect(page.get_by_role("heading", level=1)).to_contain_text(team)


def _room_requests(page: Page, code: str) -> list[tuple[float, str | None]]:
    """From now on, the page's requests for its team room: when, and the region they target."""
    requests: list[tuple[float, str | None]] = []
    room = re.compile(rf"/x/{code}/team/[A-Z]+/")

    def seen(request) -> None:
        if room.search(request.url) and request.method == "GET":
            requests.append((time.monotonic(), request.headers.get("hx-target")))

    page.on("request", seen)
    return requests


def _wait_until_heard(page: Page, code: str, nation: str) -> None:
    """Wait until the room has heard of every change so far that it shows (its poller carries
    a version at least that of the last one) and no region is still loading."""
    version, topics = Exercise.objects.values_list("version", "pulse").get(code=code)
    last = max(region_versions(pulse_state(version, topics), nation).values())
    # Polled from here: `wait_for_function` compiles its predicate in the page when the first
    # try is false, which the page's Content-Security-Policy (no 'unsafe-eval') refuses.
    heard = (
        "last => +document.getElementById('pulse').dataset.version >= last"
        " && !document.querySelector('.htmx-request:not(#pulse)')"
    )
    wait_for(lambda: page.evaluate(heard, last), 30, lambda: f"{nation} never heard of {last}")


def _submit_move(page: Page, action: str, inject: str | None, reasons: str) -> None:
    form = page.locator("#move-form")
    form.locator("#id_action").select_option(action)
    if inject is not None:
        option = form.locator("#id_target_inject option", has_text=inject)
        form.locator("#id_target_inject").select_option(option.get_attribute("value"))
    form.locator("#id_intended_result").fill("Relief moves before landfall, under one plan.")
    form.locator("#id_rationale").fill(reasons)
    form.get_by_role("button", name="Submit move").click()


def test_a_turn_played_by_a_facilitator_and_two_players(
    live_server, transactional_db: None, people: People, browser_errors: BrowserErrors
) -> None:
    call_command("load_scenario", str(Path(settings.BASE_DIR) / "scenarios"), stdout=io.StringIO())
    get_user_model().objects.create_user(
        "control", password=PASSWORD, first_name="Control", is_staff=True
    )
    base = live_server.url

    # The facilitator signs in, creates the exercise and lands on its lobby.
    control = people.open("facilitator")
    control.goto(f"{base}/accounts/login/")
    control.get_by_label("Username").fill("control")
    control.get_by_label("Password").fill(PASSWORD)
    control.get_by_role("button", name="Sign in").click()
    expect(control).to_have_url(f"{base}/")
    control.locator("header.masthead").get_by_role("link", name="New exercise").click()
    expect(control).to_have_url(f"{base}/x/new/")
    control.get_by_label("Scenario").select_option(label="Caribbean Storm")
    control.get_by_role("button", name="Create and open the lobby").click()
    expect(control).to_have_url(re.compile(rf"^{re.escape(base)}/x/[a-z0-9]+/lobby/$"))
    code = control.url.rstrip("/").split("/")[-2]

    links = {nation: control.input_value(f"#link-{nation}") for nation in ("HTI", "DOM")}
    for link in links.values():
        assert link.startswith(f"{base}/accounts/join/")
    assert links["HTI"] != links["DOM"]

    control.get_by_role("button", name="Start the exercise").click()
    expect(control).to_have_url(f"{base}/x/{code}/control/")
    expect(control.locator("#clock")).to_contain_text("In play")
    expect(control.get_by_role("button", name="Close turn now")).to_be_visible()
    _mark_loaded(control)

    # Two players, each in their own browser, take their seats through the invite links.
    haiti = people.open("player HTI")
    _take_seat(haiti, links["HTI"], "Marie Joseph", "Haiti", f"{base}/x/{code}/team/HTI/")
    dominican = people.open("player DOM")
    _take_seat(
        dominican, links["DOM"], "Luis Peña", "Dominican Republic", f"{base}/x/{code}/team/DOM/"
    )
    _mark_loaded(haiti)
    _mark_loaded(dominican)

    _submit_move(
        haiti, "hadr", "Marisol rapidly intensifies",
        "Pre-position relief in Les Cayes and Jérémie under the civil protection cell.",
    )  # fmt: skip
    expect(haiti.locator("#moves")).to_contain_text(HADR)
    _submit_move(
        dominican, "public_statement", None,
        "Open the border crossing at Jimaní for relief convoys to Haiti.",
    )  # fmt: skip

    # The control room learns of both moves through the pulse, without a reload (how soon is
    # a figure of bench/load.py, not of a test).
    teams = control.locator("#teams-status")
    expect(teams.locator(".chip")).to_have_text([HADR, STATEMENT])
    expect(teams.locator("tr", has_text="Haiti")).to_contain_text(HADR)
    expect(teams.locator("tr", has_text="Dominican Republic")).to_contain_text(STATEMENT)
    expect(teams).to_contain_text("Marie Joseph")
    expect(teams).to_contain_text("Luis Peña")
    expect(dominican.locator("#moves")).to_contain_text(STATEMENT)
    _assert_not_reloaded(control)
    _screenshot(control, "control-room.png")

    # Closing the turn (after its confirmation) reaches both team rooms without a reload, each
    # in one request for the whole room rather than one per region. Counting starts once each
    # room has heard of the moves, so that a move's late pulse is not counted.
    for room, nation in ((haiti, "HTI"), (dominican, "DOM")):
        _wait_until_heard(room, code, nation)
    asked = {room: _room_requests(room, code) for room in (haiti, dominican)}
    confirmations: list[str] = []
    control.on("dialog", lambda dialog: (confirmations.append(dialog.message), dialog.accept()))
    control.get_by_role("button", name="Close turn now").click()
    # The state is waited for, however busy the machine (how soon is bench/load.py's figure):
    # a close renders every room ahead, and on two busy cores that can take seconds.
    expect(control.locator("#clock")).to_contain_text("Turn 2 of 8", timeout=30_000)
    assert confirmations == ["Close the turn now and adjudicate it?"]
    for room in (haiti, dominican):
        expect(room.locator("#situation")).to_contain_text(
            "Situation report, turn 1", timeout=30_000
        )
        _assert_not_reloaded(room)
    expect(haiti.locator("#situation .sitrep")).to_contain_text(HADR)
    expect(dominican.locator("#situation .sitrep")).to_contain_text(STATEMENT)
    for requests in asked.values():
        assert requests and {target for _when, target in requests} == {"room"}, requests
    _assert_not_reloaded(control)
    _screenshot(haiti, "team-room.png")

    # The reload after a turn change waits a moment at random, up to the room's spread;
    # turn changes that come meanwhile are taken in the same reload.
    spread = float(haiti.locator("#room").get_attribute("data-turn-spread"))
    assert 0 < spread <= 10
    # A later change of the turn close (its publication) may still be waiting for its own
    # reload, on the browser's real clock: the test's clock starts once the room has heard of
    # everything and waits for nothing.
    _wait_until_heard(haiti, code, "HTI")
    expect(haiti.locator("html[data-turn-waiting]")).to_have_count(0)
    # The page's clock is the test's from here: time passes only when the test says so
    # (installed, it still runs on its own until it is paused).
    haiti.clock.install()
    haiti.clock.pause_at(haiti.evaluate("Date.now()") + 1_000)
    haiti.evaluate(
        "Math.random = () => 0.99; document.getElementById('room').dataset.turnSpread = '1.5'"
    )
    asked[haiti].clear()
    haiti.evaluate(
        "for (const n of [1, 2]) document.getElementById('pulse')"
        ".dispatchEvent(new CustomEvent('cumbre:turn', {bubbles: true}))"
    )
    haiti.clock.run_for(1_400)
    assert asked[haiti] == [], asked[haiti]
    with haiti.expect_response(lambda r: r.request.headers.get("hx-target") == "room"):
        haiti.clock.run_for(200)
    assert [target for _when, target in asked[haiti]] == ["room"], asked[haiti]
    _assert_not_reloaded(haiti)

    # A player may not enter another team's room.
    assert not browser_errors.seen, browser_errors.report()
    browser_errors.allow("status of 403")
    trespass = browser_errors.watch("player HTI", haiti.context.new_page())
    response = trespass.goto(f"{base}/x/{code}/team/DOM/")
    assert response is not None
    assert response.status == 403
    # Chromium logs the 403 document itself as a failed resource; nothing else may appear.
    unexpected = [e for e in browser_errors.seen if "status of 403" not in e[2]]
    assert not unexpected, BrowserErrors(unexpected).report()
