"""`manage.py export_report`: write an exercise's report to a file, in any of its formats."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wargame.exercises.models import Exercise
from wargame.lib.commands import CumbreCommand
from wargame.lib.languages import CODES
from wargame.reports.files import FORMATS, render_format
from wargame.reports.model import PAPERS


class Command(CumbreCommand):
    help = gettext_lazy(
        "Write an exercise's after-action report: pdf, docx or html (the report), json "
        "(everything needed to rebuild it) or csv (the event log, one row per event)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("code", help=gettext_lazy("The exercise's join code."))
        parser.add_argument("--format", choices=FORMATS, default="pdf")
        parser.add_argument("--paper", choices=PAPERS, default="A4")
        parser.add_argument(
            "-o", "--output", help=gettext_lazy("File to write; standard output if omitted.")
        )
        parser.add_argument(
            "--lang",
            choices=sorted(CODES),
            default=settings.LANGUAGE_CODE,
            help=gettext_lazy("The report's language (by default CUMBRE_LANGUAGE, %(default)s)."),
        )
        parser.add_argument(
            "--anonymised",
            action="store_true",
            help=gettext_lazy(
                "Name each participant by their nation or role and a number, never by name."
            ),
        )
        parser.add_argument(
            "--delegations",
            action="store_true",
            help=gettext_lazy(
                "With --anonymised: name the nations as delegations, Delegation A, B and so on."
            ),
        )

    def handle(
        self,
        *args: Any,
        code: str,
        format: str,
        paper: str,
        output: str | None,
        anonymised: bool,
        delegations: bool,
        lang: str,
        **options: Any,
    ) -> None:
        exercise = Exercise.objects.select_related("scenario").filter(code=code).first()
        if exercise is None:
            raise CommandError(_("no exercise with the code %(code)s") % {"code": repr(code)})
        if not output and format in ("pdf", "docx"):
            raise CommandError(
                _("a %(format)s report goes to a file: add -o FILE.%(suffix)s")
                % {"format": format.upper(), "suffix": format}
            )
        target = Path(output) if output else None
        # Checked before rendering, which takes seconds for a PDF.
        if target is not None and target.is_dir():
            raise CommandError(_("%(path)s: is a folder; name a file to write") % {"path": output})
        if target is not None and not target.parent.is_dir():
            raise CommandError(
                _("%(path)s: the folder %(folder)s does not exist")
                % {"path": output, "folder": target.parent}
            )
        content = render_format(exercise, format, paper=paper, anonymous=anonymised,
                                language=lang, delegations=delegations)  # fmt: skip
        if target is not None:
            try:
                target.write_bytes(content)
            except OSError as error:
                raise CommandError(
                    _("%(path)s: cannot be written (%(reason)s)")
                    % {"path": output, "reason": error.strerror}
                ) from error
            self.stdout.write(
                _("%(path)s: %(format)s report of %(code)s")
                % {"path": output, "format": format, "code": code}
            )
        else:
            self.stdout.write(content.decode(), ending="")
