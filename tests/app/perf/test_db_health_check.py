"""PostgreSQL's health check (tablee.postgresql): a connection that has just served a request
without an error skips the check's round trip; an idle one, or one that saw an error, is checked."""

from __future__ import annotations

import pytest
from django.db import connection, connections

from tablee.postgresql import base

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend")


@pytest.fixture
def own_connection(db, monkeypatch):
    """A second connection to the test database, in autocommit as a server's is, and a count of
    the health checks that reach the server."""
    wrapper = connections.create_connection("default")
    checks = []
    real = base.base.DatabaseWrapper.is_usable
    monkeypatch.setattr(base.base.DatabaseWrapper, "is_usable", lambda self: checks.append(1) or real(self))
    wrapper.ensure_connection()
    yield wrapper, checks
    wrapper.close()


def _request(wrapper, sql="SELECT 2"):
    """What Django does around a request: the start and end signals, one query in between."""
    wrapper.close_if_unusable_or_obsolete()
    with wrapper.cursor() as cursor:
        cursor.execute(sql)
    wrapper.close_if_unusable_or_obsolete()


def test_a_connection_that_just_served_a_request_well_skips_the_check(own_connection):
    wrapper, checks = own_connection
    _request(wrapper)
    checks.clear()

    _request(wrapper)
    _request(wrapper)

    assert checks == []


def test_an_idle_connection_is_checked_before_its_next_query(own_connection, monkeypatch):
    wrapper, checks = own_connection
    _request(wrapper)
    checks.clear()
    monkeypatch.setattr(base, "RECENTLY_FINE", 0.0)

    _request(wrapper)

    assert checks == [1]


def test_a_connection_that_saw_an_error_is_checked(own_connection):
    from django.db import DatabaseError

    wrapper, checks = own_connection
    _request(wrapper)
    with pytest.raises(DatabaseError), wrapper.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")
    checks.clear()

    wrapper.close_if_unusable_or_obsolete()  # the request's end: the error makes Django check
    wrapper.close_if_unusable_or_obsolete()  # the next request's start
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 2")

    assert checks == [1]


def test_a_connection_known_closed_is_checked_and_opened_again(own_connection):
    wrapper, checks = own_connection
    _request(wrapper)
    checks.clear()
    wrapper.connection.close()  # psycopg knows it is gone

    _request(wrapper)

    assert checks == [1] and not wrapper.connection.closed
