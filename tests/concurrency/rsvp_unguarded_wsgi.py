"""The control server for the RSVP race: the real app with the seat guard switched off.

Only tests/concurrency/test_rsvp_race.py (and bench/bench_rsvp_race.py --control) start it, to
prove that the race really overbooks without the lock, so the guarded test can fail.
"""

import importlib

from tablee.wsgi import application  # noqa: F401  (sets Django up; gunicorn serves it)

# Imported only now: the services module needs the app registry that tablee.wsgi just set up.
services = importlib.import_module("tablee.gatherings.services")
services.RSVP_GUARD = False
# A wider read → write window, so that on a loaded machine too several requests see the last seat
# free at once (with 0.05 s a PostgreSQL run once overbooked by a single seat only).
services.UNGUARDED_PAUSE_SECONDS = 0.3
