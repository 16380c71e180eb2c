"""The address a request comes from, for the limits on guessing (sign-in, join codes)."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: behind the load balancer (CUMBRE_BEHIND_PROXY), the one it
    appended last to X-Forwarded-For, which a client cannot forge; else the peer's."""
    if settings.CUMBRE_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    # None when there is no peer at all (a session opened by the code, not by a request).
    return request.META.get("REMOTE_ADDR") or None
