"""Reads for the journey: my intentions, pacing, Mon parcours over months, share suggestions, depth.

Intentions and reflections are read through ``intentions_of`` only, which filters by author: no
organizer or other member ever reaches them. The depth of an association counts, never names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations

from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tablee.circle.models import Card, Contact, ContinueWish, FollowUp, Interaction, Promise
from tablee.circle.selectors import delivery_label
from tablee.gatherings.models import Gathering, Rsvp
from tablee.journey.models import Intention, Pacing
from tablee.members.models import Association
from tablee.outbox.models import Email
from tablee.tables.models import Plan, Seat
from tablee.text import relevance

FOLLOWUP_WITHIN = timedelta(days=2)
SENT_STATUSES = (FollowUp.Status.QUEUED, FollowUp.Status.SENT, FollowUp.Status.MAILTO)
# Below this many attendees, a share of people who followed up could point at someone: not shown.
MIN_ATTENDEES_FOR_SHARE = 5
MONTHS = 6


def intentions_of(*, author) -> QuerySet[Intention]:
    if not getattr(author, "is_authenticated", False):
        return Intention.objects.none()
    return Intention.objects.filter(author_id=author.pk).select_related("gathering", "reflection")


def weekly_cap(user) -> int:
    return Pacing.objects.filter(user_id=user.pk).values_list("weekly_cap", flat=True).first() or 2


def events_in_week(*, user, day: date) -> int:
    """Events of the ISO week of ``day``: my intentions, plus gatherings I am confirmed at without one."""
    monday = day - timedelta(days=day.weekday())
    sunday = monday + timedelta(days=6)
    intentions = intentions_of(author=user).filter(event_date__range=(monday, sunday))
    with_intention = set(intentions.exclude(gathering=None).values_list("gathering_id", flat=True))
    gatherings = {
        g.pk for g in Gathering.objects.filter(
            rsvps__user_id=user.pk, rsvps__status=Rsvp.Status.CONFIRMED
        ) if monday <= timezone.localtime(g.starts_at).date() <= sunday
    }
    return intentions.count() + len(gatherings - with_intention)


def pacing_warning(*, user, day: date, gathering: Gathering | None = None) -> str:
    """A gentle warning when one more event would go past the member's weekly cap; empty otherwise.

    A gathering the member is already confirmed at is counted in the week already.
    """
    cap = weekly_cap(user)
    already = gathering is not None and (
        Rsvp.objects.filter(gathering_id=gathering.pk, user_id=user.pk, status=Rsvp.Status.CONFIRMED).exists()
        or intentions_of(author=user).filter(gathering_id=gathering.pk).exists()
    )
    count = events_in_week(user=user, day=day) + (0 if already else 1)
    if count <= cap:
        return ""
    return _(
        "Avec celui-ci, vous auriez %(count)s événements cette semaine, au-delà des %(cap)s que vous vous "
        "êtes donnés. Rien ne vous empêche d'y aller : prévoyez du temps pour récupérer."
    ) % {"count": count, "cap": cap}


def upcoming_to_prepare(*, user, days: int = 30) -> list[Gathering]:
    """Gatherings I am confirmed at in the coming weeks that have no intention yet."""
    now = timezone.now()
    prepared = intentions_of(author=user).exclude(gathering=None).values("gathering_id")
    return list(
        Gathering.objects.filter(rsvps__user_id=user.pk, rsvps__status=Rsvp.Status.CONFIRMED,
                                 starts_at__gte=now, starts_at__lte=now + timedelta(days=days))
        .exclude(pk__in=prepared).order_by("starts_at")
    )


def recovery_reminder(*, user, today: date) -> Intention | None:
    """Yesterday's event, if any: the day after is for recovering (and for reflecting)."""
    return intentions_of(author=user).filter(event_date=today - timedelta(days=1)).first()


