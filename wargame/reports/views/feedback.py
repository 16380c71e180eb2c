"""Participant feedback: a short form for every participant once the exercise has ended."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse


@login_required
def feedback(request: HttpRequest, code: str) -> HttpResponse:
    raise Http404  # the feedback form is being built
