"""« Laisser tomber » a follow-up: asked first, then undone from « Suivis » for a few minutes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tablee.circle import services
from tablee.circle.models import DeletedContact, FollowUp


@pytest.fixture
def followup(member, past_gathering, table_mates):
    [card] = services.cards_keep(owner=member, gathering=past_gathering, entries=[
        services.CardEntry(email=table_mates[0].email, note="son projet de coopérative")])
    return FollowUp.objects.get(card=card)


def _status(followup) -> str:
    return FollowUp.objects.get(pk=followup.pk).status


def test_letting_go_without_confirming_changes_nothing_and_asks_first(client, member, followup):
    client.force_login(member)

    response = client.post(f"/followups/{followup.pk}/", {"action": "dismiss"}, follow=True)

    assert _status(followup) == FollowUp.Status.PENDING
    assert "Confirmez que vous laissez tomber ce suivi." in response.content.decode()


def test_the_follow_up_page_asks_before_letting_go(client, member, followup):
    client.force_login(member)

    page = client.get(f"/followups/{followup.pk}/").content.decode()

    assert 'data-testid="followup-dismiss"' in page and 'name="confirm" value="1"' in page
    assert "Oui, laisser tomber" in page


def test_a_confirmed_let_go_can_be_undone_from_the_follow_ups_page(client, member, followup):
    client.force_login(member)

    page = client.post(f"/followups/{followup.pk}/", {"action": "dismiss", "confirm": "1"}, follow=True)

    assert _status(followup) == FollowUp.Status.DISMISSED
    html = page.content.decode()
    assert 'data-testid="undo-dismiss"' in html and "Samuel Roy" in html
    assert f"/followups/{followup.pk}/restore/" in html
    # It is listed among the ones done, as let go, rather than vanishing.
    recent = html[html.index('data-testid="followup-recent"'):]
    assert "Samuel Roy" in recent and "laissé tomber" in recent

    back = client.post(f"/followups/{followup.pk}/restore/")

    assert back.status_code == 302 and back.url == f"/followups/{followup.pk}/"
    assert _status(followup) == FollowUp.Status.PENDING
    assert FollowUp.objects.get(pk=followup.pk).dismissed_at is None
    assert 'data-testid="undo-dismiss"' not in client.get("/followups/").content.decode()


def test_the_undo_window_closes_after_the_circle_undo_minutes(client, member, followup):
    services.followup_dismiss(owner=member, followup=followup)
    FollowUp.objects.filter(pk=followup.pk).update(
        dismissed_at=timezone.now() - timedelta(minutes=DeletedContact.UNDO_MINUTES + 1))
    client.force_login(member)

    assert 'data-testid="undo-dismiss"' not in client.get("/followups/").content.decode()
    client.post(f"/followups/{followup.pk}/restore/")

    assert _status(followup) == FollowUp.Status.DISMISSED


def test_someone_else_cannot_undo_my_let_go(client, other_member, member, followup):
    services.followup_dismiss(owner=member, followup=followup)
    client.force_login(other_member)

    assert client.post(f"/followups/{followup.pk}/restore/").status_code == 404
    assert _status(followup) == FollowUp.Status.DISMISSED


def test_a_sent_follow_up_cannot_be_put_back_to_do(member, followup):
    services.followup_open_in_mail(owner=member, followup=followup, subject="Suite", body="Bonjour")

    with pytest.raises(services.CircleError):
        services.followup_restore(owner=member, followup_id=followup.pk)
    assert _status(followup) == FollowUp.Status.MAILTO
