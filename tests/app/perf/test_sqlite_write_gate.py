"""SQLite's write gate (tablee.sqlite3): a write takes the gate before SQLite's lock and gives it back
when its transaction ends, so that writers of every process take turns at the same pace."""

from __future__ import annotations

import pytest
from django.db import connections
from django.db.utils import OperationalError

from tablee.config import database
from tablee.sqlite3.base import DatabaseWrapper, WriteGate


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    """Two connections to one SQLite file, as two server processes would have, each with its gate
    set to give up at once instead of waiting."""
    url = f"sqlite:///{tmp_path / 'gate.sqlite3'}"
    opened: list[DatabaseWrapper] = []

    def connect(url: str = url) -> DatabaseWrapper:
        settings = connections.configure_settings({"default": database(url)})["default"]
        wrapper = DatabaseWrapper(settings, alias=f"gate_{len(opened)}")
        wrapper.ensure_connection()
        if wrapper.gate is not None:
            wrapper.gate.timeout = 0
        opened.append(wrapper)
        return wrapper

    with django_db_blocker.unblock():
        first = connect()
        with first.cursor() as cursor:
            cursor.execute("CREATE TABLE seat (id INTEGER PRIMARY KEY, taken INTEGER)")
            cursor.execute("INSERT INTO seat (id, taken) VALUES (1, 0)")
        yield connect, tmp_path / "gate.sqlite3-gate"
        for wrapper in opened:
            wrapper.close()


def _begin(wrapper: DatabaseWrapper) -> None:
    wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _end(wrapper: DatabaseWrapper, *, commit: bool) -> None:
    (wrapper.commit if commit else wrapper.rollback)()
    wrapper.set_autocommit(True)


@pytest.mark.parametrize("commit", [True, False])
def test_a_transaction_holds_the_gate_until_it_ends(file_database, commit):
    connect, _gate = file_database
    mine, theirs = connect(), connect()
    _begin(mine)
    with mine.cursor() as cursor:
        cursor.execute("UPDATE seat SET taken = 1 WHERE id = 1")

    with pytest.raises(OperationalError, match="database is locked"), theirs.cursor() as cursor:
        cursor.execute("UPDATE seat SET taken = 2 WHERE id = 1")
    _end(mine, commit=commit)
    with theirs.cursor() as cursor:
        cursor.execute("UPDATE seat SET taken = 2 WHERE id = 1")
        taken = cursor.execute("SELECT taken FROM seat").fetchone()[0]

    assert taken == 2 and not mine.gate.held and not theirs.gate.held


def test_a_write_outside_a_transaction_waits_for_the_gate_and_a_read_does_not(file_database):
    connect, gate_path = file_database
    other_process = WriteGate(str(gate_path), timeout=0)
    other_process.acquire()
    reader = connect()
    try:
        with reader.cursor() as cursor:
            seen = cursor.execute("SELECT taken FROM seat").fetchone()[0]
            with pytest.raises(OperationalError, match="database is locked"):
                cursor.execute("  update seat SET taken = 3 WHERE id = 1")
            with pytest.raises(OperationalError, match="database is locked"):
                _begin(reader)
    finally:
        other_process.close()
    with reader.cursor() as cursor:
        cursor.execute("UPDATE seat SET taken = 3 WHERE id = 1")

    assert seen == 0 and not reader.gate.held and not reader.in_atomic_block


def test_a_gate_held_by_a_closed_connection_is_given_back(file_database):
    connect, _gate = file_database
    mine, theirs = connect(), connect()
    _begin(mine)
    with mine.cursor() as cursor:
        cursor.execute("UPDATE seat SET taken = 1 WHERE id = 1")

    mine.close()
    with theirs.cursor() as cursor:
        cursor.execute("UPDATE seat SET taken = 4 WHERE id = 1")
        taken = cursor.execute("SELECT taken FROM seat").fetchone()[0]

    assert taken == 4


def test_the_url_can_leave_the_gate_out(file_database, tmp_path):
    connect, gate_path = file_database
    ungated = connect(f"sqlite:///{tmp_path / 'gate.sqlite3'}?write_gate=false")
    holder = WriteGate(str(gate_path), timeout=0)
    holder.acquire()
    try:
        with ungated.cursor() as cursor:
            cursor.execute("UPDATE seat SET taken = 5 WHERE id = 1")
    finally:
        holder.close()

    assert ungated.gate is None
