"""How long the after-action report takes in each format, as the exercise grows.

    .venv/bin/python bench/report.py                       # 7 and 35 nations, 12 turns
    .venv/bin/python bench/report.py --nations 35 --turns 12 --repeat 1

For each size it loads a synthetic scenario (tests/factories/scenarios.py), plays every turn
with the scripted bots of `manage.py simulate`, and times the report's data and each format:
JSON, CSV, HTML, PDF (WeasyPrint) and Word, each read and rendered from scratch, as a worker
does. It works in a temporary SQLite database that it removes at the end. Only the report is
timed; playing the exercise is not.

First it prints the machine's ceiling: how fast WeasyPrint lays out and writes plain pages of
text (no tables, no images) here, so that the figures can be read against the machine.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--nations", type=int, nargs="+", default=[7, 35])
    parser.add_argument("--turns", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=2, help="renders measured per format")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="cumbre-bench-")
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ["CUMBRE_VAR_DIR"] = scratch
    try:
        _run(args)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _run(args: argparse.Namespace) -> None:
    import django

    django.setup()

    from django.core.management import call_command

    from tests.factories.scenarios import synthetic_spec
    from wargame.exercises.models import Exercise
    from wargame.reports.files import render_format
    from wargame.scenarios.services import scenario_load
    from wargame.turns.management.commands.simulate import simulate

    call_command("migrate", verbosity=0)
    from bench.machine import cpu_model

    print(f"{cpu_model()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    pages, seconds = _ceiling()
    print(f"ceiling: WeasyPrint lays out and writes {pages / seconds:.1f} plain pages/s "
          f"({pages} pages in {seconds:.2f} s)")  # fmt: skip
    print(f"{'nations':>7} {'turns':>5} {'moves':>6} {'format':>6} {'seconds':>8} {'cpu':>6} "
          f"{'size':>10} {'pages':>5}")  # fmt: skip
    for nations in args.nations:
        spec = synthetic_spec(nations, turns=args.turns, slug=f"bench-{nations}")
        scenario = scenario_load(spec)
        played = simulate(scenario, seed=1, turns=args.turns)
        exercise = Exercise.objects.get(code=played["exercise"])
        moves = exercise.moves.count()
        for fmt in ("json", "csv", "html", "pdf", "docx"):
            seconds, cpu, size = [], [], 0
            for _ in range(args.repeat):
                started, used = time.perf_counter(), time.process_time()
                content = render_format(exercise, fmt)
                seconds.append(time.perf_counter() - started)
                cpu.append(time.process_time() - used)
                size = len(content)
            pages = _pages(content) if fmt == "pdf" else ""
            print(
                f"{nations:>7} {args.turns:>5} {moves:>6} {fmt:>6} "
                f"{statistics.median(seconds):>8.2f} {statistics.median(cpu):>6.2f} "
                f"{size:>10,} {pages:>5}"
            )


def _ceiling() -> tuple[int, float]:
    """Pages of plain text WeasyPrint lays out and writes, and the seconds it took."""
    from weasyprint import HTML

    line = "Plain text of the size of the report's moves, to measure the machine. " * 2
    page = "".join(f"<p>{line}</p>" for _ in range(40))
    html = (
        "<html><head><style>@page { size: A4; margin: 18mm } html { font: 8pt 'DejaVu Sans' }"
        " p { margin: 0 0 2pt }</style></head><body>" + page * 60 + "</body></html>"
    )
    HTML(string="<p>warm up</p>").render().write_pdf()
    started = time.perf_counter()
    document = HTML(string=html).render()
    document.write_pdf()
    return len(document.pages), time.perf_counter() - started


def _pages(content: bytes) -> int:
    document = pypdfium2.PdfDocument(content)
    try:
        return len(document)
    finally:
        document.close()


if __name__ == "__main__":
    main()
