from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    """What an email that can be refused is about. Each can be refused on its own.

    Emails with no topic are always sent: the account's own (a sign-in link, a reset, a password
    changed) and the news a person must have about a seat (a seat freed for them from the waiting
    list, a gathering changed or cancelled). ``rsvp_confirmations`` answers what the person just did
    (took a seat, joined or left the waiting list): the RSVP happens whether the email goes or not.
    ``personal`` is an email a member sends through Tablée to an address outside it (a follow-up, a
    share).
    """

    RSVP_CONFIRMATIONS = "rsvp_confirmations", _("Confirmations de mes inscriptions")
    REMINDERS = "reminders", _("Rappels avant une rencontre")
    PLAN_PUBLISHED = "plan_published", _("Plan de tables publié")
    SUGGESTIONS = "suggestions", _("Suggestions et suites d'une rencontre")
    # Nothing sends it (yet): kept so the refusals already stored still read, never offered.
    DIGEST = "digest", _("Résumé de la semaine")
    PERSONAL = "personal", _("Courriels personnels envoyés via Tablée")
    # For organizers: someone asked to join an association they organize (one notice an hour at most).
    JOIN_REQUESTS = "join_requests", _("Demandes d'adhésion à mes associations (organisateurs)")
    # An association invites a person to join it (who may never have used Tablée): refused per
    # association (``scope``), not on the preferences page.
    INVITATIONS = "invitations", _("Invitations à rejoindre une association")


# Offered on the preferences page to everyone with an account. ``personal`` too: a member's
# follow-ups and shares reach a fellow member through Tablée, and a refusal made from one of those
# emails must be seen, and taken back, there.
# ``digest`` is not offered: no email of it exists.
MEMBER_TOPICS = (Topic.RSVP_CONFIRMATIONS, Topic.REMINDERS, Topic.PLAN_PUBLISHED, Topic.SUGGESTIONS, Topic.PERSONAL)
# Offered on the preferences page to those who organize an association.
ORGANIZER_TOPICS = (Topic.JOIN_REQUESTS,)


class OptOut(models.Model):
    """An address that refused one topic. The outbox stores later emails of that topic as suppressed."""

    address = models.EmailField()
    topic = models.CharField(max_length=20, choices=Topic.choices)
    # What the refusal is limited to: "" for the whole topic; for invitations, one association
    # ("association:<id>"). A refusal of the whole topic covers every scope.
    scope = models.CharField(max_length=40, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["address", "topic", "scope"], name="one_optout_per_scope")]

    def __str__(self) -> str:
        return f"{self.address} refuses {self.topic}"


class UnsubscribeKey(models.Model):
    """What an unsubscribe link carries: a random key standing for one (address, topic), so that the
    link shows nothing of the address. One key per pair, so an email's footer (written when it is
    queued) and its List-Unsubscribe header (at send time) carry the same link.

    Links sent before these keys carried the pair itself, signed but readable (base64); they keep
    working (``wayback.unsubscribe_read``)."""

    key = models.CharField(max_length=40, unique=True)
    address = models.EmailField()
    topic = models.CharField(max_length=20, choices=Topic.choices)
    scope = models.CharField(max_length=40, blank=True, default="")  # as ``OptOut.scope``
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["address", "topic", "scope"],
                                               name="one_unsubscribe_key_per_scope")]

    def __str__(self) -> str:
        # No address: this string shows in the admin and in logs.
        return f"unsubscribe key #{self.pk} ({self.topic})"


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
        # The recipient refused this topic: stored for the record, never sent.
        SUPPRESSED = "suppressed"

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40)
    # Empty for a transactional email; otherwise the email carries List-Unsubscribe (RFC 8058).
    topic = models.CharField(max_length=20, choices=Topic.choices, blank=True)
    # Narrows the topic (``OptOut.scope``): the List-Unsubscribe header refuses this scope only.
    scope = models.CharField(max_length=40, blank=True, default="")
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
    # Once sent, blank the address and the text (the goodbye email of a deleted account).
    forget_after_send = models.BooleanField(default=False)
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
        # No address: this string shows in the admin and in logs.
        return f"{self.kind} #{self.pk} ({self.status})"


class Heartbeat(models.Model):
    """The last time a background process said it was alive (the worker, every tick)."""

    name = models.CharField(max_length=40, primary_key=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} seen at {self.seen_at:%Y-%m-%d %H:%M:%S}"
