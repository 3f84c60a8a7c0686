"""Every URL pattern is reachable: none is hidden by a pattern tried before it (the order of
tablee.urls puts the most visited pages first)."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver, resolve

SAMPLES = {"int": "7", "slug": "un-exemple", "str": "exemple", "path": "a/b"}


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            yield from _patterns(entry, prefix + route, inner)
        elif isinstance(entry, URLPattern) and not route.startswith("^"):
            yield prefix + route, entry


def _sample(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], route)


def test_no_url_pattern_is_hidden_by_another():
    hidden = []
    for route, pattern in _patterns(get_resolver()):
        if route.startswith(("admin/", "api/")):
            continue  # Django's admin and ninja own their routes
        match = resolve(_sample(route))
        if match.func is not pattern.callback and getattr(match.func, "view_class", None) is None:
            hidden.append((route, match.route))
    assert hidden == []


def test_the_check_sees_every_page_pattern():
    routes = [route for route, _ in _patterns(get_resolver())]

    assert "gatherings/" in routes and "gatherings/<int:gathering_id>/my-table/" in routes
    assert len([r for r in routes if not r.startswith(("admin/", "api/"))]) > 80
