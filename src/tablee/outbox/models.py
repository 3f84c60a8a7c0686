from django.conf import settings
from django.db import models
from django.utils import timezone


class Email(models.Model):
    """One email to one recipient, stored before it leaves.

    Requests only write rows here; the worker sends them. ``key`` makes a send idempotent: the
    same logical email (e.g. the confirmation of RSVP #12) is stored once whatever retries happen.
    """

    class Status(models.TextChoices):
        QUEUED = "queued"
        SENDING = "sending"
        SENT = "sent"
        FAILED = "failed"

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40)
    to = models.EmailField()
    # A personal email (a follow-up, a share) is sent on the member's behalf: the reader sees
    # "Name via Tablée" and their reply goes to the member, not to Tablée.
    sender_name = models.CharField(max_length=200, blank=True)
    reply_to = models.EmailField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="outbox_emails"
    )
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    ics = models.TextField(blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to} ({self.status})"
