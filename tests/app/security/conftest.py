from __future__ import annotations

import pytest


@pytest.fixture
def make_contact():
    from tablee.circle.services import contact_create

    def make(owner, name, **fields):
        fields.setdefault("email", name.lower().replace(" ", ".").replace("'", "") + "@example.org")
        fields.setdefault("tier", "network")
        return contact_create(owner=owner, name=name, **fields)

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashes(settings):
    """Lockout tests sign in dozens of times: a fast hasher keeps them quick (the hasher is not
    what they test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

