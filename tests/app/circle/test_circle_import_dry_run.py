"""`POST /api/contacts/import?dry_run=true` and the import page's « Vérifier sans importer »: the same
preview (new, updated, unchanged, bad lines, each update before → after), and no contact, no note,
no import written. The file stays with the preview (its owner's alone, an hour, once), whose
« Importer » imports exactly it without choosing it again; a big file is checked by the worker."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tablee.circle import services
from tablee.circle.import_preview import contacts_import_preview
from tablee.circle.models import Contact, Note
from tablee.jobs.models import Job
from tablee.jobs.services import INLINE_MAX_ROWS

FIXTURES = Path(__file__).parent / "fixtures"

API = "/api/contacts/import"


@pytest.fixture
def run_queued(django_capture_on_commit_callbacks):
    """Send, then run the queued jobs the way the worker does (the task, called in-process)."""
    from django_tasks_db.models import DBTaskResult

    def run(send):
        with django_capture_on_commit_callbacks(execute=True):
            response = send()
        for result in DBTaskResult.objects.filter(status="READY", task_path__endswith="run_job"):
            with django_capture_on_commit_callbacks(execute=True):
                result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
            DBTaskResult.objects.filter(pk=result.pk).delete()
        return response

    return run

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
    return [contacts, notes, Job.objects.filter(kind=Job.Kind.CONTACTS_IMPORT).count()]


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
        {"line": 6, "reason": "Courriel invalide\u00a0: pas-un-courriel"}, {"line": 11, "reason": "Ni nom ni courriel."}]
    assert (response.json()["created"], response.json()["rows"]) == (0, [])
    assert not Contact.objects.filter(owner=member).exists()


def _big_csv(extra: int = 20) -> bytes:
    rows = "".join(f"Personne{i},Test,p{i}@example.org,,,\n" for i in range(INLINE_MAX_ROWS + extra))
    return ("Given Name,Family Name,E-mail 1 - Value,Phone 1 - Value,Organization 1 - Name,Notes\n" + rows).encode()


def test_a_dry_run_of_a_big_file_is_checked_by_the_worker_then_imported_without_sending_it_again(
        api, member, run_queued):
    data = _big_csv()

    response = run_queued(lambda: api.upload(f"{API}?dry_run=true", "big.csv", data, user=member))

    assert response.status_code == 202
    job = response.json()
    assert (job["kind"], job["status"]) == ("contacts_preview", "queued")
    assert not Contact.objects.exists()
    polled = api.get(job["url"], user=member).json()  # the worker ran it (run_queued)
    assert (polled["status"], polled["created"], polled["total"]) == ("done", INLINE_MAX_ROWS + 20, INLINE_MAX_ROWS + 20)
    preview = api.get(f"{API}/previews/{job['id']}", user=member)
    assert preview.status_code == 200 and preview.json()["created"] == INLINE_MAX_ROWS + 20
    assert not Contact.objects.exists()
    # The import of exactly that file goes to the worker as a big import does.
    done = run_queued(lambda: api.post(preview.json()["import_url"], {}, user=member))
    assert done.status_code == 202 and done.json()["kind"] == "contacts_import"
    assert Contact.objects.filter(owner=member).count() == INLINE_MAX_ROWS + 20
    assert bytes(Job.objects.get(pk=job["id"]).data) == b""  # the kept file is gone once imported


def test_a_small_dry_run_keeps_the_file_for_one_import_by_its_owner(api, circle):
    preview = api.upload(f"{API}?dry_run=true", "contacts.csv", CSV, user=circle).json()

    done = api.post(preview["import_url"], {}, user=circle)

    assert done.status_code == 200
    assert (done.json()["created"], done.json()["updated"]) == (preview["created"],
                                                                preview["updated"] + preview["unchanged"])
    assert Contact.objects.filter(owner=circle, email="lea@example.org").exists()
    again = api.post(preview["import_url"], {}, user=circle)
    assert again.status_code == 409 and "déjà été importé" in again.json()["detail"]
    assert Contact.objects.filter(owner=circle, email="lea@example.org").count() == 1


def test_an_expired_preview_imports_nothing_and_says_to_start_again(api, circle):
    preview = api.upload(f"{API}?dry_run=true", "contacts.csv", CSV, user=circle).json()
    Job.objects.filter(pk=preview["preview_id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    before = _state(circle)

    response = api.post(preview["import_url"], {}, user=circle)

    assert response.status_code == 410 and "expiré" in response.json()["detail"]
    assert _state(circle) == before


def test_the_tick_empties_the_files_of_expired_previews_only(api, circle):
    from tablee.jobs.services import previews_purge

    old = api.upload(f"{API}?dry_run=true", "contacts.csv", CSV, user=circle).json()["preview_id"]
    fresh = api.upload(f"{API}?dry_run=true", "contacts.csv", CSV, user=circle).json()["preview_id"]
    Job.objects.filter(pk=old).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert previews_purge() == 1

    assert bytes(Job.objects.get(pk=old).data) == b"" and bytes(Job.objects.get(pk=fresh).data) == CSV


def test_a_preview_with_errors_keeps_no_file_and_cannot_be_imported(api, member):
    data = (FIXTURES / "bad_contacts.vcf").read_bytes()
    preview = api.upload(f"{API}?dry_run=true", "bad.vcf", data, user=member).json()

    response = api.post(preview["import_url"], {}, user=member)

    assert response.status_code == 422
    assert bytes(Job.objects.get(pk=preview["preview_id"]).data) == b""
    assert not Contact.objects.filter(owner=member).exists()


def test_someone_elses_preview_does_not_exist_for_me(api, client, circle, other_member, organizer):
    preview = api.upload(f"{API}?dry_run=true", "contacts.csv", CSV, user=circle).json()
    for someone in (other_member, organizer):
        assert api.get(f"{API}/previews/{preview['preview_id']}", user=someone).status_code == 404
        assert api.post(preview["import_url"], {}, user=someone).status_code == 404
        client.force_login(someone)
        assert client.get(f"/circle/import/preview/{preview['preview_id']}/").status_code == 404
        assert client.post(f"/circle/import/preview/{preview['preview_id']}/import/").status_code == 404
    assert not Contact.objects.filter(owner__in=[other_member, organizer]).exists()
    assert Job.objects.get(pk=preview["preview_id"]).used_at is None


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

    sent = client.post("/circle/import/", {"file": SimpleUploadedFile("contacts.csv", CSV), "dry_run": "1"})
    page = client.get(sent["Location"])

    html = page.content.decode()
    assert page.status_code == 200 and _state(circle) == before
    summary = re.search(r'data-testid="import-summary">([^<]*)<', html).group(1)
    assert summary == ("1\u00a0contact sera créé, 3\u00a0contacts de votre cercle seront complétés et 1\u00a0contact est déjà "
                       "à jour.")
    assert (api_preview["created"], api_preview["updated"], api_preview["unchanged"]) == (1, 3, 1)
    assert sorted(int(n) for n in re.findall(r'id="changes-(\d+)"', html)) == [r["line"] for r in api_preview["rows"]]
    assert "514-555-0101" in html and "Rencontré au port" in html
    assert "«\u00a0contacts.csv\u00a0»\u00a0: rien n'a encore été importé" in html
    assert "Ce qui sera fait" not in html and "nouveau contact" in html


def test_the_preview_pages_import_button_imports_the_kept_file_without_choosing_it_again(client, circle):
    client.force_login(circle)
    sent = client.post("/circle/import/", {"file": SimpleUploadedFile("contacts.csv", CSV), "dry_run": "1"})
    html = client.get(sent["Location"]).content.decode()
    [action] = re.findall(r'action="(/circle/import/preview/\d+/import/)"', html)

    done = client.post(action)  # no file: the one previewed

    assert done.status_code == 200 and 'data-testid="import-result"' in done.content.decode()
    assert Contact.objects.filter(owner=circle, email="lea@example.org").exists()
    assert Note.objects.filter(owner=circle, text="Rencontré au port").count() == 1
    # Twice (a double click, another tab): nothing more, and the page says why with a way to start again.
    again = client.post(action, follow=True)
    html = again.content.decode()
    assert "déjà été importé" in html and 'data-testid="import-confirm"' not in html and "Recommencer" in html
    assert Note.objects.filter(owner=circle, text="Rencontré au port").count() == 1


def test_an_expired_preview_page_says_so_and_offers_to_start_again(client, circle):
    client.force_login(circle)
    sent = client.post("/circle/import/", {"file": SimpleUploadedFile("contacts.csv", CSV), "dry_run": "1"})
    Job.objects.filter(kind=Job.Kind.CONTACTS_PREVIEW).update(expires_at=timezone.now() - timedelta(minutes=1))
    before = _state(circle)

    html = client.get(sent["Location"]).content.decode()
    refused = client.post(sent["Location"] + "import/", follow=True).content.decode()

    assert "Cet aperçu a expiré" in html and 'data-testid="import-confirm"' not in html
    assert "Cet aperçu a expiré" in refused and 'href="/circle/import/"' in refused
    assert _state(circle) == before


def test_a_big_file_is_previewed_by_the_worker_and_the_page_follows_it(client, member, run_queued):
    client.force_login(member)

    sent = run_queued(lambda: client.post("/circle/import/", {"file": SimpleUploadedFile("big.csv", _big_csv()),
                                                               "dry_run": "1"}))
    job = Job.objects.get(kind=Job.Kind.CONTACTS_PREVIEW)
    assert sent["Location"] == f"/circle/import/preview/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "done" and not Contact.objects.exists()
    html = client.get(sent["Location"]).content.decode()
    assert f"{INLINE_MAX_ROWS + 20}\u00a0contacts seront créés." in html and "hx-trigger" not in html


def test_a_big_preview_page_polls_while_the_worker_has_not_finished(client, member):
    client.force_login(member)
    sent = client.post("/circle/import/", {"file": SimpleUploadedFile("big.csv", _big_csv()), "dry_run": "1"})

    html = client.get(sent["Location"]).content.decode()

    assert 'data-status="queued"' in html and 'hx-trigger="every 2s"' in html
    assert 'data-testid="import-confirm"' not in html and not Contact.objects.exists()


@pytest.mark.parametrize("language,created,updated,unchanged,expected", [
    ("fr-ca", 1, 0, 0, "1\u00a0contact sera créé."),
    ("fr-ca", 12, 3, 0, "12\u00a0contacts seront créés et 3\u00a0contacts de votre cercle seront complétés."),
    ("fr-ca", 0, 1, 2, "1\u00a0contact de votre cercle sera complété et 2\u00a0contacts sont déjà à jour."),
    ("fr-ca", 0, 0, 0, "Ce fichier ne contient aucun contact."),
    ("en", 12, 1, 5, "12 contacts will be created, 1 contact in your circle will be completed and 5 contacts "
                     "are already up to date."),
    ("en", 1, 0, 0, "1 contact will be created."),
])
def test_the_summary_reads_as_a_sentence_with_its_plurals(language, created, updated, unchanged, expected):
    from django.utils import translation

    from tablee.circle.import_preview import summary_sentence

    with translation.override(language):
        assert summary_sentence(created=created, updated=updated, unchanged=unchanged) == expected


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


def test_a_big_preview_reports_its_progress_and_the_page_shows_it(client, member):
    from tablee.circle.import_preview import contacts_preview_run
    from tablee.jobs.services import job_queue

    data = _big_csv(extra=1200 - INLINE_MAX_ROWS)
    seen = []
    contacts_import_preview(owner=member, data=data, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(500, 1200), (1000, 1200)]

    job = job_queue(owner=member, kind=Job.Kind.CONTACTS_PREVIEW, data=data, enqueue=False)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=500, total=1200)
    client.force_login(member)
    html = client.get(f"/circle/import/preview/{job.pk}/").content.decode()
    assert "Vérification en cours\u00a0: 500\u00a0entrées sur 1200." in html and 'hx-trigger="every 2s"' in html

    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, done=0, total=0)
    job.refresh_from_db()
    contacts_preview_run(job=job)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.created) == ("done", 1200, 1200, 1200)
    assert bytes(job.data) == data and not Contact.objects.exists()


def test_a_preview_still_being_checked_cannot_be_imported_yet(api, member):
    response = api.upload(f"{API}?dry_run=true", "big.csv", _big_csv(), user=member)  # queued, not run

    refused = api.post(f"{API}/previews/{response.json()['id']}/import", {}, user=member)

    assert refused.status_code == 422 and "pas terminée" in refused.json()["detail"]
    assert not Contact.objects.exists() and Job.objects.get(pk=response.json()["id"]).used_at is None


def test_a_dry_run_says_when_a_name_already_in_the_circle_comes_with_another_address(api, circle):
    data = (b"Given Name,Family Name,E-mail 1 - Value\n"
            b"Julie,Roy,julie.roy@autre.example\n"
            b"Paul,Gagnon,paul@example.org\n")

    body = api.upload(f"{API}?dry_run=true", "contacts.csv", data, user=circle).json()

    assert body["created"] == 1
    [(line, warning)] = [(w["line"], w["reason"]) for w in body["warnings"]]
    assert line == 2 and "Julie Roy" in warning and "un second contact sera créé" in warning
