"""Deleting a wish on « Mes souhaits » is asked first, then offers « Annuler » for a few minutes, as
notes and contacts do; without JavaScript (plain forms). The undo lives in its author's session: no
one else sees the wish, the offer, or the name it is about."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tablee.tables import services
from tablee.tables.models import Wish

PAGE = "/wishes/"


@pytest.fixture
def wish(member, other_member, association):
    wish = Wish.objects.create(author=member, target=other_member, association=association, kind=Wish.Kind.AVOID)
    earlier = timezone.now() - timedelta(days=3)
    Wish.objects.filter(pk=wish.pk).update(created_at=earlier)
    wish.refresh_from_db()
    return wish


def _listed(html: str) -> str:
    return html.split("Mes souhaits enregistrés")[1]


def test_the_page_asks_before_deleting_a_wish(client, member, wish):
    client.force_login(member)

    html = client.get(PAGE).content.decode()

    assert 'data-testid="wish-delete"' in html and "Oui, supprimer le souhait" in html
    assert 'name="confirm" value="1"' in html


def test_a_delete_without_the_confirmation_keeps_the_wish(client, member, wish):
    client.force_login(member)

    response = client.post(f"/wishes/{wish.pk}/delete/")

    assert response.status_code == 302
    assert Wish.objects.filter(pk=wish.pk).exists()
    assert "Confirmez la suppression du souhait." in client.get(PAGE).content.decode()


def test_a_confirmed_delete_removes_the_wish_and_offers_undo(client, member, wish):
    client.force_login(member)

    client.post(f"/wishes/{wish.pk}/delete/", {"confirm": "1"})

    assert not Wish.objects.exists()
    html = client.get(PAGE).content.decode()
    assert 'data-testid="undo-wish"' in html
    assert "Votre souhait à propos de Samuel Roy vient d'être supprimé." in html


def test_undo_brings_the_wish_back_with_its_first_date(client, member, other_member, wish):
    client.force_login(member)
    client.post(f"/wishes/{wish.pk}/delete/", {"confirm": "1"})

    client.post("/wishes/undo/")

    [back] = Wish.objects.all()
    assert (back.author, back.target, back.kind, back.association_id) == (member, other_member, "avoid",
                                                                          wish.association_id)
    assert back.created_at == wish.created_at  # it binds the plans it bound before
    html = client.get(PAGE).content.decode()
    assert "Le souhait est de retour." in html and 'data-testid="undo-wish"' not in html


def test_undo_works_once(client, member, wish):
    client.force_login(member)
    client.post(f"/wishes/{wish.pk}/delete/", {"confirm": "1"})
    client.post("/wishes/undo/")
    Wish.objects.all().delete()

    client.post("/wishes/undo/")

    assert not Wish.objects.exists()


def test_undo_is_refused_once_the_window_is_over(client, member, wish):
    client.force_login(member)
    client.post(f"/wishes/{wish.pk}/delete/", {"confirm": "1"})
    session = client.session
    session["tables.wish_undo"]["deleted_at"] = (
        timezone.now() - timedelta(minutes=services.WISH_UNDO_MINUTES + 1)).isoformat()
    session.save()

    assert 'data-testid="undo-wish"' not in client.get(PAGE).content.decode()
    client.post("/wishes/undo/")

    assert not Wish.objects.exists()
    assert "Trop tard pour annuler" in client.get(PAGE).content.decode()


def test_someone_elses_wish_cannot_be_deleted_even_confirmed(client, other_member, organizer, wish):
    for person in (other_member, organizer):
        client.force_login(person)
        assert client.post(f"/wishes/{wish.pk}/delete/", {"confirm": "1"}).status_code == 404
    assert Wish.objects.filter(pk=wish.pk).exists()


@pytest.mark.parametrize("viewer", ["other_member", "organizer"])
def test_nobody_else_sees_the_undo_or_the_name_and_cannot_restore_it(client, request, member, wish, viewer):
    client.force_login(member)
    client.post(f"/wishes/{wish.pk}/delete/", {"confirm": "1"})
    client.force_login(request.getfixturevalue(viewer))

    html = client.get(PAGE).content.decode()
    client.post("/wishes/undo/")

    assert 'data-testid="undo-wish"' not in html and "Samuel Roy" not in _listed(html)
    assert not Wish.objects.exists()


def test_undo_follows_the_rules_of_a_new_wish(client, member, other_member, association, wish):
    """Samuel left the association meanwhile: the wish cannot come back."""
    client.force_login(member)
    client.post(f"/wishes/{wish.pk}/delete/", {"confirm": "1"})
    other_member.memberships.filter(association=association).delete()

    client.post("/wishes/undo/")

    assert not Wish.objects.exists()


def test_the_service_restore_is_refused_after_the_window(member, wish):
    deleted = services.wish_delete(author=member, wish_id=wish.pk)
    late = services.DeletedWish(**{**deleted.as_dict(), "deleted_at": (
        timezone.now() - timedelta(minutes=services.WISH_UNDO_MINUTES, seconds=1)).isoformat()})

    with pytest.raises(services.PlanError):
        services.wish_restore(author=member, deleted=late)
    assert services.wish_restore(author=member, deleted=deleted).kind == "avoid"
