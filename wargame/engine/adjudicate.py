"""Adjudication of one turn.

The order is fixed, so the same state, moves and seed always give the same result:

1. Agreements in force raise trust between their parties. Throughout, a gain in stability,
   capacity or trust shrinks as the indicator nears 100 (when the rules say so).
2. Every move is judged against the situation at the start of the turn, as the arguments of a
   matrix game are. A move that puts forces or officials in another nation (presence) needs
   the host's consent: its request or authorisation (this turn or the last), or a standing
   instrument in force between them (a shiprider or status-of-forces agreement), or a Security
   Council mandate the host asked for (a force it authorized, for its contributions). A host that
   declined turns the move back; without either, the move goes ahead as a sovereignty
   incident that costs trust with the host and with the nations close to it. A move's chance
   comes from the action, the team's capacity, trust with the target, agreements in force,
   the facilitator's rating, resources above the cost and the counter-arguments of other
   teams; a die seeded by (seed, turn, move key) decides, unless the
   facilitator forced the outcome. The die grades the outcome: a success, a partial success
   ("yes, but": it works, at a cost to the team's capacity), a failure, or a setback ("no,
   and": a failure that costs trust with the nation aimed at, or the team's stability).
   Successful moves apply their effects; a move that answers an open inject lowers its
   pressure.
3. An inject that arrived this turn strikes the nations it harms, whatever the answer (a
   storm's landfall), and moves trust between the nations it names, up or down (a border
   incident, an expulsion, a joint rescue). Every inject still under pressure harms the
   nations it affects among those it was delivered to; one with no pressure left is
   answered.
4. Budgets are renewed for the next turn, less the commitments of agreements that continue; a
   party that leaves an agreement or cannot pay breaks it and loses trust with the others.
5. The regional stability index follows from mean stability and mean trust.

Every change to an indicator is recorded as a Change with its cause, so a situation report
can say what caused what, with the numbers.
"""

import random
from dataclasses import replace

from wargame.engine.rules import ActionRule, Rules
from wargame.engine.state import (
    AgreementState,
    Change,
    InjectState,
    MoveInput,
    MoveOutcome,
    Result,
    State,
    TeamState,
    pair,
)


def _clamp(value: float, low: float = 0, high: float = 100) -> float:
    return max(low, min(high, value))


class _Ledger:
    """Mutable working copy of the state that records every change it makes."""

    def __init__(self, state: State, rules: Rules) -> None:
        self.diminishing = rules.diminishing_gains
        self.rules = rules
        self.trust_cap = rules.max_trust_gain_per_turn
        self.teams = {code: dict(vars(team)) for code, team in state.teams.items()}
        self.trust = dict(state.trust)
        for a in state.teams:
            for b in state.teams:
                if a < b:
                    self.trust.setdefault((a, b), 50)
        self.trust_at_start = dict(self.trust)
        self.pressure = {code: inject.pressure for code, inject in state.injects.items()}
        self.changes: list[Change] = []

    def team(
        self, code: str, indicator: str, delta: float, cause: str, ref: str, note: str
    ) -> None:
        before = self.teams[code][indicator]
        high = 10_000 if indicator == "budget" else 100
        if indicator != "budget":
            delta = self._gain(before, delta)
        after = int(_clamp(before + round(delta), 0, high))
        if after != before:
            self.teams[code][indicator] = after
            self.changes.append(Change(code, indicator, before, after, cause, ref, note))

    def trust_change(self, a: str, b: str, delta: float, cause: str, ref: str, note: str) -> None:
        key = pair(a, b)
        before = self.trust[key]
        delta = round(self._gain(before, delta))
        if delta > 0:
            # The cap is on the rise over the turn, whatever came between: a loss and a gain
            # in the same turn leave room as if neither had happened.
            room = self.trust_cap - max(0, before - self.trust_at_start.get(key, before))
            if delta > room:
                delta = max(0, room)
                note = f"{note}; trust gained this turn capped at {self.trust_cap}"
        after = int(_clamp(before + delta))
        if after != before:
            self.trust[key] = after
            self.changes.append(
                Change(f"{key[0]}-{key[1]}", "trust", before, after, cause, ref, note)
            )

    def harm(self, nation: str, pressure: float, cause: str, ref: str, note: str) -> None:
        """What `pressure` of an inject costs a nation it affects, in stability, capacity and
        support at home."""
        self.team(nation, "stability", -pressure * self.rules.harm_stability_per_pressure,
                  cause, ref, note)  # fmt: skip
        self.team(nation, "capacity", -pressure * self.rules.harm_capacity_per_pressure,
                  cause, ref, note)  # fmt: skip
        self.team(nation, "support", -pressure * self.rules.harm_support_per_pressure,
                  cause, ref, note)  # fmt: skip

    def _gain(self, before: float, delta: float) -> float:
        if self.diminishing and delta > 0:
            return delta * (100 - before) / 100
        return delta

    def relieve(self, inject: str, amount: int, ref: str, note: str) -> None:
        before = self.pressure[inject]
        after = int(_clamp(before - amount))
        if after != before:
            self.pressure[inject] = after
            self.changes.append(Change(inject, "pressure", before, after, "move", ref, note))


