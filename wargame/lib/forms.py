"""The fields every form shares: text with control characters refused as scenario files
refuse them, and a list's empty first line in Cumbre's words."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wargame.lib.text import control_character


def refuse_control_characters(value: str) -> None:
    """Text holds no control character but tabs and line breaks: the rule of scenario files
    and MSEL spreadsheets, so what a form accepts a file could hold, and the reverse."""
    if (character := control_character(value)) is not None:
        raise ValidationError(
            _("This text contains the control character %(character)s; remove it."),
            code="control_character",
            params={"character": character},
        )


class TextField(forms.CharField):
    """A form's text field: Django's, with control characters refused (Django refuses NUL)."""

    default_validators = [refuse_control_characters]


class ChoiceOfRows(forms.ModelChoiceField):
    """A list of rows to choose one from, whose empty first line reads "Choose…" in the
    reader's language (Django's own label is not yet in its Spanish or Portuguese catalogue)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("empty_label", _("Choose…"))
        super().__init__(*args, **kwargs)
