"""`manage.py export_msel`: a scenario's injects as an MSEL spreadsheet (CSV)."""

from wargame.scenarios.management.commands._shared import ScenarioExport
from wargame.scenarios.models import Scenario
from wargame.scenarios.msel import msel_csv
from wargame.scenarios.selectors import scenario_spec


class Command(ScenarioExport):
    help = "Print a scenario's MSEL (its injects) as CSV for a spreadsheet."

    def export(self, scenario: Scenario) -> str:
        return msel_csv(scenario_spec(scenario))
