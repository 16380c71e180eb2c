"""What balancing a scenario costs: `manage.py balance`'s plays, in CPU seconds.

    .venv/bin/python bench/balance.py                   # the three shipped scenarios, 200 plays
    .venv/bin/python bench/balance.py --runs 500 caribbean-storm

Each scenario is read from its file and played `runs` times on the rules alone (no database),
as the command plays it, and the CPU time (`time.process_time`) is printed beside the time of a
fixed piece of Python on the same machine (ten million additions), the unit that makes figures
from different days and machines comparable.
"""

import argparse
import os
import platform
import sys
import time

from machine import REPO, cpu_model


def _unit() -> float:
    """CPU seconds of ten million additions in a loop: the machine's speed today."""
    start = time.process_time()
    total = 0
    for number in range(10_000_000):
        total += number
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("slugs", nargs="*", default=["caribbean-storm", "dark-ports",
                                                     "pacific-route"])  # fmt: skip
    parser.add_argument("--runs", type=int, default=200)
    arguments = parser.parse_args()
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.settings")
    import django

    django.setup()
    from wargame.engine.balance import balance
    from wargame.scenarios.catalogue import engine_rules
    from wargame.scenarios.fileformat import parse_scenario_file
    from wargame.scenarios.simulation import simulation_plan

    unit = _unit()
    print(f"Machine: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}")
    print(f"Ten million additions: {unit:.2f} CPU s (the unit)")
    print()
    print("scenario          | nations | turns | plays | CPU s | units | CPU ms a play")
    print("------------------|---------|-------|-------|-------|-------|--------------")
    for slug in arguments.slugs:
        plan = simulation_plan(parse_scenario_file(REPO / "scenarios" / f"{slug}.yaml"))
        start = time.process_time()
        balance(plan, engine_rules(), runs=arguments.runs, seed=1)
        spent = time.process_time() - start
        print(
            f"{slug:<17} | {len(plan.teams):>7} | {plan.turns:>5} | {arguments.runs:>5} | "
            f"{spent:>5.1f} | {spent / unit:>5.1f} | {spent / arguments.runs * 1000:>13.1f}"
        )


if __name__ == "__main__":
    main()
