"""Evaluation: observations that feed the after-action report."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wargame.exercises.models import Exercise, Inject, Move, Participant
from wargame.scenarios.models import CriticalTask, Objective


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
    inject = models.ForeignKey(
        Inject, on_delete=models.SET_NULL, null=True, blank=True, related_name="observations"
    )
    move = models.ForeignKey(
        Move, on_delete=models.SET_NULL, null=True, blank=True, related_name="observations"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["exercise", "created_at"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        indexes = [models.Index(fields=["exercise", "objective"], name="observation_objective")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Rating(models.TextChoices):
    """HSEEP's objective ratings."""

    PERFORMED = "P", _("Performed without challenges")
    SOME = "S", _("Performed with some challenges")
    MAJOR = "M", _("Performed with major challenges")
    UNABLE = "U", _("Unable to be performed")


# What each rating means, after HSEEP's definitions (put in our words), for the evaluators who
# rate critical tasks and the facilitator who confirms an objective's rating.
RATING_MEANINGS = {
    Rating.PERFORMED: _(
        "The critical tasks were done in a way that achieved the objective, without holding "
        "back other activities, adding risk for the public or the responders, or departing from "
        "plans, policies, procedures and laws."
    ),
    Rating.SOME: _(
        "The objective was achieved and nothing above went wrong, but how some tasks were done "
        "leaves room to be more effective or efficient."
    ),
    Rating.MAJOR: _(
        "The objective was achieved only in part, or its tasks held back other activities, "
        "added risk, or departed from plans, policies, procedures or laws."
    ),
    Rating.UNABLE: _("The critical tasks were not done in a way that achieved the objective."),
}


def rating_meanings() -> list[tuple[str, str, str]]:
    """Each rating's letter, name and meaning, best first, as the pages list them."""
    return [(value, name, RATING_MEANINGS[value]) for value, name in Rating.choices]


class ObjectiveRating(models.Model):
    """The hotwash's rating of one objective: the computed proposal and the final choice."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="ratings")
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="ratings")
    proposed = models.CharField(_("proposed rating"), max_length=1, choices=Rating.choices)
    reasoning = models.JSONField(_("reasoning"), default=dict, blank=True)
    rating = models.CharField(_("rating"), max_length=1, choices=Rating.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("objective rating")
        verbose_name_plural = _("objective ratings")
        constraints = [
            models.UniqueConstraint(fields=["exercise", "objective"], name="rating_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.objective.code}: {self.rating or self.proposed}"


class TaskRating(models.Model):
    """An evaluator's rating of one critical task of an objective, with what they saw. The
    objective's rating is proposed from its tasks' (wargame/engine/ratings.py)."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="task_ratings")
    task = models.ForeignKey(CriticalTask, on_delete=models.PROTECT, related_name="ratings")
    rating = models.CharField(_("rating"), max_length=1, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rated_at = models.DateTimeField(_("rated"), auto_now=True)

    class Meta:
        verbose_name = _("critical task rating")
        verbose_name_plural = _("critical task ratings")
        constraints = [
            models.UniqueConstraint(fields=["exercise", "task"], name="task_rating_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.task.code}: {self.rating}"


class CapabilityElement(models.TextChoices):
    PLANNING = "planning", _("Planning")
    ORGANISATION = "organisation", _("Organisation")
    EQUIPMENT = "equipment", _("Equipment")
    TRAINING = "training", _("Training")
    EXERCISE = "exercise", _("Exercise")


class ImprovementItem(models.Model):
    """A row of the improvement plan."""

    exercise = models.ForeignKey(
        Exercise, on_delete=models.CASCADE, related_name="improvement_items"
    )
    objective = models.ForeignKey(
        Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    observation = models.ForeignKey(
        Observation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    core_capability = models.CharField(
        _("core capability"),
        max_length=200,
        blank=True,
        help_text=_("Blank: the capability of the row's objective."),
    )
    issue = models.TextField(_("area for improvement"))
    corrective_action = models.TextField(_("corrective action"), blank=True)
    element = models.CharField(
        _("capability element"), max_length=20, choices=CapabilityElement.choices, blank=True
    )
    organisation = models.CharField(_("responsible organisation"), max_length=200, blank=True)
    point_of_contact = models.CharField(_("point of contact"), max_length=200, blank=True)
    start = models.DateField(_("start date"), null=True, blank=True)
    completion = models.DateField(_("completion date"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["exercise", "position", "pk"]
        verbose_name = _("improvement plan item")
        verbose_name_plural = _("improvement plan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(completion__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(completion__gte=models.F("start")),
                name="improvement_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.issue[:60]


class ExecutiveSummary(models.Model):
    """The executive summary as the facilitator wrote it at the hotwash. Without one, the
    report carries the generated draft."""

    exercise = models.OneToOneField(
        Exercise, on_delete=models.CASCADE, related_name="executive_summary"
    )
    text = models.TextField(_("executive summary"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(_("edited"), auto_now=True)

    class Meta:
        verbose_name = _("executive summary")
        verbose_name_plural = _("executive summaries")

    def __str__(self) -> str:
        return self.text[:60]


class FeedbackResponse(models.Model):
    """One participant's answers to the end-of-exercise feedback form (HSEEP's participant
    feedback). Answers are keyed by the question's id; the report names the participant only
    when `named` is set."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="feedback")
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="feedback"
    )
    answers = models.JSONField(_("answers"), default=dict)
    named = models.BooleanField(_("name me in the report"), default=False)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["exercise", "submitted_at", "pk"]
        verbose_name = _("feedback response")
        verbose_name_plural = _("feedback responses")

    def __str__(self) -> str:
        return f"{self.exercise_id}: {self.participant_id}"
