"""What the benchmarks share: the machine they ran on, and the database they use."""

import os
import platform
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def django_database() -> str | None:
    """Point Django at a throwaway SQLite file unless DATABASE_URL names a database; return
    the temporary directory to remove afterwards, if one was made."""
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.settings")
    if os.environ.get("DATABASE_URL"):
        return None
    scratch = tempfile.mkdtemp(prefix="cumbre-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ.setdefault("CUMBRE_VAR_DIR", scratch)
    return scratch


def database_name(connection) -> str:
    """The database behind a Django connection, with its version."""
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        version = connection.pg_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    return connection.display_name


def with_django(run: Callable[..., None], *args: object) -> None:
    """Set Django up on the benchmark's database (django_database), migrate it, call
    `run(*args)`, and remove the throwaway database afterwards."""
    scratch = django_database()
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        run(*args)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
