"""Participant feedback: a short form for every participant once the exercise has ended."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wargame.exercises.access import Seat, exercise_for
from wargame.exercises.errors import ExerciseError
from wargame.exercises.models import Role
from wargame.reports.feedback import FeedbackForm, feedback_questions
from wargame.reports.models import FeedbackResponse
from wargame.reports.services.feedback import feedback_submit

EVERYONE = (Role.FACILITATOR, Role.EVALUATOR, Role.PLAYER)


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, code: str) -> HttpResponse:
    seat = exercise_for(request.user, code, roles=EVERYONE)
    exercise = seat.exercise
    questions = feedback_questions(exercise.scenario)
    earlier = FeedbackResponse.objects.filter(participant=seat.participant).first()
    refusal = ""
    if request.method == "POST":
        form = FeedbackForm(questions, request.POST)
        if form.is_valid():
            try:
                feedback_submit(
                    actor=request.user, exercise=exercise, participant=seat.participant,
                    answers=form.answers(), named=form.cleaned_data["named"],
                )  # fmt: skip
            except ExerciseError as error:
                refusal = str(error.message)
            else:
                messages.success(
                    request,
                    _("Thank you for your feedback. You can change your answers below."),
                )
                return redirect("exercises:feedback", code=code)
        else:
            refusal = _("Some answers need another look.")
        status = 422
    else:
        form = FeedbackForm(
            questions,
            answers=earlier.answers if earlier else None,
            named=earlier.named if earlier else False,
        )
        status = 200
    context = {
        "exercise": exercise,
        "seat": seat,
        "form": form,
        "earlier": earlier,
        "refusal": refusal,
        "back_url": _room_url(seat),
    }
    return render(request, "reports/feedback.html", context, status=status)


def _room_url(seat: Seat) -> str:
    """Where the participant came from: their team room, the evaluator view or control."""
    code = seat.exercise.code
    if seat.role == Role.PLAYER and seat.team is not None:
        return reverse("exercises:team", args=[code, seat.team.nation_code])
    if seat.role == Role.EVALUATOR:
        return reverse("exercises:evaluate", args=[code])
    return reverse("exercises:control", args=[code])
