"""A team's situation report, turn by turn, in sentences a delegation reads in 20 seconds.

The engine explains every change it makes (a Change with its cause and the move, agreement or
inject behind it, wargame/engine/state.py) in codes. Here the changes that concern one team
become words with names: first what the team's own moves did, then what changed for it in
short (its stability and capacity, who trusts it more or less, the injects that are over), and
then, for whoever wants the arithmetic, how each indicator moved and why, grouped by cause.
Every cause named is one the team can see: its own moves, another team's move aimed at it or
at everyone, its agreements, the injects in its own feed (the engine hurts a nation only with
an inject it received) and the renewal of its budget.

Built once as typed data; the team room and the team's debrief render the same sentences.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wargame.exercises.models import Exercise, Move, Team, Turn
from wargame.lib.languages import translated
from wargame.negotiation.models import Agreement
from wargame.turns.adjudication import agreement_key

# At most this many partners are named in one sentence; beyond, they are counted.
NAMED = 4


@dataclass(frozen=True)
class Line:
    """One sentence; `tone` is "good", "bad" or "" (neither), for the eye, never the only
    carrier of the meaning."""

    text: str
    tone: str = ""


@dataclass(frozen=True)
class Cause:
    """One cause and what it changed for the team, each change in words."""

    text: str
    effects: tuple[str, ...]


@dataclass(frozen=True)
class SituationReport:
    turn: int
    stability: int | None
    capacity: int | None
    outcomes: tuple[Line, ...]  # the team's own moves
    summary: tuple[Line, ...]  # what changed for the team, in short
    causes: tuple[Cause, ...] = field(default=())  # how each indicator moved, and why


def _tone(delta: float) -> str:
    return "good" if delta > 0 else "bad" if delta < 0 else ""


def _names(names: list[str]) -> str:
    """Colombia; Colombia and Peru; Colombia, Ecuador and Peru."""
    if len(names) == 1:
        return names[0]
    return _("%(list)s and %(last)s") % {"list": ", ".join(names[:-1]), "last": names[-1]}


def _concerning(turn: Turn) -> dict[str, list[dict[str, Any]]]:
    """The turn's recorded changes by the nation each may concern, in their order: a trust
    change both nations of its pair, the pressure a move relieved its author, any other the
    nation it changed. Built once per turn read: every team's room of a large exercise reads
    its own few changes, not every change of every nation."""
    index = getattr(turn, "_changes_by_nation", None)
    if index is None:
        index = defaultdict(list)
        for change in turn.adjudication.get("changes", []):
            if change["indicator"] == "trust":
                nations = change["subject"].split("-")
            elif change["indicator"] == "pressure":
                nations = [change["ref"].split(":", 1)[0]] if change["cause"] == "move" else []
            else:
                nations = [change["subject"]]
            for nation in nations:
                index[nation].append(change)
        turn._changes_by_nation = index
    return index


class _Reader:
    """What the reports of one team need, read in a fixed number of queries."""

    def __init__(
        self, exercise: Exercise, team: Team, turns: list[Turn], teams: list[Team] | None
    ) -> None:
        self.team = team
        self.code = team.nation_code
        teams = list(exercise.teams.all()) if teams is None else teams
        self.name = {t.nation_code: t.name for t in teams}
        injects = exercise.injects.values_list("code", "title", "translations", "recipients")
        self.inject = {
            code: translated(title, translations, "title")
            for code, title, translations, _recipients in injects
        }
        self.received = {
            code
            for code, _title, _translations, recipients in injects
            if not recipients or self.code in recipients
        }
        keys: dict[int, set[str]] = defaultdict(set)
        agreements: set[int] = set()
        for turn in turns:
            for change in _concerning(turn).get(self.code, []):
                if change["cause"] in ("move", "sovereignty"):
                    keys[turn.pk].add(change["ref"])
                elif change["cause"] == "agreement" and change["ref"][1:].isdigit():
                    agreements.add(int(change["ref"][1:]))
            keys[turn.pk].update(k for k in turn.adjudication.get("outcomes", {}) if self._mine(k))
        query = Q(pk__in=[])
        for turn_id, refs in keys.items():
            query |= Q(turn_id=turn_id, outcome__key__in=sorted(refs))
        self.moves: dict[tuple[int, str], Move] = {
            (move.turn_id, move.outcome.get("key")): move
            for move in Move.objects.filter(query).select_related(
                "team",
                "action_type",
                "target_team",
                "target_inject",
                "counter_to__team",
                "counter_to__action_type",
            )
        }
        self.agreement = {
            agreement_key(agreement): agreement.action_type.local_name
            for agreement in Agreement.objects.filter(pk__in=agreements).select_related(
                "action_type"
            )
        }

    def _mine(self, key: str) -> bool:
        return key.split(":", 1)[0] == self.code

    def nation(self, code: str) -> str:
        return self.name.get(code, code)

    def concerns(self, change: dict[str, Any]) -> bool:
        subject = change["subject"]
        if change["indicator"] == "trust":
            return self.code in subject.split("-")
        if change["indicator"] == "pressure":
            return change["cause"] == "move" and self._mine(change["ref"])
        return subject == self.code

    # --- Sentences -------------------------------------------------------------------------

    def what(self, move: Move) -> str:
        """A move named by its action and its target: "Humanitarian assistance to Haiti"."""
        action = move.action_type.local_name
        if move.target_team and move.target_inject:
            return _("%(action)s to %(nation)s, answering “%(inject)s”") % {
                "action": action, "nation": move.target_team.name,
                "inject": move.target_inject.local_title,
            }  # fmt: skip
        if move.target_team:
            return _("%(action)s to %(nation)s") % {
                "action": action, "nation": move.target_team.name
            }  # fmt: skip
        if move.target_inject:
            return _("%(action)s answering “%(inject)s”") % {
                "action": action, "inject": move.target_inject.local_title
            }  # fmt: skip
        return action

    def outcome(self, move: Move) -> Line:
        outcome = move.outcome
        status, what = outcome.get("status"), self.what(move)
        chance = outcome.get("chance")
        percent = round(chance * 100) if chance is not None else None
        forced = move.forced_success is not None
        host = move.target_team.name if move.target_team else ""
        if status == "success" and outcome.get("reason") == "request":
            return Line(
                _("%(what)s: your consent stands this turn and the next.") % {"what": what},
                "good",
            )
        if status == "success" and outcome.get("reason") == "condition":
            return Line(
                _("%(what)s: your consent, on your conditions, stands this turn and the next.")
                % {"what": what},
                "good",
            )
        if status == "success" and outcome.get("reason") == "decline":
            return Line(
                _("%(what)s: such forces are turned back this turn and the next.") % {"what": what},
                "",
            )
        if status == "declined":
            return Line(
                _("%(what)s was turned back: %(host)s declined it.") % {"what": what, "host": host},
                "bad",
            )
        if outcome.get("reason") == "without_consent":
            line = self.outcome_rolled(move, status, what, percent, forced)
            incident = _("It went in without %(host)s's consent: a sovereignty incident.") % {
                "host": host
            }
            return Line(f"{line.text} {incident}", "bad")
        line = self.outcome_rolled(move, status, what, percent, forced)
        if "conditions" in (outcome.get("factors") or {}):
            terms = _("It went in on %(host)s's conditions, with less freedom of action.") % {
                "host": host
            }
            return Line(f"{line.text} {terms}", line.tone)
        return line

    def outcome_rolled(
        self, move: Move, status: str | None, what: str, percent: int | None, forced: bool
    ) -> Line:
        """The outcome of a move the die (or the facilitator) decided, or of one not played."""
        if status == "success":
            if forced:
                text = _("%(what)s succeeded (decided by the facilitator).") % {"what": what}
            else:
                text = _("%(what)s succeeded (%(chance)s%%).") % {"what": what, "chance": percent}
            return Line(text, "good")
        if status == "partial":
            text = _(
                "%(what)s succeeded, at a cost (%(chance)s%%): it wore down your capacity."
            ) % {"what": what, "chance": percent}
            return Line(text, "good")
        if status == "setback":
            cost = (
                _("it cost trust with %(nation)s.") % {"nation": move.target_team.name}
                if move.target_team is not None and move.target_team_id != move.team_id
                else _("it cost stability at home.")
            )
            text = _("%(what)s failed, and worse (%(chance)s%% chance of success): %(cost)s") % {
                "what": what, "chance": percent, "cost": cost
            }  # fmt: skip
            return Line(text, "bad")
        if status == "failure":
            if forced:
                text = _("%(what)s failed (decided by the facilitator).") % {"what": what}
            else:
                text = _("%(what)s failed (%(chance)s%% chance of success).") % {
                    "what": what, "chance": percent
                }  # fmt: skip
            return Line(text, "bad")
        if status == "counter" and move.counter_to is not None:
            return Line(
                _("You argued against %(nation)s's %(action)s, lowering its chance.")
                % {
                    "nation": move.counter_to.team.name,
                    "action": move.counter_to.action_type.local_name,
                }
            )
        return Line(_("%(what)s was not played: the rules did not allow it.") % {"what": what})

    def cause(self, turn: Turn, cause: str, ref: str) -> str:
        if cause == "move":
            move = self.moves.get((turn.pk, ref))
            if move is None:
                return _("A move")
            if move.team_id == self.team.pk:
                return _("Your %(what)s") % {"what": self.what(move)}
            return _("%(nation)s's %(what)s") % {"nation": move.team.name, "what": self.what(move)}
        if cause == "agreement":
            # An agreement deleted since is still an agreement the team knew.
            action = self.agreement.get(ref) or _("cooperation")
            breaker = turn.adjudication.get("broken", {}).get(ref)
            if breaker == self.code:
                return _("You broke the agreement on %(action)s") % {"action": action}
            if breaker:
                return _("%(nation)s broke the agreement on %(action)s") % {
                    "nation": self.nation(breaker), "action": action
                }  # fmt: skip
            return _("Your agreement on %(action)s, in force") % {"action": action}
        if cause == "inject":
            return _("“%(inject)s”, still unanswered") % {"inject": self.inject.get(ref, ref)}
        if cause == "shock":
            return _("The news of “%(inject)s”") % {"inject": self.inject.get(ref, ref)}
        if cause == "sovereignty":
            move = self.moves.get((turn.pk, ref))
            if move is None or move.target_team is None:
                return _("A sovereignty incident")
            numbers = {"what": self.what(move), "host": move.target_team.name}
            if move.team_id == self.team.pk:
                return _("Your %(what)s, without %(host)s's consent") % numbers
            return _("%(nation)s's %(what)s, without %(host)s's consent") % (
                numbers | {"nation": move.team.name}
            )
        return _("Other causes")

    def effects(self, changes: list[dict[str, Any]]) -> tuple[str, ...]:
        effects, trust = [], []
        for change in changes:
            before, after = round(change["before"]), round(change["after"])
            indicator = change["indicator"]
            numbers = {"before": before, "after": after}
            if indicator == "stability":
                effects.append(_("stability %(before)s → %(after)s") % numbers)
            elif indicator == "capacity":
                effects.append(_("capacity %(before)s → %(after)s") % numbers)
            elif indicator == "support":
                effects.append(_("support at home %(before)s → %(after)s") % numbers)
            elif indicator == "pressure":
                title = self.inject.get(change["subject"], change["subject"])
                effects.append(
                    _("“%(inject)s” answered") % {"inject": title}
                    if after == 0
                    else _("eased “%(inject)s”") % {"inject": title}
                )
            elif indicator == "trust":
                trust.append(change)
        if len(trust) > NAMED:
            rose = [c for c in trust if c["after"] > c["before"]]
            fell = [c for c in trust if c["after"] < c["before"]]
            if rose:
                effects.append(
                    ngettext(
                        "trust with %(n)s nation rose", "trust with %(n)s nations rose", len(rose)
                    )
                    % {"n": len(rose)}
                )
            if fell:
                effects.append(
                    ngettext(
                        "trust with %(n)s nation fell", "trust with %(n)s nations fell", len(fell)
                    )
                    % {"n": len(fell)}
                )
        else:
            for change in trust:
                effects.append(
                    _("trust with %(nation)s %(before)s → %(after)s")
                    % {
                        "nation": self.nation(self.partner(change)),
                        "before": round(change["before"]),
                        "after": round(change["after"]),
                    }
                )
        return tuple(effects)

    def partner(self, change: dict[str, Any]) -> str:
        a, b = change["subject"].split("-", 1)
        return b if a == self.code else a

    # --- A report --------------------------------------------------------------------------

    def report(self, turn: Turn) -> SituationReport:
        data = turn.adjudication
        changes = [c for c in _concerning(turn).get(self.code, []) if self.concerns(c)]
        own = sorted(
            (m for (turn_id, _key), m in self.moves.items()
             if turn_id == turn.pk and m.team_id == self.team.pk),
            key=lambda m: int(m.outcome["key"].split(":")[1]),
        )  # fmt: skip
        outcomes = tuple(self.outcome(m) for m in own)
        summary: list[Line] = []
        net: dict[tuple[str, str], list[float]] = {}
        for change in changes:
            if change["indicator"] in ("stability", "capacity", "support", "trust"):
                key = (change["indicator"], change["subject"])
                net.setdefault(key, [change["before"], change["after"]])[1] = change["after"]
        for indicator, rose, fell in (
            ("stability", _("Your stability rose from %(before)s to %(after)s."),
             _("Your stability fell from %(before)s to %(after)s.")),
            ("capacity", _("Your capacity rose from %(before)s to %(after)s."),
             _("Your capacity fell from %(before)s to %(after)s.")),
            ("support", _("Your support at home rose from %(before)s to %(after)s."),
             _("Your support at home fell from %(before)s to %(after)s.")),
        ):  # fmt: skip
            before, after = net.get((indicator, self.code), (0, 0))
            if after != before:
                text = (rose if after > before else fell) % {
                    "before": round(before), "after": round(after)
                }  # fmt: skip
                summary.append(Line(text, _tone(after - before)))
        trust = {
            self.partner({"subject": subject}): after - before
            for (indicator, subject), (before, after) in sorted(net.items())
            if indicator == "trust" and after != before
        }
        for direction, tone in ((1, "good"), (-1, "bad")):
            names = sorted(self.nation(c) for c, d in trust.items() if d * direction > 0)
            if not names:
                continue
            if len(names) == 1:
                text = (
                    _("%(nation)s's trust in you rose.")
                    if direction > 0
                    else _("%(nation)s's trust in you fell.")
                ) % {"nation": names[0]}
            elif len(names) <= NAMED:
                text = (
                    _("Trust in you rose with %(nations)s.")
                    if direction > 0
                    else _("Trust in you fell with %(nations)s.")
                ) % {"nations": _names(names)}
            else:
                text = (
                    ngettext(
                        "Trust in you rose with %(n)s nation.",
                        "Trust in you rose with %(n)s nations.",
                        len(names),
                    )
                    if direction > 0
                    else ngettext(
                        "Trust in you fell with %(n)s nation.",
                        "Trust in you fell with %(n)s nations.",
                        len(names),
                    )
                ) % {"n": len(names)}
            summary.append(Line(text, tone))
        for code in data.get("answered", []):
            if code in self.received:
                summary.append(
                    Line(
                        _("“%(inject)s” is over: it weighs on no one any more.")
                        % {"inject": self.inject.get(code, code)},
                        "good",
                    )
                )
        renewal = next((c for c in changes if c["cause"] == "renewal"), None)
        grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for change in changes:
            if change["cause"] in ("move", "sovereignty", "agreement", "inject", "shock"):
                grouped.setdefault((change["cause"], change["ref"]), []).append(change)
        causes = [
            Cause(self.cause(turn, cause, ref), self.effects(group))
            for (cause, ref), group in grouped.items()
        ]
        points = turn.snapshot.get("teams", {}).get(self.code, {}).get("budget")
        if renewal is not None:
            points = round(renewal["after"])
        if points is not None:
            committed = max(0, self.team.budget_per_turn - points)
            text = ngettext(
                "%(n)s action point for the next turn",
                "%(n)s action points for the next turn",
                points,
            ) % {"n": points}
            if committed:
                text += " " + ngettext(
                    "(%(c)s committed to your agreements)",
                    "(%(c)s committed to your agreements)",
                    committed,
                ) % {"c": committed}
            causes.append(Cause(_("Budget renewed"), (text,)))
        indicators = turn.snapshot.get("teams", {}).get(self.code, {})
        return SituationReport(
            turn=turn.number,
            stability=indicators.get("stability"),
            capacity=indicators.get("capacity"),
            outcomes=outcomes,
            summary=tuple(summary),
            causes=tuple(causes),
        )


def situation_reports(
    exercise: Exercise, team: Team, turns: list[Turn], *, teams: list[Team] | None = None
) -> list[SituationReport]:
    """The team's report of each published turn in `turns`, in their order, from what the
    engine recorded (4 queries whatever the number of turns, teams and moves; 3 with the
    exercise's `teams` read already)."""
    reader = _Reader(exercise, team, turns, teams)
    return [reader.report(turn) for turn in turns]
