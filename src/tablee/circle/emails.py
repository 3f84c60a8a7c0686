"""Emails of the circle: a mutual « poursuivre la conversation », told to each of the two only; and
the evening after a gathering, who was at my table and a link to keep up to three cards."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tablee.gatherings.models import Gathering
from tablee.members.models import User
from tablee.members.selectors import organization_shown


def queue_continue_mutual(*, gathering: Gathering, to: User, other: User):
    """Tell ``to`` that ``other`` also wants to continue: a link opens a follow-up draft to them.

    Sent to the two people of the pair and nobody else (stored once per pair, gathering and person),
    under the « suggestions » topic: a member who switched it off gets no such email (issue 10)."""
    from tablee.outbox.models import Topic
    from tablee.outbox.rendering import email_render_queue

    profile = getattr(to, "profile", None)
    language = (profile.preferred_language if profile else None) or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("%(name)s aimerait aussi poursuivre la conversation") % {
            "name": other.get_full_name() or other.email}
    return email_render_queue(
        key=f"circle:continue:{gathering.pk}:{to.pk}:{other.pk}", kind="continue_mutual", to=to.email, user=to,
        topic=Topic.SUGGESTIONS, template="circle/email/continue_mutual", language=language, subject=subject,
        context={
            "user": to, "other": other, "gathering": gathering, "association": gathering.association,
            "url": settings.SITE_URL + reverse("circle:continue", args=[gathering.pk, other.pk]),
        },
    )


# The evening after: from this local hour on the day of the gathering (and at least an hour after
# it ends), for two days; one email per gathering and person, whatever the ticks.
EVENING_FROM = time(17, 0)
EVENING_FOR = timedelta(days=2)


def _evening_of(gathering: Gathering) -> datetime:
    local = timezone.localtime(gathering.ends_at)
    evening = timezone.make_aware(datetime.combine(local.date(), EVENING_FROM), local.tzinfo)
    return max(evening, gathering.ends_at + timedelta(hours=1))


def queue_evening_after(*, now: datetime | None = None) -> int:
    """Queue the evening-after email for every attendee of gatherings that ended today. Returns how many.

    Safe to call every minute (the worker's tick). Who was at my table comes from the published plan
    (names, and organizations as ``organization_shown`` says: table-mates met in person); without a
    plan, only the cards link.
    Under the « suggestions » topic: whoever switched it off is skipped before any work (issue 10)."""
    from tablee.gatherings.models import Rsvp
    from tablee.outbox.models import Email, Topic
    from tablee.outbox.rendering import email_render_queue
    from tablee.outbox.services import opted_out
    from tablee.outbox.wayback import unsubscribe_keys_known
    from tablee.tables.models import Plan, Seat

    now = now or timezone.now()
    window = Gathering.objects.filter(starts_at__lte=now, starts_at__gte=now - EVENING_FOR - timedelta(days=1))
    queued = 0
    for gathering in window.select_related("association"):
        if not _evening_of(gathering) <= now < _evening_of(gathering) + EVENING_FOR:
            continue
        rsvps = (Rsvp.objects.filter(gathering=gathering, status=Rsvp.Status.CONFIRMED).exclude(present=False)
                 .select_related("user__profile"))
        keys = {r.user_id: f"circle:evening:{gathering.pk}:{r.user_id}" for r in rsvps}
        already = set(Email.objects.filter(key__in=keys.values()).values_list("key", flat=True))
        plan = Plan.objects.filter(gathering=gathering, status=Plan.Status.PUBLISHED).first()
        tables: dict[int, list] = {}
        table_of: dict[int, int] = {}
        if plan is not None:
            for seat in Seat.objects.filter(plan=plan).select_related("user__profile").order_by("position", "pk"):
                tables.setdefault(seat.table_id, []).append(seat.user)
                table_of[seat.user_id] = seat.table_id
        due = [rsvp for rsvp in rsvps if keys[rsvp.user_id] not in already]
        with unsubscribe_keys_known(pairs=[(rsvp.user.email, Topic.SUGGESTIONS) for rsvp in due]):
            for rsvp in due:
                if opted_out(address=rsvp.user.email, topic=Topic.SUGGESTIONS):
                    continue
                user = rsvp.user
                # Met in person: their names, and their organization as their consent says.
                mates = [{"name": u.get_full_name() or u.email, "organization": organization_shown(u, table_mate=True)}
                         for u in tables.get(table_of.get(user.pk), []) if u.pk != user.pk and not u.is_ghost]
                profile = getattr(user, "profile", None)
                language = (profile.preferred_language if profile else None) or settings.LANGUAGE_CODE
                with translation.override(language):
                    subject = _("Après « %(title)s » : gardez vos trois cartes") % {"title": gathering.title}
                email_render_queue(
                    key=keys[rsvp.user_id], kind="evening_after", to=user.email, user=user, topic=Topic.SUGGESTIONS,
                    template="circle/email/evening_after", language=language, subject=subject,
                    context={"user": user, "gathering": gathering, "association": gathering.association,
                             "mates": mates, "url": settings.SITE_URL + reverse("circle:cards", args=[gathering.pk])},
                )
                queued += 1
    return queued
