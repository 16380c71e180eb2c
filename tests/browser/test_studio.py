"""The scenario studio in Chromium: an author copies a shipped scenario to adapt it, edits an
inject in the MSEL table (a refused save keeps what she typed), and balances the copy by
simulation, played by a real Celery worker while the page follows its progress; a colleague
reads the figures on a phone."""

import io
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect

from tests.browser.conftest import BrowserErrors, People, page_overflow, sign_in
from tests.integration.workers import celery_worker
from wargame.scenarios.models import Simulation
from wargame.scenarios.selectors import scenario_latest


def test_copy_edit_an_inject_and_simulate(
    live_server, transactional_db: None, people: People, browser_errors: BrowserErrors,
    tmp_path: Path,
) -> None:  # fmt: skip
    call_command("load_scenario", str(Path(settings.BASE_DIR) / "scenarios"), stdout=io.StringIO())
    author = get_user_model().objects.create_user("author", is_staff=True)
    base = live_server.url
    page = sign_in(people.open("author"), base, author)

    # Copy Caribbean Storm under a slug of the course.
    page.goto(f"{base}/scenarios/caribbean-storm/")
    page.get_by_text("Copy this scenario to adapt it").click()
    page.get_by_label("Slug of the copy").fill("storm-esg")
    page.get_by_label("Title of the copy").fill("Storm, staff college course")
    page.get_by_role("button", name="Copy and edit").click()
    expect(page.get_by_role("heading", name="Edit Storm, staff college course")).to_be_visible()

    # Edit M-01 in the table: a turn after the last is refused beside the field, the new title
    # typed is kept; corrected, it saves as version 2.
    browser_errors.allow("status of 422")  # the refused save, answered with its reasons
    msel = page.locator("#edit-msel")
    msel.get_by_role("link", name="Edit M-01").click()
    form = msel.locator("form.entry-form")
    form.get_by_label("Turn").fill("12")
    form.get_by_label("Title").fill("Marisol reaches Category 5 off Jacmel")
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".errorlist")).to_contain_text("12 is after the last turn (8)")
    expect(form.get_by_label("Title")).to_have_value("Marisol reaches Category 5 off Jacmel")
    form.get_by_label("Turn").fill("1")
    form.get_by_role("button", name="Save").click()
    expect(msel.locator(".done")).to_have_text("Saved as version 2.")
    expect(msel).to_contain_text("Marisol reaches Category 5 off Jacmel")
    copy = scenario_latest("storm-esg")
    assert copy.version == 2
    assert copy.injects.get(code="M-01").title == "Marisol reaches Category 5 off Jacmel"
    assert scenario_latest("caribbean-storm").version == 1

    # Balance the copy with Haiti's and Jamaica's seats left empty, in a worker.
    connection.ensure_connection()
    with celery_worker(tmp_path / "worker.log", beat=False) as worker:
        page.goto(f"{base}/scenarios/storm-esg/#simulate")
        simulate = page.locator("#simulate")
        simulate.get_by_label("Some seats left empty").check()
        simulate.get_by_label("Haiti (HTI)").check()
        simulate.get_by_label("Jamaica (JAM)").check()
        simulate.get_by_role("spinbutton", name="Plays").fill("60")
        simulate.get_by_role("button", name="Simulate").click()
        expect(page.locator("#simulation .nation-chart").first).to_be_visible(timeout=120_000)
        assert "scenarios.simulate" in worker.text()
    simulation = Simulation.objects.get()
    assert (simulation.status, simulation.done, simulation.empty) == ("done", 60, ["HTI", "JAM"])
    assert simulation.scenario.version == 2
    expect(page.locator("#simulation")).to_contain_text("Some seats left empty: HTI, JAM")
    expect(page.locator("#simulation svg")).to_have_count(7 * 4)
    url = page.url

    # A colleague reads the figures on a phone: nothing scrolls sideways.
    colleague = get_user_model().objects.create_user("colleague", is_staff=True)
    phone = sign_in(people.open("colleague", phone=True), base, colleague)
    phone.goto(url)
    expect(phone.locator("#simulation .nation-chart").first).to_be_visible()
    assert page_overflow(phone) == 0
    phone.goto(f"{base}/scenarios/storm-esg/edit/")
    assert page_overflow(phone) == 0
    assert not browser_errors.unexpected(), browser_errors.report()
