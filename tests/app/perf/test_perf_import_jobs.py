"""A big contact import leaves the request: 202 and a job, written by the worker in short batches."""

from __future__ import annotations

import pytest

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def linkedin(n: int, *, start: int = 0, bad_line: int | None = None) -> bytes:
    rows = []
    for i in range(start, start + n):
        email = "pas-un-courriel" if bad_line is not None and i == bad_line else f"personne{i}@example.org"
        rows.append(f"Prénom{i},Nom{i},https://www.linkedin.com/in/p{i},{email},Entreprise {i % 7},Poste,12 Mar 2024\n")
    return (HEADER + "".join(rows)).encode()


@pytest.fixture
def run_queued(django_capture_on_commit_callbacks):
    """Upload, then run what the commit queued the way the worker does (the task, called in-process)."""
    from django_tasks_db.models import DBTaskResult

    def run(send):
        with django_capture_on_commit_callbacks(execute=True):
            response = send()
        for result in DBTaskResult.objects.filter(status="READY"):
            result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        return response

    return run


def test_a_big_api_import_answers_202_and_the_worker_writes_it_in_batches(api, member, run_queued, monkeypatch):
    from tablee.circle import import_jobs
    from tablee.circle.models import Contact
    from tablee.jobs.inserts import PreparedInsert

    sizes = []
    real = PreparedInsert.execute

    def spy(self):
        sizes.append(len(self.objs))
        return real(self)

    monkeypatch.setattr(PreparedInsert, "execute", spy)
    response = run_queued(lambda: api.upload("/api/contacts/import", "Connections.csv", linkedin(650), user=member))
    assert response.status_code == 202
    job = response.json()
    assert job["status"] == "queued" and job["url"] == f"/api/jobs/{job['id']}"
    done = api.get(job["url"], user=member).json()
    assert (done["status"], done["total"], done["done"], done["created"], done["percent"]) == ("done", 650, 650, 650, 100)
    assert Contact.objects.filter(owner=member).count() == 650
    # 650 rows, 50 a transaction: thirteen short writes, never one long one.
    assert import_jobs.BATCH_ROWS == 50 and sizes == [50] * 13


def test_a_small_import_stays_in_the_request(api, member):
    response = api.upload("/api/contacts/import", "Connections.csv", linkedin(20), user=member)
    assert response.status_code == 200 and response.json()["created"] == 20


def test_one_bad_line_in_a_big_file_writes_nothing_and_lists_it(api, member, run_queued):
    from tablee.circle.models import Contact

    response = run_queued(lambda: api.upload("/api/contacts/import", "c.csv", linkedin(400, bad_line=123), user=member))
    job = api.get(response.json()["url"], user=member).json()
    assert job["status"] == "failed" and [e["line"] for e in job["errors"]] == [125]
    assert not Contact.objects.filter(owner=member).exists()


def test_importing_the_same_big_file_twice_makes_no_duplicates_and_keeps_existing_contacts(api, member, run_queued):
    from tablee.circle.models import Contact, Note

    mine = Contact.objects.create(owner=member, name="Déjà là", email="PERSONNE7@example.org")
    Note.objects.create(owner=member, contact=mine, text="à garder")
    run_queued(lambda: api.upload("/api/contacts/import", "c.csv", linkedin(450), user=member))
    again = run_queued(lambda: api.upload("/api/contacts/import", "c.csv", linkedin(450), user=member))
    job = api.get(again.json()["url"], user=member).json()
    assert (job["created"], job["updated"]) == (0, 450)
    assert Contact.objects.filter(owner=member).count() == 450
    mine.refresh_from_db()
    assert mine.name == "Déjà là" and mine.organization == "Entreprise 0"  # blanks filled, nothing replaced
    assert list(Note.objects.filter(contact=mine).values_list("text", flat=True)) == ["à garder"]


def test_the_same_person_twice_in_one_file_is_one_contact(api, member, run_queued):
    from tablee.circle.models import Contact

    data = linkedin(350) + linkedin(1, start=10)[len(HEADER):]
    run_queued(lambda: api.upload("/api/contacts/import", "c.csv", data, user=member))
    assert Contact.objects.filter(owner=member, email="personne10@example.org").count() == 1
    assert Contact.objects.filter(owner=member).count() == 350


def test_a_job_is_its_owners_alone(api, client, member, other_member, organizer, run_queued):
    response = run_queued(lambda: api.upload("/api/contacts/import", "c.csv", linkedin(400), user=member))
    url = response.json()["url"]
    for someone in (other_member, organizer):
        assert api.get(url, user=someone).status_code == 404
        client.force_login(someone)
        assert client.get(f"/circle/import/{response.json()['id']}/").status_code == 404
    assert api.get(url).status_code == 401


def test_the_import_page_sends_a_big_file_to_the_worker_and_shows_progress(client, member, run_queued):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tablee.jobs.models import Job

    client.force_login(member)
    response = client.post("/circle/import/", {"file": SimpleUploadedFile("c.csv", linkedin(500))})
    job = Job.objects.get(owner=member)
    assert response.status_code == 302 and response["Location"] == f"/circle/import/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="queued"' in page and f'hx-get="/circle/import/{job.pk}/"' in page  # polls itself
    from tablee.jobs.tasks import run_job

    run_job.call(job.pk)
    page = client.get(f"/circle/import/{job.pk}/").content.decode()
    assert 'data-status="done"' in page and 'data-testid="import-result"' in page and "hx-trigger" not in page
    assert "500\u00a0contacts créés" in page and 'href="/circle/"' in page
    job.refresh_from_db()
    assert job.data == b""  # the uploaded contacts are not kept once imported


def test_a_big_import_keeps_the_notes_of_new_contacts_on_the_right_contact(api, member, run_queued):
    from tablee.circle.models import Contact, Note

    cards = "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Personne {i}\r\nEMAIL:p{i}@example.org\r\n"
                    f"NOTE:rencontrée au souper {i}\r\nEND:VCARD\r\n" for i in range(320))
    response = run_queued(lambda: api.upload("/api/contacts/import", "c.vcf", cards.encode(), user=member))
    assert api.get(response.json()["url"], user=member).json()["status"] == "done"
    assert Contact.objects.filter(owner=member).count() == 320
    for i in (0, 99, 100, 319):
        contact = Contact.objects.get(owner=member, email=f"p{i}@example.org")
        assert list(Note.objects.filter(contact=contact).values_list("text", flat=True)) == [f"rencontrée au souper {i}"]
