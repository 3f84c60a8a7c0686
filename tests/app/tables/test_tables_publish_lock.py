"""Publishing renders its emails before the write transaction; a move in between is not missed."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db(transaction=True)
def test_publish_renders_every_email_outside_the_write_transaction(crowd, make_breakfast, planned, monkeypatch):
    from tablee.outbox.models import Email
    from tablee.tables import emails, services

    plan = planned(make_breakfast(crowd))
    inside = []
    real = emails.render_plan_published

    def spy(**kwargs):
        inside.append(connection.in_atomic_block)
        return real(**kwargs)

    monkeypatch.setattr(emails, "render_plan_published", spy)
    services.plan_publish(plan=plan)
    assert len(inside) == len(crowd) and not any(inside)
    assert Email.objects.filter(kind="plan_published").count() == len(crowd)


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
