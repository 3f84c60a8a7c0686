"""A big member import leaves the request: 202 (API) or a progress page (members page), and the worker
writes it in batches of short transactions after checking the whole file. Small files stay inline."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from tablee.jobs.models import Job
from tablee.members.models import Membership, Profile, User
from tablee.outbox.models import Email

HEADER = "email,first_name,last_name,organization,sector,languages,offers,needs,interests\n"
API = "/api/associations/cafe-rencontres/members/import"
PAGE = "/organize/associations/cafe-rencontres/members/"



def insert_sizes(monkeypatch, model) -> list[int]:
    """The size of each batch of ``model`` rows inserted from now on (the list fills as they go)."""
    from tablee.jobs.inserts import PreparedInsert

    sizes: list[int] = []
    real = PreparedInsert.execute

    def spy(self):
        if self.model is model:
            sizes.append(len(self.objs))
        return real(self)

    monkeypatch.setattr(PreparedInsert, "execute", spy)
    return sizes

def members_csv(n: int, *, start: int = 0, bad_line: int | None = None) -> bytes:
    rows = []
    for i in range(start, start + n):
        email = "pas-un-courriel" if i == bad_line else f"membre{i}@example.org"
        rows.append(f"{email},Prénom{i},Nom{i},Coop {i % 7},santé,fr,financement,mentorat,vélo\n")
    return (HEADER + "".join(rows)).encode()


@pytest.fixture
def run_queued(django_capture_on_commit_callbacks):
    """Send, then run the queued jobs the way the worker does (the task, called in-process)."""
    from django_tasks_db.models import DBTaskResult

    def run(send):
        with django_capture_on_commit_callbacks(execute=True):
            response = send()
        for result in DBTaskResult.objects.filter(status="READY", task_path__endswith="run_job"):
            result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        return response

    return run


@pytest.fixture
def browser(organizer):
    client = Client()
    client.force_login(organizer)
    return client


def _confirmed(browser, data: bytes, form: dict):
    """Preview the file (a big one checked by the worker, run here in-process), then confirm it."""
    from django_tasks_db.models import DBTaskResult

    from tablee.jobs.tasks import run_job

    sent = browser.post(PAGE + "import/", {"file": _upload(data)})
    preview = Job.objects.get(pk=int(sent["Location"].rstrip("/").rsplit("/", 1)[1]))
    if preview.status == Job.Status.QUEUED:
        run_job.call(preview.pk)
        DBTaskResult.objects.all().delete()
    return browser.post(sent["Location"] + "import/", form)


def _imported() -> int:
    return User.objects.filter(email__startswith="membre").count()


def test_a_big_api_import_answers_202_and_the_worker_writes_it_in_short_batches(api, organizer, run_queued,
                                                                                 monkeypatch):
    from tablee.members import services

    sizes = insert_sizes(monkeypatch, User)
    response = run_queued(lambda: api.upload(API, "membres.csv", members_csv(350), user=organizer))
    assert response.status_code == 202
    job = response.json()
    assert job["status"] == "queued" and job["url"] == f"/api/jobs/{job['id']}"
    done = api.get(job["url"], user=organizer).json()
    assert (done["status"], done["total"], done["done"], done["created"], done["percent"]) == ("done", 350, 350, 350, 100)
    assert done["outcome"] == {"joined": 0, "invited": 0, "kept": 0}
    assert _imported() == 350
    assert Membership.objects.filter(association__slug="cafe-rencontres", user__email__startswith="membre").count() == 350
    assert Profile.objects.filter(user__email="membre349@example.org", offers=["financement"]).exists()
    # 350 rows, 100 a transaction: four short writes, never one long one.
    assert sizes == [100, 100, 100, 50] and max(sizes) <= services.BATCH_ROWS
    assert Job.objects.get(pk=job["id"]).data == b""  # the file is not kept once imported


def test_a_small_api_import_stays_in_the_request(api, organizer):
    response = api.upload(API, "membres.csv", members_csv(20), user=organizer)
    assert response.status_code == 200
    assert (response.json()["created"], response.json()["errors"]) == (20, [])
    assert _imported() == 20 and not Job.objects.exists()


def test_a_small_api_import_with_a_bad_line_writes_nothing_and_says_which(api, organizer):
    response = api.upload(API, "membres.csv", members_csv(20, bad_line=4), user=organizer)
    assert response.status_code == 422
    assert [e["line"] for e in response.json()["errors"]] == [6]
    assert _imported() == 0


def test_one_bad_line_in_a_big_file_writes_nothing_and_is_listed_in_the_organizers_language(api, organizer,
                                                                                           run_queued):
    Profile.objects.filter(user=organizer).update(preferred_language="en")
    response = run_queued(lambda: api.upload(API, "m.csv", members_csv(400, bad_line=123), user=organizer))
    job = api.get(response.json()["url"], user=organizer).json()
    assert job["status"] == "failed" and [e["line"] for e in job["errors"]] == [125]
    assert job["errors"][0]["reason"] == "invalid email: “pas-un-courriel”"
    assert _imported() == 0



def test_a_big_imports_errors_are_written_in_the_language_of_whoever_opens_its_page(api, organizer, browser,
                                                                                   run_queued):
    lines = members_csv(400, bad_line=123).decode().splitlines()
    data = "\n".join([lines[0] + ",Téléphone"] + [line + ",418 555-0100" for line in lines[1:]]) + "\n"
    response = run_queued(lambda: api.upload(API, "m.csv", data.encode(), user=organizer))  # sent in French
    page = PAGE + f"import/{response.json()['id']}/"
    french = browser.get(page).content.decode().replace("\u00a0", " ")
    assert "Ligne 125 : courriel invalide : « pas-un-courriel »" in french
    assert "Ligne 1 : colonnes ignorées (Tablée ne les garde pas) : Téléphone" in french

    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = browser.get(page).content.decode()

    assert "Line 125: invalid email: “pas-un-courriel”" in english
    assert "Line 1: columns ignored (Tablée does not keep them): Téléphone" in english
    assert "courriel invalide" not in english and "colonnes ignorées" not in english



def test_a_big_imports_errors_kept_as_text_by_an_earlier_version_are_shown_as_they_are(browser, organizer,
                                                                                      association):
    job = Job.objects.create(kind=Job.Kind.MEMBERS_IMPORT, owner=organizer, status=Job.Status.FAILED,
                             params={"association": association.pk, "language": "fr"},
                             errors=[[125, "courriel invalide : « pas-un-courriel »"]])
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = browser.get(PAGE + f"import/{job.pk}/").content.decode()

    assert "Line 125: courriel invalide : « pas-un-courriel »" in page


def test_importing_the_same_big_file_twice_makes_no_duplicates(api, organizer, run_queued):
    run_queued(lambda: api.upload(API, "m.csv", members_csv(320), user=organizer))
    again = run_queued(lambda: api.upload(API, "m.csv", members_csv(320), user=organizer))
    job = api.get(again.json()["url"], user=organizer).json()
    assert (job["status"], job["created"], job["updated"]) == ("done", 0, 320)
    assert _imported() == 320


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_the_associations_organizers_may_import(who, api, request, organizer):
    response = api.upload(API, "m.csv", members_csv(400), user=request.getfixturevalue(who))
    assert response.status_code == 403  # as the other members endpoints answer
    assert not Job.objects.exists() and _imported() == 0


def test_the_members_page_sends_a_big_confirmed_file_to_the_worker_and_shows_progress(browser, organizer,
                                                                                      run_queued):
    data = members_csv(330)
    sent = run_queued(lambda: browser.post(PAGE + "import/", {"file": _upload(data)}))  # the worker checks it
    preview = browser.get(sent["Location"])
    assert preview.status_code == 200 and 'data-testid="import-more"' in preview.content.decode()
    assert "330\u00a0membres seront créés." in preview.content.decode()
    invite_box = re.search(r'<input type="checkbox" name="invite"[^>]*>', preview.content.decode()).group(0)
    assert "checked" not in invite_box  # emailing a whole file is an explicit choice
    response = browser.post(sent["Location"] + "import/", {"invite": "on"})
    job = Job.objects.get(owner=organizer, kind=Job.Kind.MEMBERS_IMPORT)
    assert response.status_code == 302 and response["Location"] == PAGE + f"import/{job.pk}/"
    page = browser.get(response["Location"]).content.decode()
    assert 'data-status="queued"' in page and f'hx-get="{PAGE}import/{job.pk}/"' in page  # polls itself
    assert _imported() == 0  # nothing in the request

    from tablee.jobs.tasks import run_job

    run_job.call(job.pk)
    page = browser.get(PAGE + f"import/{job.pk}/").content.decode()
    assert 'data-status="done"' in page and 'data-testid="import-result"' in page and "hx-trigger" not in page
    assert "330\u00a0invitations envoyées" in page
    assert _imported() == 330
    # Every new member's invitation is a row in the outbox, one each.
    assert Email.objects.filter(kind="invitation", to__startswith="membre").count() == 330


def test_a_second_import_does_not_invite_the_same_people_again_within_minutes(browser, organizer):
    from tablee.jobs.tasks import run_job

    data = members_csv(310)
    for _ in range(2):
        _confirmed(browser, data, {"invite": "on"})
    first, second = Job.objects.filter(kind=Job.Kind.MEMBERS_IMPORT).order_by("pk")
    run_job.call(first.pk)
    run_job.call(second.pk)
    second.refresh_from_db()
    assert second.status == "done" and second.outcome["invited"] == 0  # the per-address limit holds
    assert Email.objects.filter(kind="invitation", to__startswith="membre").count() == 310


def test_an_import_job_page_is_for_its_organizer_and_association_only(browser, organizer, make_person, association,
                                                                       other_association, member):
    _confirmed(browser, members_csv(310), {})
    job = Job.objects.get(kind=Job.Kind.MEMBERS_IMPORT)
    url = PAGE + f"import/{job.pk}/"
    co_organizer = make_person(association=association, role="organizer", email="co@example.org")
    elsewhere = make_person(association=other_association, role="organizer", email="ailleurs@example.org")
    for someone, status in ((co_organizer, 404), (member, 403)):
        client = Client()
        client.force_login(someone)
        assert client.get(url).status_code == status
    client = Client()
    client.force_login(elsewhere)
    assert client.get(f"/organize/associations/ailleurs/members/import/{job.pk}/").status_code == 404


def test_a_small_confirmed_file_is_imported_in_the_request(browser, organizer):
    response = _confirmed(browser, members_csv(12), {"invite": "on"})
    assert response.status_code == 302 and response["Location"] == PAGE
    assert _imported() == 12 and not Job.objects.filter(kind=Job.Kind.MEMBERS_IMPORT).exists()
    assert Email.objects.filter(kind="invitation", to__startswith="membre").count() == 12


def test_the_command_writes_in_short_transactions_too(organizer, association, tmp_path, monkeypatch):
    import io

    from tablee.members import commands, services

    monkeypatch.setattr(services, "BATCH_ROWS", 40)
    sizes = insert_sizes(monkeypatch, Membership)
    path = tmp_path / "m.csv"
    path.write_bytes(members_csv(100))
    out, err = io.StringIO(), io.StringIO()
    assert commands.members_import(slug=association.slug, path=str(path), out=out, err=err, invite=True) == 0
    assert sizes == [40, 40, 20] and _imported() == 100
    assert "100\u00a0invitations" in out.getvalue()


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("membres.csv", data)


def test_the_api_keeps_what_members_filled_in_unless_asked_to_overwrite(api, organizer, member):
    row = (HEADER + "marie@example.org,Marie,Tremblay,Autre Coop,,fr,,,vélo\n").encode()

    kept = api.upload(API, "membres.csv", row, user=organizer)
    assert kept.status_code == 200 and (kept.json()["updated"], kept.json()["kept"]) == (1, 1)
    assert Profile.objects.get(user=member).organization == "Coop Laval"

    replaced = api.upload(API + "?overwrite=true", "membres.csv", row, user=organizer)
    assert replaced.status_code == 200 and replaced.json()["kept"] == 0
    assert Profile.objects.get(user=member).organization == "Autre Coop"


def test_a_big_import_in_the_worker_keeps_the_chosen_mode(api, organizer, association, run_queued, make_person):
    marie = make_person(association=association, email="membre3@example.org", organization="Ma coop")

    run_queued(lambda: api.upload(API, "membres.csv", members_csv(350), user=organizer))
    assert Profile.objects.get(user=marie).organization == "Ma coop"
    assert Job.objects.get().outcome["kept"] == 3  # the organization, the names

    run_queued(lambda: api.upload(API + "?overwrite=true", "membres.csv", members_csv(350), user=organizer))
    assert Profile.objects.get(user=marie).organization == "Coop 3"
