"""Configuration that follows reality: site URL from PORT, a warning on a port mismatch, no public demo."""

from __future__ import annotations

import subprocess

import pytest

from tablee.cli import main
from tablee.server import site_url_warning


def test_serve_warns_when_the_site_url_port_differs():
    warning = site_url_warning(site_url="http://127.0.0.1:8000", port=8123)

    assert "8000" in warning and "8123" in warning


@pytest.mark.parametrize("site_url,port", [("http://127.0.0.1:8123", 8123), ("http://localhost:80", 80),
                                           ("https://tablee.example", 443)])
def test_serve_is_quiet_when_the_ports_agree(site_url, port):
    assert site_url_warning(site_url=site_url, port=port) == ""


def test_serve_prints_the_warning_at_start_up(monkeypatch, settings, capsys):
    from tablee import server

    settings.SITE_URL = "http://127.0.0.1:8000"
    monkeypatch.setattr(server.os, "execv", lambda *args: None)
    monkeypatch.setattr("django.core.management.call_command", lambda *args, **kwargs: None)

    server.serve(port=8123, host="127.0.0.1", workers=1, threads=1)

    assert "8123" in capsys.readouterr().err


def test_demo_refuses_without_debug(db, settings, capsys):
    from tablee.members.models import User

    settings.DEBUG = False

    assert main(["demo"]) == 1

    assert "TABLEE_DEBUG" in capsys.readouterr().err
    assert not User.objects.exists()


ROOT = __file__.rsplit("/tests/", 1)[0]


def _site_url(*args, **env) -> str:
    import os

    environ = {k: v for k, v in os.environ.items() if k not in ("TABLEE_SITE_URL", "PORT")}
    result = subprocess.run(["make", "-s", "--no-print-directory", "site-url", *args], capture_output=True,
                            text=True, cwd=ROOT, env={**environ, **env}, check=True)
    return result.stdout.strip()


def test_make_run_derives_the_site_url_from_port():
    assert _site_url("PORT=8765") == "http://127.0.0.1:8765"
    assert _site_url(PORT="8123") == "http://127.0.0.1:8123"
    assert _site_url() == "http://127.0.0.1:8000"


def test_a_site_url_that_is_set_wins():
    assert _site_url("PORT=8765", TABLEE_SITE_URL="https://tablee.example") == "https://tablee.example"


def _gunicorn_argv(monkeypatch, settings, *cli_args: str) -> list[str]:
    from tablee import server

    settings.SITE_URL = "http://127.0.0.1:8123"
    started: list[list[str]] = []
    monkeypatch.setattr(server.os, "execv", lambda path, argv: started.append(argv))
    monkeypatch.setattr("django.core.management.call_command", lambda *args, **kwargs: None)
    assert main(["serve", "--port", "8123", *cli_args]) == 0
    [argv] = started
    return argv


def test_serve_runs_two_worker_processes_per_core_with_one_thread_each(monkeypatch, settings):
    from tablee import server

    monkeypatch.delenv("TABLEE_WORKERS", raising=False)
    monkeypatch.delenv("TABLEE_THREADS", raising=False)
    monkeypatch.setattr(server.os, "cpu_count", lambda: 3)
    argv = _gunicorn_argv(monkeypatch, settings)
    assert argv[argv.index("--workers") + 1] == "6" and argv[argv.index("--threads") + 1] == "1"


def test_serve_takes_workers_from_the_environment_and_the_flags_over_it(monkeypatch, settings):
    monkeypatch.setenv("TABLEE_WORKERS", "3")
    monkeypatch.setenv("TABLEE_THREADS", "4")
    argv = _gunicorn_argv(monkeypatch, settings)
    assert argv[argv.index("--workers") + 1] == "3" and argv[argv.index("--threads") + 1] == "4"
    argv = _gunicorn_argv(monkeypatch, settings, "--workers", "1", "--threads", "1")
    assert argv[argv.index("--workers") + 1] == "1" and argv[argv.index("--threads") + 1] == "1"


