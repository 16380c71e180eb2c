"""Forms of negotiation: a proposal, a counter-proposal, a message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wargame.lib.forms import TextField
from wargame.negotiation.models import (
    MAX_DURATION,
    MESSAGE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    TERMS_MAX_LENGTH,
)


class ProposalForm(forms.Form):
    action = forms.ChoiceField(label=_("Agreement on"), choices=())
    parties = forms.MultipleChoiceField(
        label=_("With"), choices=(), widget=forms.CheckboxSelectMultiple
    )
    points_own = forms.IntegerField(
        label=_("We commit (points per turn)"), min_value=0, max_value=10, initial=1
    )
    points_others = forms.IntegerField(
        label=_("Each partner commits (points per turn)"), min_value=0, max_value=10, initial=1
    )
    terms = TextField(
        label=_("Terms"), max_length=TERMS_MAX_LENGTH, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    duration = forms.IntegerField(label=_("Turns"), min_value=1, max_value=MAX_DURATION, initial=3)

    def __init__(self, *args: object, actions: list, others: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a.code, a.local_name) for a in actions]
        self.fields["parties"].choices = [(t.nation_code, t.name) for t in others]


class CounterForm(forms.Form):
    """The terms of the current round, one commitment per party, ready to change."""

    duration = forms.IntegerField(label=_("Turns"), min_value=1, max_value=MAX_DURATION)
    note = TextField(label=_("Note"), max_length=NOTE_MAX_LENGTH, required=False)

    def __init__(self, *args: object, round_=None, parties: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.codes = [p.team.nation_code for p in parties]
        for party in parties:
            code = party.team.nation_code
            current = (round_.commitments if round_ else {}).get(code, {})
            self.fields[f"points_{code}"] = forms.IntegerField(
                label=_("%(team)s commits (points per turn)") % {"team": party.team.name},
                min_value=0, max_value=10, initial=current.get("points", 0),
            )  # fmt: skip
            self.fields[f"terms_{code}"] = TextField(
                label=_("%(team)s's terms") % {"team": party.team.name},
                max_length=TERMS_MAX_LENGTH,
                required=False, initial=current.get("terms", ""),
            )  # fmt: skip
        if round_ is not None:
            self.fields["duration"].initial = round_.duration_turns

    def commitments(self) -> dict[str, dict[str, object]]:
        return {
            code: {
                "points": self.cleaned_data[f"points_{code}"],
                "terms": self.cleaned_data[f"terms_{code}"],
            }
            for code in self.codes
        }


class MessageForm(forms.Form):
    channel = TextField(widget=forms.HiddenInput, max_length=40)
    body = TextField(
        label=_("Message"), max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MESSAGE_MAX_LENGTH}),
        error_messages={"max_length": _("A message is at most %(limit_value)d characters.")},
    )  # fmt: skip
    speaks_as = TextField(label=_("Speak as"), max_length=120, required=False)
