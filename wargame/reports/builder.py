"""Everything the after-action report says, as plain data.

`report_data` reads an exercise in a fixed number of queries and returns a JSON-ready dict with
the keys of the JSON download (`format`, `exercise`, `scenario`, `teams`, `participants`,
`turns`, `injects`, `moves`, `proposals`, `agreements`, `observations`, `ratings`,
`improvement_plan`, `feedback`, `events`): the record as the JSON download gives it. The
report model (`model.report_for`) is made from this dict, and every other format from that.
"""

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch
from django.utils import translation

from wargame.exercises.models import Event, Exercise, Move, Participant
from wargame.lib.languages import translations_of
from wargame.lib.nations import nation_name
from wargame.negotiation.models import Agreement, Proposal, ProposalParty, ProposalRound
from wargame.reports.feedback import feedback_for_report
from wargame.reports.models import ExecutiveSummary, ImprovementItem, Observation
from wargame.reports.names import Names, delegation, names_for
from wargame.reports.selectors import rating_proposals
from wargame.scenarios.models import ScenarioNation
from wargame.turns.adjudication import agreement_key

REPORT_FORMAT = 1


def _time(value: Any) -> str | None:
    return value.isoformat() if value else None


def report_data(
    exercise: Exercise,
    *,
    events: bool = True,
    anonymous: bool = False,
    delegations: bool = False,
) -> dict[str, Any]:
    """The whole report of an exercise as data (about twenty queries, whatever its size).
    `events=False` leaves the event log out (an empty list), for the formats that do not
    print it; `anonymous=True` names people by their nation or role and a number, and with
    `delegations=True` nations by their delegation's letter (names.py).
    The data is in no reader's language: codes, and names and texts as the scenario writes them
    (English); each format names things in its reader's language."""
    with translation.override("en"):
        participants = list(
            Participant.objects.filter(exercise=exercise)
            .select_related("user", "team")
            .order_by("pk")
        )
        names = names_for(exercise, anonymous=anonymous, delegations=delegations,
                          participants=participants)  # fmt: skip
        record = _report_data(exercise, events=events, names=names, participants=participants)
        if not names.letters:
            return record
        record = names.masked(record)
        record["exercise"]["delegations"] = True
        # In the letters' order: the scenario's order of nations would give them away.
        record["teams"].sort(key=lambda team: team["code"])
        record["participants"].sort(key=lambda person: person["name"])
        for team in record["teams"]:
            team["name"] = delegation(team["code"])
        return record


