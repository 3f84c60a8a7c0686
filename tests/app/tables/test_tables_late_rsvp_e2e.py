"""End to end, real processes: `tablee serve` and `tablee worker` on a fresh SQLite file. A member
RSVPs through the API after the plan was published; the worker repairs the plan and
`GET /api/gatherings/{id}/my-table` answers 200 within a minute. The test waits for that answer
(polling the API until a deadline), never for a fixed time."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TABLEE = Path(sys.executable).with_name("tablee")
DEADLINE_S = 60.0

SETUP = """
import json
from datetime import timedelta
from django.utils import timezone
from tablee.gatherings.models import Rsvp
from tablee.gatherings.services import gathering_create
from tablee.members.models import ApiToken, Association, Membership, Profile, User
from tablee.tables import services

association = Association.objects.create(slug="tard-venus", name="Tard-venus")
tokens = {}
people = []
for k in range(14):
    user = User.objects.create_user(email=f"m{k:02d}@example.org", password=None, first_name=f"M{k:02d}",
                                    last_name="Membre")
    Profile.objects.create(user=user, languages=["fr"], sector=["santé", "techno", "finance"][k % 3])
    Membership.objects.create(association=association, user=user, role="organizer" if k == 13 else "member")
    raw = ApiToken.new_raw()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash(raw))
    tokens[user.email] = raw
    people.append(user)
gathering = gathering_create(association=association, title="Déjeuner des tard-venus",
                             starts_at=timezone.now() + timedelta(days=7), tables=2, seats_per_table=7)
now = timezone.now()
for k, user in enumerate(people[:12]):
    Rsvp.objects.create(gathering=gathering, user=user, status="confirmed", queued_at=now + timedelta(seconds=k),
                        confirmed_at=now + timedelta(seconds=k))
plan = services.plan_request(gathering=gathering, requested_by=people[13], time_limit_s=0.5)
plan = services.plan_run(plan=plan)
services.plan_publish(plan=plan, notify=False)
print(json.dumps({"gathering": gathering.pk, "late": tokens["m12@example.org"], "organizer": tokens["m13@example.org"]}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(url: str, token: str, method: str = "GET") -> tuple[int, dict]:
    request = urllib.request.Request(url, method=method, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def test_a_late_rsvp_gets_a_table_through_the_api_within_a_minute(tmp_path, capsys):
    port = _free_port()
    env = {**os.environ, "TABLEE_DEBUG": "1", "TABLEE_DATA_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "TABLEE_SITE_URL": f"http://127.0.0.1:{port}",
           "EMAIL_URL": f"file://{tmp_path / 'mail'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([str(TABLEE), "-v", "0", "migrate"], env=env, check=True, capture_output=True, timeout=300)
    data = json.loads(subprocess.run([str(TABLEE), "manage", "shell", "-c", SETUP], env=env, check=True,
                                     capture_output=True, text=True, timeout=300).stdout.strip().splitlines()[-1])
    log = open(tmp_path / "processes.log", "wb")  # noqa: SIM115 — closed below
    processes = [subprocess.Popen(c, env=env, stdout=log, stderr=subprocess.STDOUT) for c in (
        [str(TABLEE), "serve", "--port", str(port), "--workers", "1", "--threads", "4"],
        [str(TABLEE), "worker"])]
    base = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 60
        while True:  # the server is up when /api/health answers
            try:
                if _call(f"{base}/health", "")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "processes.log").read_text()[-3000:]
            time.sleep(0.2)
        gathering = data["gathering"]
        assert _call(f"{base}/gatherings/{gathering}/my-table", data["late"])[0] == 404

        status, body = _call(f"{base}/gatherings/{gathering}/rsvp", data["late"], "POST")
        assert status in (200, 201) and body["status"] == "confirmed", body
        started = time.monotonic()
        while True:
            status, body = _call(f"{base}/gatherings/{gathering}/my-table", data["late"])
            if status == 200:
                break
            assert time.monotonic() - started < DEADLINE_S, (tmp_path / "processes.log").read_text()[-3000:]
            time.sleep(0.25)
        elapsed = time.monotonic() - started
        plan = _call(f"{base}/gatherings/{gathering}/plan", data["organizer"])[1]
        moved = [m["email"] for t in plan["tables"] for m in t["members"] if m["moved"]]
        with capsys.disabled():
            print(f"\nlate RSVP through the API: my-table 200 after {elapsed:.1f}s; "
                  f"flagged for the organizer: {moved}; stats moved={plan['stats'].get('moved')}")
        assert "m12@example.org" in moved
        assert len(body["companions"]) >= 5
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        log.close()
