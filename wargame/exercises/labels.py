"""Names people read for the codes the game keeps: kinds of logged events, move outcomes.

The log stores a kind such as `move.refused` for machines (the pulse, the report's CSV);
people read a label. Every kind recorded anywhere in the code has one here
(tests/exercises/test_labels.py reads the code to check it).
"""

from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

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
    "task.rated": _("Critical task rated"),
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
    "partial": _("Partial success"),
    "failure": _("Failure"),
    "setback": _("Setback"),
    "counter": _("Counter-argument"),
    "refused": _("Refused"),
    "declined": _("Declined by the host"),
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


# What an event's details hold (the report's CSV names them so).
DETAIL_LABELS: dict[str, Promise] = {
    "action": _("action"),
    "added": _("added"),
    "agreement": _("agreement"),
    "answered": _("injects answered"),
    "bot": _("played by a bot"),
    "broken": _("agreements broken"),
    "chance": _("chance of success"),
    "changes": _("changes"),
    "channel": _("channel"),
    "count": _("number"),
    "deadline": _("deadline"),
    "duration": _("duration in turns"),
    "expired": _("agreements expired"),
    "factors": _("factors"),
    "inject": _("inject"),
    "injects": _("injects"),
    "item": _("item"),
    "key": _("move"),
    "message": _("message"),
    "move": _("move"),
    "moves": _("moves"),
    "number": _("number"),
    "objective": _("objective"),
    "observation": _("observation"),
    "offer_to": _("offered to"),
    "parties": _("parties"),
    "proposal": _("proposal"),
    "rating": _("rating"),
    "ready": _("ready"),
    "reason": _("reason"),
    "regional_stability": _("regional stability index"),
    "resources": _("action points"),
    "role": _("role"),
    "roll": _("roll"),
    "round": _("round"),
    "scenario": _("scenario"),
    "seconds": _("turn length"),
    "seconds_left": _("time left"),
    "sender": _("sender"),
    "status": _("outcome"),
    "success": _("success"),
    "summary": _("summary"),
    "target_inject": _("inject answered"),
    "target_team": _("nation aimed at"),
    "task": _("critical task"),
    "teams": _("nations"),
    "title": _("title"),
    "to": _("to"),
    "turn": _("turn"),
    "turns": _("turns"),
    "user": _("user"),
    "why": _("why"),
}

# The parts of a move's chance of success (wargame/engine/adjudicate.py).
FACTOR_LABELS: dict[str, Promise] = {
    "base": _("the action's base chance"),
    "capacity": _("capacity"),
    "support": _("support at home"),
    "trust": _("trust"),
    "agreement": _("agreement in force"),
    "rating": _("argument rating"),
    "resources": _("extra action points"),
    "counters": _("counter-arguments"),
    "no_relations": _("no diplomatic relations"),
    "conditions": _("the host's conditions"),
}

# Why a turn closed or an exercise ended, as the turn cycle records it; why the engine refused
# a move or took it as it did (its code, worded with its parameters by `reason_text`).
REASONS: dict[str, Promise] = {
    "deadline": _("the time ran out"),
    "all teams ready": _("every team was ready"),
    "closed by the facilitator": _("closed by the facilitator"),
    "simulation": _("simulation"),
    "last turn published": _("the last turn was published"),
    "ended by the facilitator": _("ended by the facilitator"),
    "unknown_action": _("%(action)s is not an action of this exercise"),
    "unknown_team": _("%(team)s is not a nation of this exercise"),
    "cost": _("%(action)s costs %(cost)s action points; %(committed)s committed"),
    "own_team": _("a move cannot be aimed at its own nation"),
    "not_aimed": _("%(action)s cannot be aimed at another nation"),
    "inject_closed": _("%(inject)s is not an open inject"),
    "not_an_answer": _("%(action)s cannot answer an inject"),
    "counters_nothing": _("it argues against no move of another nation this turn"),
    "against": _("against move %(move)s"),
    "forced": _("set by the facilitator"),
    "declined": _("%(host)s declined it"),
    "without_consent": _("sent into %(host)s without its consent"),
    "request": _("consent given"),
    "condition": _("consent given with conditions"),
    "decline": _("consent refused"),
}
# Worded by the limit, which decides the plural.
LIMIT_REASONS = {
    "counter_limit": lambda limit: ngettext(
        "%(team)s has already argued against %(limit)s move this turn",
        "%(team)s has already argued against %(limit)s moves this turn",
        limit,
    ),
    "action_limit": lambda limit: ngettext(
        "%(team)s has already made %(limit)s move of %(action)s this turn",
        "%(team)s has already made %(limit)s moves of %(action)s this turn",
        limit,
    ),
}


def reason_text(code: str, about: dict[str, Any] | None, name: Callable[[str], str]) -> str:
    """A recorded reason in words, its parameters named by `name` (an action's or a
    nation's code to its name). A reason recorded in words by an older version, or typed by
    a person, is shown as it is."""
    about = {key: name(value) if isinstance(value, str) else value
             for key, value in (about or {}).items()}  # fmt: skip
    if code in LIMIT_REASONS:
        return LIMIT_REASONS[code](int(about.get("limit", 0))) % about
    if code in REASONS:
        try:
            return str(REASONS[code]) % about
        except (KeyError, TypeError):
            return str(REASONS[code])
    return code
