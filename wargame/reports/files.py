"""Report files: each format rendered from the report model, and the rendered files kept per
exercise version.

A PDF or Word report of a large exercise takes seconds, so the web app renders it in a Celery
task (`reports.render`) and keeps the file under REPORT_DIR/<code>/<version>/ until the
exercise changes again; the page that asked shows the task's progress, read from the cache.
Every web instance and worker must see the same REPORT_DIR (a shared volume in production).
"""

import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wargame.exercises.models import Exercise
from wargame.exercises.pulse import CACHE_ERRORS
from wargame.lib.languages import language_asked
from wargame.lib.spreadsheet import csv_text
from wargame.reports.builder import report_events
from wargame.reports.docx import report_docx
from wargame.reports.model import PAPERS, Report, event_headers, event_rows, report_for
from wargame.reports.names import names_for
from wargame.reports.render import report_html, report_pdf

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
FORMATS = tuple(CONTENT_TYPES)
# Rendered by a worker with a progress bar; the others are quick enough for the request.
BACKGROUND = frozenset({"pdf", "docx"})
# A task that has not reported for this long is taken for lost and may be sent again.
STALE_SECONDS = 300

Progress = Callable[[int, str], None]

STAGES = {
    "queued": _("Waiting for a worker"),
    "data": _("Reading the exercise record"),
    "charts": _("Drawing the charts"),
    "layout": _("Laying out the pages"),
    "writing": _("Writing the file"),
    "done": pgettext_lazy("a report file", "Ready"),
    "failed": _("Failed"),
}


def render_format(
    exercise: Exercise,
    fmt: str,
    *,
    paper: str = "A4",
    anonymous: bool = False,
    language: str | None = None,
    progress: Progress | None = None,
    report: Report | None = None,
    delegations: bool = False,
) -> bytes:
    """The report of `exercise` in `fmt` (one of FORMATS), as bytes; `anonymous` names people
    by their nation or role and a number, and with `delegations` nations by their delegation's
    letter; in `language` (settings.LANGUAGES), or the one active now. Give `report` (from
    `report_for`, in the same language and anonymised alike) to render several formats from
    one reading of the exercise."""
    with translation.override(language or translation.get_language()):
        return _render(exercise, fmt, paper=paper, anonymous=anonymous, progress=progress,
                       report=report, delegations=anonymous and delegations)  # fmt: skip


