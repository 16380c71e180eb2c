"""`manage.py simulate`: a whole exercise played by bots, to balance a scenario."""

import json
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wargame.engine.bots import bot_deals, bot_moves, bot_rng
from wargame.exercises.models import Event, Exercise, Inject, Role
from wargame.exercises.services import exercise_create, move_submit, participant_add
from wargame.lib.commands import CumbreCommand
from wargame.negotiation.services import proposal_answer, proposal_create
from wargame.scenarios.catalogue import engine_rules
from wargame.scenarios.models import Scenario
from wargame.scenarios.selectors import scenario_latest
from wargame.turns import adjudication
from wargame.turns.services import exercise_start, turn_close


class _Discard(Exception):
    """Raised to roll back a simulation that is not kept."""


class Command(CumbreCommand):
    help = gettext_lazy(
        "Play a whole exercise of a scenario with scripted bot teams, through the same services "
        "and the same turn closing as a live exercise, and print the indicators turn by turn. "
        "The same seed gives the same output. Use it to balance a scenario before running it "
        "with people."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--seed", type=int, required=True)
        parser.add_argument("--turns", type=int, help=gettext_lazy("Stop after this many turns."))
        parser.add_argument(
            "--keep", action="store_true", help=gettext_lazy("Keep the exercise in the database.")
        )
        parser.add_argument(
            "--json", action="store_true", help=gettext_lazy("Print one JSON object.")
        )

    def handle(self, *args: Any, slug: str, seed: int, turns: int | None, keep: bool,
               json: bool, **options: Any) -> None:  # fmt: skip
        scenario = scenario_latest(slug)
        if scenario is None:
            raise CommandError(_("no scenario with the slug %(slug)s") % {"slug": repr(slug)})
        if turns is not None and turns < 1:
            raise CommandError(_("--turns must be 1 or more"))
        try:
            with transaction.atomic():
                report = simulate(scenario, seed=seed, turns=turns or scenario.turns)
                if not keep:
                    raise _Discard
        except _Discard:
            report["exercise"] = None
        if json:
            self.stdout.write(_json_dumps(report))
        else:
            self.stdout.write(_table(report))


def _json_dumps(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False)


def simulate(scenario: Scenario, *, seed: int, turns: int) -> dict[str, Any]:
    """Play `turns` turns with one bot per nation; return what happened, turn by turn."""
    User = get_user_model()
    director, _created = User.objects.get_or_create(username="simulation-director")
    exercise = exercise_create(
        actor=director,
        scenario=scenario,
        seed=seed,
        title=_("Simulation of %(title)s") % {"title": scenario.title},
    )
    teams = {team.nation_code: team for team in exercise.teams.order_by("nation_code")}
    bots = {}
    for code, team in teams.items():
        bot, _created = User.objects.get_or_create(username=f"bot-{code}")
        participant_add(actor=director, exercise=exercise, user=bot, role=Role.PLAYER, team=team)
        bots[code] = bot
    actions = tuple(scenario.actions.values_list("code", flat=True))
    rules = engine_rules()
    exercise_start(actor=director, exercise=exercise)

    played = []
    for number in range(1, min(turns, scenario.turns) + 1):
        exercise.refresh_from_db()
        turn = exercise.turn_set.get(number=number)
        state = adjudication.engine_state(adjudication.load_context(exercise, turn))
        injects = {inject.code: inject for inject in exercise.injects.all()}
        _negotiate(exercise, state, actions, teams, bots)
        for code in sorted(teams):
            visible = {
                c for c, inject in injects.items()
                if inject.status == Inject.Status.DELIVERED
                and (not inject.recipients or code in inject.recipients)
            }  # fmt: skip
            rng = bot_rng(seed, number, code)
            for move in bot_moves(state, code, rules, actions=actions, visible=visible, rng=rng):
                move_submit(
                    actor=bots[code],
                    team=teams[code],
                    action=move.action,
                    resources=move.resources,
                    target_team=teams[move.target_team] if move.target_team else None,
                    target_inject=injects[move.target_inject] if move.target_inject else None,
                    rationale="Scripted bot move.",
                )
        turn_close(exercise_id=exercise.pk, turn_number=number, reason="simulation")
        turn.refresh_from_db()
        played.append(
            {
                "number": number,
                "teams": turn.snapshot["teams"],
                "regional_stability": turn.snapshot["regional_stability"],
                "trust": turn.snapshot["trust"],
                "answered_injects": turn.snapshot["answered"],
                "events": Event.objects.filter(exercise=exercise, turn=number).count(),
            }
        )
    return {"scenario": scenario.slug, "seed": seed, "exercise": exercise.code, "turns": played}


def _negotiate(
    exercise: Exercise, state: Any, actions: tuple[str, ...], teams: dict, bots: dict
) -> None:
    """The bots' deals of the turn (wargame/engine/bots.py), each proposed and accepted
    through the same proposal services as players use."""
    terms = {"points": 1, "terms": "Share maritime tracks daily."}
    for code, offer in bot_deals(state, actions=actions):
        proposal = proposal_create(
            actor=bots[code], team=teams[code], parties=[teams[offer.partner]],
            action=offer.action, commitments={code: terms, offer.partner: terms},
            duration=offer.turns, note="Scripted bot proposal.",
        )  # fmt: skip
        proposal_answer(
            actor=bots[offer.partner], proposal=proposal, team=teams[offer.partner], accept=True
        )


def _table(report: dict[str, Any]) -> str:
    lines = [f"Simulation of {report['scenario']} with seed {report['seed']}"]
    if report["exercise"]:
        lines.append(f"Kept as exercise {report['exercise']}")
    for turn in report["turns"]:
        answered = ", ".join(turn["answered_injects"]) or "none"
        lines.append("")
        lines.append(
            f"Turn {turn['number']}: regional stability {turn['regional_stability']:.1f}; "
            f"injects answered: {answered}; {turn['events']} events"
        )
        lines.append(f"  {'nation':<8}{'stability':>10}{'capacity':>10}{'budget':>8}")
        for code, values in turn["teams"].items():
            lines.append(
                f"  {code:<8}{values['stability']:>10}{values['capacity']:>10}{values['budget']:>8}"
            )
        trust = turn["trust"].values()
        lines.append(f"  mean trust {sum(trust) / max(len(trust), 1):.1f}")
    return "\n".join(lines)