def event_of(intention: Intention) -> dict:
    """Cards and follow-ups of the event an intention is about (the circle's rows, mine only)."""
    cards = Card.objects.filter(owner_id=intention.author_id).select_related("contact")
    if intention.gathering_id:
        cards = cards.filter(gathering_id=intention.gathering_id)
    else:
        cards = cards.filter(gathering__isnull=True, event_label=intention.event_title)
    cards = list(cards)
    followups = list(FollowUp.objects.filter(card__in=cards).select_related("contact", "email"))
    for followup in followups:
        # The real status is the outbox row's (sent, failed, still queued): the follow-up's own
        # status stops at "queued" when it is handed to the outbox.
        followup.delivery = delivery_label(followup)
    return {"cards": cards, "followups": followups}


# Mon parcours ------------------------------------------------------------------------------------


def _months(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    out = []
    for _k in range(count):
        out.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return out[::-1]


def _month_of(moment) -> date:
    day = timezone.localtime(moment).date() if hasattr(moment, "hour") else moment
    return day.replace(day=1)


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: list[int]


def parcours(*, user, today: date | None = None, months: int = MONTHS) -> dict:
    """Month by month: follow-ups sent within two days, conversations continued, promises kept,
    intentions reached. Never a count of contacts."""
    today = today or timezone.localdate()
    keys = _months(today, months)
    start = keys[0]
    counts: dict[str, dict[date, int]] = {k: defaultdict(int) for k in ("followups", "continued", "kept", "reached")}

    quick = (
        FollowUp.objects.filter(owner_id=user.pk, status__in=SENT_STATUSES, card__isnull=False,
                                sent_at__lte=F("card__created_at") + FOLLOWUP_WITHIN)
        .exclude(email__status=Email.Status.FAILED)  # the outbox gave up: it never reached them
        .values_list("sent_at", flat=True)
    )
    for sent_at in quick:
        counts["followups"][_month_of(sent_at)] += 1
    # A conversation continued: a coffee, a call or a note exchanged beyond the first follow-up.
    talks = Interaction.objects.filter(
        owner_id=user.pk, kind__in=(Interaction.Kind.COFFEE, Interaction.Kind.CALL, Interaction.Kind.OTHER)
    ).values_list("happened_at", flat=True)
    for moment in talks:
        counts["continued"][_month_of(moment)] += 1
    for moment in ContinueWish.objects.filter(author_id=user.pk, mutual_at__isnull=False).values_list("mutual_at", flat=True):
        counts["continued"][_month_of(moment)] += 1
    kept = Promise.objects.filter(owner_id=user.pk, status=Promise.Status.KEPT, closed_at__isnull=False)
    for moment in kept.values_list("closed_at", flat=True):
        counts["kept"][_month_of(moment)] += 1
    reached = intentions_of(author=user).filter(reflection__reached=True, event_date__gte=start)
    for day in reached.values_list("event_date", flat=True):
        counts["reached"][_month_of(day)] += 1

    labels = {
        "followups": _("Suivis envoyés en deux jours ou moins"),
        "continued": _("Conversations poursuivies"),
        "kept": _("Promesses tenues"),
        "reached": _("Intentions atteintes"),
    }
    series = [Series(key, labels[key], [counts[key].get(m, 0) for m in keys]) for key in labels]
    reflected = intentions_of(author=user).filter(reflection__isnull=False, event_date__gte=start)
    energy = [(i.event_date, i.energy_before, i.reflection.energy_after) for i in reflected.order_by("event_date")]
    return {"months": keys, "series": series, "energy": energy}


def month_label(month: date, *, year: bool = True, short: bool = False) -> str:
    """« novembre 2026 », « novembre », or short for a chart's axis (a phone's width): « nov. »."""
    from django.utils.formats import date_format

    return date_format(month, "N" if short else "F Y" if year else "F")


# Share with the few -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareSuggestion:
    contact: Contact
    score: float
    why: str
    note: str


def _why(matched: dict[str, list[str]]) -> str:
    labels = {
        "needs": _("cherche : %(words)s"),
        "interests": _("s'intéresse à : %(words)s"),
        "notes": _("vos notes : %(words)s"),
        "organization": _("son organisation : %(words)s"),
        "sector": _("son secteur : %(words)s"),
        "meaning": _("proche de : %(words)s"),
        "meaning_notes": _("proche de vos notes"),
    }
    parts = []
    for name, words in matched.items():
        words = [w for w in dict.fromkeys(words) if not _looks_like_a_link(w)]
        if name == "meaning_notes":
            parts.append(labels[name])
        elif words:
            parts.append(labels[name] % {"words": ", ".join(words)})
    return " · ".join(parts)


def _looks_like_a_link(word: str) -> bool:
    lowered = word.casefold()
    return lowered in {"http", "https", "www", "com", "org", "net", "html", "example"} or "/" in lowered or "." in lowered


def share_suggestions(*, owner, text: str, limit: int = 3) -> list[ShareSuggestion]:
    """One to three people of my circle this text is for, best first, each with a note draft.

    Meaning and words together (`tablee.text.share_rank`): the text is encoded once, then compared
    with the cached matrix of my contacts' and my notes' stored vectors (`circle.matrix`)."""
    from tablee.circle import matrix

    if not relevance.terms(text):
        return []
    return rank_circle(owner=owner, text=text, circle=matrix.for_owner(owner.pk), limit=limit)


def rank_circle(*, owner, text: str, circle, limit: int = 3) -> list[ShareSuggestion]:
    """``share_suggestions`` over a given ``circle.matrix.CircleMatrix`` (cached or freshly built)."""
    import numpy as np

    from tablee.circle import vectors
    from tablee.text import embeddings, share_rank

    count = len(circle.contact_ids)
    if not count:
        return []
    lexical = {s.id: s for s in circle.lexical.rank(text, limit=count)}
    # A text in which someone seeks something is also read in two parts: the seeker, what is sought.
    parts = share_rank.seeking(text)
    query = embeddings.encode_one(text)
    found = circle.features(query)
    seeker, sought = circle.identity(embeddings.encode(parts)) if parts else (None, None)
    scores = share_rank.combined(
        lexical=circle.lexical_scores(lexical),
        document=found["document"], notes=found["notes"], best=np.maximum(found["phrase"], found["notes"]),
        seeker=seeker, sought=sought)
    ranked = np.argsort(-scores, kind="stable")
    order = [int(k) for k in ranked[np.isfinite(scores[ranked])][:limit]]
    by_id = Contact.objects.select_related("user__profile").in_bulk([int(circle.contact_ids[k]) for k in order])
    out = []
    for k in order:
        contact = by_id[int(circle.contact_ids[k])]
        matched = dict(lexical[contact.pk].matched) if contact.pk in lexical else {}
        if not matched:
            matched = _closest(contact, query, phrase=float(found["phrase"][k]), notes=float(found["notes"][k]),
                               vectors=vectors)
        out.append(ShareSuggestion(contact=contact, score=round(float(scores[k]), 3), why=_why(matched),
                                   note=note_draft(owner=owner, contact=contact, matched=matched)))
    return out


def _closest(contact: Contact, query, *, phrase: float, notes: float, vectors) -> dict[str, list[str]]:
    """What of a contact is closest in meaning to the text, for the "why" (my notes are never cited)."""
    import numpy as np

    texts = vectors.contact_texts(contact)
    phrases = [x for field in ("needs", "interests", "organization") for x in texts[field] if x]
    if notes >= phrase or not phrases:
        return {"meaning_notes": []}
    rows = vectors.contact_rows(contact, save=False)
    best = phrases[int(np.argmax(rows[1 : 1 + len(phrases)] @ query))]
    field = next(f for f in ("needs", "interests", "organization") if best in texts[f])
    return {"meaning" if field != "organization" else "organization": [best]}


def share_signature(owner) -> str:
    """How a share's note is signed: the last line of the draft, before which the shared text goes."""
    return owner.get_full_name() or owner.email


def note_draft(*, owner, contact: Contact, matched: dict[str, list[str]]) -> str:
    """A short personal note in the contact's language, naming what made me think of them.

    Only the contact's own words (what they look for, what interests them) are cited, never my
    private notes about them, nor a stray word of a link. A cited word is a bare noun phrase
    (« voyages », « conseils juridiques pour une startup »): it always comes after a colon, never
    after a preposition or an article it might not agree with."""
    from tablee.circle.drafts import contact_language, first_name

    def words(*fields: str) -> list[str]:
        found = [w for f in fields for w in matched.get(f, []) if not _looks_like_a_link(w)]
        return list(dict.fromkeys(found))[:3]

    with translation.override(contact_language(contact)):
        lines = [_("Bonjour %(name)s,") % {"name": first_name(contact)}, "", _("J'ai pensé à toi en lisant ceci.")]
        if topics := words("needs"):
            lines.append(_("Ça rejoint ce que tu cherches : %(topics)s.") % {"topics": ", ".join(topics)})
        elif topics := words("interests"):
            lines.append(ngettext("Ça rejoint ton intérêt pour ce sujet : %(topics)s.",
                                  "Ça rejoint ton intérêt pour ces sujets : %(topics)s.", len(topics))
                         % {"topics": ", ".join(topics)})
        elif topics := words("meaning"):
            lines.append(_("Ça m'a semblé proche de ce que tu indiques dans ton profil : %(topics)s.")
                         % {"topics": ", ".join(topics)})
        elif matched.get("notes") or "meaning_notes" in matched:
            lines.append(_("Ça m'a rappelé notre dernière conversation."))
        lines += ["", share_signature(owner)]
    return "\n".join(lines)


# Depth for organizers -----------------------------------------------------------------------------


def season_start(today: date) -> date:
    """Seasons run from September to August."""
    year = today.year if today.month >= 9 else today.year - 1
    return date(year, 9, 1)


def _seated(plan: Plan) -> dict[int, list[int]]:
    """Tables of a published plan as the door saw them: no-shows and cancellations left out."""
    absent = set(
        Rsvp.objects.filter(gathering_id=plan.gathering_id)
        .exclude(status=Rsvp.Status.CONFIRMED, present__isnull=True)
        .exclude(status=Rsvp.Status.CONFIRMED, present=True)
        .values_list("user_id", flat=True)
    )
    tables: dict[int, list[int]] = defaultdict(list)
    for number, user_id in Seat.objects.filter(plan=plan).values_list("table__number", "user_id"):
        if user_id not in absent:
            tables[number].append(user_id)
    return tables


@dataclass(frozen=True)
class DepthRow:
    gathering_id: int
    title: str
    starts_at: object
    attendees: int
    new_pairs_per_member: float
    repeat_rate: float
    followed_up_share: float | None  # None when too few attendees to show it anonymously
    mutual_continues: int


def association_depth(*, association: Association, today: date | None = None) -> list[DepthRow]:
    """Per published gathering of the season, counts only: never a name, a note or a wish's content."""
    today = today or timezone.localdate()
    start = season_start(today)
    plans = (
        Plan.objects.filter(gathering__association_id=association.pk, status=Plan.Status.PUBLISHED,
                            gathering__starts_at__lte=timezone.now())
        .select_related("gathering").order_by("gathering__starts_at", "pk")
    )
    met: set[tuple[int, int]] = set()
    rows = []
    for plan in plans:
        gathering = plan.gathering
        tables = _seated(plan)
        pairs = {tuple(sorted(p)) for ids in tables.values() for p in combinations(ids, 2)}
        people = {uid for ids in tables.values() for uid in ids}
        new = pairs - met
        met |= pairs
        if timezone.localtime(gathering.starts_at).date() < start:
            continue
        followed = set(
            FollowUp.objects.filter(
                owner_id__in=people, card__gathering_id=gathering.pk, status__in=SENT_STATUSES,
                sent_at__lte=gathering.ends_at + FOLLOWUP_WITHIN,
            ).exclude(email__status=Email.Status.FAILED).values_list("owner_id", flat=True)
        )
        mutual = ContinueWish.objects.filter(gathering_id=gathering.pk, mutual_at__isnull=False).count() // 2
        rows.append(DepthRow(
            gathering_id=gathering.pk,
            title=gathering.title,
            starts_at=gathering.starts_at,
            attendees=len(people),
            new_pairs_per_member=round(2 * len(new) / len(people), 2) if people else 0.0,
            repeat_rate=round(1 - len(new) / len(pairs), 3) if pairs else 0.0,
            followed_up_share=round(len(followed) / len(people), 3) if len(people) >= MIN_ATTENDEES_FOR_SHARE else None,
            mutual_continues=mutual,
        ))
    return rows
