"""What django-axes counts sign-in failures by: the address typed, trimmed and in lower case."""

from __future__ import annotations


def username(request, credentials: dict | None) -> str | None:
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    return value.strip().lower() if isinstance(value, str) else None
