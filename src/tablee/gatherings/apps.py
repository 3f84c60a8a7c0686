from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatheringsConfig(AppConfig):
    name = "tablee.gatherings"
    label = "gatherings"
    verbose_name = _("Rencontres")

    def ready(self) -> None:
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
