"""Evaluation: observations that feed the after-action report."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wargame.exercises.models import Exercise
from wargame.scenarios.models import Objective


class Observation(models.Model):
    """An evaluator's note against an objective: a strength or an area for improvement."""

    class Kind(models.TextChoices):
        STRENGTH = "strength", _("Strength")
        IMPROVEMENT = "improvement", _("Area for improvement")

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="observations")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    objective = models.ForeignKey(
        Objective, on_delete=models.PROTECT, null=True, blank=True, related_name="observations"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("observation"))
    turn = models.PositiveSmallIntegerField(_("turn"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["exercise", "created_at"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        indexes = [models.Index(fields=["exercise", "objective"], name="observation_objective")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"