def _report_data(
    exercise: Exercise, *, events: bool, names: Names, participants: list[Participant]
) -> dict[str, Any]:
    scenario = exercise.scenario
    objectives = list(scenario.objectives.order_by("position"))
    nations = {
        n.code: n
        for n in ScenarioNation.objects.filter(scenario=scenario).prefetch_related("objectives")
    }
    teams = list(exercise.teams.order_by("position"))
    code_of = {team.pk: team.nation_code for team in teams}
    turns = list(exercise.turn_set.order_by("number"))
    turn_number = {turn.pk: turn.number for turn in turns}
    injects = list(
        exercise.injects.select_related("contingency_for", "template").order_by("turn", "pk")
    )
    moves = list(
        Move.objects.filter(exercise=exercise)
        # Not the turn: its adjudication JSON would be decoded again for every move.
        .select_related("action_type", "target_inject")
        .order_by("turn__number", "team_id", "submitted_at", "pk")
    )
    proposals = list(
        Proposal.objects.filter(exercise=exercise)
        .select_related("action_type")
        .prefetch_related(
            Prefetch("party_set", queryset=ProposalParty.objects.order_by("pk")),
            Prefetch("rounds", queryset=ProposalRound.objects.order_by("number")),
        )
        .order_by("pk")
    )
    agreements = list(
        Agreement.objects.filter(exercise=exercise)
        .select_related("action_type")
        .prefetch_related("parties")
        .order_by("pk")
    )
    observations = list(
        Observation.objects.filter(exercise=exercise)
        .select_related("objective", "evaluator", "inject", "move__team", "move__turn")
        .order_by("created_at", "pk")
    )
    plan = list(
        ImprovementItem.objects.filter(exercise=exercise)
        .select_related("objective")
        .order_by("position", "pk")
    )
    summary = ExecutiveSummary.objects.filter(exercise=exercise).first()

    start = {
        team.nation_code: {"stability": nations[team.nation_code].stability,
                           "capacity": nations[team.nation_code].capacity,
                           "support": nations[team.nation_code].support}
        for team in teams if team.nation_code in nations
    }  # fmt: skip
    end = {
        t.nation_code: {"stability": t.stability, "capacity": t.capacity, "support": t.support}
        for t in teams
    }

    return {
        "format": REPORT_FORMAT,
        "exercise": {
            "title": exercise.title,
            "code": exercise.code,
            "status": exercise.status,
            # The distributable (anonymised) copy withholds what only control needs: the seed,
            # the dice and who was a bot.
            "seed": names.control(exercise.seed),
            "adjudication_mode": exercise.adjudication_mode,
            "turns_played": sum(1 for t in turns if t.published_at),
            "created": _time(exercise.created_at),
            "started": _time(exercise.started_at),
            "finished": _time(exercise.finished_at),
            # ENDEX: the turn play stopped in, and why, when the facilitator ended it.
            "ended_in_turn": exercise.current_turn if exercise.finished_at else None,
            "end_reason": exercise.end_reason,
            "regional_stability": exercise.regional_stability,
            "executive_summary": summary.text if summary else None,
            "anonymised": names.anonymous,
            "delegations": False,
        },
        "scenario": {
            "slug": scenario.slug,
            "title": scenario.title,
            "summary": scenario.summary,
            "turns": scenario.turns,
            "game_time_per_turn": scenario.game_time_per_turn,
            "marking": scenario.marking,
            "language": scenario.language,
            "translations": translations_of(
                scenario.translations, "title", "summary", "game_time_per_turn", "marking"
            ),
            "objectives": [
                {
                    "id": o.code,
                    "title": o.title,
                    "capability": o.capability,
                    "translations": translations_of(o.translations, "title", "capability"),
                }
                for o in objectives
            ],
            "trust": _starting_trust(scenario, [t.nation_code for t in teams]),
        },
        "teams": [
            {
                "code": t.nation_code,
                "name": nation_name(t.nation_code),
                "bot": names.control(t.bot),
                "start": start.get(t.nation_code, {}),
                "end": end[t.nation_code],
                "objectives": [o.code for o in nations[t.nation_code].objectives.all()]
                if t.nation_code in nations
                else [],
            }
            for t in teams
        ],
        "participants": [
            {
                "name": names.of(p.user),
                "role": p.role,
                "team": code_of.get(p.team_id),
            }
            for p in participants
        ],
        "turns": [
            {
                "number": t.number,
                "opened": _time(t.opened_at),
                "closed": _time(t.closed_at),
                "published": _time(t.published_at),
                "indicators": t.snapshot.get("teams", {}),
                "trust": t.snapshot.get("trust", {}),
                "regional_stability": t.snapshot.get("regional_stability"),
                "answered": t.snapshot.get("answered", []),
                "trust_changes": _trust_changes(t.adjudication),
            }
            for t in turns
        ],
        "injects": [
            {
                "code": i.code,
                "turn": i.turn,
                "kind": i.kind,
                "from": i.originator,
                "title": i.title,
                "translations": translations_of(i.translations, "title", "originator"),
                "status": i.status,
                "delivered_turn": i.delivered_turn,
                "answered_turn": i.answered_turn,
                "turns_to_answer": (
                    i.answered_turn - i.delivered_turn
                    if i.answered_turn is not None and i.delivered_turn is not None
                    else None
                ),
                "contingency_for": i.contingency_for.code if i.contingency_for else None,
                "expected_actions": i.expected_actions,
                "responses": [
                    {"turn": turn_number[m.turn_id], "key": m.outcome.get("key")}
                    for m in moves
                    if m.target_inject_id == i.pk
                ],
            }
            for i in injects
        ],
        "moves": [
            {
                "key": m.outcome.get("key"),
                "turn": turn_number[m.turn_id],
                "team": code_of[m.team_id],
                "action": m.action_type.code,
                "action_name": m.action_type.name,
                "target_team": code_of.get(m.target_team_id),
                "target_inject": m.target_inject.code if m.target_inject else None,
                "resources": m.resources,
                "intended_result": m.intended_result,
                "rationale": m.rationale,
                "rating": m.rating or None,
                "status": m.status,
                "outcome": m.outcome.get("status"),
                "chance": m.outcome.get("chance"),
                "roll": names.control(m.outcome.get("roll")),
                "overridden": m.forced_success is not None,
                "override_reason": m.override_reason,
                "by_bot": names.control(m.by_bot),
            }
            for m in moves
        ],
        "proposals": [
            {
                "id": p.pk,
                "action": p.action_type.code,
                "proposer": code_of[p.proposer_id],
                "status": p.status,
                "parties": [
                    {"team": code_of[party.team_id], "answer": party.answer}
                    for party in p.party_set.all()
                ],
                "rounds": [
                    {
                        "number": r.number,
                        "author": code_of[r.author_id],
                        "commitments": r.commitments,
                        "duration": r.duration_turns,
                        "note": r.note,
                    }
                    for r in p.rounds.all()
                ],
            }
            for p in proposals
        ],
        "agreements": [
            {
                "id": a.pk,
                # How the turns' records (`trust_changes`) name the agreement.
                "key": agreement_key(a),
                "proposal": a.proposal_id,
                "action": a.action_type.code,
                "parties": sorted(t.nation_code for t in a.parties.all()),
                "commitments": a.commitments,
                "from_turn": a.starts_turn,
                "to_turn": a.ends_turn,
                "status": a.status,
                "ended_turn": a.ended_turn,
                "end_reason": a.end_reason,
            }
            for a in agreements
        ],
        "observations": [
            {
                "objective": o.objective.code if o.objective else None,
                "kind": o.kind,
                "text": o.text,
                "turn": o.turn,
                "inject": o.inject.code if o.inject else None,
                "move": _move_ref(o.move) if o.move else None,
                # The copy to distribute attributes no observation, not even to a pseudonym:
                # it is about capabilities, not about who saw what.
                "by": None if names.anonymous else names.of(o.evaluator),
            }
            for o in observations
        ],
        "ratings": rating_proposals(exercise),
        "improvement_plan": [
            {
                "objective": item.objective.code if item.objective else None,
                "core_capability": item.core_capability
                or (item.objective.capability if item.objective else ""),
                "issue": item.issue,
                "corrective_action": item.corrective_action,
                "element": item.element,
                "organisation": item.organisation,
                "point_of_contact": item.point_of_contact,
                "start": item.start.isoformat() if item.start else None,
                "completion": item.completion.isoformat() if item.completion else None,
            }
            for item in plan
        ],
        "feedback": feedback_for_report(exercise, names),
        "events": report_events(exercise, names) if events else [],
    }


