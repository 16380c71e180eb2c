"""The bridge between the database and the engine: read an exercise into the engine's state,
run a turn, and write the result back, in a number of queries that does not grow with the
number of teams, moves, injects or agreements."""

from dataclasses import asdict, dataclass
from typing import Any

from django.utils import timezone

from wargame.engine import (
    AgreementState,
    InjectState,
    MoveInput,
    Result,
    State,
    TeamState,
    adjudicate,
    pair,
)
from wargame.exercises.models import Event, Exercise, Inject, Move, Team, TrustLink, Turn
from wargame.negotiation.models import Agreement
from wargame.scenarios.catalogue import engine_rules


@dataclass
class TurnContext:
    """Everything one adjudication reads, loaded once."""

    exercise: Exercise
    turn: Turn
    teams: dict[str, Team]
    links: dict[tuple[str, str], TrustLink]
    injects: dict[str, Inject]
    agreements: dict[str, Agreement]
    moves: dict[str, Move]  # by engine key, "HTI:1"
    # The hosts' answers of the last turn that stand in this one (the engine's State.consents).
    consents: tuple[tuple[str, str, str], ...] = ()


def agreement_key(agreement: Agreement) -> str:
    return f"A{agreement.pk:08d}"


def load_context(exercise: Exercise, turn: Turn) -> TurnContext:
    teams = list(exercise.teams.all())
    code_of = {team.pk: team.nation_code for team in teams}
    links = {
        pair(code_of[link.team_a_id], code_of[link.team_b_id]): link
        for link in exercise.trust_links.all()
    }
    injects = {inject.code: inject for inject in exercise.injects.all()}
    agreements = {
        agreement_key(agreement): agreement
        for agreement in exercise.agreements.filter(status=Agreement.Status.IN_FORCE)
        .select_related("action_type")
        .prefetch_related("parties")
    }
    moves = list(
        turn.moves.filter(status=Move.Status.SUBMITTED)
        .select_related("action_type", "target_inject")
        .order_by("submitted_at", "pk")
    )
    keyed: dict[str, Move] = {}
    count: dict[int, int] = {}
    for move in moves:
        count[move.team_id] = count.get(move.team_id, 0) + 1
        # The key of a move is its team and its place among that team's moves of the turn,
        # never a database id, so that a replay on another database rolls the same dice.
        keyed[f"{code_of[move.team_id]}:{count[move.team_id]}"] = move
    last = exercise.turn_set.filter(number=turn.number - 1).values_list("snapshot", flat=True)
    consents = tuple(tuple(answer) for answer in (last.first() or {}).get("consents", []))
    return TurnContext(
        exercise=exercise,
        turn=turn,
        teams={team.nation_code: team for team in teams},
        links=links,
        injects=injects,
        agreements=agreements,
        moves=keyed,
        consents=consents,  # type: ignore[arg-type]
    )


def engine_state(context: TurnContext) -> State:
    return State(
        turn=context.turn.number,
        teams={
            code: TeamState(code, t.stability, t.capacity, t.budget, t.budget_per_turn, t.support)
            for code, t in context.teams.items()
        },
        trust={key: link.value for key, link in context.links.items()},
        injects={
            code: InjectState(
                code=code,
                kind=inject.kind,
                affects=tuple(inject.affects),
                expected_actions=tuple(inject.expected_actions),
                pressure=inject.pressure,
                recipients=tuple(inject.recipients),
                trust=tuple((a, b, change) for a, b, change in inject.trust_shocks),
                support=tuple((nation, change) for nation, change in inject.support_shocks),
                arrived=inject.delivered_turn == context.turn.number,
            )
            for code, inject in context.injects.items()
            if inject.status == Inject.Status.DELIVERED
        },
        agreements={
            key: AgreementState(
                key=key,
                action=agreement.action_type.code,
                parties=tuple(sorted(team.nation_code for team in agreement.parties.all())),
                commitments={
                    code: int(terms.get("points", 0)) if isinstance(terms, dict) else int(terms)
                    for code, terms in agreement.commitments.items()
                },
                ends_turn=agreement.ends_turn,
                leaving=tuple(agreement.leaving),
            )
            for key, agreement in context.agreements.items()
        },
        regional_stability=context.exercise.regional_stability or 0.0,
        consents=context.consents,
        # The scenario's pairs without relations and its mandates, as the exercise took them.
        no_relations=frozenset(pair(a, b) for a, b in context.exercise.no_relations),
        mandates=frozenset((host, action) for host, action in context.exercise.mandates),
    )


def move_inputs(context: TurnContext) -> list[MoveInput]:
    key_of = {move.pk: key for key, move in context.moves.items()}
    code_of = {team.pk: code for code, team in context.teams.items()}
    return [
        MoveInput(
            key=key,
            team=code_of[move.team_id],
            action=move.action_type.code,
            resources=move.resources,
            target_team=code_of.get(move.target_team_id) if move.target_team_id else None,
            target_inject=move.target_inject.code if move.target_inject else None,
            counter_to=key_of.get(move.counter_to_id) if move.counter_to_id else None,
            rating=move.rating or None,
            forced=move.forced_success,
        )
        for key, move in context.moves.items()
    ]


