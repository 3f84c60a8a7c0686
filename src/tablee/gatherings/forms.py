"""Forms for the organizer's pages. They only read and check input; writes go through the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tablee.gatherings.models import Gathering, Series

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


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
    state = forms.ChoiceField(label=_("État"), choices=Gathering.State.choices)

    # A gathering being created starts as a draft (members see it once it is open), and cannot be
    # created closed, finished or cancelled.
    NEW_STATES = (Gathering.State.DRAFT, Gathering.State.OPEN)

    def __init__(self, *args, new: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if new:
            field = self.fields["state"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(value, label) for value, label in Gathering.State.choices if value in self.NEW_STATES]
            field.initial = Gathering.State.DRAFT


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
    # As a gathering being created: a draft by default (members see its gatherings once they are
    # open), or open at once; never closed, finished or cancelled.
    state = forms.ChoiceField(
        label=_("État"), initial=Gathering.State.DRAFT,
        choices=[(value, label) for value, label in Gathering.State.choices if value in GatheringForm.NEW_STATES],
        help_text=_("En brouillon, les rencontres de la série restent cachées aux membres jusqu'à ce que vous les ouvriez."),
    )


class WalkinForm(forms.Form):
    email = forms.EmailField(label=_("Courriel du membre"))


class GuestForm(forms.Form):
    """A walk-in with no account: a name is enough (never emailed, never exported)."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom (facultatif)"), max_length=150, required=False)
