from django.contrib import admin

from wargame.exercises.models import Event, Exercise, Inject, Move, Participant, Team, Turn


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0
    fields = ["nation_code", "stability", "capacity", "budget", "budget_per_turn", "ready"]


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "scenario", "status", "current_turn", "created_at"]
    list_filter = ["status", "adjudication_mode", "scenario"]
    search_fields = ["title", "code", "scenario__title"]
    list_select_related = ["scenario"]
    readonly_fields = ["version", "created_at", "started_at", "finished_at"]
    inlines = [TeamInline, ParticipantInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["nation_code", "exercise", "stability", "capacity", "budget", "ready"]
    list_filter = ["exercise", "ready"]
    search_fields = ["nation_code", "exercise__title", "exercise__code"]
    list_select_related = ["exercise"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["user", "exercise", "role", "team"]
    list_filter = ["role", "exercise"]
    search_fields = ["user__username", "exercise__title", "team__nation_code"]
    list_select_related = ["user", "exercise", "team"]


@admin.register(Turn)
class TurnAdmin(admin.ModelAdmin):
    list_display = ["exercise", "number", "opened_at", "closed_at", "published_at"]
    list_filter = ["exercise"]
    search_fields = ["exercise__title"]
    list_select_related = ["exercise"]


@admin.register(Inject)
class InjectAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "exercise", "turn", "kind", "status", "pressure"]
    list_filter = ["status", "kind", "exercise"]
    search_fields = ["code", "title", "message"]
    list_select_related = ["exercise"]
    raw_id_fields = ["template", "contingency_for"]


@admin.register(Move)
class MoveAdmin(admin.ModelAdmin):
    list_display = ["team", "action_type", "exercise", "turn", "status", "submitted_at"]
    list_filter = ["status", "action_type", "exercise"]
    search_fields = ["team__nation_code", "rationale", "intended_result"]
    list_select_related = ["team", "action_type", "exercise", "turn"]
    raw_id_fields = ["turn", "team", "target_team", "target_inject", "submitted_by"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "exercise", "turn", "team", "actor"]
    list_filter = ["kind", "exercise"]
    search_fields = ["kind", "exercise__title"]
    list_select_related = ["exercise", "team", "actor"]

    # The log is append-only, in the admin as everywhere else.
    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
