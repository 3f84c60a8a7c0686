"""`tablee backup` while serving and writing, `tablee restore` into an empty database, the same token there."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import urllib.request

import pytest
from tablee_processes import free_port, serving, tablee, tablee_env


def _call(url: str, token: str, *, method: str = "GET", body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, method=method, headers={"Authorization": f"Bearer {token}",
                                                                  "Content-Type": "application/json"},
                                     data=json.dumps(body).encode() if body is not None else None)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, {}


def _wait_for(condition, *, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _count(db, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


@pytest.mark.e2e
def test_a_backup_taken_while_serving_and_writing_restores_and_the_same_token_signs_in(tmp_path, capsys):
    source, target = tmp_path / "source", tmp_path / "target"
    source.mkdir(), target.mkdir()
    env = tablee_env(source)
    tablee(env, "-v", "0", "migrate")
    tablee(env, "association", "create", "club", "Club")
    (source / "members.csv").write_text("email,first_name,last_name\nmarie@example.org,Marie,Tremblay\n")
    tablee(env, "members", "import", "club", str(source / "members.csv"))
    token = tablee(env, "token", "create", "marie@example.org").stdout.strip().split(",")[1]

    port = free_port()
    written, stop = [], threading.Event()
    with serving(env, port=port) as url:
        status, contact = _call(f"{url}/api/contacts", token, method="POST",
                                body={"name": "Sophie Lavoie", "email": "sophie@example.net", "tier": "network"})
        assert status == 201

        def write():
            k = 0
            while not stop.is_set():
                status, data = _call(f"{url}/api/contacts/{contact['id']}/notes", token, method="POST",
                                     body={"text": f"Note {k}"})
                assert status == 201, status
                written.append(data["id"])
                k += 1

        writers = [threading.Thread(target=write) for _ in range(3)]
        for w in writers:
            w.start()
        _wait_for(lambda: len(written) >= 30, what="the writes to flow")
        backup_file = tmp_path / "tablee.backup"
        started = time.monotonic()
        done = tablee(env, "backup", str(backup_file))
        backup_seconds = time.monotonic() - started
        before_stop = len(written)
        _wait_for(lambda: len(written) >= before_stop + 10, what="the writes to go on after the backup")
        stop.set()
        for w in writers:
            w.join()

    with sqlite3.connect(backup_file) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    in_backup = _count(backup_file, "circle_note")
    assert 30 <= in_backup < len(written) == _count(source / "db.sqlite3", "circle_note")

    target_env = tablee_env(target)
    restored = tablee(target_env, "restore", str(backup_file))
    assert "restored" in restored.stdout
    refused = tablee(target_env, "restore", str(backup_file), check=False)
    assert refused.returncode == 1 and "not empty" in refused.stderr and "Traceback" not in refused.stderr
    assert tablee(target_env, "restore", "--force", str(backup_file)).returncode == 0
    assert _count(target / "db.sqlite3", "circle_note") == in_backup

    with serving(target_env, port=free_port()) as url:
        status, me = _call(f"{url}/api/me", token)
    assert status == 200 and me["email"] == "marie@example.org"
    with capsys.disabled():
        print(f"\n[backup] {done.stdout.strip()} (wall {backup_seconds:.2f} s, {in_backup} notes in it, "
              f"{len(written)} written in all)")


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    env = tablee_env(tmp_path)
    (tmp_path / "notes.txt").write_text("bonjour")
    result = tablee(env, "restore", str(tmp_path / "notes.txt"), check=False)
    assert result.returncode == 1 and "not a SQLite backup" in result.stderr
    missing = tablee(env, "restore", str(tmp_path / "absent.backup"), check=False)
    assert missing.returncode == 1 and "no such file" in missing.stderr
