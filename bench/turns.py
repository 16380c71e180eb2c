"""How long closing a turn takes, and in how many SQL queries, as the exercise grows.

    .venv/bin/python bench/turns.py                  # a throwaway SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cumbre_bench .venv/bin/python bench/turns.py

For each size it loads a synthetic scenario, builds an exercise in a busy first turn (every
inject open, agreements in force, every team's moves submitted; see
tests/factories/exercises.py) and times `turn_close` in automatic mode: close, adjudicate,
publish and open turn 2, in one transaction, as the Celery worker runs it. Each measurement
uses a fresh exercise. Only the close is timed; building the exercise is not.

Without DATABASE_URL it works in a temporary directory that it removes at the end. With
DATABASE_URL it migrates that database and leaves its exercises in it: give it a database of
its own, never one with data you care about.
"""

import argparse
import platform
import statistics
import time

from machine import cpu_model, database_name, with_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--nations", type=int, nargs="+", default=[5, 15, 35])
    parser.add_argument("--repeat", type=int, default=5, help="closes measured per size")
    parser.add_argument("--moves-per-team", type=int, default=6)
    parser.add_argument("--agreements", type=int, default=20)
    parser.add_argument("--injects", type=int, default=30)
    args = parser.parse_args()

    with_django(_run, args)


def _run(args: argparse.Namespace) -> None:
    import django
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.exercises import SyntheticTurn, synthetic_exercise
    from tests.factories.scenarios import synthetic_spec
    from wargame.scenarios.services import scenario_load
    from wargame.turns.services import turn_close

    user_model = get_user_model()
    facilitator = user_model.objects.filter(
        username="bench-facilitator"
    ).first() or user_model.objects.create_user("bench-facilitator")

    def build(nations: int) -> SyntheticTurn:
        scenario = scenario_load(synthetic_spec(nations, injects=args.injects))
        return synthetic_exercise(
            scenario,
            facilitator=facilitator,
            moves_per_team=args.moves_per_team,
            agreements=args.agreements,
        )

    # One close before measuring, so that one-time costs (imports, the catalogue, the first
    # connection) are not counted against the first size.
    warm = build(min(args.nations))
    turn_close(exercise_id=warm.exercise.pk, turn_number=1, reason="bench warm-up")

    rows = []
    for nations in args.nations:
        times, counts = [], []
        for _repeat in range(args.repeat):
            situation = build(nations)
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                closed = turn_close(
                    exercise_id=situation.exercise.pk, turn_number=1, reason="bench"
                )
                times.append((time.perf_counter() - start) * 1000)
            if not closed:
                raise SystemExit(f"turn 1 of exercise {situation.exercise.pk} did not close")
            counts.append(len(queries))
        low, high = min(counts), max(counts)
        rows.append(
            (
                nations,
                situation.moves,
                situation.agreements,
                situation.open_injects,
                str(low) if low == high else f"{low}-{high}",
                f"{statistics.median(times):.1f}",
                f"{min(times):.1f}",
            )
        )

    database = database_name(connection)
    print(f"Python {platform.python_version()}, Django {django.get_version()}, {database}")
    print(f"CPU: {cpu_model()}; {args.repeat} closes per size, each of a fresh exercise")
    print("Queries: every statement of the close, BEGIN and COMMIT included.")
    print()
    header = ("nations", "moves", "agreements", "open injects", "queries", "median ms", "min ms")
    widths = [max(len(h), *(len(str(row[i])) for row in rows)) for i, h in enumerate(header)]
    print(" | ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(str(v).rjust(w) for v, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
