"""A note about a contact can be rewritten, and deleted after a confirmation with an undo, as a contact is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tablee.circle import services
from tablee.circle.models import DeletedContact, Note


@pytest.fixture
def sam(member):
    return services.contact_create(owner=member, name="Sam Rivers", email="sam@example.org")


@pytest.fixture
def note(member, sam):
    return services.note_add(owner=member, contact=sam, text="Cherche du financement d'amorçage")


@pytest.fixture
def page(client, member, sam):
    client.force_login(member)
    return f"/circle/contacts/{sam.pk}/"


def test_the_owner_rewrites_a_note_and_the_page_says_it_was_edited(client, page, note):
    html = client.get(page).content.decode()
    assert 'data-testid="note-edit"' in html and "Cherche du financement d&#x27;amorçage</textarea>" in html

    client.post(page, {"action": "note_edit", "note": note.pk, "text": "  Cherche un **prêt** de démarrage  "})

    note.refresh_from_db()
    assert note.text == "Cherche un **prêt** de démarrage" and note.edited_at is not None
    html = client.get(page).content.decode()
    assert "<strong>prêt</strong>" in html and "modifiée le" in html


def test_an_empty_rewrite_is_refused_and_keeps_the_note(client, page, note):
    client.post(page, {"action": "note_edit", "note": note.pk, "text": "   "})

    note.refresh_from_db()
    assert note.text == "Cherche du financement d'amorçage" and note.edited_at is None


def test_someone_elses_note_can_be_neither_edited_nor_deleted(client, member, other_member, note):
    theirs = services.contact_create(owner=other_member, name="Autre")
    client.force_login(other_member)

    response = client.post(f"/circle/contacts/{theirs.pk}/", {"action": "note_edit", "note": note.pk, "text": "x"})
    client.post(f"/circle/contacts/{theirs.pk}/", {"action": "note_delete", "note": note.pk, "confirm": "1"})

    assert response.status_code == 404
    assert Note.objects.get(pk=note.pk).text == "Cherche du financement d'amorçage"


def test_deleting_a_note_asks_first_then_can_be_undone_with_the_same_id(client, page, note):
    assert 'data-testid="note-delete-confirm"' in client.get(page).content.decode()
    client.post(page, {"action": "note_delete", "note": note.pk})  # not confirmed: nothing happens
    assert Note.objects.filter(pk=note.pk).exists()

    client.post(page, {"action": "note_delete", "note": note.pk, "confirm": "1"})
    assert not Note.objects.filter(pk=note.pk).exists()
    html = client.get(page).content.decode()
    assert 'data-testid="undo-note"' in html and "Cherche du financement" not in html

    trash = DeletedContact.objects.get(kind="note")
    client.post(page, {"action": "note_restore", "trash": trash.pk})

    assert Note.objects.get(pk=note.pk).text == "Cherche du financement d'amorçage"
    assert not DeletedContact.objects.exists()
    assert 'data-testid="undo-note"' not in client.get(page).content.decode()


def test_a_deleted_note_is_not_offered_as_a_deleted_contact_and_is_purged_after_the_window(client, member, note):
    trash = services.note_delete(owner=member, note=note)

    assert services.deleted_contact_recent(owner=member) is None
    DeletedContact.objects.filter(pk=trash.pk).update(deleted_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(services.CircleError):
        services.note_restore(owner=member, trash_id=trash.pk)
    assert services.deleted_contacts_purge() == 1


def test_an_edited_note_changes_the_circle_matrix_stamp(member, note):
    from tablee.circle.matrix import stamp

    before = stamp(member.pk)
    services.note_update(owner=member, note=note, text="Tout autre chose")

    assert stamp(member.pk) != before


def test_the_api_rewrites_and_deletes_my_note_only(api, member, other_member, sam, note):
    path = f"/api/contacts/{sam.pk}/notes/{note.pk}"

    assert api.patch(path, {"text": "Réécrite"}, user=other_member).status_code == 404
    assert api.delete(path, user=other_member).status_code == 404
    updated = api.patch(path, {"text": "Réécrite"}, user=member)
    assert updated.status_code == 200 and updated.json()["text"] == "Réécrite"
    assert api.delete(path, user=member).status_code == 204
    assert not Note.objects.filter(pk=note.pk).exists() and DeletedContact.objects.get().kind == "note"
