"""JSON API for gatherings, series, RSVPs and the door. Thin: access, then one service or selector."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import AwareDatetime, model_validator

from tablee.gatherings import access, selectors, services
from tablee.gatherings.models import Gathering, Rsvp, Series
from tablee.members import access as members_access
from tablee.pagination import PageIn, WidePageIn, api_page
from tablee.schemas import Error

router = Router(tags=["gatherings"])


class GatheringIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    starts_at: AwareDatetime = Field(..., description="ISO 8601 with a UTC offset, e.g. 2026-03-03T07:30:00-05:00")
    duration_minutes: int = Field(120, ge=15, le=24 * 60)
    venue: str = Field("", max_length=300)
    tables: int = Field(6, ge=1, le=200)
    seats_per_table: int = Field(6, ge=2, le=20)
    rsvp_deadline: AwareDatetime | None = None
    state: Literal["draft", "open"] = "open"

    @model_validator(mode="after")
    def _deadline_before_start(self):
        if self.rsvp_deadline is not None and self.rsvp_deadline > self.starts_at:
            raise ValueError("rsvp_deadline must be before starts_at")
        return self


class SeriesIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    frequency: Literal["monthly_nth_weekday", "weekly"] = "monthly_nth_weekday"
    weekday: int = Field(..., ge=0, le=6, description="0 = Monday … 6 = Sunday")
    week_of_month: int = Field(1, ge=-1, le=4, description="1..4, or -1 for the last one")
    start_time: time = Field(..., description="local time of the association, e.g. 07:30")
    first_date: date
    count: int = Field(..., ge=1, le=60)
    duration_minutes: int = Field(120, ge=15, le=24 * 60)
    venue: str = Field("", max_length=300)
    tables: int = Field(6, ge=1, le=200)
    seats_per_table: int = Field(6, ge=2, le=20)
    rsvp_deadline_hours: int = Field(24, ge=0, le=24 * 60)

    @model_validator(mode="after")
    def _check(self):
        if self.frequency == "monthly_nth_weekday" and self.week_of_month == 0:
            raise ValueError("week_of_month must be 1..4 or -1")
        if self.start_time.tzinfo is not None:
            raise ValueError("start_time is a local time of day, without an offset (e.g. 07:30)")
        return self


class GatheringOut(Schema):
    id: int
    association: str
    series_id: int | None
    title: str
    starts_at: datetime
    ends_at: datetime
    duration_minutes: int
    venue: str
    tables: int
    seats_per_table: int
    capacity: int
    rsvp_deadline: datetime | None
    state: str
    confirmed_count: int
    waitlist_count: int
    seats_left: int
    my_status: Literal["confirmed", "waitlisted", "cancelled"] | None
    my_waitlist_position: int | None


class SeriesOut(Schema):
    id: int
    title: str
    gatherings: list[GatheringOut]


class RsvpOut(Schema):
    status: Literal["confirmed", "waitlisted", "cancelled", "none"]
    waitlist_position: int | None = None


class AttendeeOut(Schema):
    user_id: int
    email: str
    first_name: str
    last_name: str
    organization: str
    status: Literal["confirmed", "waitlisted", "cancelled"]
    waitlist_position: int | None
    present: bool | None
    walk_in: bool


class CheckinIn(Schema):
    email: str = Field(..., min_length=3, max_length=254)
    present: bool = True


class WalkinIn(Schema):
    email: str = Field(..., min_length=3, max_length=254)


def _gathering_out(gathering: Gathering, user) -> GatheringOut:
    if hasattr(gathering, "confirmed_count"):  # a list: counts and my status come annotated (no N+1)
        counts = {"confirmed": gathering.confirmed_count, "waitlisted": gathering.waitlisted_count,
                  "seats_left": max(gathering.capacity - gathering.confirmed_count, 0)}
        waiting = gathering.my_status == Rsvp.Status.WAITLISTED
        mine = selectors.my_rsvp(gathering=gathering, user=user) if waiting else None
        my_status = gathering.my_status
    else:
        counts = selectors.gathering_counts(gathering=gathering)
        mine = selectors.my_rsvp(gathering=gathering, user=user)
        my_status = mine.status if mine else None
    return GatheringOut(
        id=gathering.pk,
        association=gathering.association.slug,
        series_id=gathering.series_id,
        title=gathering.title,
        starts_at=gathering.starts_at,
        ends_at=gathering.ends_at,
        duration_minutes=gathering.duration_minutes,
        venue=gathering.venue,
        tables=gathering.tables,
        seats_per_table=gathering.seats_per_table,
        capacity=gathering.capacity,
        rsvp_deadline=gathering.rsvp_deadline,
        state=gathering.state,
        confirmed_count=counts["confirmed"],
        waitlist_count=counts["waitlisted"],
        seats_left=counts["seats_left"],
        my_status=my_status,
        my_waitlist_position=selectors.waitlist_position(rsvp=mine),
    )


def _attendee_out(rsvp: Rsvp, position: int | None = None) -> AttendeeOut:
    user = rsvp.user
    profile = getattr(user, "profile", None)
    return AttendeeOut(
        user_id=user.pk,
        email=user.address_shown,  # a deleted account's attendance is kept, as « Compte supprimé »
        first_name=user.get_full_name() if user.is_ghost else user.first_name,
        last_name=user.last_name,
        organization=profile.organization if profile else "",
        status=rsvp.status,
        waitlist_position=position,
        present=rsvp.present,
        walk_in=rsvp.walk_in,
    )


def _rsvp_out(rsvp: Rsvp | None) -> RsvpOut:
    if rsvp is None:
        return RsvpOut(status="none")
    return RsvpOut(status=rsvp.status, waitlist_position=selectors.waitlist_position(rsvp=rsvp))


def _member_of(gathering: Gathering, email: str):
    user = selectors.member_by_email(association=gathering.association, email=email)
    if user is None:
        raise HttpError(404, _("Aucun membre de cette association n'a ce courriel."))
    return user


# --- associations ------------------------------------------------------------------------------


@router.get("/associations/{slug}/gatherings", response=list[GatheringOut])
def gathering_list(request, response: HttpResponse, slug: str, page: Query[PageIn]):
    association = members_access.association_for_member(request.auth, slug)
    gatherings = selectors.gatherings_of_association(association=association, user=request.auth)
    return [_gathering_out(g, request.auth) for g in api_page(request, response, gatherings, page)]


@router.post("/associations/{slug}/gatherings", response={201: GatheringOut, 422: Error})
def gathering_create(request, slug: str, payload: GatheringIn):
    association = members_access.association_for_organizer(request.auth, slug)
    gathering = services.gathering_create(association=association, **payload.dict())
    return Status(201, _gathering_out(gathering, request.auth))


@router.post("/associations/{slug}/series", response={201: SeriesOut, 422: Error})
def series_create(request, slug: str, payload: SeriesIn):
    association = members_access.association_for_organizer(request.auth, slug)
    data = payload.dict()
    data["frequency"] = Series.Frequency(data["frequency"])
    series, gatherings = services.series_create(association=association, **data)
    out = SeriesOut(id=series.pk, title=series.title, gatherings=[_gathering_out(g, request.auth) for g in gatherings])
    return Status(201, out)


# --- one gathering ------------------------------------------------------------------------------


@router.get("/gatherings/{gathering_id}", response=GatheringOut)
def gathering_detail(request, gathering_id: int):
    gathering = access.gathering_for_member(request.auth, gathering_id)
    return _gathering_out(gathering, request.auth)


@router.post("/gatherings/{gathering_id}/rsvp", response={200: RsvpOut, 409: Error})
def rsvp_create(request, gathering_id: int):
    gathering = access.gathering_for_member(request.auth, gathering_id)
    try:
        rsvp = services.rsvp_create(gathering=gathering, user=request.auth)
    except services.RsvpError as exc:
        raise HttpError(409, exc.message) from None
    return _rsvp_out(rsvp)


@router.delete("/gatherings/{gathering_id}/rsvp", response={200: RsvpOut, 409: Error})
def rsvp_cancel(request, gathering_id: int):
    gathering = access.gathering_for_member(request.auth, gathering_id)
    try:
        rsvp = services.rsvp_cancel(gathering=gathering, user=request.auth)
    except services.RsvpError as exc:
        raise HttpError(409, exc.message) from None
    return _rsvp_out(rsvp)


@router.get("/gatherings/{gathering_id}/calendar.ics")
def gathering_calendar(request, gathering_id: int):
    from tablee.gatherings.calendar import member_calendar_download

    gathering = access.gathering_for_member(request.auth, gathering_id)
    # A published entry (METHOD:PUBLISH) with my own status: CONFIRMED, TENTATIVE, CANCELLED.
    response = HttpResponse(member_calendar_download(gathering=gathering, user=request.auth),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tablee-{gathering.pk}.ics"'
    return response


@router.get("/gatherings/{gathering_id}/attendees", response=list[AttendeeOut])
def attendee_list(request, response: HttpResponse, gathering_id: int, page: Query[WidePageIn]):
    """Confirmed people in the order they got their seat, then the waiting list; paginated (1,000 by default)."""
    gathering = access.gathering_for_organizer(request.auth, gathering_id)
    # A guest let in by name only is on the check-in page and the plan, in no export (nor here).
    people = [r for r in selectors.attendees(gathering=gathering) if not r.user.is_guest]
    rows = api_page(request, response, people, page)
    return [_attendee_out(r, r.waitlist_position) for r in rows]


@router.post("/gatherings/{gathering_id}/checkin", response={200: AttendeeOut, 404: Error, 409: Error})
def checkin(request, gathering_id: int, payload: CheckinIn):
    gathering = access.gathering_for_organizer(request.auth, gathering_id)
    user = _member_of(gathering, payload.email)
    try:
        rsvp = services.checkin_mark(gathering=gathering, user=user, present=payload.present)
    except services.RsvpError as exc:
        raise HttpError(409, exc.message) from None
    return _attendee_out(rsvp)


@router.post("/gatherings/{gathering_id}/walkin", response={200: AttendeeOut, 404: Error, 409: Error})
def walkin(request, gathering_id: int, payload: WalkinIn):
    """Let a member in at the door; 409 outside the door's hours (a few hours before the start to
    the end of the day)."""
    gathering = access.gathering_for_organizer(request.auth, gathering_id)
    user = _member_of(gathering, payload.email)
    try:
        rsvp = services.walkin_add(gathering=gathering, user=user)
    except services.RsvpError as exc:
        raise HttpError(409, exc.message) from None
    return _attendee_out(rsvp)


@router.get("/gatherings/{gathering_id}/attendees.csv", response={200: None, 403: Error, 404: Error},
            openapi_extra={"responses": {200: {"description": "The attendees CSV (UTF-8 with BOM) in the "
                                               "member's language: `;` between cells and French headers "
                                               "for French, `,` and English headers for English; "
                                               "formulas are escaped", "content": {"text/csv": {}}}}})
def attendees_csv(request, gathering_id: int):
    """For the gathering's organizers: the same CSV as the attendees page, in the language of their
    profile (an API call carries no language cookie)."""
    from tablee.gatherings.exports import attendees_csv_response
    from tablee.members.invitations import language_of

    gathering = access.gathering_for_organizer(request.auth, gathering_id)
    with translation.override(language_of(request.auth)):
        return attendees_csv_response(gathering=gathering)

