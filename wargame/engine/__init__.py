"""The rules of the game: state and moves in, next state and an explanation out.

Plain Python with no Django import, so the rules can be read, tested and replayed on their own.
"""

from wargame.engine.adjudicate import adjudicate
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

__all__ = [
    "ActionRule",
    "AgreementState",
    "Change",
    "InjectState",
    "MoveInput",
    "MoveOutcome",
    "Result",
    "Rules",
    "State",
    "TeamState",
    "adjudicate",
    "pair",
]
