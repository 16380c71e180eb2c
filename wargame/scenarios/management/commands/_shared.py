"""What the scenario commands share: finding a scenario, and reporting problems one line each
on stderr with exit status 1."""

from collections.abc import Iterable

from django.core.management.base import BaseCommand, CommandError

from wargame.scenarios.fileformat import Problem
from wargame.scenarios.models import Scenario


def fail(command: BaseCommand, problems: Iterable[Problem]) -> None:
    for problem in problems:
        command.stderr.write(str(problem), style_func=lambda text: text)
    raise SystemExit(1)


def scenario_named(slug: str) -> Scenario:
    try:
        return Scenario.objects.get(slug=slug)
    except Scenario.DoesNotExist:
        raise CommandError(f"no scenario with the slug {slug!r}") from None
