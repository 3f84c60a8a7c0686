from __future__ import annotations

import json
from pathlib import Path

import pytest

from tablee.circle import services
from tablee.circle.models import Card, Contact, FollowUp, Note
from tablee.outbox.models import Email


def _body(response) -> bytes:
    """The bytes of a response, streamed (exports) or not."""
    return b"".join(response.streaming_content) if response.streaming else response.content

FIXTURES = Path(__file__).parent / "fixtures"


def test_post_cards_keeps_attendees_and_new_emails(api, member, past_gathering, table_mates):
    mate = table_mates[0]
    response = api.post(f"/api/gatherings/{past_gathering.pk}/cards", {
        "emails": [mate.email, "nouvelle@example.com"], "notes": {mate.email: "le projet de coop"}}, user=member)

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["budget"], body["kept"]) == (3, 2)
    assert Card.objects.get(contact__user=mate).note == "le projet de coop"
    assert Contact.objects.get(email="nouvelle@example.com").user is None
    assert FollowUp.objects.filter(owner=member).count() == 2


def test_post_cards_beyond_the_budget_is_422_with_the_reason(api, member, past_gathering, table_mates):
    response = api.post(f"/api/gatherings/{past_gathering.pk}/cards",
                        {"emails": [p.email for p in table_mates[:4]]}, user=member)
    assert response.status_code == 422
    assert "Peu, mais mieux" in response.json()["detail"]
    assert not Card.objects.exists()


def test_post_cards_for_a_gathering_i_did_not_attend_is_refused(api, outsider, past_gathering, table_mates):
    response = api.post(f"/api/gatherings/{past_gathering.pk}/cards", {"emails": [table_mates[0].email]}, user=outsider)
    assert response.status_code == 404
    assert not Card.objects.exists()


def test_followups_list_send_twice_and_one_email(api, member, past_gathering, table_mates,
                                                 django_capture_on_commit_callbacks):
    api.post(f"/api/gatherings/{past_gathering.pk}/cards", {"emails": [table_mates[0].email],
                                                            "topics": {table_mates[0].email: "la voile"},
                                                            "notes": {table_mates[0].email: "hésitant"}}, user=member)
    [item] = api.get("/api/followups", user=member).json()
    assert item["status"] == "pending" and "J'ai repensé à notre conversation sur la voile." in item["body"]
    assert "hésitant" not in item["body"]
    assert item["mailto"].startswith(f"mailto:{table_mates[0].email}?subject=")

    with django_capture_on_commit_callbacks(execute=False):
        first = api.post(f"/api/followups/{item['id']}/send", {"subject": "Suite", "body": item["body"]}, user=member)
        second = api.post(f"/api/followups/{item['id']}/send", {"subject": "Suite", "body": item["body"]}, user=member)
    assert first.status_code == second.status_code == 202
    assert first.json()["key"] == second.json()["key"] == f"followup:{item['id']}"
    assert Email.objects.count() == 1


def test_continue_is_mutual_only_when_both_ask(api, member, other_member, past_gathering, table_mates):
    path = f"/api/gatherings/{past_gathering.pk}/continue"
    assert api.post(path, {"email": other_member.email}, user=member).json() == {"mutual": False}
    assert api.post(path, {"email": member.email}, user=other_member).json() == {"mutual": True}


def test_continue_names_the_other_attendee_by_id_and_never_tells_whether_an_address_exists(
        api, member, other_member, outsider, past_gathering, table_mates):
    path = f"/api/gatherings/{past_gathering.pk}/continue"

    unknown = api.post(path, {"email": "personne@example.org"}, user=member)
    absent = api.post(path, {"email": outsider.email}, user=member)
    assert unknown.status_code == absent.status_code == 422 and unknown.content == absent.content
    assert api.post(path, {"user_id": other_member.pk}, user=member).json() == {"mutual": False}
    assert api.post(path, {"user_id": member.pk}, user=other_member).json() == {"mutual": True}


def test_contact_crud_and_notes(api, member):
    created = api.post("/api/contacts", {"name": "Julie Roy", "email": "julie@example.org", "tier": "close"}, user=member)
    assert created.status_code == 201
    contact_id = created.json()["id"]
    patched = api.patch(f"/api/contacts/{contact_id}", {"organization": "Desjardins"}, user=member)
    assert patched.json()["organization"] == "Desjardins" and patched.json()["tier"] == "close"
    note = api.post(f"/api/contacts/{contact_id}/notes", {"text": "**vélo** <img src=x onerror=alert(1)>"}, user=member)
    assert note.status_code == 201 and "<strong>vélo</strong>" in note.json()["html"] and "onerror" not in note.json()["html"]
    assert [c["name"] for c in api.get("/api/contacts", user=member).json()] == ["Julie Roy"]
    assert api.delete(f"/api/contacts/{contact_id}", user=member).status_code == 204
    assert not Contact.objects.exists() and not Note.objects.exists()


def test_a_full_tier_answers_409_naming_who_could_move_out(api, member):
    for n in range(5):
        api.post("/api/contacts", {"name": f"Proche {n}", "tier": "close"}, user=member)
    response = api.post("/api/contacts", {"name": "Sixième", "tier": "close"}, user=member)
    assert response.status_code == 409 and "Proche 0" in response.json()["detail"]


def test_import_returns_counts_and_line_errors(api, member):
    ok = api.upload("/api/contacts/import", "Connections.csv", (FIXTURES / "Connections.csv").read_bytes(), user=member)
    assert ok.status_code == 200 and ok.json() == {"kind": "linkedin", "created": 3, "updated": 0, "errors": [],
                                                   "warnings": []}
    bad = api.upload("/api/contacts/import", "bad.vcf", (FIXTURES / "bad_contacts.vcf").read_bytes(), user=member)
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"line": 6, "reason": "Courriel invalide\u00a0: pas-un-courriel"},
                                    {"line": 11, "reason": "Ni nom ni courriel."}]


