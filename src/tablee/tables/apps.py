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
