"""Who may see and change table plans and wishes: the one place that answers it.

Organizers of a gathering's association plan its tables (request, move, swap, pin, publish,
repair, print). A member sees their own table once the plan is published. A wish is its author's
alone: no one else sees it, organizers included, and an "avoid" is never inferable.

Things a person may not see raise ``Http404``; things they may see but not change raise
``PermissionDenied`` (see ``tablee.gatherings.access``).
"""

from __future__ import annotations

from django.http import Http404

from tablee.gatherings.access import gathering_for_member, gathering_for_organizer
from tablee.gatherings.models import Gathering
from tablee.members.access import Viewer, authenticated, is_member
from tablee.members.models import Association
from tablee.tables.models import Wish


def gathering_for_planner(user: Viewer, gathering_id: object) -> Gathering:
    """The gathering whose tables the user may plan: they organize its association."""
    return gathering_for_organizer(user, gathering_id)


def gathering_for_guest(user: Viewer, gathering_id: object) -> Gathering:
    """The gathering whose published table the user may look for: they may see the gathering."""
    return gathering_for_member(user, gathering_id)


def may_wish(*, author: Viewer, target: Viewer, association: Association) -> bool:
    """A wish is between two members of the same association."""
    return is_member(author, association) and is_member(target, association)


def wish_for_author(user: Viewer, wish_id: int | str) -> Wish:
    """The user's own wish, else ``Http404``: someone else's wish does not exist for you."""
    if not authenticated(user):
        raise Http404
    wish = Wish.objects.filter(pk=wish_id, author_id=user.pk).first()
    if wish is None:
        raise Http404
    return wish
