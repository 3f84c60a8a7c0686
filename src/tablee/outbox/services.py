"""Writes for the outbox: store an email, send one stored email, sweep what is due.

Requests only call ``email_queue``: it stores the row in the caller's transaction and, once that
transaction commits, enqueues the send task. The worker sends. Each send locks the row, marks it
``sending`` with a lease, commits, talks to SMTP, then records the outcome, so a duplicate task run
or a sweep racing the task never sends the same row twice. The one gap left is a crash between the
SMTP accept and the ``sent`` write: the lease expires and the row is sent again (at least once);
its stable Message-ID lets mail clients fold the duplicate.
"""

from __future__ import annotations

import logging
import re
import smtplib
from datetime import datetime, timedelta
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tablee.outbox.models import Email, OptOut, Topic
from tablee.outbox.selectors import undeliverable

logger = logging.getLogger(__name__)

# A row in ``sending`` longer than this is presumed lost (worker killed mid-send) and may be retried.
# Well above EMAIL_TIMEOUT so a slow but live send is never doubled.
LEASE = timedelta(minutes=5)  # TABLEE_EMAIL_LEASE_SECONDS overrides it (tests of a killed worker)
MAX_ATTEMPTS = 10
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=1)
SWEEP_BATCH = 100
EMAIL_QUEUE_NAME = "email"

_METHOD = re.compile(r"^METHOD:([A-Z-]+)\r?$", re.MULTILINE)


_BREAKABLE = re.compile(r"[^\S\u00a0\u2007\u202f]+")  # white space, but for the no-break spaces


def one_line(text: str) -> str:
    """A subject as mail headers want it: one line, no outer or doubled white space. The no-break
    spaces of French typography (before « : », inside « ») stay."""
    return _BREAKABLE.sub(" ", text).strip(" ")


def email_queue(
    *,
    key: str,
    kind: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    ics: str | bytes = "",
    user=None,
    sender_name: str = "",
    reply_to: str = "",
    topic: str = "",
    language: str = "",
    on_behalf_of: str = "",
    scope: str = "",
    forget_after_send: bool = False,
) -> Email:
    """Store one email (once per ``key``) and send it after the caller's transaction commits.

    ``topic`` marks a non-transactional email (see ``Topic``): it gets a footer with its way back
    (one-click unsubscribe, preferences; for ``personal`` the sender, ``on_behalf_of`` the
    association, as CASL asks) and List-Unsubscribe headers. If the address refused the topic the
    row is stored as ``suppressed`` and never sent. ``language`` is the recipient's, for the footer.
    ``scope`` narrows the topic (an invitation: its association): the way back refuses that scope.
    """
    if isinstance(ics, bytes):
        ics = ics.decode()
    status = Email.Status.QUEUED
    if undeliverable(to):
        # RFC 2606: nobody receives mail there (a guest let in at the door by name has such an
        # address): stored for the record like a refused topic, never sent.
        status = Email.Status.SUPPRESSED
    if topic:
        Topic(topic)  # an unknown topic is a programming error
        if opted_out(address=to, topic=topic, scope=scope):
            status = Email.Status.SUPPRESSED
        from tablee.outbox.wayback import footer, with_footer

        text, html = footer(to=to, topic=topic, sender_name=sender_name, sender_address=reply_to,
                            on_behalf_of=on_behalf_of, language=language, scope=scope)
        body_text, body_html = with_footer(body_text=body_text, body_html=body_html, text=text, html=html)
    email, created = Email.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "to": to,
            "user": user,
            # A stray newline from a title would make Django refuse the header at send time.
            "subject": one_line(subject)[:300],
            "body_text": body_text,
            "body_html": body_html,
            "ics": ics,
            "sender_name": sender_name[:200],
            "reply_to": reply_to,
            "message_id": make_msgid(domain=_sender_domain()),
            "topic": topic,
            "scope": scope if topic else "",
            "status": status,
            "forget_after_send": forget_after_send,
        },
    )
    if created and email.status == Email.Status.QUEUED:
        transaction.on_commit(lambda: _enqueue_send(email.pk), robust=True)
    return email


def _from_address(email: Email) -> str:
    if not email.sender_name:
        return settings.DEFAULT_FROM_EMAIL
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((f"{email.sender_name} via {name or 'Tablée'}", address))


