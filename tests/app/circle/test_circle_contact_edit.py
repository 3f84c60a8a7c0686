"""Editing a contact's card: a keep-in-touch rhythm that cannot be (ideal past the maximum) is refused
next to the fields, in words, with what was typed kept; never a database constraint's name."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tablee.circle import services
from tablee.circle.models import Contact


@pytest.fixture
def julie(member):
    return services.contact_create(owner=member, name="Julie Roy", rhythm_ideal_days=30, rhythm_max_days=60)


def _edit(client, contact, **fields):
    data = {"action": "edit", "name": contact.name, "email": "", "phone": "", "organization": "", "position": "",
            "pronunciation": "", "language": "", "tier": "", "rhythm_ideal_days": "", "rhythm_max_days": ""}
    data.update(fields)
    return client.post(f"/circle/contacts/{contact.pk}/", data)


def test_an_ideal_rhythm_past_the_maximum_is_refused_beside_the_fields_with_the_typed_values(client, member, julie):
    client.force_login(member)

    response = _edit(client, julie, rhythm_ideal_days="60", rhythm_max_days="10", organization="Studio Roy")

    assert response.status_code == 422
    html = response.content.decode()
    assert "rhythm_ideal_before_max" not in html and "contrainte" not in html
    assert "Le rythme maximal ne peut pas être plus court que le rythme idéal (60 jours)." in html
    # The message sits with the rhythm fields (not at the top of the page), and the typed values stay.
    fiche = html[html.index('name="rhythm_ideal_days"'):]
    assert 'value="60"' in fiche and 'value="10"' in fiche[:fiche.index("Lien de confiance")]
    assert "ne peut pas être plus court" in fiche[:fiche.index("Lien de confiance")]
    assert 'value="Studio Roy"' in html
    julie.refresh_from_db()
    assert (julie.rhythm_ideal_days, julie.rhythm_max_days, julie.organization) == (30, 60, "")


def test_a_rhythm_that_is_not_a_number_is_refused_rather_than_dropped(client, member, julie):
    client.force_login(member)

    response = _edit(client, julie, rhythm_ideal_days="trente", rhythm_max_days="60")

    assert response.status_code == 422
    assert 'value="trente"' in response.content.decode()
    julie.refresh_from_db()
    assert julie.rhythm_ideal_days == 30


def test_a_possible_rhythm_is_saved(client, member, julie):
    client.force_login(member)

    response = _edit(client, julie, rhythm_ideal_days="14", rhythm_max_days="45", trusted="on")

    assert response.status_code == 302
    julie.refresh_from_db()
    assert (julie.rhythm_ideal_days, julie.rhythm_max_days, julie.trusted) == (14, 45, True)


def test_the_service_names_the_rhythm_field_in_the_reader_s_words(member, julie):
    with pytest.raises(ValidationError) as refused:
        services.contact_update(owner=member, contact=julie, rhythm_ideal_days=60, rhythm_max_days=10)

    assert set(refused.value.message_dict) == {"rhythm_max_days"}
    assert "rhythm_ideal_before_max" not in str(refused.value)
    assert Contact.objects.get(pk=julie.pk).rhythm_ideal_days == 30


def test_the_page_speaks_english_to_an_english_reader(client, member, julie):
    member.profile.preferred_language = "en"
    member.profile.save()
    client.force_login(member)

    response = _edit(client, julie, rhythm_ideal_days="60", rhythm_max_days="10")

    assert response.status_code == 422
    assert "The maximum rhythm cannot be shorter than the ideal rhythm (60 days)." in response.content.decode()


def test_the_api_refuses_an_impossible_rhythm_in_words_on_its_field(api, member, julie):
    response = api.patch(f"/api/contacts/{julie.pk}", {"rhythm_ideal_days": 60, "rhythm_max_days": 10}, user=member)

    assert response.status_code == 422
    [message] = response.json()["detail"]["rhythm_max_days"]
    assert message == "Le rythme maximal ne peut pas être plus court que le rythme idéal (60 jours)."
