"""A member's intentions before an event, reflections after it, pacing, and shares with the few.

Everything here is private to its author: no organizer reads it. The depth page for organizers is
built from plans, wishes and follow-ups, counted only.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tablee.gatherings.models import Gathering

ENERGY = [MinValueValidator(1), MaxValueValidator(5)]


class Intention(models.Model):
    """What I want from one event: a Tablée gathering, or an outside one (title and date)."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intentions")
    gathering = models.ForeignKey(
        Gathering, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event_title = models.CharField(_("événement"), max_length=200, blank=True)
    event_date = models.DateField(_("date"))
    result = models.TextField(_("le résultat que je veux"), max_length=1000)
    signal = models.TextField(_("le signe que je l'ai atteint"), max_length=1000)
    cards_budget = models.PositiveSmallIntegerField(
        _("cartes à échanger"), default=3, validators=[MinValueValidator(0), MaxValueValidator(50)]
    )
    energy_before = models.PositiveSmallIntegerField(_("mon énergie maintenant"), default=3, validators=ENERGY)
    leave_at = models.TimeField(_("l'heure où je pars"), null=True, blank=True)
    questions = models.JSONField(_("mes questions"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("intention")
        ordering = ["-event_date", "-pk"]
        indexes = [models.Index(fields=["author", "event_date"])]

    def __str__(self) -> str:
        return f"intention #{self.pk}"

    def clean(self) -> None:
        if self.gathering_id is None and not self.event_title.strip():
            raise ValidationError({"event_title": _("Nommez l'événement ou choisissez une rencontre.")})
        if len(self.questions) > 3:
            raise ValidationError({"questions": _("Trois questions au plus.")})

    @property
    def title(self) -> str:
        return self.gathering.title if self.gathering_id else self.event_title


class Reflection(models.Model):
    intention = models.OneToOneField(Intention, on_delete=models.CASCADE, related_name="reflection")
    reached = models.BooleanField(_("le signe est arrivé"))
    next_step = models.TextField(_("la suite"), max_length=1000, blank=True)
    energy_after = models.PositiveSmallIntegerField(_("mon énergie après"), validators=ENERGY)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réflexion")

    def __str__(self) -> str:
        return f"reflection of intention #{self.intention_id}"


class Pacing(models.Model):
    """The member's own limit on events per week; going past it warns, never blocks."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pacing")
    weekly_cap = models.PositiveSmallIntegerField(
        _("événements par semaine, au plus"), default=2, validators=[MinValueValidator(1), MaxValueValidator(14)]
    )

    def __str__(self) -> str:
        return f"pacing of user #{self.user_id}"


class Share(models.Model):
    """A text I shared with a few people of my circle, one personal email each."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shares")
    text = models.TextField(_("texte partagé"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"share #{self.pk}"


class ShareRecipient(models.Model):
    """One person a share went to, through the circle's follow-up outbox (one email each)."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="recipients")
    contact = models.ForeignKey("circle.Contact", on_delete=models.CASCADE, related_name="+")
    followup = models.OneToOneField("circle.FollowUp", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["share", "contact"], name="one_send_per_contact")]

    def __str__(self) -> str:
        return f"share #{self.share_id} → contact #{self.contact_id}"
