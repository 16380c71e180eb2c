"""Every page a player, an evaluator or a facilitator uses, on a 390 × 844 phone, in real
Chromium.

The exercise is in its second turn, built with the services: a situation report of turn 1, an
ad hoc inject with a long address in it, a plenary message with a link, and a proposal waiting
for the player's answer, so each page shows the content it shows in a real session. On each page
the test asserts that nothing is wider than the phone (with `is_mobile`, Chromium widens the
layout viewport to the content, so `innerWidth` is checked as well as `scrollWidth`), that the
header keeps the name and "Sign out" on screen in readable contrast, and, in the team room, that
the clock, the injects of this turn and the move form come before the negotiations, the
channels and the situation reports.

Set CUMBRE_SCREENSHOTS=1 to save the team room on a phone to docs/screenshots/.
"""

import io
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import BrowserErrors, People, sign_in
from wargame.accounts.invites import invite_token
from wargame.exercises.models import Exercise, Participant
from wargame.exercises.services import exercise_create, inject_write, move_submit, participant_add
from wargame.negotiation.services import message_send, proposal_create
from wargame.scenarios.models import Scenario
from wargame.turns.services import exercise_end, exercise_start, turn_close

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "en-US",
}
WIDTH = 390
LONG_ADDRESS = (
    "https://reliefweb.int/report/haiti/"
    "hurricane-situation-report-number-four-port-au-prince-les-cayes-jeremie-logistics-cluster"
)

