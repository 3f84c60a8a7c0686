"""Who may see or change what, for every route: each URL pattern and each API operation, walked for
five personas. A route missing from the matrix fails the test, and so does an entry for a route that
no longer exists.

Personas, in the order of each expectation string:
  author      Marie, a member: she wrote the private rows (contact, follow-up, intention, wish…)
  other       Samuel, another member of the same association
  organizer   Olivier, organizer of the same association
  outsider    an organizer of another association
  anonymous   nobody signed in

Codes: ``o`` allowed (any answer but 401/403/404 or a redirect to sign-in: a 409 or 422 means the
person was let in and the input refused), ``3`` 403, ``4`` 404, ``l`` sent to sign in (pages) or
401 (API). Each request runs in a savepoint rolled back afterwards, so the world stays the same.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

PERSONAS = ("author", "other", "organizer", "outsider", "anonymous")

# URL name -> (method probed, expectations); POST data that passes the forms is in _page_data.
PAGES: dict[str, tuple[str, str]] = {
    # the shared frame
    "home": ("GET", "ooooo"),
    "login": ("GET", "ooooo"),
    "logout": ("POST", "ooooo"),
    "password_reset": ("GET", "ooooo"),
    "password_reset_done": ("GET", "ooooo"),
    "password_reset_confirm": ("GET", "ooooo"),
    "password_reset_complete": ("GET", "ooooo"),
    "set_language": ("POST", "ooooo"),
    # members: profile, account, the way in
    "profile": ("GET", "ooool"),
    "members:account": ("GET", "ooool"),
    "members:preferences": ("GET", "ooool"),
    "members:email_change": ("POST", "ooool"),
    "members:password_change": ("POST", "ooool"),
    "members:token_create": ("POST", "ooool"),
    "members:token_revoke": ("POST", "ooool"),  # someone else's token id revokes nothing
    "members:delete": ("GET", "ooool"),
    "members:welcome": ("GET", "ooool"),
    "members:link": ("GET", "ooooo"),  # by token: an unknown one is "gone" (410) for everyone
    "members:sign_in_link": ("GET", "ooooo"),
    "members:join": ("GET", "44444"),  # public only where the association opened it
    "members:association": ("GET", "44444"),  # the same
    # members: the organizer's members page
    "members:roster": ("GET", "33o4l"),
    "members:member_add": ("POST", "33o4l"),
    "members:invite": ("POST", "33o4l"),
    "members:invite_pending": ("POST", "33o4l"),
    "members:role": ("POST", "33o4l"),
    "members:deactivate": ("POST", "33o4l"),
    "members:reactivate": ("POST", "33o4l"),
    "members:import_upload": ("POST", "33o4l"),
    # A members import preview (and the file it keeps) is for the association's organizers.
    "members:import_preview": ("GET", "33o4l"),
    "members:import_confirm": ("POST", "33o4l"),
    # The world's job is the author's contact import: no organizer's page shows it (a job is its asker's).
    "members:import_job": ("GET", "3344l"),
    "members:requests_open": ("POST", "33o4l"),
    "members:join_request_decide": ("POST", "33o4l"),
    # outbox: the way out of emails, by token
    "outbox:unsubscribe": ("GET", "44444"),
    # gatherings: my calendar feed
    "gatherings_feed:create": ("POST", "ooool"),
    "gatherings_feed:revoke": ("POST", "ooool"),
    "gatherings_feed:ics": ("GET", "44444"),
    # gatherings: member pages
    "gatherings:mine": ("GET", "ooool"),
    "gatherings:detail": ("GET", "ooo4l"),
    "gatherings:rsvp": ("POST", "ooo4l"),
    "gatherings:cancel": ("POST", "ooo4l"),
    "gatherings:calendar": ("GET", "ooo4l"),
    # gatherings: organizer pages
    "organizer:association": ("GET", "33o4l"),
    "organizer:gathering_new": ("GET", "33o4l"),
    "organizer:series_new": ("GET", "33o4l"),
    "organizer:gathering_edit": ("GET", "33o4l"),
    "organizer:attendees": ("GET", "33o4l"),
    "organizer:attendees_csv": ("GET", "33o4l"),
    "organizer:checkin": ("GET", "33o4l"),
    "organizer:walkin": ("POST", "33o4l"),
    "organizer:checkin_seat": ("POST", "33o4l"),
    "organizer:checkin_person": ("POST", "33o4l"),
    # tables
    "tables:plan": ("GET", "33o4l"),
    "tables:plan_status": ("GET", "33o4l"),
    "tables:plan_request": ("POST", "33o4l"),
    "tables:plan_move": ("POST", "33o4l"),
    "tables:plan_swap": ("POST", "33o4l"),
    "tables:plan_pin": ("POST", "33o4l"),
    "tables:plan_reoptimize": ("POST", "33o4l"),
    "tables:plan_publish": ("POST", "33o4l"),
    "tables:plan_redo": ("POST", "33o4l"),
    "tables:plan_repair": ("POST", "33o4l"),
    "tables:plan_repair_accept": ("POST", "33o4l"),
    "tables:plan_print": ("GET", "33o4l"),
    "tables:my_table": ("GET", "ooo4l"),  # the organizer has no seat: the page says so (200; the API's 404)
    "tables:wishes": ("GET", "ooool"),
    "tables:wish_delete": ("POST", "o444l"),
    "tables:wish_restore": ("POST", "ooool"),  # one's own session's last deletion only: nothing to reach
    # circle
    "circle:cards": ("GET", "ooo4l"),
    "circle:event_cards": ("GET", "ooool"),
    "circle:followups": ("GET", "ooool"),
    "circle:followup": ("GET", "o444l"),
    "circle:followup_restore": ("POST", "o444l"),  # the author's is not let go: refused with a message
    "circle:circle": ("GET", "ooool"),
    "circle:contact_add": ("POST", "ooool"),
    "circle:contact": ("GET", "o444l"),
    "circle:merge": ("POST", "o444l"),
    "circle:restore": ("POST", "ooool"),  # someone else's deletion: refused with a message, nothing restored
    "circle:import": ("GET", "ooool"),
    "circle:export": ("GET", "ooool"),
    "circle:my_export": ("GET", "ooool"),
    "circle:budget": ("POST", "ooool"),
    "circle:suggestion_dismiss": ("POST", "ooool"),  # someone else's suggestion id changes nothing
    "circle:continue": ("GET", "4444l"),  # only for a mutual "continue" pair (none in this world)
    "circle:import_job": ("GET", "o444l"),
    # A contacts import preview and the file it keeps: its owner's alone.
    "circle:import_preview": ("GET", "o444l"),
    "circle:import_confirm": ("POST", "o444l"),
    # journey
    "journey:parcours": ("GET", "ooool"),
    "journey:pacing": ("POST", "ooool"),
    "journey:intention_new": ("GET", "ooool"),
    "journey:intention": ("GET", "o444l"),
    "journey:intention_edit": ("GET", "o444l"),
    "journey:gathering_reflection": ("GET", "ooo4l"),  # before the gathering: sent to the intention
    "journey:share": ("GET", "ooool"),
    "journey:depth": ("GET", "33o4l"),
    "journey:depth_csv": ("GET", "33o4l"),
    # the API's own documentation
    "api:openapi-json": ("GET", "ooooo"),
    "api:openapi-view": ("GET", "ooooo"),
    "api:api-root": ("GET", "44444"),  # ninja's root has no page
    "api:api-unknown": ("GET", "44444"),  # any other path under /api/: the JSON 404
    # Django's admin: staff only (no persona here is staff), checked once for all its pages
    "admin:index": ("GET", "lllll"),
}

# "METHOD /api/path/{param}" -> expectations
OPERATIONS: dict[str, str] = {
    "GET /api/health": "ooooo",
    "GET /api/me": "ooool",
    "GET /api/followups/{followup_id}/draft": "o444l",
    "GET /api/gatherings/{gathering_id}/attendees.csv": "33o4l",
    "GET /api/jobs/{job_id}": "o444l",
    "POST /api/gatherings/{gathering_id}/plan/repair/accept": "33o4l",
    # The members API answers 403 to everyone but its organizers, outsiders included (its contract).
    "GET /api/associations/{slug}/members": "33o3l",
    "POST /api/associations/{slug}/members": "33o3l",
    "POST /api/associations/{slug}/invitations": "33o3l",
    "POST /api/associations/{slug}/members/import": "33o3l",
    "GET /api/associations/{slug}/members/import/previews/{preview_id}": "33o3l",
    "POST /api/associations/{slug}/members/import/previews/{preview_id}/import": "33o3l",
    "GET /api/associations/{slug}/gatherings": "ooo4l",
    "POST /api/associations/{slug}/gatherings": "33o4l",
    "POST /api/associations/{slug}/series": "33o4l",
    "GET /api/gatherings/{gathering_id}": "ooo4l",
    "POST /api/gatherings/{gathering_id}/rsvp": "ooo4l",
    "DELETE /api/gatherings/{gathering_id}/rsvp": "ooo4l",
    "GET /api/gatherings/{gathering_id}/calendar.ics": "ooo4l",
    "GET /api/gatherings/{gathering_id}/attendees": "33o4l",
    "POST /api/gatherings/{gathering_id}/checkin": "33o4l",
    "POST /api/gatherings/{gathering_id}/walkin": "33o4l",
    "POST /api/gatherings/{gathering_id}/plan": "33o4l",
    "GET /api/gatherings/{gathering_id}/plan": "33o4l",
    "POST /api/gatherings/{gathering_id}/plan/publish": "33o4l",
    "POST /api/gatherings/{gathering_id}/plan/move": "33o4l",
    "POST /api/gatherings/{gathering_id}/plan/swap": "33o4l",
    "POST /api/gatherings/{gathering_id}/plan/pin": "33o4l",
    "POST /api/gatherings/{gathering_id}/plan/reoptimize": "33o4l",
    "POST /api/gatherings/{gathering_id}/plan/repair": "33o4l",
    "GET /api/gatherings/{gathering_id}/my-table": "oo44l",
    "GET /api/wishes": "ooool",
    "POST /api/wishes": "ooo4l",
    "GET /api/associations/{slug}/wishes/people": "ooo4l",
    "DELETE /api/wishes/{wish_id}": "o444l",
    "POST /api/intentions": "ooo4l",
    "GET /api/intentions": "ooool",
    "GET /api/intentions/{intention_id}": "o444l",
    "POST /api/intentions/{intention_id}/reflection": "o444l",
    "POST /api/share/suggest": "ooool",
    "POST /api/share": "o444l",
    "GET /api/associations/{slug}/depth": "33o4l",
    "POST /api/gatherings/{gathering_id}/cards": "ooo4l",
    "POST /api/gatherings/{gathering_id}/continue": "ooo4l",
    "GET /api/followups": "ooool",
    "POST /api/followups/{followup_id}/send": "o444l",
    "GET /api/contacts": "ooool",
    "POST /api/contacts": "ooool",
    "GET /api/contacts/export.vcf": "ooool",
    "POST /api/contacts/import": "ooool",
    "GET /api/contacts/import/previews/{preview_id}": "o444l",
    "POST /api/contacts/import/previews/{preview_id}/import": "o444l",
    "GET /api/contacts/{contact_id}": "o444l",
    "PATCH /api/contacts/{contact_id}": "o444l",
    "DELETE /api/contacts/{contact_id}": "o444l",
    "POST /api/contacts/{contact_id}/notes": "o444l",
    "PATCH /api/contacts/{contact_id}/notes/{note_id}": "o444l",
    "DELETE /api/contacts/{contact_id}/notes/{note_id}": "o444l",
    "GET /api/me/export.json": "ooool",
}


# --- discovering the routes --------------------------------------------------------------------------


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}" if entry.name else None


def _api_path(route: str) -> str:
    """A Django route of the API ("api/gatherings/<int:gathering_id>") as the OpenAPI path."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def discovered_pages() -> set[str]:
    from tablee.api import api

    operation_paths = set(api.get_openapi_schema()["paths"])
    names = set()
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith("api/") and _api_path(route) in operation_paths:
            continue  # an API operation: walked below, per method
        if route.startswith("admin/"):
            names.add("admin:index")  # Django's admin, staff only, checked as one entry
            continue
        assert name, f"the route {route!r} has no name: the matrix cannot name it"
        names.add(name)
    return names


