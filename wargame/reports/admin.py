"""The admin's read-only view of observations, ratings and the improvement plan."""

from django.contrib import admin

from wargame.exercises.admin import ExerciseOwnedAdmin
from wargame.reports.models import (
    ExecutiveSummary,
    FeedbackResponse,
    ImprovementItem,
    ObjectiveRating,
    Observation,
)


@admin.register(Observation)
class ObservationAdmin(ExerciseOwnedAdmin):
    list_display = ["created_at", "kind", "objective", "exercise", "evaluator", "turn"]
    list_filter = ["kind", "exercise"]
    search_fields = ["text", "objective__title"]
    list_select_related = ["objective", "exercise", "evaluator"]
    raw_id_fields = ["inject", "move"]


@admin.register(ObjectiveRating)
class ObjectiveRatingAdmin(ExerciseOwnedAdmin):
    list_display = ["objective", "exercise", "proposed", "rating"]
    list_filter = ["rating", "proposed", "exercise"]
    search_fields = ["objective__code", "objective__title", "comment"]
    list_select_related = ["objective", "exercise"]


@admin.register(ImprovementItem)
class ImprovementItemAdmin(ExerciseOwnedAdmin):
    list_display = ["issue", "exercise", "element", "organisation", "completion"]
    list_filter = ["element", "exercise"]
    search_fields = ["issue", "corrective_action", "organisation", "point_of_contact"]
    list_select_related = ["exercise"]


@admin.register(ExecutiveSummary)
class ExecutiveSummaryAdmin(ExerciseOwnedAdmin):
    list_display = ["exercise", "edited_by", "edited_at"]
    list_filter = ["edited_at"]
    search_fields = ["text", "exercise__title", "exercise__code"]
    list_select_related = ["exercise", "edited_by"]


@admin.register(FeedbackResponse)
class FeedbackResponseAdmin(ExerciseOwnedAdmin):
    list_display = ["exercise", "participant", "named", "submitted_at"]
    list_filter = ["named", "exercise"]
    search_fields = ["exercise__title", "exercise__code"]
    list_select_related = ["exercise", "participant"]
    raw_id_fields = ["participant"]
