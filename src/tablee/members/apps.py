from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "tablee.members"
    label = "members"
    verbose_name = _("Membres")

    def ready(self) -> None:
        from tablee.jobs.models import Job
        from tablee.jobs.registry import register_runner
        from tablee.members.import_jobs import members_import_run

        register_runner(Job.Kind.MEMBERS_IMPORT, members_import_run)

        from tablee.members.roster_import import members_preview_run

        register_runner(Job.Kind.MEMBERS_PREVIEW, members_preview_run)

        from tablee.jobs.registry import register_line_reader
        from tablee.members.csv_import import lines_from_json

        # A preview and a big import keep their file's problems as codes: they read in the language
        # of who opens them.
        register_line_reader(Job.Kind.MEMBERS_PREVIEW, lines_from_json)
        register_line_reader(Job.Kind.MEMBERS_IMPORT, lines_from_json)

        from tablee.members.join_notices import join_request_notices_due
        from tablee.outbox import ticks

        # Join requests that arrived within the hour after a notice go out as one digest.
        ticks.register("join_request_notices", lambda: join_request_notices_due())

        from tablee.members.invitations import invitation_scope_name, recipient_language
        from tablee.members.selectors import has_account
        from tablee.outbox.models import Topic
        from tablee.outbox.wayback import (
            register_account_reader,
            register_language_reader,
            register_scope_reader,
        )

        # The way back of an invitation names the association; its pages speak the member's language,
        # and offer the preferences page only to an address with an account.
        register_scope_reader(Topic.INVITATIONS, invitation_scope_name)
        register_language_reader(recipient_language)
        register_account_reader(has_account)
