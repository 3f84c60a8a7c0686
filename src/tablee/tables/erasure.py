"""Account deletion, tables' part: wishes by or about the person go; seats stay, as the ghost's.

The why lines of every table where the person sat named them and quoted what they showed their
table-mates: blanked at once, and those of the gatherings to come (and of the last weeks) written
again by the worker, without them, once the deletion has committed."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import Q

from tablee.tables.models import Seat, Wish
from tablee.tables.services import explanations_forget, explanations_refresh_queue


def erase(*, user, ghost) -> dict[str, int]:
    for plan_id in explanations_forget(user_id=user.pk):
        transaction.on_commit(partial(explanations_refresh_queue, plan_id=plan_id, user_id=ghost.pk), robust=True)
    return {
        "wishes": Wish.objects.filter(Q(author=user) | Q(target=user)).delete()[0],
        "seats_kept_anonymously": Seat.objects.filter(user=user).update(user=ghost),
    }
