"""The web layer's app: its template tags, tasks, command and receivers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "wargame.web"
    label = "web"
    verbose_name = _("Pages")
