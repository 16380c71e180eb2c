"""`manage.py health`: the health check of /healthz, for containers that serve no HTTP."""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wargame.lib.commands import CumbreCommand
from wargame.web.health import health_parts


class Command(CumbreCommand):
    help = gettext_lazy(
        "Check the database, the broker, the cache and beat's tick, as /healthz does; print "
        "the result as JSON and fail if a part named with --part (default: all) is down. "
        "For container health checks of the worker and beat, which serve no HTTP."
    )
    # The checks of the project's set-up read the database: with the database down they would
    # end in a traceback before the command could say that the database is down.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--part",
            action="append",
            choices=("database", "broker", "cache", "scheduler"),
            help=gettext_lazy("Only these parts decide the exit status (repeat for several)."),
        )

    def handle(self, *args: Any, part: list[str] | None, **options: Any) -> None:
        parts = health_parts()
        self.stdout.write(json.dumps(parts, sort_keys=True))
        down = [name for name in (part or parts) if not parts[name]["ok"]]
        if down:
            raise CommandError(_("down: %(parts)s") % {"parts": ", ".join(down)})
