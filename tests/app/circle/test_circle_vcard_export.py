"""The vCard export as an address book reads it: notes in plain words (no Markdown marks), line
breaks and separators escaped; N split into family and given names when Tablée knows them, else the
name typed by hand split as address books expect it (the family name last, « Nom, Prénom » at its comma,
a family-name-first name kept so)."""

from __future__ import annotations

import vobject

from tablee.circle import services
from tablee.circle.exports import vcard_export


def _card(member, version="3.0"):
    [card] = list(vobject.readComponents(vcard_export(owner=member, version=version)))
    return card


def test_a_markdown_note_is_exported_as_plain_text_with_its_line_breaks(member):
    contact = services.contact_create(owner=member, name="Lucie Roy")
    services.note_add(owner=member, contact=contact, text=(
        "**Très** _bonne_ rencontre; à revoir.\nParle de [son projet](https://exemple.org).\n\n"
        "- financement\n- mentorat\n\n### Suivi\n`appeler` lundi"))

    for version in ("3.0", "4.0"):
        text = vcard_export(owner=member, version=version)
        assert _card(member, version).note.value == (
            "Très bonne rencontre; à revoir.\nParle de son projet (https://exemple.org).\n\n"
            "- financement\n- mentorat\n\nSuivi\n\nappeler lundi")
        assert "**" not in text and "###" not in text and "](" not in text
        assert "rencontre\\; à revoir.\\nParle" in text


def test_a_note_whose_markdown_holds_a_bare_cr_and_a_property_cannot_inject_one(member):
    contact = services.contact_create(owner=member, name="Eve", email="eve@example.org")
    services.note_add(owner=member, contact=contact, text="*Note*\rEMAIL:pirate@example.com\r\n\r\nTEL:666")

    for version in ("3.0", "4.0"):
        card = _card(member, version)
        assert [e.value for e in card.contents["email"]] == ["eve@example.org"]
        assert "tel" not in card.contents
        assert card.note.value == "Note\nEMAIL:pirate@example.com\n\nTEL:666"


def test_n_holds_the_family_and_given_names_of_the_member_the_contact_is(member, other_member):
    services.contact_create(owner=member, name="Samuel Roy", user=other_member)

    for version in ("3.0", "4.0"):
        name = _card(member, version).n.value
        assert (name.family, name.given) == ("Roy", "Samuel")


def test_a_name_typed_by_hand_is_split_into_given_and_family_names(member, other_member):
    typed = {
        "David Chen": ("Chen", "David", ""),
        "Marie-Ève Côté Tremblay": ("Tremblay", "Marie-Ève", "Côté"),
        "Marie-Ève de la Fontaine": ("de la Fontaine", "Marie-Ève", ""),
        "Timo van der Veen": ("van der Veen", "Timo", ""),
        "Chen, David": ("Chen", "David", ""),
        "Nguyễn Thị Hoa": ("Nguyễn", "Hoa", "Thị"),
        "Madonna": ("Madonna", "", ""),
    }
    for name in typed:
        services.contact_create(owner=member, name=name)
    services.contact_create(owner=member, name="Sam du CA", user=other_member)  # a member renamed by hand
    services.contact_create(owner=member, name="Park Jiwoo", email="jiwoo.park@example.kr")

    for version in ("3.0", "4.0"):
        names = {c.fn.value: c.n.value for c in vobject.readComponents(vcard_export(owner=member, version=version))}
        for name, (family, given, additional) in typed.items():
            assert (names[name].family, names[name].given, names[name].additional) == (family, given, additional), name
        assert (names["Sam du CA"].family, names["Sam du CA"].given) == ("du CA", "Sam")
        assert (names["Park Jiwoo"].family, names["Park Jiwoo"].given) == ("Park", "Jiwoo")
    assert "N:Chen;David;;;\r\n" in vcard_export(owner=member)


def test_a_semicolon_in_a_name_stays_inside_its_slot(member):
    services.contact_create(owner=member, name="Roy; Lucie, Dre")

    card = _card(member)
    assert card.n.value.family == "Roy; Lucie" and card.n.value.given == "Dre"
    assert "N:Roy\\; Lucie;Dre;;;" in vcard_export(owner=member)


def test_the_circle_page_says_the_vcard_carries_my_notes_and_offers_a_file_without_them(client, member, api):
    """The note form promises « Personne d'autre que vous ne la voit »: the export says the file
    holds the notes, and ``?notes=0`` (page and API) gives the same cards without them."""
    contact = services.contact_create(owner=member, name="David Chen", email="david.chen@example.com")
    services.note_add(owner=member, contact=contact, text="Note privée TEST-SECRET-NOTE sur David")
    client.force_login(member)

    page = client.get("/circle/").content.decode()
    with_notes = b"".join(client.get("/circle/export.vcf").streaming_content).decode()
    without = b"".join(client.get("/circle/export.vcf?notes=0").streaming_content).decode()
    api_without = b"".join(api.get("/api/contacts/export.vcf?notes=0", user=member).streaming_content).decode()

    block = page.split('data-testid="vcard-export"')[1].split("</div>")[0]
    assert "Vos notes privées sont incluses dans le fichier." in block and 'href="/circle/export.vcf?notes=0"' in block
    assert "TEST-SECRET-NOTE" in with_notes
    assert "TEST-SECRET-NOTE" not in without and "NOTE:" not in without and "david.chen@example.com" in without
    assert "TEST-SECRET-NOTE" not in api_without and "FN:David Chen" in api_without
