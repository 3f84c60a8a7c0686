from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _queue_due_reminders() -> int:
    # Looked up at each tick, so a patched or reloaded module is the one that runs.
    from tablee.gatherings import emails

    return emails.queue_due_reminders()


class GatheringsConfig(AppConfig):
    name = "tablee.gatherings"
    label = "gatherings"
    verbose_name = _("Rencontres")

    def ready(self) -> None:
        from tablee.outbox import ticks

        ticks.register("reminders", _queue_due_reminders)

        from tablee.gatherings.erasure import erase
        from tablee.gatherings.feed import account_section
        from tablee.gatherings.selectors import last_attended
        from tablee.members.hooks import (
            register_account_section,
            register_eraser,
            register_last_attended,
        )

        register_eraser("gatherings", erase)
        register_last_attended(last_attended)
        register_account_section(account_section)
