"""Check-constraint conditions shared by models."""

from django.db.models import CheckConstraint, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual


def within_percent(field: str) -> Q:
    """The field holds an indicator on the 0..100 scale."""
    return Q(**{f"{field}__gte": 0, f"{field}__lte": 100})


def at_most(field: str, length: int, name: str) -> CheckConstraint:
    """The text column holds at most `length` characters: the limit its form and its service
    give, kept by the database too."""
    return CheckConstraint(condition=LessThanOrEqual(Length(field), length), name=name)