def _render(
    exercise: Exercise,
    fmt: str,
    *,
    paper: str,
    anonymous: bool,
    progress: Progress | None,
    report: Report | None,
    delegations: bool,
) -> bytes:
    step = progress or (lambda percent, stage: None)
    step(5, "data")
    if report is None:
        charts = fmt in ("pdf", "html", "docx")
        report = report_for(exercise, charts=charts, anonymous=anonymous, delegations=delegations)
    if fmt in ("json", "csv"):
        # Only JSON and CSV carry the event log; it is the largest part of a long exercise.
        names = names_for(exercise, anonymous=anonymous, delegations=delegations)
        events = report_events(exercise, names)
        if fmt == "csv":
            # Safe to open in a spreadsheet: no cell runs as a formula; accents shown.
            return csv_text([event_headers(), *event_rows(report, events)]).encode()
        record = report.record | {"events": events}
        return (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode()
    step(50, "layout")
    if fmt == "docx":
        return report_docx(report)
    if fmt == "html":
        return report_html(report, paper=paper).encode()
    return report_pdf(report, paper=paper, progress=step)


def render_formats(
    exercise: Exercise,
    fmts: list[str],
    *,
    paper: str = "A4",
    anonymous: bool = False,
    language: str | None = None,
    delegations: bool = False,
) -> dict[str, bytes]:
    """The report in several formats, from one reading of the exercise."""
    delegations = anonymous and delegations
    with translation.override(language or translation.get_language()):
        report = report_for(exercise, anonymous=anonymous, delegations=delegations)
        return {
            fmt: render_format(
                exercise,
                fmt,
                paper=paper,
                anonymous=anonymous,
                report=report,
                delegations=delegations,
            )
            for fmt in fmts
        }


def file_name(
    code: str,
    fmt: str,
    paper: str = "A4",
    anonymous: bool = False,
    language: str = "en",
    delegations: bool = False,
) -> str:
    """The name a downloaded copy is saved under: what it holds and which copy it is (without
    names, nations named as delegations, on US Letter, in a language other than English)."""
    what = "events" if fmt == "csv" else "report"
    letter = "-letter" if fmt in ("pdf", "html") and paper == "Letter" else ""
    unnamed = ("-delegations" if delegations else "-anonymised") if anonymous else ""
    spoken = "" if language == "en" else f"-{language}"
    return f"cumbre-{code}-{what}{unnamed}{letter}{spoken}.{fmt}"


@dataclass(frozen=True)
class ReportFile:
    """Where the report of one exercise version in one format is kept, and how far along."""

    code: str
    version: int
    fmt: str
    paper: str = "A4"
    anonymous: bool = False
    language: str = "en"
    delegations: bool = False  # anonymised, and nations named by their delegation's letter

    @classmethod
    def current(
        cls,
        exercise: Exercise,
        fmt: str,
        paper: str = "A4",
        anonymous: bool = False,
        language: str = "en",
        delegations: bool = False,
    ) -> "ReportFile":
        version = Exercise.objects.filter(pk=exercise.pk).values_list("version", flat=True).get()
        paper = paper if paper in PAPERS else "A4"
        return cls(exercise.code, version, fmt, paper, anonymous, language_asked(language),
                   anonymous and delegations)  # fmt: skip

    @property
    def name(self) -> str:
        return file_name(self.code, self.fmt, self.paper, self.anonymous, self.language,
                         self.delegations)  # fmt: skip

    @property
    def path(self) -> Path:
        return Path(settings.CUMBRE_REPORT_DIR) / self.code / str(self.version) / self.name

    @property
    def _key(self) -> str:
        unnamed = (":delegations" if self.delegations else ":anonymised") if self.anonymous else ""
        return f"report:{self.code}:{self.version}:{self.fmt}:{self.paper}:{self.language}{unnamed}"

    def exists(self) -> bool:
        return self.path.is_file()

    def progress(self) -> dict[str, Any] | None:
        """{"percent", "stage", "at"} as the task last reported it, or None."""
        try:
            return cache.get(self._key)
        except CACHE_ERRORS:
            return None

    def report(self, percent: int, stage: str) -> None:
        state = {"percent": percent, "stage": stage, "at": time.time()}
        with contextlib.suppress(CACHE_ERRORS):  # progress is a courtesy, the file is the work
            cache.set(self._key, state, STALE_SECONDS * 4)

    def claim(self) -> bool:
        """True for the one caller that may send the render task; the claim lapses after
        STALE_SECONDS, so a task lost with its worker is sent again."""
        try:
            return cache.add(f"{self._key}:claim", 1, STALE_SECONDS)
        except CACHE_ERRORS:
            return False

    def is_pending(self) -> bool:
        """A task was sent for this file and has reported within STALE_SECONDS."""
        state = self.progress()
        return bool(
            state
            and state["stage"] not in ("done", "failed")
            and time.time() - state["at"] < STALE_SECONDS
        )

    def write(self, content: bytes) -> None:
        """Write atomically (a reader never sees half a file), then drop older versions."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, self.path)
        for older in self.path.parent.parent.iterdir():
            if older.is_dir() and older.name.isdigit() and int(older.name) < self.version:
                shutil.rmtree(older, ignore_errors=True)


def report_file_render(
    exercise_id: int,
    fmt: str,
    paper: str = "A4",
    anonymous: bool = False,
    language: str = "en",
    delegations: bool = False,
) -> ReportFile | None:
    """Render the current version's file unless it is already there. Idempotent: a second
    task for the same version finds the file and does nothing."""
    exercise = Exercise.objects.select_related("scenario").filter(pk=exercise_id).first()
    if exercise is None or fmt not in FORMATS:
        return None
    target = ReportFile.current(exercise, fmt, paper, anonymous, language, delegations)
    if target.exists():
        target.report(100, "done")
        return target
    try:
        content = render_format(
            exercise, fmt, paper=target.paper, anonymous=anonymous, language=target.language,
            progress=target.report, delegations=target.delegations,
        )  # fmt: skip
    except Exception:
        target.report(100, "failed")
        raise
    target.write(content)
    target.report(100, "done")
    return target
