from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tablee.circle import services
from tablee.circle.models import Card, CircleSettings, Contact, FollowUp, Interaction


def keep(owner, gathering, *people, notes=None):
    notes = notes or {}
    entries = [services.CardEntry(email=p.email, note=notes.get(p.email, "")) for p in people]
    return services.cards_keep(owner=owner, gathering=gathering, entries=entries)


def test_keeping_three_table_mates_makes_three_cards_with_follow_ups_due_in_two_days(member, past_gathering, table_mates):
    cards = keep(member, past_gathering, *table_mates[:3], notes={table_mates[0].email: "son projet de coop"})

    assert len(cards) == 3
    assert set(Card.objects.filter(owner=member).values_list("contact__user__email", flat=True)) == {
        p.email for p in table_mates[:3]}
    assert Card.objects.get(contact__user=table_mates[0]).note == "son projet de coop"
    due = {f.due_on for f in FollowUp.objects.filter(owner=member)}
    assert due == {timezone.localdate() + timedelta(days=2)}
    assert Interaction.objects.filter(owner=member, kind="gathering").count() == 3


def test_a_fourth_card_is_refused_with_the_reason_and_nothing_is_written(member, past_gathering, table_mates):
    keep(member, past_gathering, *table_mates[:3])

    with pytest.raises(services.CardBudgetExceeded, match="Peu, mais mieux"):
        keep(member, past_gathering, table_mates[3])

    assert Card.objects.filter(owner=member).count() == 3
    assert not Contact.objects.filter(owner=member, user=table_mates[3]).exists()


def test_four_at_once_beyond_the_budget_writes_nothing(member, past_gathering, table_mates):
    with pytest.raises(services.CardBudgetExceeded):
        keep(member, past_gathering, *table_mates[:4])
    assert Card.objects.count() == 0 and Contact.objects.count() == 0 and FollowUp.objects.count() == 0


def test_the_member_chooses_a_budget_from_one_to_five(member, past_gathering, table_mates):
    services.circle_settings_update(user=member, card_budget=5)
    assert len(keep(member, past_gathering, *table_mates[:5])) == 5
    with pytest.raises(ValidationError):
        services.circle_settings_update(user=member, card_budget=6)
    assert CircleSettings.objects.get(user=member).card_budget == 5


def test_keeping_the_same_person_twice_is_one_card(member, past_gathering, table_mates):
    keep(member, past_gathering, table_mates[0])
    keep(member, past_gathering, table_mates[0])
    assert Card.objects.filter(owner=member).count() == 1


def test_a_new_contact_from_a_conference_is_captured_with_pronunciation(member):
    entry = services.CardEntry(name="Nguyễn Thị Hoa", email="hoa@example.com", organization="Mila",
                               note="IA pour les PME", pronunciation="Nou-yen Ti Hoa")
    [card] = services.cards_keep(owner=member, event_label="Congrès C2 Montréal", entries=[entry])

    assert card.gathering is None and card.event_label == "Congrès C2 Montréal"
    contact = Contact.objects.get(owner=member)
    assert (contact.name, contact.pronunciation, contact.user) == ("Nguyễn Thị Hoa", "Nou-yen Ti Hoa", None)
    assert FollowUp.objects.filter(card=card).exists()


def test_someone_who_was_not_at_the_gathering_becomes_an_outside_contact(member, past_gathering, table_mates, outsider):
    keep(member, past_gathering, outsider)
    contact = Contact.objects.get(owner=member)
    assert contact.user is None and contact.email == outsider.email


def test_follow_up_days_come_from_settings(member, past_gathering, table_mates, settings):
    settings.TABLEE_FOLLOWUP_DAYS = 5
    keep(member, past_gathering, table_mates[0])
    assert FollowUp.objects.get().due_on == timezone.localdate() + timedelta(days=5)
