"""The access functions themselves (every ``access.py``), persona by persona.

The access matrix (test_access_matrix.py) walks every route; these tests ask each rule directly, with
the cases a route cannot reach: a disabled account, a deactivated membership, an id that is not a
number, nobody at all (None). Found by `make mutate SCOPE=access`.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from tablee.circle import access as circle_access
from tablee.circle import services as circle_services
from tablee.circle.models import Suggestion
from tablee.gatherings import access as gatherings_access
from tablee.gatherings.models import Gathering
from tablee.journey import access as journey_access
from tablee.journey.services import intention_create
from tablee.members import access
from tablee.members.models import Membership
from tablee.tables import access as tables_access
from tablee.tables.services import wish_create

NOBODY = (None, AnonymousUser())


@pytest.fixture
def disabled(make_person, association):
    person = make_person(association=association, email="desactive@example.org")
    person.is_active = False
    person.save(update_fields=["is_active"])
    return person


@pytest.fixture
def deactivated(make_person, association):
    """An organizer whose membership an organizer deactivated: kept for the record, no access."""
    person = make_person(association=association, role="organizer", email="ancienne@example.org")
    Membership.all_objects.filter(user=person).update(deactivated_at=timezone.now())
    return person


# --- members: who is signed in, and their place in an association ----------------------------------


def test_only_an_active_signed_in_account_is_authenticated(member, disabled):
    assert access.authenticated(member) is True
    assert access.authenticated(disabled) is False
    assert access.authenticated(None) is False
    assert access.authenticated(AnonymousUser()) is False
    # Something that does not say it is signed in is not, even if it looks active.
    assert access.authenticated(SimpleNamespace(is_active=True, pk=member.pk)) is False


def test_role_in_names_the_role_in_that_association_only(member, organizer, outsider, association, other_association):
    assert access.role_in(member, association) == Membership.Role.MEMBER
    assert access.role_in(organizer, association) == Membership.Role.ORGANIZER
    assert access.role_in(organizer, association.pk) == Membership.Role.ORGANIZER  # by id too
    assert access.role_in(member, association.pk) == Membership.Role.MEMBER
    assert access.role_in(outsider, association) is None
    assert access.role_in(outsider, other_association.pk) == Membership.Role.MEMBER
    assert access.role_in(organizer, other_association) is None


def test_nobody_and_disabled_or_deactivated_accounts_have_no_role(association, disabled, deactivated):
    for viewer in (*NOBODY, disabled, deactivated):
        assert access.role_in(viewer, association) is None
        assert access.is_member(viewer, association) is False
        assert access.is_organizer(viewer, association) is False


def test_organizers_are_members_too_but_members_do_not_organize(member, organizer, outsider, association):
    assert access.is_member(member, association) and access.is_member(organizer, association)
    assert not access.is_member(outsider, association)
    assert access.is_organizer(organizer, association)
    assert not access.is_organizer(member, association)
    assert not access.is_organizer(outsider, association)


def test_associations_of_lists_active_memberships_only(
    member, organizer, outsider, deactivated, association, other_association
):
    assert list(access.associations_of(member)) == [association]
    assert list(access.associations_of(organizer)) == [association]
    assert list(access.associations_of(outsider)) == [other_association]
    assert list(access.associations_of(deactivated)) == []
    for viewer in NOBODY:
        assert list(access.associations_of(viewer)) == []


def test_organized_by_lists_where_one_organizes_now(member, organizer, deactivated, association):
    assert list(access.organized_by(organizer)) == [association]
    assert list(access.organized_by(member)) == []
    assert list(access.organized_by(deactivated)) == []
    for viewer in NOBODY:
        assert list(access.organized_by(viewer)) == []


def test_association_for_member_is_a_404_for_everyone_else(member, organizer, outsider, association):
    assert access.association_for_member(member, association.slug) == association
    assert access.association_for_member(organizer, association.slug) == association
    for viewer, slug in ((outsider, association.slug), (None, association.slug), (member, "nulle-part")):
        with pytest.raises(Http404):
            access.association_for_member(viewer, slug)


@pytest.mark.parametrize("raw", ["abc", None, "", "1.5"])
def test_association_by_id_is_a_404_for_an_id_that_is_not_a_number(member, raw):
    with pytest.raises(Http404):
        access.association_by_id_for_member(member, raw)


def test_association_by_id_is_the_members_only(member, outsider, association):
    assert access.association_by_id_for_member(member, association.pk) == association
    assert access.association_by_id_for_member(member, str(association.pk)) == association
    for viewer, raw in ((outsider, association.pk), (None, association.pk), (member, association.pk + 999)):
        with pytest.raises(Http404):
            access.association_by_id_for_member(viewer, raw)


def test_association_for_organizer_forbids_members_and_hides_from_outsiders(member, organizer, outsider, association):
    assert access.association_for_organizer(organizer, association.slug) == association
    with pytest.raises(PermissionDenied):
        access.association_for_organizer(member, association.slug)
    with pytest.raises(Http404):
        access.association_for_organizer(outsider, association.slug)


def test_the_organizers_api_forbids_everyone_else_even_for_unknown_slugs(member, organizer, outsider, association):
    assert access.association_organized_by(organizer, association.slug) == association
    for viewer, slug in ((member, association.slug), (outsider, association.slug), (None, association.slug),
                         (organizer, "nulle-part")):
        with pytest.raises(PermissionDenied) as refused:
            access.association_organized_by(viewer, slug)
        assert str(refused.value) == "Organizers of this association only."


# --- gatherings: members see, organizers manage, drafts are the organizers' ---------------------------


@pytest.fixture
def draft(make_gathering):
    return make_gathering(title="Souper en préparation", state=Gathering.State.DRAFT)


def test_members_see_their_associations_gatherings_and_organizers_their_drafts(
    gathering, draft, member, organizer, outsider, make_gathering, other_association
):
    elsewhere = make_gathering(association=other_association, title="Ailleurs")
    elsewhere_draft = make_gathering(association=other_association, title="Ailleurs, brouillon",
                                      state=Gathering.State.DRAFT)

    assert set(gatherings_access.visible_gatherings(member)) == {gathering}
    assert set(gatherings_access.visible_gatherings(organizer)) == {gathering, draft}
    # An organizer elsewhere sees that association's drafts, not this one's.
    Membership.objects.filter(user=outsider).update(role=Membership.Role.ORGANIZER)
    assert set(gatherings_access.visible_gatherings(outsider)) == {elsewhere, elsewhere_draft}
    for viewer in NOBODY:
        assert list(gatherings_access.visible_gatherings(viewer)) == []


def test_a_members_draft_stays_hidden_when_they_organize_elsewhere(
    draft, member, make_gathering, other_association
):
    Membership.objects.create(association=other_association, user=member, role=Membership.Role.ORGANIZER)

    assert draft not in set(gatherings_access.visible_gatherings(member))
    with pytest.raises(Http404):
        gatherings_access.gathering_for_member(member, draft.pk)


def test_a_gathering_is_the_members_and_a_draft_the_organizers(gathering, draft, member, organizer, outsider):
    assert gatherings_access.gathering_for_member(member, gathering.pk) == gathering
    assert gatherings_access.gathering_for_member(member, str(gathering.pk)) == gathering
    assert gatherings_access.gathering_for_member(organizer, draft.pk) == draft
    for viewer, gathering_id in ((member, draft.pk), (outsider, gathering.pk), (None, gathering.pk),
                                 (member, gathering.pk + 999), (member, "abc"), (member, None)):
        with pytest.raises(Http404):
            gatherings_access.gathering_for_member(viewer, gathering_id)


def test_only_organizers_manage_a_gathering(gathering, draft, member, organizer, outsider):
    assert gatherings_access.gathering_for_organizer(organizer, gathering.pk) == gathering
    assert gatherings_access.gathering_for_organizer(organizer, draft.pk) == draft
    with pytest.raises(PermissionDenied):
        gatherings_access.gathering_for_organizer(member, gathering.pk)
    with pytest.raises(Http404):
        gatherings_access.gathering_for_organizer(outsider, gathering.pk)
    with pytest.raises(Http404):
        gatherings_access.gathering_for_organizer(member, draft.pk)  # a draft does not exist for a member


def test_a_visible_gathering_comes_with_its_association(gathering, member, association, django_assert_num_queries):
    with django_assert_num_queries(2):  # the gathering with its association, then the member's role
        found = gatherings_access.gathering_for_member(member, gathering.pk)
        assert found.association.name == association.name


def test_tables_are_planned_by_organizers_and_looked_up_by_members(gathering, member, organizer, outsider):
    assert tables_access.gathering_for_planner(organizer, gathering.pk) == gathering
    assert tables_access.gathering_for_guest(member, gathering.pk) == gathering
    with pytest.raises(PermissionDenied):
        tables_access.gathering_for_planner(member, gathering.pk)
    with pytest.raises(Http404):
        tables_access.gathering_for_guest(outsider, gathering.pk)


# --- private rows: a circle, a wish, an intention are their author's alone -----------------------------


@pytest.fixture
def circle(member, other_member):
    contact = circle_services.contact_create(owner=member, name="Julie Roy", email="julie@example.org")
    return {
        "contact": contact,
        "followup": circle_services.followup_create(owner=member, contact=contact, subject="Suite", body="Bonjour"),
        "promise": circle_services.promise_create(owner=member, contact=contact, text="Lui envoyer le guide"),
        "suggestion": Suggestion.objects.create(owner=member, contact=contact, reason=Suggestion.Reason.DORMANT,
                                                day=timezone.localdate()),
        "theirs": circle_services.contact_create(owner=other_member, name="Julie Roy"),
    }


def test_a_row_is_owned_by_its_author_only(circle, member, other_member, organizer, disabled):
    for row in ("contact", "followup", "promise"):
        assert circle_access.owns(member, circle[row]) is True
        for viewer in (other_member, organizer, *NOBODY):
            assert circle_access.owns(viewer, circle[row]) is False
    assert circle_access.owns(member, None) is False
    disabled.pk = member.pk  # the same account, disabled
    assert circle_access.owns(disabled, circle["contact"]) is False


def test_the_owner_opens_their_own_contact_followup_and_suggestion(circle, member):
    assert circle_access.contact_for_owner(owner=member, contact_id=circle["contact"].pk) == circle["contact"]
    assert circle_access.followup_for_owner(owner=member, followup_id=circle["followup"].pk) == circle["followup"]
    assert (circle_access.suggestion_for_owner(owner=member, suggestion_id=circle["suggestion"].pk)
            == circle["suggestion"])


@pytest.mark.parametrize("viewer", ["other_member", "organizer", "anonymous", "nobody"])
def test_someone_elses_circle_does_not_exist_for_you(circle, viewer, request):
    others = {"anonymous": AnonymousUser(), "nobody": None}
    user = others[viewer] if viewer in others else request.getfixturevalue(viewer)
    with pytest.raises(Http404):
        circle_access.contact_for_owner(owner=user, contact_id=circle["contact"].pk)
    with pytest.raises(Http404):
        circle_access.followup_for_owner(owner=user, followup_id=circle["followup"].pk)
    with pytest.raises(Http404):
        circle_access.suggestion_for_owner(owner=user, suggestion_id=circle["suggestion"].pk)


def test_the_owners_rows_come_with_what_their_pages_show_in_one_query(
    member, other_member, gathering, django_assert_num_queries
):
    from tablee.circle.models import Card, FollowUp
    from tablee.outbox.models import Email

    contact = circle_services.contact_create(owner=member, name="Samuel Roy", user=other_member)
    card = Card.objects.create(owner=member, contact=contact, gathering=gathering)
    email = Email.objects.create(key="test:followup", kind="followup", to=other_member.email, subject="Suite",
                                 body_text="Bonjour")
    followup = FollowUp.objects.create(owner=member, contact=contact, card=card, email=email,
                                       due_on=timezone.localdate())
    intention = intention_create(author=member, gathering=gathering, result="Un café", signal="Un rendez-vous")

    with django_assert_num_queries(1):
        found = circle_access.contact_for_owner(owner=member, contact_id=contact.pk)
        assert found.user.profile.languages == ["fr"]
    with django_assert_num_queries(1):
        found = circle_access.followup_for_owner(owner=member, followup_id=followup.pk)
        assert (found.contact.user.profile.languages, found.card, found.email) == (["fr"], card, email)
    with django_assert_num_queries(1):
        found = journey_access.intention_for_author(member, intention.pk)
        assert found.gathering.title == gathering.title


def test_unknown_circle_rows_are_a_404_for_their_owner_too(circle, member):
    with pytest.raises(Http404):
        circle_access.contact_for_owner(owner=member, contact_id=circle["theirs"].pk)
    with pytest.raises(Http404):
        circle_access.followup_for_owner(owner=member, followup_id=circle["followup"].pk + 999)
    with pytest.raises(Http404):
        circle_access.suggestion_for_owner(owner=member, suggestion_id=circle["suggestion"].pk + 999)


def test_a_service_handed_someone_elses_row_refuses_with_its_reason(circle, member, other_member):
    circle_access.check_contact(owner=member, contact=circle["contact"])
    circle_access.check_promise(owner=member, promise=circle["promise"])
    circle_access.check_followup(owner=member, followup=circle["followup"])
    refusals = [
        (circle_access.check_contact, {"contact": circle["contact"]}, "Ce contact n'est pas le vôtre."),
        (circle_access.check_promise, {"promise": circle["promise"]}, "Cette promesse n'est pas la vôtre."),
        (circle_access.check_followup, {"followup": circle["followup"]}, "Ce suivi n'est pas le vôtre."),
    ]
    for check, row, message in refusals:
        with pytest.raises(ValidationError) as refused:
            check(owner=other_member, **row)
        assert refused.value.messages == [message]


def test_a_wish_is_its_authors_alone_and_between_members(member, other_member, organizer, outsider, association):
    wish = wish_create(author=member, association=association, kind="avoid", target=other_member)

    assert tables_access.wish_for_author(member, wish.pk) == wish
    assert tables_access.wish_for_author(member, str(wish.pk)) == wish
    for viewer in (other_member, organizer, *NOBODY):
        with pytest.raises(Http404):
            tables_access.wish_for_author(viewer, wish.pk)
    with pytest.raises(Http404):
        tables_access.wish_for_author(member, wish.pk + 999)
    assert tables_access.may_wish(author=member, target=other_member, association=association) is True
    assert tables_access.may_wish(author=member, target=outsider, association=association) is False
    assert tables_access.may_wish(author=outsider, target=member, association=association) is False


def test_an_intention_is_its_authors_alone_organizers_included(
    gathering, member, other_member, organizer
):
    intention = intention_create(author=member, gathering=gathering, result="Un café", signal="Un rendez-vous")

    found = journey_access.intention_for_author(member, intention.pk)
    assert found == intention
    assert found.gathering == gathering
    for viewer in (other_member, organizer, *NOBODY):
        with pytest.raises(Http404):
            journey_access.intention_for_author(viewer, intention.pk)
    with pytest.raises(Http404):
        journey_access.intention_for_author(member, intention.pk + 999)
