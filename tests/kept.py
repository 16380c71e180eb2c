"""Rows made once per test process and written again for the tests after the first.

Loading a scenario or playing an exercise runs its services: validation, many small writes,
events. The rows it leaves are the same every time it starts from the same database, so the
first time in a process they are kept, and afterwards written again with `bulk_create`, keys
and timestamps included, in a few queries. A row a test adds after them takes a key above the
highest in its table on both databases (PostgreSQL's sequences are not rolled back; SQLite
counts from the highest key written), so kept keys and new ones never meet.
"""

from collections.abc import Callable

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Model

# By name and by what the database held before (a fingerprint): the rows `make` added (kept
# to be written again) and the key of the object it returned.
KEPT: dict[tuple[str, tuple], tuple[dict[type[Model], list[Model]], object]] = {}


def made_once(name: str, make: Callable[[], object]) -> object:
    """The key of what `make` makes, in the current transaction: made the first time in this
    process from what the database holds now, its rows written again whenever it holds the
    same (a transactional test empties it; a test may have added rows of its own first, and
    the next may not). Rows made from one state are never written into another."""
    before = _fingerprint()
    if (name, before) in KEPT:
        rows, made = KEPT[name, before]
        _restore(rows)
        return made
    keys = {model: set(model._base_manager.values_list("pk", flat=True)) for model in _models()}
    made = make()
    added = {
        model: [row for row in model._base_manager.all() if row.pk not in keys[model]]
        for model in _models()
    }
    KEPT[name, before] = ({model: rows for model, rows in added.items() if rows}, made)
    return made


def _models() -> list[type[Model]]:
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]


def _fingerprint() -> tuple:
    """The number of rows and the highest key of every table, in one query. Between tests
    rows are only added and rolled back, never replaced under the same count and highest
    key, so equal fingerprints mean the same rows."""
    quote = connection.ops.quote_name
    parts = [
        f"SELECT COUNT(*), CAST(MAX({quote(m._meta.pk.column)}) AS TEXT)"
        f" FROM {quote(m._meta.db_table)}"
        for m in _models()
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return tuple(cursor.fetchall())


def _restore(rows: dict[type[Model], list[Model]]) -> None:
    """Write the kept rows again as they were, timestamps included, in one transaction (in a
    test that commits, a row written before the row it refers to would be refused)."""
    stamped = [
        field
        for model in rows
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in stamped]
    try:
        for field in stamped:
            field.auto_now = field.auto_now_add = False
        with transaction.atomic():
            for model, kept in rows.items():
                model._base_manager.bulk_create(kept)
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add