def test_exports(api, member):
    api.post("/api/contacts", {"name": "Julie Roy", "email": "julie@example.org"}, user=member)
    vcf = api.get("/api/contacts/export.vcf", user=member)
    assert vcf["Content-Type"].startswith("text/vcard") and b"FN:Julie Roy" in _body(vcf)
    assert json.loads(_body(api.get("/api/me/export.json", user=member)))["contacts"][0]["name"] == "Julie Roy"


# --- privacy matrix: me, another member, an organizer of my association, anonymous ----------------


@pytest.fixture
def my_data(member, past_gathering, table_mates):
    [card] = services.cards_keep(owner=member, gathering=past_gathering, entries=[
        services.CardEntry(email=table_mates[0].email, note="SECRET-CARTE")])
    services.note_add(owner=member, contact=card.contact, text="SECRET-NOTE")
    services.promise_create(owner=member, contact=card.contact, text="SECRET-PROMESSE")
    return {"contact": card.contact, "followup": FollowUp.objects.get(card=card)}


SECRETS = (b"SECRET-CARTE", b"SECRET-NOTE", b"SECRET-PROMESSE")


@pytest.mark.parametrize("persona", ["other_member", "organizer", "anonymous"])
def test_nobody_else_reads_or_changes_my_circle_through_the_api(request, api, my_data, persona):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    contact, followup = my_data["contact"], my_data["followup"]
    expected = 401 if user is None else 404
    calls = [
        api.get(f"/api/contacts/{contact.pk}", user=user),
        api.patch(f"/api/contacts/{contact.pk}", {"name": "pirate"}, user=user),
        api.delete(f"/api/contacts/{contact.pk}", user=user),
        api.post(f"/api/contacts/{contact.pk}/notes", {"text": "pirate"}, user=user),
        api.post(f"/api/followups/{followup.pk}/send", {"subject": "x", "body": "y"}, user=user),
    ]
    assert [c.status_code for c in calls] == [expected] * len(calls)
    for path in ("/api/contacts", "/api/followups", "/api/contacts/export.vcf", "/api/me/export.json"):
        response = api.get(path, user=user)
        assert response.status_code == (401 if user is None else 200)
        body = _body(response)
        assert not any(secret in body for secret in SECRETS), path
        assert contact.email.encode() not in body or user is not None and user.email == contact.email
    contact.refresh_from_db()
    assert contact.name != "pirate" and Note.objects.count() == 1 and not Email.objects.exists()


def test_i_read_my_own_circle_through_the_api(api, member, my_data):
    assert api.get(f"/api/contacts/{my_data['contact'].pk}", user=member).status_code == 200
    export = _body(api.get("/api/me/export.json", user=member))
    assert all(secret in export for secret in SECRETS)


@pytest.mark.parametrize("persona", ["other_member", "organizer", "anonymous"])
def test_nobody_else_sees_my_circle_pages(request, client, member, my_data, past_gathering, persona):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    if user is not None:
        client.force_login(user)
    contact, followup = my_data["contact"], my_data["followup"]
    for path in (f"/circle/contacts/{contact.pk}/", f"/followups/{followup.pk}/"):
        response = client.get(path)
        assert response.status_code == (302 if user is None else 404), path
    for path in ("/circle/", "/followups/", f"/gatherings/{past_gathering.pk}/cards/", "/circle/export.vcf",
                 "/circle/my-data.json"):
        response = client.get(path)
        assert response.status_code in ((302,) if user is None else (200,)), path
        assert not any(secret in _body(response) for secret in SECRETS), path
    post = client.post(f"/circle/contacts/{contact.pk}/", {"action": "delete"})
    assert post.status_code == (302 if user is None else 404)
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_organizer_pages_of_my_association_show_none_of_my_notes(client, organizer, my_data, past_gathering, association):
    client.force_login(organizer)
    for path in (f"/organize/associations/{association.slug}/", f"/organize/gatherings/{past_gathering.pk}/attendees/",
                 f"/organize/gatherings/{past_gathering.pk}/attendees.csv"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not any(secret in response.content for secret in SECRETS), path


def test_my_pages_show_my_circle(client, member, my_data):
    client.force_login(member)
    page = client.get(f"/circle/contacts/{my_data['contact'].pk}/")
    assert b"SECRET-NOTE" in page.content and b"SECRET-PROMESSE" in page.content
    assert b"SECRET-CARTE" in page.content  # my card note, on my own contact page
    followups = client.get(f"/followups/{my_data['followup'].pk}/")
    assert b"SECRET-CARTE" in followups.content


def test_my_budget_page_setting_and_json_export(client, member):
    client.force_login(member)
    client.post("/circle/budget/", {"card_budget": "5"})
    assert client.get("/circle/").context["budget"] == 5
    client.post("/circle/budget/", {"card_budget": "9"})
    assert client.get("/circle/").context["budget"] == 5
    export = client.get("/circle/my-data.json")
    assert json.loads(_body(export))["me"]["email"] == member.email


def test_circle_pages_speak_english_when_asked(client, member):
    member.profile.preferred_language = "en"
    member.profile.save()
    client.force_login(member)
    page = client.get("/followups/", HTTP_ACCEPT_LANGUAGE="en")
    assert b"Follow-ups" in page.content and b"My circle" in page.content