def adjudicate(state: State, moves: list[MoveInput], rules: Rules, seed: int) -> Result:
    """Adjudicate one turn: the next state, the outcome of every move and every change."""
    ledger = _Ledger(state, rules)
    in_force = agreements_in_force(state)

    # 1. Agreements in force build trust between their parties.
    for key, agreement in in_force.items():
        parties = sorted(set(agreement.parties) & set(state.teams))
        if any(agreement.commitments.get(party, 0) < 1 for party in agreement.parties):
            continue  # words without action points build no trust
        for index, a in enumerate(parties):
            for b in parties[index + 1 :]:
                ledger.trust_change(
                    a, b, rules.agreement_trust_per_turn, "agreement", key,
                    f"{agreement.action} agreement in force",
                )  # fmt: skip

    # 2. Moves, each judged against the start of the turn.
    outcomes: dict[str, MoveOutcome] = {}
    valid: list[MoveInput] = []
    made: dict[tuple[str, str], int] = {}
    for move in moves:
        reason, about = _refusal(state, move, rules) or _over_limit(move, rules, made)
        if reason:
            outcomes[move.key] = MoveOutcome(move.key, "refused", reason=reason, about=about)
        else:
            valid.append(move)
    keys = {move.key: move for move in valid}
    counters: dict[str, list[str]] = {}
    arguments: list[MoveInput] = []
    for move in valid:
        target = keys.get(move.counter_to) if move.counter_to else None
        if move.counter_to is not None:
            if target is None or target.team == move.team or target.counter_to is not None:
                outcomes[move.key] = MoveOutcome(move.key, "refused", reason="counters_nothing")
            else:
                counters.setdefault(target.key, []).append(move.key)
                outcomes[move.key] = MoveOutcome(
                    move.key, "counter", reason="against", about={"move": target.key}
                )
        else:
            arguments.append(move)

    # Hosts' answers first: they decide whether moves of presence have consent.
    consents = host_answers(state, arguments, rules)
    for move in sorted(arguments, key=lambda m: m.key):
        action = rules.actions[move.action]
        if action.consent:
            # A host's answer is given, not tried: it takes effect as made, with its cost at home.
            outcomes[move.key] = MoveOutcome(move.key, "success", reason=action.consent)
            _domestic_cost(ledger, move, action)
            _apply_move(ledger, state, move, action, rules)
            continue
        consent = consent_for(consents, in_force, move, action, rules, state.mandates)
        if consent == "decline":
            outcomes[move.key] = MoveOutcome(
                move.key, "declined", reason="declined", about={"host": str(move.target_team)}
            )
            continue
        factors = _chance_factors(state, in_force, move, rules, len(counters.get(move.key, [])))
        if consent == "conditions":
            factors["conditions"] = -rules.conditions_penalty
        chance = _clamp(sum(factors.values()), rules.chance_floor, rules.chance_ceiling)
        roll = random.Random(f"{seed}:{state.turn}:{move.key}").random()
        grade = rules.grade(chance, roll, forced=move.forced)
        unasked = consent == "none"
        outcomes[move.key] = MoveOutcome(
            move.key,
            grade,
            chance=round(chance, 4),
            roll=round(roll, 4),
            # A sovereignty incident is told even of an outcome the facilitator decided.
            reason="without_consent" if unasked else "forced" if move.forced is not None else "",
            about={"host": str(move.target_team)} if unasked else {},
            factors={name: round(value, 4) for name, value in factors.items()},
        )
        _domestic_cost(ledger, move, action)
        if grade in ("success", "partial"):
            _apply_move(ledger, state, move, action, rules)
        if grade == "partial":
            ledger.team(move.team, "capacity", -rules.partial_capacity, "move", move.key,
                        f"{action.code} succeeded at a cost")  # fmt: skip
        elif grade == "setback":
            _setback(ledger, move, rules)
        if unasked:
            _sovereignty_incident(ledger, state, move, rules)

    # 3. The news of the turn strikes the nations it harms and moves trust; injects still
    # under pressure hurt the nations they affect.
    for code, inject in sorted(state.injects.items()):
        if not inject.arrived:
            continue
        note = f"{inject.kind} arrived"
        for nation in inject.harms:
            if nation in state.teams:
                ledger.harm(nation, inject.pressure * rules.arrival_harm, "shock", code, note)
        for a, b, change in inject.trust:
            if a in state.teams and b in state.teams:
                ledger.trust_change(a, b, change, "shock", code, note)
        for nation, change in inject.support:
            if nation in state.teams:
                ledger.team(nation, "support", change, "shock", code, note)
    answered: list[str] = []
    for code, inject in sorted(state.injects.items()):
        if inject.answered:
            continue
        pressure = ledger.pressure[code]
        if pressure <= 0:
            answered.append(code)
            continue
        for nation in inject.harms:
            if nation not in state.teams:
                continue
            note = f"{inject.kind} still open, pressure {pressure}"
            ledger.harm(nation, pressure, "inject", code, note)

    # 4. Renewal of budgets, less the commitments of continuing agreements.
    broken: dict[str, str] = {}
    expired: list[str] = []
    owed = {code: 0 for code in state.teams}
    for key, agreement in in_force.items():
        if agreement.ends_turn <= state.turn:
            expired.append(key)
            continue
        leaver = next((p for p in agreement.parties if p in agreement.leaving), None)
        if leaver is None:
            leaver = next(
                (
                    p
                    for p in sorted(agreement.parties)
                    if p in owed
                    and owed[p] + agreement.commitments.get(p, 0) > state.teams[p].budget_per_turn
                ),
                None,
            )
            if leaver is None:
                for party in agreement.parties:
                    if party in owed:
                        owed[party] += agreement.commitments.get(party, 0)
                continue
        broken[key] = leaver
        for other in agreement.parties:
            if other != leaver and other in state.teams:
                ledger.trust_change(
                    leaver, other, rules.broken_agreement_trust, "agreement", key,
                    f"{leaver} broke the {agreement.action} agreement",
                )  # fmt: skip
    for code, team in sorted(state.teams.items()):
        renewed = max(0, team.budget_per_turn - owed[code])
        ledger.team(
            code, "budget", renewed - ledger.teams[code]["budget"], "renewal", code,
            f"{team.budget_per_turn} per turn, {owed[code]} committed to agreements",
        )  # fmt: skip

    # 5. The regional stability index.
    regional = regional_stability(ledger.teams, ledger.trust, rules)
    if regional != state.regional_stability:
        ledger.changes.append(
            Change(
                "region",
                "regional_stability",
                state.regional_stability,
                regional,
                "index",
                "region",
                "mean stability and mean trust",
            )
        )

    next_state = State(
        turn=state.turn + 1,
        teams={code: TeamState(**values) for code, values in ledger.teams.items()},
        trust=dict(ledger.trust),
        injects={
            code: replace(
                inject,
                pressure=ledger.pressure[code],
                answered=inject.answered or code in answered,
                arrived=False,
            )
            for code, inject in state.injects.items()
        },
        agreements={
            key: agreement
            for key, agreement in in_force.items()
            if key not in broken and key not in expired
        },
        regional_stability=regional,
        no_relations=state.no_relations,
        mandates=state.mandates,
        # This turn's answers stand for the next turn too.
        consents=tuple(
            (answer.team, answer.target_team or "*", rules.actions[answer.action].consent)
            for answer in sorted(moves, key=lambda m: m.key)
            if outcomes.get(answer.key)
            and outcomes[answer.key].status == "success"
            and rules.actions[answer.action].consent
        ),
    )
    return Result(
        state=next_state,
        changes=tuple(ledger.changes),
        outcomes=outcomes,
        answered=tuple(answered),
        broken=broken,
        expired=tuple(expired),
    )


