"""Deleting a contact asks first, and can be undone for a few minutes, whole; then it is final."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tablee.circle import services
from tablee.circle.models import Contact, DeletedContact, FollowUp, Note, Promise


@pytest.fixture
def sam(member):
    contact = services.contact_create(owner=member, name="Sam Rivers", email="sam@example.org", organization="Rivers Labs")
    services.note_add(owner=member, contact=contact, text="Cherche du financement d'amorçage")
    FollowUp.objects.create(owner=member, contact=contact, due_on=timezone.localdate())
    Promise.objects.create(owner=member, contact=contact, text="Lui présenter Louis")
    return contact


def test_the_contact_page_asks_before_deleting(client, member, sam):
    client.force_login(member)
    page = client.get(f"/circle/contacts/{sam.pk}/").content.decode()
    assert 'data-testid="delete-contact"' in page and "Oui, supprimer" in page


def test_a_deleted_contact_comes_back_whole_with_the_same_ids(client, member, sam):
    note_ids = set(Note.objects.filter(contact=sam).values_list("pk", flat=True))
    followup_ids = set(FollowUp.objects.filter(contact=sam).values_list("pk", flat=True))
    client.force_login(member)
    response = client.post(f"/circle/contacts/{sam.pk}/", {"action": "delete"})
    assert response.status_code == 302 and response["Location"] == "/circle/"
    assert not Contact.objects.filter(pk=sam.pk).exists() and not Note.objects.filter(pk__in=note_ids).exists()
    circle = client.get("/circle/").content.decode()
    assert 'data-testid="undo-delete"' in circle and "Sam Rivers" in circle
    trash = DeletedContact.objects.get(owner=member)
    response = client.post(f"/circle/deleted/{trash.pk}/restore/")
    assert response.status_code == 302 and response["Location"] == f"/circle/contacts/{sam.pk}/"
    restored = Contact.objects.get(pk=sam.pk)
    assert restored.organization == "Rivers Labs" and restored.owner_id == member.pk
    assert set(Note.objects.filter(contact=restored).values_list("pk", flat=True)) == note_ids
    assert set(FollowUp.objects.filter(contact=restored).values_list("pk", flat=True)) == followup_ids
    assert Promise.objects.filter(contact=restored, text="Lui présenter Louis").exists()
    assert not DeletedContact.objects.exists()
    assert 'data-testid="undo-delete"' not in client.get("/circle/").content.decode()


def test_another_member_can_neither_see_nor_restore_my_deletion(client, member, other_member, sam):
    trash = services.contact_delete(owner=member, contact=sam)
    client.force_login(other_member)
    assert "Sam Rivers" not in client.get("/circle/").content.decode()
    client.post(f"/circle/deleted/{trash.pk}/restore/")
    assert not Contact.objects.filter(pk=sam.pk).exists() and DeletedContact.objects.filter(pk=trash.pk).exists()


def test_after_the_undo_window_the_deletion_is_final(client, member, sam):
    trash = services.contact_delete(owner=member, contact=sam)
    late = timezone.now() - timedelta(minutes=DeletedContact.UNDO_MINUTES + 1)
    DeletedContact.objects.filter(pk=trash.pk).update(deleted_at=late)
    client.force_login(member)
    assert 'data-testid="undo-delete"' not in client.get("/circle/").content.decode()
    client.post(f"/circle/deleted/{trash.pk}/restore/")
    assert not Contact.objects.filter(pk=sam.pk).exists()
    assert services.deleted_contacts_purge() == 1 and not DeletedContact.objects.exists()


def test_the_worker_tick_purges_deletions_past_the_window(member, sam):
    from tablee.outbox import ticks

    trash = services.contact_delete(owner=member, contact=sam)
    assert ticks.run_all()["deleted_contacts"] == 0  # still within the window
    DeletedContact.objects.filter(pk=trash.pk).update(deleted_at=timezone.now() - timedelta(hours=1))
    assert ticks.run_all()["deleted_contacts"] == 1 and not DeletedContact.objects.exists()


def test_the_api_delete_is_undoable_on_the_web_too(api, member, sam):
    assert api.delete(f"/api/contacts/{sam.pk}", user=member).status_code == 204
    assert not Contact.objects.filter(pk=sam.pk).exists()
    restored = services.contact_restore(owner=member, trash_id=DeletedContact.objects.get(owner=member).pk)
    assert restored.pk == sam.pk
