"""Forms of the organizer's members page and of « Demander à joindre »."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tablee.members.models import JoinRequest, Membership
from tablee.members.roster_import import MAX_BYTES


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("Courriel"), max_length=254)
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom de famille"), max_length=150)
    organization = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    invite = forms.BooleanField(label=_("Envoyer l'invitation maintenant"), required=False, initial=True)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=Membership.Role.choices)


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Fichier CSV des membres"),
                           help_text=_("Colonnes : courriel, prénom, nom, puis au choix organisation, secteur, "
                                       "langues, offres, besoins, intérêts (les noms anglais email, first_name, "
                                       "last_name… vont aussi)."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 2 Mo."))
        return upload


class ImportConfirmForm(forms.Form):
    """Whether to invite the new members, and what to do with values members filled in (the file
    itself stays on the server with the preview)."""

    # Unticked: emailing a whole file of people is the organizer's explicit choice.
    invite = forms.BooleanField(label=_("Inviter aussi par courriel les personnes de ce fichier qui n'ont pas "
                                        "encore ouvert de session sur Tablée"),
                                required=False, initial=False)
    # What members wrote themselves is kept unless the organizer chooses otherwise, seeing every value.
    mode = forms.ChoiceField(
        label=_("Valeurs que les membres ont déjà remplies"),
        choices=[("fill", _("Les garder : le fichier ne remplit que les champs vides (recommandé)")),
                 ("replace", _("Les remplacer par celles du fichier"))],
        initial="fill", required=False, widget=forms.RadioSelect)

    @property
    def overwrite(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("mode") == "replace"


class JoinRequestForm(forms.ModelForm):
    class Meta:
        model = JoinRequest
        fields = ["first_name", "last_name", "email", "organization", "message"]
        labels = {"first_name": _("Prénom"), "last_name": _("Nom de famille")}
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"message": _("Quelques mots pour l'équipe d'organisation (facultatif).")}

    def validate_unique(self):
        """One pending request per address is checked by the service, which answers the same either way."""
