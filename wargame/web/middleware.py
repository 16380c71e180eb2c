"""Health checks and the pulse answered first; a clean answer while the database is away."""

import logging
import re
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from wargame.web import health
from wargame.web.views import pulse

log = logging.getLogger(__name__)


PULSE = re.compile(r"^/x/(?P<code>[-a-zA-Z0-9_]+)/pulse/$")


class HealthMiddleware:
    """/healthz and /healthz/live, answered before anything else looks at the request: a load
    balancer or container engine probes with its own Host header (often an IP address), which
    ALLOWED_HOSTS would refuse, and over plain HTTP, which the HTTPS redirect would send away.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path == "/healthz":
            return health.healthz(request)
        if path == "/healthz/live":
            return health.live(request)
        return self.get_response(request)


class PulseMiddleware:
    """The pulse, which every open page polls every two seconds: it reads the cache and needs
    no session, user, CSRF token or language, so it skips the middleware that provide them.
    It comes after those that check the host, send plain HTTP to HTTPS and write the security
    headers, so that its answers carry the same headers as pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if match := PULSE.match(request.path_info):
            request.get_host()  # ALLOWED_HOSTS, as for every page
            return pulse(request, match["code"])
        return self.get_response(request)


# SQLite's words for a database it cannot reach, or that another process holds for too long.
_SQLITE_OUTAGE = ("unable to open database file", "disk i/o error", "database is locked")
# PostgreSQL's error classes for a server that is away: connection exceptions, a server
# shutting down or starting, too many connections.
_POSTGRES_OUTAGE = ("08", "57P01", "57P02", "57P03", "53300")


def database_outage(exception: BaseException) -> bool:
    """Whether the exception says the database cannot be reached now (a retry will do), rather
    than that a query was wrong: the first deserves "back in a moment", the second is a fault
    to log and fix, never to be reported as an outage."""
    if isinstance(exception, InterfaceError):
        return True
    if not isinstance(exception, OperationalError):
        return False
    cause = exception.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate.startswith(_POSTGRES_OUTAGE)
    if type(cause).__module__.startswith("sqlite3"):
        return str(cause).lower().startswith(_SQLITE_OUTAGE)
    # A connection that failed before any statement has no state: the server is away.
    return True


class DatabaseUnavailableMiddleware:
    """A request that fails because the database is down or restarting gets a short 503 page
    (no stack trace, nothing from the database) asking to try again in a moment. Django drops
    the broken connection at the end of the request, and the next request connects afresh, so
    the app recovers by itself when the database is back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_outage(exception):
            return None
        log.error("database unavailable: %s %s: %s", request.method, request.path, exception)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        return response
