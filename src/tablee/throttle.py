"""Per-key throttles: "at most N per key within a window", kept in Django's shared cache.

Used where no library fits: password reset requests (one per address per 5 minutes) and, through
the same helper, email-link sign-in requests. Sign-in lockout is django-axes; the API's per-token
rate is ninja's throttling counting in ``SharedRates`` below (memory shared by the host's processes,
checked on every API call); the personal-email quota counts rows in the database.

    throttle_hit(key=f"password-reset:{email}", limit=1, window=300)   # raises Throttled

``Throttled`` carries a translated message and ``retry_after`` (whole seconds): the API answers 429
with ``Retry-After``; a page shows the message (``tablee.middleware`` renders 429 for pages that do
not catch it themselves).
"""

from __future__ import annotations

import hashlib
import math
import time

from django.core.cache import cache


class Throttled(Exception):
    """Too many of something for now. ``str()`` is a kind message for the person."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = max(1, int(retry_after))


def _cache_key(key: str) -> str:
    # Keys may hold email addresses: hash them so the cache never stores one in clear.
    return "tablee-throttle:" + hashlib.sha256(key.encode()).hexdigest()


def throttle_wait(*, key: str, limit: int, window: int) -> int:
    """Seconds until one more hit on ``key`` is allowed (0 if allowed now). Records nothing."""
    now = time.time()
    history = [t for t in cache.get(_cache_key(key), []) if t > now - window]
    if len(history) < limit:
        return 0
    return max(1, math.ceil(history[limit - 1] + window - now))


def throttle_hit(*, key: str, limit: int, window: int, message: str = "") -> None:
    """Count one hit on ``key``; raise ``Throttled`` (counting nothing) when ``limit`` hits already
    fell within the last ``window`` seconds."""
    from django.utils.translation import ngettext

    wait = throttle_wait(key=key, limit=limit, window=window)
    if wait:
        minutes = math.ceil(wait / 60)
        raise Throttled(
            message
            or ngettext("Trop de demandes pour le moment. Réessayez dans %(minutes)s minute.",
                        "Trop de demandes pour le moment. Réessayez dans %(minutes)s minutes.", minutes)
            % {"minutes": minutes},
            retry_after=wait,
        )
    now = time.time()
    history = [t for t in cache.get(_cache_key(key), []) if t > now - window]
    history.insert(0, now)
    cache.set(_cache_key(key), history, timeout=window)


def throttle_reset(*, key: str) -> None:
    cache.delete(_cache_key(key))


# --- A shared sliding window without a file write per hit -----------------------------------------
#
# The API's per-token rate is checked on every API request. Kept in the file cache, each request
# wrote a temporary file and renamed it into place (and listed the cache folder to cull it): about
# half the CPU of a small API read, and several ms of disk on a loaded machine. ``SharedRates``
# keeps the same sliding window ("at most N hits in any ``window`` seconds") in a small table of
# fixed-size slots, in a file of the data folder mapped into memory by every process of the host
# (server workers, their threads) and locked with ``flock`` around each hit: a hit is a few
# microseconds of memory work, never a write to disk by us (the kernel writes the dirty pages back
# when it likes; losing them in a crash only forgets the last minute's counts).
#
# The bound is exact across the host's processes: the lock makes each check-and-record atomic, and
# every slot keeps its key's last ``capacity`` timestamps, so "N hits in the window" is known
# exactly for any N up to ``capacity``. As before, each host counts its own hits (the data folder
# is per machine): behind a load balancer spreading one token over K servers, that token gets at
# most K × N per window. A key gets its own slot (keys are told apart by a 128-bit hash, never by a
# shared bucket), so nothing one token does can use up another's quota. Should a key find no free
# slot (more than ``SLOTS`` keys active within one window on one host, or a limit above the
# capacity), the hit returns None and the caller counts it in Django's cache instead: slower,
# never unbounded.
#
# Tokens and client addresses are counted in two tables. In one table, the calls of ten thousand
# addresses within a minute (a health check polled through a proxy, or a flood) filled every slot,
# and every token's call then fell back to the file cache: a file written per call, twice the CPU
# of a small API read. Tokens are issued by us, so their table fills only with real use; the
# addresses' table is ``evicting``: when full, a new address takes the probed slot hit longest ago,
# so its counts stay per address for the addresses of the last minute and the others are forgotten
# (a caller with more addresses than slots is not bounded per address anyway).

import fcntl  # noqa: E402
import mmap  # noqa: E402
import os  # noqa: E402
import struct  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

_MAGIC = b"TBLRATE1"
_HEADER = struct.Struct("<8sII")  # magic, slots, capacity
_SLOT_HEAD = struct.Struct("<16sIId")  # key hash, next position, unused, expires at


class SharedRates:
    """Sliding-window counters shared by the processes of one host (see the comment above)."""

    SLOTS = 8192
    PROBES = 32

    def __init__(self, folder: Path, *, capacity: int, name: str = "rates", evicting: bool = False) -> None:
        self.capacity = max(1, capacity)
        self.evicting = evicting
        self.path = Path(folder) / f"{name}-{self.capacity}.bin"
        self._slot_size = _SLOT_HEAD.size + 8 * self.capacity
        self._size = _HEADER.size + self.SLOTS * self._slot_size
        self._lock = threading.Lock()
        self._pid = -1
        self._fd = -1
        self._map: mmap.mmap | None = None

    def _mapped(self) -> mmap.mmap:
        # Opened once per process: a descriptor inherited through fork() would share its flock
        # with the parent, and the lock would then exclude nobody.
        if self._map is None or self._pid != os.getpid():
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                if os.fstat(fd).st_size < self._size:
                    os.ftruncate(fd, self._size)
                    os.pwrite(fd, _HEADER.pack(_MAGIC, self.SLOTS, self.capacity), 0)
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
            self._fd, self._pid = fd, os.getpid()
            self._map = mmap.mmap(fd, self._size)
        return self._map

    def hit(self, key: str, *, limit: int, window: float, now: float | None = None) -> float | None:
        """Record one hit on ``key`` unless ``limit`` hits already fell within the last ``window``
        seconds. Returns 0.0 when recorded, the seconds to wait when refused (nothing recorded),
        or None when this table cannot count ``key`` (the caller counts it elsewhere)."""
        if limit > self.capacity or limit < 1:
            return None
        now = time.time() if now is None else now
        digest = hashlib.blake2b(key.encode(), digest_size=16).digest()
        start = int.from_bytes(digest[:8], "little") % self.SLOTS
        with self._lock:
            table = self._mapped()
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                free = None
                stalest, stalest_expires = 0, math.inf
                for probe in range(self.PROBES):
                    offset = _HEADER.size + ((start + probe) % self.SLOTS) * self._slot_size
                    owner, position, _unused, expires = _SLOT_HEAD.unpack_from(table, offset)
                    if owner == digest:
                        break
                    if free is None and expires <= now:
                        free = offset
                    if expires < stalest_expires:
                        stalest, stalest_expires = offset, expires
                else:
                    if free is None and not self.evicting:
                        return None
                    offset, position = (stalest if free is None else free), 0
                    table[offset:offset + self._slot_size] = bytes(self._slot_size)
                times_at = offset + _SLOT_HEAD.size
                # The limit-th most recent hit: while it is inside the window, the key is full.
                oldest_at = times_at + 8 * ((position - limit) % self.capacity)
                (oldest,) = struct.unpack_from("<d", table, oldest_at)
                if oldest > now - window:
                    return max(oldest + window - now, 0.001)
                struct.pack_into("<d", table, times_at + 8 * position, now)
                _SLOT_HEAD.pack_into(table, offset, digest, (position + 1) % self.capacity, 0, now + window)
                return 0.0
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def reset(self) -> None:
        """Forget every count (tests)."""
        if not self.path.exists():
            return
        with self._lock:
            table = self._mapped()
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                table[_HEADER.size:] = bytes(self._size - _HEADER.size)
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
