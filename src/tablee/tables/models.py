"""Table plans of a gathering, and the members' private wishes.

One plan per gathering (a unique constraint): asking for a new plan replaces an unpublished one, and
a published plan is only changed in place (moves, repair, or redone before the gathering: it turns
back into a draft that remembers the tables members were told, `Plan.told_tables`), so what members
saw and the history the engine reads stay one and the same thing.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tablee.gatherings.models import Gathering
from tablee.members.models import Association


class Plan(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("en calcul")
        READY = "ready", _("prêt à réviser")
        PUBLISHED = "published", _("publié")
        FAILED = "failed", _("échec")

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="plans")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    progress = models.FloatField(default=0.0)
    progress_message = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    repaired_at = models.DateTimeField(null=True, blank=True)
    seed = models.PositiveIntegerField(default=1)
    time_limit_s = models.FloatField(default=5.0)
    # Engine statistics (objective, repeat pairs, elapsed time…); avoid counts are kept out of views.
    stats = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    # A repair that would break a rule (a repeat, an avoid, a language) waits here for the organizer:
    # {"tables", "numbers", "moved", "seated", "removed", "broken", "at"}; empty when none waits.
    pending_repair = models.JSONField(default=dict, blank=True)
    # A published plan redone before the gathering (`services.plan_redo`) remembers the tables its
    # people were told, {"<user id>": table number}, until it is published again: then only those
    # whose table changed get an email. Empty for a plan never published.
    told_tables = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("plan de tables")
        constraints = [models.UniqueConstraint(fields=["gathering"], name="one_plan_per_gathering")]

    def __str__(self) -> str:
        return f"plan of {self.gathering} ({self.status})"


class PlanTable(models.Model):
    """One table of a plan: its number (1-based) and the engine's explanation in both languages."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tables")
    number = models.PositiveSmallIntegerField()
    score = models.FloatField(default=0.0)
    why_fr = models.JSONField(default=list, blank=True)
    why_en = models.JSONField(default=list, blank=True)
    # The same lines as each person they speak of reads them (« Vous cherchez … »), for those people
    # only: {"<user id>": {"fr": [...], "en": [...]}}. Blanked with why_fr and why_en.
    why_own = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_table_number_per_plan")]

    def __str__(self) -> str:
        return f"table {self.number} of plan #{self.plan_id}"

    def why(self, language: str, *, reader: int | None = None) -> list[str]:
        """The lines in ``language``; as ``reader`` reads them when given (a seated person)."""
        key = "en" if (language or "").startswith("en") else "fr"
        own = (self.why_own or {}).get(str(reader)) if reader is not None else None
        if own is not None:
            return list(own.get(key, []))
        return self.why_en if key == "en" else self.why_fr


class Seat(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="seats")
    table = models.ForeignKey(PlanTable, on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    pinned = models.BooleanField(default=False)
    # Set by the last repair for the people it moved or seated, so the door sees who changed table.
    moved = models.BooleanField(default=False)

    class Meta:
        ordering = ["table__number", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "user"], name="one_seat_per_person")]

    def __str__(self) -> str:
        return f"seat of user #{self.user_id} in plan #{self.plan_id}"


class Wish(models.Model):
    """A private wish about the coming gatherings of one association.

    ``avoid`` is confidential: it is read only by the engine input and by its author's own pages.
    """

    class Kind(models.TextChoices):
        MEET = "meet", _("rencontrer")
        AVOID = "avoid", _("ne pas être à la même table")
        CONTINUE = "continue", _("poursuivre la conversation")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wishes")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("souhait")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["author", "target", "association", "kind"], name="one_wish_per_kind"),
            models.CheckConstraint(condition=~models.Q(author=models.F("target")), name="wish_not_about_oneself"),
        ]

    def __str__(self) -> str:
        return f"wish #{self.pk} ({self.kind})"
