"""What a turn change costs the server, in CPU milliseconds, beside the bare view's.

    .venv/bin/python bench/room.py                  # 35 nations, a throwaway SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cumbre_bench \\
    CACHE_URL=redis://127.0.0.1:6379/11 .venv/bin/python bench/room.py   # as in production

A turn change asks the most of the server at once: the worker closes the turn (adjudicates
every move and opens the next turn), renders each team's room ahead of its players, and then
every open page reloads its room. This measures each of those parts in one process, through
Django's whole stack (middleware, session, user; the test client, no network), in CPU time
(`time.process_time`), which a busy or a slow machine changes far less than the wall clock.
The bare view (`/healthz/live`, a constant answered ahead of the middleware) is measured the
same way, as the unit the others are worth, so that runs on different machines compare.

The exercise is a synthetic scenario's (tests/factories/exercises.py) in a busy first turn:
every inject delivered, agreements in force, six moves per team. Without DATABASE_URL it
works in a temporary directory that it removes; with DATABASE_URL it migrates that database
and leaves its exercises there: give it a database of its own. CACHE_URL picks the cache as
the app does (a folder by default, Redis with a redis:// address).
"""

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable

from machine import cpu_model, database_name, with_django


def _cpu_ms(
    action: Callable[[], object], repeat: int, before: Callable[[], object] | None = None
) -> tuple[float, float, float]:
    """CPU milliseconds of one `action`: the median and the lowest of `repeat` runs (each
    after `before`, which is not counted), and the median of the wall clock's."""
    times, walls = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        start, wall = time.process_time(), time.perf_counter()
        action()
        times.append((time.process_time() - start) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    return statistics.median(times), min(times), statistics.median(walls)


def _profile(action: Callable[[], object], repeat: int = 50) -> None:
    """Print where `repeat` runs of `action` spent their time, by the function's own time and
    by the time under it."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.runcall(lambda: [action() for _ in range(repeat)])
    stats = pstats.Stats(profile)
    print(f"{repeat} answers; milliseconds are for all of them, under the profiler")
    stats.sort_stats("cumulative").print_stats(40)
    if os.environ.get("PROFILE_MATCH"):
        stats.sort_stats("cumulative").print_stats(os.environ["PROFILE_MATCH"], 40)
    stats.sort_stats("tottime").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--nations", type=int, default=35)
    parser.add_argument("--injects", type=int, default=30)
    parser.add_argument("--turns", type=int, default=8)
    parser.add_argument(
        "--largest",
        action="store_true",
        help="the largest scenario a file may hold (nations, injects and turns at their limits "
        "in wargame/scenarios/models.py), every inject delivered in the first turn",
    )
    parser.add_argument("--players-per-team", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=30, help="runs of each page (default 30)")
    parser.add_argument(
        "--profile",
        choices=("room", "region", "ahead"),
        help="instead of the figures: where a team room from its kept copies (or its #moves "
        "region, or the rooms rendered ahead after a turn change) spends its CPU (cProfile)",
    )
    args = parser.parse_args()
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    with_django(_run, args)


def _run(args: argparse.Namespace) -> None:
    import django
    from django.contrib.auth import get_user_model
    from django.core.cache import cache, caches
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from tests.factories.exercises import synthetic_exercise
    from tests.factories.scenarios import synthetic_spec
    from wargame.exercises.models import Exercise, Participant, Role
    from wargame.exercises.pulse import pulse_key
    from wargame.exercises.services import participant_add
    from wargame.scenarios.models import MAX_INJECTS, MAX_NATIONS, MAX_TURNS
    from wargame.scenarios.services import scenario_load
    from wargame.turns.services import turn_close
    from wargame.web.rooms import rooms_render_ahead
    from wargame.web.shared import room_regions

    if args.largest:
        args.nations, args.injects, args.turns = MAX_NATIONS, MAX_INJECTS, MAX_TURNS
    users = get_user_model().objects
    facilitator = users.filter(username="bench-facilitator").first() or users.create_user(
        "bench-facilitator", is_staff=True
    )
    spec = synthetic_spec(args.nations, injects=args.injects, turns=args.turns)
    scenario = scenario_load(spec)
    situation = synthetic_exercise(scenario, facilitator=facilitator)
    exercise = situation.exercise
    team = exercise.teams.order_by("position").first()
    # The other players of the team, as a room of five has them.
    for number in range(1, args.players_per_team):
        player = users.create_user(f"bench-{exercise.pk}-{team.nation_code}-{number}")
        participant_add(
            actor=facilitator, exercise=exercise, user=player, role=Role.PLAYER, team=team
        )
    player = Participant.objects.filter(team=team, role=Role.PLAYER).first().user
    browser, control = Client(), Client()
    browser.force_login(player)
    control.force_login(facilitator)
    room = reverse("exercises:team", args=[exercise.code, team.nation_code])
    region = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "moves"}

    def get(client: Client, url: str, **headers: str) -> None:
        response = client.get(url, **headers)
        if response.status_code not in (200, 204):
            raise SystemExit(f"{url}: {response.status_code}")

    # The first request of each kind pays for imports and compiled templates: not counted.
    for client, url in ((browser, "/healthz/live"), (browser, room), (control, "/")):
        get(client, url)
    rows: list[tuple[str, float, float, float]] = []

    def measure(
        name: str,
        action: Callable[[], object],
        repeat: int = args.repeat,
        before: Callable[[], object] | None = None,
        per: int = 1,
    ) -> float:
        """The CPU ms of `action`, divided among the `per` answers it gets."""
        median, low, wall = _cpu_ms(action, repeat, before)
        rows.append((name, median / per, low / per, wall / per))
        return median / per

    def hundred(url: str) -> Callable[[], None]:
        """A hundred answers of a cheap page: one is shorter than the CPU clock's tick."""
        return lambda: [get(browser, url) for _ in range(100)]

    pulse = reverse("exercises:pulse", args=[exercise.code])
    exercise.refresh_from_db()
    bare = measure("bare view (/healthz/live)", hundred("/healthz/live"), per=100)
    seen = f"{pulse}?v={exercise.version}&k={pulse_key(exercise.code)}&team={team.nation_code}"
    measure("pulse, no change (204)", hundred(seen), per=100)

    def drop_copies() -> None:
        """The team's kept regions are forgotten: the next answer renders them all."""
        current = Exercise.objects.get(pk=exercise.pk)
        regions = room_regions(current, team, can_act=True)
        cache.delete_many([key for key, _html in regions.values()])

    measure("team room, rendered from the database", lambda: get(browser, room), 10, drop_copies)
    get(browser, room)
    if args.profile == "ahead":
        turn_close(exercise_id=exercise.pk, turn_number=1, reason="bench")
        _profile(lambda: rooms_render_ahead(exercise.pk), repeat=1)
        return
    if args.profile:
        _profile(lambda: get(browser, room, **(region if args.profile == "region" else {})))
        return
    measure("team room, from its kept copies", lambda: get(browser, room))
    measure("one region of the room (#moves)", lambda: get(browser, room, **region))
    control_url = reverse("exercises:control", args=[exercise.code])
    get(control, control_url)
    measure("control room, from its kept copies", lambda: get(control, control_url))
    measure(
        "control room, rendered from the database",
        lambda: get(control, control_url),
        10,
        cache.clear,
    )
    scenario_url = reverse("scenarios:detail", args=[scenario.slug])
    measure("the scenario's page", lambda: get(control, scenario_url), 10)

    # The turn change itself, once: closing, then the rooms rendered ahead.
    close_ms, _, close_wall = _cpu_ms(
        lambda: turn_close(exercise_id=exercise.pk, turn_number=1, reason="bench"), 1
    )
    rows.append(("close turn 1 (adjudicate, open turn 2)", close_ms, close_ms, close_wall))
    warm_ms, _, warm_wall = _cpu_ms(lambda: rooms_render_ahead(exercise.pk), 1)
    rows.append((f"render {args.nations} rooms ahead (the worker)", warm_ms, warm_ms, warm_wall))
    after = measure("team room after the turn, from its kept copies", lambda: get(browser, room))
    exercise = Exercise.objects.get(pk=exercise.pk)
    pages = args.nations * args.players_per_team
    total = close_ms + warm_ms + pages * after

    database = database_name(connection)
    backend = type(caches["default"]).__name__
    print(f"Machine: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}, "
          f"Django {django.get_version()}, {database}, cache {backend}")  # fmt: skip
    print(
        f"{args.nations} nations, {args.turns} turns, {len(spec.injects)} injects, "
        f"{situation.moves} moves, {situation.agreements} agreements, "
        f"{situation.open_injects} open injects; {args.players_per_team} players a team. "
        "CPU time in one process, through Django's whole stack (no network)."
    )
    print()
    header = ("what", "CPU ms (median)", "CPU ms (lowest)", "bare views", "wall ms (median)")
    table = [
        (n, f"{m:.3f}", f"{low:.3f}", f"{m / bare:.1f}", f"{wall:.1f}") for n, m, low, wall in rows
    ]
    widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(header)]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for row in table:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    print()
    print(
        f"The turn change on one core: close {close_ms:.0f} ms + rooms ahead {warm_ms:.0f} ms "
        f"+ {pages} reloads × {after:.1f} ms = {total:.0f} ms of CPU "
        f"({total / bare:.0f} bare views)."
    )


if __name__ == "__main__":
    main()
