"""The outbox across real processes: `tablee worker --batch`, and sweeps racing on the same rows.

Each test uses its own SQLite file (the pytest database is in memory and invisible to other
processes) and a real SMTP server on loopback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
TABLEE = str(Path(sys.executable).with_name("tablee"))


@pytest.fixture
def env(tmp_path, smtp):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tablee.settings",
        "TABLEE_DEBUG": "1",
        "TABLEE_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tablee.sqlite3'}",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "TABLEE_LOG_LEVEL": "WARNING",
    }
    subprocess.run([TABLEE, "-v", "0", "migrate"], env=environment, check=True, cwd=ROOT, timeout=300)
    return environment


def python(env, code: str, *args: str) -> subprocess.CompletedProcess:
    prelude = "import django, sys; django.setup()\n"
    return subprocess.run([sys.executable, "-c", prelude + code, *args], env=env, check=True, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


QUEUE = """
from tablee.outbox.services import email_queue
for n in range(int(sys.argv[1])):
    email_queue(key=f"process-test:{n}", kind="test", to=f"person{n}@example.org",
                subject=f"Courriel {n}", body_text="Bonjour", body_html="<p>Bonjour</p>")
"""

STATUSES = """
import json
from tablee.outbox.models import Email
from django_tasks_db.models import DBTaskResult
print(json.dumps({"emails": sorted(set(Email.objects.values_list("status", flat=True))),
                  "tasks": sorted(set(DBTaskResult.objects.values_list("status", flat=True)))}))
"""


def test_tablee_worker_batch_sends_what_a_request_queued(env, smtp):
    python(env, QUEUE, "5")

    subprocess.run([TABLEE, "-v", "0", "worker", "--batch"], env=env, check=True, cwd=ROOT, timeout=300)

    assert sorted(e.rcpt_tos[0] for e in smtp.inbox.envelopes) == [f"person{n}@example.org" for n in range(5)]
    assert json.loads(python(env, STATUSES).stdout) == {"emails": ["sent"], "tasks": ["SUCCESSFUL"]}


RACER = """
import json, os, time
from collections import Counter
from tablee.outbox.models import Email
from tablee.outbox.services import email_send
start = sys.argv[1]
while not os.path.exists(start):
    time.sleep(0.01)
due = list(Email.objects.order_by("pk").values_list("pk", flat=True))
print(json.dumps(Counter(email_send(email_id=pk) for pk in due)))
"""


def test_three_processes_sweeping_the_same_rows_send_each_email_once(env, smtp, tmp_path):
    rows = 30
    python(env, QUEUE, str(rows))
    smtp.inbox.delay = 0.1  # a slow server widens the window in which two senders could collide
    start = tmp_path / "start"

    racers = [subprocess.Popen([sys.executable, "-c", "import django, sys; django.setup()\n" + RACER, str(start)],
                               env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    time.sleep(3)  # let all three finish starting Django before the gun
    start.touch()
    per_process = []
    for racer in racers:
        out, _ = racer.communicate(timeout=300)
        assert racer.returncode == 0
        per_process.append(Counter(json.loads(out)))

    # Every row was tried by all three, and the sends were shared: they really ran at once.
    assert sum(per_process, Counter()) == {"sent": rows, "skipped": 2 * rows}
    assert sum(1 for outcome in per_process if outcome["sent"]) >= 2, per_process
    # Yet each email reached the server exactly once.
    delivered = Counter(e.rcpt_tos[0] for e in smtp.inbox.envelopes)
    assert delivered == {f"person{n}@example.org": 1 for n in range(rows)}
    assert json.loads(python(env, STATUSES).stdout)["emails"] == ["sent"]
