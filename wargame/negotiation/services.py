"""Writes for negotiation."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from wargame.exercises.errors import WrongState
from wargame.exercises.models import Exercise, Team
from wargame.exercises.services.setup import event_record
from wargame.exercises.services.turns import locked
from wargame.negotiation.models import Agreement
from wargame.scenarios.models import ActionType


@transaction.atomic
def agreement_conclude(
    *,
    actor: AbstractBaseUser | None,
    exercise: Exercise,
    action: str,
    commitments: dict[str, dict[str, object]],
    turns: int,
) -> Agreement:
    """Bring into force an agreement every party has accepted.

    It binds from the adjudication of the current turn for `turns` turns: the engine raises
    trust between the parties each turn, helps their moves of that action, and takes each
    party's committed action points from its budget.
    """
    exercise = locked(exercise.pk)
    if exercise.status not in (Exercise.Status.RUNNING, Exercise.Status.PAUSED):
        raise WrongState(_("Agreements can be concluded while the exercise is in play."))
    parties = list(Team.objects.filter(exercise=exercise, nation_code__in=commitments))
    if len(parties) < 2 or len(parties) != len(commitments):
        raise WrongState(_("An agreement needs two or more nations of this exercise."))
    if turns < 1:
        raise WrongState(_("An agreement lasts at least one turn."))
    action_type = ActionType.objects.get(code=action, scenarios=exercise.scenario_id)
    agreement = Agreement.objects.create(
        exercise=exercise,
        action_type=action_type,
        commitments=commitments,
        starts_turn=exercise.current_turn,
        ends_turn=exercise.current_turn + turns - 1,
    )
    agreement.parties.set(parties)
    event_record(
        exercise, "agreement.concluded", actor=actor, agreement=agreement.pk, action=action,
        parties=sorted(commitments), turns=turns,
    )  # fmt: skip
    return agreement
