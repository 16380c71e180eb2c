"""The pulse: each exercise's versions, so pages learn of changes cheaply.

Exercises are named by their join code. A page polls with the version it has. The answer
comes from the cache alone, with no database query: "no change", or the new version and the
topics that changed since (moves, injects, turn, ...), so that only the regions showing those
reload.

Where the versions live. Every change is recorded by `event_record`, in the transaction that
makes the change and under the exercise's row lock: it raises `Exercise.version` by one and
writes in `Exercise.pulse` the version at which each topic last changed, for everyone
("topics"), for one nation's room ("teams") or only for those who watch every room ("watch":
the control room, the evaluators). Two changes at the same moment are thus serialised by the
database: neither loses the other's topic, and no version ever goes down.

The cache holds a copy of that state (`pulse_state`), put whole after the commit
(`pulse_store`) and never edited in place. Two copies put at the same moment (two processes
each storing what their transaction wrote) must not let the older replace the newer, so the
store compares versions atomically: a small Lua script when the cache is Redis, a file lock
for the file cache of the embedded default, a process lock for a local-memory cache. A copy
no newer than the one kept is dropped. (Other cache backends get the process lock only.)

When the cache has lost the copy (a restarted Redis keeps nothing) or cannot be reached, the
database answers and the copy is put back. The regions a page shows are keyed by the versions
read with the exercise's row in the same request (wargame/web/shared.py), never by the copy,
which may be a moment ahead of or behind the row.
"""

import contextlib
import fcntl
import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core import signing
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.utils.crypto import constant_time_compare
from redis.exceptions import RedisError

from wargame.exercises.models import Exercise

log = logging.getLogger(__name__)
# What a cache that cannot be reached raises: Redis's errors, or the file system's.
CACHE_ERRORS = (RedisError, OSError)

TOPICS = ("turn", "moves", "injects", "teams", "agreements", "messages", "people", "log")
# A turn change, or any change of the whole exercise, may change every region: it is told as
# "turn" alone, and every region that reloads on some topic reloads on "turn" too (a team room
# swaps all its regions in one request, rather than one request per region).
EVERYTHING = ("turn",)
# The audience of a change that only those who watch every nation see (the control room, the
# evaluators): an inject held back, a move's rating, an observation.
WATCHERS: tuple[str, ...] = ()
_TOPIC_OF_KIND = {
    "move": "moves",
    "inject": "injects",
    "team": "teams",
    "agreement": "agreements",
    "proposal": "agreements",
    "message": "messages",
    "participant": "people",
    "observation": "log",
    "task": "log",
    "hotwash": "log",
    "feedback": "log",
}
# Changes that no team room shows.
_WATCHED_ONLY = {
    "inject.held",
    "inject.released",
    "move.rated",
    # An outcome set before the turn is published: the teams see it when it is.
    "move.overridden",
    "participant.added",
    "participant.invite_revoked",
    "participant.invite_reopened",
    "participant.join_code_changed",
    "participant.join_code_off",
    "observation.recorded",
    "task.rated",
    "feedback.submitted",
}


# Every open page polls every two seconds. A web process keeps what the cache said for a
# moment, so that a room of 175 players costs the cache a few reads a second, not 87; what this
# process publishes it sees at once, what another publishes within MEMO_SECONDS.
MEMO_SECONDS = 0.5
_memo: dict[str, tuple[float, dict[str, Any]]] = {}


def _key(code: str) -> str:
    return f"pulse:{code}"


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
    room and the evaluators watch every nation, and alone see some changes (WATCHERS)."""
    if kind in _WATCHED_ONLY:
        return WATCHERS
    family = kind.split(".", 1)[0]
    if family == "move" and team and payload.get("offer_to"):
        # Forces offered to another nation: its room shows the offer.
        return (team, str(payload["offer_to"]))
    if family in ("move", "team") and team:
        return (team,)
    # Keeping a proposal open, leaving an agreement: only the nation that does it sees it.
    if kind in ("proposal.renewed", "agreement.leaving") and team:
        return (team,)
    if family == "inject" and payload.get("to"):
        return tuple(payload["to"])
    if family == "message":
        channel = str(payload.get("channel", ""))
        if channel.startswith("team:"):
            return (channel[5:],)
        if channel.startswith("bi:"):
            return tuple(channel[3:].split("-"))
    if family == "proposal" and payload.get("parties"):
        return tuple(payload["parties"])
    return None


# --- The state ------------------------------------------------------------------------------


def pulse_state(version: int, topics: dict[str, Any] | None) -> dict[str, Any]:
    """The pulse state of an exercise at `version`, from its row (`Exercise.pulse`)."""
    topics = topics or {}
    return {
        "v": version,
        "topics": dict(topics.get("topics", {})),
        "teams": {nation: dict(seen) for nation, seen in topics.get("teams", {}).items()},
        "watch": dict(topics.get("watch", {})),
    }


def pulse_advance(
    topics: dict[str, Any] | None, version: int, topic: str, audience: tuple[str, ...] | None
) -> dict[str, Any]:
    """`Exercise.pulse` after a change of `topic` at `version` seen by `audience` (None:
    everyone; WATCHERS: only those who watch every nation). A new value: the old one is left as
    it was. Versions only go up."""
    state = pulse_state(version, topics)
    if audience is None:
        scopes = [state["topics"]]
    elif audience == WATCHERS:
        scopes = [state["watch"]]
    else:
        scopes = [state["teams"].setdefault(nation, {}) for nation in audience]
    for scope in scopes:
        scope[topic] = max(scope.get(topic, 0), version)
    del state["v"]
    return state


def _scopes(state: dict[str, Any], team: str | None) -> list[dict[str, int]]:
    teams = state.get("teams", {})
    if team:
        return [state["topics"], teams.get(team, {})]
    return [state["topics"], state.get("watch", {}), *teams.values()]


def region_versions(state: dict[str, Any], team: str | None) -> dict[str, int]:
    """For each topic, the last version that changed it in `team`'s room (its own changes and
    everyone's; None: in any nation's, as the control room sees them)."""
    scopes = _scopes(state, team)
    return {topic: max(scope.get(topic, 0) for scope in scopes) for topic in TOPICS}


def _answer(state: dict[str, Any], seen: int, team: str | None) -> tuple[int, list[str]] | None:
    if state["v"] <= seen:
        return None
    scopes = _scopes(state, team)
    topics = [t for t in TOPICS if any(scope.get(t, 0) > seen for scope in scopes)]
    if not topics:
        # Only other nations' rooms changed: nothing for this one.
        return None if team else (state["v"], list(TOPICS))
    if "turn" in topics:
        topics = list(EVERYTHING)
    return state["v"], topics


# --- The copy in the cache ------------------------------------------------------------------

# Redis: the copy is kept as "<version> <json>", so that the script can compare versions
# without decoding the rest; it replaces the copy only with a newer one, in one step.
_STORE_SCRIPT = """
local kept = redis.call('GET', KEYS[1])
if kept then
  local v = tonumber(string.match(kept, '^(%d+) '))
  if v and v >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2])
