from django import forms
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from tablee.text import french

ENERGY_CHOICES = [(n, str(n)) for n in range(1, 6)]


class GatheringChoiceField(forms.ModelChoiceField):
    """Gatherings by title and day: the breakfasts of a series share their title."""

    def label_from_instance(self, obj) -> str:
        day = formats.date_format(timezone.localtime(obj.starts_at), "DATE_FORMAT")
        # « 1er janvier 2027 », the day kept with its month
        return f"{obj.title} — {french.dates_in(translation.get_language(), day)}"


class IntentionForm(forms.Form):
    gathering = GatheringChoiceField(
        queryset=None, required=False, label=_("Une rencontre Tablée"),
        empty_label=_("— un autre événement (conférence, cocktail…) —"),
    )
    event_title = forms.CharField(label=_("Nom de l'événement"), max_length=200, required=False)
    event_date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    result = forms.CharField(label=_("Le résultat que je veux"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Par exemple : rencontrer une personne qui a déjà exporté en Europe."))
    signal = forms.CharField(label=_("Qu'est-ce qui va t'indiquer que tu as atteint ton résultat?"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Par exemple : un café prévu avec quelqu'un avant de partir."))
    cards_budget = forms.IntegerField(label=_("Cartes à garder, au plus"), min_value=0, max_value=50, initial=3)
    energy_before = forms.TypedChoiceField(label=_("Mon énergie maintenant (1 à 5)"), choices=ENERGY_CHOICES,
                                           coerce=int, initial=3, widget=forms.RadioSelect)
    leave_at = forms.TimeField(label=_("L'heure où je pars"), required=False,
                               widget=forms.TimeInput(attrs={"type": "time"}))
    question_1 = forms.CharField(label=_("Question préparée 1"), max_length=300, required=False,
                                 widget=forms.TextInput(attrs={"list": "question-bank"}))
    question_2 = forms.CharField(label=_("Question préparée 2"), max_length=300, required=False,
                                 widget=forms.TextInput(attrs={"list": "question-bank"}))
    question_3 = forms.CharField(label=_("Question préparée 3"), max_length=300, required=False,
                                 widget=forms.TextInput(attrs={"list": "question-bank"}))

    def __init__(self, *args, gatherings=None, known_gathering=None, **kwargs):
        """``known_gathering``: the form is for that Tablée gathering (from its hub, or an intention
        being edited): no choice of event, no event name or date to type."""
        super().__init__(*args, **kwargs)
        self.fields["gathering"].queryset = gatherings
        if known_gathering is not None:
            self.fields["gathering"].widget = forms.HiddenInput()
            self.fields["gathering"].initial = known_gathering.pk
            del self.fields["event_title"], self.fields["event_date"]

    def clean(self):
        data = super().clean()
        if not data.get("gathering") and "event_title" in self.fields:
            if not (data.get("event_title") or "").strip():
                self.add_error("event_title", _("Nommez l'événement ou choisissez une rencontre."))
            if not data.get("event_date"):
                self.add_error("event_date", _("Indiquez la date de l'événement."))
        return data

    def questions(self) -> list[str]:
        return [self.cleaned_data[f"question_{k}"] for k in (1, 2, 3) if self.cleaned_data.get(f"question_{k}")]


class ReflectionForm(forms.Form):
    reached = forms.TypedChoiceField(
        label=_("Le signe est-il arrivé?"), choices=[("1", _("Oui")), ("0", _("Pas cette fois"))],
        coerce=lambda v: v == "1", widget=forms.RadioSelect,
    )
    next_step = forms.CharField(label=_("La suite"), max_length=1000, required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    energy_after = forms.TypedChoiceField(label=_("Mon énergie après (1 à 5)"), choices=ENERGY_CHOICES,
                                          coerce=int, widget=forms.RadioSelect)


class GatheringReflectionForm(ReflectionForm):
    """A reflection on a gathering I wrote no intention for: what I wanted, looking back, then the reflection."""

    result = forms.CharField(label=_("Le résultat que je voulais"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    signal = forms.CharField(label=_("Le signe que j'attendais"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    energy_before = forms.TypedChoiceField(label=_("Mon énergie avant (1 à 5)"), choices=ENERGY_CHOICES,
                                           coerce=int, widget=forms.RadioSelect)

    field_order = ["result", "signal", "energy_before", "reached", "next_step", "energy_after"]


class PacingForm(forms.Form):
    weekly_cap = forms.IntegerField(label=_("Événements par semaine, au plus"), min_value=1, max_value=14)


class ShareForm(forms.Form):
    text = forms.CharField(label=_("Le lien ou la note à partager"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 5}))

