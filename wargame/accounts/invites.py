"""The doors into an exercise: invite links and the join code.

An invite link is a signed, expiring token, one per team and one for evaluators. It names the
exercise, the role, the team and the team's (or the evaluators') current invite secret.
Revoking replaces that secret, so every link made before stops working, and closes the door:
no new link works, and the join code does not offer one, until the facilitator reopens it.
The join code (typed on the home page) can be replaced, or turned off.
"""

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wargame.exercises.errors import ExerciseError
from wargame.exercises.models import Exercise, Participant, Role, Team
from wargame.exercises.services import event_record, participant_add
from wargame.exercises.services.base import locked, require_facilitator
from wargame.exercises.services.setup import join_code_new

_SALT = "cumbre.invite"


class _HourSigner(signing.TimestampSigner):
    """Signs with the start of the current hour: a team's link, and the QR code drawn from it,
    stay the same for an hour however often the lobby is drawn (a link lives
    CUMBRE_INVITE_DAYS from that hour)."""

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) // 3600 * 3600)


@dataclass(frozen=True)
class Invite:
    exercise: Exercise
    role: str
    team: Team | None


class InviteInvalid(ExerciseError):
    pass


def invite_token(exercise: Exercise, team: Team | None) -> str:
    """The token of the invite link for a team (players) or, with no team, for evaluators."""
    if team is None:
        data = {"e": exercise.pk, "r": Role.EVALUATOR, "s": exercise.evaluator_invite_token}
    else:
        data = {"e": exercise.pk, "r": Role.PLAYER, "t": team.pk, "s": team.invite_token}
    return _HourSigner(salt=_SALT).sign_object(data, compress=True)


def invite_read(token: str) -> Invite:
    """The invite behind a token, or InviteInvalid saying why not."""
    max_age = timedelta(days=settings.CUMBRE_INVITE_DAYS)
    try:
        data = signing.loads(token, salt=_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise InviteInvalid(
            _("This invite link has expired. Ask the facilitator for a new one.")
        ) from None
    except signing.BadSignature:
        raise InviteInvalid(_("This invite link is not valid.")) from None
    exercise = Exercise.objects.select_related("scenario").filter(pk=data.get("e")).first()
    if exercise is None or exercise.status == Exercise.Status.FINISHED:
        raise InviteInvalid(_("This exercise is not open to join."))
    if data.get("r") == Role.EVALUATOR:
        if data.get("s") != exercise.evaluator_invite_token or not exercise.evaluators_open:
            raise InviteInvalid(_("This invite link has been revoked."))
        return Invite(exercise, Role.EVALUATOR, None)
    team = Team.objects.filter(pk=data.get("t"), exercise=exercise).first()
    if team is None or data.get("s") != team.invite_token or not team.invites_open:
        raise InviteInvalid(_("This invite link has been revoked."))
    return Invite(exercise, Role.PLAYER, team)


@transaction.atomic
def invite_revoke(*, actor: AbstractBaseUser, exercise: Exercise, team: Team | None) -> None:
    """Make every invite link of the team (or of the evaluators) stop working, and close the
    door until the facilitator reopens it: the join code offers no link meanwhile."""
    exercise = locked(exercise.pk)
    require_facilitator(exercise, actor)
    if team is None:
        exercise.evaluator_invite_token = secrets.token_urlsafe(18)
        exercise.evaluators_open = False
        exercise.save(update_fields=["evaluator_invite_token", "evaluators_open"])
    else:
        team = Team.objects.get(pk=team.pk, exercise=exercise)
        team.invite_token = secrets.token_urlsafe(18)
        team.invites_open = False
        team.save(update_fields=["invite_token", "invites_open"])
    event_record(exercise, "participant.invite_revoked", actor=actor, team=team)


@transaction.atomic
def invite_reopen(*, actor: AbstractBaseUser, exercise: Exercise, team: Team | None) -> None:
    """Open the door again, with a new link: the revoked ones stay dead."""
    exercise = locked(exercise.pk)
    require_facilitator(exercise, actor)
    if team is None:
        exercise.evaluators_open = True
        exercise.save(update_fields=["evaluators_open"])
    else:
        Team.objects.filter(pk=team.pk, exercise=exercise).update(invites_open=True)
    event_record(exercise, "participant.invite_reopened", actor=actor, team=team)


@transaction.atomic
def join_code_change(*, actor: AbstractBaseUser, exercise: Exercise, on: bool) -> Exercise:
    """A new join code (the old one stops working at once), or none (`on` False): the team
    links still work."""
    exercise = locked(exercise.pk)
    require_facilitator(exercise, actor)
    exercise.join_code = join_code_new() if on else None
    exercise.save(update_fields=["join_code"])
    kind = "participant.join_code_changed" if on else "participant.join_code_off"
    event_record(exercise, kind, actor=actor)
    return exercise


@transaction.atomic
def seat_take(user: AbstractBaseUser, invite: Invite) -> Participant:
    """Seat a signed-in user by an invite, or give back the seat they already have: joins of
    one exercise are taken one at a time (its row lock), so the same form sent four times at
    once takes one seat."""
    exercise = locked(invite.exercise.pk)
    seat = Participant.objects.filter(exercise=exercise, user=user).first()
    if seat is not None:
        return seat
    return participant_add(
        actor=user, exercise=exercise, user=user, role=invite.role, team=invite.team
    )


# A form sent again this long after it made its account no longer stands for that account.
ONCE_SECONDS = 10 * 60


@transaction.atomic
def seat_take_as_new(name: str, once: str, invite: Invite) -> tuple[AbstractBaseUser, Participant]:
    """An account for someone who gave only a name, and their seat: made together or not at
    all. The form's `once` names the account, so a double click, or the same form sent twice
    at once, gets the account and the seat the first made."""
    exercise = locked(invite.exercise.pk)
    username = f"{slugify(name)[:20] or 'player'}-{once}"
    User = get_user_model()
    made = User.objects.filter(username=username).first()
    if made is not None:
        seat = Participant.objects.filter(exercise=exercise, user=made).first()
        recent = timezone.now() - made.date_joined < timedelta(seconds=ONCE_SECONDS)
        if seat is None or not recent:
            raise ExerciseError(_("This form was already used. Open the invite link again."))
        return made, seat
    user = User.objects.create_user(username, first_name=name)
    seat = participant_add(
        actor=user, exercise=exercise, user=user, role=invite.role, team=invite.team
    )
    return user, seat
