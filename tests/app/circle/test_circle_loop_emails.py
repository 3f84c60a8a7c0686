"""The loop after the table, by email: the evening after (who was at my table, keep three cards) and
a mutual « poursuivre la conversation » told to its two people only, with a link to a draft."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tablee.circle.emails import queue_evening_after
from tablee.circle.models import FollowUp
from tablee.outbox.models import Email


def test_a_mutual_continue_wish_emails_both_people_and_nobody_else(api, client, member, other_member,
                                                                  past_gathering, table_mates):
    path = f"/api/gatherings/{past_gathering.pk}/continue"
    api.post(path, {"email": other_member.email}, user=member)
    assert not Email.objects.filter(kind="continue_mutual").exists()  # one-sided: nobody is told

    api.post(path, {"email": member.email}, user=other_member)

    emails = {e.to: e for e in Email.objects.filter(kind="continue_mutual")}
    assert set(emails) == {member.email, other_member.email}
    assert Email.objects.filter(body_text__contains="poursuivre la conversation").exclude(
        to__in=[member.email, other_member.email]).count() == 0
    mine = emails[member.email]
    assert other_member.get_full_name() in mine.subject
    link = next(w for w in mine.body_text.split() if w.startswith("http"))
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.force_login(member)
    page = client.get("/" + path)
    assert page.status_code == 200 and other_member.get_full_name() in page.content.decode()
    response = client.post("/" + path)
    followup = FollowUp.objects.get(owner=member, contact__user=other_member)
    assert response.status_code == 302 and response.url.endswith(f"/followups/{followup.pk}/")
    body = client.get(response.url).content.decode()
    assert f"Bonjour {other_member.first_name}," in body
    # A third person with the link gets "not found": the pair is revealed to its two people only.
    client.force_login(table_mates[2])
    assert client.get("/" + path).status_code == 404


def test_the_evening_after_email_names_my_table_mates_and_links_to_the_cards(
    member, other_member, association, make_person, attend, organizer
):
    from tablee.gatherings.models import Gathering
    from tablee.tables.models import Plan, PlanTable, Seat

    starts = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0)
    gathering = Gathering.objects.create(association=association, title="Déjeuner du mardi", starts_at=starts,
                                         duration_minutes=120, state=Gathering.State.DONE)
    far = make_person(association=association, email="loin@example.org", first_name="Loin")
    attend(gathering, member, other_member, organizer, far)
    plan = Plan.objects.create(gathering=gathering, status=Plan.Status.PUBLISHED, published_at=starts)
    one, two = (PlanTable.objects.create(plan=plan, number=n) for n in (1, 2))
    for user, table in ((member, one), (other_member, one), (organizer, two), (far, two)):
        Seat.objects.create(plan=plan, table=table, user=user)

    from tablee.outbox.models import Topic
    from tablee.outbox.services import optout_set

    optout_set(address=far.email, topic=Topic.SUGGESTIONS, refuse=True)  # the preference is respected
    assert queue_evening_after(now=starts + timedelta(hours=3)) == 0  # not yet the evening
    evening = timezone.localtime(starts).replace(hour=19)
    assert queue_evening_after(now=evening) == 3
    assert not Email.objects.filter(kind="evening_after", to=far.email).exists()
    assert queue_evening_after(now=evening + timedelta(minutes=1)) == 0  # once per person

    mine = Email.objects.get(kind="evening_after", to=member.email)
    assert other_member.get_full_name() in mine.body_text
    assert far.get_full_name() not in mine.body_text and organizer.get_full_name() not in mine.body_text
    assert f"/gatherings/{gathering.pk}/cards/" in mine.body_text
    assert "trois cartes" in mine.subject


def test_the_evening_after_email_names_a_table_mates_organization_only_with_her_consent(
    member, other_member, association, attend
):
    from tablee.gatherings.models import Gathering
    from tablee.tables.models import Plan, PlanTable, Seat

    starts = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0)
    gathering = Gathering.objects.create(association=association, title="Déjeuner du jeudi", starts_at=starts,
                                         duration_minutes=120, state=Gathering.State.DONE)
    attend(gathering, member, other_member)
    plan = Plan.objects.create(gathering=gathering, status=Plan.Status.PUBLISHED, published_at=starts)
    table = PlanTable.objects.create(plan=plan, number=1)
    for user in (member, other_member):
        Seat.objects.create(plan=plan, table=table, user=user)
    other_member.profile.organization = "Atelier Saint-Roch"  # no consent given
    other_member.profile.save()
    member.profile.tablemates_consent_at = timezone.now()  # « Coop Laval », for her table-mates
    member.profile.save()

    queue_evening_after(now=timezone.localtime(starts).replace(hour=19))

    to_samuel = Email.objects.get(kind="evening_after", to=other_member.email)
    to_marie = Email.objects.get(kind="evening_after", to=member.email)
    assert "Atelier Saint-Roch" not in to_marie.body_text + to_marie.body_html
    assert f"{member.get_full_name()} (Coop Laval)" in to_samuel.body_text