def discovered_operations() -> set[str]:
    from tablee.api import api

    return {f"{method.upper()} {path}" for path, ops in api.get_openapi_schema()["paths"].items() for method in ops}


def test_every_page_is_in_the_matrix():
    assert discovered_pages() == set(PAGES)


def test_every_api_operation_is_in_the_matrix():
    assert discovered_operations() == set(OPERATIONS)


# --- the world --------------------------------------------------------------------------------------


@pytest.fixture
def world(association, other_association, member, other_member, organizer, make_person, make_gathering):
    from tablee.circle import services as circle_services
    from tablee.circle.models import Suggestion
    from tablee.gatherings.services import rsvp_create
    from tablee.jobs.models import Job
    from tablee.journey.services import intention_create
    from tablee.members.models import ApiToken, JoinRequest
    from tablee.members.services import token_create
    from tablee.tables.models import Plan, PlanTable, Seat
    from tablee.tables.services import wish_create

    outsider = make_person(association=other_association, role="organizer", email="orga@ailleurs.org")
    gathering = make_gathering(starts_at=timezone.now() + timedelta(days=3))
    for person in (member, other_member):
        rsvp_create(gathering=gathering, user=person)
    plan = Plan.objects.create(gathering=gathering, status=Plan.Status.PUBLISHED, published_at=timezone.now())
    table = PlanTable.objects.create(plan=plan, number=1)
    for position, person in enumerate((member, other_member)):
        Seat.objects.create(plan=plan, table=table, user=person, position=position)
    contact = circle_services.contact_create(owner=member, name="Julie Roy", email="julie@example.org",
                                             trusted=True)
    note = circle_services.note_add(owner=member, contact=contact, text="Aime le vélo")
    followup = circle_services.followup_create(owner=member, contact=contact, subject="Suite", body="Bonjour")
    suggestion = Suggestion.objects.create(owner=member, contact=contact, reason=Suggestion.Reason.DORMANT,
                                           day=timezone.localdate())
    wish = wish_create(author=member, association=association, kind="avoid", target=other_member)
    # Samuel appears in the directory: anyone of the association may name him in a wish.
    other_member.profile.directory_visibility, other_member.profile.directory_consent_at = "members", timezone.now()
    other_member.profile.save()
    intention = intention_create(author=member, gathering=gathering, result="Un café", signal="Un rendez-vous")
    token_create(user=member, label="matrix")
    job = Job.objects.create(owner=member, kind=Job.Kind.CONTACTS_IMPORT)
    soon = timezone.now() + timedelta(hours=1)
    csv = b"name,email\nJulie Roy,julie@example.org\n"
    contacts_preview = Job.objects.create(owner=member, kind=Job.Kind.CONTACTS_PREVIEW, status=Job.Status.DONE,
                                          data=csv, expires_at=soon, preview=[[2, "Julie Roy", "julie@example.org",
                                                                               "unchanged", []]])
    members_preview = Job.objects.create(
        owner=organizer, kind=Job.Kind.MEMBERS_PREVIEW, status=Job.Status.DONE, expires_at=soon,
        params={"association": association.pk}, data=b"email,first_name,last_name\njulie@example.org,Julie,Roy\n",
        preview=[[2, "julie@example.org", "Julie Roy", "create", []]])
    trash = circle_services.contact_delete(
        owner=member, contact=circle_services.contact_create(owner=member, name="Ancien Contact"))
    join_request = JoinRequest.objects.create(association=association, email="nouvelle@example.org",
                                              first_name="Nouvelle", last_name="Personne")
    return {
        "personas": {"author": member, "other": other_member, "organizer": organizer, "outsider": outsider,
                     "anonymous": None},
        "kwargs": {"gathering_id": gathering.pk, "slug": association.slug, "user_id": member.pk,
                   "contact_id": contact.pk, "followup_id": followup.pk, "suggestion_id": suggestion.pk,
                   "wish_id": wish.pk, "intention_id": intention.pk, "uidb64": "MQ", "token": "abc-def",
                   "token_id": ApiToken.objects.filter(user=member).first().pk, "request_id": join_request.pk,
                   "key": "no-such-feed", "job_id": job.pk, "preview_id": contacts_preview.pk,
                   "trash_id": trash.pk, "note_id": note.pk, "rest": "no/such/path"},
        "member": member, "other_member": other_member, "contact": contact,
        # The members pages and operations name the organizers' members preview, not Marie's.
        "members_preview_id": members_preview.pk,
    }


