"""The exercises app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExercisesConfig(AppConfig):
    name = "wargame.exercises"
    label = "exercises"
    verbose_name = _("Exercises")

    def ready(self) -> None:
        # Tasks sent from web requests go through the project's Celery app and its broker.
        import wargame.celery  # noqa: F401
