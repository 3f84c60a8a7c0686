"""Account deletion, tables' part: wishes by or about the person go; a seat at a gathering to come
is freed, one at a gathering that began stays, as the ghost's (« Compte supprimé »).

The why lines of every table where the person sat named them and quoted what they showed their
table-mates: blanked at once, and those of the gatherings to come (and of the last weeks) written
again by the worker, without them, once the deletion has committed."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tablee.tables.models import Seat, Wish
from tablee.tables.services import explanations_forget, explanations_refresh_queue


def erase(*, user, ghost) -> dict[str, int]:
    # Her seat in a plan of a gathering to come goes in this transaction, whatever the repair does
    # after (it may wait for the organizer, or not run with fewer than two people): no plan, list
    # or « Ma tablée » shows a seat nobody will take. Gatherings' part gave up her RSVP already.
    coming = Seat.objects.filter(user=user, plan__gathering__starts_at__gt=timezone.now())
    coming_plans = set(coming.values_list("plan_id", flat=True))
    # Such a table's lines are written again for one of the people left at it (none left: no lines).
    readers = dict(Seat.objects.filter(table_id__in=coming.values("table_id")).exclude(user=user)
                   .values_list("plan_id", "user_id"))
    for plan_id in explanations_forget(user_id=user.pk):
        reader = readers.get(plan_id) if plan_id in coming_plans else ghost.pk
        if reader is not None:
            transaction.on_commit(partial(explanations_refresh_queue, plan_id=plan_id, user_id=reader), robust=True)
    return {
        "wishes": Wish.objects.filter(Q(author=user) | Q(target=user)).delete()[0],
        "coming_seats_freed": coming.delete()[0],
        "seats_kept_anonymously": Seat.objects.filter(user=user).update(user=ghost),
    }
