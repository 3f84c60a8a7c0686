from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tablee.members.models import Association


class Series(models.Model):
    """A recurring rhythm, e.g. the first Tuesday of each month at 7:30, that creates gatherings."""

    class Frequency(models.TextChoices):
        MONTHLY_NTH_WEEKDAY = "monthly_nth_weekday", _("chaque mois")
        WEEKLY = "weekly", _("chaque semaine")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="series")
    title = models.CharField(_("titre"), max_length=200)
    frequency = models.CharField(max_length=30, choices=Frequency.choices, default=Frequency.MONTHLY_NTH_WEEKDAY)
    # 0 = Monday … 6 = Sunday; week_of_month 1..4, or -1 for the last one.
    weekday = models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)])
    week_of_month = models.SmallIntegerField(default=1, validators=[MinValueValidator(-1), MaxValueValidator(4)])
    start_time = models.TimeField(_("heure"))
    duration_minutes = models.PositiveIntegerField(default=120, validators=[MinValueValidator(15)])
    venue = models.CharField(_("lieu"), max_length=300, blank=True)
    tables = models.PositiveSmallIntegerField(default=6, validators=[MinValueValidator(1)])
    seats_per_table = models.PositiveSmallIntegerField(default=6, validators=[MinValueValidator(2)])
    rsvp_deadline_hours = models.PositiveIntegerField(default=24)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("série")
        verbose_name_plural = _("séries")

    def __str__(self) -> str:
        return self.title


# Dates outside these years are typing slips (9999): refused, so no page has to show them.
YEAR_MIN, YEAR_MAX = 2000, 2100


class Gathering(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        OPEN = "open", _("inscriptions ouvertes")
        CLOSED = "closed", _("inscriptions fermées")
        DONE = "done", _("terminée")
        CANCELLED = "cancelled", _("annulée")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="gatherings")
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="gatherings")
    title = models.CharField(_("titre"), max_length=200)
    starts_at = models.DateTimeField(_("début"))
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"), default=120, validators=[MinValueValidator(15)])
    venue = models.CharField(_("lieu"), max_length=300, blank=True)
    tables = models.PositiveSmallIntegerField(_("tables"), default=6, validators=[MinValueValidator(1), MaxValueValidator(200)])
    seats_per_table = models.PositiveSmallIntegerField(
        _("places par table"), default=6, validators=[MinValueValidator(2), MaxValueValidator(20)]
    )
    rsvp_deadline = models.DateTimeField(_("date limite d'inscription"), null=True, blank=True)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.OPEN)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # The calendar SEQUENCE (RFC 5545): one more each time the title, time or place changes, or the
    # gathering is cancelled, so calendars replace what they hold.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rencontre")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(tables__gte=1), name="gathering_has_tables"),
            models.CheckConstraint(condition=models.Q(seats_per_table__gte=2), name="gathering_has_seats"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        for name in ("starts_at", "rsvp_deadline"):
            value = getattr(self, name)
            if value is not None and not YEAR_MIN <= value.year <= YEAR_MAX:
                errors[name] = _("Choisissez une date entre %(first)s et %(last)s.") % {"first": YEAR_MIN,
                                                                                      "last": YEAR_MAX}
        if errors:
            raise ValidationError(errors)
        if self.starts_at is not None and timezone.is_naive(self.starts_at):
            errors["starts_at"] = _("L'heure de début doit indiquer son fuseau horaire.")
        elif self.rsvp_deadline is not None and timezone.is_naive(self.rsvp_deadline):
            errors["rsvp_deadline"] = _("La date limite doit indiquer son fuseau horaire.")
        elif self.starts_at is not None and self.rsvp_deadline is not None and self.rsvp_deadline > self.starts_at:
            errors["rsvp_deadline"] = _("La date limite d'inscription doit précéder le début de la rencontre.")
        if errors:
            raise ValidationError(errors)

    @property
    def capacity(self) -> int:
        return self.tables * self.seats_per_table

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def takes_rsvps(self, *, now=None) -> bool:
        """Whether a member may book (or join the waiting list) online now: open, not begun, before
        its deadline (the rule ``services.rsvp_create`` enforces)."""
        now = now or timezone.now()
        return (self.state == self.State.OPEN and self.starts_at > now
                and (self.rsvp_deadline is None or self.rsvp_deadline > now))


class Rsvp(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmée")
        WAITLISTED = "waitlisted", _("en liste d'attente")
        CANCELLED = "cancelled", _("annulée")

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps")
    status = models.CharField(max_length=12, choices=Status.choices)
    # When this person (re)joined the queue: the waiting list is first come, first served.
    queued_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # At the door: None = not yet checked, True = present, False = no-show.
    present = models.BooleanField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    walk_in = models.BooleanField(default=False)
    # Grows each time this person's answer changes (seat taken, given up, taken again): added to the
    # gathering's SEQUENCE, so their calendar applies every invitation and cancellation in order.
    calendar_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gathering", "user"], name="one_rsvp_per_person")]
        indexes = [models.Index(fields=["gathering", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.gathering} ({self.status})"


class CalendarFeed(models.Model):
    """A member's private calendar feed (``webcal://…/calendar/<key>.ics``). Revoking deletes it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"
