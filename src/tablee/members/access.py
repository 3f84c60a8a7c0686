"""Who may see and change an association: the one place that answers it for the members room.

A person belongs to an association through a membership (member or organizer; organizers are
members too). Staff have no special access here: the admin site is their tool. The rooms above
build their own answers on these (``tablee.gatherings.access`` and the others).

Things a person may not see raise ``Http404`` (so their existence does not leak); things they may
see but not change raise ``PermissionDenied``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django_htmx.middleware import HtmxDetails

from tablee.jobs.models import Job
from tablee.members.models import Association, Membership, User

# Who is asking: a signed-in account, an anonymous visitor (``AnonymousUser``), or nobody (None).
Viewer = Any


class AuthenticatedRequest(HttpRequest):
    """A request behind ``login_required``: its ``user`` is a signed-in account (for the type checker)."""

    user: User
    htmx: HtmxDetails


def authenticated(user: Viewer) -> bool:
    """A signed-in, active account (anonymous visitors and disabled accounts are not)."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)  # pragma: no mutate (equivalent, docs/testing.md)


def role_in(user: Viewer, association: Association | int) -> str | None:
    """The user's role in the association (``Membership.Role``), or None when not a member."""
    if not authenticated(user):
        return None
    association_id = association if isinstance(association, int) else association.pk  # pragma: no mutate (equivalent, docs/testing.md)
    return (
        Membership.objects.filter(association_id=association_id, user_id=user.pk)
        .values_list("role", flat=True)
        .first()
    )


def is_member(user: Viewer, association: Association | int) -> bool:
    """Any membership counts: organizers are members too."""
    return role_in(user, association) is not None


def is_organizer(user: Viewer, association: Association | int) -> bool:
    return role_in(user, association) == Membership.Role.ORGANIZER


def associations_of(user: Viewer) -> QuerySet[Association]:
    if not authenticated(user):
        return Association.objects.none()
    return Association.objects.filter(memberships__user_id=user.pk, memberships__deactivated_at__isnull=True)


def organized_by(user: Viewer) -> QuerySet[Association]:
    if not authenticated(user):
        return Association.objects.none()
    return organized_by_id(user.pk)


def organized_by_id(user_id: int) -> QuerySet[Association]:
    """The rule of ``organized_by`` for a signed-in person named by id (a prepared query holds it)."""
    return Association.objects.filter(
        memberships__user_id=user_id, memberships__role=Membership.Role.ORGANIZER, memberships__deactivated_at__isnull=True
    )


def association_for_member(user: Viewer, slug: str) -> Association:
    association = Association.objects.filter(slug=slug).first()
    if association is None or not is_member(user, association):
        raise Http404
    return association


def association_by_id_for_member(user: Viewer, association_id: object) -> Association:
    """The same, found by primary key (forms post the id): ``Http404`` unless the user is a member."""
    try:
        pk = int(association_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise Http404 from None
    association = Association.objects.filter(pk=pk).first()
    if association is None or not is_member(user, association):
        raise Http404
    return association


def association_for_organizer(user: Viewer, slug: str) -> Association:
    """The association if the user organizes it; ``Http404`` if not a member, else ``PermissionDenied``."""
    association = association_for_member(user, slug)
    if not is_organizer(user, association):
        raise PermissionDenied
    return association


def association_organized_by(user: Viewer, slug: str) -> Association:
    """For the organizers' API: the association if the user organizes it, ``PermissionDenied`` for
    everyone else, unknown slugs included (a script learns nothing about which associations exist)."""
    association = Association.objects.filter(slug=slug).first()
    if association is None or not is_organizer(user, association):
        raise PermissionDenied("Organizers of this association only.")
    return association


def import_preview_for(*, association: Association, preview_id: int) -> Job:
    """A members import preview (and the file it keeps) belongs to the association's organizers:
    call it after the organizer check; a preview of another association does not exist here (404)."""
    job = (Job.objects.filter(pk=preview_id, kind=Job.Kind.MEMBERS_PREVIEW, params__association=association.pk)
           .defer("data").first())
    if job is None:
        raise Http404
    return job
