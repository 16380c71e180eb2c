"""The pulse: what wakes which page."""

import os
import threading

import pytest
from django.core.cache import cache, caches
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import examples
from wargame.exercises import pulse
from wargame.exercises.pulse import (
    CACHE_ERRORS,
    EVERYTHING,
    MEMO_SECONDS,
    TOPICS,
    WATCHERS,
    _answer,
    audience_of,
    pulse_advance,
    pulse_changes,
    pulse_read,
    pulse_state,
    pulse_store,
    region_versions,
)

CODE = "pulsetest"
ROUNDS = 50
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
    # The memo's moment passes (its time is moved back rather than waited for).
    at, memo = pulse._memo[CODE]
    pulse._memo[CODE] = (at - MEMO_SECONDS - 0.1, memo)
    assert pulse_changes(CODE, 10) == (11, ["moves"])


# --- Versions only go up, whoever stores first --------------------------------------------------

NATIONS = ("DOM", "HTI", "JAM")
changes = st.lists(
    st.tuples(
        st.sampled_from(TOPICS),
        st.one_of(
            st.none(), st.just(WATCHERS), st.lists(st.sampled_from(NATIONS), min_size=1).map(tuple)
        ),
    ),
    min_size=1,
    max_size=12,
)
viewers = (None, *NATIONS)


def snapshots(history: list[tuple[str, tuple[str, ...] | None]]) -> list[dict]:
    """The states event_record writes for these changes, one version each, from version 1."""
    states, topics = [], {}
    for version, (topic, audience) in enumerate(history, start=1):
        topics = pulse_advance(topics, version, topic, audience)
        states.append(pulse_state(version, topics))
    return states


@given(history=changes)
def test_each_change_raises_what_its_viewers_see_and_nothing_goes_down(history) -> None:
    states = snapshots(history)
    for before, after, (topic, audience) in zip(
        [pulse_state(0, {}), *states[:-1]], states, history, strict=True
    ):
        for viewer in viewers:
            old, new = region_versions(before, viewer), region_versions(after, viewer)
            assert all(new[t] >= old[t] for t in TOPICS)
            sees = viewer is None or audience is None or viewer in (audience or ())
            assert (new[topic] == after["v"]) == sees, (viewer, topic, audience)
            # A page that had seen the version before hears of this change iff it sees it.
            told = _answer(after, before["v"], viewer)
            if sees:
                assert told is not None and (topic in told[1] or told[1] == list(EVERYTHING))
            elif viewer is not None:
                assert told is None


@settings(max_examples=examples(40), deadline=None)
@given(history=changes, order=st.randoms(use_true_random=False))
def test_the_cache_keeps_the_newest_copy_in_any_order_of_stores(history, order) -> None:
    states = snapshots(history)
    shuffled = list(states)
    order.shuffle(shuffled)
    cache.delete(f"pulse:{CODE}")
    pulse._memo.pop(CODE, None)
    held = 0
    for state in shuffled:
        stored = pulse_store(CODE, state)
        assert stored == (state["v"] > held)
        held = max(held, state["v"])
        assert pulse_read(CODE)["v"] == held
    assert pulse_read(CODE) == states[-1]


def redis_cache() -> dict:
    url = os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/0")
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}


@pytest.mark.parametrize("backend", ["configured", "redis"])
def test_two_processes_storing_at_once_never_move_the_copy_back(backend: str) -> None:
    """Two writers store the copies of 100 versions at the same moment, one the even versions,
    the other the odd ones, 50 rounds: the copy only ever goes up, and ends at the newest."""
    with override_settings(**({"CACHES": redis_cache()} if backend == "redis" else {})):
        try:
            caches["default"].delete(f"pulse:{CODE}")
        except CACHE_ERRORS as error:
            pytest.fail(f"Redis must answer for this test (start redis-server): {error}")
        pulse._memo.pop(CODE, None)
        states = snapshots([("messages", (NATIONS[n % 2],)) for n in range(2 * ROUNDS)])
        both = threading.Barrier(2, timeout=60)
        seen: list[list[int]] = [[], []]

        def store(which: int) -> None:
            for n in range(ROUNDS):
                both.wait()
                pulse_store(CODE, states[2 * n + which])
                seen[which].append(pulse_read(CODE)["v"])

        threads = [threading.Thread(target=store, args=(which,)) for which in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert pulse_read(CODE) == states[-1]
        for versions in seen:
            assert versions == sorted(versions) and len(versions) == ROUNDS
