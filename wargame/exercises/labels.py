"""Names people read for the codes the game keeps: kinds of logged events, move outcomes.

The log stores a kind such as `move.refused` for machines (the pulse, the report's CSV);
people read a label. Every kind recorded anywhere in the code has one here
(tests/exercises/test_labels.py reads the code to check it).
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Carried by every inject and the report, as real exercise traffic is marked, so that no
# message of the game is ever taken for a real one.
EXERCISE_MARKING = pgettext_lazy("the marking of exercise traffic", "EXERCISE EXERCISE EXERCISE")


def marking(scenario_marking: str) -> str:
    """The marking of an exercise: its scenario's, in the reader's language, or the default."""
    return scenario_marking or str(EXERCISE_MARKING)


EVENT_LABELS: dict[str, Promise] = {
    "exercise.created": _("Exercise created"),
    "exercise.started": _("Exercise started"),
    "exercise.paused": _("Clock paused"),
    "exercise.resumed": _("Clock resumed"),
    "exercise.finished": _("Exercise ended"),
    "participant.added": _("Participant joined"),
    "participant.invite_revoked": _("Invite link revoked"),
    "participant.invite_reopened": _("Invite link reopened"),
    "participant.join_code_changed": _("New join code"),
    "participant.join_code_off": _("Join code turned off"),
    "turn.opened": _("Turn opened"),
    "turn.extended": _("Turn time changed"),
    "turn.closed": _("Turn closed"),
    "turn.adjudicated": _("Outcomes ready for review"),
    "turn.published": _("Turn results published"),
    "inject.delivered": _("Inject delivered"),
    "inject.held": _("Inject held"),
    "inject.released": _("Inject released"),
    "inject.skipped": _("Inject skipped"),
    "inject.answered": _("Inject answered"),
    "move.submitted": _("Move submitted"),
    "move.refused": _("Move refused"),
    "move.withdrawn": _("Move withdrawn"),
    "move.rated": _("Argument rated"),
    "move.overridden": _("Outcome set by the facilitator"),
    "move.adjudicated": _("Move adjudicated"),
    "team.ready": _("Team ready"),
    "team.not_ready": _("Team no longer ready"),
    "team.bot": _("Team handed to a bot"),
    "team.people": _("Team given back to people"),
    "proposal.made": _("Agreement proposed"),
    "proposal.accepted": _("Proposal accepted"),
    "proposal.rejected": _("Proposal rejected"),
    "proposal.countered": _("Counter-proposal sent"),
    "proposal.withdrawn": _("Proposal withdrawn"),
    "proposal.renewed": _("Proposal kept open"),
    "proposal.expired": _("Proposals lapsed"),
    "agreement.concluded": _("Agreement concluded"),
    "agreement.leaving": _("Party leaving an agreement"),
    "agreement.broken": _("Agreement broken"),
    "agreement.expired": _("Agreement expired"),
    "agreement.voided": _("Agreement voided"),
    "message.sent": _("Message sent"),
    "observation.recorded": _("Observation recorded"),
    "feedback.submitted": _("Feedback submitted"),
    "hotwash.item_added": _("Improvement item added"),
    "hotwash.item_saved": _("Improvement item saved"),
    "hotwash.item_deleted": _("Improvement item deleted"),
    "hotwash.plan_prefilled": _("Improvement plan prefilled"),
    "hotwash.rating_confirmed": _("Rating confirmed"),
    "hotwash.summary_saved": _("Summary saved"),
    "hotwash.summary_cleared": _("Summary cleared"),
}


def event_label(kind: str) -> str:
    """The label people read for a kind of event; an unknown kind (from an older version of
    the code, kept in the log) reads as a generic entry rather than as its code."""
    return str(EVENT_LABELS.get(kind, _("Other event")))


OUTCOME_LABELS: dict[str, Promise] = {
    "success": _("Success"),
    "failure": _("Failure"),
    "counter": _("Counter-argument"),
    "refused": _("Refused"),
}


def outcome_label(status: str) -> str:
    """The name of an adjudicated outcome (`success`, `failure`, …); empty if none yet."""
    label = OUTCOME_LABELS.get(status)
    return str(label) if label is not None else ""


PHASE_LABELS: dict[str, Promise] = {
    "draft": _("Not started yet"),
    "lobby": _("Not started yet"),
    "running": _("In play"),
    "paused": _("Paused"),
    "adjudicating": _("Results being worked out"),
    "finished": _("Ended"),
}


def phase_label(status: str) -> str:
    """An exercise's status as people read it (never the code `draft`)."""
    return str(PHASE_LABELS.get(status, _("In play")))
