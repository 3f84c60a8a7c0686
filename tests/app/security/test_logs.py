"""Structured logs (one line per request, JSON on demand) and Sentry without personal data."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

from tablee.logs import JsonFormatter, RequestIdFilter, scrub_event


def test_one_log_line_per_request_with_its_id_and_status(client, caplog, db):
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.INFO, logger="tablee.request"):
        response = client.get("/accounts/login/?email=marie@example.org", HTTP_X_REQUEST_ID="proxy-req-0001")
        client.get("/nowhere/")
    lines = [r for r in caplog.records if r.name == "tablee.request"]
    assert [(r.method, r.path, r.status) for r in lines] == [("GET", "/accounts/login/", 200), ("GET", "/nowhere/", 404)]
    assert response["X-Request-ID"] == "proxy-req-0001"
    assert lines[0].request_id == "proxy-req-0001" and len(lines[1].request_id) == 16
    assert "marie@example.org" not in " ".join(r.getMessage() for r in lines)


def test_the_json_format_gives_time_level_logger_request_id_and_status(client, caplog, db):
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.INFO, logger="tablee.request"):
        response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="bad id with spaces")
    record = next(r for r in caplog.records if r.name == "tablee.request")
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == response["X-Request-ID"] != "bad id with spaces"
    assert {"time", "level", "logger", "request_id", "status", "message"} <= set(line)
    assert line["logger"] == "tablee.request" and line["status"] == 200 and line["level"] == "INFO"


def test_json_logs_and_sentry_are_configured_from_the_environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TABLEE_")}
    env.update(TABLEE_DEBUG="1", TABLEE_DATA_DIR=str(tmp_path), TABLEE_LOG_FORMAT="json",
               SENTRY_DSN="https://public@sentry.example.org/1", DJANGO_SETTINGS_MODULE="tablee.settings")
    code = ("import django, logging, sentry_sdk; django.setup(); "
            "from django.conf import settings; "
            "o = sentry_sdk.get_client().options; "
            "print(settings.SENTRY_ENABLED, o['send_default_pii'], o['include_local_variables']); "
            "logging.getLogger('tablee.test').warning('bonjour')")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "False"]
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["logger"] == "tablee.test" and line["message"] == "bonjour" and line["request_id"] == "-"


def test_sentry_events_lose_everything_personal():
    event = {
        "request": {"method": "POST", "url": "https://t.example.org/accounts/login/?email=marie@example.org",
                    "cookies": {"sessionid": "s"}, "headers": {"Authorization": "Bearer tbl_x"},
                    "data": {"username": "marie@example.org", "password": "x"}, "env": {"REMOTE_ADDR": "1.2.3.4"}},
        "user": {"email": "marie@example.org", "ip_address": "1.2.3.4"},
        "server_name": "host",
        "breadcrumbs": {"values": [{"category": "query", "message": "SELECT … 'marie@example.org'", "data": {}}]},
        "exception": {"values": [{"stacktrace": {"frames": [{"function": "f", "vars": {"email": "marie@example.org"}}]}}]},
    }
    cleaned = json.dumps(scrub_event(event))
    assert "marie@example.org" not in cleaned and "1.2.3.4" not in cleaned and "tbl_x" not in cleaned
    assert '"method": "POST"' in cleaned
