"""Who may see and do what in an exercise. The first line of every exercise view.

Each helper fetches the exercise (or team) and checks the user's right to it in one call:
404 when the exercise does not exist, 403 when the user has no seat that allows the page.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from wargame.exercises.models import Exercise, Participant, Role, Team


@dataclass(frozen=True)
class Seat:
    """The user's place in an exercise."""

    exercise: Exercise
    role: str
    team: Team | None = None  # the player's own team
    participant: Participant | None = None

    @property
    def is_facilitator(self) -> bool:
        return self.role == Role.FACILITATOR


def _participant(code: str, user: AbstractBaseUser | AnonymousUser) -> Participant:
    """The user's seat in the exercise `code`, with the exercise, its scenario and the seat's
    team, in one query: 404 when the exercise does not exist, 403 when the user has no seat."""
    participant = None
    if user.is_authenticated:
        participant = (
            Participant.objects.select_related("exercise__scenario", "team")
            .filter(exercise__code=code, user=user)
            .first()
        )
    if participant is not None:
        return participant
    if not Exercise.objects.filter(code=code).exists():
        raise Http404("No such exercise.")
    raise PermissionDenied


def exercise_for(
    user: AbstractBaseUser | AnonymousUser, code: str, *, roles: tuple[str, ...]
) -> Seat:
    """The exercise, if the user takes part in it in one of `roles`."""
    participant = _participant(code, user)
    if participant.role not in roles:
        raise PermissionDenied
    return Seat(participant.exercise, participant.role, participant.team, participant)


@dataclass(frozen=True)
class TeamView:
    """A team's room as one viewer may see it: the players act, others only look."""

    seat: Seat
    team: Team
    can_act: bool


def team_room_for(user: AbstractBaseUser | AnonymousUser, code: str, nation: str) -> TeamView:
    """A team's room: its players may act in it; the facilitator and evaluators may look
    (to answer "what do they see?"); the players of other teams may not enter."""
    participant = _participant(code, user)
    exercise = participant.exercise
    if participant.team is not None and participant.team.nation_code == nation.upper():
        team = participant.team  # a player in their own room: already read
    else:
        team = Team.objects.filter(exercise=exercise, nation_code=nation.upper()).first()
    if team is None:
        raise Http404("No such team.")
    seat = Seat(exercise, participant.role, participant.team, participant)
    if participant.role == Role.PLAYER:
        if participant.team_id != team.pk:
            raise PermissionDenied
        return TeamView(seat, team, can_act=True)
    return TeamView(seat, team, can_act=False)
