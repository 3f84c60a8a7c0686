"""Who may see and change table plans and wishes: the one place that answers it.

Organizers of a gathering's association plan its tables (request, move, swap, pin, publish,
repair, print). A member sees their own table once the plan is published. A wish is its author's
alone: no one else sees it, organizers included, and an "avoid" is never inferable.

Things a person may not see raise ``Http404``; things they may see but not change raise
``PermissionDenied`` (see ``tablee.gatherings.access``).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tablee.gatherings.access import gathering_for_member, gathering_for_organizer
from tablee.gatherings.models import Gathering, Rsvp
from tablee.members.access import Viewer, authenticated, is_member
from tablee.members.models import Association, Profile, User
from tablee.tables.models import Plan, Seat, Wish


def gathering_for_planner(user: Viewer, gathering_id: object) -> Gathering:
    """The gathering whose tables the user may plan: they organize its association."""
    return gathering_for_organizer(user, gathering_id)


def gathering_for_guest(user: Viewer, gathering_id: object) -> Gathering:
    """The gathering whose published table the user may look for: they may see the gathering."""
    return gathering_for_member(user, gathering_id)


def may_wish(*, author: Viewer, target: Viewer, association: Association) -> bool:
    """A wish is between two members of the same association. (Whom a member may *name* in a wish
    they type is narrower: ``wish_target``.)"""
    return is_member(author, association) and is_member(target, association)


def sat_with(*, author: Viewer, association: Association, held_only: bool = False) -> QuerySet:
    """The ids of the people seated at the author's table in a published plan of one of the
    association's gatherings (their names were on the author's « Ma tablée »).

    With ``held_only``, the people the author really shared a table with: at a gathering that
    began (not cancelled), both holding a confirmed seat and not marked absent. A table to come
    is not shared yet."""
    seats = Seat.objects.filter(plan__status=Plan.Status.PUBLISHED, plan__gathering__association_id=association.pk)
    if held_only:
        came = Rsvp.objects.filter(gathering_id=OuterRef("plan__gathering_id"), user_id=OuterRef("user_id"),
                                   status=Rsvp.Status.CONFIRMED).exclude(present=False)
        seats = (seats.filter(Exists(came), plan__gathering__starts_at__lte=timezone.now())
                 .exclude(plan__gathering__state=Gathering.State.CANCELLED))
    tables = seats.filter(user_id=author.pk).values("table_id")
    return seats.filter(table_id__in=tables).exclude(user_id=author.pk).values("user_id")


def nameable(*, author: Viewer, association: Association) -> QuerySet[User]:
    """Whom a member may name in a meet or avoid wish: the association's active members who chose to
    appear in its directory (dated consent), and those the author sat with. Nobody else, whatever
    the author knows of them (an address): choosing a person never tells whether someone is a
    member. Empty for someone who is not a member."""
    if not is_member(author, association):
        return User.objects.none()
    in_directory = Q(profile__directory_visibility=Profile.Visibility.MEMBERS,
                     profile__directory_consent_at__isnull=False)
    return (User.objects.filter(is_active=True, memberships__association_id=association.pk,
                                memberships__deactivated_at__isnull=True)
            .filter(in_directory | Q(pk__in=sat_with(author=author, association=association)))
            .exclude(pk=author.pk))


def wish_target(*, author: Viewer, association: Association, user_id: object = None,
                email: str = "") -> User | None:
    """The person a wish names, by account id (the picker) or by address (older API clients), if
    the author may name them (``nameable``); None for anyone else. An unknown address and the
    address of someone the author may not name answer the same None."""
    # Oneself is no secret: the service then says a wish is about someone else (409).
    people = nameable(author=author, association=association)
    if is_member(author, association):
        people = people | User.objects.filter(pk=author.pk)
    if user_id not in (None, ""):
        text = str(user_id)
        if not (text.isascii() and text.isdigit()):
            return None
        return people.filter(pk=int(text)).first()
    if email.strip():
        return people.filter(email__iexact=email.strip()).first()
    return None


def wish_for_author(user: Viewer, wish_id: int | str) -> Wish:
    """The user's own wish, else ``Http404``: someone else's wish does not exist for you."""
    if not authenticated(user):
        raise Http404
    wish = Wish.objects.filter(pk=wish_id, author_id=user.pk).first()
    if wish is None:
        raise Http404
    return wish
