"""Forms of the scenario studio: a file to upload, the upload to save once previewed, and a
simulation to run."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wargame.lib.forms import TextField
from wargame.scenarios.models import MAX_SIMULATION_RUNS, NOTE_MAX_LENGTH, Simulation
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


class SimulateForm(forms.Form):
    """What to simulate: how the seats are played, how many plays, from which seed."""

    play = forms.ChoiceField(
        label=_("Play"),
        choices=Simulation.Play.choices,
        initial=Simulation.Play.BOTS,
        widget=forms.RadioSelect,
        help_text=_(
            "People rarely play as well as the scripted bots: compare with weaker play before "
            "the session."
        ),
    )
    empty = forms.MultipleChoiceField(
        label=_("Seats left empty"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For “Some seats left empty”: the nations nobody plays."),
    )
    runs = forms.IntegerField(
        label=_("Plays"), min_value=1, max_value=MAX_SIMULATION_RUNS, initial=200,
        help_text=_("Each with its own seed; 200 are enough to see the spread."),
    )  # fmt: skip
    seed = forms.IntegerField(
        label=_("First seed"), min_value=0, max_value=2**31 - 1, initial=1,
        help_text=_("The same seed gives the same figures."),
    )  # fmt: skip

    def __init__(self, *args: object, nations: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["empty"].choices = nations

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("play") == Simulation.Play.EMPTY and not data.get("empty"):
            self.add_error("empty", _("Choose the seats nobody plays."))
        return data
