from django.contrib import admin

from wargame.reports.models import Observation


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "objective", "exercise", "evaluator", "turn"]
    list_filter = ["kind", "exercise"]
    search_fields = ["text", "objective__title"]
    list_select_related = ["objective", "exercise", "evaluator"]
