"""`manage.py export_msel`: a scenario's injects as an MSEL spreadsheet (CSV)."""

from argparse import ArgumentParser
from typing import Any

from django.utils.translation import gettext_lazy

from wargame.scenarios.management.commands._shared import ScenarioExport, add_language
from wargame.scenarios.models import Scenario
from wargame.scenarios.msel import msel_csv
from wargame.scenarios.selectors import scenario_spec


class Command(ScenarioExport):
    help = gettext_lazy("Print a scenario's MSEL (its injects) as CSV for a spreadsheet.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        add_language(
            parser,
            gettext_lazy(
                "Write the texts in this language (%(choices)s); the scenario's own otherwise."
            ),
        )

    def export(self, scenario: Scenario, *, lang: str | None = None, **options: Any) -> str:
        return msel_csv(scenario_spec(scenario), lang)
