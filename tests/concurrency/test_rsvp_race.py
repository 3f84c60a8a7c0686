"""Never more confirmed than capacity, proven with real simultaneous HTTP requests on a real server.

Each test starts ``tablee serve`` (gunicorn, 2 processes × 8 threads) on a fresh database: a SQLite
file, or a new database on the PostgreSQL cluster when the session runs with a postgres
DATABASE_URL. The control test runs the same race with the guard off and must see overbooking,
which shows that the race is real and that the guarded test can fail.
"""

from __future__ import annotations

import importlib.util
import os
import random
import sys
from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CAPACITY = 36  # 6 tables × 6 seats
MEMBERS = 300


def _harness():
    path = Path(__file__).resolve().parents[2] / "bench" / "bench_rsvp_race.py"
    spec = importlib.util.spec_from_file_location("bench_rsvp_race", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


harness = _harness()
DATABASE_URL = os.environ.get("DATABASE_URL") or None


def _check_attendees(rows: list[dict]) -> tuple[int, int]:
    confirmed = [r for r in rows if r["status"] == "confirmed"]
    waiting = [r for r in rows if r["status"] == "waitlisted"]
    assert [r["waitlist_position"] for r in waiting] == list(range(1, len(waiting) + 1))
    assert len({r["user_id"] for r in rows}) == len(rows)
    return len(confirmed), len(waiting)


def test_300_simultaneous_rsvps_fill_exactly_36_seats_then_the_waiting_list():
    with harness.race(database_url=DATABASE_URL, members=MEMBERS + 60) as race:
        racers, newcomers = race.tokens[:MEMBERS], race.tokens[MEMBERS:]

        shots = race.fire([("POST", token) for token in racers])

        statuses = Counter(s.status for s in shots)
        assert statuses == {200: MEMBERS}, (statuses, race.log_tail())
        outcomes = Counter(s.body["status"] for s in shots)
        assert outcomes == {"confirmed": CAPACITY, "waitlisted": MEMBERS - CAPACITY}
        positions = sorted(s.body["waitlist_position"] for s in shots if s.body["status"] == "waitlisted")
        assert positions == list(range(1, MEMBERS - CAPACITY + 1))
        assert _check_attendees(race.attendees()) == (CAPACITY, MEMBERS - CAPACITY)

        # Waves of cancellations (some seated, some waiting) racing new RSVPs and returns.
        emails = {token: f"racer{i:04d}@example.org" for i, token in enumerate(race.tokens)}
        status = {token: shot.body["status"] for token, shot in zip(racers, shots, strict=True)}
        rng = random.Random(2025)
        cancelled: list[str] = []
        for wave in range(3):
            seated = [t for t, s in status.items() if s == "confirmed"]
            waiting = [t for t, s in status.items() if s == "waitlisted"]
            leaving = rng.sample(seated, 12) + rng.sample(waiting, 12)
            arriving = newcomers[wave * 20:(wave + 1) * 20] + cancelled[:10]
            calls = [("DELETE", t) for t in leaving] + [("POST", t) for t in arriving]
            rng.shuffle(calls)

            wave_shots = race.fire(calls)

            codes = Counter(s.status for s in wave_shots)
            assert codes == {200: len(calls)}, (wave, codes, race.log_tail())
            rows = race.attendees()
            confirmed, still_waiting = _check_attendees(rows)
            # The waiting list never empties here, so each of the 12 freed seats goes to someone waiting.
            assert (confirmed, still_waiting) == (CAPACITY, len(waiting) - 24 + len(arriving)), wave
            by_email = {r["email"]: r["status"] for r in rows}
            status = {t: by_email.get(emails[t], "cancelled") for t in race.tokens}
            assert all(status[t] == "cancelled" for t in leaving)
            cancelled = leaving


def test_control_without_the_guard_the_same_race_overbooks():
    # How far it overbooks depends on how the requests interleave on a busy machine (PostgreSQL runs
    # have gone from 37 to 41 confirmed): a few fresh races, and one overbooking is the proof.
    seen = []
    for _attempt in range(3):
        with harness.race(database_url=DATABASE_URL, members=MEMBERS, guard=False) as race:
            shots = race.fire([("POST", token) for token in race.tokens])
            assert Counter(s.status for s in shots) == {200: MEMBERS}, race.log_tail()
            seen.append(sum(1 for a in race.attendees() if a["status"] == "confirmed"))
        if seen[-1] > CAPACITY:
            break
    assert max(seen) > CAPACITY, f"the race did not happen ({seen} confirmed): the control proves nothing"
