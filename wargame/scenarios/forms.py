"""Forms of the scenario studio: a file to upload, the upload to save once previewed, a copy,
an entry edited in the browser, and a simulation to run."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wargame.lib.forms import TextField
from wargame.lib.nations import nation_name
from wargame.scenarios.fileformat import ScenarioSpec, slug_refusal
from wargame.scenarios.models import (
    MAX_SIMULATION_RUNS,
    NOTE_MAX_LENGTH,
    ActionType,
    DeliveryMethod,
    InjectKind,
    Simulation,
)
from wargame.scenarios.selectors import scenario_latest, scenarios_latest
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


class DuplicateForm(forms.Form):
    """A copy of a scenario under a slug of its own, to adapt to a region or a course."""

    slug = forms.SlugField(
        label=_("Slug of the copy"),
        max_length=80,
        help_text=_("Lower-case letters, digits and single hyphens: it names the scenario."),
    )
    title = TextField(label=_("Title of the copy"), max_length=200)

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if (refusal := slug_refusal(slug)) is not None:
            raise forms.ValidationError(refusal)
        if scenario_latest(slug) is not None:
            raise forms.ValidationError(_("A scenario with this slug exists already."))
        return slug


# --- Editing one entry in the browser: the file format's fields, checked by its rules ----------
# The forms check only that each value is of its kind; the scenario file's rules (ranges,
# references, turns) check the rest, with the file's messages, beside the field.


class _EntryForm(forms.Form):
    """An entry's form: `values()` gives its fields under the file format's names."""

    # Form field → file format field, where they differ.
    renamed: dict[str, str] = {}

    def values(self) -> dict[str, object]:
        """The fields under the file's names; line breaks as a file has them."""
        return {
            self.renamed.get(name, name): value.replace("\r\n", "\n")
            if isinstance(value, str)
            else value
            for name, value in self.cleaned_data.items()
        }

    @classmethod
    def initial_of(cls, entry: dict[str, object]) -> dict[str, object]:
        back = {file: form for form, file in cls.renamed.items()}
        return {back.get(name, name): value for name, value in entry.items()}

    def errors_from(self, fields: dict[str, list[str]]) -> None:
        """The format's problems beside the fields they are about."""
        back = {file: form for form, file in self.renamed.items()}
        for name, messages in fields.items():
            name = back.get(name, name).replace("private.", PRIVATE)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class ScenarioTextsForm(_EntryForm):
    title = TextField(label=_("Title"))
    summary = TextField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    briefing = TextField(
        label=_("Public briefing"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown, seen by everyone."),
    )  # fmt: skip
    turns = forms.IntegerField(label=_("Turns"))
    game_time_per_turn = TextField(label=_("Game time per turn"))
    minutes_per_turn = forms.IntegerField(label=_("Real minutes per turn"))
    marking = TextField(
        label=_("Exercise marking"), required=False,
        help_text=_("Above and below every inject and on the report; empty: the default."),
    )  # fmt: skip


class NationEditForm(_EntryForm):
    stability = forms.IntegerField(label=_("Stability"))
    capacity = forms.IntegerField(label=_("Capacity"))
    budget = forms.IntegerField(label=_("Budget"), help_text=_("Action points per turn."))
    support = forms.IntegerField(label=_("Support at home"))
    objectives = forms.MultipleChoiceField(
        label=_("Objectives"), required=False, widget=forms.CheckboxSelectMultiple
    )
    briefing = TextField(
        label=_("Private briefing"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown, seen by this nation's team only."),
    )  # fmt: skip


class ObjectiveEditForm(_EntryForm):
    id = TextField(label=_("Id"), max_length=40, help_text=_("For example OBJ-7."))
    title = TextField(label=_("Title"))
    capability = TextField(label=_("Capability"))


PRIVATE = "private_"  # the form's field of a nation's private part: private_HTI


class InjectEditForm(_EntryForm):
    renamed = {"originator": "from"}

    id = TextField(label=_("Number"), max_length=40, help_text=_("For example M-21."))
    turn = forms.IntegerField(label=_("Turn"))
    kind = forms.ChoiceField(label=_("Kind"), choices=InjectKind.choices)
    originator = TextField(label=_("From"))
    to = forms.MultipleChoiceField(
        label=_("To"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every team."),
    )  # fmt: skip
    method = forms.ChoiceField(label=_("Delivery"), choices=DeliveryMethod.choices)
    title = TextField(label=_("Title"))
    message = TextField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))
    affects = forms.MultipleChoiceField(
        label=_("Nations affected"), required=False, widget=forms.CheckboxSelectMultiple
    )
    severity = forms.IntegerField(label=_("Severity"), help_text=_("1 to 5."))
    expected_actions = forms.MultipleChoiceField(
        label=_("Expected actions"), required=False, widget=forms.CheckboxSelectMultiple
    )
    objective = forms.ChoiceField(label=_("Objective"), required=False)
    contingency_for = forms.ChoiceField(
        label=_("Contingency for"), required=False,
        help_text=_("Delivered only if that inject is still unanswered."),
    )  # fmt: skip
    notes = TextField(
        label=_("Notes for evaluators"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def add_private_parts(self, nations: list[tuple[str, str]]) -> None:
        """A text for each nation after the message: what only its team reads with it."""
        fields = {}
        for name, field in self.fields.items():
            fields[name] = field
            if name == "message":
                for code, nation in nations:
                    fields[PRIVATE + code] = TextField(
                        label=_("Private part for %(nation)s") % {"nation": nation},
                        required=False, widget=forms.Textarea(attrs={"rows": 2}),
                        help_text=_("Read only by this nation's team, which receives the inject."),
                    )  # fmt: skip
        self.fields = fields

    def values(self) -> dict[str, object]:
        values = super().values()
        values["to"] = values["to"] or "all"
        private = {}
        for name in [name for name in values if name.startswith(PRIVATE)]:
            if text := values.pop(name):
                private[name.removeprefix(PRIVATE)] = text
        values["private"] = private
        return values

    @classmethod
    def initial_of(cls, entry: dict[str, object]) -> dict[str, object]:
        initial = super().initial_of(entry)
        if initial.get("to") == "all":
            initial["to"] = []
        private = initial.pop("private", None) or {}
        initial |= {PRIVATE + code: text for code, text in private.items()}  # type: ignore[union-attr]
        return initial


def entry_form(
    part: str, spec: ScenarioSpec, *, data: object = None, initial: dict | None = None,
    new: bool = False,
) -> _EntryForm:  # fmt: skip
    """The form of an entry of `part`, with the scenario's nations, objectives, actions and
    injects to choose from; an existing entry's id is not edited."""
    form_class = {
        "scenario": ScenarioTextsForm,
        "nation": NationEditForm,
        "objective": ObjectiveEditForm,
        "inject": InjectEditForm,
    }[part]
    form = form_class(data, initial=form_class.initial_of(initial or {}))
    nations = [(code, nation_name(code)) for code in spec.nation_codes]
    objectives = [(o.id, f"{o.id}: {o.title}") for o in spec.objectives]
    if "id" in form.fields and not new:
        del form.fields["id"]
    if part == "nation":
        form.fields["objectives"].choices = objectives
    if part == "inject":
        actions = {a.code: a.local_name for a in ActionType.objects.filter(code__in=spec.actions)}
        form.add_private_parts(nations)  # type: ignore[attr-defined]
        form.fields["to"].choices = nations
        form.fields["affects"].choices = nations
        form.fields["expected_actions"].choices = [(c, actions.get(c, c)) for c in spec.actions]
        form.fields["objective"].choices = [("", _("None")), *objectives]
        form.fields["contingency_for"].choices = [("", _("None: always delivered"))] + [
            (i.id, f"{i.id}: {i.title}") for i in spec.injects
        ]
    return form
