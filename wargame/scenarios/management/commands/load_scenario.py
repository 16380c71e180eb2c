"""`manage.py load_scenario`: validate scenario files and load them, all or none."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wargame.lib.commands import CumbreCommand
from wargame.scenarios.fileformat import (
    Problem,
    ScenarioFileError,
    ScenarioSpec,
    parse_scenario_file,
)
from wargame.scenarios.management.commands._shared import fail, warn
from wargame.scenarios.models import Scenario
from wargame.scenarios.services import scenario_load


def _shown(path: Path) -> str:
    """The path as the admin shows it: relative to the project when it is inside it."""
    try:
        return str(path.resolve().relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)


def _kept(scenario: Scenario) -> str:
    """Which version was written, and why the ones before it stay as they are."""
    if scenario.version == 1:
        return _("(version 1)")
    return _(
        "(version %(version)s; exercises of earlier versions keep theirs, new exercises use "
        "this one)"
    ) % {"version": scenario.version}


class Command(CumbreCommand):
    help = gettext_lazy(
        "Validate scenario files and load them, creating or updating each scenario by its slug; "
        "if exercises use it, a new version is added instead and they keep theirs. "
        "A directory loads every .yaml file in it. Nothing is written unless every file is valid."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--check", action="store_true", help=gettext_lazy("Validate only; write nothing.")
        )

    def handle(self, *args: Any, paths: list[str], check: bool, **options: Any) -> None:
        files: list[Path] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                found = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
                if not found:
                    raise CommandError(
                        _("%(path)s: no scenario files (.yaml or .yml) in this folder")
                        % {"path": raw}
                    )
                files.extend(found)
            else:
                files.append(path)

        specs: list[tuple[Path, ScenarioSpec]] = []
        problems: list[Problem] = []
        slugs: dict[str, Path] = {}
        for path in files:
            try:
                spec = parse_scenario_file(path)
            except ScenarioFileError as exc:
                problems.extend(exc.problems)
                continue
            if spec.slug in slugs:
                message = _("%(slug)s is also the slug of %(path)s") % {
                    "slug": spec.slug,
                    "path": slugs[spec.slug],
                }
                problems.append(Problem(str(path), _slug_line(path), "slug", message))
                continue
            slugs[spec.slug] = path
            specs.append((path, spec))
        if problems:
            fail(self, problems)
        for _path, spec in specs:
            warn(self, spec.warnings)

        if check:
            for path, spec in specs:
                self.stdout.write(
                    _("%(path)s: ok (%(slug)s, %(nations)s nations, %(turns)s turns, "
                      "%(injects)s injects)")
                    % {"path": path, "slug": spec.slug, "nations": len(spec.nations),
                       "turns": spec.turns, "injects": len(spec.injects)}
                )  # fmt: skip
            return
        loaded = []
        try:
            with transaction.atomic():
                for path, spec in specs:
                    loaded.append((path, scenario_load(spec, source_path=_shown(path))))
        except ScenarioFileError as exc:
            fail(self, exc.problems)
        for path, scenario in loaded:
            self.stdout.write(
                _("%(path)s: loaded %(slug)s %(kept)s")
                % {"path": path, "slug": scenario.slug, "kept": _kept(scenario)}
            )


def _slug_line(path: Path) -> int:
    """The line of the file's top-level `slug:` (1 if it cannot be told)."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return next((n for n, line in enumerate(lines, 1) if line.startswith("slug:")), 1)
