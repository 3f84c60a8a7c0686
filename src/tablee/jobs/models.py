"""Big work that left the request: a row the worker fills in batches, and the page or API polls."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Kind(models.TextChoices):
        CONTACTS_IMPORT = "contacts_import", _("import de contacts")
        MEMBERS_IMPORT = "members_import", _("import de membres")
        # What an import would do, computed without writing; the file is kept for its confirmation.
        CONTACTS_PREVIEW = "contacts_preview", _("aperçu d'un import de contacts")
        MEMBERS_PREVIEW = "members_preview", _("aperçu d'un import de membres")

    class Status(models.TextChoices):
        QUEUED = "queued", _("en file")
        RUNNING = "running", _("en cours")
        DONE = "done", _("terminé")
        FAILED = "failed", _("refusé")

    kind = models.CharField(max_length=40, choices=Kind.choices)
    # The person who asked: a job (and what it carries) is theirs alone.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    # The uploaded file, kept only until the worker has read it (then emptied).
    data = models.BinaryField(default=b"", editable=False)
    detail = models.CharField(max_length=40, blank=True)  # e.g. the file's kind: vcard, linkedin, google
    # What the job was asked beside the file (e.g. the association and whether to invite), and the
    # asker's language, in which the errors are written.
    params = models.JSONField(default=dict, blank=True)
    # Counts beyond created/updated that a kind reports (e.g. joined, invited).
    outcome = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    # [[line, reason], …]: the reason as text, or as codes its kind's line reader writes out in the
    # reader's language (``error_lines``, ``registry.register_line_reader``).
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    # The longest write transaction of the job, in milliseconds (what the others waited at most).
    longest_write_ms = models.FloatField(default=0)
    # A preview keeps its file (``data``) until it is imported (``used_at``) or expires
    # (``expires_at``, then the worker's tick empties it); other jobs leave both empty.
    expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    # A preview's rows: each entry and what importing it would do, in the shape of the kind's room.
    preview = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("travail")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def error_lines(self) -> list[tuple[int, str]]:
        """``errors`` as (line, reason), in the current language (``registry.read_lines``)."""
        from tablee.jobs.registry import read_lines

        return read_lines(self.kind, self.errors)

    @property
    def warning_lines(self) -> list[tuple[int, str]]:
        from tablee.jobs.registry import read_lines

        return read_lines(self.kind, self.warnings)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_preview(self) -> bool:
        return self.kind in PREVIEW_KINDS

    @property
    def importable(self) -> bool:
        """A finished preview without errors whose kept file may still be imported (once)."""
        return (self.status == self.Status.DONE and self.used_at is None and self.expires_at is not None
                and self.expires_at > timezone.now())


PREVIEW_KINDS = (Job.Kind.CONTACTS_PREVIEW, Job.Kind.MEMBERS_PREVIEW)
