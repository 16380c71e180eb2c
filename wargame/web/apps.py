"""The web layer's app: its template tags, tasks, command and receivers."""

from django.apps import AppConfig
from django.db.models import fields
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "wargame.web"
    label = "web"
    verbose_name = _("Pages")

    def ready(self) -> None:
        # The first line of a list to choose from, in our words and catalogues (Django's own
        # is not yet translated into Spanish or Portuguese).
        fields.BLANK_CHOICE_LABEL = _("Choose…")