def _route_kwargs(name: str, world: dict) -> dict:
    kwargs = dict(world["kwargs"])
    if "members" in name:
        kwargs["preview_id"] = world["members_preview_id"]
    return kwargs


def _page_data(name: str, world: dict) -> dict:
    """POST data that passes the forms, so that only access decides."""
    member, other = world["member"], world["other_member"]
    return {
        "organizer:walkin": {"email": other.email},
        "organizer:checkin_person": {"present": "1"},
        "tables:plan_move": {"user": member.pk, "table": "1"},
        "tables:plan_swap": {"a": member.pk, "b": other.pk},
        "tables:plan_pin": {"user": member.pk, "pinned": "1"},
        "circle:contact_add": {"name": "Nouvelle personne"},
        "circle:merge": {"keep": world["contact"].pk},
        "circle:budget": {"card_budget": "3"},
        "journey:pacing": {"weekly_cap": "2"},
        "members:role": {"role": "member"},
    }.get(name, {})


def _api_body(key: str, world: dict):
    member, other = world["member"], world["other_member"]
    soon = (timezone.now() + timedelta(days=30)).isoformat()
    return {
        "POST /api/associations/{slug}/gatherings": {"title": "Souper", "starts_at": soon},
        "POST /api/associations/{slug}/series": {"title": "Déjeuners", "weekday": 1, "start_time": "07:30",
                                                  "first_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
                                                  "count": 2},
        "POST /api/gatherings/{gathering_id}/checkin": {"email": member.email, "present": True},
        "POST /api/gatherings/{gathering_id}/walkin": {"email": other.email},
        "POST /api/gatherings/{gathering_id}/plan/move": {"email": member.email, "table": 1},
        "POST /api/gatherings/{gathering_id}/plan/swap": {"a": member.email, "b": other.email},
        "POST /api/gatherings/{gathering_id}/plan/pin": {"email": member.email},
        "POST /api/wishes": {"association": "cafe-rencontres", "kind": "meet", "user_id": other.pk},
        "POST /api/intentions": {"event": world["kwargs"]["gathering_id"], "result": "Un café",
                                 "signal": "Un rendez-vous"},
        "POST /api/intentions/{intention_id}/reflection": {"reached": True, "energy_after": 3},
        "POST /api/share/suggest": {"text": "financement"},
        "POST /api/share": {"text": "Un lien pour toi", "picks": [{"contact_id": world["contact"].pk}]},
        "POST /api/gatherings/{gathering_id}/cards": {"emails": [other.email]},
        "POST /api/gatherings/{gathering_id}/continue": {"email": other.email},
        "POST /api/followups/{followup_id}/send": {"subject": "Suite", "body": "Bonjour"},
        "POST /api/contacts": {"name": "Nouvelle personne"},
        "PATCH /api/contacts/{contact_id}": {"organization": "Coop"},
        "POST /api/contacts/{contact_id}/notes": {"text": "Une note"},
        "PATCH /api/contacts/{contact_id}/notes/{note_id}": {"text": "Une note réécrite"},
        "POST /api/associations/{slug}/members": {"email": "nouveau@example.org", "first_name": "Nouveau",
                                                   "last_name": "Membre", "invite": False},
        "POST /api/associations/{slug}/invitations": {"emails": []},
    }.get(key)


