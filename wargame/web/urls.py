"""Addresses of an exercise: the control room, the team rooms, the pulse, the reports."""

from django.urls import path, register_converter

from wargame.negotiation import views as negotiation
from wargame.reports.views import downloads, feedback, hotwash
from wargame.web import views


class NationConverter:
    """A nation's code in an address: three letters (the room takes them in either case).
    Anything else is no page, rather than a text the database is asked about."""

    regex = "[A-Za-z]{3}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(NationConverter, "nation")

app_name = "exercises"
urlpatterns = [
    path("new/", views.exercise_new, name="new"),
    path("<slug:code>/lobby/", views.lobby, name="lobby"),
    path("<slug:code>/invites/revoke/", views.invite_revoke_view, name="invite_revoke"),
    path("<slug:code>/invites/join-code/", views.join_code_view, name="join_code"),
    path("<slug:code>/delete/", views.exercise_delete_view, name="delete"),
    path("<slug:code>/control/", views.control, name="control"),
    path("<slug:code>/projector/", views.projector, name="projector"),
    path("<slug:code>/clock/<slug:action>/", views.clock, name="clock"),
    path("<slug:code>/injects/new/", views.inject_new, name="inject_new"),
    path("<slug:code>/injects/<int:inject_id>/<slug:action>/", views.inject_action, name="inject"),
    path("<slug:code>/moves/<int:move_id>/<slug:action>/", views.move_review, name="move_review"),
    path("<slug:code>/team/<nation:nation>/", views.team_room, name="team"),
    path("<slug:code>/team/<nation:nation>/bot/", views.team_bot, name="team_bot"),
    path("<slug:code>/team/<nation:nation>/moves/", views.move_new, name="move_new"),
    path(
        "<slug:code>/team/<nation:nation>/moves/<int:move_id>/withdraw/",
        views.move_withdraw,
        name="move_withdraw",
    ),
    path("<slug:code>/team/<nation:nation>/ready/", views.team_ready, name="ready"),
    path(
        "<slug:code>/team/<nation:nation>/channels/read/",
        negotiation.channel_read,
        name="channel_read",
    ),
    path(
        "<slug:code>/team/<nation:nation>/proposals/new/",
        negotiation.proposal_new,
        name="proposal_new",
    ),
    path(
        "<slug:code>/team/<nation:nation>/proposals/<int:proposal_id>/<slug:action>/",
        negotiation.proposal_act,
        name="proposal_act",
    ),
    path(
        "<slug:code>/team/<nation:nation>/agreements/<int:agreement_id>/leave/",
        negotiation.agreement_leave,
        name="agreement_leave",
    ),
    path(
        "<slug:code>/agreements/<int:agreement_id>/void/",
        negotiation.agreement_void,
        name="agreement_void",
    ),
    path("<slug:code>/messages/", negotiation.message_new, name="message_new"),
    path("<slug:code>/evaluate/", views.evaluate, name="evaluate"),
    path("<slug:code>/tasks/<int:task_id>/", views.task_rate_view, name="task_rate"),
    path("<slug:code>/pulse/", views.pulse, name="pulse"),
    path("<slug:code>/report/<slug:fmt>/", downloads.report_download, name="report"),
    path(
        "<slug:code>/report/<slug:fmt>/progress/",
        downloads.report_progress,
        name="report_progress",
    ),
    path("<slug:code>/team/<nation:nation>/debrief/", downloads.debrief, name="debrief"),
    path("<slug:code>/hotwash/", hotwash.hotwash, name="hotwash"),
    path(
        "<slug:code>/hotwash/objectives/<int:objective_id>/rating/",
        hotwash.rating_save,
        name="hotwash_rating",
    ),
    path("<slug:code>/hotwash/summary/", hotwash.summary_edit, name="hotwash_summary"),
    path("<slug:code>/hotwash/plan/new/", hotwash.item_save, name="hotwash_item_new"),
    path("<slug:code>/hotwash/plan/prefill/", hotwash.plan_prefill, name="hotwash_prefill"),
    path("<slug:code>/hotwash/plan/<int:item_id>/", hotwash.item_save, name="hotwash_item"),
    path(
        "<slug:code>/hotwash/plan/<int:item_id>/delete/",
        hotwash.item_delete,
        name="hotwash_item_delete",
    ),
    path("<slug:code>/feedback/", feedback.feedback, name="feedback"),
]
