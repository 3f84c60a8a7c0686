"""What an import keeps beyond the first email (other emails, numbers, the structured name) is shown,
answered by the API, kept by a merge, and dropped from N when the name is changed by hand."""

from __future__ import annotations

from pathlib import Path

from tablee.circle import services
from tablee.circle.exports import vcard_export
from tablee.circle.models import Contact

CORPUS = Path(__file__).parents[2] / "data" / "contacts"


def _import(member, name):
    services.contacts_import(owner=member, data=(CORPUS / name).read_bytes())


def test_the_api_and_the_page_show_the_other_emails_and_numbers(api, client, member):
    _import(member, "google_old_multi.csv")
    taro = Contact.objects.get(email="taro.yamada@example.jp")

    answer = api.get(f"/api/contacts/{taro.pk}", user=member).json()
    assert (answer["extra_emails"], answer["extra_phones"]) == (["yamada@home.example.jp"], ["03-1234-5678"])
    client.force_login(member)
    page = client.get(f"/circle/contacts/{taro.pk}/").content.decode()
    assert "yamada@home.example.jp" in page and "03-1234-5678" in page


def test_renaming_by_hand_drops_the_imported_structured_name(member):
    _import(member, "google_new_multi.csv")
    timo = Contact.objects.get(email="timo@veen.example")
    assert "N:van der Veen;Timo;;;" in vcard_export(owner=member)

    services.contact_update(owner=member, contact=timo, name="Timo Smit")

    timo.refresh_from_db()
    assert timo.name_parts == []
    assert "N:Smit;Timo;;;" in vcard_export(owner=member)


def test_a_merge_keeps_every_address_and_number(member):
    keep = services.contact_create(owner=member, name="Lucie Roy", email="lucie.roy@chu.example")
    other = services.contact_create(owner=member, name="Lucie Roy", email="lroy@courriel.example", phone="418 555-0100")
    Contact.objects.filter(pk=other.pk).update(extra_emails=["lucie@maison.example"], name_parts=["Roy", "Lucie", "", "", ""])
    other.refresh_from_db()

    services.contact_merge(owner=member, keep=keep, others=[other])

    keep.refresh_from_db()
    assert keep.email == "lucie.roy@chu.example"
    assert keep.extra_emails == ["lroy@courriel.example", "lucie@maison.example"]
    assert (keep.phone, keep.name_parts) == ("418 555-0100", ["Roy", "Lucie", "", "", ""])