return 1
"""
_process_lock = threading.Lock()


def _redis(cache: RedisCache, code: str) -> tuple[Any, str]:
    key = cache.make_and_validate_key(_key(code))
    return cache._cache.get_client(key, write=True), key


@contextlib.contextmanager
def _locked(cache: Any) -> Iterator[None]:
    """Compare and replace as one step: across processes for the file cache (a lock file in
    its folder), within this process for the others."""
    with _process_lock:
        if not isinstance(cache, FileBasedCache):
            yield
            return
        folder = Path(cache._dir)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "pulse.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def pulse_read(code: str) -> dict[str, Any] | None:
    """The copy of the exercise's pulse state in the cache, None if it has none. Raises
    CACHE_ERRORS when the cache cannot be reached."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        client, key = _redis(cache, code)
        raw = client.get(key)
        return None if raw is None else json.loads(raw.split(b" ", 1)[1])
    return cache.get(_key(code))


def pulse_store(code: str, state: dict[str, Any]) -> bool:
    """Put a copy of the exercise's pulse state in the cache, unless the cache holds one as new
    or newer. True if it was put. A cache that cannot be reached is logged, not raised: pages
    then ask the database (pulse_changes)."""
    cache = caches["default"]
    try:
        if isinstance(cache, RedisCache):
            client, key = _redis(cache, code)
            text = f"{state['v']} {json.dumps(state, separators=(',', ':'))}"
            stored = bool(client.eval(_STORE_SCRIPT, 1, key, state["v"], text))
        else:
            with _locked(cache):
                kept = cache.get(_key(code))
                stored = kept is None or kept["v"] < state["v"]
                if stored:
                    cache.set(_key(code), state, timeout=None)
    except CACHE_ERRORS:
        log.warning("cache unreachable: version %s of %s not published", state["v"], code)
        return False
    kept = _memo.get(code)
    if kept is None or kept[1]["v"] < state["v"]:
        _memo[code] = (time.monotonic(), state)
    return stored


def _state(code: str) -> dict[str, Any] | None:
    now = time.monotonic()
    kept = _memo.get(code)
    if kept is not None and now - kept[0] < MEMO_SECONDS:
        return kept[1]
    state = pulse_read(code)
    if state is not None:
        _memo[code] = (now, state)
    return state


def pulse_changes(code: str, seen: int, team: str | None = None) -> tuple[int, list[str]] | None:
    """None when nothing changed since version `seen` for a viewer of `team`'s room (None:
    a viewer of every nation); else the latest version and the topics that changed.

    From the cache alone while it holds the exercise's state. When it cannot be reached, or
    has lost the state, the database says; the state is put back for the next poll."""
    try:
        state = _state(code)
    except CACHE_ERRORS:
        return _changes_from_database(code, seen, team, reseed=False)
    if state is None:
        return _changes_from_database(code, seen, team, reseed=True)
    return _answer(state, seen, team)


def _changes_from_database(
    code: str, seen: int, team: str | None, *, reseed: bool
) -> tuple[int, list[str]] | None:
    row = Exercise.objects.filter(code=code).values_list("version", "pulse").first()
    if row is None:
        return None
    state = pulse_state(*row)
    if reseed:
        pulse_store(code, state)
    return _answer(state, seen, team)


def pulse_key(code: str) -> str:
    """The key that pages of exercise `code` carry to ask its pulse: a signature of the code
    with the site's secret. Without it the pulse answers alike for every code, so it tells no
    one who has no page of an exercise whether its code exists."""
    return signing.Signer(salt="cumbre.pulse").signature(code)


def pulse_key_valid(code: str, key: str) -> bool:
    return constant_time_compare(key, pulse_key(code))
