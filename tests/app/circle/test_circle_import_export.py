from __future__ import annotations

import json
from pathlib import Path

import pytest
import vobject

from tablee.circle import services
from tablee.circle.exports import me_export, vcard_export
from tablee.circle.models import Contact, Note

FIXTURES = Path(__file__).parent / "fixtures"

# file, kind, created, contacts expected by email
EXPECTED = [
    ("apple_contacts.vcf", "vcard", 3, {"genevieve.tremblay@desjardins-lab.example", "minh.nguyen@clinique.example",
                                        "jf.cote@example.org"}),
    ("google_contacts.vcf", "vcard", 2, {"amelie@bouchard-conseil.example", "dobrien@example.com"}),
    ("outlook_contacts.vcf", "vcard", 2, {"sebastien.belanger@levis.example", "karen@wright-partners.example"}),
    ("vcard4.vcf", "vcard", 2, {"elodie.gagne@ulaval.example", "tom.becker@example.com"}),
    ("Connections.csv", "linkedin", 3, {"catherine.lavoie@example.org", "", "sarah.khan@example.com"}),
    ("google_contacts.csv", "google", 2, {"isabelle.fortin@fondation.example", "patrick.morin@example.org"}),
    ("google_contacts_old.csv", "google", 1, {"lucie.roy@chu.example"}),
]


@pytest.mark.parametrize(("name", "kind", "created", "emails"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_each_client_file_imports_all_its_contacts(member, name, kind, created, emails):
    result = services.contacts_import(owner=member, data=(FIXTURES / name).read_bytes())

    assert (result.kind, result.created, result.updated, result.errors) == (kind, created, 0, [])
    assert set(Contact.objects.filter(owner=member).values_list("email", flat=True)) == emails


def test_apple_folded_notes_phonetics_and_photos(member):
    services.contacts_import(owner=member, data=(FIXTURES / "apple_contacts.vcf").read_bytes())
    genevieve = Contact.objects.get(email="genevieve.tremblay@desjardins-lab.example")
    assert (genevieve.name, genevieve.organization, genevieve.pronunciation) == (
        "Geneviève Tremblay", "Desjardins Lab", "Jenn-vi-èv")
    assert Note.objects.get(contact=genevieve).text.endswith("finance solidaire dans Chaudière-Appalaches.")


def test_outlook_windows_1252_and_quoted_printable(member):
    services.contacts_import(owner=member, data=(FIXTURES / "outlook_contacts.vcf").read_bytes())
    sebastien = Contact.objects.get(email="sebastien.belanger@levis.example")
    assert sebastien.name == "Sébastien Bélanger" and sebastien.organization == "Ville de Lévis"
    assert Note.objects.get(contact=sebastien).text == (
        "Rencontré au déjeuner de la Chambre. Veut un suivi sur le programme d'accélération.")


def test_vcard4_language_is_kept(member):
    services.contacts_import(owner=member, data=(FIXTURES / "vcard4.vcf").read_bytes())
    assert dict(Contact.objects.values_list("name", "language")) == {"Élodie Gagné": "fr-ca", "Tom Becker": "en"}


def test_a_bad_entry_imports_nothing_and_names_each_line(member):
    result = services.contacts_import(owner=member, data=(FIXTURES / "bad_contacts.vcf").read_bytes())
    assert result.created == 0
    assert result.errors == [(6, "Courriel invalide\u00a0: pas-un-courriel"), (11, "Ni nom ni courriel.")]
    assert not Contact.objects.exists()


def test_importing_twice_updates_instead_of_duplicating(member):
    data = (FIXTURES / "Connections.csv").read_bytes()
    services.contacts_import(owner=member, data=data)
    again = services.contacts_import(owner=member, data=data)
    assert (again.created, again.updated) == (0, 3)
    assert Contact.objects.filter(owner=member).count() == 3


def test_the_vcard_export_is_3_0_by_default_and_4_0_on_request_and_reads_back(member, client):
    services.contacts_import(owner=member, data=(FIXTURES / "apple_contacts.vcf").read_bytes())
    assert [c.version.value for c in vobject.readComponents(vcard_export(owner=member))] == ["3.0"] * 3
    client.force_login(member)
    assert b"".join(client.get("/circle/export.vcf").streaming_content).decode().count("VERSION:3.0") == 3
    assert b"".join(client.get("/circle/export.vcf?version=4.0").streaming_content).decode().count("VERSION:4.0") == 3
    text = vcard_export(owner=member, version="4.0")
    cards = list(vobject.readComponents(text))
    assert [c.version.value for c in cards] == ["4.0"] * 3
    assert {c.fn.value for c in cards} == {"Geneviève Tremblay", "Minh Nguyen", "Jean-François Côté"}
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_my_json_export_holds_my_data_and_nobody_elses(member, other_member):
    services.contact_create(owner=member, name="Mon contact")
    services.contact_create(owner=other_member, name="Contact de Samuel")
    data = json.loads(json.dumps(me_export(owner=member)))
    assert data["me"]["email"] == member.email
    assert [c["name"] for c in data["contacts"]] == ["Mon contact"]


def test_a_name_with_a_bare_cr_or_a_semicolon_cannot_inject_properties(member):
    contact = services.contact_create(owner=member, name="Eve\rEMAIL:pirate@example.com;X", email="eve@example.org")
    services.note_add(owner=member, contact=contact, text="Ligne 1\r\nLigne 2; suite")
    for version in ("3.0", "4.0"):
        text = vcard_export(owner=member, version=version)
        [card] = list(vobject.readComponents(text))
        assert [e.value for e in card.contents["email"]] == ["eve@example.org"]
        assert card.fn.value == "Eve\nEMAIL:pirate@example.com;X"
        assert card.note.value == "Ligne 1\nLigne 2; suite"
        assert "\r\nEMAIL:pirate" not in text


@pytest.mark.parametrize("language,filename", [("fr-ca", "tablee-mes-donnees.json"), ("en", "tablee-my-data.json")])
def test_my_data_file_is_named_in_my_language(client, member, language, filename):
    from django.urls import reverse

    from tablee.members.models import Profile

    Profile.objects.filter(user=member).update(preferred_language=language)
    client.force_login(member)

    response = client.get(reverse("circle:my_export"))

    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
