"""How the web layer hears the turn cycle: a worker closed a turn."""

from typing import Any

from django.dispatch import receiver

from wargame.turns.signals import turn_closed
from wargame.web import rooms


@receiver(turn_closed, dispatch_uid="web.rooms_render_ahead")
def render_rooms_ahead(sender: Any, *, exercise_id: int, **kwargs: Any) -> None:
    """Render the teams' rooms ahead of their players, in the worker that closed the turn."""
    rooms.rooms_render_ahead(exercise_id)
