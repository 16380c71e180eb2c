"""Rule parameters: the action catalogue's effects and the engine's constants, as data."""

from dataclasses import dataclass, field
from typing import Any

COOPERATIVE_ACTIONS = ("hadr", "joint_exercise", "intel_sharing", "training_exchange")


@dataclass(frozen=True)
class ActionRule:
    code: str
    cost: int
    targets: tuple[str, ...]
    answers: tuple[str, ...]
    chance: float
    relief: int
    stability: int
    target_stability: int
    capacity: int
    trust: int
    per_turn: int = 0  # how many a team may make in one turn; 0 for no limit
    # Aimed at another nation, it puts forces or officials on the host's territory or in its
    # waters: the host must consent (a request, a standing instrument) or it is an incident.
    presence: bool = False
    # A host's answer to presence: "request" (asks for, or authorises, help), "condition"
    # (consents on its own terms) or "decline".
    consent: str = ""
    # A standing instrument: an agreement of this action gives its parties consent in advance
    # to each other's moves of these actions (a shiprider agreement covers maritime patrols).
    covers: tuple[str, ...] = ()
    # Support at home the move changes when it succeeds (`support` effect), and what playing it
    # costs at home whatever its outcome (`domestic`: asking for foreign forces, a vote in the
    # legislature, troops sent abroad).
    support: int = 0
    domestic: int = 0
    # The regional or international body the move goes through (OAS, UN, IADB), if any: an
    # intermediary between nations without diplomatic relations.
    mechanism: str = ""


@dataclass(frozen=True)
class Rules:
    actions: dict[str, ActionRule] = field(hash=False)
    pressure_per_severity: int
    harm_stability_per_pressure: float
    harm_capacity_per_pressure: float
    arrival_harm: float
    capacity_weight: float
    trust_weight: float
    agreement_bonus: float
    counter_penalty: float
    max_counter_penalty: float
    counters_per_team_per_turn: int
    extra_resource_bonus: float
    max_extra_resource_bonus: float
    ratings: dict[str, float] = field(hash=False)
    chance_floor: float
    chance_ceiling: float
    region_trust_share: int
    agreement_trust_per_turn: int
    max_trust_gain_per_turn: int
    broken_agreement_trust: int
    diminishing_gains: bool
    regional_stability_weights: dict[str, float] = field(hash=False)
    # A move of presence without the host's consent: trust with the host changes by the first,
    # with each nation that trusts the host at least `sovereignty_watch_trust`, by the second.
    sovereignty_host_trust: int = -10
    sovereignty_watcher_trust: int = -3
    sovereignty_watch_trust: int = 60
    # Graded outcomes, as matrix games grade them. Of the rolls that succeed, the last
    # `partial_share` (those nearest the chance) succeed at a cost, "yes, but": the move does
    # what it was meant to, and the team's capacity falls by `partial_capacity` (forces worn,
    # stocks spent, favours called in). Of the rolls that fail, the last `setback_share` (the
    # worst) fail with a cost, "no, and": trust with the nation aimed at falls by
    # `setback_trust`, or, for a move aimed at no other nation, the team's own stability by
    # `setback_stability`. The chance of success is unchanged.
    partial_share: float = 0.0
    partial_capacity: int = 0
    setback_share: float = 0.0
    setback_trust: int = 0
    setback_stability: int = 0
    # Domestic support: a move's chance changes by weight x (support - 50) / 50 of the acting
    # team; an open inject's pressure costs the nations it harms support as it costs stability.
    support_weight: float = 0.0
    harm_support_per_pressure: float = 0.0
    # A move aimed directly at a nation with which the team has no diplomatic relations loses
    # this much chance: no embassy, no channel, every step improvised. Through a body (an
    # action with a mechanism) it does not.
    no_relations_penalty: float = 0.0
    # A host's consent with conditions (its coordination, its places, its time) leaves the
    # guest less freedom of action: the guest's move loses this much chance.
    conditions_penalty: float = 0.0

    @classmethod
    def from_data(cls, actions: list[dict[str, Any]], rules: dict[str, Any]) -> "Rules":
        """Build from the catalogue file's `actions` and `rules` sections."""
        return cls(
            actions={
                entry["code"]: ActionRule(
                    code=entry["code"],
                    cost=int(entry["cost"]),
                    targets=tuple(entry["targets"]),
                    answers=tuple(entry["answers"]),
                    per_turn=int(entry.get("per_turn", 0)),
                    presence=bool(entry.get("presence", False)),
                    consent=str(entry.get("consent", "")),
                    covers=tuple(entry.get("covers", ())),
                    support=int(entry["effects"].get("support", 0)),
                    domestic=int(entry.get("domestic", 0)),
                    mechanism=str(entry.get("mechanism", "")),
                    **{
                        key: entry["effects"][key]
                        for key in (
                            "chance",
                            "relief",
                            "stability",
                            "target_stability",
                            "capacity",
                            "trust",
                        )
                    },
                )
                for entry in actions
            },
            **rules,
        )

    def initial_pressure(self, severity: int) -> int:
        return min(100, severity * self.pressure_per_severity)

    def turn_limit(self, action: str, *, countering: bool) -> int:
        """How many such moves a team may make in one turn (0: no limit): arguments against
        other teams' moves, whatever their action, or moves of `action`."""
        if countering:
            return self.counters_per_team_per_turn
        rule = self.actions.get(action)
        return rule.per_turn if rule else 0

    def resource_bonus(self, extra: int) -> float:
        """The chance bought by `extra` action points above a move's cost: the first adds
        `extra_resource_bonus`, each further one half of what the one before added, and the
        whole at most `max_extra_resource_bonus`. A rich team cannot buy certainty."""
        bonus = sum(self.extra_resource_bonus / 2**point for point in range(max(0, extra)))
        return round(min(self.max_extra_resource_bonus, bonus), 4)

    def grade(self, chance: float, roll: float, forced: bool | None = None) -> str:
        """The outcome of a roll against a chance: "success", "partial" ("yes, but"),
        "failure" or "setback" ("no, and"); success and partial are the rolls under the
        chance, the partial ones nearest it. An outcome the facilitator `forced` is a plain
        success or failure."""
        if forced is not None:
            return "success" if forced else "failure"
        if roll < chance:
            return "partial" if roll >= chance * (1 - self.partial_share) else "success"
        return "setback" if roll >= 1 - (1 - chance) * self.setback_share else "failure"

    def counter_penalty_for(self, counters: int) -> float:
        """What `counters` counter-arguments take from a move's chance, at most
        `max_counter_penalty`: a coalition can make a move hard, never impossible."""
        return round(min(self.max_counter_penalty, self.counter_penalty * max(0, counters)), 4)
