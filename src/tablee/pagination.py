"""Limit/offset pagination for every list that can grow (API lists and pages).

API lists keep their shape (a JSON list, as scripts expect) and take ``?limit=&offset=``; the
total is in the ``X-Total-Count`` header and the next page in ``Link: <…>; rel="next"`` (RFC 8288).
A limit above the maximum is refused with 422 on the API, and clamped on pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class PageIn(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"at most {MAX_LIMIT}")
    offset: int = Field(0, ge=0)


class WidePageIn(PageIn):
    """For lists that are bounded anyway (the attendees of one gathering): all of them by default."""

    limit: int = Field(MAX_LIMIT, ge=1, le=MAX_LIMIT, description=f"at most {MAX_LIMIT}")


@dataclass(frozen=True)
class Window:
    items: list[Any]
    total: int
    limit: int
    offset: int

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None

    @property
    def previous_offset(self) -> int | None:
        return max(self.offset - self.limit, 0) if self.offset > 0 else None

    @property
    def first(self) -> int:
        return self.offset + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.offset + len(self.items)


def window(items, *, limit: int, offset: int) -> Window:
    """One page of a queryset (two queries: COUNT and the slice) or of a list."""
    total = len(items) if isinstance(items, Sequence) else items.count()
    return Window(list(items[offset : offset + limit]), total, limit, offset)


def page_params(request: HttpRequest, *, default: int = DEFAULT_LIMIT) -> tuple[int, int]:
    """limit and offset from a page's query string, clamped to sane values (a page never fails on them)."""

    def read(name: str, fallback: int) -> int:
        try:
            return int(request.GET.get(name, fallback))
        except (TypeError, ValueError):
            return fallback

    return min(max(read("limit", default), 1), MAX_LIMIT), max(read("offset", 0), 0)


def api_page(request: HttpRequest, response: HttpResponse, items, page: PageIn) -> list[Any]:
    """The items of one page for an API list, with the total and the next page in the headers."""
    current = window(items, limit=page.limit, offset=page.offset)
    response["X-Total-Count"] = str(current.total)
    if current.next_offset is not None:
        query = request.GET.copy()
        query["limit"], query["offset"] = str(current.limit), str(current.next_offset)
        response["Link"] = f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="next"'
    return current.items


def page_url(request: HttpRequest, offset: int | None) -> str | None:
    """The page's own URL at another offset (keeps the other query parameters)."""
    if offset is None:
        return None
    query = request.GET.copy()
    query["offset"] = str(offset)
    return f"{request.path}?{query.urlencode()}"
