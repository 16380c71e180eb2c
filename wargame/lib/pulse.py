"""The pulse: each exercise's version in the cache, so pages learn of changes cheaply.

Exercises are named by their join code. A page polls with the version it has. The answer
comes from the cache alone, with no database query: "no change", or the new version and the
topics that changed since (moves, injects, turn, ...), so that only the regions showing those
reload.
"""

import contextlib
import logging
import time
from typing import Any

from django.core.cache import cache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
# What a cache that cannot be reached raises: Redis's errors, or the file system's.
CACHE_ERRORS = (RedisError, OSError)

TOPICS = ("turn", "moves", "injects", "teams", "agreements", "messages", "people", "log")
# A turn change, or any change of the whole exercise, may change every region: it is told as
# "turn" alone, and every region that reloads on some topic reloads on "turn" too (a team room
# swaps all its regions in one request, rather than one request per region).
EVERYTHING = ("turn",)
_TOPIC_OF_KIND = {
    "move": "moves",
    "inject": "injects",
    "team": "teams",
    "agreement": "agreements",
    "proposal": "agreements",
    "message": "messages",
    "participant": "people",
    "observation": "log",
    "hotwash": "log",
    "feedback": "log",
}


# Every open page polls every two seconds. A web process keeps what the cache said for a
# moment, so that a room of 175 players costs the cache a few reads a second, not 87; what this
# process publishes it sees at once, what another publishes within MEMO_SECONDS.
MEMO_SECONDS = 0.5
_memo: dict[str, tuple[float, dict[str, Any]]] = {}


def _key(code: str) -> str:
    return f"pulse:{code}"


def _state(code: str) -> dict[str, Any] | None:
    now = time.monotonic()
    kept = _memo.get(code)
    if kept is not None and now - kept[0] < MEMO_SECONDS:
        return kept[1]
    state = cache.get(_key(code))
    if state is not None:
        _memo[code] = (now, state)
    return state


# When a turn changes, every page of the exercise reloads at its next poll. A team room then
# waits a moment chosen at random, up to this long per team in the exercise (at most
# TURN_SPREAD_MAX), so that 35 teams' 175 pages do not ask in the same second (cumbre.js); in
# a small exercise the wait is hardly noticed.
TURN_SPREAD_PER_TEAM = 0.25
TURN_SPREAD_MAX = 10.0


def turn_spread(teams: int) -> float:
    """Seconds over which the team rooms of an exercise of `teams` spread their reload."""
    return round(min(TURN_SPREAD_MAX, TURN_SPREAD_PER_TEAM * teams), 2)


def topic_of(kind: str) -> str:
    """The topic an event kind changes; turn and exercise events change everything."""
    return _TOPIC_OF_KIND.get(kind.split(".", 1)[0], "turn")


def audience_of(kind: str, team: str | None, payload: dict[str, Any]) -> tuple[str, ...] | None:
    """The nations whose rooms an event changes, or None for everyone. A team's own moves and
    readiness, a message in its channel or between two nations, a proposal among its parties
    change only those rooms: in a 35-nation exercise the other 34 need not reload. The control
    room and the evaluators watch every nation."""
    family = kind.split(".", 1)[0]
    if family in ("move", "team") and team:
        return (team,)
    if family == "message":
        channel = str(payload.get("channel", ""))
        if channel.startswith("team:"):
            return (channel[5:],)
        if channel.startswith("bi:"):
            return tuple(channel[3:].split("-"))
    if family == "proposal" and payload.get("parties"):
        return tuple(payload["parties"])
    return None


def pulse_publish(
    code: str, version: int, topic: str, audience: tuple[str, ...] | None = None
) -> None:
    try:
        state: dict[str, Any] = cache.get(_key(code)) or {"v": 0, "topics": {}}
        state["v"] = max(state["v"], version)
        scopes = [state["topics"]]
        if audience is not None:
            teams = state.setdefault("teams", {})
            scopes = [teams.setdefault(nation, {}) for nation in audience]
        for scope in scopes:
            scope[topic] = max(scope.get(topic, 0), version)
        cache.set(_key(code), state, timeout=None)
        _memo[code] = (time.monotonic(), state)
    except CACHE_ERRORS:
        # Pages fall back to asking the database (pulse_changes); nothing else depends on it.
        log.warning("cache unreachable: version %s of %s not published", version, code)


def pulse_changes(code: str, seen: int, team: str | None = None) -> tuple[int, list[str]] | None:
    """None when nothing changed since version `seen` for a viewer of `team`'s room (None:
    a viewer of every nation); else the latest version and the topics that changed.

    From the cache alone while it holds the exercise's state. When it cannot be reached, or
    has lost the state (a restarted Redis keeps nothing), the database says the version and
    everything counts as changed; the state is put back for the next poll."""
    try:
        state = _state(code)
    except CACHE_ERRORS:
        return _changes_from_database(code, seen, reseed=False)
    if state is None:
        return _changes_from_database(code, seen, reseed=True)
    if state["v"] <= seen:
        return None
    teams = state.get("teams", {})
    scopes = [state["topics"], *([teams.get(team, {})] if team else teams.values())]
    topics = [t for t in TOPICS if any(scope.get(t, 0) > seen for scope in scopes)]
    if not topics:
        # Only other nations' rooms changed: nothing for this one.
        return None if team else (state["v"], list(TOPICS))
    if "turn" in topics:
        topics = list(EVERYTHING)
    return state["v"], topics


def room_versions(code: str, team: str | None) -> dict[str, int] | None:
    """For each topic, the last version that changed it in `team`'s room (its own changes and
    everyone's; None: in any nation's, as the control room sees them), read from the cache
    now, not the moment each process keeps. None when the cache cannot say."""
    try:
        state = cache.get(_key(code))
    except CACHE_ERRORS:
        return None
    if state is None:
        return None
    teams = state.get("teams", {})
    scopes = [state["topics"], *([teams.get(team, {})] if team else teams.values())]
    return {topic: max(scope.get(topic, 0) for scope in scopes) for topic in TOPICS}


def _changes_from_database(code: str, seen: int, *, reseed: bool) -> tuple[int, list[str]] | None:
    from wargame.exercises.models import Exercise

    version = Exercise.objects.filter(code=code).values_list("version", flat=True).first()
    if version is None:
        return None
    if reseed:
        with contextlib.suppress(CACHE_ERRORS):
            cache.add(_key(code), {"v": version, "topics": dict.fromkeys(TOPICS, version)}, None)
    return (version, list(EVERYTHING)) if version > seen else None