def regional_stability(
    teams: dict[str, dict[str, int]] | dict[str, TeamState],
    trust: dict[tuple[str, str], int],
    rules: Rules,
) -> float:
    """The regional stability index: weighted mean stability and mean trust, 0..100."""
    if not teams:
        return 0.0
    stabilities = [
        team["stability"] if isinstance(team, dict) else team.stability for team in teams.values()
    ]
    mean_stability = sum(stabilities) / len(stabilities)
    mean_trust = sum(trust.values()) / len(trust) if trust else 50.0
    weights = rules.regional_stability_weights
    total = weights["stability"] + weights["trust"]
    value = (weights["stability"] * mean_stability + weights["trust"] * mean_trust) / total
    return round(_clamp(value), 1)


Reason = tuple[str, dict[str, str | int]]  # a code and its parameters; ("", {}) for none
NO_REASON: Reason = ("", {})


def _refusal(state: State, move: MoveInput, rules: Rules) -> Reason | None:
    """Why the move cannot be played at all, or None."""
    action = rules.actions.get(move.action)
    if action is None:
        return "unknown_action", {"action": move.action}
    if move.team not in state.teams:
        return "unknown_team", {"team": move.team}
    if move.resources < action.cost:
        return "cost", {"action": action.code, "cost": action.cost, "committed": move.resources}
    if move.target_team is not None:
        if move.target_team == move.team:
            return "own_team", {}
        if move.target_team not in state.teams:
            return "unknown_team", {"team": move.target_team}
        if "nation" not in action.targets:
            return "not_aimed", {"action": action.code}
    if move.target_inject is not None:
        inject = state.injects.get(move.target_inject)
        if inject is None or inject.answered:
            return "inject_closed", {"inject": move.target_inject}
        if "inject" not in action.targets:
            return "not_an_answer", {"action": action.code}
    return None


