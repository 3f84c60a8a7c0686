"""`POST /api/contacts/import?dry_run=true` and the import page's « Vérifier sans importer »: the same
preview (new, updated, unchanged, bad lines, each update before → after), and nothing written —
no contact, no note, no job — whatever the file's size. The real import then does what was shown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tablee.circle import services
from tablee.circle.import_preview import contacts_import_preview
from tablee.circle.models import Contact, Note
from tablee.jobs.models import Job
from tablee.jobs.services import INLINE_MAX_ROWS

FIXTURES = Path(__file__).parent / "fixtures"

API = "/api/contacts/import"

# Line 1 the header. Julie exists without a phone and a structured name (filled); Paul exists with
# everything the file has (unchanged); Léa is new, twice (the second time she matches the first); Marc exists and
# gains a note and a second address.
CSV = (
    "Given Name,Family Name,E-mail 1 - Value,Phone 1 - Value,Organization 1 - Name,Notes\n"
    "Julie,Roy,julie@example.org,514-555-0101,Coop Laval,\n"
    "Paul,Gagnon,paul@example.org,,Port de Québec,\n"
    "Léa,Martin,lea@example.org,,Studio Léa,\n"
    "Léa,Martin,lea@example.org,418-555-0199,,\n"
    "Marc,Ouellet,marc@example.org ::: marc.o@example.net,,,Rencontré au port\n"
).encode()


@pytest.fixture
def circle(member):
    services.contact_create(owner=member, name="Julie Roy", email="julie@example.org", organization="Coop Laval")
    paul = services.contact_create(owner=member, name="Paul Gagnon", email="paul@example.org",
                                   organization="Port de Québec")
    Contact.objects.filter(pk=paul.pk).update(name_parts=["Gagnon", "Paul", "", "", ""])
    services.contact_create(owner=member, name="Marc Ouellet", email="MARC@example.org")
    return member


def _state(owner) -> list:
    contacts = list(Contact.objects.filter(owner=owner).order_by("pk").values_list(
        "pk", "name", "email", "phone", "organization", "extra_emails", "updated_at"))
    notes = list(Note.objects.filter(owner=owner).values_list("pk", "text"))
    return [contacts, notes, Job.objects.count()]


def test_a_dry_run_writes_nothing_and_says_what_the_import_would_do(api, circle):
    before = _state(circle)

    response = api.upload(f"{API}?dry_run=true", "contacts.csv", CSV, user=circle)

    assert response.status_code == 200
    body = response.json()
    assert _state(circle) == before
    assert (body["dry_run"], body["kind"], body["created"], body["updated"], body["unchanged"]) == (
        True, "google", 1, 3, 1)
    assert body["errors"] == []
    changes = {row["line"]: {c["field"]: (c["before"], c["after"]) for c in row["changes"]} for row in body["rows"]}
    assert changes == {
        2: {"phone": ("", "514-555-0101"), "name_parts": ([], ["Roy", "Julie", "", "", ""])},
        5: {"phone": ("", "418-555-0199")},  # Léa of line 4, completed by line 5
        6: {"name_parts": ([], ["Ouellet", "Marc", "", "", ""]), "extra_emails": ([], ["marc.o@example.net"]),
            "note": ("", "Rencontré au port")},
    }
    assert all(row["action"] == "update" for row in body["rows"])


def test_the_import_then_does_what_the_dry_run_showed(api, circle):
    preview = api.upload(f"{API}?dry_run=true", "contacts.csv", CSV, user=circle).json()

    done = api.upload(API, "contacts.csv", CSV, user=circle).json()

    assert done["created"] == preview["created"]
    assert done["updated"] == preview["updated"] + preview["unchanged"]  # the import's own count, unchanged
    for row in preview["rows"]:
        contact = Contact.objects.get(owner=circle, email__iexact=row["email"])
        for change in row["changes"]:
            if change["field"] == "note":
                assert contact.notes.filter(text=change["after"]).exists()
            else:
                assert getattr(contact, change["field"]) == change["after"]
    # Imported: the same file again brings nothing new.
    again = api.upload(f"{API}?dry_run=true", "contacts.csv", CSV, user=circle).json()
    assert (again["created"], again["updated"], again["unchanged"], again["rows"]) == (0, 0, 5, [])


def test_a_dry_run_of_a_bad_file_lists_every_bad_line_and_writes_nothing(api, member):
    data = (FIXTURES / "bad_contacts.vcf").read_bytes()
    real = api.upload(API, "bad.vcf", data, user=member)

    response = api.upload(f"{API}?dry_run=true", "bad.vcf", data, user=member)

    assert response.status_code == 422 == real.status_code
    assert response.json()["errors"] == real.json()["errors"] == [
        {"line": 6, "reason": "Courriel invalide : pas-un-courriel"}, {"line": 11, "reason": "Ni nom ni courriel."}]
    assert (response.json()["created"], response.json()["rows"]) == (0, [])
    assert not Contact.objects.filter(owner=member).exists()


def test_a_dry_run_of_a_big_file_queues_no_job_and_answers_now(api, member):
    rows = "".join(f"Personne{i},Test,p{i}@example.org,,,\n" for i in range(INLINE_MAX_ROWS + 20))
    data = ("Given Name,Family Name,E-mail 1 - Value,Phone 1 - Value,Organization 1 - Name,Notes\n" + rows).encode()

    response = api.upload(f"{API}?dry_run=true", "big.csv", data, user=member)

    assert response.status_code == 200
    assert response.json()["created"] == INLINE_MAX_ROWS + 20
    assert Job.objects.count() == 0 and not Contact.objects.exists()
    # Without dry_run the same file still goes to the worker: the contract is unchanged.
    assert api.upload(API, "big.csv", data, user=member).status_code == 202


def test_without_dry_run_the_answer_is_the_one_clients_know(api, member):
    response = api.upload(f"{API}?dry_run=false", "Connections.csv",
                          (FIXTURES / "Connections.csv").read_bytes(), user=member)

    assert response.status_code == 200
    assert response.json() == {"kind": "linkedin", "created": 3, "updated": 0, "errors": [], "warnings": []}


def test_a_dry_run_sees_only_my_own_circle(api, circle, other_member):
    """Samuel has no contacts: Julie, Paul and Marc are new to him, and Marie's values are not shown."""
    response = api.upload(f"{API}?dry_run=true", "contacts.csv", CSV, user=other_member).json()

    assert (response["created"], response["updated"], response["unchanged"]) == (4, 1, 0)
    assert "Coop Laval" not in str(response["rows"])


