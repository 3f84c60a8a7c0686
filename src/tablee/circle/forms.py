"""The contact card's form: types checked here, the rules (rhythm order, tiers) by the service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tablee.circle.models import Contact


class ContactForm(forms.Form):
    """« Fiche » on a contact's page. A refused value comes back beside its field, as typed."""

    name = forms.CharField(label=_("Nom"), max_length=200)
    pronunciation = forms.CharField(label=_("Prononciation"), max_length=200, required=False)
    email = forms.EmailField(label=_("Courriel"), required=False)
    phone = forms.CharField(label=_("Cellulaire"), max_length=50, required=False)
    organization = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    position = forms.CharField(label=_("Fonction"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Langue"), choices=Contact.Language.choices, required=False)
    tier = forms.ChoiceField(label=_("Cercle"), choices=Contact.Tier.choices, required=False)
    rhythm_ideal_days = forms.IntegerField(label=_("Rythme idéal (jours)"), min_value=1, required=False)
    rhythm_max_days = forms.IntegerField(label=_("Rythme maximal (jours)"), min_value=1, required=False)
    trusted = forms.BooleanField(label=_("Lien de confiance"), required=False)

    @classmethod
    def for_contact(cls, contact: Contact) -> "ContactForm":
        return cls(initial={name: getattr(contact, name) for name in cls.base_fields})
