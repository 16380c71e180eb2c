from django.contrib import admin

from wargame.scenarios.models import (
    ActionType,
    InjectTemplate,
    Objective,
    Scenario,
    ScenarioNation,
    ScenarioTrust,
)


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0
    fields = ["code", "title", "capability", "position"]


class NationInline(admin.StackedInline):
    model = ScenarioNation
    extra = 0
    fields = ["code", "stability", "capacity", "budget", "objectives", "briefing", "position"]
    filter_horizontal = ["objectives"]


class TrustInline(admin.TabularInline):
    model = ScenarioTrust
    extra = 0


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "turns", "minutes_per_turn", "updated_at"]
    search_fields = ["title", "slug", "summary"]
    list_filter = ["turns", "actions"]
    filter_horizontal = ["actions"]
    readonly_fields = ["source_path", "created_at", "updated_at"]
    inlines = [ObjectiveInline, NationInline, TrustInline]


@admin.register(InjectTemplate)
class InjectTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "scenario", "turn", "kind", "severity", "method"]
    list_filter = ["scenario", "kind", "method", "severity", "turn"]
    search_fields = ["code", "title", "message", "originator"]
    list_select_related = ["scenario"]
    raw_id_fields = ["contingency_for", "objective"]


@admin.register(ScenarioNation)
class ScenarioNationAdmin(admin.ModelAdmin):
    list_display = ["code", "scenario", "stability", "capacity", "budget"]
    list_filter = ["scenario"]
    search_fields = ["code", "briefing"]
    list_select_related = ["scenario"]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "capability", "scenario"]
    list_filter = ["scenario"]
    search_fields = ["code", "title", "capability"]
    list_select_related = ["scenario"]


@admin.register(ActionType)
class ActionTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "cost", "mechanism"]
    list_filter = ["mechanism", "cost"]
    search_fields = ["code", "name", "description"]
