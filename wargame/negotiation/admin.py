"""The admin's read-only view of proposals, agreements and messages."""

from django.contrib import admin

from wargame.exercises.admin import (
    ExerciseOwnedAdmin,
    ExerciseStackedInline,
    ExerciseTabularInline,
)
from wargame.negotiation.models import Agreement, Message, Proposal, ProposalParty, ProposalRound


class PartyInline(ExerciseTabularInline):
    model = ProposalParty
    extra = 0


class RoundInline(ExerciseStackedInline):
    model = ProposalRound
    extra = 0


@admin.register(Proposal)
class ProposalAdmin(ExerciseOwnedAdmin):
    list_display = ["action_type", "proposer", "exercise", "status", "opened_turn"]
    list_filter = ["status", "action_type", "exercise"]
    search_fields = ["proposer__nation_code", "exercise__title"]
    list_select_related = ["action_type", "proposer", "exercise"]
    inlines = [PartyInline, RoundInline]


@admin.register(Agreement)
class AgreementAdmin(ExerciseOwnedAdmin):
    list_display = ["action_type", "exercise", "status", "starts_turn", "ends_turn"]
    list_filter = ["status", "action_type", "exercise"]
    search_fields = ["exercise__title", "end_reason"]
    list_select_related = ["action_type", "exercise"]
    filter_horizontal = ["parties"]


@admin.register(Message)
class MessageAdmin(ExerciseOwnedAdmin):
    list_display = ["created_at", "channel", "exercise", "author_team", "speaks_as", "turn"]
    list_filter = ["channel", "exercise"]
    search_fields = ["body", "speaks_as"]
    list_select_related = ["exercise", "author_team"]
