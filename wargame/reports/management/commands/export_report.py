import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wargame.exercises.models import Exercise
from wargame.reports.builder import events_csv, report_data

FORMATS = ("json", "csv")


class Command(BaseCommand):
    help = (
        "Write an exercise's after-action data: json (everything needed to rebuild the report) "
        "or csv (the event log, one row per event)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("code", help="The exercise's join code.")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("-o", "--output", help="File to write; standard output if omitted.")

    def handle(
        self, *args: Any, code: str, format: str, output: str | None, **options: Any
    ) -> None:
        exercise = Exercise.objects.select_related("scenario").filter(code=code).first()
        if exercise is None:
            raise CommandError(f"no exercise with the code {code!r}")
        data = report_data(exercise)
        if format == "json":
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        else:
            text = events_csv(data)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"{output}: {format} report of {code}")
        else:
            self.stdout.write(text, ending="")
