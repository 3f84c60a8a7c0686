"""`tablee backup FILE` and `tablee restore FILE [--force]`.

SQLite: the online backup API copies the database page by page in one step, under a read lock, so
the copy is one consistent moment even while the server and the worker write (WAL mode lets them
go on). PostgreSQL: ``pg_dump --format=custom``, itself a consistent snapshot (one repeatable-read
transaction), restored with ``pg_restore``.

A restore goes into an empty database (no account, no association: a fresh or merely migrated
one). A database holding data is refused unless ``force``: stop the server and the worker first.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

# The tables that make a database "not empty": people and associations.
_DATA_TABLES = ("members_user", "members_association")
# First bytes of a pg_dump custom-format archive.
_PGDMP = b"PGDMP"


class BackupError(Exception):
    """Printed as one line by the CLI."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    seconds: float
    engine: str


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _pg_url() -> str:
    s = connection.settings_dict
    from urllib.parse import quote

    # The password goes through PGPASSWORD (see _run), never the command line.
    auth = quote(s["USER"], safe="")
    host = s.get("HOST") or ""
    port = f":{s['PORT']}" if s.get("PORT") else ""
    options = "&".join(f"{k}={quote(str(v), safe='')}" for k, v in (s.get("OPTIONS") or {}).items()
                       if k in {"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout"})
    url = f"postgresql://{auth + '@' if auth else ''}{quote(host, safe='')}{port}/{quote(s['NAME'], safe='')}"
    return url + (f"?{options}" if options else "")


def backup(*, path: Path) -> BackupResult:
    """Write a consistent copy of the database to ``path`` (replaced atomically when done)."""
    engine = _engine()
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a folder: give a file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    started = time.monotonic()
    try:
        if engine == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                # pages=-1: the whole database in one step, so no writer can slip between pages.
                connection.connection.backup(target, pages=-1)
            finally:
                target.close()
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}",
                  f"--dbname={_pg_url()}"])
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path=path, size=path.stat().st_size, seconds=time.monotonic() - started, engine=engine)


def database_is_empty() -> bool:
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in _DATA_TABLES:
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return False
    return True


def restore(*, path: Path, force: bool = False) -> float:
    """Load the backup at ``path`` into this database. Returns the seconds it took."""
    engine = _engine()
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    head = path.read_bytes()[:16]
    if engine == "sqlite" and not head.startswith(b"SQLite format 3\x00"):
        raise BackupError(f"{path} is not a SQLite backup (is it a PostgreSQL one? restore it on PostgreSQL)")
    if engine == "postgresql" and not head.startswith(_PGDMP):
        raise BackupError(f"{path} is not a pg_dump custom-format backup")
    if not force and not database_is_empty():
        raise BackupError("the database is not empty (it has accounts or associations): restore into an "
                          "empty database, or add --force to replace everything in it")
    started = time.monotonic()
    if engine == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            check = source.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"{path} is damaged: {check}")
            connection.ensure_connection()
            source.backup(connection.connection, pages=-1)
        finally:
            source.close()
    else:
        connection.close()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", f"--dbname={_pg_url()}", str(path)])
    return time.monotonic() - started


def _run(argv: list[str]) -> None:
    try:
        env = dict(os.environ)
        if connection.settings_dict.get("PASSWORD"):
            env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
        result = subprocess.run(argv, capture_output=True, text=True, env=env)
    except FileNotFoundError:
        raise BackupError(f"{argv[0]} is not installed (Debian: apt-get install postgresql-client)") from None
    if result.returncode != 0:
        raise BackupError(f"{argv[0]} failed: {result.stderr.strip()[-500:]}")
