"""Reads for exercises."""

from django.db.models import QuerySet
from django.utils import timezone

from wargame.exercises.models import Exercise


def exercises_due() -> QuerySet[Exercise]:
    """Running exercises whose turn deadline has passed: the turns the tick must close."""
    return Exercise.objects.filter(
        status=Exercise.Status.RUNNING, turn_deadline__lte=timezone.now()
    ).only("pk", "current_turn")
