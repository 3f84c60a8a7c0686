"""Django's SQLite backend, with writers taking turns fairly (issue 13).

SQLite lets one writer at a time. A writer that finds the lock taken waits in SQLite's busy
handler, which sleeps 1, 2, 5, 10 … then 100 ms between tries: the longer a writer has waited, the
less often it looks. Under steady writes (a worker importing in short batches, members signing up
for the same breakfast) a newcomer, still trying every millisecond or two, keeps getting the lock
before it, and one request waited 2 to 3 s (bench/RESULTS.md, session 7).

Here a write first takes an exclusive ``flock`` on a file beside the database (the *gate*), and
only then SQLite's lock, which is then free. Every waiter tries the gate at the same short
interval, however long it has waited, so the one waiting longest is no longer the one least
likely to get in (the fix Rails made with its own busy handler: one constant short sleep).
Python's ``sqlite3`` cannot install a busy handler, hence the file. The gate covers a transaction
from ``BEGIN IMMEDIATE`` to its end, and a write statement outside any transaction for its own
duration; reads never take it (WAL readers do not wait for writers). A process that dies releases
its ``flock``. Waiting for the gate gives up after the connection's ``timeout`` with SQLite's own
"database is locked". An in-memory database, or ``?write_gate=false`` in ``DATABASE_URL`` (for a
file system without ``flock``), has no gate.
"""

from __future__ import annotations

import fcntl
import os
import time

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

from tablee.text.fold import fold

POLL_SECONDS = 0.001
_WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER"})


class WriteGate:
    """An exclusive ``flock`` on one file, held by one connection at a time across processes."""

    def __init__(self, path: str, *, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self.held = False
        self._fd: int | None = None

    def acquire(self) -> None:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OperationalError("database is locked") from None
                time.sleep(POLL_SECONDS)
            else:
                self.held = True
                return

    def release(self) -> None:
        if self.held and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self.held = False

    def close(self) -> None:
        self.release()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _writes(query: str) -> bool:
    head = query.lstrip()[:8].split(maxsplit=1)
    return bool(head) and head[0].upper() in _WRITES


class GatedCursorWrapper(base.SQLiteCursorWrapper):
    gate: WriteGate | None = None

    def execute(self, query, params=None):
        if self.gate is None or self.gate.held or not _writes(query):
            return super().execute(query, params)
        self.gate.acquire()  # a write outside any transaction: SQLite commits it by itself
        try:
            return super().execute(query, params)
        finally:
            if not self.connection.in_transaction:
                self.gate.release()

    def executemany(self, query, param_list):
        if self.gate is None or self.gate.held or not _writes(query):
            return super().executemany(query, param_list)
        self.gate.acquire()
        try:
            return super().executemany(query, param_list)
        finally:
            if not self.connection.in_transaction:
                self.gate.release()


def _name_key(text: str) -> tuple[str, str]:
    """Folded as a search folds it (``tablee.text.fold``), then the name itself to break ties."""
    return fold(text or ""), text or ""


def _compare_names(a: str, b: str) -> int:
    """The collation ``tablee_names`` (tablee.sorting): accents and case come second, as in French."""
    left, right = _name_key(a), _name_key(b)
    return (left > right) - (left < right)


class DatabaseWrapper(base.DatabaseWrapper):
    gate: WriteGate | None = None

    def get_connection_params(self):
        params = super().get_connection_params()
        params.pop("write_gate", None)
        return params

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.create_collation("tablee_names", _compare_names)  # tablee.sorting.NAMES
        if self.gate is not None:
            self.gate.close()
            self.gate = None
        if self.settings_dict["OPTIONS"].get("write_gate", True) and not self.is_in_memory_db():
            self.gate = WriteGate(f"{self.settings_dict['NAME']}-gate", timeout=float(conn_params.get("timeout", 5)))
        return connection

    def create_cursor(self, name=None):
        cursor = self.connection.cursor(factory=GatedCursorWrapper)
        cursor.gate = self.gate
        return cursor

    def _start_transaction_under_autocommit(self):
        if self.gate is None or self.gate.held:
            return super()._start_transaction_under_autocommit()
        self.gate.acquire()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self.gate.release()
            raise

    def _commit(self):
        try:
            super()._commit()
        finally:
            self._release_after_transaction()

    def _rollback(self):
        try:
            super()._rollback()
        finally:
            self._release_after_transaction()

    def _close(self):
        try:
            super()._close()
        finally:
            if self.gate is not None:
                self.gate.close()
                self.gate = None

    def _release_after_transaction(self) -> None:
        if self.gate is not None and self.gate.held and not (self.connection and self.connection.in_transaction):
            self.gate.release()
