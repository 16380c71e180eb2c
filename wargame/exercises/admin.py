"""The admin's read-only view of exercises and what they hold."""

from typing import Any

from django.contrib import admin
from django.db.models import Exists, ForeignKey, Model, OuterRef, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext as _

from wargame.exercises.models import (
    Event,
    Exercise,
    Inject,
    Move,
    Participant,
    Role,
    Team,
    Turn,
)
from wargame.exercises.services.setup import exercise_delete
from wargame.lib.admin_guard import (
    GuardedModelAdmin,
    GuardedStackedInline,
    GuardedTabularInline,
    ReadOnlyReason,
)

# Before the start, and before anyone but its facilitators has a seat, nobody sees the
# exercise: the admin may still set it up. Players see their team room from the moment they
# join, draft or not.
SET_UP = (Exercise.Status.DRAFT, Exercise.Status.LOBBY)


def exercise_of(obj: Model) -> Exercise | None:
    """The exercise a row belongs to, if it belongs to one."""
    if isinstance(obj, Exercise):
        return obj
    if getattr(obj, "exercise_id", None) is not None:
        return obj.exercise
    if getattr(obj, "proposal_id", None) is not None:  # a proposal's rounds and parties
        return obj.proposal.exercise
    return None


def exercises_set_up() -> QuerySet[Exercise]:
    """Exercises nobody but their facilitators sees yet: the ones the admin may change."""
    seated = Participant.objects.filter(exercise=OuterRef("pk")).exclude(role=Role.FACILITATOR)
    return Exercise.objects.filter(status__in=SET_UP).exclude(Exists(seated))


def exercise_read_only_reason(obj: Model) -> str | None:
    """Why the admin must not change this row: people in its exercise see it, and a change
    made here would reach neither the log nor their pages."""
    exercise = exercise_of(obj)
    if exercise is None:
        return None
    if exercise.status not in SET_UP:
        return _(
            "Read-only: the exercise “%(exercise)s” has started (status: %(status)s) and its "
            "participants see what this page shows. Make changes in the exercise's own pages, "
            "where each one is logged and reaches everyone who sees it."
        ) % {"exercise": exercise.title, "status": exercise.get_status_display()}
    if exercise.participants.exclude(role=Role.FACILITATOR).exists():
        return _(
            "Read-only: people have joined the exercise “%(exercise)s” and see what this page "
            "shows. Make changes in the exercise's own pages, where each one is logged and "
            "reaches everyone who sees it."
        ) % {"exercise": exercise.title}
    return None


class ExerciseRule(ReadOnlyReason):
    def read_only_reason(self, obj: Model) -> str | None:
        return exercise_read_only_reason(obj)


class ExerciseOwnedAdmin(ExerciseRule, GuardedModelAdmin):
    """The admin of a row of an exercise: read-only once people see the exercise, and a new
    row only for an exercise nobody sees yet."""

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.related_model is Exercise:
            kwargs["queryset"] = exercises_set_up()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ExerciseTabularInline(ExerciseRule, GuardedTabularInline):
    pass


class ExerciseStackedInline(ExerciseRule, GuardedStackedInline):
    pass


class TeamInline(ExerciseTabularInline):
    model = Team
    extra = 0
    fields = [
        "nation_code",
        "stability",
        "capacity",
        "support",
        "budget",
        "budget_per_turn",
        "ready",
    ]


class ParticipantInline(ExerciseTabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Exercise)
class ExerciseAdmin(ExerciseOwnedAdmin):
    list_display = ["title", "code", "scenario", "status", "current_turn", "created_at"]
    list_filter = ["status", "adjudication_mode", "scenario"]
    search_fields = ["title", "code", "scenario__title"]
    list_select_related = ["scenario"]
    # The state of play changes only through the clock's services, which log each step.
    readonly_fields = [
        "status",
        "current_turn",
        "turn_deadline",
        "paused_seconds_left",
        "regional_stability",
        "version",
        "created_at",
        "started_at",
        "finished_at",
    ]
    inlines = [TeamInline, ParticipantInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Exercise | None = None) -> list[str]:
        # Its teams and injects were copied from this scenario version when it was created.
        extra = ["scenario"] if obj is not None else []
        return [*super().get_readonly_fields(request, obj), *extra]

    # An exercise goes with its log only through the service that may remove a log.
    def delete_model(self, request: HttpRequest, obj: Exercise) -> None:
        exercise_delete(actor=None, exercise=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Exercise]) -> None:
        for exercise in queryset:
            exercise_delete(actor=None, exercise=exercise)


@admin.register(Team)
class TeamAdmin(ExerciseOwnedAdmin):
    list_display = [
        "nation_code",
        "exercise",
        "stability",
        "capacity",
        "support",
        "budget",
        "ready",
    ]
    list_filter = ["exercise", "ready"]
    search_fields = ["nation_code", "exercise__title", "exercise__code"]
    list_select_related = ["exercise"]


@admin.register(Participant)
class ParticipantAdmin(ExerciseOwnedAdmin):
    list_display = ["user", "exercise", "role", "team"]
    list_filter = ["role", "exercise"]
    search_fields = ["user__username", "exercise__title", "team__nation_code"]
    list_select_related = ["user", "exercise", "team"]


@admin.register(Turn)
class TurnAdmin(ExerciseOwnedAdmin):
    list_display = ["exercise", "number", "opened_at", "closed_at", "published_at"]
    list_filter = ["exercise"]
    search_fields = ["exercise__title"]
    list_select_related = ["exercise"]


@admin.register(Inject)
class InjectAdmin(ExerciseOwnedAdmin):
    list_display = ["code", "title", "exercise", "turn", "kind", "status", "pressure"]
    list_filter = ["status", "kind", "exercise"]
    search_fields = ["code", "title", "message"]
    list_select_related = ["exercise"]
    raw_id_fields = ["template", "contingency_for"]


@admin.register(Move)
class MoveAdmin(ExerciseOwnedAdmin):
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
