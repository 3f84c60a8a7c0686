"""Inputs that gave a 5xx now give a clear 4xx."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone


def _raw(client, api, path, body: bytes, user, method="post"):
    return getattr(client, method)(path, data=body, content_type="application/json", **api.headers(user))


def test_a_lone_surrogate_is_422(client, api, member):
    response = _raw(client, api, "/api/contacts", b'{"name": "A\\ud800b", "tier": "network"}', member)
    assert response.status_code == 422 and "Unicode" in response.json()["detail"]


def test_nul_and_control_characters_in_a_name_are_422(client, api, member):
    for name in ("Mar\\u0000ie", "Mar\\u0007ie"):
        response = _raw(client, api, "/api/contacts", f'{{"name": "{name}", "tier": "network"}}'.encode(), member)
        assert response.status_code == 422, name
    ok = _raw(client, api, "/api/contacts", b'{"name": "Marie\\tTremblay", "tier": "network"}', member)
    assert ok.status_code == 201


def test_a_json_body_over_the_limit_is_413(client, api, member, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = b'{"name": "' + b"x" * 2000 + b'", "tier": "network"}'
    response = _raw(client, api, "/api/contacts", body, member)
    assert response.status_code == 413 and "volumineuse" in response.json()["detail"]


def test_null_for_a_contacts_email_or_tier_is_422(client, api, member):
    created = api.post("/api/contacts", {"name": "Sophie", "email": "s@example.org", "tier": "network"}, user=member)
    contact_id = created.json()["id"]
    for field in ("email", "tier"):
        response = api.patch(f"/api/contacts/{contact_id}", {field: None}, user=member)
        assert response.status_code == 422, (field, response.content)


def test_a_tz_aware_leave_time_is_422(api, member):
    response = api.post("/api/intentions", {"title": "Salon", "date": "2026-12-10", "result": "r", "signal": "s",
                                            "leave_at": "20:30:00+02:00"}, user=member)
    assert response.status_code == 422


def test_a_gathering_in_year_9999_is_422_and_the_list_keeps_working(api, organizer, association, member):
    response = api.post(f"/api/associations/{association.slug}/gatherings",
                        {"title": "Loin", "starts_at": "9999-12-31T18:00:00-05:00"}, user=organizer)
    assert response.status_code == 422
    fine = api.post(f"/api/associations/{association.slug}/gatherings",
                    {"title": "Bientôt", "starts_at": (timezone.now() + timedelta(days=3)).isoformat()},
                    user=organizer)
    assert fine.status_code == 201
    from django.test import Client
    from django.urls import reverse

    browser = Client()
    browser.force_login(member)
    assert browser.get(reverse("gatherings:mine")).status_code == 200
