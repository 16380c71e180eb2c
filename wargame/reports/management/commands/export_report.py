import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wargame.exercises.models import Exercise
from wargame.reports.builder import events_csv, report_data
from wargame.reports.render import PAPERS, report_html, report_pdf

FORMATS = ("pdf", "html", "json", "csv")


class Command(BaseCommand):
    help = (
        "Write an exercise's after-action report: pdf or html (the report), json (everything "
        "needed to rebuild it) or csv (the event log, one row per event)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("code", help="The exercise's join code.")
        parser.add_argument("--format", choices=FORMATS, default="pdf")
        parser.add_argument("--paper", choices=PAPERS, default="A4")
        parser.add_argument("-o", "--output", help="File to write; standard output if omitted.")

    def handle(
        self, *args: Any, code: str, format: str, paper: str, output: str | None, **options: Any
    ) -> None:
        exercise = Exercise.objects.select_related("scenario").filter(code=code).first()
        if exercise is None:
            raise CommandError(f"no exercise with the code {code!r}")
        data = report_data(exercise)
        if format == "pdf":
            content: bytes | str = report_pdf(data, paper=paper)
        elif format == "html":
            content = report_html(data, paper=paper)
        elif format == "json":
            content = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        else:
            content = events_csv(data)
        if output:
            if isinstance(content, bytes):
                Path(output).write_bytes(content)
            else:
                Path(output).write_text(content, encoding="utf-8")
            self.stdout.write(f"{output}: {format} report of {code}")
        elif isinstance(content, bytes):
            raise CommandError("a PDF goes to a file: add -o FILE.pdf")
        else:
            self.stdout.write(content, ending="")
