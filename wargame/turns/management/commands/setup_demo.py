"""`manage.py setup_demo`: the scenarios, a facilitator and a demo exercise, for `make run`."""

import secrets
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wargame.exercises.models import Exercise
from wargame.exercises.services import exercise_create
from wargame.lib.commands import CumbreCommand
from wargame.scenarios.fileformat import ScenarioFileError, parse_scenario_file
from wargame.scenarios.selectors import scenario_latest, scenarios_latest

DEMO_USERNAME = "facilitator"
DEMO_EXERCISE_CODE = "demo"
DEMO_SCENARIO = "caribbean-storm"


class Command(CumbreCommand):
    help = gettext_lazy(
        "Load every scenario file (but a scenario saved since from its page, which stays as "
        "edited), and create a facilitator account and a demo exercise if they do not exist "
        "yet. Prints the address and the credentials. Safe to run again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args: Any, url: str, **options: Any) -> None:
        files = []
        for path in sorted((settings.BASE_DIR / "scenarios").glob("*.yaml")):
            try:
                latest = scenario_latest(parse_scenario_file(path).slug)
            except ScenarioFileError:
                latest = None  # load_scenario says what is wrong with it, and loads nothing
            if latest is not None and latest.author_id is not None:
                # Saved from the scenario's page: the shipped file does not overwrite it.
                self.stdout.write(
                    _("%(path)s: kept %(slug)s as edited in the browser (version %(version)s)")
                    % {"path": path.name, "slug": latest.slug, "version": latest.version}
                )
                continue
            files.append(str(path))
        if files:
            call_command("load_scenario", *files, stdout=self.stdout)

        credentials = Path(settings.VAR_DIR) / "demo-credentials.txt"
        User = get_user_model()
        user = User.objects.filter(username=DEMO_USERNAME).first()
        if user is None or not credentials.exists():
            password = secrets.token_urlsafe(12)
            if user is None:
                user = User.objects.create_superuser(DEMO_USERNAME, "", password)
            else:
                user.set_password(password)
                user.save(update_fields=["password"])
            credentials.write_text(password + "\n", encoding="utf-8")
            credentials.chmod(0o600)
        password = credentials.read_text(encoding="utf-8").strip()

        exercise = Exercise.objects.filter(code=DEMO_EXERCISE_CODE).first()
        if exercise is None:
            scenario = scenario_latest(DEMO_SCENARIO) or scenarios_latest().first()
            if scenario is None:
                raise CommandError(_("no scenario is loaded; the demo needs one in scenarios/"))
            exercise = exercise_create(
                actor=user,
                scenario=scenario,
                title=f"Demo — {scenario.title}",
                code=DEMO_EXERCISE_CODE,
                seed=2026,
            )

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Cumbre is ready.")))
        self.stdout.write(_("  Open:        %(url)s") % {"url": url})
        self.stdout.write(_("  Admin:       %(url)s") % {"url": f"{url}admin/"})
        self.stdout.write(
            _("  Sign in as:  %(user)s / %(password)s")
            % {"user": DEMO_USERNAME, "password": password}
        )
        self.stdout.write(
            _("  Demo exercise: %(title)s (code %(code)s, %(teams)s teams)")
            % {"title": exercise.title, "code": exercise.code, "teams": exercise.teams.count()}
        )
        self.stdout.write("")
