"""Every page, as each role sees it, on a desktop and on a phone, meets WCAG 2.2 AA as axe-core
checks it, in real Chromium.

The exercise is in the middle of play when the pages are read: a turn closed (each team has a
situation report), an ad hoc inject delivered, a proposal awaiting an answer, messages, an
observation. The same exercise, ended, is read in tests of their own, with the pages of its end
(feedback, hotwash, debrief). docs/accessibility.md says what this covers and what it cannot.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page

from tests.browser.conftest import People, accessibility_violations, page_overflow, sign_in
from wargame.accounts.invites import invite_token
from wargame.exercises.models import Exercise, Role
from wargame.exercises.services import exercise_create, inject_write, move_submit, participant_add
from wargame.negotiation.models import Channel
from wargame.negotiation.services import message_send, proposal_create
from wargame.reports.services import observation_record
from wargame.scenarios.models import Scenario
from wargame.scenarios.services import simulation_request, simulation_run
from wargame.turns.services import exercise_end, exercise_start, turn_close


@pytest.fixture
def played(live_server, transactional_db: None):
    """An exercise of Caribbean Storm in its second turn, with something on every page."""
    storm = Path(settings.BASE_DIR) / "scenarios" / "caribbean-storm.yaml"
    call_command("load_scenario", str(storm), stdout=io.StringIO())
    users = get_user_model().objects
    facilitator = users.create_user("control", first_name="Control", is_staff=True)
    exercise = exercise_create(
        actor=facilitator, scenario=Scenario.objects.get(slug="caribbean-storm"), seed=9
    )
    teams = {t.nation_code: t for t in exercise.teams.all()}
    people = {"facilitator": facilitator}
    for nation, name in (("HTI", "Marie Joseph"), ("DOM", "Luis Peña")):
        people[nation] = users.create_user(nation.lower(), first_name=name)
        participant_add(
            actor=facilitator, exercise=exercise, user=people[nation], role=Role.PLAYER,
            team=teams[nation],
        )  # fmt: skip
    people["evaluator"] = users.create_user("evaluator", first_name="Ana Souza")
    participant_add(
        actor=facilitator, exercise=exercise, user=people["evaluator"], role=Role.EVALUATOR
    )
    exercise_start(actor=facilitator, exercise=exercise)
    move_submit(
        actor=people["HTI"], team=teams["HTI"], action="public_statement",
        intended_result="Calm the coast", rationale="Tell people where the shelters are.",
    )  # fmt: skip
    exercise.refresh_from_db()
    assert turn_close(exercise_id=exercise.pk, turn_number=1, reason="accessibility test")
    exercise.refresh_from_db()
    inject_write(
        actor=facilitator, exercise=exercise, kind="disease_outbreak",
        title="Cholera cases reported in Port-de-Paix",
        message="The health ministry confirms cases.", to=["HTI", "DOM"],
    )  # fmt: skip
    proposal_create(
        actor=people["DOM"], team=teams["DOM"], parties=[teams["HTI"]], action="hadr",
        commitments={"DOM": {"points": 1, "terms": "Airlift"}, "HTI": {"points": 1, "terms": ""}},
        duration=2,
    )  # fmt: skip
    message_send(
        actor=people["DOM"], exercise=exercise, channel=Channel.TEAM, team=teams["DOM"],
        body="Jimaní is open to convoys.",
    )  # fmt: skip
    observation_record(
        actor=people["evaluator"], exercise=exercise, kind="strength", objective_id=None,
        text="Haiti's statement reached the coast before landfall.",
    )  # fmt: skip
    simulation = simulation_request(scenario=exercise.scenario, actor=facilitator, runs=5)
    simulation_run(simulation.pk)
    return exercise, people


def _pages(exercise: Exercise, ended: bool) -> list[tuple[str, str]]:
    """(who, path) of every page a person of each role uses. The pages that do not change
    when the exercise ends (signing in, the scenario library, a new exercise) are read once,
    in play."""
    code = exercise.code
    scenario = exercise.scenario.slug
    simulation = exercise.scenario.simulations.get()
    team = exercise.teams.get(nation_code="HTI")
    pages = [
        ("HTI", reverse("home")),
        ("HTI", reverse("exercises:team", args=[code, "HTI"])),
        ("HTI", reverse("exercises:team", args=[code, "HTI"]) + "?channel=plenary"),
        ("HTI", reverse("exercises:debrief", args=[code, "HTI"])),
        ("evaluator", reverse("exercises:evaluate", args=[code])),
        ("facilitator", reverse("exercises:lobby", args=[code])),
        ("facilitator", reverse("exercises:control", args=[code])),
        ("facilitator", reverse("exercises:team", args=[code, "DOM"])),
        ("facilitator", reverse("exercises:hotwash", args=[code])),
    ]
    if not ended:
        pages += [
            ("anonymous", reverse("home")),
            ("anonymous", reverse("accounts:login")),
            ("anonymous", reverse("accounts:join", args=[invite_token(exercise, team)])),
            ("facilitator", reverse("scenarios:library")),
            ("facilitator", reverse("scenarios:detail", args=[scenario])),
            ("facilitator", reverse("exercises:new")),
            ("facilitator", reverse("scenarios:upload")),
            ("facilitator", reverse("scenarios:edit", args=[scenario])),
            ("facilitator", reverse("scenarios:edit", args=[scenario]) + "?edit=inject:M-01"),
            ("facilitator", reverse("scenarios:versions", args=[scenario])),
            ("facilitator", reverse("scenarios:compare", args=[scenario])),
            ("facilitator", reverse("scenarios:simulation", args=[scenario, simulation.pk])),
        ]
    else:
        pages += [
            ("HTI", reverse("exercises:feedback", args=[code])),
            ("evaluator", reverse("exercises:feedback", args=[code])),
        ]
    return pages


def _audit(
    people: People,
    base: str,
    users: dict,
    exercise: Exercise,
    opened: dict[str, Page],
    *,
    phone: bool,
    ended: bool,
) -> list[str]:
    """What axe finds on every page, each read by its person in a page of theirs (`opened`,
    by person, kept from one state of the exercise to the next)."""
    found: list[str] = []
    for who, path in _pages(exercise, ended):
        if who not in opened:
            screen = "phone" if phone else "desktop"
            page = people.open(f"{who} ({screen})", phone=phone, audit=True)
            opened[who] = sign_in(page, base, users[who]) if who in users else page
        page = opened[who]
        response = page.goto(base + path)
        assert response is not None and response.status == 200, (who, path, response)
        found += accessibility_violations(page)
        # Players and evaluators use phones as often as laptops; the control room is a desk's.
        if phone and who != "facilitator" and page_overflow(page):
            found.append(f"{page.url}: {page_overflow(page)} px wider than a 390 px phone")
    return found


def test_every_page_meets_wcag_22_aa(played, live_server, people: People) -> None:
    """Every page in play, then once the exercise has ended, on a desktop and on a phone (one
    exercise played once: its setting up is most of the test's cost)."""
    exercise, users = played
    screens: dict[bool, dict[str, Page]] = {False: {}, True: {}}
    found: list[str] = []
    for ended in (False, True):
        if ended:
            exercise_end(
                actor=users["facilitator"],
                exercise=Exercise.objects.get(pk=exercise.pk),
                reason="Time is up.",
            )
        for phone, opened in screens.items():
            found += _audit(
                people, live_server.url, users, exercise, opened, phone=phone, ended=ended
            )
    assert not found, "\n".join(found)
