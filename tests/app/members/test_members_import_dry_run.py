"""`POST /api/associations/{slug}/members/import?dry_run=true`: the members page's preview as JSON
(new, joined or updated, conflicts, bad lines, a member's values before → after), and no account,
membership, profile change, invitation or import written. The file stays with the preview for the
association's organizers (an hour, once); a big file is checked by the worker."""

from __future__ import annotations

import pytest
from django.test import Client

from tablee.jobs.models import Job
from tablee.jobs.services import INLINE_MAX_ROWS
from tablee.members.models import Membership, Profile, User
from tablee.members.roster_import import import_preview
from tablee.outbox.models import Email

HEADER = "email,first_name,last_name,organization,sector,languages,offers,needs,interests\n"
API = "/api/associations/cafe-rencontres/members/import"


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


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


# Marie is a member (her organization differs, her interests are empty); Alex has an account in
# another association (joins; his profile is not shown); Julie is new.
FILE = _csv("marie@example.org,Marie,Tremblay,Autre Coop,,,,,vélo",
            "alex@example.org,Alexandra,Smith,Secret Inc,,,,,",
            "julie@example.org,Julie,Bouchard,Clinique Vitalis,santé,fr,,,")


def _world() -> list:
    return [sorted(User.objects.values_list("pk", "email", "first_name")),
            sorted(Membership.all_objects.values_list("pk", "user_id", "association_id")),
            sorted(Profile.objects.values_list("pk", "organization", "interests")),
            Email.objects.count(), Job.objects.filter(kind=Job.Kind.MEMBERS_IMPORT).count()]


def test_a_dry_run_writes_nothing_and_answers_the_pages_preview(api, organizer, member, outsider, association):
    before = _world()

    response = api.upload(f"{API}?dry_run=true&invite=true&overwrite=true", "m.csv", FILE, user=organizer)

    assert response.status_code == 200
    assert _world() == before
    body = response.json()
    page = import_preview(association=association, data=FILE)
    assert (body["dry_run"], body["created"], body["updated"], body["conflicts"], body["errors"]) == (
        True, page.created, page.updated, page.conflicts, [])
    assert (body["created"], body["updated"], body["conflicts"]) == (1, 2, 1)
    rows = {row["email"]: row for row in body["rows"]}
    assert [rows[e]["action"] for e in ("marie@example.org", "alex@example.org", "julie@example.org")] == [
        "update", "join", "create"]
    assert {c["field"]: (c["before"], c["after"], c["filled"]) for c in rows["marie@example.org"]["changes"]} == {
        "organization": ("Coop Laval", "Autre Coop", False), "interests": ([], ["vélo"], True)}


def test_a_dry_run_never_shows_the_profile_of_someone_from_elsewhere(api, organizer, outsider):
    Profile.objects.filter(user=outsider).update(organization="Ailleurs Inc")

    body = api.upload(f"{API}?dry_run=true", "m.csv", FILE, user=organizer).json()

    [alex] = [row for row in body["rows"] if row["email"] == "alex@example.org"]
    assert alex["changes"] == [] and "Ailleurs Inc" not in str(body)


def test_a_dry_run_of_a_file_with_a_bad_line_lists_it_with_422(api, organizer):
    data = _csv("julie@example.org,Julie,Bouchard,,,,,,", "pas-un-courriel,Paul,Roy,,,,,,")

    response = api.upload(f"{API}?dry_run=true", "m.csv", data, user=organizer)

    assert response.status_code == 422
    assert [e["line"] for e in response.json()["errors"]] == [3]
    assert not User.objects.filter(email="julie@example.org").exists()


def test_a_dry_run_of_a_big_file_is_checked_by_the_worker_then_imported_without_sending_it_again(
        api, organizer, run_queued):
    data = _csv(*(f"membre{i}@example.org,P{i},N{i},,,,,," for i in range(INLINE_MAX_ROWS + 10)))

    response = run_queued(lambda: api.upload(f"{API}?dry_run=true", "m.csv", data, user=organizer))

    assert response.status_code == 202 and response.json()["kind"] == "members_preview"
    assert not User.objects.filter(email__startswith="membre").exists()
    preview = api.get(f"{API}/previews/{response.json()['id']}", user=organizer)
    assert preview.status_code == 200 and preview.json()["created"] == INLINE_MAX_ROWS + 10
    done = run_queued(lambda: api.post(preview.json()["import_url"] + "?invite=false", {}, user=organizer))
    assert done.status_code == 202 and done.json()["kind"] == "members_import"
    assert User.objects.filter(email__startswith="membre").count() == INLINE_MAX_ROWS + 10
    assert not Email.objects.exists()


def test_a_small_dry_run_keeps_the_file_for_one_import_by_any_organizer_of_the_association(
        api, organizer, member, outsider, association, make_person):
    preview = api.upload(f"{API}?dry_run=true", "m.csv", FILE, user=organizer).json()
    co_organizer = make_person(association=association, role="organizer", email="co@example.org")

    done = api.post(preview["import_url"] + "?overwrite=true", {}, user=co_organizer)

    assert done.status_code == 200 and (done.json()["created"], done.json()["updated"]) == (1, 2)
    member.profile.refresh_from_db()
    assert member.profile.organization == "Autre Coop"
    again = api.post(preview["import_url"], {}, user=organizer)
    assert again.status_code == 409 and "déjà été importé" in again.json()["detail"]


def test_a_members_preview_is_hidden_from_members_and_other_associations(api, organizer, member, outsider,
                                                                          other_association, make_person):
    preview = api.upload(f"{API}?dry_run=true", "m.csv", FILE, user=organizer).json()
    orga = make_person(association=other_association, role="organizer", email="orga@ailleurs.org")
    before = _world()

    for person, status in ((member, 403), (outsider, 403)):
        assert api.get(f"{API}/previews/{preview['preview_id']}", user=person).status_code == status
        assert api.post(preview["import_url"], {}, user=person).status_code == status
    # An organizer elsewhere, through their own association's address: not found.
    elsewhere = f"/api/associations/{other_association.slug}/members/import/previews/{preview['preview_id']}"
    assert api.get(elsewhere, user=orga).status_code == 404
    assert api.post(elsewhere + "/import", {}, user=orga).status_code == 404
    assert _world() == before


def test_an_expired_members_preview_imports_nothing(api, organizer):
    from datetime import timedelta

    from django.utils import timezone

    preview = api.upload(f"{API}?dry_run=true", "m.csv", FILE, user=organizer).json()
    Job.objects.filter(pk=preview["preview_id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    before = _world()

    response = api.post(preview["import_url"], {}, user=organizer)

    assert response.status_code == 410 and _world() == before


def test_the_import_then_does_what_the_dry_run_showed(api, organizer, member, outsider):
    preview = api.upload(f"{API}?dry_run=true", "m.csv", FILE, user=organizer).json()

    done = api.upload(API, "m.csv", FILE, user=organizer).json()

    assert done["created"] == preview["created"]
    assert done["updated"] == preview["updated"]
    assert done["joined"] == sum(1 for row in preview["rows"] if row["action"] == "join")
    # Marie's row as shown: the empty value filled, the conflicting one kept (no overwrite).
    member.profile.refresh_from_db()
    assert (member.profile.organization, member.profile.interests) == ("Coop Laval", ["vélo"])


def test_only_the_associations_organizers_may_dry_run(api, member, outsider, organizer):
    before = _world()
    for person in (member, outsider):
        assert api.upload(f"{API}?dry_run=true", "m.csv", FILE, user=person).status_code == 403
    assert Client().post(f"{API}?dry_run=true").status_code == 401
    assert _world() == before
