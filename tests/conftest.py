"""Shared personas: a member, an organizer, another member of the same association, anonymous."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _french_by_default():
    """Every test starts in the product's default language; a request that switched to English
    must not leak into the next test."""
    from django.utils import translation

    translation.activate("fr-ca")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Django's real hasher costs about a second per person on a loaded 2-core machine, and most
    tests create several people: tests hash with MD5 (as Django's own test docs advise). The
    browser and end-to-end tests run real servers, with the real hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttles live in the shared file cache, outside the test database: each test starts clean."""
    from django.core.cache import cache

    from tablee import api

    cache.clear()
    for throttle in api.api.throttle:
        throttle.tokens.reset()
        throttle.addresses.reset()
    yield


@pytest.fixture
def client():
    """Django's test client, with /api/ served through the API's own middleware (tablee.wsgi) as in
    production, so every API test runs over the stack gunicorn serves."""
    from django.test import Client
    from django.test.client import ClientHandler

    from tablee.wsgi import API_PREFIX, ApiStack

    class ApiClientHandler(ApiStack, ClientHandler):
        pass

    class TableeClientHandler(ClientHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.api = ApiClientHandler(*args, **kwargs)

        def __call__(self, environ):
            if environ.get("PATH_INFO", "").startswith(API_PREFIX):
                return self.api(environ)
            return super().__call__(environ)

    client = Client()
    client.handler = TableeClientHandler(enforce_csrf_checks=False)
    return client


@pytest.fixture
def make_person(db):
    from tablee.members.models import Membership, Profile, User

    counter = {"n": 0}

    def make(*, association=None, role="member", email=None, first_name="Test", last_name="Person",
             password="motdepasse-tablee-123", **profile):
        counter["n"] += 1
        email = email or f"person{counter['n']}@example.org"
        user = User.objects.create_user(email=email, password=password, first_name=first_name,
                                        last_name=last_name)
        Profile.objects.create(user=user, **profile)
        if association is not None:
            Membership.objects.create(association=association, user=user, role=role)
        return user

    return make


@pytest.fixture
def association(db):
    from tablee.members.models import Association

    return Association.objects.create(slug="cafe-rencontres", name="Café-rencontres de Québec")


@pytest.fixture
def other_association(db):
    from tablee.members.models import Association

    return Association.objects.create(slug="ailleurs", name="Une autre association")


@pytest.fixture
def member(make_person, association):
    return make_person(association=association, email="marie@example.org", first_name="Marie",
                       last_name="Tremblay", organization="Coop Laval", sector="santé",
                       languages=["fr"], offers=["financement"], needs=["mentorat"])


@pytest.fixture
def organizer(make_person, association):
    return make_person(association=association, role="organizer", email="olivier@example.org",
                       first_name="Olivier", last_name="Gagnon", languages=["fr", "en"])


@pytest.fixture
def other_member(make_person, association):
    return make_person(association=association, email="samuel@example.org", first_name="Samuel",
                       last_name="Roy", languages=["fr"])


@pytest.fixture
def outsider(make_person, other_association):
    return make_person(association=other_association, email="alex@example.org", first_name="Alex",
                       last_name="Smith", languages=["en"])


@pytest.fixture
def in_directory(db):
    """``in_directory(*people)``: they consented to appear in their associations' directory (so
    members may name them in a wish)."""
    from django.utils import timezone

    from tablee.members.models import Profile

    def consent(*people):
        Profile.objects.filter(user__in=people).update(directory_visibility=Profile.Visibility.MEMBERS,
                                                       directory_consent_at=timezone.now())

    return consent
