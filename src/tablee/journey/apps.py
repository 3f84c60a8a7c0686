from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JourneyConfig(AppConfig):
    name = "tablee.journey"
    label = "journey"
    verbose_name = _("Parcours")

    def ready(self) -> None:
        from tablee.journey.erasure import erase
        from tablee.members.hooks import register_eraser

        register_eraser("journey", erase)

        from tablee.circle.hooks import register_export_section
        from tablee.journey.exports import export_sections

        # « Toutes mes données »: my intentions, reflections, pace and shares.
        register_export_section("journey", export_sections)
