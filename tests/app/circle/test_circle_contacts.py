from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tablee.circle import selectors, services
from tablee.circle.models import Contact, ContinueWish, Interaction, Note, Suggestion
from tablee.circle.rendering import render
from tablee.tables.models import Wish


def add(owner, name, **fields):
    return services.contact_create(owner=owner, name=name, **fields)


def test_a_sixth_close_contact_asks_who_moves_out(member):
    close = [add(member, f"Proche {n}", tier="close") for n in range(5)]

    with pytest.raises(services.TierFull) as refused:
        add(member, "Sixième", tier="close")
    assert {c.pk for c in refused.value.members} == {c.pk for c in close}
    assert not Contact.objects.filter(name="Sixième").exists()

    add(member, "Sixième", tier="close", moves_out=close[0])
    close[0].refresh_from_db()
    assert close[0].tier == "circle"
    assert Contact.objects.filter(owner=member, tier="close").count() == 5


def test_tiers_are_counted_per_owner(member, other_member):
    for n in range(5):
        add(other_member, f"Proche de Samuel {n}", tier="close")
    add(member, "Ma proche", tier="close")
    assert selectors.tier_counts(owner=member)["close"] == 1


def test_rhythm_turns_yellow_then_red_and_any_interaction_resets_it(member):
    contact = add(member, "Julie", rhythm_ideal_days=30, rhythm_max_days=60)
    now = timezone.now()
    services.interaction_record(owner=member, contact=contact, kind="coffee", happened_at=now - timedelta(days=10))
    assert selectors.rhythm_of(contact, now=now).color == "green"
    assert selectors.rhythm_of(contact, now=now + timedelta(days=30)).color == "yellow"
    assert selectors.rhythm_of(contact, now=now + timedelta(days=60)).color == "red"

    services.interaction_record(owner=member, contact=contact, kind="call", happened_at=now + timedelta(days=60))
    assert selectors.rhythm_of(contact, now=now + timedelta(days=61)).color == "green"


def test_an_older_interaction_does_not_move_the_last_contact_back(member):
    contact = add(member, "Julie")
    now = timezone.now()
    services.interaction_record(owner=member, contact=contact, kind="call", happened_at=now)
    services.interaction_record(owner=member, contact=contact, kind="coffee", happened_at=now - timedelta(days=100))
    contact.refresh_from_db()
    assert contact.last_interaction_at == now


def test_trusted_ties_silent_for_over_a_year_are_dormant(member):
    old, recent, untrusted = add(member, "Ancienne", trusted=True), add(member, "Récente", trusted=True), add(member, "Autre")
    now = timezone.now()
    services.interaction_record(owner=member, contact=old, kind="call", happened_at=now - timedelta(days=400))
    services.interaction_record(owner=member, contact=recent, kind="call", happened_at=now - timedelta(days=20))
    services.interaction_record(owner=member, contact=untrusted, kind="call", happened_at=now - timedelta(days=400))
    assert list(selectors.dormant_ties(owner=member, now=now)) == [old]


def test_suggestions_are_at_most_one_a_day_and_three_a_week(member):
    now = timezone.now()
    for n in range(6):
        contact = add(member, f"Oubliée {n}", rhythm_ideal_days=7, rhythm_max_days=14)
        services.interaction_record(owner=member, contact=contact, kind="call", happened_at=now - timedelta(days=60 + n))

    first = services.suggestion_for_today(owner=member, now=now)
    assert services.suggestion_for_today(owner=member, now=now) == first
    shown = [services.suggestion_for_today(owner=member, now=now + timedelta(days=d)) for d in range(1, 7)]
    assert sum(s is not None for s in shown) == 2  # three in any seven days, the first included
    assert Suggestion.objects.filter(owner=member).count() == 3
    assert len({s.contact_id for s in Suggestion.objects.all()}) == 3
    assert Suggestion.objects.get(pk=first.pk).contact.name == "Oubliée 5"  # the most overdue first


def test_markdown_notes_are_sanitised():
    html = render("**important** <script>alert(1)</script> [lien](javascript:alert(1)) [ok](https://example.org)")
    assert "<strong>important</strong>" in html
    assert "<script" not in html and "javascript:" not in html
    assert 'href="https://example.org"' in html


def test_merging_duplicates_moves_notes_and_timeline(member):
    keep = add(member, "Julie Roy", email="julie@example.org")
    dup = add(member, "J. Roy", email="JULIE@example.org", organization="Desjardins")
    services.note_add(owner=member, contact=dup, text="Aime le vélo")
    services.interaction_record(owner=member, contact=dup, kind="coffee")
    assert [[c.pk for c in g] for g in selectors.duplicate_groups(owner=member)] == [[keep.pk, dup.pk]]

    services.contact_merge(owner=member, keep=keep, others=[dup])

    assert list(Contact.objects.filter(owner=member)) == [keep]
    keep.refresh_from_db()
    assert keep.organization == "Desjardins"
    assert Note.objects.get().contact == keep and Interaction.objects.get().contact == keep


def test_a_one_sided_continue_wish_is_not_revealed(member, other_member, past_gathering, table_mates):
    assert services.continue_wish_create(author=member, gathering=past_gathering, target_email=other_member.email) is False
    assert not selectors.mutual_continues(user=other_member).exists()
    assert not selectors.mutual_continues(user=member).exists()
    assert not Wish.objects.exists()


def test_a_mutual_continue_wish_is_revealed_to_both_and_becomes_engine_wishes(member, other_member, past_gathering,
                                                                              table_mates):
    services.continue_wish_create(author=member, gathering=past_gathering, target_email=other_member.email)
    assert services.continue_wish_create(author=other_member, gathering=past_gathering, target_email=member.email)

    assert [w.target for w in selectors.mutual_continues(user=member)] == [other_member]
    assert [w.target for w in selectors.mutual_continues(user=other_member)] == [member]
    assert set(Wish.objects.values_list("author_id", "target_id", "kind")) == {
        (member.pk, other_member.pk, "continue"), (other_member.pk, member.pk, "continue")}
    assert ContinueWish.objects.filter(mutual_at__isnull=False).count() == 2


def test_a_continue_wish_needs_both_to_have_attended(member, other_member, outsider, past_gathering, attend):
    attend(past_gathering, member)
    with pytest.raises(services.CircleError):
        services.continue_wish_create(author=member, gathering=past_gathering, target_email=other_member.email)
    with pytest.raises(services.CircleError):
        services.continue_wish_create(author=outsider, gathering=past_gathering, target_email=member.email)
    assert not ContinueWish.objects.exists()
