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


def _seat(gathering, *tables) -> None:
    """A published plan of ``gathering``: each argument is the people of one table."""
    from tablee.tables.models import Plan, PlanTable, Seat

    plan = Plan.objects.create(gathering=gathering, status=Plan.Status.PUBLISHED)
    for number, people in enumerate(tables, start=1):
        table = PlanTable.objects.create(plan=plan, number=number)
        for user in people:
            Seat.objects.create(plan=plan, table=table, user=user)


def test_a_card_kept_from_the_page_holds_the_name_and_no_address(client, member, past_gathering, table_mates):
    shy, open_ = table_mates[2], table_mates[3]
    shy.profile.organization = "Coop discrète"
    shy.profile.save()
    _consent(open_, organization="Atelier ouvert")
    _seat(past_gathering, [member, shy, open_], table_mates[:2] + table_mates[4:])
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


def test_an_organization_shown_to_table_mates_only_stays_hidden_from_the_rest_of_the_room(
    client, member, past_gathering, table_mates
):
    """The walk's case: she consented for her table-mates only. Someone from another table who searches
    the cards page does not see her organization, nor does the card they keep of her carry it."""
    she, mate, elsewhere = table_mates[2], table_mates[3], member
    _consent(she, organization="Clinique Physio Limoilou")
    _seat(past_gathering, [she, mate], [elsewhere, *table_mates[:2]], table_mates[4:])

    client.force_login(elsewhere)
    page = client.get(f"/gatherings/{past_gathering.pk}/cards/").content.decode()
    client.post(f"/gatherings/{past_gathering.pk}/cards/", {"keep": [str(she.pk)]})
    client.force_login(mate)
    mates_page = client.get(f"/gatherings/{past_gathering.pk}/cards/").content.decode()

    assert she.get_full_name() in page and "Clinique Physio Limoilou" not in page
    assert Contact.objects.get(owner=elsewhere, user=she).organization == ""
    assert "Clinique Physio Limoilou" in mates_page


def test_without_a_published_plan_nobody_counts_as_a_table_mate(client, member, past_gathering, table_mates):
    she = table_mates[2]
    _consent(she, organization="Clinique Physio Limoilou")
    client.force_login(member)
    page = client.get(f"/gatherings/{past_gathering.pk}/cards/").content.decode()
    client.post(f"/gatherings/{past_gathering.pk}/cards/", {"keep": [str(she.pk)]})
    assert "Clinique Physio Limoilou" not in page
    assert Contact.objects.get(owner=member, user=she).organization == ""


def test_the_directory_consent_shows_the_organization_to_the_whole_room(client, member, past_gathering, table_mates):
    from tablee.members.models import Profile

    listed = table_mates[2]
    listed.profile.organization = "Atelier public"
    listed.profile.directory_visibility = Profile.Visibility.MEMBERS
    listed.profile.directory_consent_at = timezone.now()
    listed.profile.save()
    _seat(past_gathering, [listed, *table_mates[3:]], [member, *table_mates[:2]])
    client.force_login(member)
    page = client.get(f"/gatherings/{past_gathering.pk}/cards/").content.decode()
    client.post(f"/gatherings/{past_gathering.pk}/cards/", {"keep": [str(listed.pk)]})
    assert "Atelier public" in page
    assert Contact.objects.get(owner=member, user=listed).organization == "Atelier public"


def test_a_mutual_continue_across_tables_gives_a_contact_without_the_table_mates_only_organization(
    member, past_gathering, table_mates
):
    from tablee.circle import services

    she = table_mates[2]
    _consent(she, organization="Clinique Physio Limoilou")
    _seat(past_gathering, [she, *table_mates[3:]], [member, *table_mates[:2]])
    services.continue_wish_create(author=member, gathering=past_gathering, target_id=she.pk)
    services.continue_wish_create(author=she, gathering=past_gathering, target_id=member.pk)

    services.continue_followup_start(owner=member, gathering=past_gathering, other=she)

    contact = Contact.objects.get(owner=member, user=she)
    assert (contact.email, contact.organization) == ("", "")
