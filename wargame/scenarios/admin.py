"""The admin's view of the scenario catalogue."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import ForeignKey, Model, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext as _

from wargame.lib.admin_guard import (
    GuardedModelAdmin,
    GuardedStackedInline,
    GuardedTabularInline,
    ReadOnlyReason,
)
from wargame.scenarios.models import (
    ActionType,
    InjectTemplate,
    Objective,
    Scenario,
    ScenarioNation,
    ScenarioTrust,
)


def scenario_of(obj: Model) -> Scenario | None:
    """The scenario version a row belongs to, if it belongs to one."""
    if isinstance(obj, Scenario):
        return obj
    if getattr(obj, "scenario_id", None) is not None:
        return obj.scenario
    return None


def scenarios_unused() -> QuerySet[Scenario]:
    """Scenario versions no exercise uses: the ones the admin may change."""
    return Scenario.objects.filter(exercises__isnull=True)


def scenario_read_only_reason(obj: Model) -> str | None:
    """Why the admin must not change this row: a saved version of a scenario is never changed.
    Exercises keep the version they started with (their rooms and reports quote it), and every
    change is a new version, with who made it and what it changed, in the scenario's history."""
    scenario = scenario_of(obj)
    if scenario is None or scenario.pk is None:
        return None
    if scenario.exercises.exists():
        return _(
            "Read-only: exercises use version %(version)s of “%(scenario)s” and keep it as it "
            "is. Edit the scenario on its page, or load the changed file: either saves a new "
            "version, which new exercises will use."
        ) % {"version": scenario.version, "scenario": scenario.title}
    return _(
        "Read-only: a saved version of “%(scenario)s” is never changed. Edit the scenario on "
        "its page, or load the changed file: either saves the next version, with who changed "
        "what in its history."
    ) % {"scenario": scenario.title}


class ScenarioRule(ReadOnlyReason):
    def read_only_reason(self, obj: Model) -> str | None:
        return scenario_read_only_reason(obj)


class ScenarioOwnedAdmin(ScenarioRule, GuardedModelAdmin):
    """The admin of a part of a scenario: read-only once saved, since a version never changes
    (the scenario's page edits it into the next version)."""

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.related_model is Scenario:
            kwargs["queryset"] = scenarios_unused()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScenarioAdminForm(forms.ModelForm):
    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if self.instance.pk is None and Scenario.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _(
                    "A scenario with this slug exists. Edit it on its page, or load its file: "
                    "each change saves a new version."
                )
            )
        return slug


class ObjectiveInline(ScenarioRule, GuardedTabularInline):
    model = Objective
    extra = 0
    fields = ["code", "title", "capability", "position"]


class NationInline(ScenarioRule, GuardedStackedInline):
    model = ScenarioNation
    extra = 0
    fields = [
        "code",
        "stability",
        "capacity",
        "support",
        "budget",
        "objectives",
        "briefing",
        "position",
    ]
    filter_horizontal = ["objectives"]


class TrustInline(ScenarioRule, GuardedTabularInline):
    model = ScenarioTrust
    extra = 0


@admin.register(Scenario)
class ScenarioAdmin(ScenarioOwnedAdmin):
    form = ScenarioAdminForm
    list_display = ["title", "slug", "version", "turns", "minutes_per_turn", "updated_at"]
    search_fields = ["title", "slug", "summary"]
    list_filter = ["turns", "actions"]
    filter_horizontal = ["actions"]
    readonly_fields = ["version", "source_path", "created_at", "updated_at"]
    inlines = [ObjectiveInline, NationInline, TrustInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Scenario | None = None) -> list[str]:
        # The slug names every version of the scenario; a load finds them by it.
        extra = ["slug"] if obj is not None else []
        return [*super().get_readonly_fields(request, obj), *extra]


@admin.register(InjectTemplate)
class InjectTemplateAdmin(ScenarioOwnedAdmin):
    list_display = ["code", "title", "scenario", "turn", "kind", "severity", "method"]
    list_filter = ["scenario", "kind", "method", "severity", "turn"]
    search_fields = ["code", "title", "message", "originator"]
    list_select_related = ["scenario"]
    raw_id_fields = ["contingency_for", "objective"]


@admin.register(ScenarioNation)
class ScenarioNationAdmin(ScenarioOwnedAdmin):
    list_display = ["code", "scenario", "stability", "capacity", "support", "budget"]
    list_filter = ["scenario"]
    search_fields = ["code", "briefing"]
    list_select_related = ["scenario"]


@admin.register(Objective)
class ObjectiveAdmin(ScenarioOwnedAdmin):
    list_display = ["code", "title", "capability", "scenario"]
    list_filter = ["scenario"]
    search_fields = ["code", "title", "capability"]
    list_select_related = ["scenario"]


@admin.register(ActionType)
class ActionTypeAdmin(GuardedModelAdmin):
    list_display = ["code", "name", "cost", "mechanism"]
    list_filter = ["mechanism", "cost"]
    search_fields = ["code", "name", "description"]

    def read_only_reason(self, obj: Model) -> str | None:
        if not obj.scenarios.filter(exercises__isnull=False).exists():
            return None
        return _(
            "Read-only: exercises offer this action, and a change here would alter their moves "
            "without a trace. Action types come from the built-in catalogue, which every "
            "scenario load writes again."
        )
