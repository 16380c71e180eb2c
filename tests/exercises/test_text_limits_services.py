"""Over its limit, each service refuses a text with a reason and writes nothing."""

import pytest
from django.db import IntegrityError, transaction

from tests.exercises.conftest import A, B, People
from wargame.exercises.errors import WrongState
from wargame.exercises.models import Exercise, Inject, Move
from wargame.exercises.services import inject_write, move_submit
from wargame.negotiation.models import Agreement, Message, Proposal
from wargame.negotiation.services import (
    agreement_void,
    message_send,
    proposal_answer,
    proposal_create,
)

pytestmark = pytest.mark.django_db
LONG = "x" * 5000


def terms(text: str = "") -> dict:
    return {A: {"points": 0, "terms": text}, B: {"points": 0, "terms": ""}}


def propose(people: People, *, note: str = "", text: str = "") -> Proposal:
    return proposal_create(
        actor=people.player_a, team=people.team_a, parties=[people.team_b],
        action="intel_sharing", commitments=terms(text), duration=2, note=note,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("what", "written"),
    [
        ("move intent", lambda: Move.objects.exists()),
        ("move reasons", lambda: Move.objects.exists()),
        ("proposal terms", lambda: Proposal.objects.exists()),
        ("proposal note", lambda: Proposal.objects.exists()),
        ("message", lambda: Message.objects.exists()),
        ("inject", lambda: Inject.objects.filter(title="Long").exists()),
    ],
)
def test_a_service_refuses_a_text_over_its_limit(
    what: str, written, started: Exercise, people: People
) -> None:
    acts = {
        "move intent": lambda: move_submit(
            actor=people.player_a, team=people.team_a, action="public_statement",
            intended_result=LONG,
        ),
        "move reasons": lambda: move_submit(
            actor=people.player_a, team=people.team_a, action="public_statement", rationale=LONG
        ),
        "proposal terms": lambda: propose(people, text=LONG),
        "proposal note": lambda: propose(people, note=LONG),
        "message": lambda: message_send(
            actor=people.player_a, exercise=started, channel="plenary", body=LONG
        ),
        "inject": lambda: inject_write(
            actor=people.facilitator, exercise=started, kind="flood", title="Long", message=LONG
        ),
    }  # fmt: skip
    with pytest.raises(WrongState, match="at most"):
        acts[what]()
    assert not written()


def test_a_void_reason_over_its_limit_is_refused(started: Exercise, people: People) -> None:
    proposal = propose(people)
    proposal_answer(actor=people.player_b, proposal=proposal, team=people.team_b, accept=True)
    agreement = Agreement.objects.get(proposal=proposal)
    with pytest.raises(WrongState, match="at most 1000 characters"):
        agreement_void(actor=people.facilitator, agreement=agreement, reason=LONG)
    assert Agreement.objects.get(pk=agreement.pk).status == "in_force"


def test_the_database_refuses_what_a_service_would(started: Exercise, people: People) -> None:
    move = move_submit(actor=people.player_a, team=people.team_a, action="public_statement")
    with pytest.raises(IntegrityError), transaction.atomic():
        Move.objects.filter(pk=move.pk).update(rationale="x" * 2001)
    assert Move.objects.get(pk=move.pk).rationale == ""
