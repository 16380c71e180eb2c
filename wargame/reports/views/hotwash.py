"""The hotwash: the facilitator confirms each objective's rating, edits the executive summary
and the improvement plan."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse


@login_required
def hotwash(request: HttpRequest, code: str) -> HttpResponse:
    raise Http404  # the hotwash page is being built
