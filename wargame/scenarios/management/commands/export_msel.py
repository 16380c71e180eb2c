from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from wargame.scenarios.management.commands._shared import scenario_named
from wargame.scenarios.msel import msel_csv
from wargame.scenarios.selectors import scenario_spec


class Command(BaseCommand):
    help = "Print a scenario's MSEL (its injects) as CSV for a spreadsheet."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("slug")
        parser.add_argument(
            "--scenario-version",
            dest="scenario_version",
            type=int,
            metavar="N",
            help="Which version of the scenario (default: the latest).",
        )

    def handle(self, *args: Any, slug: str, scenario_version: int | None, **options: Any) -> None:
        scenario = scenario_named(slug, scenario_version)
        self.stdout.write(msel_csv(scenario_spec(scenario)), ending="")
