"""The pulse: what wakes which page."""

import time

import pytest
from django.core.cache import cache

from wargame.lib import pulse
from wargame.lib.pulse import (
    EVERYTHING,
    MEMO_SECONDS,
    audience_of,
    pulse_advance,
    pulse_changes,
    pulse_read,
    pulse_state,
    pulse_store,
)

CODE = "pulsetest"
# The versions as the exercise's row holds them, written here as event_record writes them.
row: dict = {}


def pulse_publish(version: int, topic: str, audience: tuple[str, ...] | None = None) -> None:
    """A change committed at `version`, and its copy put in the cache."""
    row["pulse"] = pulse_advance(row.get("pulse"), version, topic, audience)
    pulse_store(CODE, pulse_state(version, row["pulse"]))


@pytest.fixture(autouse=True)
def _fresh() -> None:
    cache.delete(f"pulse:{CODE}")
    pulse._memo.pop(CODE, None)
    row.clear()
    pulse_publish(10, "turn")


def test_a_teams_own_move_wakes_its_room_and_the_control_room_only() -> None:
    pulse_publish(11, "moves", audience_of("move.submitted", "HTI", {}))
    assert pulse_changes(CODE, 10, "HTI") == (11, ["moves"])
    assert pulse_changes(CODE, 10, "DOM") is None
    assert pulse_changes(CODE, 10) == (11, ["moves"])  # the control room, the evaluators


def test_a_bilateral_message_wakes_both_nations_and_a_plenary_one_everyone() -> None:
    pulse_publish(11, "messages", audience_of("message.sent", "DOM", {"channel": "bi:DOM-HTI"}))
    assert pulse_changes(CODE, 10, "HTI") == (11, ["messages"])
    assert pulse_changes(CODE, 10, "DOM") == (11, ["messages"])
    assert pulse_changes(CODE, 10, "JAM") is None
    pulse_publish(12, "messages", audience_of("message.sent", "DOM", {"channel": "plenary"}))
    assert pulse_changes(CODE, 11, "JAM") == (12, ["messages"])


def test_a_turn_wakes_every_region_of_every_page() -> None:
    pulse_publish(11, "moves", ("HTI",))
    pulse_publish(12, "turn")
    for team in ("HTI", "DOM", None):
        assert pulse_changes(CODE, 10, team) == (12, list(EVERYTHING))


def test_a_page_that_has_seen_the_latest_version_is_told_nothing() -> None:
    pulse_publish(11, "moves", ("DOM",))
    assert pulse_changes(CODE, 11, "DOM") is None
    assert pulse_changes(CODE, 11) is None


@pytest.mark.parametrize(
    ("kind", "team", "payload", "audience"),
    [
        ("move.submitted", "HTI", {}, ("HTI",)),
        ("team.ready", "DOM", {}, ("DOM",)),
        ("message.sent", None, {"channel": "team:JAM"}, ("JAM",)),
        ("message.sent", None, {"channel": "broadcast"}, None),
        ("proposal.made", "HTI", {"parties": ["DOM", "HTI"]}, ("DOM", "HTI")),
        ("proposal.answered", "HTI", {}, None),
        ("inject.delivered", None, {}, None),
        ("agreement.concluded", "HTI", {}, None),
        ("turn.published", None, {}, None),
    ],
)
def test_who_an_event_concerns(kind: str, team: str | None, payload: dict, audience) -> None:
    assert audience_of(kind, team, payload) == audience


def test_what_another_process_publishes_is_seen_within_the_memo_time() -> None:
    assert pulse_changes(CODE, 9) == (10, list(EVERYTHING))  # read once: kept for a moment
    state = pulse_read(CODE)
    state["v"], state["topics"]["moves"] = 11, 11
    kept = pulse._memo[CODE]
    assert pulse_store(CODE, state)  # as another web process or a worker would:
    pulse._memo[CODE] = kept  # this process is not told
    assert pulse_changes(CODE, 10) is None
    time.sleep(MEMO_SECONDS + 0.1)
    assert pulse_changes(CODE, 10) == (11, ["moves"])
