"""`manage.py balance`: how a scenario plays over many seeds, before anyone plays it."""

import dataclasses
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wargame.engine.balance import Balance, balance
from wargame.lib.commands import CumbreCommand
from wargame.lib.nations import nation_name
from wargame.scenarios.catalogue import engine_rules
from wargame.scenarios.management.commands._shared import scenario_named
from wargame.scenarios.models import Scenario
from wargame.scenarios.selectors import scenario_spec
from wargame.scenarios.simulation import simulation_plan, warning_text

MAX_RUNS = 5000


class Command(CumbreCommand):
    help = gettext_lazy(
        "Play a scenario many times on the rules alone (no database writes) with the scripted "
        "bots, and print for each nation and turn the median and the 10-90% band of its "
        "stability, how often each inject is left open, and where the scenario decides a "
        "nation's fate before anyone plays. The same seed gives the same figures."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("slug")
        parser.add_argument(
            "--scenario-version", dest="scenario_version", type=int, metavar="N",
            help=gettext_lazy("Which version of the scenario (default: the latest)."),
        )  # fmt: skip
        parser.add_argument(
            "--runs", type=int, default=200,
            help=gettext_lazy("How many plays, each with its own seed (default %(default)s)."),
        )  # fmt: skip
        parser.add_argument(
            "--seed", type=int, default=1,
            help=gettext_lazy("The first play's seed; the next play takes the next number."),
        )  # fmt: skip
        parser.add_argument(
            "--empty", default="", metavar="NATIONS",
            help=gettext_lazy(
                "Seats nobody plays, as nation codes separated by commas (HTI,DOM), or all: "
                "they make no move and conclude no agreement."
            ),
        )  # fmt: skip
        parser.add_argument(
            "--selfish", action="store_true",
            help=gettext_lazy(
                "The played seats look after themselves only: they answer what harms them and "
                "ask for help, but help and cooperate with nobody."
            ),
        )  # fmt: skip
        parser.add_argument(
            "--json", action="store_true", help=gettext_lazy("Print one JSON object.")
        )

    def handle(self, *args: Any, slug: str, scenario_version: int | None, runs: int, seed: int,
               empty: str, selfish: bool, json: bool, **options: Any) -> None:  # fmt: skip
        scenario = scenario_named(slug, scenario_version)
        if not 1 <= runs <= MAX_RUNS:
            raise CommandError(_("--runs must be from 1 to %(most)s") % {"most": MAX_RUNS})
        plan = simulation_plan(scenario_spec(scenario))
        idle = _seats(empty, sorted(plan.teams))
        played = frozenset(plan.teams) - idle if selfish else frozenset()
        figures = balance(plan, engine_rules(), runs=runs, seed=seed, idle=idle, selfish=played)
        if json:
            self.stdout.write(_json(scenario, figures))
        else:
            self.stdout.write(_text(scenario, figures))


def _seats(empty: str, codes: list[str]) -> frozenset[str]:
    if empty.strip().lower() == "all":
        return frozenset(codes)
    asked = [code.strip().upper() for code in empty.split(",") if code.strip()]
    unknown = [code for code in asked if code not in codes]
    if unknown:
        raise CommandError(
            _("--empty: %(unknown)s is not a nation of the scenario (%(codes)s)")
            % {"unknown": ", ".join(unknown), "codes": ", ".join(codes)}
        )
    return frozenset(asked)


def _json(scenario: Scenario, figures: Balance) -> str:
    data = {"scenario": scenario.slug, "version": scenario.version} | dataclasses.asdict(figures)
    return json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n"


def _text(scenario: Scenario, figures: Balance) -> str:
    seats = (
        _("bots on every seat")
        if not figures.idle
        else _("bots on every seat but %(idle)s, which nobody plays")
        % {"idle": ", ".join(nation_name(code) for code in figures.idle)}
    )
    if figures.selfish:
        seats += _(", each looking after itself only")
    lines = [
        _(
            "%(scenario)s, version %(version)s: %(runs)s plays (seeds %(first)s to %(last)s), "
            "%(seats)s."
        )
        % {
            "scenario": scenario.title,
            "version": scenario.version,
            "runs": figures.runs,
            "first": figures.seed,
            "last": figures.seed + figures.runs - 1,
            "seats": seats,
        },
        "",
        _("Stability after each turn: the median, and the band in which 8 plays in 10 end."),
    ]
    width = max(len(nation_name(n.code)) for n in figures.nations)
    turns = len(figures.nations[0].turns)
    header = [_("Nation").ljust(width), _("Start").rjust(5)]
    header += [(_("T%(number)s") % {"number": t + 1}).rjust(11) for t in range(turns)]
    lines.append("  ".join(header))
    for nation in figures.nations:
        row = [nation_name(nation.code).ljust(width), str(nation.start["stability"]).rjust(5)]
        for turn in nation.turns:
            band = turn["stability"]
            row.append(f"{band.median:>3.0f} {band.low:>3.0f}–{band.high:<3.0f}".rjust(11))
        lines.append("  ".join(row))
    lines.append("")
    if figures.objectives:
        lines.append(_("Each objective's proposed rating, as a share of the plays:"))
        for objective in figures.objectives:
            shares = "  ".join(f"{r} {objective.ratings[r]:>4.0%}" for r in "PSMU")
            lines.append(f"  {objective.code:<8} {shares}")
        lines.append("")
    left = [i for i in figures.injects if i.delivered and i.open_at_end >= 0.5]
    if left:
        lines.append(_("Injects still open at the end in at least half of the plays:"))
        lines += [f"  {i.code}: {i.open_at_end:.0%}" for i in left]
    else:
        lines.append(_("No inject is still open at the end in half of the plays or more."))
    lines.append("")
    if figures.warnings:
        lines.append(_("Decided before anyone plays:"))
        lines += [f"  {warning_text(w)}" for w in figures.warnings]
    else:
        lines.append(_("No nation's fate is decided before anyone plays."))
    return "\n".join(lines) + "\n"
