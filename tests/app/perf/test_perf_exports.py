"""Exports stream: the response is written a chunk at a time and says the same as the whole export."""

from __future__ import annotations

import json


def _contacts(member, n):
    from tablee.circle.models import Contact, Note

    for i in range(n):
        contact = Contact.objects.create(owner=member, name=f"Personne {i:03d}", email=f"p{i}@example.org",
                                         organization="Coop « Été »")
        Note.objects.create(owner=member, contact=contact, text=f"note {i}\nsur deux lignes")


def test_streamed_json_export_is_the_whole_export(member, other_member):
    from tablee.circle.exports import me_export, me_export_stream

    _contacts(member, 30)
    _contacts(other_member, 2)
    streamed = json.loads("".join(me_export_stream(owner=member)))
    assert streamed == json.loads(json.dumps(me_export(owner=member)))
    assert len(streamed["contacts"]) == 30 and len(streamed["notes"]) == 30


def test_export_endpoints_stream(api, client, member):
    _contacts(member, 5)
    for response in (api.get("/api/contacts/export.vcf", user=member), api.get("/api/me/export.json", user=member)):
        assert response.status_code == 200 and response.streaming
    client.force_login(member)
    vcf = client.get("/circle/export.vcf")
    assert vcf.streaming
    assert b"".join(vcf.streaming_content).count(b"BEGIN:VCARD") == 5
    data = json.loads(b"".join(client.get("/circle/my-data.json").streaming_content))
    assert [c["name"] for c in data["contacts"]] == [f"Personne {i:03d}" for i in range(5)]
