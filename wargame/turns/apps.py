"""The turn cycle's app: its tasks, commands and receivers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TurnsConfig(AppConfig):
    name = "wargame.turns"
    label = "turns"
    verbose_name = _("Turn cycle")
