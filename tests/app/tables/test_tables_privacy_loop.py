"""Issue 11, privacy first: a mutual continue wish reaches no one but the pair, consent decides what
table-mates see, and a cancelled member no longer sees her table. Each test asserts the absence on
every surface (API, pages, emails, the organizer's map and print) and has a control that can fail."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from tablee.outbox.models import Email
from tablee.tables import services
from tablee.tables.emails import queue_plan_published
from tablee.tables.models import Seat

CSRF = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


def _surfaces(api, client, gathering, user, *, organizer: bool) -> dict[str, str]:
    g = gathering.pk
    out = {}
    paths = [f"/api/gatherings/{g}/my-table"] + ([f"/api/gatherings/{g}/plan"] if organizer else [])
    for path in paths:
        response = api.get(path, user=user)
        out[path] = f"{response.status_code} {response.content.decode()}"
    pages = [f"/gatherings/{g}/my-table/"] + (
        [f"/organize/gatherings/{g}/tables/", f"/organize/gatherings/{g}/tables/print/"] if organizer else [])
    client.force_login(user)
    for path in pages:
        response = client.get(path)
        out[path] = f"{response.status_code} " + CSRF.sub(r"\1…", response.content.decode())
    client.logout()
    return out


def _emails(plan):
    Email.objects.filter(kind="plan_published").delete()
    for seat in Seat.objects.filter(plan=plan).select_related("user", "user__profile", "table"):
        queue_plan_published(plan=plan, seat=seat)
    return {e.to: (e.subject, e.body_text, e.body_html) for e in Email.objects.filter(kind="plan_published")}


@pytest.fixture
def seated_pair(crowd, association, organizer, make_breakfast, planned):
    """A published plan of 18 where crowd[0] and crowd[1] sit together, with a third table-mate."""
    gathering = make_breakfast([*crowd[:17], organizer], tables=3)
    plan = planned(gathering)
    home = Seat.objects.get(plan=plan, user=crowd[0]).table.number
    if Seat.objects.get(plan=plan, user=crowd[1]).table.number != home:
        services.plan_move(plan=plan, user=crowd[1], to_table=home)
    services.plan_publish(plan=plan, notify=False)
    third = Seat.objects.filter(plan=plan, table__number=home).exclude(user__in=crowd[:2]).first().user
    return gathering, plan, home, third


def test_a_mutual_continue_wish_appears_in_no_why_my_table_plan_print_or_email(
    api, client, crowd, association, organizer, seated_pair
):
    gathering, plan, home, third = seated_pair
    a, b = crowd[0], crowd[1]
    before = {"mate": _surfaces(api, client, gathering, third, organizer=False),
              "organizer": _surfaces(api, client, gathering, organizer, organizer=True)}
    emails_before = _emails(plan)

    services.wish_create(author=a, association=association, kind="continue", target=b)
    services.wish_create(author=b, association=association, kind="continue", target=a)
    # The control: the engine does read the pair now (so the why could have named it)...
    from tablee.tables.selectors import engine_problem_for

    assert sorted([a.pk, b.pk]) in engine_problem_for(gathering=gathering)["continue"]
    # ...and every table's why is recomputed from it, as after a repair.
    services._refresh_explanations(plan, set(plan.tables.values_list("number", flat=True)))

    after = {"mate": _surfaces(api, client, gathering, third, organizer=False),
             "organizer": _surfaces(api, client, gathering, organizer, organizer=True)}
    assert after == before
    assert _emails(plan) == emails_before
    for table in plan.tables.all():
        for line in table.why_fr + table.why_en:
            assert "poursuivent" not in line and "continue their" not in line


def test_the_engine_why_would_name_the_pair_without_the_filter(crowd, association, seated_pair):
    """The control of the test above: the engine's own sentences do name a continue pair."""
    from tablee.engine.model import parse_problem, score_matrices
    from tablee.engine.why import table_why
    from tablee.tables.selectors import engine_problem_for

    gathering, plan, home, _third = seated_pair
    services.wish_create(author=crowd[0], association=association, kind="continue", target=crowd[1])
    services.wish_create(author=crowd[1], association=association, kind="continue", target=crowd[0])
    problem = engine_problem_for(gathering=gathering)
    parsed = parse_problem(dict(problem, pinned=None, tables=None))
    ids = list(Seat.objects.filter(plan=plan, table__number=home).values_list("user_id", flat=True))
    scores = score_matrices(parsed)
    why = table_why(parsed, scores, [parsed.index[i] for i in ids], scores.history_count, "fr")
    assert any("poursuivent leur conversation" in line for line in why)


