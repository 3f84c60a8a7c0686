"""Django's PostgreSQL backend, with the connection health check skipped right after a good request.

With ``CONN_HEALTH_CHECKS``, Django checks a kept connection before each request's first query
with a ``SELECT 1``: one more round trip per request, a fifth of a small API read's time on
PostgreSQL (bench/RESULTS.md, session 6). A connection that has just served a whole request
without a database error is alive: for ``RECENTLY_FINE`` seconds after such a request the check
is taken as passed, as connection pools do (HikariCP's 500 ms ``aliveBypassWindow``), unless psycopg
already knows the connection closed. An idle connection, or one that saw an error, is still
checked as Django does. The cost: should the server drop a connection within that half second,
the next request on it fails once instead of reconnecting.
"""

from __future__ import annotations

import time

from django.db.backends.postgresql import base

RECENTLY_FINE = 0.5  # seconds


class DatabaseWrapper(base.DatabaseWrapper):
    fine_at = float("-inf")  # when the connection last finished a request with no database error

    def close_if_unusable_or_obsolete(self):
        # At the end of a request: the connection served it (its check is done) with no error.
        served_well = self.connection is not None and self.health_check_done and not self.errors_occurred
        super().close_if_unusable_or_obsolete()
        if self.connection is None:
            self.fine_at = float("-inf")
        elif served_well:
            self.fine_at = time.monotonic()

    def close_if_health_check_failed(self):
        if (self.connection is not None and self.health_check_enabled and not self.health_check_done
                and not self.connection.closed and time.monotonic() - self.fine_at < RECENTLY_FINE):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
