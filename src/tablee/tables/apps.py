from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TablesConfig(AppConfig):
    name = "tablee.tables"
    label = "tables"
    verbose_name = _("Tables")

    def ready(self) -> None:
        from tablee.members.hooks import register_eraser
        from tablee.tables.erasure import erase

        register_eraser("tables", erase)

        from tablee.gatherings.signals import seats_changed

        seats_changed.connect(_repair_in_the_worker, dispatch_uid="tables-repair-after-rsvp")

        from tablee.gatherings.hooks import register_seat_numbers
        from tablee.tables.selectors import published_table_numbers

        register_seat_numbers(published_table_numbers)

        from tablee.gatherings.hooks import register_door_seater
        from tablee.tables.services import plan_seat_at_the_door

        register_door_seater(plan_seat_at_the_door)

        from tablee.members.hooks import register_shown_to_tablemates_changed

        register_shown_to_tablemates_changed(_explanations_follow_consent)

        from tablee.outbox.ticks import register_warm_up
        from tablee.tables.services import worker_warm_up

        register_warm_up("tables", worker_warm_up)


def _repair_in_the_worker(sender, *, gathering_id: int, **kwargs) -> None:
    """A seat changed hands: when the gathering has a published plan, the worker repairs it."""
    from tablee.tables.models import Plan
    from tablee.tables.tasks import repair_after_rsvp

    if Plan.objects.filter(gathering_id=gathering_id, status=Plan.Status.PUBLISHED).exists():
        repair_after_rsvp.enqueue(gathering_id)


def _explanations_follow_consent(*, user_id: int) -> None:
    """What table-mates may read of a person changed: blank their tables' why lines now, and let
    the worker write them again, for the gatherings to come and the recent ones, once the change
    has committed (one waiting rewrite per plan and person, however often they change it: see the
    service)."""
    from functools import partial

    from django.db import transaction

    from tablee.tables.services import explanations_forget, explanations_refresh_queue

    for plan_id in explanations_forget(user_id=user_id):
        transaction.on_commit(partial(explanations_refresh_queue, plan_id=plan_id, user_id=user_id), robust=True)
