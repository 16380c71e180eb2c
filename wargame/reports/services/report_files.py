"""Asking for a report file that a worker renders."""

from functools import partial

from django.db import transaction

from wargame.exercises.models import Exercise
from wargame.lib.tasks import task_send
from wargame.reports.files import ReportFile

RENDER = "reports.render"  # the worker's entry point, wargame/reports/tasks.py


def report_file_request(
    *,
    exercise: Exercise,
    fmt: str,
    paper: str = "A4",
    anonymous: bool = False,
    language: str = "en",
    delegations: bool = False,
) -> ReportFile:
    """The report file of the exercise's current version; sends the render task unless the
    file is there or a task for it is already under way (two facilitators clicking "PDF" at
    once, or one clicking twice, start one render)."""
    target = ReportFile.current(exercise, fmt, paper, anonymous, language, delegations)
    if not target.exists() and target.claim():
        target.report(0, "queued")
        send = partial(task_send, RENDER, exercise.pk, fmt, target.paper, target.anonymous,
                       target.language, target.delegations)  # fmt: skip
        transaction.on_commit(send)
    return target
