from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CircleConfig(AppConfig):
    name = "tablee.circle"
    label = "circle"
    verbose_name = _("Mon cercle")

    def ready(self) -> None:
        from tablee.circle.erasure import erase
        from tablee.members.hooks import register_eraser

        register_eraser("circle", erase)

        from tablee.circle.selectors import hub_continue_links
        from tablee.gatherings.hooks import register_hub_after

        # The hub of a past gathering links each mutual « poursuivre la conversation » to its draft.
        register_hub_after(hub_continue_links)

        from tablee.circle.selectors import followups_due_links
        from tablee.gatherings.hooks import register_todo

        # « À faire » on my gatherings page: my follow-ups due or late, however long ago the gathering.
        register_todo(followups_due_links)

        from tablee.circle.import_jobs import contacts_import_run
        from tablee.jobs.models import Job
        from tablee.jobs.registry import register_runner

        register_runner(Job.Kind.CONTACTS_IMPORT, contacts_import_run)

        from tablee.circle.import_preview import contacts_preview_run

        register_runner(Job.Kind.CONTACTS_PREVIEW, contacts_preview_run)

        from tablee.circle.emails import queue_evening_after
        from tablee.circle.services import deleted_contacts_purge
        from tablee.jobs.services import previews_purge
        from tablee.outbox import ticks

        # Import previews past their hour drop the file they kept (contacts and members alike).
        ticks.register("expired_previews", previews_purge)

        # Deletions past their undo window become final.
        ticks.register("deleted_contacts", deleted_contacts_purge)

        # The evening after a gathering: who was at my table, keep up to three cards.
        ticks.register("evening_after", queue_evening_after)
