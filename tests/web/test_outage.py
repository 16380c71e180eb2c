"""Only a database that cannot be reached is answered as an outage (503, "back in a moment");
a query that the database refuses is a fault, logged as one, never reported as an outage."""

import sqlite3

import psycopg
import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from wargame.web.middleware import DatabaseUnavailableMiddleware, database_outage


def raised(cause: BaseException) -> OperationalError:
    """A Django OperationalError as the database wrapper raises it, with the driver's cause."""
    try:
        try:
            raise cause
        except BaseException as driver:
            raise OperationalError(str(driver)) from driver
    except OperationalError as error:
        return error


def postgres(sqlstate: str | None) -> psycopg.Error:
    """The error psycopg raises for a state (None: it never reached a server)."""
    kind = psycopg.OperationalError if sqlstate is None else psycopg.errors.lookup(sqlstate)
    return kind("server says no")


@pytest.mark.parametrize(
    ("error", "outage"),
    [
        (raised(sqlite3.OperationalError("unable to open database file")), True),
        (raised(sqlite3.OperationalError("database is locked")), True),
        (raised(sqlite3.OperationalError("too many SQL variables")), False),
        (raised(sqlite3.OperationalError("no such table: exercises_exercise")), False),
        (raised(postgres("08006")), True),  # connection failure
        (raised(postgres("57P01")), True),  # the server is shutting down
        (raised(postgres(None)), True),  # no connection at all
        (raised(postgres("54000")), False),  # a program limit exceeded
        (InterfaceError("connection already closed"), True),
        (ValueError("not the database"), False),
    ],
)
def test_what_counts_as_an_outage(error: BaseException, outage: bool) -> None:
    assert database_outage(error) is outage
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    answer = middleware.process_exception(RequestFactory().get("/"), error)
    assert (answer is not None and answer.status_code == 503) is outage
