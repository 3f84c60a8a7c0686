"""Keeping a fellow attendee's card: what I learn of them follows their consent, and their address
stays theirs (my follow-up reaches them through Tablée)."""

from __future__ import annotations

from django.utils import timezone

from tablee.circle.models import Contact, FollowUp
from tablee.outbox.models import Email


def _consent(user, *, organization: str) -> None:
    user.profile.organization = organization
    user.profile.tablemates_consent_at = timezone.now()
    user.profile.save()


def test_a_card_kept_from_the_page_holds_the_name_and_no_address(client, member, past_gathering, table_mates):
    shy, open_ = table_mates[2], table_mates[3]
    shy.profile.organization = "Coop discrète"
    shy.profile.save()
    _consent(open_, organization="Atelier ouvert")
    client.force_login(member)

    page = client.get(f"/gatherings/{past_gathering.pk}/cards/").content.decode()
    response = client.post(f"/gatherings/{past_gathering.pk}/cards/", {"keep": [str(shy.pk), str(open_.pk)]})

    assert shy.email not in page and "Coop discrète" not in page and "Atelier ouvert" in page
    assert response.status_code == 302
    kept = {c.user_id: c for c in Contact.objects.filter(owner=member)}
    assert (kept[shy.pk].email, kept[shy.pk].organization) == ("", "")
    assert (kept[open_.pk].email, kept[open_.pk].organization) == ("", "Atelier ouvert")
    contact_page = client.get(f"/circle/contacts/{kept[shy.pk].pk}/").content.decode()
    assert shy.email not in contact_page


def test_my_follow_up_to_a_kept_member_goes_through_tablee_without_showing_me_the_address(
    client, member, past_gathering, table_mates
):
    mate = table_mates[2]
    client.force_login(member)
    client.post(f"/gatherings/{past_gathering.pk}/cards/", {"keep": [str(mate.pk)], f"note-{mate.pk}": "son projet"})
    followup = FollowUp.objects.get(owner=member)

    page = client.get(f"/followups/{followup.pk}/").content.decode()
    client.post(f"/followups/{followup.pk}/", {"action": "send", "subject": "Bonjour", "body": "Au plaisir."})

    assert mate.email not in page and "son adresse reste privée" in page and 'data-testid="followup-mailto"' not in page
    [email] = Email.objects.filter(kind="followup")
    assert email.to == mate.email and email.reply_to == member.email


def test_a_person_who_was_not_there_cannot_be_kept_by_id(client, member, past_gathering, table_mates, outsider):
    client.force_login(member)
    client.post(f"/gatherings/{past_gathering.pk}/cards/", {"keep": [str(outsider.pk)]})
    assert not Contact.objects.filter(owner=member).exists()


def test_a_tampered_card_form_keeps_nothing_and_answers_calmly(client, member, past_gathering, table_mates):
    client.force_login(member)
    response = client.post(f"/gatherings/{past_gathering.pk}/cards/", {"keep": ["²", "abc", ""], "continue": ["٣"]})
    assert response.status_code == 302 and not Contact.objects.filter(owner=member).exists()
