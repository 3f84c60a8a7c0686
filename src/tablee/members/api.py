"""JSON API about the signed-in person, and the organizers' members endpoints."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Router, Schema, Status

from tablee.members.access import association_organized_by
from tablee.members.models import Membership

router = Router(tags=["members"])


class MembershipOut(Schema):
    slug: str
    name: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    preferred_language: str
    associations: list[MembershipOut]


@router.get("/me", response=MeOut)
def me(request):
    user = request.auth
    profile = getattr(user, "profile", None)
    memberships = (Membership.objects.filter(user_id=user.pk).order_by("association__name")
                   .values_list("association__slug", "association__name", "role"))
    return MeOut(
        id=user.pk,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        preferred_language=profile.preferred_language if profile else "fr-ca",
        associations=[
            MembershipOut(slug=slug, name=name, role=role) for slug, name, role in memberships
        ],
    )


# Organizers bring their members in -------------------------------------------------------------


class MemberIn(Schema):
    email: str = Field(..., max_length=254)
    first_name: str = Field(..., max_length=150)
    last_name: str = Field(..., max_length=150)
    organization: str = Field("", max_length=200)
    languages: list[str] = []
    offers: list[str] = []
    needs: list[str] = []
    interests: list[str] = []
    invite: bool = True


class MemberCreated(Schema):
    id: int
    email: str
    invited: bool


class MemberRow(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    role: str
    state: str  # never_invited, invited, active
    invited_at: str | None


class MemberPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MemberRow]


class InvitationsIn(Schema):
    # Empty: everyone who has never signed in.
    emails: list[str] = Field(default_factory=list, max_length=1000)


class Queued(Schema):
    queued: int


@router.post("/associations/{slug}/members", response={201: MemberCreated})
def member_add(request, slug: str, payload: MemberIn):
    from tablee.members.roster import member_add as add

    association = association_organized_by(request.auth, slug)
    user, invited = add(association=association, invited_by=request.auth, invite=payload.invite,
                        **payload.dict(exclude={"invite"}))
    return Status(201, MemberCreated(id=user.pk, email=user.email, invited=invited))


@router.get("/associations/{slug}/members", response=MemberPage)
def member_list(request, slug: str, limit: int = 50, offset: int = 0):
    from tablee.members.roster import roster

    association = association_organized_by(request.auth, slug)
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    rows = roster(association=association)
    page = rows[offset: offset + limit]
    return MemberPage(count=len(rows), limit=limit, offset=offset, items=[
        MemberRow(id=r.user.pk, email=r.user.email, first_name=r.user.first_name, last_name=r.user.last_name,
                  role=r.role, state=r.state, invited_at=r.invited_at.isoformat() if r.invited_at else None)
        for r in page
    ])


@router.post("/associations/{slug}/invitations", response=Queued)
def invitations(request, slug: str, payload: InvitationsIn):
    from tablee.members.invitations import invitations_send

    association = association_organized_by(request.auth, slug)
    queued, unknown = invitations_send(association=association, emails=payload.emails or None,
                                        invited_by=request.auth)
    if unknown:
        raise DjangoValidationError({"emails": [f"Not an active member: {', '.join(unknown)}"]})
    return Queued(queued=queued)
