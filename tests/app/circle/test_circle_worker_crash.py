"""Exactly one email per follow-up across a worker killed mid-batch (SIGKILL) and restarted.

Real processes against a real SMTP server on loopback. The kill lands while the server holds one
message before accepting its DATA, so that message was never accepted; after the restart (and the
lease of the lost send running out, simulated by moving its end into the past) it is sent once.
The one window this cannot cover — a kill between the server's 250 and the ``sent`` write — is
documented in outbox/services.py; it is microseconds wide and not what this test aims at.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

pytestmark = pytest.mark.slow


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


ROOT = Path(__file__).resolve().parents[3]
TABLEE = str(Path(sys.executable).with_name("tablee"))
FOLLOWUPS = 8


class GatedInbox:
    """Accepts the first ``hold_at - 1`` messages; from the ``hold_at``-th on, every DATA from the
    first worker's connections waits for ``release`` and is then refused, never accepted; the
    restarted worker's messages are accepted.

    The worker sends from two threads (its task loop and the tick's outbox sweep), so more than one
    message can be in flight when it is killed: holding every later one keeps "accepted" meaning
    "delivered before the kill", whatever the threads' timing."""

    def __init__(self, hold_at: int):
        self.hold_at = hold_at
        self.arrivals = 0
        self.accepted = []
        self.held = threading.Event()
        self.release = threading.Event()
        self.discarded = 0
        self.killed_peers = set()  # connections of the worker that gets killed

    async def handle_DATA(self, server, session, envelope):
        self.arrivals += 1
        if not self.release.is_set():
            self.killed_peers.add(session.peer)
        if session.peer in self.killed_peers and self.arrivals >= self.hold_at:
            self.held.set()
            try:
                while not self.release.is_set():
                    await asyncio.sleep(0.05)
            finally:
                self.discarded += 1  # the worker was killed meanwhile: nobody reads this answer
            return "421 4.4.2 Service not available"
        self.accepted.append(envelope)
        return "250 Message accepted for delivery"


SETUP = """
import sys
from tablee.circle import services
from tablee.members.models import Profile, User
owner = User.objects.create_user(email="marie@example.org", password="x", first_name="Marie", last_name="Tremblay")
Profile.objects.create(user=owner)
for n in range(int(sys.argv[1])):
    contact = services.contact_create(owner=owner, name=f"Contact {n}", email=f"contact{n}@example.org")
    followup = services.followup_create(owner=owner, contact=contact)
    for _press in range(2):  # the send button pressed twice
        services.followup_send(owner=owner, followup=followup, subject=f"Suivi {n}", body=f"Bonjour {n}")
"""

STATE = """
import json
from collections import Counter
from django.utils import timezone
from tablee.outbox.models import Email
from tablee.circle.models import FollowUp
if sys.argv[1:] == ["expire"]:
    # As if the 5-minute lease of the lost send had run out.
    Email.objects.filter(status="sending").update(next_attempt_at=timezone.now() - timezone.timedelta(seconds=1))
print(json.dumps({"emails": Email.objects.count(), "followups": FollowUp.objects.filter(email__isnull=False).count(),
                  "status": dict(Counter(Email.objects.values_list("status", flat=True)))}))
"""


def wait_for(condition, *, attempts: int = 600) -> bool:
    """Poll a condition that a running process makes true; each try costs a Django start-up."""
    for _ in range(attempts):
        if condition():
            return True
        time.sleep(0.1)
    return False


def python(env, code: str, *args: str) -> dict | None:
    done = subprocess.run([sys.executable, "-c", "import django, sys; django.setup()\n" + code, *args], env=env,
                          cwd=ROOT, check=True, capture_output=True, text=True, timeout=300)
    return json.loads(done.stdout) if done.stdout.strip() else None


@pytest.mark.parametrize("hold_at", [1, 5])
def test_a_worker_killed_mid_batch_then_restarted_sends_each_follow_up_once(tmp_path, hold_at):
    inbox = GatedInbox(hold_at)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tablee.settings", "TABLEE_DEBUG": "1",
           "TABLEE_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'tablee.sqlite3'}",
           "EMAIL_URL": f"smtp://127.0.0.1:{port}", "TABLEE_LOG_LEVEL": "WARNING"}
    try:
        subprocess.run([TABLEE, "-v", "0", "migrate"], env=env, check=True, cwd=ROOT, timeout=300)
        python(env, SETUP, str(FOLLOWUPS))
        assert python(env, STATE)["emails"] == FOLLOWUPS  # double presses stored nothing twice

        worker = subprocess.Popen([TABLEE, "-v", "0", "worker"], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert inbox.held.wait(120), "the worker never reached the held message"
        # The kill lands once every accepted message is recorded as sent: what this test aims at is
        # a send cut before the server's 250, not the window between a 250 and its ``sent`` write
        # (documented in outbox/services.py).
        assert wait_for(lambda: python(env, STATE)["status"].get("sent", 0) == hold_at - 1), \
            "the worker never recorded the messages delivered before the held one"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        before_restart = len(inbox.accepted)
        inbox.release.set()
        state = python(env, STATE, "expire")

        subprocess.run([TABLEE, "-v", "0", "worker", "--batch"], env=env, check=True, cwd=ROOT, timeout=300)
        final = python(env, STATE)
    finally:
        controller.stop()

    recipients = Counter(e.rcpt_tos[0] for e in inbox.accepted)
    message_ids = Counter(message_from_bytes(e.original_content, policy=policy.default)["Message-ID"]
                          for e in inbox.accepted)
    print(f"\nhold_at={hold_at}: accepted before kill={before_restart}, rows after kill={state['status']}, "
          f"discarded={inbox.discarded}, accepted total={len(inbox.accepted)} for {FOLLOWUPS} follow-ups, "
          f"distinct Message-IDs={len(message_ids)}")
    assert before_restart == hold_at - 1
    # The killed worker leaves what it had claimed in "sending" under a lease: the held message, and
    # on a loaded machine sometimes the next one it had already claimed. How many is timing; what
    # must hold is below: each follow-up delivered exactly once, after the lease expired.
    assert state["status"].get("sending", 0) >= 1
    assert inbox.discarded >= 1
    assert recipients == {f"contact{n}@example.org": 1 for n in range(FOLLOWUPS)}
    assert len(message_ids) == FOLLOWUPS
    assert final == {"emails": FOLLOWUPS, "followups": FOLLOWUPS, "status": {"sent": FOLLOWUPS}}
