from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def make_gathering(association):
    from tablee.gatherings.services import gathering_create

    def make(**fields):
        fields.setdefault("association", association)
        fields.setdefault("title", "Déjeuner réseautage")
        fields.setdefault("starts_at", timezone.now() + timedelta(days=7))
        return gathering_create(**fields)

    return make


@pytest.fixture
def api(client):
    """A JSON client: api.get(path, user=None) sends the user's bearer token (none = anonymous)."""
    from tablee.members.models import ApiToken

    tokens = {}

    class Api:
        def _headers(self, user):
            if user is None:
                return {}
            if user.pk not in tokens:
                raw = ApiToken.new_raw()
                ApiToken.objects.create(user=user, key_hash=ApiToken.hash(raw))
                tokens[user.pk] = raw
            return {"HTTP_AUTHORIZATION": f"Bearer {tokens[user.pk]}"}

        def get(self, path, user=None):
            return client.get(path, **self._headers(user))

        def post(self, path, body=None, user=None):
            data = json.dumps(body) if body is not None else ""
            return client.post(path, data=data, content_type="application/json", **self._headers(user))

    return Api()


@pytest.fixture
def make_contact():
    from tablee.circle.services import contact_create, note_add

    def make(owner, name, *, note="", **fields):
        fields.setdefault("email", name.lower().replace(" ", ".") + "@example.org")
        contact = contact_create(owner=owner, name=name, **fields)
        if note:
            note_add(owner=owner, contact=contact, text=note)
        return contact

    return make


@pytest.fixture(autouse=True)
def _language_restored():
    """Pages activate the member's language for the thread; leave the next test in French."""
    from django.utils import translation

    yield
    translation.activate("fr-ca")
