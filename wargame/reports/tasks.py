"""Celery entry points for reports: load by id, call a service."""

import logging

from celery import shared_task

from wargame.reports.files import report_file_render
from wargame.reports.services.report_files import RENDER

log = logging.getLogger(__name__)


@shared_task(
    name=RENDER,
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=900,
    soft_time_limit=840,
)
def render(
    exercise_id: int,
    fmt: str,
    paper: str = "A4",
    anonymous: bool = False,
    language: str = "en",
    delegations: bool = False,
) -> None:
    """Render the current version of an exercise's report in one format; a no-op if the file
    is already there (a duplicate message, or a second request for the same version)."""
    target = report_file_render(exercise_id, fmt, paper, anonymous, language, delegations)
    log.info("report exercise=%s format=%s: %s", exercise_id, fmt, target.path if target else "-")