def _verdict(response, *, api: bool) -> str:
    status = response.status_code
    if api and status == 401:
        return "l"
    if not api and status == 302 and response["Location"].startswith(("/accounts/login/", "/admin/login/")):
        return "l"
    return {403: "3", 404: "4"}.get(status, "o")


def _rolled_back(send):
    with transaction.atomic():
        response = send()
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_answers_each_persona_as_the_matrix_says(client, world, persona):
    from django.urls import reverse
    from django.urls.resolvers import get_resolver as resolver

    user = world["personas"][persona]
    column = PERSONAS.index(persona)
    wrong = []
    for name, (method, expected) in sorted(PAGES.items()):
        if user is not None:
            client.force_login(user)  # again each time: "logout" and a password change end the session
        route = next(r for r, n in _walk(resolver().url_patterns) if n == name)
        kwargs = {k: v for k, v in _route_kwargs(name, world).items()
                  if f"<{k}>" in route or re.search(rf"<\w+:{k}>", route)}
        url = reverse(name, kwargs=kwargs)
        if method == "GET":
            response = _rolled_back(lambda url=url: client.get(url))
        else:
            data = _page_data(name, world)
            response = _rolled_back(lambda url=url, data=data: client.post(url, data))
        got = _verdict(response, api=False)
        if got != expected[column]:
            wrong.append(f"{method} {name} ({url}): expected {expected[column]!r}, got {got!r} "
                         f"(status {response.status_code})")
    assert not wrong, "\n" + "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_api_operation_answers_each_persona_as_the_matrix_says(client, api, world, persona):
    user = world["personas"][persona]
    headers = api.headers(user)
    column = PERSONAS.index(persona)
    wrong = []
    for key, expected in sorted(OPERATIONS.items()):
        method, path = key.split(" ", 1)
        url = path.format(**_route_kwargs(key, world))
        body = _api_body(key, world)
        if key in ("POST /api/contacts/import", "POST /api/associations/{slug}/members/import"):
            from django.core.files.uploadedfile import SimpleUploadedFile

            content = (b"name,email\nJulie Roy,julie@example.org\n" if "contacts" in key
                       else b"email,first_name,last_name\njulie@example.org,Julie,Roy\n")
            upload = SimpleUploadedFile("file.csv", content)
            response = _rolled_back(lambda url=url, upload=upload: client.post(url, {"file": upload}, **headers))
        else:
            data = json.dumps(body) if body is not None else ""
            response = _rolled_back(lambda url=url, data=data, method=method: client.generic(
                method, url, data=data, content_type="application/json", **headers))
        got = _verdict(response, api=True)
        if got != expected[column]:
            wrong.append(f"{key}: expected {expected[column]!r}, got {got!r} (status {response.status_code}: "
                         f"{response.content[:120]!r})")
    assert not wrong, "\n" + "\n".join(wrong)
