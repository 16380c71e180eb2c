"""A whole exercise played by the scripted bots on every seat, on the engine alone.

No database and no services: a scenario can be played many times in a second, to check a
property of the rules over many seeds or to see how a scenario plays before a session. The
turn follows what the services do with bot teams (wargame/turns): the injects due are
delivered (a contingency is skipped when the inject it follows was answered), each bot may
offer an intelligence-sharing agreement that its partner accepts when it can pay for it, every
bot moves, and the turn is adjudicated with the exercise's seed.
"""

from dataclasses import dataclass, replace

from wargame.engine.adjudicate import adjudicate, regional_stability
from wargame.engine.bots import REQUEST_ACTION, BotMove, bot_deals, bot_moves, bot_rng
from wargame.engine.rules import Rules
from wargame.engine.state import AgreementState, InjectState, MoveInput, Result, State, TeamState


@dataclass(frozen=True)
class ScheduledInject:
    """An inject of the MSEL: delivered at the start of `turn` with the pressure of its
    severity, unless it is the contingency of an inject answered by then."""

    inject: InjectState
    turn: int
    severity: int
    contingency_for: str | None = None


@dataclass(frozen=True)
class Plan:
    """What a simulation needs of a scenario."""

    turns: int
    teams: dict[str, TeamState]
    trust: dict[tuple[str, str], int]
    injects: tuple[ScheduledInject, ...]
    actions: tuple[str, ...]
    no_relations: frozenset[tuple[str, str]] = frozenset()
    mandates: frozenset[tuple[str, str]] = frozenset()
    # Each objective: its id, the injects that test it and the nations that hold it.
    objectives: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()


def play(
    plan: Plan,
    rules: Rules,
    seed: int,
    *,
    idle: frozenset[str] = frozenset(),
    selfish: frozenset[str] = frozenset(),
) -> list[Result]:
    """Every turn of the plan played by bots; the result of each turn, in order. The nations
    in `idle` are seats nobody plays: they make no move and conclude no agreement. Those in
    `selfish` look after themselves only: they answer the injects that harm them and ask for
    help, but help nobody, cooperate with nobody and conclude no agreement."""
    state = State(
        turn=1,
        teams=dict(plan.teams),
        trust=dict(plan.trust),
        injects={},
        agreements={},
        regional_stability=regional_stability(plan.teams, plan.trust, rules),
        no_relations=plan.no_relations,
        mandates=plan.mandates,
    )
    answered: set[str] = set()
    concluded = 0
    results: list[Result] = []
    for number in range(1, plan.turns + 1):
        injects = dict(state.injects)
        for scheduled in plan.injects:
            if scheduled.turn != number:
                continue
            if scheduled.contingency_for is not None and scheduled.contingency_for in answered:
                continue
            injects[scheduled.inject.code] = replace(
                scheduled.inject,
                pressure=rules.initial_pressure(scheduled.severity),
                answered=False,
                arrived=True,
            )
        state = replace(state, turn=number, injects=injects)
        agreements = dict(state.agreements)
        for agreement in _negotiate(state, plan.actions, idle | selfish):
            concluded += 1
            key = f"A{concluded:08d}"  # in the order concluded, as the database's keys are
            ends = number + agreement.ends_turn - 1
            agreements[key] = replace(agreement, key=key, ends_turn=ends)
        state = replace(state, agreements=agreements)
        moves = _moves(state, plan, rules, seed, idle, selfish)
        result = adjudicate(state, moves, rules, seed)
        results.append(result)
        answered |= set(result.answered)
        state = replace(
            result.state,
            injects={
                code: inject for code, inject in result.state.injects.items() if not inject.answered
            },
        )
    return results


def _negotiate(
    state: State, actions: tuple[str, ...], idle: frozenset[str]
) -> list[AgreementState]:
    """The bots' deals of the turn as agreements of one point a turn from each party, none
    with an idle seat; their `ends_turn` is their length until they are keyed."""
    return [
        AgreementState(
            key="",
            action=offer.action,
            parties=tuple(sorted((proposer, offer.partner))),
            commitments={proposer: 1, offer.partner: 1},
            ends_turn=offer.turns,
        )
        for proposer, offer in bot_deals(state, actions=actions)
        if not {proposer, offer.partner} & idle
    ]


def _moves(
    state: State,
    plan: Plan,
    rules: Rules,
    seed: int,
    idle: frozenset[str],
    selfish: frozenset[str],
) -> list[MoveInput]:
    moves: list[MoveInput] = []
    for code in sorted(set(state.teams) - idle):
        visible = {c for c, inject in state.injects.items() if inject.received_by(code)}
        rng = bot_rng(seed, state.turn, code)
        chosen = bot_moves(state, code, rules, actions=plan.actions, visible=visible, rng=rng)
        if code in selfish:
            chosen = [move for move in chosen if _for_itself(state, code, move)]
        for number, move in enumerate(chosen, 1):
            moves.append(
                MoveInput(
                    key=f"{code}:{number}",
                    team=code,
                    action=move.action,
                    resources=move.resources,
                    target_team=move.target_team,
                    target_inject=move.target_inject,
                )
            )
    return moves


def _for_itself(state: State, team: str, move: BotMove) -> bool:
    """A move a self-interested nation keeps: its own call for help, or an answer at home to
    an inject that harms it."""
    if move.target_inject is None:
        return move.action == REQUEST_ACTION and move.target_team is None
    return move.target_team is None and team in state.injects[move.target_inject].harms
