"""Forms of the control room and the team room: a new exercise, an inject, a move."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from wargame.exercises.models import (
    INJECT_MESSAGE_MAX_LENGTH,
    MOVE_INTENT_MAX_LENGTH,
    MOVE_REASONS_MAX_LENGTH,
    REASON_MAX_LENGTH,
    AdjudicationMode,
    Inject,
    Rating,
    Team,
)
from wargame.lib.forms import ChoiceOfRows, TextField
from wargame.scenarios.models import ActionType, InjectKind
from wargame.scenarios.selectors import scenarios_latest


class ExerciseForm(forms.Form):
    # Only the latest version of each scenario: older ones stay for the exercises that use them.
    scenario = ChoiceOfRows(scenarios_latest(), label=_("Scenario"))
    title = TextField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Leave empty to use the scenario's title."))  # fmt: skip
    minutes_per_turn = forms.IntegerField(
        label=_("Minutes per turn"), min_value=1, max_value=240, required=False,
        help_text=_("Leave empty to use the scenario's."),
    )  # fmt: skip
    adjudication_mode = forms.ChoiceField(
        label=_("Adjudication"),
        choices=AdjudicationMode.choices,
        initial=AdjudicationMode.AUTOMATIC,
    )
    auto_advance = forms.BooleanField(
        label=_("Close turns automatically at the deadline"), required=False, initial=True
    )


class MoveForm(forms.Form):
    action = ChoiceOfRows(ActionType.objects.none(), label=_("Action"), to_field_name="code")
    target_team = ChoiceOfRows(Team.objects.none(), label=_("Aimed at nation"), required=False)
    target_inject = ChoiceOfRows(Inject.objects.none(), label=_("Answers inject"), required=False)
    resources = forms.IntegerField(
        label=_("Action points"), min_value=0, max_value=100, required=False,
        help_text=_("At least the action's cost; each point more improves the chance a little."),
    )  # fmt: skip
    intended_result = TextField(
        label=_("Result wanted"), max_length=MOVE_INTENT_MAX_LENGTH, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    rationale = TextField(
        label=_("Reasons"), max_length=MOVE_REASONS_MAX_LENGTH, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    idempotency_key = TextField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: object, actions, others, injects, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = actions
        self.fields["action"].label_from_instance = lambda a: (
            ngettext("%(name)s (%(cost)s point)", "%(name)s (%(cost)s points)", a.cost)
            % {"name": a.local_name, "cost": a.cost}
        )
        self.fields["target_team"].queryset = others
        self.fields["target_inject"].queryset = injects
        # Players know an inject by its title and when it came, not by its MSEL number.
        self.fields["target_inject"].label_from_instance = lambda i: (
            _("%(title)s (turn %(turn)s)") % {"title": i.local_title, "turn": i.delivered_turn}
        )
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class InjectForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InjectKind.choices)
    title = TextField(label=_("Title"), max_length=300)
    message = TextField(
        label=_("Message"),
        max_length=INJECT_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    originator = TextField(label=_("From"), max_length=200, initial=_("Control"))
    to = forms.MultipleChoiceField(label=_("To (none: every team)"), required=False, choices=())
    severity = forms.IntegerField(label=_("Severity"), min_value=1, max_value=5, initial=3)

    def __init__(self, *args: object, nations: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(code, code) for code in nations]


class ExtendForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minutes"), min_value=-60, max_value=120, initial=5)


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label=pgettext_lazy("an argument", "Rating"),
        choices=[("", "—"), *Rating.choices],
        required=False,
    )


class OverrideForm(forms.Form):
    success = forms.TypedChoiceField(
        label=_("Outcome"), choices=[("1", _("Success")), ("0", _("Failure"))],
        coerce=lambda v: v == "1",
    )  # fmt: skip
    reason = TextField(label=_("Reason"), max_length=REASON_MAX_LENGTH)


class ObservationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=())
    objective = forms.ChoiceField(label=_("Objective"), required=False, choices=())
    turn = forms.TypedChoiceField(label=_("Turn"), required=False, choices=(), coerce=int,
                                  empty_value=None)  # fmt: skip
    inject = forms.TypedChoiceField(
        label=_("Inject it concerns"), required=False, choices=(), coerce=int, empty_value=None
    )
    move = forms.TypedChoiceField(
        label=_("Move it concerns"), required=False, choices=(), coerce=int, empty_value=None,
        help_text=_("Moves of this turn and the last one."),
    )  # fmt: skip
    text = TextField(
        label=_("Observation"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        # The after-action report is no-fault: it speaks of capabilities, not of culprits.
        help_text=_(
            "Describe what happened to the capability, not who is to blame: “requests for "
            "relief reached partners a turn late”, not “Costa Rica refused”."
        ),
    )

    def __init__(
        self, *args: object, objectives, kinds, turns: int = 0, injects=(), moves=(),
        **kwargs: object,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["objective"].choices = [("", "—")] + [
            (str(o.pk), f"{o.code} · {o.local_title}") for o in objectives
        ]
        self.fields["kind"].choices = kinds
        self.fields["turn"].choices = [("", "—")] + [(n, n) for n in range(turns, 0, -1)]
        self.fields["turn"].initial = turns or None
        self.fields["inject"].choices = [("", "—")] + [
            (i.pk, f"{i.code} · {i.local_title}") for i in injects
        ]
        self.fields["move"].choices = [("", "—")] + [
            (m.pk, f"T{m.turn.number} · {m.team.nation_code} · {m.action_type.local_name}")
            for m in moves
        ]
