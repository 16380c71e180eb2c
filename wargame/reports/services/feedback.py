"""Writes for participant feedback."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from wargame.exercises.errors import ExerciseError, NotAllowed, WrongState
from wargame.exercises.models import Exercise, Participant
from wargame.exercises.services import event_record
from wargame.reports.feedback import SCALE, TEXT_MAX_LENGTH, Question, feedback_questions
from wargame.reports.models import FeedbackResponse


class AnswersRefused(ExerciseError):
    """Feedback answers that do not fit the questions: a required one left blank, a scale
    answer outside 1 to 5, text that is too long."""


@transaction.atomic
def feedback_submit(
    *,
    actor: AbstractBaseUser,
    exercise: Exercise,
    participant: Participant,
    answers: dict[str, Any],
    named: bool,
) -> FeedbackResponse:
    """Record a participant's feedback once the exercise has ended.

    Each participant has one response: submitting again replaces its answers. Answers to
    questions the scenario does not ask are dropped, blank ones are left out, and every
    required question must be answered. The event log records that feedback arrived, never
    from whom, so the report can keep anonymous answers anonymous.
    """
    if participant.exercise_id != exercise.pk or participant.user_id != actor.pk:
        raise NotAllowed(_("You can only give your own feedback on an exercise you took part in."))
    # Lock the participant's row: two submissions at once (a double click, two tabs) would
    # otherwise both find no response and both try to create one.
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("exercise__scenario")
        .get(pk=participant.pk)
    )
    exercise = participant.exercise
    if exercise.status != Exercise.Status.FINISHED:
        raise WrongState(_("The feedback form opens when the exercise has ended."))
    cleaned = _answers_clean(feedback_questions(exercise.scenario), answers)

    response = FeedbackResponse.objects.filter(participant=participant).first()
    if response is None:
        response = FeedbackResponse.objects.create(
            exercise=exercise, participant=participant, answers=cleaned, named=named
        )
    else:
        response.answers = cleaned
        response.named = named
        response.save(update_fields=["answers", "named", "updated_at"])
    event_record(exercise, "feedback.submitted", actor=None)
    return response


def _answers_clean(questions: list[Question], answers: dict[str, Any]) -> dict[str, str | int]:
    """The answers to the questions asked, in their order; refuses what does not fit."""
    cleaned: dict[str, str | int] = {}
    for question in questions:
        value = answers.get(question.id)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            if question.required:
                raise AnswersRefused(_("Please answer “%(prompt)s”.") % {"prompt": question.prompt})
            continue
        if question.is_scale:
            if isinstance(value, str) and value.isdigit():
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
                raise AnswersRefused(
                    _("“%(prompt)s” is answered with a number from 1 to 5.")
                    % {"prompt": question.prompt}
                )
        else:
            if not isinstance(value, str):
                raise AnswersRefused(
                    _("“%(prompt)s” is answered in words.") % {"prompt": question.prompt}
                )
            if len(value) > TEXT_MAX_LENGTH:
                raise AnswersRefused(
                    _("The answer to “%(prompt)s” is longer than %(limit)s characters.")
                    % {"prompt": question.prompt, "limit": TEXT_MAX_LENGTH}
                )
        cleaned[question.id] = value
    return cleaned
