"""`POST /api/associations/{slug}/members/import?dry_run=true`: the members page's preview as JSON
(new, joined or updated, conflicts, bad lines, a member's values before → after), and nothing
written: no account, membership, profile change, invitation or job, whatever the file's size."""

from __future__ import annotations

from django.test import Client

from tablee.jobs.models import Job
from tablee.jobs.services import INLINE_MAX_ROWS
from tablee.members.models import Membership, Profile, User
from tablee.members.roster_import import import_preview
from tablee.outbox.models import Email

HEADER = "email,first_name,last_name,organization,sector,languages,offers,needs,interests\n"
API = "/api/associations/cafe-rencontres/members/import"


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
            Email.objects.count(), Job.objects.count()]


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


def test_a_dry_run_of_a_big_file_queues_no_job(api, organizer):
    data = _csv(*(f"membre{i}@example.org,P{i},N{i},,,,,," for i in range(INLINE_MAX_ROWS + 10)))

    response = api.upload(f"{API}?dry_run=true", "m.csv", data, user=organizer)

    assert response.status_code == 200 and response.json()["created"] == INLINE_MAX_ROWS + 10
    assert not Job.objects.exists() and not User.objects.filter(email__startswith="membre").exists()


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
