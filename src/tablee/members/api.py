"""JSON API about the signed-in person."""

from __future__ import annotations

from ninja import Router, Schema

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
    memberships = Membership.objects.filter(user=user).select_related("association").order_by("association__name")
    return MeOut(
        id=user.pk,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        preferred_language=profile.preferred_language if profile else "fr-ca",
        associations=[
            MembershipOut(slug=m.association.slug, name=m.association.name, role=m.role) for m in memberships
        ],
    )
