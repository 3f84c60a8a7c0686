"""Sessions read from the cache, written to the database: a signed-in page costs no session query.

Django's ``cached_db`` engine keeps each session in the cache for as long as the session lives.
The cache is shared by the processes of one host (``CACHES``), not across servers, so a sign-out
handled by one server would leave the session alive in another server's cache. Here a cached copy
lives at most ``TABLEE_SESSION_CACHE_SECONDS`` (60 s by default): after a sign-out, a copied
cookie keeps working for at most that long on another server, never longer. The browser that signed
out has dropped its cookie at once. A password change takes effect at once everywhere (Django
checks the password hash stored in the session against the user loaded on each request).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbStore
from django.core.cache import caches


class _CappedCache:
    """The session cache, with every timeout capped."""

    def __init__(self, cache, cap: int):
        self._cache = cache
        self._cap = cap

    def _timeout(self, timeout):
        return self._cap if timeout is None else min(timeout, self._cap)

    def get(self, key, default=None):
        return self._cache.get(key, default)

    def set(self, key, value, timeout=None):
        return self._cache.set(key, value, self._timeout(timeout))

    def delete(self, key):
        return self._cache.delete(key)

    def __contains__(self, key):
        return key in self._cache

    async def aget(self, key, default=None):
        return await self._cache.aget(key, default)

    async def aset(self, key, value, timeout=None):
        return await self._cache.aset(key, value, self._timeout(timeout))

    async def adelete(self, key):
        return await self._cache.adelete(key)


class SessionStore(CachedDbStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        cap = getattr(settings, "TABLEE_SESSION_CACHE_SECONDS", 60)
        self._cache = _CappedCache(caches[settings.SESSION_CACHE_ALIAS], cap)
