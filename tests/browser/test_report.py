"""After the exercise, in Chromium: the facilitator rates an objective and starts the
improvement plan at the hotwash, then downloads the PDF report that a real Celery worker
renders while the page shows its progress."""

import io
import json
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect

from tests.browser.conftest import BrowserErrors, People
from tests.conftest import SCENARIO_DIR
from tests.integration.workers import celery_worker, wait_for
from tests.pdf import pdf_text
from wargame.exercises.models import Exercise, Role
from wargame.reports.models import ObjectiveRating, Observation
from wargame.turns.clock import scheduler_running

PASSWORD = "a-facilitator-password-2"


def test_hotwash_then_a_pdf_rendered_by_the_worker(
    live_server, transactional_db: None, people: People, browser_errors: BrowserErrors,
    tmp_path: Path,
) -> None:  # fmt: skip
    call_command("load_scenario", str(SCENARIO_DIR), stdout=io.StringIO())
    out = io.StringIO()
    call_command("simulate", "caribbean-storm", "--seed", "4", "--keep", "--json", stdout=out)
    exercise = Exercise.objects.get(code=json.loads(out.getvalue())["exercise"])
    facilitator = exercise.participants.get(role=Role.FACILITATOR).user
    facilitator.set_password(PASSWORD)
    facilitator.save()
    objective = exercise.scenario.objectives.order_by("position").first()
    Observation.objects.create(exercise=exercise, objective=objective, kind="improvement",
                               text="Liaison officers arrived a day late.", turn=2)  # fmt: skip
    base = live_server.url

    page = people.open("facilitator")
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(facilitator.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/x/{exercise.code}/control/")
    page.get_by_role("link", name="Hotwash").click()

    # Rate the first objective S, with a reason: the region changes in place.
    card = page.locator(f"#objective-{objective.pk}")
    card.get_by_label("Performed with some challenges").check()
    card.get_by_label("Comment").fill("Relief arrived, but liaison was a day late.")
    card.get_by_role("button", name="Confirm the rating").click()
    expect(page.locator(f"#objective-{objective.pk}")).to_contain_text("Save the rating")
    saved = ObjectiveRating.objects.get(exercise=exercise, objective=objective)
    assert (saved.rating, saved.comment) == ("S", "Relief arrived, but liaison was a day late.")

    # Start the improvement plan from the area for improvement.
    page.get_by_role("button", name="Prefill from the areas for improvement").click()
    expect(page.locator("#plan")).to_contain_text("Liaison officers arrived a day late.")

    # The PDF: a worker renders it while the page shows progress, then it downloads.
    connection.ensure_connection()
    with celery_worker(tmp_path / "worker.log", beat=True) as worker:
        wait_for(scheduler_running, 30, worker.text)
        page.goto(f"{base}/x/{exercise.code}/control/")
        with page.expect_download(timeout=90_000) as download:
            page.get_by_role("link", name="PDF", exact=True).click()
            expect(page.locator("#progress")).to_be_visible()
        target = tmp_path / "report.pdf"
        download.value.save_as(target)
    assert download.value.suggested_filename == f"cumbre-{exercise.code}-report.pdf"
    text = pdf_text(target)
    assert "Relief arrived, but liaison was a day late." in text
    assert "Appendix A: Improvement plan" in text
    assert not browser_errors.seen, browser_errors.report()
