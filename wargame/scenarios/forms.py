"""Forms of the scenario studio: a file to upload, and the upload to save once previewed."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wargame.lib.forms import TextField
from wargame.scenarios.models import NOTE_MAX_LENGTH
from wargame.scenarios.selectors import scenarios_latest
from wargame.scenarios.uploads import Upload

NOTE = {
    "label": _("Note for the history"),
    "max_length": NOTE_MAX_LENGTH,
    "required": False,
    "help_text": _("What this version is for, in a line: it is shown in the scenario's history."),
}


def _scenario_choices() -> list[tuple[str, str]]:
    return [("", _("None: the file is a scenario"))] + [
        (scenario.slug, f"{scenario.local_title} ({scenario.slug})")
        for scenario in scenarios_latest()
    ]


def _language_choices() -> list[tuple[str, str]]:
    return [("", _("The scenario's own")), *settings.LANGUAGES]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A scenario file (.yaml), or an MSEL spreadsheet (.csv) to replace a scenario's "
            "injects. Nothing is saved until you have seen what it changes."
        ),
    )
    scenario = forms.ChoiceField(label=_("Scenario of the MSEL"), required=False)
    language = forms.ChoiceField(label=_("Language of the MSEL's texts"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["scenario"].choices = _scenario_choices()
        self.fields["language"].choices = _language_choices()


class ApplyForm(forms.Form):
    """The previewed upload, sent back to be saved: checked again from its text."""

    text = forms.CharField(strip=False, widget=forms.Textarea(attrs={"hidden": True}))
    name = forms.CharField(max_length=200, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        choices=[("scenario", "scenario"), ("msel", "msel")], widget=forms.HiddenInput
    )
    scenario = forms.SlugField(required=False, widget=forms.HiddenInput)
    language = forms.ChoiceField(required=False, widget=forms.HiddenInput)
    base = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    note = TextField(**NOTE)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["language"].choices = _language_choices()

    def upload(self) -> Upload:
        data = self.cleaned_data
        text = data["text"].replace("\r\n", "\n")
        return Upload(data["name"], text, data["kind"], data["scenario"], data["language"] or None)
