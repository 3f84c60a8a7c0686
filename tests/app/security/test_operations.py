"""Operations: the worker survives database trouble and records a heartbeat, /api/health reports it,
pruning, and the admin covers associations, people, gatherings and the outbox only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from tablee.outbox.management.commands.tablee_worker import run_resilient, tick
from tablee.outbox.models import Email, Heartbeat
from tablee.outbox.services import heartbeat_record, prune


def test_the_worker_survives_a_locked_database_and_a_lost_connection():
    troubles = [OperationalError("database is locked"), InterfaceError("connection already closed")]
    runs, waits = [], []

    class FlakyWorker:
        def run(self):
            runs.append(1)
            if troubles:
                raise troubles.pop(0)

    assert run_resilient(FlakyWorker, sleep=waits.append) == 2
    assert len(runs) == 3 and waits == [1.0, 2.0]


@pytest.mark.django_db(transaction=True)  # the tick closes stale connections, as a worker must
def test_a_tick_records_the_heartbeat():
    tick()
    assert timezone.now() - Heartbeat.objects.get(name="worker").seen_at < timedelta(minutes=1)


def test_health_reports_database_worker_and_backlog_to_an_organizer(api, organizer):
    heartbeat_record()
    response = api.get("/api/health", user=organizer)
    data = response.json()
    assert response.status_code == 200
    assert data["database"] == "ok" and data["worker"]["status"] == "ok"
    assert data["outbox"] == {"queued": 0, "oldest_seconds": 0}


def test_health_tells_anyone_else_only_the_status_and_the_database(api, client, member, make_person):
    """A monitor's probe needs the status code and ``{"status", "database"}``; the worker's
    heartbeat and the outbox queue are for the people who run the site."""
    heartbeat_record()
    Email.objects.create(key="k1", kind="test", to="a@example.org", subject="s", body_text="b")
    staff = make_person(email="ops@example.org")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])

    anonymous, as_member = api.get("/api/health"), api.get("/api/health", user=member)
    bad_token = client.get("/api/health", HTTP_AUTHORIZATION="Bearer tbl_not-a-token")

    for response in (anonymous, as_member, bad_token):
        assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})
    assert api.get("/api/health", user=staff).json()["outbox"]["queued"] == 1


def test_health_is_503_when_the_worker_has_been_silent_for_five_minutes(api, organizer):
    heartbeat_record(now=timezone.now() - timedelta(minutes=6))
    anonymous = api.get("/api/health")
    response = api.get("/api/health", user=organizer)
    assert (anonymous.status_code, anonymous.json()) == (503, {"status": "degraded", "database": "ok"})
    assert response.status_code == 503
    assert response.json()["worker"]["status"] == "silent"


def test_a_worker_never_seen_is_silent_once_mail_waits_five_minutes(api, organizer):
    assert api.get("/api/health").status_code == 200  # fresh install, nothing waiting
    email = Email.objects.create(key="k1", kind="test", to="a@example.org", subject="s", body_text="b")
    assert api.get("/api/health", user=organizer).json()["outbox"]["queued"] == 1
    Email.objects.filter(pk=email.pk).update(created_at=timezone.now() - timedelta(minutes=6))
    assert api.get("/api/health").status_code == 503


def test_prune_blanks_old_email_bodies_and_keeps_recent_ones(db, settings):
    settings.TABLEE_EMAIL_RETENTION_DAYS = 90
    old = Email.objects.create(key="old", kind="followup", to="a@example.org", subject="s", body_text="secret",
                               body_html="<p>secret</p>", status=Email.Status.SENT)
    new = Email.objects.create(key="new", kind="followup", to="a@example.org", subject="s", body_text="keep",
                               status=Email.Status.SENT)
    queued = Email.objects.create(key="q", kind="followup", to="a@example.org", subject="s", body_text="wait")
    Email.objects.filter(pk__in=[old.pk, queued.pk]).update(created_at=timezone.now() - timedelta(days=91))

    assert prune()["email_bodies"] == 1
    old.refresh_from_db(), new.refresh_from_db(), queued.refresh_from_db()
    assert (old.body_text, old.body_html) == ("", "") and Email.objects.filter(key="old").exists()
    assert new.body_text == "keep" and queued.body_text == "wait"


def test_prune_deletes_finished_task_rows_after_a_week(db):
    from django_tasks_db.models import DBTaskResult

    from tablee.outbox.tasks import send_email

    result = send_email.using(backend="default").enqueue(email_id=0) if hasattr(send_email, "using") else None
    row = DBTaskResult.objects.get(pk=result.id)
    DBTaskResult.objects.filter(pk=row.pk).update(status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=8))
    assert prune()["tasks"] == 1
    assert not DBTaskResult.objects.filter(pk=row.pk).exists()


def test_the_admin_covers_associations_people_gatherings_and_the_outbox_only():
    registered = {f"{m._meta.app_label}.{m.__name__}" for m in admin.site._registry}
    allowed_apps = {"members", "gatherings", "outbox", "auth", "axes", "django_tasks_database"}
    assert {"members.Association", "members.User", "gatherings.Gathering", "outbox.Email"} <= registered
    assert {label.split(".")[0] for label in registered} <= allowed_apps
    assert not any(label.split(".")[0] in {"circle", "journey", "tables"} for label in registered)
    assert "members.Profile" not in registered


def test_the_outbox_admin_never_shows_addresses_or_bodies(client, db, make_person):
    staff = make_person(email="ops@example.org")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    Email.objects.create(key="k", kind="followup", to="contact@example.net", subject="Sujet privé",
                         body_text="Mot privé")
    client.force_login(staff)
    page = client.get("/admin/outbox/email/").content.decode()
    detail = client.get(f"/admin/outbox/email/{Email.objects.get().pk}/change/").content.decode()
    for text in (page, detail):
        assert "contact@example.net" not in text and "Sujet privé" not in text and "Mot privé" not in text
