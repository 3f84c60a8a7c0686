"""Forms for the members' pages. They only read and check input; writes go through the services."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tablee.members.models import Profile


class ListField(forms.CharField):
    """Items separated by commas or semicolons. Typed in a box that wraps (a long list stays readable
    on a phone), where a line break separates items too: a one-line answer reads as it always did."""

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return [item.strip() for item in re.split(r"[;,\n]", text) if item.strip()]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value


def _list(label, help_text, *, rows: int | None = None):
    """A list typed on one line, or in a box of ``rows`` lines that wraps (what the planner reads first
    is never cut off at a phone's width)."""
    widget = forms.Textarea(attrs={"rows": rows, "class": "list-box"}) if rows else None
    return ListField(label=label, required=False, help_text=help_text, max_length=3000, widget=widget)


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom de famille"), max_length=150, required=False)
    organization = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    sector = forms.CharField(label=_("Secteur"), max_length=100, required=False,
                             help_text=_("Par exemple : santé, techno, finance, culture."))
    languages = _list(_("Langues parlées"), _("Séparez-les par des virgules : français, anglais."))
    offers = _list(_("Ce que j'offre"), _("Ce que vous pouvez apporter aux autres, séparé par des virgules."), rows=2)
    needs = _list(_("Ce que je cherche"), _("Ce qui vous aiderait en ce moment, séparé par des virgules."), rows=2)
    interests = _list(_("Intérêts"), _("Ce qui vous passionne en dehors du travail, séparé par des virgules."), rows=2)
    bio = forms.CharField(label=_("Courte présentation"), required=False, max_length=600,
                          widget=forms.Textarea(attrs={"rows": 4}),
                          help_text=_("Quelques phrases, au plus 600 caractères."))
    preferred_language = forms.ChoiceField(label=_("Langue de l'interface et des courriels"),
                                           choices=Profile.Language.choices)
    # One control for the directory: ticked, the members of my associations see my profile there
    # (visibility « members », consent dated); unticked, nobody does (consent withdrawn, date cleared).
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
