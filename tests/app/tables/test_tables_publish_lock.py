"""Publishing renders each email from the published plan; a move just before it is not missed."""

from __future__ import annotations


def test_every_published_email_names_the_table_and_the_table_mates(crowd, make_breakfast, planned):
    """Rendering before the plan was published (to shorten the write lock) sent emails naming no
    table and nobody: « Ma tablée » shows only a published plan. They are rendered once published."""
    from tablee.outbox.models import Email
    from tablee.tables import services
    from tablee.tables.models import Seat

    plan = planned(make_breakfast(crowd))
    services.plan_publish(plan=plan)
    emails = Email.objects.filter(kind="plan_published")
    assert emails.count() == len(crowd)
    for seat in Seat.objects.filter(plan=plan).select_related("table", "user"):
        email = emails.get(user_id=seat.user_id)
        assert f"table {seat.table.number}." in email.body_text
        mate = Seat.objects.filter(table_id=seat.table_id).exclude(pk=seat.pk).select_related("user").first().user
        assert mate.get_full_name() in email.body_text


def test_a_move_between_rendering_and_the_lock_is_rendered_again(crowd, make_breakfast, planned, monkeypatch):
    from tablee.outbox.models import Email
    from tablee.tables import services
    from tablee.tables.models import Seat

    plan = planned(make_breakfast(crowd))
    b = Seat.objects.filter(plan=plan).first()
    a = Seat.objects.filter(plan=plan).exclude(table_id=b.table_id).first()
    real = services._editable

    def swap_then_lock(current):
        # After the emails were rendered, before the lock: the organizer swaps two people.
        Seat.objects.filter(pk=a.pk).update(table_id=b.table_id)
        Seat.objects.filter(pk=b.pk).update(table_id=a.table_id)
        return real(current)

    monkeypatch.setattr(services, "_editable", swap_then_lock)
    services.plan_publish(plan=plan)
    for seat in (a, b):
        seat = Seat.objects.select_related("table").get(pk=seat.pk)
        email = Email.objects.get(kind="plan_published", user_id=seat.user_id)
        assert email.subject.endswith(f"table {seat.table.number}"), email.subject
