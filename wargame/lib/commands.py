"""The base of Cumbre's management commands: their help is marked for translation."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class CumbreCommand(BaseCommand):
    """A command whose `help` may be a lazy translation: it is shown in the language of the
    commands (CUMBRE_LANGUAGE), as text, since argparse takes nothing else."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = str(self.help) if self.help else None
        return parser
