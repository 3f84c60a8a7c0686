"""Reads for table plans and wishes, and the engine's input built from the database.

Visibility is decided in ``tablee.gatherings.access`` and ``tablee.tables.access``; these functions assume the caller checked.
Avoid wishes leave this module only inside the engine problem and in their author's own list.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from tablee.gatherings.models import Gathering, Rsvp
from tablee.members.models import Association, User
from tablee.members.selectors import organization_shown
from tablee.outbox.models import Topic
from tablee.outbox.selectors import reachable
from tablee.sorting import by_name
from tablee.tables import questions, rules
from tablee.tables.access import nameable, sat_with
from tablee.tables.models import Plan, PlanTable, Seat, Wish
from tablee.tables.topics import align_needs_to_offers
from tablee.text.fold import fold

SIZE_SLACK = 2  # a table may hold this many fewer people than the gathering's seats per table


def current_plan(*, gathering: Gathering) -> Plan | None:
    return Plan.objects.filter(gathering_id=gathering.pk).first()


def moves_open(*, gathering: Gathering, now: datetime | None = None) -> bool:
    """Whether the organizer may still move or swap people by hand: until the gathering ends. While
    it is on, the door moves people (no email then, ``services._notify_seats``); once it is over, its
    plan is what happened (the history the next plans read) and stays as it is."""
    return (now or timezone.now()) < gathering.ends_at


def pins_open(*, gathering: Gathering, now: datetime | None = None) -> bool:
    """Whether a seat may still be pinned or unpinned: before the gathering begins. A pin only tells
    a new computation (re-optimize, redo) to keep the person's table; once it began, nothing
    computes the plan again (« Réparer » adjusts it), so a pin would promise nothing."""
    return (now or timezone.now()) < gathering.starts_at


def attendees_now(*, gathering: Gathering) -> list[User]:
    """Who is to be seated: confirmed RSVPs (walk-ins included) except those marked absent."""
    rsvps = (
        Rsvp.objects.filter(gathering_id=gathering.pk, status=Rsvp.Status.CONFIRMED)
        .exclude(present=False)
        .select_related("user", "user__profile")
        .order_by("confirmed_at", "queued_at", "pk")
    )
    return [r.user for r in rsvps]


def table_layout(*, attendees: int, gathering: Gathering, tables: int | None = None) -> dict:
    """Number of tables and size bounds for ``attendees`` people at this gathering.

    As few tables as the gathering's seats allow (never more than it has), sizes balanced, nobody
    alone at a table when the seats allow it. The seats are a hard limit while the room holds
    everyone: with tables of two and an odd attendance, one person sits alone (``alone``: how many
    tables hold a single person) rather than three at a table of two. Walk-ins beyond the room's
    seats may push a table beyond its seats: the organizer let them in, so they get a chair.
    """
    seats = max(1, gathering.seats_per_table)
    room = max(1, gathering.tables)
    # One chair left free per table when the room allows: smaller tables, and more ways to seat
    # people who already met apart (five tables cannot split six former table-mates).
    count = tables or max(1, min(room, -(-attendees // max(2, seats - 1))))
    if not tables and count > max(1, attendees // 2):
        # Two people at least per table, unless the seats cannot hold everyone that way.
        count = max(1, attendees // 2, min(room, -(-attendees // seats)))
    alone = max(0, 2 * count - attendees) if attendees >= 2 else 0
    low, high = attendees // count, -(-attendees // count)
    size_max = max(seats, high)
    size_min = 1 if alone else max(2, min(low, seats - SIZE_SLACK))
    return {"tables": count, "min": size_min, "target": min(max(size_min, high, 2), size_max), "max": size_max,
            "alone": alone}


def shares_offers_and_needs(user: User) -> bool:
    """Consent decides what table-mates see (page, email, printed cards, why): the name always; the
    offers, needs and interests once the person consented to show them to table-mates (Law 25, dated
    consent: ``Profile.tablemates_consent_at``); the organization as ``organization_shown`` says."""
    profile = getattr(user, "profile", None)
    return profile is not None and profile.tablemates_consent_at is not None


def hidden_profiles(user_ids) -> set[int]:
    """The people among ``user_ids`` whose offers and needs must not be shown to their table-mates."""
    users = User.objects.filter(pk__in=list(user_ids)).select_related("profile")
    return {u.pk for u in users if not shares_offers_and_needs(u)}


def person_input(user: User) -> dict:
    profile = getattr(user, "profile", None)
    return {
        "id": user.pk,
        "name": user.get_full_name() or user.email,
        "offers": list(profile.offers) if profile else [],
        "needs": list(profile.needs) if profile else [],
        "interests": list(profile.interests) if profile else [],
        "sector": profile.sector if profile else "",
        "languages": [str(x).strip().lower()[:2] for x in (profile.languages if profile else []) if str(x).strip()],
    }


def history_for(*, gathering: Gathering, people: set[int]) -> list[list[list[int]]]:
    """Past published plans of the association, oldest first, as the door saw them.

    No-shows are dropped; walk-ins seated by a repair are in the plan already. Only people seated
    now matter to the engine, so the others are left out.
    """
    plans = (
        Plan.objects.filter(
            gathering__association_id=gathering.association_id,
            gathering__starts_at__lt=gathering.starts_at,
            status=Plan.Status.PUBLISHED,
        )
        .exclude(gathering_id=gathering.pk)
        .order_by("gathering__starts_at", "pk")
    )
    rounds = []
    for plan in plans:
        absent = set(
            Rsvp.objects.filter(gathering_id=plan.gathering_id)
            .exclude(status=Rsvp.Status.CONFIRMED, present__isnull=True)
            .exclude(status=Rsvp.Status.CONFIRMED, present=True)
            .values_list("user_id", flat=True)
        )
        tables = defaultdict(list)
        for table_number, user_id in Seat.objects.filter(plan=plan).values_list("table__number", "user_id"):
            if user_id in people and user_id not in absent:
                tables[table_number].append(user_id)
        past = [ids for _n, ids in sorted(tables.items()) if len(ids) >= 2]
        if past:
            rounds.append(past)
    return rounds


def wishes_known_at(plan: Plan | None) -> datetime | None:
    """The last moment whose wishes shape ``plan`` as published: its publication; None (every wish)
    before. The why lines, the figures and the warnings of a published plan read these. A later
    avoid wish still binds every change made to it afterwards (`avoid_binding`, a move refused by
    `avoid_pairs_together`), but never moves the pair it finds at one table: that move would have
    no reason the organizer or the table can see, and would tell them who asked."""
    if plan is None or plan.status != Plan.Status.PUBLISHED or plan.published_at is None:
        return None
    return plan.published_at


def wish_pairs(
    *, association: Association | int, people: set[int], made_by: datetime | None = None
) -> dict[str, list[list[int]]]:
    """Wishes between people seated now, by kind. An avoid wins over a meet or continue of the same pair.

    ``made_by``: only the wishes saved by then count (a published plan's, see `wishes_known_at`)."""
    association_id = association if isinstance(association, int) else association.pk
    found: dict[str, set[tuple[int, int]]] = {kind: set() for kind in Wish.Kind.values}
    rows = Wish.objects.filter(association_id=association_id, author_id__in=people, target_id__in=people)
    if made_by is not None:
        rows = rows.filter(created_at__lte=made_by)
    for kind, a, b in rows.values_list("kind", "author_id", "target_id"):
        found[kind].add((min(a, b), max(a, b)))
    avoid = found[Wish.Kind.AVOID]
    # A continue wish counts when both people asked for it (the circle's mutual wish).
    seen: dict[tuple[int, int], int] = defaultdict(int)
    for a, b in rows.filter(kind=Wish.Kind.CONTINUE).values_list("author_id", "target_id"):
        seen[(min(a, b), max(a, b))] += 1
    continue_ = {pair for pair, count in seen.items() if count >= 2} - avoid
    meet = found[Wish.Kind.MEET] - avoid - continue_
    return {
        "avoid": [list(p) for p in sorted(avoid)],
        "meet": [list(p) for p in sorted(meet)],
        "continue": [list(p) for p in sorted(continue_)],
    }


def engine_problem_for(
    *, gathering: Gathering, pinned: dict[int, int] | None = None, tables: int | None = None, lang: str = "fr",
    wishes_made_by: datetime | None = None,
) -> dict:
    """The engine's input for this gathering: profiles, history, wishes, pins (user id → table index).

    ``wishes_made_by``: for a published plan, its publication (`wishes_known_at`): later wishes wait
    for the next plan."""
    users = attendees_now(gathering=gathering)
    ids = {u.pk for u in users}
    layout = table_layout(attendees=len(users), gathering=gathering, tables=tables)
    wishes = wish_pairs(association=gathering.association_id, people=ids, made_by=wishes_made_by)
    return {
        "people": align_needs_to_offers([person_input(u) for u in users]),
        "rounds": 1,
        # The engine seats two people at least per table: a table for one is planned with an empty
        # chair (`services.plan_run`), and a repair fills it first.
        "table_size": {"min": max(2, layout["min"]), "target": max(2, layout["target"]),
                       "max": max(2, layout["max"])},
        "tables": layout["tables"],
        "history": history_for(gathering=gathering, people=ids),
        "avoid": wishes["avoid"],
        "meet": wishes["meet"],
        "continue": wishes["continue"],
        "pinned": {uid: t for uid, t in (pinned or {}).items() if uid in ids},
        "attendance": None,
        "lang": lang,
    }


def published_table_numbers(*, gathering: Gathering) -> dict[int, int]:
    """{user id: table number} in the gathering's published plan; {} before publication (the
    check-in rows show them, through ``gatherings.hooks``)."""
    return dict(Seat.objects.filter(plan__gathering_id=gathering.pk, plan__status=Plan.Status.PUBLISHED)
                .values_list("user_id", "table__number"))


def seat_numbers(*, plan: Plan, users) -> dict[int, int]:
    """{user id: table number} of these people in ``plan`` (those seated)."""
    return dict(Seat.objects.filter(plan=plan, user_id__in=[u.pk for u in users])
                .values_list("user_id", "table__number"))


def seats_held(*, plan: Plan) -> QuerySet[Seat]:
    """The seats of ``plan`` whose person still holds a confirmed seat at the gathering: a person
    who cancelled keeps her seat row until a repair frees it, but is no longer at the table."""
    confirmed = Rsvp.objects.filter(gathering_id=plan.gathering_id, status=Rsvp.Status.CONFIRMED).values("user_id")
    return Seat.objects.filter(plan=plan, user_id__in=confirmed)


def pinned_count(*, plan: Plan) -> int:
    """How many people of ``plan`` are pinned to their table (a new computation keeps them there)."""
    return Seat.objects.filter(plan=plan, pinned=True).count()


def publish_audience(*, plan: Plan) -> dict[str, int]:
    """What publishing ``plan`` would send: ``seated``, the people it tells their table;
    ``emailed``, those of them the email really reaches; ``not_emailed``, the others (a guest's
    address, someone who refused the « plan published » emails: the outbox suppresses those; they
    still see their table in « Ma tablée »). A redone plan published again (``republish`` 1) tells
    only those whose table changed; ``unchanged`` counts the others, and ``not_emailed`` includes
    who had every new table email of the plan already (``emails.table_emails_spent``)."""
    from tablee.tables.emails import table_emails_spent

    told = plan.told_tables
    rows = list(seats_held(plan=plan).values_list("user_id", "user__email", "table__number"))
    changed = [(uid, email) for uid, email, number in rows if told.get(str(uid)) != number] if told else [
        (uid, email) for uid, email, _number in rows]
    spent = table_emails_spent(plan=plan, user_ids={uid for uid, _email in changed}) if told else set()
    emailed = len(reachable(addresses=[email for uid, email in changed if uid not in spent],
                            topic=Topic.PLAN_PUBLISHED))
    return {"seated": len(rows), "emailed": emailed, "not_emailed": len(changed) - emailed,
            "republish": int(bool(told)), "unchanged": len(rows) - len(changed)}


def unseated(*, plan: Plan | None) -> list[User]:
    """The people to seat now (confirmed, not marked absent) who have no seat in ``plan``: a late
    RSVP the repair has not seated yet (it waits for the organizer, or failed), or a confirmation
    after the plan was computed. The organizer sees them named on the plan page; [] without a plan."""
    if plan is None or plan.status not in (Plan.Status.READY, Plan.Status.PUBLISHED):
        return []
    seated = set(Seat.objects.filter(plan=plan).values_list("user_id", flat=True))
    return [user for user in attendees_now(gathering=plan.gathering) if user.pk not in seated]


def awaiting_seat(*, gathering: Gathering, user) -> bool:
    """The member holds a confirmed seat at a gathering whose tables are published, but no table yet:
    the page tells them their table is coming (never that they have one)."""
    if not getattr(user, "is_authenticated", False) or gathering.state == Gathering.State.CANCELLED:
        return False
    plan = Plan.objects.filter(gathering_id=gathering.pk, status=Plan.Status.PUBLISHED).first()
    return (plan is not None
            and Rsvp.objects.filter(gathering_id=gathering.pk, user_id=user.pk, status=Rsvp.Status.CONFIRMED)
            .exclude(present=False).exists()
            and not Seat.objects.filter(plan=plan, user_id=user.pk).exists())


def no_seat_reason(*, gathering: Gathering, user) -> str | None:
    """Why a member has no table to see although the gathering's tables are published: ``cancelled``
    (she gave up her seat: her table is no longer shown), ``waitlisted``, or ``none`` (never booked).
    None before publication, for a cancelled gathering, or when she holds a confirmed seat."""
    if not getattr(user, "is_authenticated", False) or gathering.state == Gathering.State.CANCELLED:
        return None
    if not Plan.objects.filter(gathering_id=gathering.pk, status=Plan.Status.PUBLISHED).exists():
        return None
    status = Rsvp.objects.filter(gathering_id=gathering.pk, user_id=user.pk).values_list("status", flat=True).first()
    if status == Rsvp.Status.CONFIRMED:
        return None
    return {Rsvp.Status.CANCELLED: "cancelled", Rsvp.Status.WAITLISTED: "waitlisted"}.get(status, "none")


def plan_tables(*, plan: Plan) -> list[PlanTable]:
    """The tables of a plan, each with ``people`` (its seats, users with profiles) in seat order."""
    tables = list(plan.tables.all())
    seats = Seat.objects.filter(plan=plan).select_related("user", "user__profile").order_by("position", "pk")
    by_table: dict[int, list[Seat]] = defaultdict(list)
    for seat in seats:
        by_table[seat.table_id].append(seat)
    for table in tables:
        table.people = by_table.get(table.pk, [])
    return tables


def plan_violations(*, plan: Plan) -> list[rules.Violation]:
    """Hard rules the current seating breaks (after manual moves); avoid ones name no one."""
    tables: dict[int, list[int]] = defaultdict(list)
    for number in plan.tables.values_list("number", flat=True):
        tables[number] = []
    for number, user_id in Seat.objects.filter(plan=plan).values_list("table__number", "user_id"):
        tables[number].append(user_id)
    people = {uid for ids in tables.values() for uid in ids}
    layout = table_layout(attendees=len(people), gathering=plan.gathering, tables=len(tables) or None)
    languages = {
        u.pk: {str(x).strip().lower()[:2] for x in (getattr(u, "profile", None) and u.profile.languages or [])}
        for u in User.objects.filter(pk__in=people).select_related("profile")
    }
    avoid = {frozenset(p) for p in wish_pairs(association=plan.gathering.association_id, people=people,
                                              made_by=wishes_known_at(plan))["avoid"]}
    return rules.violations(tables, size_min=layout["min"], size_max=layout["max"], languages=languages, avoid=avoid)


def avoid_pairs_together(*, plan: Plan) -> set[frozenset[int]]:
    """The avoid pairs the seating puts at one table, by the wishes as they are now (for services
    only: never shown). A manual change may add none (`services.plan_move`)."""
    tables: dict[int, list[int]] = defaultdict(list)
    for table_id, user_id in Seat.objects.filter(plan=plan).values_list("table_id", "user_id"):
        tables[table_id].append(user_id)
    people = {uid for ids in tables.values() for uid in ids}
    avoid = {frozenset(p) for p in wish_pairs(association=plan.gathering.association_id, people=people)["avoid"]}
    return {pair for ids in tables.values() for i, a in enumerate(ids) for b in ids[i + 1:]
            if (pair := frozenset((a, b))) in avoid}


def avoid_binding(*, plan: Plan, people: set[int], tables: list[list[int]]) -> list[list[int]]:
    """The avoid pairs a change to ``plan``'s seating (a repair: a late RSVP, a re-booking, the
    door) must keep apart: every avoid wish as it is now, so nobody is seated or moved next to
    someone they asked to avoid, whenever they asked. One exception: a pair a wish saved after
    publication found already at one table (``tables``: the seating kept) stays as published;
    moving one of them away would be a move nothing else explains, and would tell who asked (the
    member is told, on saving the wish, that she may still give up her seat)."""
    association_id = plan.gathering.association_id
    now = {frozenset(p) for p in wish_pairs(association=association_id, people=people)["avoid"]}
    known_at = wishes_known_at(plan)
    if known_at is not None:
        known = {frozenset(p) for p in wish_pairs(association=association_id, people=people, made_by=known_at)["avoid"]}
        together = {frozenset((a, b)) for t in tables for i, a in enumerate(t) for b in t[i + 1:]}
        now -= (now - known) & together
    return sorted(sorted(pair) for pair in now)


def _common(theirs: list[str], mine: list[str]) -> list[str]:
    """Their words that are also mine (whatever the case), as they wrote them: « PME », not « pme »."""
    folded = {word.casefold() for word in mine}
    return sorted({word.casefold(): word for word in theirs if word.casefold() in folded}.values(), key=str.casefold)


def _companion_why(me: dict, other: dict, language: str, *, shares: bool) -> list[str]:
    from django.utils import translation
    from django.utils.translation import gettext as _

    out = []
    with translation.override(language):
        if not shares:
            other = dict(other, offers=[], needs=[], interests=[])
        helps = _common(other["offers"], me["needs"])
        if helps:
            out.append(_("Peut vous aider : %(topics)s") % {"topics": ", ".join(helps)})
        helped = _common(other["needs"], me["offers"])
        if helped:
            out.append(_("Cherche ce que vous offrez : %(topics)s") % {"topics": ", ".join(helped)})
        shared = _common(other["interests"], me["interests"])
        if shared:
            out.append(_("Intérêts communs : %(topics)s") % {"topics": ", ".join(shared)})
        if me["sector"] and other["sector"] and me["sector"].casefold() != other["sector"].casefold():
            out.append(_("Un autre regard : %(sector)s") % {"sector": other["sector"]})
    return out


def my_table(*, gathering: Gathering, user, language: str = "fr-ca") -> dict | None:
    """What a seated member sees of a published plan; None before publication, when not seated,
    once the member cancelled (her seat is freed by the next repair, her table is no longer hers),
    or when the gathering itself is cancelled (there are no tables any more).

    The table-mates are the people of her table who still hold a confirmed seat: someone who
    cancelled is gone from their view at once, not only after the worker's repair frees the seat
    (a repair may also wait for the organizer, or not run at all with fewer than two people).

    While a published plan is redone (``services.plan_redo``: a draft until published again), the
    member still sees the table she was told (``Plan.told_tables``) with ``revising`` set: the
    people told the same table who still hold a confirmed seat, on the same consent rules; never
    the draft's seats nor its why lines (they speak of a table not hers yet). Someone told no table
    (a later sign-up) sees none until the plan is published again."""
    if gathering.state == Gathering.State.CANCELLED or not getattr(user, "is_authenticated", False):
        return None
    plan = Plan.objects.filter(gathering_id=gathering.pk).first()
    if plan is None or (plan.status != Plan.Status.PUBLISHED and not plan.told_tables):
        return None
    if not Rsvp.objects.filter(gathering_id=gathering.pk, user_id=user.pk, status=Rsvp.Status.CONFIRMED).exists():
        return None
    if plan.status == Plan.Status.PUBLISHED:
        seat = Seat.objects.filter(plan=plan, user_id=user.pk).select_related("table", "user__profile").first()
        if seat is None:
            return None
        mates = [s.user for s in seats_held(plan=plan).filter(table=seat.table)
                 .select_related("user", "user__profile").order_by("position", "pk") if s.user_id != user.pk]
        return _table_seen(plan=plan, gathering=gathering, me=seat.user, number=seat.table.number,
                           why=seat.table.why(language, reader=user.pk), mates=mates, language=language)
    number = plan.told_tables.get(str(user.pk))
    if number is None:
        return None
    told_same = [int(uid) for uid, n in plan.told_tables.items() if n == number and uid != str(user.pk)]
    confirmed = Rsvp.objects.filter(gathering_id=gathering.pk, status=Rsvp.Status.CONFIRMED).values("user_id")
    mates = list(User.objects.filter(pk__in=told_same).filter(pk__in=confirmed).select_related("profile")
                 .order_by(by_name("last_name"), by_name("first_name"), "pk"))
    me = User.objects.select_related("profile").get(pk=user.pk)
    return _table_seen(plan=plan, gathering=gathering, me=me, number=number, why=[], mates=mates,
                       language=language, revising=True)


def _table_seen(*, plan: Plan, gathering: Gathering, me: User, number: int, why: list[str], mates: list[User],
                language: str, revising: bool = False) -> dict:
    """« Ma tablée » of ``me`` at table ``number`` with these table-mates: each mate as their consent
    allows, the conversation starters drawn from what may be shown."""
    mine = person_input(me)
    companions = []
    topics = list(mine["needs"]) + list(mine["interests"])
    for mate in mates:
        other = person_input(mate)
        # Law 25: table-mates see a person's offers and needs only with their consent (given on the
        # first visit or the profile); the organization as ``organization_shown`` says; else the name alone.
        shares = shares_offers_and_needs(mate)
        if not shares:
            other = {**other, "offers": [], "needs": [], "interests": [], "sector": ""}
        companions.append({
            "name": other["name"],
            "organization": organization_shown(mate, table_mate=True),
            "offers": other["offers"],
            "needs": other["needs"],
            "why": _companion_why(mine, other, language, shares=shares),
        })
        if shares:
            topics += other["needs"] + other["interests"] + other["offers"]
    return {
        "plan": plan,
        "table": number,
        "why": why,
        "companions": companions,
        "conversation_starters": questions.starters(
            gathering_id=gathering.pk, user_id=me.pk, language=language, topics=topics
        ),
        # The organizer is redoing the plan: this is the table the member was told, which may change.
        "revising": revising,
    }


def tables_already_set(*, user, association: Association) -> list[Gathering]:
    """The coming gatherings of ``association`` where ``user`` already has a seat in a published
    plan: a wish saved now will not change them (`wishes_known_at`), and the member is told so."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    plans = (Plan.objects.filter(gathering__association_id=association.pk, status=Plan.Status.PUBLISHED,
                                 gathering__starts_at__gt=now - timedelta(days=1), seats__user_id=user.pk,
                                 gathering__rsvps__user_id=user.pk,
                                 gathering__rsvps__status=Rsvp.Status.CONFIRMED)
             .select_related("gathering").order_by("gathering__starts_at").distinct())
    return [plan.gathering for plan in plans
            if plan.gathering.starts_at + timedelta(minutes=plan.gathering.duration_minutes) > now]


def wishes_of(*, author, association: Association | None = None) -> QuerySet[Wish]:
    """The author's own wishes; the only place an avoid wish is ever listed."""
    qs = Wish.objects.filter(author_id=author.pk).select_related("target", "association")
    if association is not None:
        qs = qs.filter(association=association)
    return qs


# At most this many people in the wishes picker: the member types more of the name to narrow it.
WISH_CANDIDATES = 20


@dataclass(frozen=True)
class WishCandidate:
    id: int
    name: str
    organization: str


def wish_candidates(*, author, association: Association, query: str = "") -> list[WishCandidate]:
    """The wishes page's picker: among the people the author may name (``access.nameable``), those
    whose name holds every typed word, accents and case aside (« helene cote » finds Hélène Côté);
    with nothing typed, the people the author shared a table with at a gathering already held (a
    table to come is not shared yet). By name, at most ``WISH_CANDIDATES``. The organization as
    ``organization_shown`` says, the author being a table-mate of those seated with them (as
    « Ma tablée » shows them)."""
    words = fold(query).split()
    people = nameable(author=author, association=association).select_related("profile")
    mates = set(sat_with(author=author, association=association).values_list("user_id", flat=True))
    if not words:
        people = people.filter(pk__in=sat_with(author=author, association=association, held_only=True))
    found = []
    for user in people.iterator(chunk_size=500):
        name = user.get_full_name() or user.first_name
        if not name or not all(w in fold(name) for w in words):
            continue
        found.append(WishCandidate(id=user.pk, name=name,
                                   organization=organization_shown(user, table_mate=user.pk in mates)))
    found.sort(key=lambda c: (fold(c.name), c.id))
    return found[:WISH_CANDIDATES]
