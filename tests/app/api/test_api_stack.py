"""The JSON API is served through its own, shorter middleware stack (settings.API_MIDDLEWARE,
tablee.wsgi), and answers exactly as it would through the pages' stack."""

from __future__ import annotations

import json

import pytest
from django.test import Client

BODY_WITH_NUL = json.dumps({"text": "a\u0000b"})


def _requests(headers):
    return [
        ("get", "/api/me", {}, headers),
        ("get", "/api/me", {}, {}),
        ("get", "/api/me", {}, {**headers, "HTTP_ACCEPT_LANGUAGE": "en"}),
        ("get", "/api/health", {}, {}),
        ("get", "/api/openapi.json", {}, {}),
        ("get", "/api/nothing-here", {}, headers),
        ("get", "/api/gatherings", {}, headers),
        ("post", "/api/contacts", {"data": BODY_WITH_NUL, "content_type": "application/json"}, headers),
        ("post", "/api/contacts", {"data": "{not json", "content_type": "application/json"}, headers),
    ]


def _answer(client, method, path, kwargs, headers):
    response = getattr(client, method)(path, **kwargs, **headers)
    names = sorted(name.lower() for name in response.headers if name.lower() != "x-request-id")
    body = response.content if "openapi" not in path else b""
    return response.status_code, names, body, sorted(response.cookies)


def test_an_api_request_skips_the_pages_layers_and_sets_no_cookie(api, member):
    response = api.get("/api/me", user=member)

    assert response.status_code == 200
    assert not hasattr(response.wsgi_request, "session")  # no session layer on the API's stack
    assert not response.cookies
    assert response["Content-Security-Policy"] and response["X-Request-ID"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_page_still_goes_through_every_layer(client, member):
    client.force_login(member)

    response = client.get("/gatherings/")

    assert response.status_code == 200
    assert response.wsgi_request.user == member and hasattr(response.wsgi_request, "session")


@pytest.mark.parametrize("index", range(len(_requests({}))))
def test_the_api_answers_the_same_through_both_stacks(client, api, member, gathering, index):
    full = Client()  # Django's own handler: settings.MIDDLEWARE, the pages' stack
    headers = api.headers(member)
    method, path, kwargs, extra = _requests(headers)[index]

    assert _answer(client, method, path, kwargs, extra) == _answer(full, method, path, kwargs, extra)


def test_the_served_application_sends_the_api_to_its_own_stack(db):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from tablee.wsgi import ApiHandler, application

    statuses = []
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/api/me", "SERVER_NAME": "testserver", "SERVER_PORT": "80",
               "wsgi.url_scheme": "http", "wsgi.input": __import__("io").BytesIO(), "HTTP_HOST": "testserver"}
    # As Django's test client does: the test's transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(application(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)

    assert isinstance(application.api, ApiHandler)
    assert statuses == ["401 Unauthorized"] and b"Bearer" in body


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/me/", "/api/gatherings/x/y", "/api/"])
def test_an_unknown_api_path_answers_a_json_404_without_redirect(api, member, path):
    response = api.get(path, user=member)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/me/", "/api/gatherings/x/y", "/api/"])
def test_an_unknown_api_path_answers_json_under_debug_too(api, client, member, settings, path):
    settings.DEBUG = True  # Django's debug 404 page is HTML: the API never answers with it

    signed = api.get(path, user=member)
    posted = api.post(path, {"x": 1}, user=member)
    anonymous = client.get(path)

    for response in (signed, posted, anonymous):
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"detail": "Not found."}


def test_a_known_api_path_keeps_its_answers_beside_the_unknown_ones(api, member, settings):
    settings.DEBUG = True

    assert api.get("/api/me", user=member).status_code == 200
    assert api.get("/api/me").status_code == 401
    assert api.delete("/api/me", user=member).status_code == 405
