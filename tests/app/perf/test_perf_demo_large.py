"""`tablee demo --size large` builds a federation apart from the small demo (here scaled down)."""

from __future__ import annotations

import io


def test_the_large_demo_builds_a_separate_federation_with_published_plans(db):
    from tablee.circle.models import Contact
    from tablee.demo_large import MEMBER_EMAIL, SLUG, load_large_demo
    from tablee.gatherings.models import Gathering, Rsvp
    from tablee.members.models import Association, Membership
    from tablee.tables.models import Plan, Seat

    out = io.StringIO()
    summary = load_large_demo(out=out, members=300, contacts=120, chapters=5, months=4)
    federation = Association.objects.get(slug=SLUG)
    assert Membership.objects.filter(association=federation).count() == 300
    assert federation.series.count() == 5
    gatherings = Gathering.objects.filter(association=federation)
    assert gatherings.count() == 5 * 5 == summary["gatherings"]
    done = gatherings.filter(state=Gathering.State.DONE)
    assert Plan.objects.filter(gathering__in=done, status=Plan.Status.PUBLISHED).count() == done.count() > 0
    assert Seat.objects.filter(plan__gathering__in=done).count() == 30 * done.count()
    assert Rsvp.objects.filter(gathering__in=gatherings).count() == 30 * gatherings.count()
    member = Membership.objects.get(user__email=MEMBER_EMAIL).user
    assert member.check_password("tablee-demo")
    assert Contact.objects.filter(owner=member).count() == 120
    assert Rsvp.objects.filter(user=member, gathering__state=Gathering.State.OPEN).exists()
    # Again: rebuilt, not doubled.
    load_large_demo(out=out, members=300, contacts=120, chapters=5, months=4)
    assert Membership.objects.filter(association__slug=SLUG).count() == 300
    assert Contact.objects.filter(owner__email=MEMBER_EMAIL).count() == 120
