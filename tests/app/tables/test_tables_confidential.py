"""An avoid wish is honoured, and nobody but its author can learn it exists: every page, API answer
and email other personas get is the same, byte for byte, with or without the wish."""

from __future__ import annotations

import re

import pytest

from tablee.outbox.models import Email
from tablee.tables.emails import queue_plan_published
from tablee.tables.models import Plan, Seat, Wish
from tablee.tables.services import PlanError, plan_move, plan_publish, wish_create

CSRF = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


AVOID_WARNING = ("Une contrainte confidentielle n'est pas respectée\u00a0: deux personnes qui ne doivent pas être assises "
                 "ensemble partagent une table. Ce plan ne peut pas être publié; refaites-le, ou ajoutez une "
                 "table à la rencontre puis refaites-le.")


@pytest.fixture
def season(crowd, member, other_member, organizer, association, make_breakfast, planned):
    """42 people with the three personas; member privately avoids other_member; plan published."""
    wish = wish_create(author=member, association=association, kind="avoid", target=other_member)
    gathering = make_breakfast([*crowd[:39], member, other_member, organizer])
    plan = planned(gathering, publish=True)
    return gathering, plan, wish


def _pages(gathering, association):
    g = gathering.pk
    member_api = [f"/api/gatherings/{g}/my-table", "/api/wishes", f"/api/gatherings/{g}",
                  f"/api/associations/{association.slug}/gatherings"]
    member_pages = [f"/gatherings/{g}/my-table/", "/wishes/"]
    organizer_api = [f"/api/gatherings/{g}/plan", f"/api/gatherings/{g}/attendees"]
    organizer_pages = [f"/organize/gatherings/{g}/tables/", f"/organize/gatherings/{g}/tables/print/",
                       f"/organize/gatherings/{g}/tables/status/"]
    return member_api, member_pages, organizer_api, organizer_pages


def _snapshot(api, client, user, api_paths, page_paths) -> dict[str, str]:
    out = {}
    for path in api_paths:
        response = api.get(path, user=user)
        out[path] = f"{response.status_code} {response.content.decode()}"
    client.force_login(user)
    for path in page_paths:
        response = client.get(path)
        out[path] = f"{response.status_code} " + CSRF.sub(r"\1…", response.content.decode())
    client.logout()
    return out


def _emails() -> dict[str, tuple[str, str, str]]:
    return {e.to: (e.subject, e.body_text, e.body_html) for e in Email.objects.filter(kind="plan_published")}


def test_avoid_wish_is_honoured_and_invisible_to_everyone_else(
    api, client, season, member, other_member, organizer, association
):
    gathering, plan, wish = season
    table_of = dict(Seat.objects.filter(plan=plan).values_list("user_id", "table__number"))
    assert table_of[member.pk] != table_of[other_member.pk]

    member_api, member_pages, organizer_api, organizer_pages = _pages(gathering, association)
    third = Seat.objects.filter(plan=plan).exclude(user__in=[member, other_member, organizer]).first().user
    personas = {
        "target": (other_member, member_api, member_pages),
        "other member": (third, member_api, member_pages),
        "organizer": (organizer, member_api + organizer_api, member_pages + organizer_pages),
        "author": (member, member_api, member_pages),
    }
    with_wish = {name: _snapshot(api, client, user, a, p) for name, (user, a, p) in personas.items()}
    emails_with = _emails()
    assert len(emails_with) == 42

    Wish.objects.filter(pk=wish.pk).delete()
    Email.objects.all().delete()
    for seat in Seat.objects.filter(plan=plan).select_related("user", "user__profile", "table"):
        queue_plan_published(plan=plan, seat=seat)
    without = {name: _snapshot(api, client, user, a, p) for name, (user, a, p) in personas.items()}

    for name in ("target", "other member", "organizer"):
        for path, body in with_wish[name].items():
            assert body.split(" ", 1)[0] == "200", (name, path, body[:200])
            assert body == without[name][path], f"{name} can tell the wish exists from {path}"
    assert _emails() == emails_with
    # The control: the author's own wish list does change, so the comparison can see a difference.
    assert with_wish["author"]["/api/wishes"] != without["author"]["/api/wishes"]
    assert with_wish["author"]["/wishes/"] != without["author"]["/wishes/"]


def test_a_move_that_would_break_an_avoid_wish_is_refused_with_a_neutral_message(
    api, crowd, member, other_member, organizer, association, make_breakfast, planned
):
    wish_create(author=member, association=association, kind="avoid", target=other_member)
    gathering = make_breakfast([*crowd[:40], member, other_member])
    plan = planned(gathering)
    target_table = Seat.objects.get(plan=plan, user=member).table.number
    before = dict(Seat.objects.filter(plan=plan).values_list("user_id", "table__number"))

    response = api.post(f"/api/gatherings/{gathering.pk}/plan/move", {"email": other_member.email,
                                                                      "table": target_table}, user=organizer)

    assert response.status_code == 409
    assert response.json() == {"detail": "Ce déplacement n'est pas possible."}
    assert dict(Seat.objects.filter(plan=plan).values_list("user_id", "table__number")) == before
    with pytest.raises(PlanError, match="pas possible"):
        plan_move(plan=plan, user=other_member, to_table=target_table)
    mate = Seat.objects.filter(plan=plan, table__number=target_table).exclude(user=member).first().user
    response = api.post(f"/api/gatherings/{gathering.pk}/plan/swap", {"a": other_member.email, "b": mate.email},
                        user=organizer)
    assert response.status_code == 409
    assert dict(Seat.objects.filter(plan=plan).values_list("user_id", "table__number")) == before


def test_an_avoid_wish_made_after_the_plan_warns_without_a_table_and_blocks_publication(
    api, crowd, member, other_member, organizer, association, make_breakfast, planned
):
    gathering = make_breakfast([*crowd[:40], member, other_member])
    plan = planned(gathering)
    mine = Seat.objects.get(plan=plan, user=member).table
    mate = Seat.objects.filter(table=mine).exclude(user=member).first().user
    wish_create(author=member, association=association, kind="avoid", target=mate)

    data = api.get(f"/api/gatherings/{gathering.pk}/plan", user=organizer).json()

    avoid = [w for w in data["warnings"] if w["code"] == "avoid"]
    assert avoid == [{"code": "avoid", "table": None, "message": AVOID_WARNING}]
    for name in (member.first_name, member.last_name, mate.first_name, mate.last_name, str(mine.number)):
        assert name not in str(data["warnings"])
    response = api.post(f"/api/gatherings/{gathering.pk}/plan/publish", user=organizer)
    assert response.status_code == 409
    with pytest.raises(PlanError, match="confidentielle"):
        plan_publish(plan=plan)
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.READY