def _over_limit(move: MoveInput, rules: Rules, made: dict[tuple[str, str], int]) -> Reason:
    """The limits per team and turn, in the order the moves were made: a team argues
    against at most `counters_per_team_per_turn` moves, and makes at most an action's
    `per_turn` moves of it. Counts the move in `made` when it is within them."""
    countering = move.counter_to is not None
    kind = "counter" if countering else move.action
    limit = rules.turn_limit(move.action, countering=countering)
    count = made.get((move.team, kind), 0)
    if limit and count >= limit:
        if kind == "counter":
            return "counter_limit", {"team": move.team, "limit": limit}
        return "action_limit", {"team": move.team, "limit": limit, "action": move.action}
    made[(move.team, kind)] = count + 1
    return NO_REASON


def _chance_factors(
    state: State,
    in_force: dict[str, AgreementState],
    move: MoveInput,
    rules: Rules,
    counters: int,
) -> dict[str, float]:
    action = rules.actions[move.action]
    team = state.teams[move.team]
    factors = {
        "base": action.chance,
        "capacity": rules.capacity_weight * (team.capacity - 50) / 50,
    }
    if rules.support_weight and team.support != 50:
        factors["support"] = rules.support_weight * (team.support - 50) / 50
    if move.target_team is not None:
        trust = state.trust_between(move.team, move.target_team)
        factors["trust"] = rules.trust_weight * (trust - 50) / 50
        if pair(move.team, move.target_team) in state.no_relations and not action.mechanism:
            factors["no_relations"] = -rules.no_relations_penalty
    bound = any(
        agreement.action == move.action
        and move.team in agreement.parties
        and (move.target_team is None or move.target_team in agreement.parties)
        for agreement in in_force.values()
    )
    if bound:
        factors["agreement"] = rules.agreement_bonus
    if move.rating:
        factors["rating"] = rules.ratings.get(move.rating, 0.0)
    extra = move.resources - action.cost
    if extra > 0:
        factors["resources"] = rules.resource_bonus(extra)
    if counters:
        factors["counters"] = -rules.counter_penalty_for(counters)
    return factors


def _apply_move(
    ledger: _Ledger, state: State, move: MoveInput, action: ActionRule, rules: Rules
) -> None:
    note = f"{action.code} succeeded"
    if action.stability:
        ledger.team(move.team, "stability", action.stability, "move", move.key, note)
    if action.capacity:
        ledger.team(move.team, "capacity", action.capacity, "move", move.key, note)
    if action.support:
        ledger.team(move.team, "support", action.support, "move", move.key, note)
    if move.target_team is not None:
        if action.target_stability:
            ledger.team(
                move.target_team, "stability", action.target_stability, "move", move.key, note
            )
        if action.trust:
            ledger.trust_change(move.team, move.target_team, action.trust, "move", move.key, note)
    elif action.trust:
        region = action.trust / rules.region_trust_share
        for other in sorted(state.teams):
            if other != move.team:
                ledger.trust_change(move.team, other, region, "move", move.key, note)
    if move.target_inject is not None:
        inject: InjectState = state.injects[move.target_inject]
        # Forces relieve an inject at home, or in a nation it harms that they were sent to: a
        # relief flight bound nowhere answers nobody's disaster.
        reaches = (
            not action.presence or move.team in inject.harms or (move.target_team in inject.harms)
        )
        if move.action in inject.expected_actions and action.relief and reaches:
            ledger.relieve(inject.code, action.relief, move.key, f"{action.code} answers it")


