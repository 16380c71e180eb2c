"""The state the engine reads and writes, and the record of what it changed and why."""

from dataclasses import dataclass, field


def pair(a: str, b: str) -> tuple[str, str]:
    """The key of a symmetric relation between two nations."""
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class TeamState:
    code: str
    stability: int
    capacity: int
    budget: int
    budget_per_turn: int
    # Domestic support (0-100): the backing the government has at home for what it does abroad
    # (50 is neutral: it neither helps nor hinders a move; scenarios start nations at 60).
    support: int = 50


@dataclass(frozen=True)
class InjectState:
    code: str
    kind: str
    affects: tuple[str, ...]
    expected_actions: tuple[str, ...]
    pressure: int
    answered: bool = False
    recipients: tuple[str, ...] = ()  # the nations it was delivered to; empty: every nation
    # What the news does to trust between two nations, (NATION, NATION, change): once, at the
    # end of the turn it arrived in (`arrived`).
    trust: tuple[tuple[str, str, int], ...] = ()
    # What the news does to a nation's support at home, (NATION, change): once, on arrival (a
    # censure motion, protests, a rally round the flag).
    support: tuple[tuple[str, int], ...] = ()
    arrived: bool = False

    def received_by(self, nation: str) -> bool:
        return not self.recipients or nation in self.recipients

    @property
    def harms(self) -> tuple[str, ...]:
        """The nations its pressure hurts: those it affects that received it. A team is never
        hurt by an inject it cannot read nor answer (a move may answer only an inject the team
        received), so every loss it sees is explained by something in its own situation."""
        return tuple(nation for nation in self.affects if self.received_by(nation))


@dataclass(frozen=True)
class AgreementState:
    key: str
    action: str
    parties: tuple[str, ...]
    commitments: dict[str, int] = field(hash=False)  # action points per turn, by nation
    ends_turn: int
    leaving: tuple[str, ...] = ()  # parties that leave it early this turn


@dataclass(frozen=True)
class State:
    turn: int
    teams: dict[str, TeamState] = field(hash=False)
    trust: dict[tuple[str, str], int] = field(hash=False)
    injects: dict[str, InjectState] = field(hash=False)
    agreements: dict[str, AgreementState] = field(hash=False)
    regional_stability: float = 0.0
    # The hosts' answers of the last turn, still standing this turn: (host, guest or "*" for
    # every nation, "request" or "decline"). This turn's answers come as moves.
    consents: tuple[tuple[str, str, str], ...] = ()
    # Pairs of nations without diplomatic relations, each as `pair(a, b)`: a move one aims
    # directly at the other pays for the missing channel; through an intermediary it does not.
    no_relations: frozenset[tuple[str, str]] = frozenset()
    # Security Council mandates, (host, action): moves of that action into the host have its
    # consent in advance (the host asked for the force the Council authorized).
    mandates: frozenset[tuple[str, str]] = frozenset()

    def trust_between(self, a: str, b: str) -> int:
        return self.trust.get(pair(a, b), 50)


@dataclass(frozen=True)
class MoveInput:
    """A move as the engine sees it. `key` names it in outcomes and drives its die."""

    key: str
    team: str
    action: str
    resources: int
    target_team: str | None = None
    target_inject: str | None = None
    counter_to: str | None = None  # the key of another team's move this argues against
    rating: str | None = None  # the facilitator's rating of the argument
    forced: bool | None = None  # the facilitator's override of the outcome


@dataclass(frozen=True)
class Change:
    """One change to one indicator, with its cause and the numbers."""

    subject: str  # a nation code, "A-B" for trust, an inject code, or "region"
    indicator: str
    before: float
    after: float
    cause: str  # move, agreement, inject, shock, renewal, index
    ref: str  # the move key, agreement key or inject code behind it
    note: str

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class MoveOutcome:
    key: str
    # success, partial ("yes, but"), failure, setback ("no, and"), counter, refused, or
    # declined (by the host)
    status: str
    chance: float | None = None
    roll: float | None = None
    # Why, as a code with its parameters (wargame/exercises/labels.py words them): "cost"
    # with {"action": "hadr", "cost": 2, "committed": 1}; empty for a plain roll.
    reason: str = ""
    about: dict[str, str | int] = field(default_factory=dict, hash=False)
    factors: dict[str, float] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Result:
    state: State
    changes: tuple[Change, ...]
    outcomes: dict[str, MoveOutcome] = field(hash=False)
    answered: tuple[str, ...]  # injects answered this turn
    broken: dict[str, str] = field(hash=False)  # agreement key -> the party that broke it
    expired: tuple[str, ...]