def email_send(*, email_id: int, now: datetime | None = None) -> str:
    """Send one stored email if it is due. Returns what happened: sent, retry, failed, skipped."""
    now = now or timezone.now()
    with transaction.atomic():
        email = Email.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status in (Email.Status.SENT, Email.Status.FAILED, Email.Status.SUPPRESSED):
            return "skipped"
        # For a queued row next_attempt_at is the back-off; for a sending row it is the lease end.
        if email.next_attempt_at > now:
            return "skipped"
        email.status = Email.Status.SENDING
        email.attempts += 1
        # The lease runs from the real clock: a sweep's ``now`` may be minutes old by this row.
        email.next_attempt_at = max(now, timezone.now()) + _lease()
        email.save(update_fields=["status", "attempts", "next_attempt_at"])

    try:
        _build_message(email).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 — any failure is recorded on the row and retried
        return _record_failure(email, exc, now=now)

    done = {"status": Email.Status.SENT, "sent_at": timezone.now()}
    if email.forget_after_send:
        done.update(to="", subject="", body_text="", body_html="", ics="", reply_to="", sender_name="")
    Email.objects.filter(pk=email.pk, status=Email.Status.SENDING).update(**done)
    return "sent"


def _lease() -> timedelta:
    seconds = getattr(settings, "TABLEE_EMAIL_LEASE_SECONDS", None)
    return timedelta(seconds=seconds) if seconds else LEASE


def email_sweep(*, now: datetime | None = None, limit: int = SWEEP_BATCH) -> int:
    """Send rows that are due: lost tasks, back-off retries, sends whose lease expired.

    Runs in the worker's periodic tick, never in a request. Returns how many were sent.
    """
    from tablee.outbox.wayback import unsubscribe_keys_known

    now = now or timezone.now()
    due = list(
        Email.objects.filter(
            status__in=(Email.Status.QUEUED, Email.Status.SENDING), next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "to", "topic")[:limit]
    )
    # The List-Unsubscribe headers of the whole batch: their keys in one query.
    with unsubscribe_keys_known(pairs=[(to, topic) for _pk, to, topic in due]):
        return sum(email_send(email_id=pk, now=now) == "sent" for pk, _to, _topic in due)


