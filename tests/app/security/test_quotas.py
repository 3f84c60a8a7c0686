"""Quotas and throttles: personal emails per day, sign-in lockout, reset requests, API rate."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tablee.circle.models import FollowUp
from tablee.outbox.models import Email


@pytest.fixture
def strangers(api, member):
    """Contacts created through the API, as the phishing probe did."""

    def make(count):
        ids = []
        for k in range(count):
            response = api.post("/api/contacts", {"name": f"Inconnu {k}", "email": f"inconnu{k}@example.net",
                                                  "tier": "network"}, user=member)
            assert response.status_code == 201, response.content
            ids.append(response.json()["id"])
        return ids

    return make


def test_shares_to_outsiders_stop_with_a_429_at_the_daily_quota(api, member, strangers, settings):
    settings.TABLEE_PERSONAL_EMAILS_PER_DAY = 5
    answers = [
        api.post("/api/share", {"text": "Offre exclusive", "picks": [{"contact_id": cid, "note": "Bonjour"}]},
                 user=member)
        for cid in strangers(7)
    ]

    assert [r.status_code for r in answers] == [201] * 5 + [429] * 2
    refused = answers[-1]
    assert int(refused["Retry-After"]) > 23 * 3600
    assert "24\u00a0heures" in refused.json()["detail"]
    assert Email.objects.filter(kind="followup").count() == 5


def test_followups_and_shares_share_one_quota_and_a_share_is_all_or_nothing(api, member, strangers, settings):
    from tablee.circle.services import followup_create

    settings.TABLEE_PERSONAL_EMAILS_PER_DAY = 3
    ids = strangers(4)
    two = [{"contact_id": cid, "note": ""} for cid in ids[:2]]
    assert api.post("/api/share", {"text": "Bonjour", "picks": two}, user=member).status_code == 201
    from tablee.circle.models import Contact

    contact = Contact.objects.get(pk=ids[2])
    followup = followup_create(owner=member, contact=contact)
    sent = api.post(f"/api/followups/{followup.pk}/send", {"subject": "Suivi", "body": "Merci"}, user=member)
    assert sent.status_code == 202
    # The quota (3) is reached: a share to one more person is refused and stores nothing.
    before = FollowUp.objects.count()
    refused = api.post("/api/share", {"text": "Encore", "picks": [{"contact_id": ids[3], "note": ""}]}, user=member)
    assert refused.status_code == 429
    assert FollowUp.objects.count() == before
    assert Email.objects.count() == 3


def test_the_quota_is_per_member_and_rolls_over_after_a_day(member, other_member, make_contact, settings):
    from datetime import timedelta

    from django.utils import timezone

    from tablee.circle.services import followup_create, followup_send
    from tablee.throttle import Throttled

    settings.TABLEE_PERSONAL_EMAILS_PER_DAY = 1
    mine = [make_contact(member, f"Contact {k}") for k in range(2)]
    first = followup_create(owner=member, contact=mine[0])
    followup_send(owner=member, followup=first, subject="a", body="b")
    second = followup_create(owner=member, contact=mine[1])
    with pytest.raises(Throttled):
        followup_send(owner=member, followup=second, subject="a", body="b")
    theirs = followup_create(owner=other_member, contact=make_contact(other_member, "Quelqu'un"))
    followup_send(owner=other_member, followup=theirs, subject="a", body="b")  # not counted against me
    FollowUp.objects.filter(pk=first.pk).update(sent_at=timezone.now() - timedelta(days=1, minutes=1))
    followup_send(owner=member, followup=second, subject="a", body="b")
    assert FollowUp.objects.get(pk=second.pk).email_id is not None


def test_the_page_shows_a_kind_message_at_the_quota(client, member, make_contact, settings):
    from tablee.circle.services import followup_create, followup_send

    settings.TABLEE_PERSONAL_EMAILS_PER_DAY = 1
    contacts = [make_contact(member, f"Contact {k}") for k in range(2)]
    followup_send(owner=member, followup=followup_create(owner=member, contact=contacts[0]), subject="a", body="b")
    client.force_login(member)
    response = client.post(reverse("journey:share"), {"text": "Bonjour", "step": "send",
                                                      "contact": [contacts[1].pk]})
    assert response.status_code == 429
    assert "24\u00a0heures" in response.content.decode()
    assert FollowUp.objects.filter(contact=contacts[1], email__isnull=False).count() == 0


# --- sign-in lockout ----------------------------------------------------------------------------------


def _sign_in(client, email, password, **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def test_twelve_wrong_passwords_lock_the_account_even_for_the_right_one(client, member):
    answers = [_sign_in(client, "marie@example.org", f"faux-{k}").status_code for k in range(12)]
    right = _sign_in(client, "Marie@Example.org", "motdepasse-tablee-123")

    assert answers[:9] == [200] * 9 and answers[-1] == 429
    assert right.status_code == 429
    assert "bloquée pendant 15\u00a0minutes" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_account_and_per_address(client, member, other_member):
    for k in range(10):
        _sign_in(client, "marie@example.org", f"faux-{k}", REMOTE_ADDR=f"10.0.0.{k + 1}")
    # Marie is locked from any address; Samuel, from a fresh address, is not.
    assert _sign_in(client, "marie@example.org", "motdepasse-tablee-123", REMOTE_ADDR="10.9.9.9").status_code == 429
    assert _sign_in(client, "samuel@example.org", "motdepasse-tablee-123", REMOTE_ADDR="10.9.9.9").status_code == 302


def test_one_address_guessing_many_accounts_is_locked(client, member):
    for k in range(10):
        _sign_in(client, f"essai{k}@example.org", "faux", REMOTE_ADDR="192.0.2.7")
    assert _sign_in(client, "marie@example.org", "motdepasse-tablee-123", REMOTE_ADDR="192.0.2.7").status_code == 429
    assert _sign_in(client, "marie@example.org", "motdepasse-tablee-123", REMOTE_ADDR="192.0.2.8").status_code == 302


def test_the_lockout_page_speaks_english_to_an_english_reader(client, member):
    for k in range(10):
        _sign_in(client, "marie@example.org", f"faux-{k}")
    response = _sign_in(client, "marie@example.org", "motdepasse-tablee-123", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "locked for 15 minutes" in response.content.decode()


def test_behind_the_proxy_the_lockout_sees_the_forwarded_client(client, member, settings):
    settings.BEHIND_PROXY = True
    for k in range(10):
        _sign_in(client, f"x{k}@example.org", "faux", REMOTE_ADDR="127.0.0.1",
                 HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.9")
    # Another client behind the same proxy is not locked out; the guessing one is.
    ok = _sign_in(client, "marie@example.org", "motdepasse-tablee-123", REMOTE_ADDR="127.0.0.1",
                  HTTP_X_FORWARDED_FOR="198.51.100.10")
    assert ok.status_code == 302
    client.logout()
    locked = _sign_in(client, "marie@example.org", "motdepasse-tablee-123", REMOTE_ADDR="127.0.0.1",
                      HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9")
    assert locked.status_code == 429


# --- reset requests -------------------------------------------------------------------------------


def test_one_reset_email_per_address_per_five_minutes(client, member, other_member):
    first = client.post(reverse("password_reset"), {"email": "marie@example.org"})
    second = client.post(reverse("password_reset"), {"email": "MARIE@example.org"})
    other = client.post(reverse("password_reset"), {"email": "samuel@example.org"})

    assert first.status_code == 302 and other.status_code == 302
    assert second.status_code == 429 and 0 < int(second["Retry-After"]) <= 300
    assert "réessayez dans quelques minutes" in second.content.decode()
    assert Email.objects.filter(kind="password_reset", to="marie@example.org").count() == 1


def test_an_unknown_address_is_throttled_the_same_way(client, db):
    assert client.post(reverse("password_reset"), {"email": "x@example.org"}).status_code == 302
    assert client.post(reverse("password_reset"), {"email": "x@example.org"}).status_code == 429


# --- API rate per token ------------------------------------------------------------------------------


def test_the_api_answers_429_with_retry_after_over_the_token_rate(api, member, other_member, settings):
    from tablee import api as api_module

    throttle = api_module.api.throttle[0] if isinstance(api_module.api.throttle, list) else None
    assert throttle is not None
    old = (throttle.num_requests, throttle.duration)
    throttle.num_requests, throttle.duration = 3, 60
    try:
        codes = [api.get("/api/me", user=member).status_code for _ in range(4)]
        limited = api.get("/api/me", user=member)
        other = api.get("/api/me", user=other_member)
    finally:
        throttle.num_requests, throttle.duration = old
    assert codes == [200, 200, 200, 429]
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    assert other.status_code == 200


# --- The shared table behind the API rate (tablee.throttle.SharedRates) -------------------------------


def _hammer(folder: str, key: str, start, hits: int, results) -> None:
    from pathlib import Path

    from tablee.throttle import SharedRates

    table = SharedRates(Path(folder), capacity=50)
    start.wait()
    results.put(sum(1 for _ in range(hits) if table.hit(key, limit=50, window=3600) == 0.0))


def test_the_api_rate_binds_across_processes_of_the_host(tmp_path):
    """Four processes (as gunicorn's workers) hit one key at once: exactly the limit gets through."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    start, results = context.Event(), context.Queue()
    workers = [context.Process(target=_hammer, args=(str(tmp_path), "t1", start, 40, results)) for _ in range(4)]
    for worker in workers:
        worker.start()
    start.set()
    admitted = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert sum(admitted) == 50, admitted


def test_the_shared_rate_is_a_sliding_window_per_key(tmp_path):
    from tablee.throttle import SharedRates

    table = SharedRates(tmp_path, capacity=10)
    assert [table.hit("a", limit=3, window=60, now=1000.0 + i) for i in range(3)] == [0.0, 0.0, 0.0]
    assert table.hit("a", limit=3, window=60, now=1010.0) == 50.0  # the first hit leaves the window at 1060
    assert table.hit("b", limit=3, window=60, now=1010.0) == 0.0  # another key is not affected
    assert table.hit("a", limit=3, window=60, now=1060.0) == 0.0
    assert table.hit("a", limit=3, window=60, now=1060.5) == 0.5
    assert table.hit("a", limit=11, window=60, now=1061.0) is None  # above the capacity: counted elsewhere


def test_a_full_shared_table_hands_keys_to_the_cache_instead_of_merging_them(tmp_path, monkeypatch):
    from tablee.throttle import SharedRates

    monkeypatch.setattr(SharedRates, "SLOTS", 4)
    monkeypatch.setattr(SharedRates, "PROBES", 4)
    table = SharedRates(tmp_path, capacity=5)
    assert all(table.hit(f"k{i}", limit=1, window=60, now=100.0) == 0.0 for i in range(4))
    assert table.hit("k9", limit=1, window=60, now=100.0) is None
    assert table.hit("k9", limit=1, window=60, now=161.0) == 0.0  # the others' window is over: a slot frees


def test_a_full_evicting_table_gives_a_new_key_the_slot_hit_longest_ago(tmp_path, monkeypatch):
    from tablee.throttle import SharedRates

    monkeypatch.setattr(SharedRates, "SLOTS", 4)
    monkeypatch.setattr(SharedRates, "PROBES", 4)
    table = SharedRates(tmp_path, capacity=5, evicting=True)
    assert [table.hit(f"k{i}", limit=1, window=60, now=100.0 + i) for i in range(4)] == [0.0] * 4
    assert table.hit("k9", limit=1, window=60, now=110.0) == 0.0  # takes k0's slot (hit at 100)
    assert table.hit("k9", limit=1, window=60, now=111.0) == 59.0  # and is counted there
    assert table.hit("k3", limit=1, window=60, now=112.0) == 51.0  # the keys hit since keep their counts
    assert table.hit("k0", limit=1, window=60, now=113.0) == 0.0  # k0 was forgotten


def test_calls_from_many_addresses_leave_the_tokens_in_the_shared_table(api, member, monkeypatch):
    """Ten thousand addresses within a minute once filled the one table, and every token's call
    then fell back to the file cache (a file written per call)."""
    from tablee import api as api_module
    from tablee.throttle import SharedRates

    monkeypatch.setattr(SharedRates, "SLOTS", 64)
    throttle = api_module.api.throttle[0]
    for table in (throttle.tokens, throttle.addresses):
        table.reset()
    for n in range(200):
        assert throttle.addresses.hit(f"address-{n}", limit=120, window=60) == 0.0
    fallback = []
    monkeypatch.setattr(type(throttle).__mro__[1], "allow_request", lambda self, request: fallback.append(1) or True)

    answers = [api.get("/api/me", user=member).status_code for _ in range(3)]

    assert answers == [200, 200, 200]
    assert fallback == []  # counted in the tokens' table, not in the cache
