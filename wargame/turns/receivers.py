"""How the turn cycle hears the layers below it: the last team ready, a proposal to answer."""

from functools import partial
from typing import Any

from django.db import transaction
from django.dispatch import receiver

from wargame.exercises.models import Exercise
from wargame.exercises.signals import all_teams_ready
from wargame.lib.tasks import task_send
from wargame.negotiation.models import Proposal, ProposalParty
from wargame.negotiation.signals import answers_awaited
from wargame.turns.clock import BOTS_ANSWER, close_turn_later


@receiver(all_teams_ready, dispatch_uid="turns.close_when_all_ready")
def close_when_all_ready(sender: Any, *, exercise: Exercise, **kwargs: Any) -> None:
    """Every team is ready: a worker closes the turn early, once that is committed."""
    close_turn_later(exercise, reason="all teams ready")


@receiver(answers_awaited, dispatch_uid="turns.bots_answer_later")
def bots_answer_later(sender: Any, *, proposal: Proposal, **kwargs: Any) -> None:
    """Bot parties answer a proposal (or its new round) once it is committed."""
    waiting = ProposalParty.objects.filter(
        proposal=proposal, team__bot=True, answer=ProposalParty.Answer.PENDING
    )
    if waiting.exists():
        transaction.on_commit(partial(task_send, BOTS_ANSWER, proposal.pk))
