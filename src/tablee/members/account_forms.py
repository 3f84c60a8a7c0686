"""Forms of « Mon compte »: email change, new password, notification preferences, API tokens,
account deletion."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from tablee.outbox.models import MEMBER_TOPICS, Topic


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("Nouveau courriel"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                             help_text=_("Un lien de confirmation sera envoyé à cette adresse; le changement se fait quand vous l'ouvrez."))


class _NewPasswordErrorsOnTheNewPassword:
    """A password too short, too common or too close to the name is said under « Nouveau mot de
    passe », where it was typed (Django says it under the confirmation); a mismatch stays under the
    confirmation."""

    def validate_password_for_user(self, user, password_field_name: str = "new_password2") -> None:
        super().validate_password_for_user(user, password_field_name="new_password1")  # type: ignore[misc]


class NewPasswordForm(_NewPasswordErrorsOnTheNewPassword, auth_forms.SetPasswordForm):
    """A new password without the old one: a reset link, or an account that never had one."""


class PasswordChangeForm(_NewPasswordErrorsOnTheNewPassword, auth_forms.PasswordChangeForm):
    """A new password, the old one asked first."""


class TokenCreateForm(forms.Form):
    label = forms.CharField(label=_("À quoi servira ce jeton?"), max_length=100,
                            widget=forms.TextInput(attrs={"autocomplete": "off"}),
                            help_text=_("Un nom pour le reconnaître, par exemple « mon agenda » ou « script de l'association »."))


class PreferencesForm(forms.Form):
    """One box per topic: checked means « send me these »."""

    HELP = {
        Topic.RSVP_CONFIRMATIONS: _("Le courriel qui confirme votre place, votre rang sur la liste d'attente ou votre "
                                    "désistement. Sans cette case, votre inscription se fait quand même, sans "
                                    "courriel."),
        Topic.PERSONAL: _("Un suivi ou un partage qu'un membre vous écrit par Tablée. Sans cette case, les membres "
                          "ne peuvent plus vous écrire par Tablée; ils le peuvent toujours depuis leur propre "
                          "messagerie."),
    }

    def __init__(self, *args, topics=MEMBER_TOPICS, **kwargs):
        super().__init__(*args, **kwargs)
        for topic in topics:
            self.fields[topic.value] = forms.BooleanField(label=topic.label, required=False,
                                                          help_text=self.HELP.get(topic, ""))


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Pour confirmer, écrivez votre courriel"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip().lower()
        if value != self.user.email.lower():
            raise forms.ValidationError(_("Ce n'est pas le courriel de votre compte."))
        return value
