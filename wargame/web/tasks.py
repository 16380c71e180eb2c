"""Celery entry points for the web layer: rendering the teams' rooms ahead of their players."""

from celery import shared_task

from wargame.exercises.models import Team
from wargame.web import rooms

RENDER_AHEAD = "exercises.rooms_render_ahead"


@shared_task(name=RENDER_AHEAD, ignore_result=True, time_limit=120)
def rooms_render_ahead(exercise_id: int, team_id: int | None = None) -> int:
    """Render the teams' rooms (or one team's) ahead of their players after a change made in
    a request: the facilitator started the exercise, closed or published a turn; a player
    moved or said the team is ready. Only what is missing: sent twice, it renders once."""
    only = Team.objects.filter(pk=team_id, exercise_id=exercise_id).first() if team_id else None
    if team_id and only is None:
        return 0
    return rooms.rooms_render_ahead(exercise_id, only=only)
