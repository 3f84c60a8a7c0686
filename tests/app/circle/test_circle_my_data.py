"""« Toutes mes données (JSON) »: everything the person said or did (Law 25 portability), and nothing
more about other people than what the person already sees (no other member's internal id)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tablee.circle import services as circle_services
from tablee.circle.exports import me_export
from tablee.circle.models import ContinueWish


def _my_data(client, member) -> dict:
    client.force_login(member)
    return json.loads(b"".join(client.get("/circle/my-data.json").streaming_content))


@pytest.fixture
def journey_of(member, past_gathering, attend):
    """Marie's intention for a past gathering with her questions and energy, her reflection after it,
    her pace, and a share to a contact of hers."""
    from tablee.journey import services as journey_services

    attend(past_gathering, member)
    intention = journey_services.intention_create(
        author=member, gathering=past_gathering, result="Trouver une relève", signal="Un café prévu",
        energy_before=2, questions=["Qu'est-ce qui vous a amenée ici?"],
    )
    journey_services.reflection_record(intention=intention, reached=True, energy_after=4, next_step="Rappeler Paul")
    journey_services.pacing_update(user=member, weekly_cap=3)
    paul = circle_services.contact_create(owner=member, name="Paul Hébert", email="paul@example.org")
    journey_services.share_send(author=member, text="https://example.org/releve", picks=[(paul, "Pour toi")])
    return intention


def test_my_data_holds_my_intentions_reflections_questions_pace_and_shares(client, member, journey_of):
    data = _my_data(client, member)

    [intention] = data["intentions"]
    assert intention["result"] == "Trouver une relève" and intention["energy_before"] == 2
    assert intention["questions"] == ["Qu'est-ce qui vous a amenée ici?"]
    [reflection] = data["reflections"]
    assert reflection["intention_id"] == intention["id"]
    assert (reflection["reached"], reflection["energy_after"], reflection["next_step"]) == (True, 4, "Rappeler Paul")
    assert data["pacing"] == [{"weekly_cap": 3}]
    [share] = data["shares"]
    assert share["text"] == "https://example.org/releve"
    assert [r["contact_id"] for r in share["recipients"]] == [data["contacts"][0]["id"]]


def test_my_data_holds_my_consents_with_their_dates_and_my_email_choices(client, member):
    from tablee.members import services as members_services
    from tablee.outbox.models import OptOut, Topic

    members_services.profile_update(user=member, directory_visibility="members", directory_consent=True,
                                    tablemates_consent=True)
    OptOut.objects.create(address=member.email, topic=Topic.DIGEST)
    OptOut.objects.create(address="quelquun.dautre@example.org", topic=Topic.REMINDERS)
    member.profile.refresh_from_db()

    data = _my_data(client, member)

    assert data["consents"] == {
        "directory_visibility": "members",
        "directory_consent_at": member.profile.directory_consent_at.isoformat(),
        "tablemates_consent_at": member.profile.tablemates_consent_at.isoformat(),
    }
    assert [(p["topic"], p["scope"]) for p in data["email_preferences"]["refused"]] == [("digest", "")]


def test_my_data_names_the_members_i_chose_without_their_internal_ids(client, member, other_member,
                                                                        past_gathering, table_mates):
    circle_services.cards_keep(owner=member, gathering=past_gathering,
                               entries=[circle_services.CardEntry(user_id=other_member.pk)])
    ContinueWish.objects.create(author=member, target=other_member, gathering=past_gathering,
                                created_at=timezone.now() - timedelta(hours=1))

    data = _my_data(client, member)

    [contact] = data["contacts"]
    assert contact["name"] == other_member.get_full_name() and "user_id" not in contact
    [wish] = data["continue_wishes"]
    assert "target_id" not in wish and wish["target"] == other_member.get_full_name()
    text = json.dumps(data)
    assert f'"user_id": {other_member.pk}' not in text and f'"target_id": {other_member.pk}' not in text


def test_my_data_holds_nothing_of_another_members_journey(member, other_member, journey_of):
    from tablee.journey import services as journey_services

    journey_services.pacing_update(user=other_member, weekly_cap=7)

    data = json.loads(json.dumps(me_export(owner=other_member)))

    assert data["intentions"] == [] and data["reflections"] == [] and data["shares"] == []
    assert data["pacing"] == [{"weekly_cap": 7}]