def test_the_page_shows_the_same_preview_as_the_api_and_writes_nothing(client, api, circle):
    api_preview = api.upload(f"{API}?dry_run=true", "contacts.csv", CSV, user=circle).json()
    before = _state(circle)
    client.force_login(circle)

    page = client.post("/circle/import/", {"file": SimpleUploadedFile("contacts.csv", CSV), "dry_run": "1"})

    html = page.content.decode()
    assert page.status_code == 200 and _state(circle) == before
    summary = re.search(r'data-testid="import-summary">([^<]*)<', html).group(1)
    assert summary.split() == (f"{api_preview['created']} à créer · {api_preview['updated']} à compléter · "
                               f"{api_preview['unchanged']} sans changement").split()
    assert sorted(int(n) for n in re.findall(r'id="changes-(\d+)"', html)) == [r["line"] for r in api_preview["rows"]]
    assert "514-555-0101" in html and "Rencontré au port" in html
    assert "« contacts.csv » : rien n'a été importé" in html


def test_the_preview_of_a_file_with_a_bad_entry_counts_nothing(member):
    data = (FIXTURES / "bad_contacts.vcf").read_bytes()

    preview = contacts_import_preview(owner=member, data=data)

    assert (preview.created, preview.updated, preview.unchanged) == (0, 0, 0)
    assert [line for line, _reason in preview.errors] == [6, 11]


@pytest.mark.parametrize("name", ["apple_contacts.vcf", "google_contacts.csv", "outlook_contacts.vcf", "vcard4.vcf",
                                  "Connections.csv", "google_contacts_old.csv"])
def test_the_preview_matches_the_import_on_real_files_twice(member, name):
    """Each real export imported twice: the preview before each import counts what it then does."""
    data = (FIXTURES / name).read_bytes()
    for _time in range(2):
        preview = contacts_import_preview(owner=member, data=data)
        result = services.contacts_import(owner=member, data=data)
        assert (preview.created, preview.updated + preview.unchanged, preview.errors) == (
            result.created, result.updated, result.errors), name
