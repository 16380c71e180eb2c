"""Check-constraint conditions shared by models."""

from django.db.models import Q


def within_percent(field: str) -> Q:
    """The field holds an indicator on the 0..100 scale."""
    return Q(**{f"{field}__gte": 0, f"{field}__lte": 100})
