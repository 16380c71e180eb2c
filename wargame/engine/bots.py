"""Scripted teams for simulations and rehearsals: simple, predictable, good enough to play.

A bot answers the open injects it can see, the most pressing first, with the action that
relieves most pressure per action point; helps the nation an inject hurts when it can; spends
what is left on cooperation with the partner it trusts least, to mend the relationship; and
proposes an intelligence-sharing agreement to the partner it trusts most. It respects
sovereignty: forces go into another nation only when that nation asked for help (in the last
turn), a standing instrument or a Security Council mandate covers them; and a bot hard hit by
an open inject asks the region for help. Ties are broken by a die seeded by the exercise seed,
so a simulation replays exactly.
"""

import random
from dataclasses import dataclass

from wargame.engine.adjudicate import agreements_in_force, consent_for, host_answers
from wargame.engine.rules import COOPERATIVE_ACTIONS, Rules
from wargame.engine.state import MoveInput, State

AGREEMENT_ACTION = "intel_sharing"
AGREEMENT_TURNS = 3
AGREEMENT_MIN_TRUST = 40
REQUEST_ACTION = "request_assistance"
# A bot asks the region for help when an open inject that harms it is at least this strong.
REQUEST_PRESSURE = 50


@dataclass(frozen=True)
class BotMove:
    action: str
    resources: int
    target_team: str | None = None
    target_inject: str | None = None


@dataclass(frozen=True)
class BotOffer:
    """An agreement a bot proposes: each party commits one action point per turn."""

    action: str
    partner: str
    turns: int


def bot_rng(seed: int, turn: int, team: str) -> random.Random:
    return random.Random(f"bot:{seed}:{turn}:{team}")


def bot_moves(
    state: State,
    team: str,
    rules: Rules,
    *,
    actions: tuple[str, ...],
    visible: set[str],
    rng: random.Random,
) -> list[BotMove]:
    """The moves a bot submits this turn, within its budget and the actions' limits a turn."""
    budget = state.teams[team].budget
    moves: list[BotMove] = []
    open_injects = sorted(
        (
            inject
            for code, inject in state.injects.items()
            if code in visible and not inject.answered
        ),
        key=lambda inject: (team not in inject.harms, -inject.pressure, inject.code),
    )
    made: dict[str, int] = {}

    def allowed(code: str) -> bool:
        limit = rules.turn_limit(code, countering=False)
        return rules.actions[code].cost <= budget and not (limit and made.get(code, 0) >= limit)

    def welcome(code: str, host: str) -> bool:
        return not rules.actions[code].presence or invited(state, rules, team, host, code)

    asked = (team, "*", "request") in state.consents
    if (
        REQUEST_ACTION in actions
        and not asked
        and allowed(REQUEST_ACTION)
        and any(
            team in inject.harms and inject.pressure >= REQUEST_PRESSURE for inject in open_injects
        )
    ):
        moves.append(BotMove(REQUEST_ACTION, rules.actions[REQUEST_ACTION].cost))
        made[REQUEST_ACTION] = 1
        budget -= rules.actions[REQUEST_ACTION].cost

    for inject in open_injects:
        options = [
            rules.actions[code]
            for code in inject.expected_actions
            if code in actions and "inject" in rules.actions[code].targets and allowed(code)
        ]
        if not options:
            continue
        best = max(options, key=lambda a: (a.relief / max(a.cost, 1), a.chance, rng.random()))
        helped = [
            n for n in inject.harms if n != team and n in state.teams and welcome(best.code, n)
        ]
        target_team = None
        if helped and "nation" in best.targets and team not in inject.harms:
            target_team = min(helped, key=lambda n: (state.teams[n].stability, n))
        moves.append(BotMove(best.code, best.cost, target_team, inject.code))
        made[best.code] = made.get(best.code, 0) + 1
        budget -= best.cost
    partners = sorted(
        (code for code in state.teams if code != team),
        key=lambda code: (state.trust_between(team, code), rng.random()),
    )
    cooperative = [code for code in COOPERATIVE_ACTIONS if code in actions]
    for partner in partners:
        affordable = [
            rules.actions[code]
            for code in cooperative
            if allowed(code) and "nation" in rules.actions[code].targets and welcome(code, partner)
        ]
        if not affordable:
            break
        choice = max(affordable, key=lambda a: (a.trust, -a.cost, rng.random()))
        moves.append(BotMove(choice.code, choice.cost, target_team=partner))
        made[choice.code] = made.get(choice.code, 0) + 1
        budget -= choice.cost
    return moves


def invited(state: State, rules: Rules, guest: str, host: str, action: str) -> bool:
    """Whether `guest` may send forces of `action` into `host` with its consent, as the
    adjudication judges it at the start of the turn: the host's request or authorisation that
    stands, a standing instrument in force between them, or a Security Council mandate, and no
    decline."""
    move = MoveInput(f"{guest}:invited", guest, action, 0, target_team=host)
    answers = host_answers(state, [], rules)
    in_force = agreements_in_force(state)
    consent = consent_for(answers, in_force, move, rules.actions[action], rules, state.mandates)
    return consent in ("given", "conditions", "")  # "": the move enters no other nation


def bot_offer(state: State, team: str, *, actions: tuple[str, ...]) -> BotOffer | None:
    """An agreement to propose, if the bot has none of that kind and a partner to offer it."""
    if AGREEMENT_ACTION not in actions:
        return None
    bound = {
        party
        for agreement in state.agreements.values()
        if team in agreement.parties and agreement.action == AGREEMENT_ACTION
        for party in agreement.parties
    }
    candidates = [
        code
        for code in state.teams
        if code != team and code not in bound
        and state.trust_between(team, code) >= AGREEMENT_MIN_TRUST
    ]  # fmt: skip
    if team in bound or not candidates:
        return None
    partner = max(candidates, key=lambda code: (state.trust_between(team, code), code))
    return BotOffer(AGREEMENT_ACTION, partner, AGREEMENT_TURNS)


def bot_accepts(state: State, team: str, offer_from: str, *, committed: int) -> bool:
    """A bot accepts an offer it can pay for from a partner it trusts enough."""
    spare = state.teams[team].budget_per_turn - committed
    return spare >= 1 and state.trust_between(team, offer_from) >= AGREEMENT_MIN_TRUST


def bot_deals(state: State, *, actions: tuple[str, ...]) -> list[tuple[str, BotOffer]]:
    """The agreements bots conclude at the start of a turn, as (proposer, offer): each bot,
    in the order of its code, may make its offer; the offer stands when both sides can pay one
    point a turn and trust each other enough; a bot enters at most one new agreement a turn."""
    committed = {code: 0 for code in state.teams}
    for agreement in state.agreements.values():
        for party, points in agreement.commitments.items():
            committed[party] = committed.get(party, 0) + points
    taken: set[str] = set()
    deals: list[tuple[str, BotOffer]] = []
    for code in sorted(state.teams):
        if code in taken:
            continue
        offer = bot_offer(state, code, actions=actions)
        if offer is None or offer.partner in taken:
            continue
        if not bot_accepts(state, code, offer.partner, committed=committed[code]):
            continue
        if not bot_accepts(state, offer.partner, code, committed=committed[offer.partner]):
            continue
        taken |= {code, offer.partner}
        committed[code] += 1
        committed[offer.partner] += 1
        deals.append((code, offer))
    return deals