def _domestic_cost(ledger: _Ledger, move: MoveInput, action: ActionRule) -> None:
    """What playing the move costs at home, whatever its outcome."""
    if action.domestic:
        ledger.team(move.team, "support", -action.domestic, "move", move.key,
                    f"{action.code} costs support at home")  # fmt: skip


def _setback(ledger: _Ledger, move: MoveInput, rules: Rules) -> None:
    """A failure with a cost: trust with the nation the move was aimed at, or the team's own
    stability for a move aimed at no other nation."""
    note = f"{move.action} failed badly"
    if move.target_team is not None and move.target_team != move.team:
        ledger.trust_change(move.team, move.target_team, -rules.setback_trust, "move",
                            move.key, note)  # fmt: skip
    else:
        ledger.team(move.team, "stability", -rules.setback_stability, "move", move.key, note)


# --- Consent --------------------------------------------------------------------------------


def agreements_in_force(state: State) -> dict[str, AgreementState]:
    """The agreements in force this turn, by key, in order."""
    return {
        key: agreement
        for key, agreement in sorted(state.agreements.items())
        if agreement.ends_turn >= state.turn
    }


def host_answers(state: State, moves: list[MoveInput], rules: Rules) -> dict[tuple[str, str], str]:
    """Each host's answer by (host, guest or "*"): "request", "condition" (consent on the
    host's terms) or "decline". The last turn's answers stand unless the host answered again
    this turn; within a turn a decline prevails."""
    answers: dict[tuple[str, str], str] = {}
    for host, guest, answer in state.consents:
        if answers.get((host, guest)) != "decline":
            answers[(host, guest)] = answer
    given: dict[tuple[str, str], str] = {}
    for move in sorted(moves, key=lambda m: m.key):
        rule = rules.actions.get(move.action)
        if rule is None or not rule.consent or move.counter_to is not None:
            continue
        key = (move.team, move.target_team or "*")
        if given.get(key) != "decline":
            given[key] = rule.consent
    hosts = {host for host, _guest in given}
    answers = {key: answer for key, answer in answers.items() if key[0] not in hosts}
    return answers | given


def consent_for(
    consents: dict[tuple[str, str], str],
    in_force: dict[str, AgreementState],
    move: MoveInput,
    action: ActionRule,
    rules: Rules,
    mandates: frozenset[tuple[str, str]] = frozenset(),
) -> str:
    """Whether a move may enter its target: "given" (asked for, authorised, or covered by a
    standing instrument or a Security Council mandate), "conditions" (the host consented on its
    terms, which prevail over an instrument), "decline" (the host said no), "none" (nobody
    asked the host), or "" for a move that enters no other nation."""
    host = move.target_team
    if not action.presence or host is None or host == move.team:
        return ""
    answer = consents.get((host, move.team)) or consents.get((host, "*"))
    if answer == "decline":
        return "decline"
    if answer == "condition":
        return "conditions"
    if answer == "request" or (host, move.action) in mandates:
        return "given"
    for agreement in in_force.values():
        rule = rules.actions.get(agreement.action)
        if (
            rule is not None
            and move.action in rule.covers
            and {move.team, host} <= set(agreement.parties)
            and not set(agreement.leaving) & {move.team, host}
        ):
            return "given"
    return "none"


def _sovereignty_incident(ledger: _Ledger, state: State, move: MoveInput, rules: Rules) -> None:
    """Forces sent in without the host's consent: the host's trust in the sender falls, and so
    does the trust of every nation close to the host (trust at least `sovereignty_watch_trust`
    at the start of the turn)."""
    host = str(move.target_team)
    note = f"{move.action} in {host} without its consent"
    ledger.trust_change(
        move.team, host, rules.sovereignty_host_trust, "sovereignty", move.key, note
    )
    for other in sorted(state.teams):
        if other in (move.team, host):
            continue
        if state.trust_between(other, host) >= rules.sovereignty_watch_trust:
            ledger.trust_change(
                move.team, other, rules.sovereignty_watcher_trust, "sovereignty", move.key, note
            )
