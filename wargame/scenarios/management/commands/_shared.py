"""What the scenario commands share: finding a scenario (and its version), reporting
problems one line each on stderr with exit status 1, and warnings the same way without it."""

from argparse import ArgumentParser
from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wargame.lib.commands import CumbreCommand
from wargame.scenarios.fileformat import LANGUAGES, Problem
from wargame.scenarios.models import Scenario
from wargame.scenarios.selectors import scenario_latest


def fail(command: BaseCommand, problems: Iterable[Problem]) -> None:
    for problem in problems:
        command.stderr.write(str(problem), style_func=lambda text: text)
    raise SystemExit(1)


def warn(command: BaseCommand, problems: Iterable[Problem]) -> None:
    """What loads but deserves a second look, one line each on stderr; the command goes on."""
    for problem in problems:
        command.stderr.write(_("warning: %(problem)s") % {"problem": problem}, style_func=str)


def scenario_named(slug: str, version: int | None = None) -> Scenario:
    """The latest version of the scenario, or the version asked for."""
    scenario = scenario_latest(slug, version=version)
    if scenario is None and version is not None and scenario_latest(slug) is not None:
        raise CommandError(
            _("the scenario %(slug)s has no version %(version)s")
            % {"slug": repr(slug), "version": version}
        )
    if scenario is None:
        raise CommandError(_("no scenario with the slug %(slug)s") % {"slug": repr(slug)})
    return scenario


def add_language(parser: ArgumentParser, what: str | Promise) -> None:
    """--lang: the language of a translated MSEL (the scenario's own by default)."""
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=None, metavar="LANGUAGE",
        help=what % {"choices": ", ".join(LANGUAGES)},
    )  # fmt: skip


class ScenarioExport(CumbreCommand):
    """A command that writes out one scenario, by its slug and, if given, its version."""

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("slug")
        parser.add_argument(
            "--scenario-version",
            dest="scenario_version",
            type=int,
            metavar="N",
            help=gettext_lazy("Which version of the scenario (default: the latest)."),
        )

    def handle(self, *args: Any, slug: str, scenario_version: int | None, **options: Any) -> None:
        scenario = scenario_named(slug, scenario_version)
        self.stdout.write(self.export(scenario, **options), ending="")

    def export(self, scenario: Scenario, **options: Any) -> str:
        raise NotImplementedError
