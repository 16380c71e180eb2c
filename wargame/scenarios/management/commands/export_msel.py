from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wargame.scenarios.models import Scenario
from wargame.scenarios.msel import msel_csv
from wargame.scenarios.selectors import scenario_spec


class Command(BaseCommand):
    help = "Print a scenario's MSEL (its injects) as CSV for a spreadsheet."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("slug")

    def handle(self, *args: Any, slug: str, **options: Any) -> None:
        try:
            scenario = Scenario.objects.get(slug=slug)
        except Scenario.DoesNotExist:
            raise CommandError(f"no scenario with the slug {slug!r}") from None
        self.stdout.write(msel_csv(scenario_spec(scenario)), ending="")
