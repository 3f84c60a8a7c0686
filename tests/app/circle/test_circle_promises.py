"""Promises on a contact's page: the buttons say what they do (« Marquer comme tenue », « Abandonner »);
giving a promise up asks first, and either can be undone for a few minutes, as a follow-up let go."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tablee.circle import services
from tablee.circle.models import DeletedContact, Promise


@pytest.fixture
def sam(member):
    return services.contact_create(owner=member, name="Sam Rivers", email="sam@example.org")


@pytest.fixture
def promise(member, sam):
    return services.promise_create(owner=member, contact=sam, text="lui envoyer le rapport")


@pytest.fixture
def page(client, member, sam):
    client.force_login(member)
    return f"/circle/contacts/{sam.pk}/"


def test_the_promise_buttons_name_actions_not_states(client, page, promise):
    html = client.get(page).content.decode()

    assert "Marquer comme tenue</button>" in html and "Abandonner…</summary>" in html
    assert ">Tenue</button>" not in html and ">Abandonnée</button>" not in html


def test_giving_up_a_promise_without_the_confirmation_changes_nothing(client, page, promise):
    client.post(page, {"action": "dropped", "promise": promise.pk})

    assert Promise.objects.get(pk=promise.pk).status == "open"


def test_a_promise_given_up_after_the_confirmation_can_be_reopened(client, page, promise):
    client.post(page, {"action": "dropped", "promise": promise.pk, "confirm": "1"})
    assert Promise.objects.get(pk=promise.pk).status == "dropped"
    html = client.get(page).content.decode()
    assert 'data-testid="promise-undo"' in html

    client.post(page, {"action": "promise_reopen", "promise": promise.pk})

    promise.refresh_from_db()
    assert (promise.status, promise.closed_at) == ("open", None)


def test_a_promise_marked_kept_can_be_reopened_too(client, page, promise):
    client.post(page, {"action": "kept", "promise": promise.pk})
    assert Promise.objects.get(pk=promise.pk).status == "kept"

    client.post(page, {"action": "promise_reopen", "promise": promise.pk})

    assert Promise.objects.get(pk=promise.pk).status == "open"


def test_a_promise_closed_too_long_ago_stays_closed(client, page, promise, member):
    services.promise_close(owner=member, promise=promise, kept=False)
    Promise.objects.filter(pk=promise.pk).update(
        closed_at=timezone.now() - timedelta(minutes=DeletedContact.UNDO_MINUTES + 1))

    assert 'data-testid="promise-undo"' not in client.get(page).content.decode()
    response = client.post(page, {"action": "promise_reopen", "promise": promise.pk}, follow=True)

    assert Promise.objects.get(pk=promise.pk).status == "dropped"
    assert "Il est trop tard pour annuler" in response.content.decode()


def test_someone_elses_promise_cannot_be_reopened(client, promise, member, other_member):
    services.promise_close(owner=member, promise=promise, kept=False)
    theirs = services.contact_create(owner=other_member, name="Autre")
    client.force_login(other_member)

    client.post(f"/circle/contacts/{theirs.pk}/", {"action": "promise_reopen", "promise": promise.pk})

    assert Promise.objects.get(pk=promise.pk).status == "dropped"
