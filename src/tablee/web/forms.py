"""Forms for the pages. They only read and check input; writes go through the services."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tablee.gatherings.models import Gathering, Series
from tablee.members.models import Profile

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class ListField(forms.CharField):
    """Items typed on one line, separated by commas or semicolons."""

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return [item.strip() for item in re.split(r"[;,]", text) if item.strip()]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value


def _list(label, help_text):
    return ListField(label=label, required=False, help_text=help_text, max_length=3000)


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom de famille"), max_length=150, required=False)
    organization = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    sector = forms.CharField(label=_("Secteur"), max_length=100, required=False,
                             help_text=_("Par exemple : santé, techno, finance, culture."))
    languages = _list(_("Langues parlées"), _("Séparez-les par des virgules : français, anglais."))
    offers = _list(_("Ce que j'offre"), _("Ce que vous pouvez apporter aux autres, séparé par des virgules."))
    needs = _list(_("Ce que je cherche"), _("Ce qui vous aiderait en ce moment, séparé par des virgules."))
    interests = _list(_("Intérêts"), _("Ce qui vous passionne en dehors du travail, séparé par des virgules."))
    bio = forms.CharField(label=_("Courte présentation"), required=False, max_length=600,
                          widget=forms.Textarea(attrs={"rows": 4}),
                          help_text=_("Quelques phrases, au plus 600 caractères."))
    preferred_language = forms.ChoiceField(label=_("Langue de l'interface et des courriels"),
                                           choices=Profile.Language.choices)
    directory_visibility = forms.ChoiceField(label=_("Qui peut voir mon profil dans le répertoire"),
                                             choices=Profile.Visibility.choices, widget=forms.RadioSelect)
    directory_consent = forms.BooleanField(
        label=_("J'accepte que mon nom, mon organisation et mon profil soient visibles par les membres "
                "de mes associations. Je peux retirer ce consentement en tout temps."),
        required=False,
    )
    tablemates_consent = forms.BooleanField(
        label=_("J'accepte que les personnes assises à ma table voient mon organisation, ce que j'offre "
                "et ce que je cherche. Je peux retirer ce consentement en tout temps."),
        required=False,
    )


class GatheringForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Début"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)
    )
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=15, max_value=24 * 60, initial=120)
    venue = forms.CharField(label=_("Lieu"), max_length=300, required=False)
    tables = forms.IntegerField(label=_("Nombre de tables"), min_value=1, max_value=200, initial=6)
    seats_per_table = forms.IntegerField(label=_("Places par table"), min_value=2, max_value=20, initial=6)
    rsvp_deadline = forms.DateTimeField(
        label=_("Date limite d'inscription"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("Facultative. Après cette date, les membres ne peuvent plus s'inscrire en ligne."),
    )
    state = forms.ChoiceField(label=_("État"), choices=Gathering.State.choices, initial=Gathering.State.OPEN)


WEEKDAYS = [
    (0, _("lundi")), (1, _("mardi")), (2, _("mercredi")), (3, _("jeudi")),
    (4, _("vendredi")), (5, _("samedi")), (6, _("dimanche")),
]  # fmt: skip
WEEKS = [(1, _("1re")), (2, _("2e")), (3, _("3e")), (4, _("4e")), (-1, _("dernière"))]


class SeriesForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    frequency = forms.ChoiceField(label=_("Rythme"), choices=Series.Frequency.choices,
                                  initial=Series.Frequency.MONTHLY_NTH_WEEKDAY)
    week_of_month = forms.TypedChoiceField(label=_("Semaine du mois"), choices=WEEKS, coerce=int, initial=1,
                                           help_text=_("Pour un rythme mensuel seulement."))
    weekday = forms.TypedChoiceField(label=_("Jour"), choices=WEEKDAYS, coerce=int, initial=1)
    start_time = forms.TimeField(label=_("Heure"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    first_date = forms.DateField(label=_("À partir du"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    count = forms.IntegerField(label=_("Nombre de rencontres"), min_value=1, max_value=60, initial=10)
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=15, max_value=24 * 60, initial=120)
    venue = forms.CharField(label=_("Lieu"), max_length=300, required=False)
    tables = forms.IntegerField(label=_("Nombre de tables"), min_value=1, max_value=200, initial=6)
    seats_per_table = forms.IntegerField(label=_("Places par table"), min_value=2, max_value=20, initial=6)
    rsvp_deadline_hours = forms.IntegerField(
        label=_("Fin des inscriptions (heures avant le début)"), min_value=0, max_value=24 * 30, initial=24
    )


class WalkinForm(forms.Form):
    email = forms.EmailField(label=_("Courriel du membre"))


def add_service_errors(form: forms.Form, error) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
