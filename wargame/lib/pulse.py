"""The pulse: each exercise's version in the cache, so pages learn of changes cheaply.

Exercises are named by their join code. A page polls with the version it has. The answer
comes from the cache alone, with no database query: "no change", or the new version and the
topics that changed since (moves, injects, turn, ...), so that only the regions showing those
reload.
"""

from typing import Any

from django.core.cache import cache

TOPICS = ("turn", "moves", "injects", "teams", "agreements", "messages", "people", "log")
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


def _key(code: str) -> str:
    return f"pulse:{code}"


def topic_of(kind: str) -> str:
    """The topic an event kind changes; turn and exercise events change everything."""
    return _TOPIC_OF_KIND.get(kind.split(".", 1)[0], "turn")


def pulse_publish(code: str, version: int, topic: str) -> None:
    state: dict[str, Any] = cache.get(_key(code)) or {"v": 0, "topics": {}}
    state["v"] = max(state["v"], version)
    state["topics"][topic] = max(state["topics"].get(topic, 0), version)
    cache.set(_key(code), state, timeout=None)


def pulse_changes(code: str, seen: int) -> tuple[int, list[str]] | None:
    """None when nothing changed since version `seen`; else the version and the topics."""
    state = cache.get(_key(code))
    if state is None or state["v"] <= seen:
        return None
    topics = [t for t in TOPICS if state["topics"].get(t, 0) > seen]
    if "turn" in topics or not topics:
        topics = list(TOPICS)
    return state["v"], topics