def backoff(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failure: 1 min, 2, 4, … capped at one hour."""
    return min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def _record_failure(email: Email, exc: Exception, *, now: datetime) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    permanent = _is_permanent(exc)
    with transaction.atomic():
        row = Email.objects.select_for_update().get(pk=email.pk)
        row.last_error = error
        if permanent or row.attempts >= MAX_ATTEMPTS:
            row.status = Email.Status.FAILED
            outcome = "failed"
        else:
            row.status = Email.Status.QUEUED
            row.next_attempt_at = now + backoff(row.attempts)
            outcome = "retry"
        row.save(update_fields=["status", "next_attempt_at", "last_error"])
    logger.warning("email %s to %s: %s (attempt %s, %s)", row.pk, row.to, error, row.attempts, outcome)
    if outcome == "retry":
        transaction.on_commit(lambda: _enqueue_send(row.pk, run_after=row.next_attempt_at), robust=True)
    return outcome


def _is_permanent(exc: Exception) -> bool:
    """The server refused every recipient for good (5xx): retrying cannot help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    return False


# RFC 2047: an encoded word is at most 75 characters, "=?utf-8?q?" and "?=" included.
_ENCODED_WORD_MAX = 75
_Q_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!*+-/")


def encode_subject(subject: str) -> str:
    """A non-ASCII subject as RFC 2047 Q encoded words of at most 75 characters each, never splitting
    a character's bytes; an ASCII subject as it is. Mail clients join the words back."""
    if subject.isascii():
        return subject
    prefix, suffix = "=?utf-8?q?", "?="
    room = _ENCODED_WORD_MAX - len(prefix) - len(suffix)
    # The first word shares its line with "Subject: ", so the header never folds right after the colon.
    first_room = room - len("Subject: ")
    words, current = [], ""
    for char in subject:
        if char == " ":
            piece = "_"
        elif char in _Q_SAFE:
            piece = char
        else:
            piece = "".join(f"={byte:02X}" for byte in char.encode())
        if len(current) + len(piece) > (room if words else first_room):
            words.append(current)
            current = ""
        current += piece
    words.append(current)
    return " ".join(f"{prefix}{word}{suffix}" for word in words if word)


def _headers(email: Email) -> dict[str, str]:
    # Date with the zone's offset (Django writes -0000, "zone unknown"). What Tablée sends by itself
    # (confirmations, reminders) says so (RFC 3834), so auto-responders stay quiet; a message a member
    # wrote and sends "via Tablée" (sender_name) is not automatic.
    headers = {"Date": format_datetime(timezone.now().astimezone(ZoneInfo(settings.TIME_ZONE)))}
    if email.message_id:
        headers["Message-ID"] = email.message_id
    if not email.sender_name:
        headers["Auto-Submitted"] = "auto-generated"
    if email.topic:
        from tablee.outbox.wayback import unsubscribe_url

        # RFC 2369 + RFC 8058: one-click unsubscribe by an HTTPS POST, no sign-in.
        url = unsubscribe_url(address=email.to, topic=email.topic, scope=email.scope)
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def _build_message(email: Email) -> EmailMultiAlternatives:
    # One recipient per message, in To: never BCC, so nobody learns who else was invited.
    message = EmailMultiAlternatives(
        subject=encode_subject(email.subject),
        body=email.body_text,
        from_email=_from_address(email),
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers=_headers(email),
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    if email.ics:
        part = SafeMIMEText(email.ics, "calendar", "utf-8")
        method = match.group(1) if (match := _METHOD.search(email.ics)) else "PUBLISH"
        part.set_param("method", method)
        part.add_header("Content-Disposition", "attachment", filename=ics_filename(email=email, method=method))
        message.attach(part)
    return message


def ics_filename(*, email: Email, method: str) -> str:
    """The attachment's name, in the recipient's language: a cancellation is not an invitation."""
    from tablee.outbox.wayback import recipient_language

    with translation.override(recipient_language(email.to) or settings.LANGUAGE_CODE):
        return _("annulation.ics") if method == "CANCEL" else _("invitation.ics")


def opted_out(*, address: str, topic: str, scope: str = "") -> bool:
    """Whether the address refused the topic, or (``scope``) that part of it."""
    return OptOut.objects.filter(address=address.strip().lower(), topic=topic, scope__in={"", scope}).exists()


def optouts_of(*, address: str) -> set[str]:
    """The topics the address refused as a whole (the preferences page's boxes)."""
    return set(OptOut.objects.filter(address=address.strip().lower(), scope="").values_list("topic", flat=True))


def optout_set(*, address: str, topic: str, refuse: bool, scope: str = "") -> None:
    """Refuse (or accept again) one topic, or one ``scope`` of it, for one address. Idempotent."""
    Topic(topic)
    address = address.strip().lower()
    if refuse:
        OptOut.objects.get_or_create(address=address, topic=topic, scope=scope)
    else:
        OptOut.objects.filter(address=address, topic=topic, scope=scope).delete()


def optouts_move(*, old: str, new: str) -> None:
    """A member changed address: their choices follow them."""
    old, new = old.strip().lower(), new.strip().lower()
    with transaction.atomic():
        for topic, scope in OptOut.objects.filter(address=old).values_list("topic", "scope"):
            OptOut.objects.get_or_create(address=new, topic=topic, scope=scope)
        OptOut.objects.filter(address=old).delete()


def optouts_forget(*, address: str, keep: tuple[str, ...] = ()) -> int:
    """Erase an address's choices (account deletion), except the topics in ``keep``."""
    return OptOut.objects.filter(address=address.strip().lower()).exclude(topic__in=keep).delete()[0]


def _enqueue_send(email_id: int, *, run_after: datetime | None = None) -> None:
    from tablee.outbox.tasks import send_email

    task = send_email if run_after is None else send_email.using(run_after=run_after)
    try:
        task.enqueue(email_id=email_id)
    except Exception:
        # The row is stored: the worker's sweep sends it even if the task never existed.
        logger.exception("could not enqueue the send of email %s; the sweep will send it", email_id)


def _sender_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "tablee.local"


# --- operations: heartbeat and pruning -------------------------------------------------------------

FINISHED_TASKS_KEPT = timedelta(days=7)


def heartbeat_record(*, name: str = "worker", now: datetime | None = None) -> None:
    from tablee.outbox.models import Heartbeat

    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": now or timezone.now()})


def prune(*, now: datetime | None = None) -> dict[str, int]:
    """Forget what is no longer needed: finished task rows after a week, and the bodies of emails
    that left (or failed for good) more than TABLEE_EMAIL_RETENTION_DAYS ago. The email rows stay
    (their key keeps sends idempotent) without their text."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    tasks, _by_model = DBTaskResult.objects.finished().filter(finished_at__lt=now - FINISHED_TASKS_KEPT).delete()
    cutoff = now - timedelta(days=settings.TABLEE_EMAIL_RETENTION_DAYS)
    bodies = (
        Email.objects.filter(status__in=(Email.Status.SENT, Email.Status.FAILED), created_at__lt=cutoff)
        .exclude(body_text="", body_html="", ics="")
        .update(body_text="", body_html="", ics="")
    )
    return {"tasks": tasks, "email_bodies": bodies}