def test_serve_refuses_a_worker_count_that_is_not_a_number(monkeypatch, capsys):
    monkeypatch.setenv("TABLEE_WORKERS", "beaucoup")
    assert main(["serve", "--port", "8123"]) != 0
    assert "TABLEE_WORKERS must be a whole number" in capsys.readouterr().err


def test_postgresql_binds_on_the_server_and_prepares_repeated_statements_by_default():
    from tablee.config import database

    options = database("postgres://tablee:pw@db.example:5432/tablee")["OPTIONS"]

    assert options["server_side_binding"] is True and options["prepare_threshold"] == 5


@pytest.mark.parametrize("query,binding,threshold", [
    ("?prepare_threshold=none", True, None), ("?server_side_binding=false", False, 5),
    ("?server_side_binding=off&prepare_threshold=0", False, 0), ("?sslmode=require&prepare_threshold=20", True, 20),
])
def test_the_database_url_can_turn_binding_and_prepared_statements_off(query, binding, threshold):
    from tablee.config import database

    options = database(f"postgres://tablee@db.example/tablee{query}")["OPTIONS"]

    assert (options["server_side_binding"], options["prepare_threshold"]) == (binding, threshold)


@pytest.mark.parametrize("query", ["?server_side_binding=maybe", "?prepare_threshold=-1", "?prepare_threshold=five"])
def test_a_bad_statement_option_in_the_database_url_fails_loudly(query):
    from tablee.config import ConfigError, database

    with pytest.raises(ConfigError, match="DATABASE_URL") as raised:
        database(f"postgres://tablee:secret-pw@db.example/tablee{query}")
    assert "secret-pw" not in str(raised.value)


def _worker_niceness(monkeypatch) -> list[int]:
    from tablee import cli

    seen: list[int] = []
    monkeypatch.setattr(cli.os, "nice", seen.append)
    monkeypatch.setattr("django.core.management.call_command", lambda *args, **kwargs: None)
    assert main(["worker", "--batch"]) == 0
    return seen


def test_the_worker_yields_the_processor_to_the_web_by_default(monkeypatch, db):
    monkeypatch.delenv("TABLEE_WORKER_NICE", raising=False)

    assert _worker_niceness(monkeypatch) == [5]


def test_the_worker_keeps_full_priority_when_told(monkeypatch, db):
    monkeypatch.setenv("TABLEE_WORKER_NICE", "0")

    assert _worker_niceness(monkeypatch) == []


def test_the_worker_refuses_a_niceness_that_is_not_a_number(monkeypatch, capsys, db):
    monkeypatch.setenv("TABLEE_WORKER_NICE", "un peu")

    assert main(["worker", "--batch"]) != 0
    assert "TABLEE_WORKER_NICE must be a whole number" in capsys.readouterr().err


@pytest.mark.parametrize("url,gate", [("sqlite:////srv/tablee.sqlite3", True),
                                      ("sqlite:////srv/tablee.sqlite3?write_gate=false", False),
                                      ("sqlite:////srv/tablee.sqlite3?write_gate=on", True)])
def test_sqlite_writers_take_turns_through_a_gate_unless_the_url_turns_it_off(url, gate):
    from tablee.config import database

    settings = database(url)

    assert settings["ENGINE"] == "tablee.sqlite3" and settings["NAME"] == "/srv/tablee.sqlite3"
    assert settings["OPTIONS"]["write_gate"] is gate


def test_a_bad_write_gate_option_in_the_database_url_fails_loudly():
    from tablee.config import ConfigError, database

    with pytest.raises(ConfigError, match="write_gate"):
        database("sqlite:////srv/tablee.sqlite3?write_gate=peut-être")


def test_each_web_process_warms_the_engine_up_in_the_background(monkeypatch, settings):
    import threading

    from tablee import server
    from tablee.outbox import ticks

    argv = _gunicorn_argv(monkeypatch, settings)
    assert argv[argv.index("--config") + 1] == "python:tablee.server"
    ran = threading.Event()
    monkeypatch.setattr(ticks, "_warm_ups", {"probe": ran.set})

    thread = server.post_worker_init()

    thread.join()
    assert ran.is_set() and thread.daemon
