"""The form renderer: Django's own form and widget templates through Jinja2, others as usual.

Jinja2 renders Django's built-in form templates (the same HTML) in about half the time of the
Django template engine, and a team room holds four forms whose choice lists grow with the
nations and injects, rendered for every team at each turn change. Templates Jinja2 does not
have (the admin's widgets, any project template) are rendered by the Django engine.
"""

from typing import Any

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template.exceptions import TemplateDoesNotExist


class FormRenderer(BaseRenderer):
    """Jinja2 first, the Django template engine for what Jinja2 does not hold."""

    def __init__(self) -> None:
        self.fast = Jinja2()
        self.usual = DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        try:
            return self.fast.get_template(template_name)
        except TemplateDoesNotExist:
            return self.usual.get_template(template_name)
