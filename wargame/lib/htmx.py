"""What a view answers after it changed something, for HTMX and for plain forms alike."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_htmx.http import trigger_client_event


def after_change(request: HttpRequest, url: str, error: Exception | None = None) -> HttpResponse:
    """HTMX refreshes the page's regions (and shows a refusal in a banner); a plain form goes
    back to the page, with the refusal as a message."""
    reason = str(getattr(error, "message", error)) if error is not None else ""
    if request.htmx:
        response = HttpResponse(status=204)
        trigger_client_event(response, "cumbre:changed")
        if error is not None:
            trigger_client_event(response, "cumbre:error", {"message": reason})
        return response
    if error is not None:
        messages.error(request, reason)
    return redirect(url)
