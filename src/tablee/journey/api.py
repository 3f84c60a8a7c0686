"""JSON API for intentions, reflections, share suggestions and an association's depth. Thin."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator

from tablee.gatherings import access as gatherings_access
from tablee.journey import access, selectors, services
from tablee.journey.models import Intention
from tablee.members import access as members_access
from tablee.pagination import PageIn, api_page
from tablee.schemas import Error

router = Router(tags=["journey"])


class IntentionIn(Schema):
    # A Tablée gathering's id, or an outside event's title and date.
    event: int | None = None
    title: str = ""
    date: dt.date | None = None
    result: str = Field(..., min_length=1, max_length=1000)
    signal: str = Field(..., min_length=1, max_length=1000)
    cards_budget: int = Field(3, ge=0, le=50)
    energy_before: int = Field(3, ge=1, le=5)
    leave_at: dt.time | None = None
    questions: list[str] = Field(default_factory=list, max_length=3)

    @field_validator("leave_at")
    @classmethod
    def _naive_time(cls, value: dt.time | None) -> dt.time | None:
        # A time of day at the gathering, in its own time zone: an offset has no meaning here.
        if value is not None and value.tzinfo is not None:
            raise ValueError("leave_at is a local time of day, without a time zone (e.g. 20:30)")
        return value

    @field_validator("date")
    @classmethod
    def _plausible_date(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and not 2000 <= value.year <= 2100:
            raise ValueError("date must be between 2000 and 2100")
        return value


class ReflectionIn(Schema):
    reached: bool
    next: str = Field("", max_length=1000)
    energy_after: int = Field(..., ge=1, le=5)


class ReflectionOut(Schema):
    reached: bool
    next: str
    energy_after: int


class IntentionOut(Schema):
    id: int
    gathering_id: int | None
    title: str
    date: dt.date
    result: str
    signal: str
    cards_budget: int
    energy_before: int
    leave_at: dt.time | None
    questions: list[str]
    reflection: ReflectionOut | None
    pacing_warning: str = ""


class ShareIn(Schema):
    text: str = Field(..., min_length=1, max_length=5000)


class PickIn(Schema):
    contact_id: int
    note: str = Field("", max_length=2000)


class ShareSendIn(Schema):
    text: str = Field(..., min_length=1, max_length=5000)
    # One to three people; there is no "send to all".
    picks: list[PickIn] = Field(..., min_length=1, max_length=services.SHARE_MAX)


class ShareOut(Schema):
    id: int
    sent_to: list[int]


class SuggestionOut(Schema):
    contact_id: int
    name: str
    why: str
    score: float
    note: str


class SuggestionsOut(Schema):
    suggestions: list[SuggestionOut]


class DepthRowOut(Schema):
    gathering_id: int
    title: str
    starts_at: str
    attendees: int
    new_pairs_per_member: float
    repeat_rate: float
    followed_up_share: float | None
    mutual_continues: int


class DepthOut(Schema):
    association: str
    season_start: dt.date
    gatherings: list[DepthRowOut]


def intention_out(intention: Intention, warning: str = "") -> dict:
    reflection = getattr(intention, "reflection", None)
    return {
        "id": intention.pk,
        "gathering_id": intention.gathering_id,
        "title": intention.title,
        "date": intention.event_date,
        "result": intention.result,
        "signal": intention.signal,
        "cards_budget": intention.cards_budget,
        "energy_before": intention.energy_before,
        "leave_at": intention.leave_at,
        "questions": intention.questions,
        "reflection": {"reached": reflection.reached, "next": reflection.next_step,
                       "energy_after": reflection.energy_after} if reflection else None,
        "pacing_warning": warning,
    }


@router.post("/intentions", response={201: IntentionOut, 404: Error, 422: Error})
def intention_create(request, payload: IntentionIn):
    gathering = gatherings_access.gathering_for_member(request.auth, payload.event) if payload.event else None
    day = payload.date
    if gathering is not None:
        from django.utils import timezone

        day = timezone.localtime(gathering.starts_at).date()
    warning = selectors.pacing_warning(user=request.auth, day=day, gathering=gathering) if day else ""
    intention = services.intention_create(
        author=request.auth, gathering=gathering, event_title=payload.title, event_date=payload.date,
        result=payload.result, signal=payload.signal, cards_budget=payload.cards_budget,
        energy_before=payload.energy_before, leave_at=payload.leave_at, questions=payload.questions,
    )
    return Status(201, intention_out(intention, warning))


@router.get("/intentions", response=list[IntentionOut])
def intention_list(request, response: HttpResponse, page: Query[PageIn]):
    """Latest gathering first; paginated."""
    return [intention_out(i) for i in api_page(request, response, selectors.intentions_of(author=request.auth), page)]


@router.get("/intentions/{intention_id}", response={200: IntentionOut, 404: Error})
def intention_detail(request, intention_id: int):
    return intention_out(access.intention_for_author(request.auth, intention_id))


@router.post("/intentions/{intention_id}/reflection", response={200: IntentionOut, 404: Error, 422: Error})
def reflection_record(request, intention_id: int, payload: ReflectionIn):
    intention = access.intention_for_author(request.auth, intention_id)
    services.reflection_record(intention=intention, reached=payload.reached, next_step=payload.next,
                               energy_after=payload.energy_after)
    intention = access.intention_for_author(request.auth, intention_id)
    return intention_out(intention)


@router.post("/share/suggest", response=SuggestionsOut)
def share_suggest(request, payload: ShareIn):
    found = selectors.share_suggestions(owner=request.auth, text=payload.text)
    return {"suggestions": [
        {"contact_id": s.contact.pk, "name": s.contact.name, "why": s.why, "score": s.score, "note": s.note}
        for s in found
    ]}


@router.post("/share", response={201: ShareOut, 404: Error, 422: Error})
def share_send(request, payload: ShareSendIn):
    from tablee.circle.access import contact_for_owner

    picks = [(contact_for_owner(owner=request.auth, contact_id=p.contact_id), p.note) for p in payload.picks]
    share = services.share_send(author=request.auth, text=payload.text, picks=picks)
    return Status(201, {"id": share.pk, "sent_to": [c.pk for c, _note in picks]})


@router.get("/associations/{slug}/depth", response={200: DepthOut, 403: Error, 404: Error})
def association_depth(request, slug: str):
    from django.utils import timezone

    association = members_access.association_for_organizer(request.auth, slug)
    rows = selectors.association_depth(association=association)
    return {
        "association": association.slug,
        "season_start": selectors.season_start(timezone.localdate()),
        "gatherings": [{**row.__dict__, "starts_at": row.starts_at.isoformat()} for row in rows],
    }
