"""Reads of the turn cycle: what one team sees in its room, its situation reports included."""

from dataclasses import dataclass

from django.db.models import Q

from wargame.exercises.models import Exercise, Inject, Move, Team, Turn
from wargame.scenarios.catalogue import engine_rules
from wargame.scenarios.models import ScenarioNation
from wargame.turns.sitrep import SituationReport, situation_reports


@dataclass
class TeamRoom:
    nation: ScenarioNation | None
    injects: list[Inject]  # every inject the team received, newest first
    moves: list[Move]
    reports: list[SituationReport]  # newest first
    turn: int = 0  # the turn being played (or adjudicated, or the last one)

    @property
    def new_injects(self) -> list[Inject]:
        """Delivered in the turn being played: what the team must read first."""
        return [i for i in self.injects if i.delivered_turn == self.turn]

    @property
    def earlier_injects(self) -> list[Inject]:
        return [i for i in self.injects if i.delivered_turn != self.turn]


def published_turns(exercise: Exercise) -> list[Turn]:
    """The exercise's published turns, newest first, with what the engine recorded of each."""
    return list(exercise.turn_set.filter(published_at__isnull=False).order_by("-number"))


def team_room(exercise: Exercise, team: Team, *, turns: list[Turn] | None = None) -> TeamRoom:
    """What one team sees: its briefing, the injects it received, its moves and reports.
    `turns`: the published turns, when they were read already for every team's room."""
    nation = (
        ScenarioNation.objects.filter(scenario_id=exercise.scenario_id, code=team.nation_code)
        .prefetch_related("objectives")
        .first()
    )
    injects = [
        inject
        for inject in exercise.injects.filter(
            status__in=[Inject.Status.DELIVERED, Inject.Status.ANSWERED]
        ).order_by("-delivered_turn", "-pk")
        if not inject.recipients or team.nation_code in inject.recipients
    ]
    moves = list(
        team.moves.filter(turn__number=exercise.current_turn)
        .exclude(status=Move.Status.WITHDRAWN)
        .select_related("action_type", "target_team", "target_inject", "turn")
        .defer("turn__adjudication", "turn__snapshot")
        .order_by("submitted_at", "pk")
    )
    turns = published_turns(exercise) if turns is None else turns
    teams = list(exercise.teams.all())
    return TeamRoom(
        nation=nation,
        injects=injects,
        moves=moves,
        reports=situation_reports(exercise, team, turns, teams=teams),
        # While a turn's results are worked out, its injects are still the newest.
        turn=exercise.current_turn,
    )


@dataclass
class Offer:
    """Another nation's move of this turn that would put its forces in this one, and the
    host's answer to it so far ("request": consented, "condition": consented on its terms,
    "decline", or "" for none)."""

    move: Move
    answer: str


def offers_to(exercise: Exercise, team: Team) -> list[Offer]:
    """The forces other nations offer to send into `team`'s nation this turn, with its answers
    of this turn to each sender or to all (a decline prevails, as in adjudication). One
    query: the offers and the answers together."""
    rules = engine_rules().actions
    presence = [code for code, rule in rules.items() if rule.presence]
    consent = [code for code, rule in rules.items() if rule.consent]
    moves = list(
        Move.objects.filter(
            exercise=exercise, turn__number=exercise.current_turn, status=Move.Status.SUBMITTED
        )
        .filter(
            (Q(target_team=team, action_type__code__in=presence) & ~Q(team=team))
            | Q(team=team, action_type__code__in=consent)
        )
        .select_related("team", "action_type", "target_team", "target_inject")
        .order_by("submitted_at", "pk")
    )
    answers: dict[str, str] = {}
    for move in moves:
        if move.team_id == team.pk:
            key = move.target_team.nation_code if move.target_team else "*"
            if answers.get(key) != "decline":
                answers[key] = rules[move.action_type.code].consent
    return [
        Offer(move, answers.get(move.team.nation_code) or answers.get("*") or "")
        for move in moves
        if move.team_id != team.pk
    ]
