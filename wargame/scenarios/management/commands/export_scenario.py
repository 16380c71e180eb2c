"""`manage.py export_scenario`: a scenario as a YAML file that loads back to an equal one."""

from typing import Any

from django.utils.translation import gettext_lazy

from wargame.scenarios.fileformat import spec_to_yaml
from wargame.scenarios.management.commands._shared import ScenarioExport
from wargame.scenarios.models import Scenario
from wargame.scenarios.selectors import scenario_spec


class Command(ScenarioExport):
    help = gettext_lazy(
        "Print a scenario as a format-1 YAML file that loads back to an equal scenario."
    )

    def export(self, scenario: Scenario, **options: Any) -> str:
        return spec_to_yaml(scenario_spec(scenario))