def test_offers_and_needs_reach_table_mates_only_with_consent(api, client, crowd, association, organizer,
                                                              seated_pair):
    gathering, plan, home, third = seated_pair
    person = crowd[0]
    secret_offer, secret_need = "coaching de négociation", "un local à Saint-Sauveur"
    profile = person.profile
    profile.offers, profile.needs, profile.tablemates_consent_at = [secret_offer], [secret_need], None
    profile.save()
    services._refresh_explanations(plan, {home})

    mine = api.get(f"/api/gatherings/{gathering.pk}/my-table", user=third).json()
    shown = next(c for c in mine["companions"] if c["name"] == person.get_full_name())
    assert shown["organization"] == ""  # the name alone without consent (issue 10's rule)
    surfaces = _surfaces(api, client, gathering, third, organizer=False)
    emails = _emails(plan)
    for text in [*surfaces.values(), *(part for e in emails.values() for part in e)]:
        assert secret_offer not in text and secret_need not in text

    # The control: with consent, the same surfaces do show them.
    profile.tablemates_consent_at = timezone.now()
    profile.save()
    mine = api.get(f"/api/gatherings/{gathering.pk}/my-table", user=third).json()
    shown = next(c for c in mine["companions"] if c["name"] == person.get_full_name())
    assert shown["offers"] == [secret_offer] and shown["needs"] == [secret_need]
    assert shown["organization"] == profile.organization


def test_a_cancelled_member_no_longer_sees_her_table(api, client, crowd, seated_pair):
    from tablee.gatherings.services import rsvp_cancel

    gathering, plan, home, third = seated_pair
    assert api.get(f"/api/gatherings/{gathering.pk}/my-table", user=third).status_code == 200

    rsvp_cancel(gathering=gathering, user=third)

    assert api.get(f"/api/gatherings/{gathering.pk}/my-table", user=third).status_code == 404
    client.force_login(third)
    page = client.get(f"/gatherings/{gathering.pk}/my-table/").content.decode()
    assert 'data-testid="no-seat"' in page and 'data-testid="companion"' not in page


def test_interests_sector_and_organization_reach_table_mates_and_the_printed_cards_only_with_consent(
    api, client, crowd, association, organizer, seated_pair
):
    gathering, plan, home, third = seated_pair
    person = crowd[0]
    interest, sector, organization = "apiculture urbaine", "horticulture ornementale", "Ruchers Saint-Sauveur"
    for who in (person, third):
        who.profile.interests = [interest]
        who.profile.tablemates_consent_at = timezone.now() if who == third else None
        who.profile.save()
    person.profile.sector, person.profile.organization = sector, organization
    person.profile.save()
    services._refresh_explanations(plan, {home})

    seen = [*_surfaces(api, client, gathering, third, organizer=False).values(),
            client.force_login(organizer) or client.get(f"/organize/gatherings/{gathering.pk}/tables/print/")
            .content.decode()]
    for text in seen:
        assert interest not in text and sector not in text and organization not in text

    # The control: with consent, the why names the shared interest and the printed card the organization.
    person.profile.tablemates_consent_at = timezone.now()
    person.profile.save()
    services._refresh_explanations(plan, {home})
    mine = client.get(f"/organize/gatherings/{gathering.pk}/tables/print/").content.decode()
    assert organization in mine
    why = api.get(f"/api/gatherings/{gathering.pk}/my-table", user=third).json()["why"]
    assert any(interest in line for line in why)


def test_the_printed_seating_list_is_alphabetical_as_people_read_it():
    from tablee.members.models import User
    from tablee.tables.views import _by_name

    people = [User(last_name=n, first_name="A", email=f"{n}@x.org") for n in ("Bergeron", "Bélanger", "Émond", "Dubé")]
    assert [u.last_name for u in sorted(people, key=_by_name)] == ["Bélanger", "Bergeron", "Dubé", "Émond"]


def test_withdrawing_consent_takes_my_offers_out_of_the_why_my_table_mates_already_read(
    api, client, crowd, seated_pair, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from tablee.members.services import profile_update
    from tablee.tables.tasks import explanations_refresh

    gathering, plan, home, third = seated_pair
    person, offer = crowd[0], "coaching de négociation"
    third.profile.needs, third.profile.tablemates_consent_at = [offer], timezone.now()
    third.profile.save()
    profile_update(user=person, tablemates_consent=True, offers=[offer])
    services._refresh_explanations(plan, {home})
    why = api.get(f"/api/gatherings/{gathering.pk}/my-table", user=third).json()["why"]
    assert any(offer in line for line in why), why  # the control: with consent, the why quotes the offer

    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=person, tablemates_consent=False)

    for text in [*_surfaces(api, client, gathering, third, organizer=False).values(),
                 *(part for e in _emails(plan).values() for part in e)]:
        assert offer not in text
    # The worker writes the table's lines again, from today's consents: still without the offer.
    queued = DBTaskResult.objects.filter(task_path__endswith="explanations_refresh")
    assert queued.count() == 1
    assert explanations_refresh.call(plan.pk, person.pk) == "refreshed"
    why = api.get(f"/api/gatherings/{gathering.pk}/my-table", user=third).json()["why"]
    assert why and not any(offer in line for line in why)


def test_a_table_mate_s_offer_is_quoted_as_they_wrote_it(api, crowd, seated_pair):
    gathering, plan, home, third = seated_pair
    person = crowd[0]
    for who, field, words in ((person, "offers", ["Cybersécurité pour PME"]), (third, "needs", ["cybersécurité pour pme"])):
        setattr(who.profile, field, words)
        who.profile.tablemates_consent_at = timezone.now()
        who.profile.save()

    mine = api.get(f"/api/gatherings/{gathering.pk}/my-table", user=third).json()

    shown = next(c for c in mine["companions"] if c["name"] == person.get_full_name())
    assert any("Cybersécurité pour PME" in line for line in shown["why"]), shown["why"]
