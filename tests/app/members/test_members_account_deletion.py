"""Deleting one's account (Québec's Law 25): nothing of the person remains but anonymous counts.

The person has written something in every room (circle, journey, tables), attended gatherings and
received emails. After the deletion the test scans every text column of every table for anything
that could say who they were, and checks that the association's figures did not move."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.utils import timezone

from tablee.gatherings.models import Gathering, Rsvp
from tablee.members.erasure import account_delete
from tablee.members.models import ApiToken, LoginLink, Membership, Profile, User
from tablee.outbox.models import Email, OptOut, Topic
from tablee.outbox.services import optout_set

EMAIL = "zephirine.quintal@example.org"
SECRETS = ["zephirine", "Zéphirine", "Quintal-Bergeron", "Mentorat en fiscalité", "Signal privé unique",
           "Note privée sur Paul", "Souhait: Jean", "Je veux rencontrer trois bâtisseurs"]


@pytest.fixture
def zephirine(make_person, association):
    return make_person(association=association, email=EMAIL, first_name="Zéphirine", last_name="Quintal-Bergeron",
                       organization="Quintal-Bergeron conseil", offers=["Mentorat en fiscalité"], languages=["fr"])


@pytest.fixture
def her_life(zephirine, member, other_member, association):
    """Everything a year of Tablée leaves: attendance, a seat, cards, notes, follow-ups, wishes, intentions."""
    from tablee.circle.services import (
        CardEntry,
        cards_keep,
        contact_create,
        followup_create,
        note_add,
        promise_create,
    )
    from tablee.journey.services import intention_create, reflection_record
    from tablee.tables.models import Wish
    from tablee.tables.services import wish_create

    past = Gathering.objects.create(association=association, title="Déjeuner d'octobre",
                                    starts_at=timezone.now() - timedelta(days=20), state=Gathering.State.DONE)
    for user in (zephirine, member, other_member):
        Rsvp.objects.create(gathering=past, user=user, status=Rsvp.Status.CONFIRMED, queued_at=past.starts_at,
                            confirmed_at=past.starts_at, present=True)
    cards_keep(owner=zephirine, gathering=past, entries=[CardEntry(email=member.email, note="Note privée sur Paul")])
    outside = contact_create(owner=zephirine, name="Paul Extérieur", email="paul@ailleurs.example")
    note_add(owner=zephirine, contact=outside, text="Note privée sur Paul")
    promise_create(owner=zephirine, contact=outside, text="Lui envoyer le guide")
    followup_create(owner=zephirine, contact=outside, subject="Suite", body="Signal privé unique")
    wish_create(author=zephirine, association=association, kind=Wish.Kind.MEET, target=member)
    wish_create(author=zephirine, association=association, kind=Wish.Kind.AVOID, target=other_member)
    wish_create(author=member, association=association, kind=Wish.Kind.MEET, target=zephirine)
    intention = intention_create(author=zephirine, result="Je veux rencontrer trois bâtisseurs",
                                 signal="Signal privé unique", gathering=past)
    reflection_record(intention=intention, reached=True, energy_after=4, next_step="Souhait: Jean")
    ApiToken.objects.create(user=zephirine, key_hash=ApiToken.hash(ApiToken.new_raw()), label="script")
    # Her seat at the October breakfast, whose why lines named her and quoted her offer.
    from tablee.tables.models import Plan, PlanTable, Seat

    plan = Plan.objects.create(gathering=past, status=Plan.Status.PUBLISHED)
    said = ["Marie Tremblay cherche « Mentorat en fiscalité » : Zéphirine Quintal-Bergeron peut l'aider."]
    table = PlanTable.objects.create(plan=plan, number=1, why_fr=said, why_en=said, why_own={
        str(member.pk): {"fr": ["Vous cherchez « Mentorat en fiscalité » : Zéphirine Quintal-Bergeron peut vous aider."],
                         "en": []}})
    for position, user in enumerate((zephirine, member, other_member)):
        Seat.objects.create(plan=plan, table=table, user=user, position=position)
    optout_set(address=EMAIL, topic=Topic.DIGEST, refuse=True)
    optout_set(address=EMAIL, topic=Topic.PERSONAL, refuse=True)
    from tablee.outbox.services import email_queue

    email_queue(key="old:1", kind="reminder", to=EMAIL, subject="Zéphirine, demain", body_text="Bonjour Zéphirine",
                user=zephirine)
    # A topic email: its unsubscribe link's key stands for her address.
    email_queue(key="old:2", kind="digest", to=EMAIL, subject="Résumé", body_text="Bonjour Zéphirine",
                user=zephirine, topic=Topic.DIGEST)
    return past


def _every_text_value():
    """(table, column, value) for every text-like column of every row in the database."""
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField | models.JSONField | models.EmailField)]
        for row in model._base_manager.values_list(*[f.attname for f in fields]) if fields else []:
            for field, value in zip(fields, row, strict=True):
                if value:
                    yield model._meta.db_table, field.attname, str(value)


def test_nothing_of_a_deleted_account_remains_but_anonymous_counts(zephirine, her_life, association, member):
    from tablee.journey.selectors import association_depth

    past = her_life
    depth_before = association_depth(association=association)
    attended_before = Rsvp.objects.filter(gathering=past, status=Rsvp.Status.CONFIRMED, present=True).count()
    pk = zephirine.pk

    erased = account_delete(user=zephirine)

    assert not User.objects.filter(pk=pk).exists()
    for model in (Profile, Membership.all_objects, ApiToken, LoginLink):
        qs = model.filter(user_id=pk) if hasattr(model, "filter") else model.objects.filter(user_id=pk)
        assert not qs.exists()
    leftovers = [(table, column) for table, column, value in _every_text_value()
                 if any(secret.lower() in value.lower() for secret in [EMAIL, *SECRETS])]
    # Only the confirmation email waits in the outbox, addressed to her (it forgets itself once sent),
    # and her refusal of personal emails keeps protecting the address: a bare address, no name.
    assert sorted(leftovers) == [("outbox_email", "to"), ("outbox_optout", "address")]
    [goodbye] = Email.objects.filter(to=EMAIL)
    assert goodbye.kind == "account_deleted" and goodbye.forget_after_send
    assert list(OptOut.objects.values_list("address", "topic")) == [(EMAIL, Topic.PERSONAL)]
    # The figures hold: the same attendance, the same depth; the seat-holder is an anonymous ghost.
    assert Rsvp.objects.filter(gathering=past, status=Rsvp.Status.CONFIRMED, present=True).count() == attended_before
    assert association_depth(association=association) == depth_before
    ghost = Rsvp.objects.exclude(user__in=[member, User.objects.get(email="samuel@example.org")]).get().user
    assert not ghost.is_active and not ghost.has_usable_password()
    assert (ghost.first_name, ghost.last_name) == ("", "") and not Profile.objects.filter(user=ghost).exists()
    assert not Membership.all_objects.filter(user=ghost).exists()
    # What was erased, by room (the report the deletion logs).
    assert erased["circle.notes"] == 1 and erased["circle.cards"] == 1 and erased["journey.intentions"] == 1 and erased["tables.wishes"] == 3
    print("after deletion:", {k: v for k, v in erased.items() if v})


def test_the_confirmation_is_delivered_then_forgotten(zephirine, smtp, django_capture_on_commit_callbacks):
    from tablee.outbox.tasks import send_email

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=zephirine)
    goodbye = Email.objects.get(kind="account_deleted")
    send_email.call(email_id=goodbye.pk)

    [message] = smtp.inbox.messages
    assert message["To"] == EMAIL and "supprimé" in message["Subject"]
    goodbye.refresh_from_db()
    assert goodbye.status == Email.Status.SENT
    assert (goodbye.to, goodbye.subject, goodbye.body_text, goodbye.body_html) == ("", "", "", "")


def test_the_page_asks_for_the_address_then_deletes_and_signs_out(zephirine, client):
    client.force_login(zephirine)

    wrong = client.post("/account/delete/", {"confirm": "autre@example.org"})
    assert wrong.status_code == 200 and User.objects.filter(pk=zephirine.pk).exists()

    done = client.post("/account/delete/", {"confirm": EMAIL.upper()})
    assert done.status_code == 302
    assert not User.objects.filter(email=EMAIL).exists()
    assert client.get("/account/").status_code == 302  # signed out
    assert Email.objects.filter(to=EMAIL, kind="account_deleted").count() == 1


def test_deletion_needs_a_signed_in_post(zephirine):
    assert Client().post("/account/delete/", {"confirm": EMAIL}).status_code == 302
    assert User.objects.filter(pk=zephirine.pk).exists()


def test_her_table_at_a_coming_gathering_is_explained_again_without_her(
        zephirine, member, other_member, association, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from tablee.tables.models import Plan, PlanTable, Seat
    from tablee.tables.tasks import explanations_refresh

    coming = Gathering.objects.create(association=association, title="Souper de janvier",
                                      starts_at=timezone.now() + timedelta(days=20))
    plan = Plan.objects.create(gathering=coming, status=Plan.Status.PUBLISHED)
    table = PlanTable.objects.create(plan=plan, number=1, why_fr=["Zéphirine Quintal-Bergeron offre …"])
    for position, user in enumerate((zephirine, member, other_member)):
        Rsvp.objects.create(gathering=coming, user=user, status=Rsvp.Status.CONFIRMED, queued_at=timezone.now(),
                            confirmed_at=timezone.now())
        Seat.objects.create(plan=plan, table=table, user=user, position=position)

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=zephirine)

    table.refresh_from_db()
    assert (table.why_fr, table.why_en, table.why_own) == ([], [], {})
    # Her seat is freed; the table's lines are written again for someone still at it.
    assert set(Seat.objects.filter(plan=plan).values_list("user_id", flat=True)) == {member.pk, other_member.pk}
    [queued] = DBTaskResult.objects.filter(task_path=explanations_refresh.module_path)
    assert queued.args_kwargs["args"][0] == plan.pk
    assert queued.args_kwargs["args"][1] in (member.pk, other_member.pk)
    assert explanations_refresh.call(*queued.args_kwargs["args"]) == "refreshed"
    table.refresh_from_db()
    assert table.why_fr and not any(secret.lower() in line.lower()
                                    for line in table.why_fr + table.why_en for secret in SECRETS)


def test_her_seat_at_a_coming_gathering_goes_to_the_first_person_waiting(
        zephirine, member, other_member, association, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from tablee.tables.models import Plan, PlanTable, Seat
    from tablee.tables.tasks import repair_after_rsvp

    coming = Gathering.objects.create(association=association, title="Souper de janvier", tables=1, seats_per_table=2,
                                      starts_at=timezone.now() + timedelta(days=20), state=Gathering.State.OPEN)
    plan = Plan.objects.create(gathering=coming, status=Plan.Status.PUBLISHED)
    table = PlanTable.objects.create(plan=plan, number=1)
    for position, user in enumerate((zephirine, member)):
        Rsvp.objects.create(gathering=coming, user=user, status=Rsvp.Status.CONFIRMED, queued_at=timezone.now(),
                            confirmed_at=timezone.now())
        Seat.objects.create(plan=plan, table=table, user=user, position=position)
    Rsvp.objects.create(gathering=coming, user=other_member, status=Rsvp.Status.WAITLISTED, queued_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        erased = account_delete(user=zephirine)

    assert erased["gatherings.upcoming_seats_given_up"] == 1
    ghost_rsvp = Rsvp.objects.get(gathering=coming, user__email__endswith="@deleted.invalid")
    assert ghost_rsvp.status == Rsvp.Status.CANCELLED
    assert Rsvp.objects.get(gathering=coming, user=other_member).status == Rsvp.Status.CONFIRMED
    assert DBTaskResult.objects.filter(task_path=repair_after_rsvp.module_path,
                                       args_kwargs__args=[coming.pk]).exists()
    # No "your seat is cancelled" email to the address that is going away.
    assert not Email.objects.filter(to__iexact=EMAIL).exclude(kind="account_deleted").exists()
