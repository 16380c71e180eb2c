"""What a view answers, for HTMX and for plain requests alike: a page or the region an HTMX
request targets, and the answer after a change."""

from typing import Literal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django_htmx.http import trigger_client_event


def after_change(
    request: HttpRequest, url: str, error: Exception | None = None, done: str = ""
) -> HttpResponse:
    """HTMX refreshes the page's regions (and shows a refusal in a banner, or `done`, the
    confirmation of what was done, beside the form that did it); a plain form goes back to the
    page, with the refusal or the confirmation as a message."""
    reason = str(getattr(error, "message", error)) if error is not None else ""
    if request.htmx:
        response = HttpResponse(status=204)
        trigger_client_event(response, "cumbre:changed")
        if error is not None:
            trigger_client_event(response, "cumbre:error", {"message": reason})
        elif done:
            # Nothing is swapped after a 204: the page hears it on receipt.
            confirm_action(response, done, after="receive")
        return response
    if error is not None:
        messages.error(request, reason)
    elif done:
        messages.success(request, done)
    return redirect(url)


def confirm_action(
    response: HttpResponse, done: str, *, after: Literal["receive", "settle"] = "settle"
) -> HttpResponse:
    """The page says `done` beside the form that acted, moves the focus there and announces
    it: by default once the region the answer carries has settled."""
    return trigger_client_event(response, "cumbre:done", {"message": str(done)}, after=after)


def render_region(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """The whole page, or for an HTMX request the partial it targets (the region whose id is
    the partial's name)."""
    target = request.headers.get("HX-Target") if request.htmx else None
    response = None
    if target:
        try:
            response = render(request, f"{template}#{target}", context)
        except TemplateDoesNotExist:
            response = None  # not a region of this page: the whole page
    if response is None:
        response = render(request, template, context)
    response["Vary"] = "HX-Request, HX-Target"
    return response
