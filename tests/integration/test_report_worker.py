"""A PDF report rendered by a real Celery worker, asked for and fetched through the web views."""

import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.conftest import MINIMAL
from tests.integration.workers import celery_worker, wait_for
from wargame.exercises.models import Role
from wargame.exercises.services import exercise_create
from wargame.reports.files import ReportFile
from wargame.scenarios.fileformat import parse_scenario_file
from wargame.scenarios.services import scenario_load
from wargame.turns.clock import scheduler_running
from wargame.turns.services import exercise_start, turn_close

pytestmark = pytest.mark.django_db(transaction=True)
User = get_user_model()


def test_a_worker_renders_the_pdf_the_facilitator_asked_for(tmp_path: Path) -> None:
    scenario = scenario_load(parse_scenario_file(MINIMAL))
    facilitator = User.objects.create(username="report-facilitator", is_staff=True)
    exercise = exercise_create(actor=facilitator, scenario=scenario, seed=3)
    exercise_start(actor=facilitator, exercise=exercise)
    turn_close(exercise_id=exercise.pk, turn_number=1, reason="test")
    assert exercise.participants.get(user=facilitator).role == Role.FACILITATOR
    client = Client()
    client.force_login(facilitator)
    url = reverse("exercises:report", args=[exercise.code, "pdf"])
    progress = reverse("exercises:report_progress", args=[exercise.code, "pdf"])

    connection.ensure_connection()
    with celery_worker(tmp_path / "worker.log", beat=True) as worker:
        wait_for(scheduler_running, 30, worker.text)  # beat's tick has run on the worker
        asked = time.monotonic()
        assert client.get(url).status_code == 202  # sends the task on commit
        target = ReportFile.current(exercise, "pdf")
        wait_for(target.exists, 120, worker.text)
        took = time.monotonic() - asked
        region = client.get(progress, headers={"HX-Request": "true"}).content.decode()
        assert "data-download-now" in region
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert "reports.render" in worker.text()
    assert target.progress()["stage"] == "done"
    print(f"rendered by the worker in {took:.1f} s")