# Elements whose right edge passes the viewport, outside any element that scrolls on its own
# (a wide table in a scrolling box is allowed: the page itself does not move sideways).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === "auto" || x === "scroll" || x === "hidden") return true;
    }
    return false;
  };
  return [...document.body.querySelectorAll("*")]
    .filter((el) => { const r = el.getBoundingClientRect();
                      return r.width > 0 && r.right > width + 0.5 && !scrolls(el); })
    .slice(0, 8)
    .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className} right=${
      Math.round(el.getBoundingClientRect().right)}`);
}"""

# WCAG's contrast ratio of an element's text against the first opaque background behind it.
CONTRAST = """(el) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  let back = null;
  for (let p = el; p && !back; p = p.parentElement) {
    const c = rgb(getComputedStyle(p).backgroundColor);
    if (c.length === 3 || c[3] === 1) back = c;
  }
  const fore = lum(rgb(getComputedStyle(el).color));
  const behind = lum(back || [255, 255, 255]);
  return (Math.max(fore, behind) + 0.05) / (Math.min(fore, behind) + 0.05);
}"""


def _phone(people: People, who: str) -> Page:
    context = people.browser.new_context(**PHONE)
    context.set_default_timeout(10_000)
    people.contexts.append(context)
    return people.errors.watch(who, context.new_page())


def _assert_fits(page: Page, what: str) -> None:
    """Nothing on the page is wider than the phone, with every disclosure opened."""
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    sizes = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert sizes["scroll"] <= WIDTH and sizes["inner"] <= WIDTH + 1, (
        f"{what} is {sizes['scroll']} px wide (layout viewport {sizes['inner']} px) "
        f"on a {WIDTH} px phone; too wide: {page.evaluate(OVERFLOWING)}"
    )


def _assert_header(page: Page, what: str, *, signed_in: bool = True) -> None:
    """The brand, the person's name and "Sign out" are on screen and readable."""
    header = page.locator("header.masthead")
    names = ["Cumbre", "Sign out"] if signed_in else ["Cumbre", "Sign in"]
    for name in names:
        item = header.get_by_role("link", name=name).or_(header.get_by_role("button", name=name))
        expect(item).to_be_visible()
        box = item.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (
            f"{name!r} is outside the screen on {what}: {box}"
        )
        assert box["width"] >= 24 and box["height"] >= 24, f"{name!r} is too small on {what}"
        ratio = item.evaluate(CONTRAST)
        assert ratio >= 4.5, f"{name!r} has a contrast of {ratio:.2f}:1 on {what}"
    if signed_in:
        who = header.locator(".who")
        expect(who).to_be_visible()
        box = who.bounding_box()
        assert box and box["x"] + box["width"] <= WIDTH, f"the name is off screen on {what}"
        assert who.evaluate(CONTRAST) >= 4.5, f"the name is hard to read on {what}"


def _assert_page(page: Page, what: str, *, signed_in: bool = True) -> None:
    _assert_header(page, what, signed_in=signed_in)
    _assert_fits(page, what)


def _top(page: Page, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["y"]


def _assert_focus_visible(page: Page, what: str, presses: int = 6) -> list[str]:
    """Moving through the page with the keyboard outlines whatever has the focus; returns
    the tags of the elements it went through."""
    page.locator("body").focus()
    tags = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        outline = page.evaluate(
            """() => { const el = document.activeElement, s = getComputedStyle(el);
                return {tag: el.tagName, style: s.outlineStyle,
                        width: parseFloat(s.outlineWidth)}; }"""
        )
        assert outline["style"] != "none" and outline["width"] >= 2, (
            f"no visible focus on {outline['tag']} in {what}: {outline}"
        )
        tags.append(outline["tag"])
    return tags


def _assert_targets(page: Page, what: str) -> None:
    """Buttons, menus and navigation links are at least 24 × 24 CSS px (WCAG 2.5.8)."""
    small = page.evaluate(
        """() => [...document.querySelectorAll(
              "main button, main summary, main select, main nav a, main .page-head a")]
            .map((el) => [el, el.getBoundingClientRect()])
            .filter(([el, r]) => r.width > 0 && (r.width < 24 || r.height < 23.5))
            .map(([el, r]) => `${el.tagName} "${el.textContent.trim()}" ${r.width}×${r.height}`)"""
    )
    assert not small, f"targets under 24 × 24 px in {what}: {small}"


def _screenshot(page: Page, name: str) -> None:
    if os.environ.get("CUMBRE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        # caret="initial": hiding the caret injects a <style>, which the app's CSP blocks.
        page.screenshot(path=SCREENSHOTS / name, caret="initial")


def _exercise_in_turn_two() -> Exercise:
    """Caribbean Storm, started, with a Dominican player and its proposal to Haiti."""
    call_command("load_scenario", str(Path(settings.BASE_DIR) / "scenarios"), stdout=io.StringIO())
    facilitator = get_user_model().objects.create_user("control", is_staff=True)
    exercise = exercise_create(
        actor=facilitator, scenario=Scenario.objects.get(slug="caribbean-storm"), seed=4
    )
    exercise_start(actor=facilitator, exercise=exercise)
    return exercise


def _play_turn_one(exercise: Exercise, haiti_player: Any) -> None:
    """Haiti moves, the turn closes with a report; then news arrives in turn 2."""
    facilitator = get_user_model().objects.get(username="control")
    haiti = exercise.teams.get(nation_code="HTI")
    dominican = exercise.teams.get(nation_code="DOM")
    move_submit(
        actor=haiti_player, team=haiti, action="hadr", resources=2,
        intended_result="Field hospital in Les Cayes within 48 hours.",
        rationale=f"The logistics cluster asks for it: {LONG_ADDRESS}",
    )  # fmt: skip
    assert turn_close(exercise_id=exercise.pk, turn_number=1, reason="phone test")
    exercise.refresh_from_db()
    assert exercise.current_turn == 2
    inject_write(
        actor=facilitator, exercise=exercise, kind="flood", to=["HTI"],
        title="Flooding cuts the road to Jérémie",
        message=f"The bridge at Pont-Sondé is down. See {LONG_ADDRESS}",
    )  # fmt: skip
    message_send(
        actor=facilitator, exercise=exercise, channel="plenary",
        body=f"Coordination call at 14:00; the agenda is at {LONG_ADDRESS}",
    )  # fmt: skip
    luis = get_user_model().objects.create_user("luis", first_name="Luis Peña")
    participant_add(actor=facilitator, exercise=exercise, user=luis, role="player", team=dominican)
    proposal_create(
        actor=luis, team=dominican, parties=[haiti], action="joint_exercise", duration=2,
        commitments={"DOM": {"points": 1, "terms": "Engineers at Jimaní"},
                     "HTI": {"points": 1, "terms": "A landing zone at Belladère"}},
    )  # fmt: skip


def test_a_player_an_evaluator_and_the_facilitator_use_every_page_on_a_phone(
    live_server, transactional_db: None, people: People, browser_errors: BrowserErrors
) -> None:
    exercise = _exercise_in_turn_two()
    base = live_server.url
    room = base + reverse("exercises:team", args=[exercise.code, "HTI"])

    # Someone arrives with the join code on the home page, and signs in elsewhere.
    visitor = _phone(people, "visitor")
    visitor.goto(base + "/")
    _assert_page(visitor, "the home page", signed_in=False)
    visitor.get_by_label("Join code").fill(exercise.code)
    visitor.get_by_role("button", name="Join").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(exercise.title)
    _assert_page(visitor, "the join code's page", signed_in=False)
    visitor.goto(base + reverse("accounts:login"))
    _assert_page(visitor, "the sign-in page", signed_in=False)

    # A Haitian officer takes a seat by the team's invite link.
    player = _phone(people, "player")
    player.goto(
        base
        + reverse(
            "accounts:join", args=[invite_token(exercise, exercise.teams.get(nation_code="HTI"))]
        )
    )
    _assert_page(player, "the join page", signed_in=False)
    player.get_by_label("Your name as others will see it").fill("Marie-Thérèse Jean-Baptiste")
    player.get_by_role("button", name="Take my seat").click()
    expect(player).to_have_url(room)

    # An evaluator takes a seat by the evaluators' link.
    evaluator = _phone(people, "evaluator")
    evaluator.goto(base + reverse("accounts:join", args=[invite_token(exercise, None)]))
    evaluator.get_by_label("Your name as others will see it").fill("Coronel Alejandro Villanueva")
    evaluator.get_by_role("button", name="Take my seat").click()
    expect(evaluator).to_have_url(base + reverse("exercises:evaluate", args=[exercise.code]))

    haiti_player = Participant.objects.get(exercise=exercise, team__nation_code="HTI").user
    _play_turn_one(exercise, haiti_player)

    # The team room in turn 2: the report, the new inject, the proposal, the plenary link.
    player.goto(room + "?channel=plenary")
    expect(player.locator("#clock")).to_contain_text("Turn 2")
    expect(player.locator("#situation")).to_contain_text("Situation report, turn 1")
    expect(player.locator("#news")).to_contain_text("Flooding cuts the road to Jérémie")
    expect(player.locator("#negotiation")).to_contain_text("Awaiting your answer")
    expect(player.locator("#messages")).to_contain_text("Coordination call")
    _assert_page(player, "the team room")
    _assert_targets(player, "the team room")
    expect(player.locator("#news")).to_contain_text("New in turn 2")
    clock, news, move_form = (_top(player, s) for s in ("#clock", "#news", "#move-form"))
    assert clock < news < move_form, "the clock, then this turn's injects, then the move form"
    for later in ("#moves", "#negotiation", "#messages", "#situation", "#briefing"):
        assert move_form < _top(player, later), f"{later} comes before the move form on a phone"
    focused = _assert_focus_visible(player, "the team room", presses=16)
    assert "SELECT" in focused and "BUTTON" in focused, f"the keyboard went through {focused}"
    _screenshot(player, "team-room-phone.png")

    player.get_by_role("link", name="Debrief").click()
    expect(player.get_by_role("heading", level=1)).to_contain_text("Debrief of Haiti")
    _assert_page(player, "the debrief")
    player.goto(base + "/")
    expect(player.get_by_role("link", name=f"{exercise.title} — Haiti")).to_be_visible()
    _assert_page(player, "the home page of a player")

    evaluator.reload()
    expect(evaluator.locator("#clock")).to_contain_text("Turn 2")
    _assert_page(evaluator, "the evaluator's page")
    _assert_focus_visible(evaluator, "the evaluator's page")
    # Each objective's critical tasks fold under it, so that a phone shows them all at once;
    # the evaluator opens one to rate its tasks.
    evaluator.reload()
    objectives = evaluator.locator("details.objective-tasks")
    expect(objectives.first).not_to_have_attribute("open", "")
    objectives.first.locator("summary").click()
    expect(objectives.first.get_by_label("Rating").first).to_be_visible()
    if os.environ.get("CUMBRE_SCREENSHOTS") == "1":
        evaluator.locator("#tasks").screenshot(path=SCREENSHOTS / "evaluator-tasks-phone.png")
    evaluator.get_by_role("link", name="Hotwash").click()
    _assert_page(evaluator, "the hotwash, as an evaluator")

    # The facilitator, in the same turn: the control room's wide tables scroll in their panels.
    facilitator = get_user_model().objects.get(username="control")
    control = sign_in(_phone(people, "facilitator"), base, facilitator)
    control.goto(base + reverse("exercises:control", args=[exercise.code]))
    expect(control.locator("#teams-status")).to_contain_text("Haiti")
    _assert_page(control, "the control room")
    for name, url in (
        ("the lobby", reverse("exercises:lobby", args=[exercise.code])),
        ("the hotwash, as the facilitator", reverse("exercises:hotwash", args=[exercise.code])),
        ("the scenario's page", reverse("scenarios:detail", args=[exercise.scenario.slug])),
        ("the scenario library", reverse("scenarios:library")),
        ("the new exercise form", reverse("exercises:new")),
        ("the projector view", reverse("exercises:projector", args=[exercise.code])),
    ):
        control.goto(base + url)
        _assert_page(control, name)

    # The exercise ends: the feedback form, and the team room as it is left.
    exercise_end(
        actor=get_user_model().objects.get(username="control"),
        exercise=exercise,
        reason="Time is up.",
    )
    for page, who in ((player, "player"), (evaluator, "evaluator")):
        page.goto(base + reverse("exercises:feedback", args=[exercise.code]))
        expect(page.get_by_role("heading", name="How did the exercise go?")).to_be_visible()
        _assert_page(page, f"the feedback form of the {who}")
    player.goto(room)
    expect(player.locator("#clock")).to_contain_text("Give your feedback")
    _assert_page(player, "the team room after the end")
    assert not browser_errors.seen, browser_errors.report()


def test_the_team_room_keeps_two_columns_on_a_desktop(
    live_server, transactional_db: None, people: People, browser_errors: BrowserErrors
) -> None:
    exercise = _exercise_in_turn_two()
    player = people.open("player")
    player.goto(
        live_server.url
        + reverse(
            "accounts:join", args=[invite_token(exercise, exercise.teams.get(nation_code="HTI"))]
        )
    )
    player.get_by_label("Your name as others will see it").fill("Marie Joseph")
    player.get_by_role("button", name="Take my seat").click()
    haiti_player = Participant.objects.get(exercise=exercise, team__nation_code="HTI").user
    _play_turn_one(exercise, haiti_player)
    player.reload()
    expect(player.locator("#news")).to_contain_text("Flooding cuts the road to Jérémie")

    # This turn's injects and the situation read on the left; the team's indicators and move
    # form sit beside them.
    news = player.locator("#news").bounding_box()
    situation = player.locator("#situation").bounding_box()
    indicators = player.locator("#indicators").bounding_box()
    move_form = player.locator("#move-form").bounding_box()
    assert news and situation and indicators and move_form
    assert move_form["x"] >= situation["x"] + situation["width"], "two columns side by side"
    assert abs(indicators["y"] - news["y"]) < 2, "both columns start under the clock"
    assert news["y"] < situation["y"], "this turn's injects above the reports"
    assert move_form["y"] < news["y"] + news["height"] + situation["height"], "move form in view"
    width = player.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the desktop room is {width} px wide"
    assert not browser_errors.seen, browser_errors.report()
