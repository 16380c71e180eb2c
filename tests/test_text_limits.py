"""Every free text people write has one limit, kept alike by its form, its service and the
database: over it, a clear refusal, and nothing written."""

import pytest
from django.apps import apps
from django.db import models

from wargame.exercises.forms import InjectForm, MoveForm, OverrideForm
from wargame.exercises.models import Inject, Move
from wargame.negotiation.forms import CounterForm, MessageForm, ProposalForm
from wargame.negotiation.models import TERMS_MAX_LENGTH, Message, ProposalRound

APPS = ("exercises", "negotiation")


def free_texts() -> list[tuple[type[models.Model], models.TextField]]:
    return [
        (model, field)
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField)
    ]


@pytest.mark.parametrize(
    ("model", "field"), free_texts(), ids=lambda v: getattr(v, "name", getattr(v, "__name__", ""))
)
def test_every_free_text_has_a_limit_the_database_keeps(model, field) -> None:
    assert field.max_length, f"{model.__name__}.{field.name} has no limit"
    kept = [
        constraint
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint)
        and f"Length(F({field.name}))" in repr(constraint.condition)
        and repr(constraint.condition).endswith(f", {field.max_length})")
    ]
    assert kept, f"{model.__name__}.{field.name}: the database does not keep its limit"


@pytest.mark.parametrize(
    ("form_field", "limit"),
    [
        (MoveForm.base_fields["intended_result"], Move._meta.get_field("intended_result")),
        (MoveForm.base_fields["rationale"], Move._meta.get_field("rationale")),
        (OverrideForm.base_fields["reason"], Move._meta.get_field("override_reason")),
        (InjectForm.base_fields["message"], Inject._meta.get_field("message")),
        (CounterForm.base_fields["note"], ProposalRound._meta.get_field("note")),
        (MessageForm.base_fields["body"], Message._meta.get_field("body")),
    ],
    ids=["move intent", "move reasons", "override reason", "inject", "note", "message"],
)
def test_each_form_has_the_limit_of_its_column(form_field, limit) -> None:
    assert form_field.max_length == limit.max_length


def test_proposal_terms_have_one_limit() -> None:
    assert ProposalForm.base_fields["terms"].max_length == TERMS_MAX_LENGTH
