"""Health checks for the load balancer, the container engine and monitoring.

`/healthz` answers 200 when the database, the broker and the cache answer and beat's tick ran
within three intervals, else 503, and says no more than "ok" or "unavailable": it is open to
anyone. `/healthz/parts` gives the state of each part, with its error, to staff signed in;
`manage.py health` gives the same to operators. `/healthz/live` answers a constant without
touching anything: the process is up.
"""

import time
from collections.abc import Callable
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wargame.turns.clock import scheduler_age, scheduler_running


def _check(probe: Callable[[], None]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        probe()
    except Exception as error:  # any failure of the part is its state, not ours
        return {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _broker() -> None:
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)


def _cache() -> None:
    cache.set("healthz", 1, 10)
    if cache.get("healthz") != 1:
        raise RuntimeError("the cache did not keep a value")


def _scheduler() -> dict[str, Any]:
    """Beat's tick, as last recorded by a worker: fresh within three intervals."""
    try:
        age = scheduler_age()
    except Exception as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    return {
        "ok": scheduler_running(age),
        "last_tick_seconds_ago": None if age is None else round(age, 1),
        "interval_seconds": settings.CUMBRE_TICK_SECONDS,
    }


def health_parts() -> dict[str, dict[str, Any]]:
    """The state of each part the app needs: {"ok": bool, ...details or "error"}."""
    return {
        "database": _check(_database),
        "broker": _check(_broker),
        "cache": _check(_cache),
        "scheduler": _scheduler(),
    }


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Ok or unavailable, for the load balancer and anyone: which part is down, and why, is
    for staff (health_details)."""
    ok = all(part["ok"] for part in health_parts().values())
    return JsonResponse({"status": "ok" if ok else "unavailable"}, status=200 if ok else 503)


@never_cache
@require_GET
def health_details(request: HttpRequest) -> JsonResponse:
    """Each part's state and error, for staff signed in; others are told nothing exists."""
    if not (request.user.is_authenticated and request.user.is_staff):
        raise Http404
    parts = health_parts()
    ok = all(part["ok"] for part in parts.values())
    return JsonResponse({"ok": ok, **parts}, status=200 if ok else 503)


@never_cache
def live(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
