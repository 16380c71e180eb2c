"""A busy turn of a synthetic exercise of any size, for benchmarks and tests of scale.

`synthetic_exercise` runs a scenario (usually `tests.factories.scenarios.synthetic_spec`) up
to a busy first turn through the real services, so that what is measured next is what a
facilitator's exercise does. The benchmark (`bench/turns.py`) and the tests build exactly the
same situation with it.
"""

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from wargame.exercises.models import Exercise, Inject, Move, Role, Team
from wargame.exercises.services import exercise_create, inject_deliver, move_submit, participant_add
from wargame.negotiation.models import Agreement
from wargame.negotiation.services import agreement_conclude
from wargame.scenarios.catalogue import ActionSpec, catalogue, engine_rules
from wargame.scenarios.models import Scenario
from wargame.turns.services import exercise_start


@dataclass(frozen=True)
class SyntheticTurn:
    """An exercise in its first turn, ready to be closed, and what is waiting in it."""

    exercise: Exercise
    moves: int
    agreements: int
    open_injects: int


# The actions agreements are made of, and the kind of target each of a team's moves takes.
_AGREEMENT_ACTIONS = ("joint_exercise", "intel_sharing", "maritime_patrol", "training_exchange")
_MOVE_TARGETS = ("inject", "nation", "nation", "region", "inject", "counter")


def synthetic_exercise(
    scenario: Scenario,
    *,
    facilitator: AbstractBaseUser,
    moves_per_team: int = 6,
    agreements: int = 20,
    seed: int = 1,
) -> SyntheticTurn:
    """An exercise of the scenario, started, with every inject delivered, `agreements`
    agreements in force between random pairs of teams and `moves_per_team` moves submitted by
    each team's player: answers to injects, moves aimed at other nations, region-wide moves,
    and a counter-argument to another team's move. Everything goes through the services.
    The same seed gives the same exercise.
    """
    rng = random.Random(seed)
    exercise = exercise_create(actor=facilitator, scenario=scenario, seed=seed)
    teams = list(exercise.teams.order_by("position"))
    players = {}
    for team in teams:
        player = _player(f"synthetic-{team.nation_code.lower()}")
        participant_add(
            actor=facilitator, exercise=exercise, user=player, role=Role.PLAYER, team=team
        )
        players[team.pk] = player
    exercise_start(actor=facilitator, exercise=exercise)
    for inject in exercise.injects.filter(status__in=[Inject.Status.SCHEDULED, Inject.Status.HELD]):
        inject_deliver(actor=facilitator, inject=inject)
    open_injects = list(exercise.injects.filter(status=Inject.Status.DELIVERED))

    allowed = set(scenario.actions.values_list("code", flat=True))
    agreement_actions = {
        action.code: action
        for action in scenario.actions.filter(code__in=_AGREEMENT_ACTIONS).order_by("position")
    }
    for _index in range(agreements if agreement_actions else 0):
        a, b = rng.sample(teams, 2)
        action = agreement_actions[rng.choice(sorted(agreement_actions))]
        agreement_conclude(
            actor=facilitator,
            exercise=exercise,
            action=action.code,
            commitments={
                team.nation_code: {"points": rng.choice((1, 1, 2)), "terms": f"{action.name}."}
                for team in (a, b)
            },
            turns=rng.randint(2, 4),
        )

    # Standing instruments are agreed, never played as moves.
    specs = {a.code: a for a in catalogue() if a.code in allowed and a.targets}
    rules = engine_rules()  # a team's moves stay within the limits per turn
    moves = 0
    first_moves: dict[int, Move] = {}
    for number, team in enumerate(teams):
        received = [i for i in open_injects if not i.recipients or team.nation_code in i.recipients]
        others = [other for other in teams if other.pk != team.pk]
        made: dict[str, int] = {}  # moves of each action, and counters, this turn
        for step in range(moves_per_team):
            target = _MOVE_TARGETS[step % len(_MOVE_TARGETS)]
            if target == "counter" and made.get("counter", 0) >= rules.counters_per_team_per_turn:
                target = "region"
            within = {
                code: spec
                for code, spec in specs.items()
                if not (limit := rules.turn_limit(code, countering=False))
                or made.get(code, 0) < limit
            }
            kwargs = _move(
                rng, within, target, received, others,
                counter_to=first_moves.get(teams[number - 1].pk) if number else None,
            )  # fmt: skip
            kind = "counter" if kwargs.get("counter_to") else str(kwargs["action"])
            made[kind] = made.get(kind, 0) + 1
            move = move_submit(actor=players[team.pk], team=team, **kwargs)
            first_moves.setdefault(team.pk, move)
            moves += 1

    exercise.refresh_from_db()
    return SyntheticTurn(
        exercise=exercise,
        moves=moves,
        agreements=exercise.agreements.filter(status=Agreement.Status.IN_FORCE).count(),
        open_injects=exercise.injects.filter(status=Inject.Status.DELIVERED).count(),
    )


def _player(username: str) -> AbstractBaseUser:
    # One user per nation plays in every synthetic exercise; no password, so no slow hashing.
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    return user or user_model.objects.create_user(username)


def _move(
    rng: random.Random,
    specs: dict[str, ActionSpec],
    target: str,
    received: list[Inject],
    others: list[Team],
    *,
    counter_to: Move | None,
) -> dict[str, object]:
    """The arguments of one plausible move aimed at `target`."""
    if target == "counter" and counter_to is not None:
        statement = "public_statement" if "public_statement" in specs else rng.choice(sorted(specs))
        return {
            "action": statement,
            "counter_to": counter_to,
            "rationale": "Their plan ignores the needs of the affected population.",
        }
    if target == "inject" and received:
        inject = rng.choice(received)
        answering = [code for code, spec in specs.items() if "inject" in spec.targets]
        fitting = [code for code in inject.expected_actions if code in answering] or answering
        return {
            "action": rng.choice(fitting),
            "target_inject": inject,
            "intended_result": f"Relieve the pressure of {inject.code}.",
            "rationale": "We have assets in the area and a standing plan.",
        }
    if target == "nation":
        action = rng.choice(
            sorted(code for code, spec in specs.items() if "nation" in spec.targets)
        )
        return {
            "action": action,
            "target_team": rng.choice(others),
            "intended_result": "Closer cooperation with a neighbour.",
            "rationale": "We share the threat and the border.",
        }
    action = rng.choice(
        sorted(code for code, spec in specs.items() if {"region", "self"} & set(spec.targets))
    )
    # One action point above the cost: a team that invests more has a better chance.
    return {
        "action": action,
        "resources": specs[action].cost + 1,
        "intended_result": "Show the region we are doing our part.",
        "rationale": "Visible presence deters traffickers.",
    }