def run(context: TurnContext) -> Result:
    """Adjudicate the turn from the database state; the same state always gives the same
    result, so a preview shown to the facilitator is what publishing applies."""
    return adjudicate(
        engine_state(context), move_inputs(context), engine_rules(), context.exercise.seed
    )


def result_data(result: Result) -> dict[str, Any]:
    """The result as JSON: what the facilitator reviews and what the report reads."""
    return {
        "outcomes": {key: asdict(outcome) for key, outcome in result.outcomes.items()},
        "changes": [asdict(change) for change in result.changes],
        "answered": list(result.answered),
        "broken": dict(result.broken),
        "expired": list(result.expired),
        "regional_stability": result.state.regional_stability,
    }


def snapshot(result: Result) -> dict[str, Any]:
    state = result.state
    return {
        "teams": {
            code: {
                "stability": t.stability,
                "capacity": t.capacity,
                "budget": t.budget,
                "support": t.support,
            }
            for code, t in sorted(state.teams.items())
        },
        "trust": {f"{a}-{b}": value for (a, b), value in sorted(state.trust.items())},
        "regional_stability": state.regional_stability,
        "answered": list(result.answered),
        # The hosts' answers that stand in the next turn.
        "consents": [list(answer) for answer in state.consents],
    }


def apply(context: TurnContext, result: Result, actor: Any) -> None:
    """Write the result: indicators, trust, injects, agreements, moves and the event log."""
    exercise, turn, state = context.exercise, context.turn, result.state
    now = timezone.now()
    number = turn.number

    for code, team in context.teams.items():
        new = state.teams[code]
        team.stability, team.capacity, team.budget = new.stability, new.capacity, new.budget
        team.support = new.support
        team.ready = False
    Team.objects.bulk_update(
        context.teams.values(), ["stability", "capacity", "budget", "support", "ready"]
    )

    changed_links = []
    for key, link in context.links.items():
        if state.trust[key] != link.value:
            link.value = state.trust[key]
            changed_links.append(link)
    TrustLink.objects.bulk_update(changed_links, ["value"])

    changed_injects = []
    for code, inject_state in state.injects.items():
        inject = context.injects[code]
        inject.pressure = inject_state.pressure
        if code in result.answered:
            inject.status = Inject.Status.ANSWERED
            inject.answered_turn = number
        changed_injects.append(inject)
    Inject.objects.bulk_update(changed_injects, ["pressure", "status", "answered_turn"])

    ended = []
    for key, breaker in result.broken.items():
        agreement = context.agreements[key]
        agreement.status = Agreement.Status.BROKEN
        agreement.broken_by = context.teams[breaker]
        agreement.ended_turn = number
        ended.append(agreement)
    for key in result.expired:
        agreement = context.agreements[key]
        agreement.status = Agreement.Status.EXPIRED
        agreement.ended_turn = number
        ended.append(agreement)
    Agreement.objects.bulk_update(ended, ["status", "broken_by", "ended_turn"])

    data = result_data(result)
    events = []
    for key, move in context.moves.items():
        outcome = asdict(result.outcomes[key])
        move.status = (
            Move.Status.REFUSED if outcome["status"] == "refused" else Move.Status.ADJUDICATED
        )
        # What the move changed is on the turn's adjudication (cause "move", ref = the key).
        move.outcome = outcome | {"key": key}
        events.append(
            Event(
                exercise=exercise,
                turn=number,
                kind="move.adjudicated",
                team_id=move.team_id,
                actor=actor,
                payload=move.outcome,
                created_at=now,
            )
        )
    Move.objects.bulk_update(context.moves.values(), ["status", "outcome"])

    for code in result.answered:
        events.append(
            Event(
                exercise=exercise,
                turn=number,
                kind="inject.answered",
                actor=actor,
                payload={"inject": code},
                created_at=now,
            )
        )
    for key, breaker in result.broken.items():
        events.append(
            Event(
                exercise=exercise,
                turn=number,
                kind="agreement.broken",
                actor=actor,
                team=context.teams[breaker],
                payload={"agreement": key},
                created_at=now,
            )
        )
    for key in result.expired:
        events.append(
            Event(
                exercise=exercise,
                turn=number,
                kind="agreement.expired",
                actor=actor,
                payload={"agreement": key},
                created_at=now,
            )
        )
    events.append(
        Event(
            exercise=exercise,
            turn=number,
            kind="turn.published",
            actor=actor,
            # The full adjudication is on the Turn row; the log keeps what happened, in short.
            payload={
                "answered": data["answered"],
                "broken": data["broken"],
                "expired": data["expired"],
                "regional_stability": data["regional_stability"],
                "changes": len(data["changes"]),
                "moves": len(data["outcomes"]),
            },
            created_at=now,
        )
    )
    Event.objects.bulk_create(events)

    exercise.regional_stability = state.regional_stability
    turn.published_at = now
    turn.snapshot = snapshot(result)
    turn.adjudication = data
    turn.save(update_fields=["published_at", "snapshot", "adjudication"])
