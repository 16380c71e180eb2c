"""`manage.py import_msel`: a scenario's injects replaced by the rows of an MSEL spreadsheet."""

from argparse import ArgumentParser
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wargame.lib.commands import CumbreCommand
from wargame.scenarios.fileformat import ScenarioFileError, read_text_file
from wargame.scenarios.management.commands._shared import add_language, fail, scenario_named, warn
from wargame.scenarios.msel import msel_apply_csv
from wargame.scenarios.selectors import scenario_spec
from wargame.scenarios.services import scenario_load


class Command(CumbreCommand):
    help = gettext_lazy(
        "Replace the injects of a scenario's latest version with the rows of an MSEL CSV file "
        "(if exercises use that version, a new version is added instead). Columns the CSV has no "
        "place for (private parts, severity, contingencies) are kept by inject number."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("file", metavar="FILE.csv")
        parser.add_argument(
            "--check", action="store_true", help=gettext_lazy("Validate only; write nothing.")
        )
        add_language(
            parser,
            gettext_lazy(
                "The file's texts are in this language (%(choices)s): in another than the "
                "scenario's own, they become the injects' translations and its own texts stay."
            ),
        )

    def handle(
        self, *args: Any, slug: str, file: str, check: bool, lang: str | None, **options: Any
    ) -> None:
        scenario = scenario_named(slug)
        try:
            spec = msel_apply_csv(scenario_spec(scenario), read_text_file(file), file, lang)
            warn(self, spec.warnings)
            if not check:
                scenario = scenario_load(spec, source_path=scenario.source_path)
        except ScenarioFileError as exc:
            fail(self, exc.problems)
        done = (
            _("%(file)s: checked %(n)s injects into %(slug)s (version %(version)s)")
            if check
            else _("%(file)s: imported %(n)s injects into %(slug)s (version %(version)s)")
        )
        self.stdout.write(
            done % {"file": file, "n": len(spec.injects), "slug": slug, "version": scenario.version}
        )
