"""No input gives a 5xx, on the API or the page: odd files are refused with a line and a reason in
the user's words, or imported with warnings. All or nothing holds."""

from __future__ import annotations

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tablee.circle import services
from tablee.circle.models import Contact

_rng = random.Random(16)
HOSTILE = {
    "empty": b"",
    "nul_bytes": b"\x00" * 64,
    "random_bytes": bytes(_rng.randrange(256) for _ in range(2048)),
    "utf16_vcard": "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoé Côté\r\nEND:VCARD\r\n".encode("utf-16"),
    "utf16_without_bom_odd": b"\xff\xfeB\x00E\x00G",
    "no_end": b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sans Fin\r\n",
    "nested_agent": b"BEGIN:VCARD\nVERSION:2.1\nFN:Chef\nAGENT:\nBEGIN:VCARD\nFN:Adjoint\nEND:VCARD\nEND:VCARD\n",
    "long_email": b"BEGIN:VCARD\nFN:X\nEMAIL:" + b"a" * 64 + b"@" + b"b" * 250 + b".example\nEND:VCARD\n",
    "long_everything": b"BEGIN:VCARD\nFN:" + b"N" * 5000 + b"\nORG:" + b"O" * 5000 + b"\nTEL:" + b"1" * 500
    + b"\nTITLE:" + b"T" * 5000 + b"\nEND:VCARD\n",
    "bad_qp": b"BEGIN:VCARD\nVERSION:2.1\nFN;ENCODING=QUOTED-PRINTABLE;CHARSET=NO-SUCH-CHARSET:=FF=FE=\n=ZZ\nEND:VCARD\n",
    "qp_never_ends": b"BEGIN:VCARD\nVERSION:2.1\nNOTE;QUOTED-PRINTABLE:a=\n",
    "colon_less_lines": b"BEGIN:VCARD\nFN:Ok\nthis is not a property\n;;;\nEND:VCARD\n",
    "params_only": b"BEGIN:VCARD\nFN;;;=;\"unterminated:Valeur\nEND:VCARD\n",
    "linkedin_unclosed_quote": b'First Name,Last Name,URL,Email Address,Company,Position,Connected On\nA,"B,,,,,01 Jan 2020\n',
    "linkedin_only_hidden": b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n,,,,,,01 Jan 2020\n",
    "google_header_only": b"Name,Given Name,E-mail 1 - Value\n",
    "csv_ragged": b"First Name,Last Name\nA\nB,C,D,E,F\n",
    "lone_cr_everywhere": b"BEGIN:VCARD\rVERSION:3.0\rFN:Vieux Mac\rEMAIL:vieux@mac.example\rEND:VCARD\r",
    "mac_roman_bytes": b"BEGIN:VCARD\nFN:R\x8emi C\x99t\x8e\nEND:VCARD\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_no_input_gives_a_5xx_on_the_api(api, member, name):
    answer = api.upload("/api/contacts/import", "contacts.vcf", HOSTILE[name], user=member)
    assert answer.status_code in (200, 422), answer.content[:300]
    body = answer.json()
    for problem in body["errors"] + body["warnings"]:
        assert problem["line"] >= 1 and problem["reason"]
        assert "codec" not in problem["reason"] and "\x00" not in problem["reason"]
    if body["errors"]:
        assert not Contact.objects.filter(owner=member).exists()


@pytest.mark.parametrize("name", ["random_bytes", "utf16_vcard", "linkedin_unclosed_quote", "bad_qp", "long_email"])
def test_no_input_gives_a_5xx_on_the_page(client, member, name):
    client.force_login(member)
    page = client.post("/circle/import/", {"file": SimpleUploadedFile("contacts.vcf", HOSTILE[name])})
    assert page.status_code == 200


def test_utf16_with_a_bom_imports(member):
    result = services.contacts_import(owner=member, data=HOSTILE["utf16_vcard"])
    assert (result.errors, result.created) == ([], 1)
    assert Contact.objects.get(owner=member).name == "Zoé Côté"


def test_lone_carriage_returns_are_line_breaks(member):
    result = services.contacts_import(owner=member, data=HOSTILE["lone_cr_everywhere"])
    assert (result.errors, result.created) == ([], 1)
    assert Contact.objects.get(owner=member).email == "vieux@mac.example"


def test_a_card_that_cannot_be_read_refuses_the_file_naming_its_line(member):
    result = services.contacts_import(owner=member, data=HOSTILE["no_end"])
    assert result.errors == [(1, "vCard sans END:VCARD.")]


def test_an_address_too_long_to_keep_is_an_error_not_a_crash(member):
    result = services.contacts_import(owner=member, data=HOSTILE["long_email"])
    assert result.created == 0 and result.errors and result.errors[0][0] == 1


def test_the_page_shows_the_warnings_after_an_import(client, member):
    client.force_login(member)
    data = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\nA,B,,,,,01 Jan 2020\n,,,,,,02 Jan 2020\n"
    page = client.post("/circle/import/", {"file": SimpleUploadedFile("Connections.csv", data)})
    text = page.content.decode()
    assert "1\u00a0contact créé, 0\u00a0mis à jour." in text  # its plural, French rule
    assert "Ligne 3\u00a0: 1\u00a0relation au profil masqué ignorée" in text


def test_the_text_limit_does_not_count_photos(member):
    photo = b"PHOTO;ENCODING=b;TYPE=JPEG:" + b"A" * (6 * 1024 * 1024) + b"\n"
    data = b"BEGIN:VCARD\nVERSION:3.0\nFN:Grosse Photo\n" + photo + b"END:VCARD\n"
    result = services.contacts_import(owner=member, data=data)
    assert (result.errors, result.created) == ([], 1)
