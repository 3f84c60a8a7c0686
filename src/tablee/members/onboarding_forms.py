"""Forms of the way in: the first-visit page and the sign-in link request."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from tablee.members.forms import ListField
from tablee.members.models import Profile


class SignInLinkForm(forms.Form):
    email = forms.EmailField(label=_("Courriel"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))


class WelcomeForm(forms.Form):
    """First visit: confirm the name, the languages, the two consents; a password if one wants it."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom de famille"), max_length=150)
    languages = ListField(label=_("Langues parlées"), max_length=500, required=False,
                               help_text=_("Séparez-les par des virgules : français, anglais."))
    preferred_language = forms.ChoiceField(label=_("Langue de l'interface et des courriels"),
                                           choices=Profile.Language.choices)
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
    password1 = forms.CharField(label=_("Mot de passe (facultatif)"), required=False, strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("Sans mot de passe, vous entrez par un lien reçu par courriel."))
    password2 = forms.CharField(label=_("Le même mot de passe, encore"), required=False, strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and user.has_usable_password():
            # Someone who already signs in with a password changes it on the account page.
            del self.fields["password1"], self.fields["password2"]

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first or second:
            if first != second:
                self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
            else:
                try:
                    password_validation.validate_password(first, self.user)
                except forms.ValidationError as exc:
                    self.add_error("password1", exc)
        return data
