"""The computed proposal for an objective's P / S / M / U rating, with its reasoning.

Plain Python. Once evaluators have rated an objective's critical tasks, the proposal follows
their ratings (`propose_from_tasks`); before, it is read from what happened to the injects that
test the objective and to the nations that hold it (`propose_rating`). The facilitator confirms
or changes it at the hotwash.
"""

from dataclasses import dataclass

# Thresholds on the score 0..1: P from 0.8, S from 0.6, M from 0.35, U below.
THRESHOLDS = (("P", 0.8), ("S", 0.6), ("M", 0.35))
WEIGHTS = {"answered": 0.6, "timeliness": 0.2, "outcome": 0.2}


@dataclass(frozen=True)
class InjectRecord:
    code: str
    delivered_turn: int | None
    answered_turn: int | None
    skipped: bool = False


def propose_rating(
    injects: list[InjectRecord],
    stability_start: list[int],
    stability_end: list[int],
    *,
    last_turn: int,
) -> tuple[str, dict]:
    """Rate an objective from its injects answered, how fast, and how its nations fared.

    - answered: the share of its delivered injects that were answered;
    - timeliness: 1 when answered in the turn delivered, less for each turn later
      (unanswered ones count as answered after the last turn);
    - outcome: how the mean stability of the nations holding the objective moved, from -20
      points (0) to +20 points (1).
    """
    delivered = [i for i in injects if i.delivered_turn is not None and not i.skipped]
    if delivered:
        answered = [i for i in delivered if i.answered_turn is not None]
        share = len(answered) / len(delivered)
        delays = [
            (i.answered_turn if i.answered_turn is not None else last_turn + 1) - i.delivered_turn
            for i in delivered
        ]
        timeliness = sum(1 / (1 + delay) for delay in delays) / len(delays)
    else:
        answered, share, timeliness = [], 1.0, 1.0
    if stability_start and stability_end:
        change = sum(stability_end) / len(stability_end) - sum(stability_start) / len(
            stability_start
        )
    else:
        change = 0.0
    outcome = min(1.0, max(0.0, (change + 20) / 40))
    score = (
        WEIGHTS["answered"] * share
        + WEIGHTS["timeliness"] * timeliness
        + WEIGHTS["outcome"] * outcome
    )
    rating = next((letter for letter, floor in THRESHOLDS if score >= floor), "U")
    reasoning = {
        "injects_delivered": len(delivered),
        "injects_answered": len(answered),
        "answered_share": round(share, 3),
        "timeliness": round(timeliness, 3),
        "stability_change": round(change, 1),
        "outcome": round(outcome, 3),
        "score": round(score, 3),
        "weights": WEIGHTS,
    }
    return rating, reasoning


ORDER = "PSMU"  # best first


def propose_from_tasks(ratings: list[str]) -> str:
    """The rating at least half of the rated tasks reach: the median, the worse of the two
    middle ones when they are even. A letter chosen among the evaluators' own, never a number
    averaged from them: P, P, S gives P; P, S gives S; P, S, M, U gives M."""
    if not ratings:
        raise ValueError("no task is rated")
    ranked = sorted(ratings, key=ORDER.index)
    return ranked[len(ranked) // 2]
