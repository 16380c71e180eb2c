"""What a person types survives what others do, in real Chromium.

A delegation negotiates while the rest of the room acts: other nations propose and post in
plenary, the facilitator delivers an ad hoc inject, a teammate marks the team ready. Every
live update reaches the page, and none of them clears, collapses or moves what a person is
typing: the text, the open panel and the focus stay. The one form a person sends is cleared,
and only that one.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import BrowserErrors, People, sign_in
from wargame.accounts.invites import invite_token
from wargame.exercises.models import Exercise, Role, Team
from wargame.exercises.services import exercise_create, inject_write, participant_add
from wargame.negotiation.models import Channel
from wargame.negotiation.services import agreement_conclude, message_send, proposal_create
from wargame.scenarios.models import Scenario
from wargame.turns.services import exercise_start

TERMS = "Combined engineering exercise at Jimaní, with"
PLENARY = "Haiti asks every delegation to open its ports to"
REASON = "The parties breached the terms when"
RATIONALE = "Pre-position relief in Les Cayes before"


@pytest.fixture
def room(live_server, transactional_db: None, people: People):
    call_command("load_scenario", str(Path(settings.BASE_DIR) / "scenarios"), stdout=io.StringIO())
    facilitator = get_user_model().objects.create_user("control", is_staff=True)
    exercise = exercise_create(
        actor=facilitator, scenario=Scenario.objects.get(slug="caribbean-storm"), seed=9
    )
    exercise_start(actor=facilitator, exercise=exercise)
    return exercise, facilitator


def _seat(people: People, live_server, exercise: Exercise, nation: str, name: str) -> Page:
    page = people.open(f"{nation} {name}")
    token = invite_token(exercise, exercise.teams.get(nation_code=nation))
    page.goto(live_server.url + reverse("accounts:join", args=[token]))
    page.get_by_label("Your name as others will see it").fill(name)
    page.get_by_role("button", name="Take my seat").click()
    expect(page).to_have_url(f"{live_server.url}/x/{exercise.code}/team/{nation}/")
    return page


def _focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def _player(exercise: Exercise, nation: str):
    """A player of `nation` who acts through the services, as another browser would."""
    user = get_user_model().objects.create_user(f"player-{nation}-{exercise.version}")
    team = exercise.teams.get(nation_code=nation)
    participant_add(actor=None, exercise=exercise, user=user, role=Role.PLAYER, team=team)
    return user


def _other_proposes(exercise: Exercise, author: str, to: str) -> None:
    teams = {t.nation_code: t for t in Team.objects.filter(exercise=exercise)}
    exercise.refresh_from_db()
    proposal_create(
        actor=_player(exercise, author), team=teams[author], parties=[teams[to]], action="hadr",
        commitments={author: {"points": 1, "terms": "Airlift"}, to: {"points": 1, "terms": ""}},
        duration=2,
    )  # fmt: skip


def test_typing_survives_what_others_do(
    room, live_server, people: People, browser_errors: BrowserErrors
) -> None:
    exercise, _facilitator = room
    hti = _seat(people, live_server, exercise, "HTI", "Marie Joseph")

    # Half-way through a proposal, the cursor in its terms.
    panel = hti.locator("#negotiation")
    panel.get_by_text("Propose an agreement").click()
    panel.get_by_label("Agreement on").select_option(label="Joint exercise")
    panel.get_by_role("checkbox", name="Dominican Republic").check()
    terms = panel.locator("#id_proposal-terms")
    terms.fill(TERMS)
    assert _focused_id(hti) == "id_proposal-terms"

    # Jamaica proposes something to Haiti: the panel shows it, and the typing is untouched.
    _other_proposes(exercise, "JAM", "HTI")
    expect(panel).to_contain_text("Awaiting your answer", timeout=10_000)
    expect(terms).to_have_value(TERMS)
    expect(panel.get_by_role("checkbox", name="Dominican Republic")).to_be_checked()
    expect(panel.locator("details", has_text="Propose an agreement")).to_have_attribute("open", "")
    assert _focused_id(hti) == "id_proposal-terms"
    hti.keyboard.type(" the Dominican Red Cross.")
    expect(terms).to_have_value(TERMS + " the Dominican Red Cross.")

    # A plenary message half-written while another delegation posts in plenary.
    hti.goto(f"{live_server.url}/x/{exercise.code}/team/HTI/?channel=plenary")
    box = hti.locator("#message-body")
    box.fill(PLENARY)
    exercise.refresh_from_db()
    dom_player = _player(exercise, "DOM")
    message_send(
        actor=dom_player, exercise=exercise, channel=Channel.PLENARY,
        body="The Dominican Republic opens Jimaní to relief convoys.",
        team=exercise.teams.get(nation_code="DOM"),
    )  # fmt: skip
    expect(hti.locator("#messages")).to_contain_text("opens Jimaní", timeout=10_000)
    expect(box).to_have_value(PLENARY)
    assert _focused_id(hti) == "message-body"

    # Sending a proposal clears that proposal, not the message still being written.
    panel = hti.locator("#negotiation")
    panel.get_by_text("Propose an agreement").click()
    panel.get_by_label("Agreement on").select_option(label="Joint exercise")
    panel.get_by_role("checkbox", name="Jamaica").check()
    terms = panel.locator("#id_proposal-terms")
    terms.fill("Search and rescue drill off Jérémie.")
    panel.get_by_role("button", name="Propose").click()
    expect(panel.locator("p.confirmation")).to_have_text("Proposal sent.", timeout=10_000)
    expect(terms).to_have_value("")
    expect(box).to_have_value(PLENARY)
    # The confirmation of what was done takes the focus, and says it.
    assert hti.evaluate("document.activeElement.classList.contains('confirmation')")

    assert not browser_errors.seen, browser_errors.report()


def test_a_mid_turn_inject_reaches_a_half_written_move(
    room, live_server, people: People, browser_errors: BrowserErrors
) -> None:
    exercise, facilitator = room
    hti = _seat(people, live_server, exercise, "HTI", "Marie Joseph")
    form = hti.locator("#move-form")
    form.locator("#id_action").select_option("hadr")
    form.locator("#id_rationale").fill(RATIONALE)
    title = "Cholera cases reported in Port-de-Paix"
    expect(form.locator("#id_target_inject option", has_text=title)).to_have_count(0)

    inject_write(
        actor=facilitator, exercise=exercise, kind="disease_outbreak", title=title,
        message="The health ministry confirms cases.", to=["HTI"],
    )  # fmt: skip
    expect(form.locator("#id_target_inject option", has_text=title)).to_have_count(
        1, timeout=10_000
    )
    expect(form.locator("#id_action")).to_have_value("hadr")
    expect(form.locator("#id_rationale")).to_have_value(RATIONALE)
    assert _focused_id(hti) == "id_rationale"
    # The new inject is announced to screen readers.
    expect(hti.locator("#announcer")).to_contain_text(title, timeout=10_000)
    assert not browser_errors.seen, browser_errors.report()


def test_the_facilitators_reason_survives_a_new_proposal(
    room, live_server, people: People, browser_errors: BrowserErrors
) -> None:
    exercise, facilitator = room
    agreement = agreement_conclude(
        actor=None, exercise=exercise, action="joint_exercise",
        commitments={"HTI": {"points": 1}, "DOM": {"points": 1}}, turns=3,
    )  # fmt: skip
    control = sign_in(people.open("facilitator"), live_server.url, facilitator)
    control.goto(f"{live_server.url}/x/{exercise.code}/control/")
    reason = control.locator(f"#void-{agreement.pk}")
    reason.fill(REASON)

    _other_proposes(exercise, "JAM", "HTI")
    expect(control.locator("#negotiation")).to_contain_text("by JAM", timeout=10_000)
    expect(reason).to_have_value(REASON)
    assert _focused_id(control) == f"void-{agreement.pk}"
    assert not browser_errors.seen, browser_errors.report()


def test_a_teammate_marking_the_team_ready_reaches_the_other_players(
    room, live_server, people: People, browser_errors: BrowserErrors
) -> None:
    exercise, _facilitator = room
    marie = _seat(people, live_server, exercise, "HTI", "Marie Joseph")
    jean = _seat(people, live_server, exercise, "HTI", "Jean Baptiste")
    marie.locator("#move-form #id_rationale").fill(RATIONALE)

    jean.get_by_role("button", name="We are ready").click()
    expect(jean.locator("#moves")).to_contain_text("Marked ready")
    expect(marie.locator("#moves")).to_contain_text("Marked ready", timeout=10_000)
    expect(marie.get_by_role("button", name="We are not ready after all")).to_be_visible()
    expect(marie.locator("#move-form #id_rationale")).to_have_value(RATIONALE)
    assert not browser_errors.seen, browser_errors.report()
