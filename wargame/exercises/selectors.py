"""Reads for exercises."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from wargame.exercises.labels import event_label, outcome_label
from wargame.exercises.models import Event, Exercise, Inject, Move, Participant, Role, Team, Turn

User = get_user_model()

# --- Pages ----------------------------------------------------------------------------------
# Each page's data in a fixed number of queries, whatever the number of teams, moves, injects.


@dataclass
class TeamStatus:
    team: Team
    players: list[str] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)


def teams_status(exercise: Exercise, teams: list[Team] | None = None) -> list[TeamStatus]:
    """Every team (`teams` if read already) with its players and this turn's moves (3
    queries, 2 with `teams`). The players are names, read as values: 175 of them as model
    instances cost the control room several milliseconds."""
    if teams is None:
        teams = list(exercise.teams.all())
    status = {team.pk: TeamStatus(team) for team in teams}
    players = (
        Participant.objects.filter(exercise=exercise, team__isnull=False)
        .order_by("pk")
        .values_list("team_id", "user__first_name", f"user__{User.USERNAME_FIELD}")
    )
    for team_id, first_name, username in players:
        status[team_id].players.append(first_name or username)
    moves = (
        Move.objects.filter(exercise=exercise, turn__number=exercise.current_turn)
        .exclude(status=Move.Status.WITHDRAWN)
        .select_related("action_type", "target_team", "target_inject")
        .order_by("submitted_at", "pk")
    )
    for move in moves:
        status[move.team_id].moves.append(move)
    return list(status.values())


def trust_matrix(exercise: Exercise, teams: list[Team]) -> list[tuple[Team, list[int | None]]]:
    """Rows of the trust heat map, one per team (1 query, of values: 595 links at 35
    nations)."""
    value = {}
    links = exercise.trust_links.values_list("team_a_id", "team_b_id", "value")
    for team_a, team_b, trust in links:
        value[(team_a, team_b)] = value[(team_b, team_a)] = trust
    return [(row, [value.get((row.pk, col.pk)) for col in teams]) for row in teams]


def inject_queue(exercise: Exercise) -> list[Inject]:
    return list(exercise.injects.select_related("contingency_for").order_by("turn", "pk"))


def event_log(exercise: Exercise, limit: int = 60) -> list[Event]:
    """The latest events, newest first, each with the `label` people read for its kind."""
    events = list(exercise.events.select_related("actor", "team").order_by("-pk")[:limit])
    for event in events:
        event.label = event_label(event.kind)
    return events


def current_turn(exercise: Exercise) -> Turn | None:
    return exercise.turn_set.filter(number=exercise.current_turn).first()


def pending_review(exercise: Exercise) -> list[dict[str, Any]]:
    """In review mode: each move of the closed turn with its proposed outcome (2 queries)."""
    turn = current_turn(exercise)
    if turn is None or exercise.status != Exercise.Status.ADJUDICATING:
        return []
    moves = (
        Move.objects.filter(turn=turn, status=Move.Status.SUBMITTED)
        .select_related("team", "action_type", "target_team", "target_inject")
        .order_by("team__nation_code", "submitted_at", "pk")
    )
    outcomes = turn.adjudication.get("outcomes", {})
    rows, ordinal = [], defaultdict(int)
    for move in moves:
        ordinal[move.team_id] += 1
        key = f"{move.team.nation_code}:{ordinal[move.team_id]}"
        outcome = outcomes.get(key, {})
        rows.append(
            {
                "move": move,
                "key": key,
                "outcome": outcome,
                "proposed": outcome_label(outcome.get("status", "")),
                # The facilitator's decision stands out from the die's, with its reason.
                "overridden": move.forced_success is not None,
            }
        )
    return rows


def lobby(exercise: Exercise) -> dict[str, Any]:
    evaluators = Participant.objects.filter(exercise=exercise, role=Role.EVALUATOR).count()
    return {"teams": teams_status(exercise), "evaluators": evaluators}


def my_exercises(user: Any) -> list[Participant]:
    if not user.is_authenticated:
        return []
    return list(
        Participant.objects.filter(user=user)
        .filter(~Q(exercise__status=Exercise.Status.FINISHED) | Q(role="facilitator"))
        .select_related("exercise", "team", "exercise__scenario")
        .order_by("-exercise__created_at")[:30]
    )
