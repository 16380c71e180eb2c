"""The scenarios app's configuration."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ScenariosConfig(AppConfig):
    name = "wargame.scenarios"
    label = "scenarios"
    verbose_name = _("Scenarios")

    def ready(self) -> None:
        from wargame.scenarios.services import actiontypes_sync_after_migrate

        post_migrate.connect(actiontypes_sync_after_migrate, sender=self)
