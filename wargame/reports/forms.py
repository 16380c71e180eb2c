"""Forms of the hotwash: an objective's rating, the executive summary, an improvement plan row."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wargame.lib.forms import TextField
from wargame.reports.models import CapabilityElement, Rating
from wargame.reports.services.hotwash import DATES_OUT_OF_ORDER, departure_reason
from wargame.reports.services.observations import COMMENT_MAX_LENGTH
from wargame.scenarios.models import Objective


class RatingForm(forms.Form):
    """An objective's final rating; one that departs from the proposal needs a comment."""

    rating = forms.ChoiceField(
        label=_("Final rating"), choices=Rating.choices, widget=forms.RadioSelect
    )
    comment = TextField(
        label=_("Comment"), max_length=4000, required=False,
        help_text=_("Why this rating; required where it departs from the proposal."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args: Any, proposed: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposed = proposed

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        rating = data.get("rating")
        if rating and rating != self.proposed and not data.get("comment", "").strip():
            self.add_error("comment", departure_reason(self.proposed, rating))
        return data


class TaskRatingForm(forms.Form):
    """An evaluator's rating of a critical task, with what they saw."""

    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices)
    comment = TextField(
        label=_("What you saw"), max_length=COMMENT_MAX_LENGTH, required=False, strip=True
    )


class SummaryForm(forms.Form):
    text = TextField(
        label=_("Executive summary"), max_length=20000, required=False, strip=True,
        help_text=_("Separate paragraphs with a blank line. Saved unchanged, or empty, the "
                    "report carries the generated draft, drawn again from the ratings whenever "
                    "it is printed."),
        widget=forms.Textarea(attrs={"rows": 12}),
    )  # fmt: skip
    # The generated draft the text area started from, to tell an edited summary from it.
    draft = TextField(required=False, strip=False, widget=forms.HiddenInput)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")  # what a date input sends and shows


class ImprovementItemForm(forms.Form):
    """One row of the improvement plan. On the page each row is a table row whose fields
    belong to the row's form by their `form` attribute (a form cannot wrap a table row)."""

    objective = forms.ChoiceField(label=_("Objective"), required=False, choices=())
    core_capability = TextField(
        label=_("Core capability"), max_length=200, required=False,
        help_text=_("Blank: the objective's capability."),
    )  # fmt: skip
    issue = TextField(
        label=_("Area for improvement"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    corrective_action = TextField(
        label=_("Corrective action"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    element = forms.ChoiceField(
        label=_("Capability element"), required=False,
        choices=[("", "—"), *CapabilityElement.choices],
    )  # fmt: skip
    organisation = TextField(
        label=_("Primary responsible organization"), max_length=200, required=False
    )
    point_of_contact = TextField(label=_("Organization POC"), max_length=200, required=False)
    start = forms.DateField(label=_("Start date"), required=False, widget=DateInput)
    completion = forms.DateField(label=_("Completion date"), required=False, widget=DateInput)

    def __init__(
        self, *args: Any, objectives: list[Objective], form_id: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.form_id = form_id
        self.objectives = {str(o.pk): o for o in objectives}
        # Choices from the objectives already read: a queryset would cost a query per row.
        self.fields["objective"].choices = [("", "—")] + [(str(o.pk), o.code) for o in objectives]
        for field in self.fields.values():
            field.widget.attrs["form"] = form_id

    def clean_objective(self) -> Objective | None:
        return self.objectives.get(self.cleaned_data["objective"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, completion = data.get("start"), data.get("completion")
        if start and completion and completion < start:
            self.add_error("completion", DATES_OUT_OF_ORDER)
        return data
