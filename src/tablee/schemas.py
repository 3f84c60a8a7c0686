"""API shapes shared by every room's router (ground floor: no room imports another for these)."""

from __future__ import annotations

from ninja import Schema


class Error(Schema):
    """A refusal: a message, or ninja's list of field errors."""

    detail: str | dict | list
