"""The circle's emails read well in the reader's language, all through: a follow-up to an
English-speaking member is English from the subject to the footer (audit A3), the English wording
of the evening after and of a mutual « poursuivre » (A4), and the evening after's text part lays out
its table-mates apart from the thanks (C10)."""

from __future__ import annotations

from django.utils import timezone

from tablee.circle.emails import queue_continue_mutual, queue_evening_after
from tablee.gatherings.models import Gathering
from tablee.members.models import Profile
from tablee.outbox.models import Email
from tablee.tables.models import Plan, PlanTable, Seat


def _english(user):
    Profile.objects.filter(user=user).update(preferred_language="en")
    user.profile.refresh_from_db()


def test_a_follow_up_to_an_english_speaking_member_has_its_footer_in_english_too(member, other_member):
    from tablee.circle.services import attendee_contact, followup_create, followup_send

    _english(other_member)
    kept = attendee_contact(owner=member, member=other_member, gathering=None)
    assert kept.language == ""  # a member kept from a gathering: her own language is on her profile

    email = followup_send(owner=member, followup=followup_create(owner=member, contact=kept),
                          subject="Nice to meet you", body="Hello Samuel")

    footer = email.body_text.split("\n-- \n", 1)[1]
    assert "writes to you through Tablée" in footer and "Your email preferences" in footer
    assert "vous écrit" not in footer and "Ne plus recevoir" not in footer


def _evening(association, attend, *people):
    starts = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0)
    gathering = Gathering.objects.create(association=association, title="Déjeuner du mardi", starts_at=starts,
                                         duration_minutes=120, state=Gathering.State.DONE)
    attend(gathering, *people)
    plan = Plan.objects.create(gathering=gathering, status=Plan.Status.PUBLISHED, published_at=starts)
    table = PlanTable.objects.create(plan=plan, number=1)
    for user in people:
        Seat.objects.create(plan=plan, table=table, user=user)
    queue_evening_after(now=timezone.localtime(starts).replace(hour=19))
    return gathering


def test_the_evening_after_text_sets_the_table_mates_apart_from_the_thanks(member, other_member, association,
                                                                           attend):
    _evening(association, attend, member, other_member)

    text = Email.objects.get(kind="evening_after", to=member.email).body_text
    assert "Merci de votre présence à «\u00a0Déjeuner du mardi\u00a0».\n\nÀ votre table\u00a0:\n- Samuel" in text


def test_the_evening_after_in_english_says_fewer_but_better(member, other_member, association, attend):
    _english(member)
    _evening(association, attend, member, other_member)

    text = Email.objects.get(kind="evening_after", to=member.email).body_text
    assert ("Fewer but better: keep up to three cards, for the people you'll really write to in the next two days."
            in text)


def test_a_mutual_continue_in_english_says_you_and_them_both_said_separately(member, other_member, past_gathering):
    _english(member)

    email = queue_continue_mutual(gathering=past_gathering, to=member, other=other_member)

    said = (f"After “Déjeuner de la Saint-Roch”, you and {other_member.get_full_name()} both said, separately, "
            "that you'd like to continue the conversation.")
    assert said in email.body_text and said in email.body_html.replace("&#x27;", "'")
