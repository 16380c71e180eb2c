"""Why a request to change an exercise was refused, in words a user can read."""

from django.utils.functional import Promise


class ExerciseError(Exception):
    """A refused change. `message` is translatable and shown to the user as it is."""

    def __init__(self, message: str | Promise) -> None:
        self.message = message
        super().__init__(str(message))


class NotAllowed(ExerciseError):
    """The actor's role does not permit this."""


class WrongState(ExerciseError):
    """The exercise is not in a state where this can happen (paused, finished, turn closed)."""


class MoveRefused(ExerciseError):
    """A move that cannot be accepted: turn closed, over budget, invalid target."""
