from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatheringsConfig(AppConfig):
    name = "tablee.gatherings"
    label = "gatherings"
    verbose_name = _("Rencontres")