def _trust_changes(adjudication: dict[str, Any]) -> list[dict[str, Any]]:
    """What changed trust in a turn: for each pair, the net change each cause made (a move's
    key, an agreement's key, an inject's code), in codes, as the adjudication recorded it."""
    net: dict[tuple[str, str, str], float] = defaultdict(float)
    for change in adjudication.get("changes", []):
        if change["indicator"] == "trust":
            net[change["subject"], change["cause"], change["ref"]] += (
                change["after"] - change["before"]
            )
    return [
        {"pair": pair, "cause": cause, "ref": ref, "change": round(change)}
        for (pair, cause, ref), change in sorted(net.items())
        if round(change)
    ]


def _starting_trust(scenario: Any, codes: list[str]) -> dict[str, int]:
    """Trust between every pair of nations before the first turn (50 unless the file says)."""
    given = {tuple(sorted((t.nation_a, t.nation_b))): t.value for t in scenario.trust.all()}
    return {
        f"{a}-{b}": given.get((a, b), 50)
        for index, a in enumerate(sorted(codes))
        for b in sorted(codes)[index + 1 :]
    }


def _move_ref(move: Move) -> dict[str, Any]:
    """A move as the report names it: its turn and its key (team and ordinal in the turn)."""
    return {"turn": move.turn.number, "team": move.team.nation_code, "key": move.outcome.get("key")}


def report_events(exercise: Exercise, names: Names | None = None) -> list[dict[str, Any]]:
    """The event log of the report's JSON and CSV, oldest first (one query), naming people as
    `names` does (their own names by default)."""
    names = names or Names()
    return [
        names.masked(
            {
                "time": _time(event.created_at),
                "turn": event.turn,
                "actor": names.of(event.actor),
                "team": event.team.nation_code if event.team else None,
                "kind": event.kind,
                "details": names.details(event.payload),
            }
        )
        for event in Event.objects.filter(exercise=exercise)
        .select_related("actor", "team")
        .order_by("pk")
        if names.shows(event.kind)
    ]
