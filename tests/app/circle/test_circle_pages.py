from __future__ import annotations

from pathlib import Path

from tablee.circle import services
from tablee.circle.models import Card, Contact, Interaction, Note, Promise

FIXTURES = Path(__file__).parent / "fixtures"


def test_the_import_page_imports_a_file_and_lists_bad_lines(client, member):
    client.force_login(member)
    with open(FIXTURES / "google_contacts.vcf", "rb") as upload:
        page = client.post("/circle/import/", {"file": upload})
    assert "2\u00a0contacts créés, 0\u00a0mis à jour." in page.content.decode()
    with open(FIXTURES / "bad_contacts.vcf", "rb") as upload:
        page = client.post("/circle/import/", {"file": upload})
    assert "Ligne 6\u00a0: Courriel invalide\u00a0: pas-un-courriel" in page.content.decode()
    assert Contact.objects.filter(owner=member).count() == 2


def test_a_card_from_an_outside_event_is_captured_from_the_page(client, member):
    client.force_login(member)
    client.post("/circle/event-cards/", {"event_label": "Congrès C2", "new_name": "Hoa Nguyen",
                                          "new_email": "hoa@example.com", "new_note": "IA", "new_pronunciation": "Hoa"})
    card = Card.objects.get(owner=member)
    assert (card.event_label, card.contact.name, card.contact.pronunciation, card.note) == (
        "Congrès C2", "Hoa Nguyen", "Hoa", "IA")


def test_contact_page_actions_write_notes_promises_and_interactions(client, member):
    client.force_login(member)
    contact = services.contact_create(owner=member, name="Julie Roy")
    url = f"/circle/contacts/{contact.pk}/"
    client.post(url, {"action": "note", "text": "*vélo*"})
    client.post(url, {"action": "promise", "text": "le rapport", "due_on": "2026-12-01"})
    client.post(url, {"action": "kept", "promise": Promise.objects.get().pk})
    client.post(url, {"action": "interaction", "kind": "coffee", "summary": "Café"})
    assert Note.objects.get().text == "*vélo*"
    assert Promise.objects.get().status == "kept"
    assert Interaction.objects.get().kind == "coffee"
    contact.refresh_from_db()
    assert contact.last_interaction_at is not None
    assert "<em>vélo</em>" in client.get(url).content.decode()


def test_a_full_tier_on_the_contact_page_explains_and_changes_nothing(client, member):
    client.force_login(member)
    for n in range(5):
        services.contact_create(owner=member, name=f"Proche {n}", tier="close")
    contact = services.contact_create(owner=member, name="Julie Roy")
    page = client.post(f"/circle/contacts/{contact.pk}/", {"action": "edit", "name": "Julie Roy", "tier": "close"},
                       follow=True)
    assert "qui en sort" in page.content.decode()
    contact.refresh_from_db()
    assert contact.tier == ""


def _seat_member_with_the_first_mate(gathering, member, table_mates) -> None:
    """A published plan: the member and the first mate at table 1, the next two at table 2."""
    from tablee.tables.models import Plan, PlanTable, Seat

    plan = Plan.objects.create(gathering=gathering, status=Plan.Status.PUBLISHED)
    one, two = (PlanTable.objects.create(plan=plan, number=n) for n in (1, 2))
    for user, table in ((member, one), (table_mates[0], one), (table_mates[1], two), (table_mates[2], two)):
        Seat.objects.create(plan=plan, table=table, user=user)


def test_the_cards_page_lists_my_table_mates_first_and_notes_only_for_the_chosen(client, member, past_gathering,
                                                                               table_mates):
    _seat_member_with_the_first_mate(past_gathering, member, table_mates)
    client.force_login(member)
    page = client.get(f"/gatherings/{past_gathering.pk}/cards/").content.decode()
    mates = page[page.index('data-testid="pick-mates"'):page.index('data-testid="pick-others"')]
    assert f'data-testid="keep-{table_mates[0].pk}"' in mates and f'data-testid="keep-{table_mates[1].pk}"' not in mates
    others = page[page.index('data-testid="pick-others"'):]
    assert f'data-testid="keep-{table_mates[1].pk}"' in others and 'data-testid="pick-search"' in page
    # Nobody's address is in the page: a fellow attendee's email is not mine to see.
    assert not any(p.email in page for p in table_mates)
    # Each note field sits inside the part that opens once the person is chosen.
    assert page.count('class="pick-more"') == page.count('data-testid="note-')


def test_with_every_card_kept_i_can_still_say_i_would_continue_with_a_table_mate(client, member, past_gathering,
                                                                                 table_mates):
    from tablee.circle.models import ContinueWish

    _seat_member_with_the_first_mate(past_gathering, member, table_mates)
    services.cards_keep(owner=member, gathering=past_gathering,
                        entries=[services.CardEntry(email=m.email, note="") for m in table_mates[:3]])
    client.force_login(member)
    page = client.get(f"/gatherings/{past_gathering.pk}/cards/").content.decode()
    assert 'data-testid="cards-form"' not in page  # no card left
    section = page[page.index('id="continue"'):]
    assert f'data-testid="continue-{table_mates[0].pk}"' in section
    response = client.post(f"/gatherings/{past_gathering.pk}/cards/",
                           {"action": "continue", "continue": [str(table_mates[0].pk)]})
    assert response.status_code == 302 and response["Location"].endswith("#continue")
    wish = ContinueWish.objects.get(author=member)
    assert wish.target_id == table_mates[0].pk and wish.mutual_at is None
    page = client.get(f"/gatherings/{past_gathering.pk}/cards/").content.decode()
    assert "checked disabled" in page[page.index(f'data-testid="continue-{table_mates[0].pk}"') - 80:]
    # The other person learns nothing until it is mutual: no wish shows on their page.
    client.force_login(table_mates[0])
    theirs = client.get(f"/gatherings/{past_gathering.pk}/cards/").content.decode()
    assert f'data-testid="keep-{member.pk}"' in theirs and "c'est noté" not in theirs and 'data-testid="mutual-list"' not in theirs
