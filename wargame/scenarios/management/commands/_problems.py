"""How the scenario commands report problems: one line each on stderr, then exit status 1."""

from collections.abc import Iterable

from django.core.management.base import BaseCommand

from wargame.scenarios.fileformat import Problem


def fail(command: BaseCommand, problems: Iterable[Problem]) -> None:
    for problem in problems:
        command.stderr.write(str(problem), style_func=lambda text: text)
    raise SystemExit(1)
